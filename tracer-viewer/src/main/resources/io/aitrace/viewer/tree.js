// The trace as a collapsible tree of spans with their log lines in time order. Only the rows in view exist in
// the page (virtual scrolling over the flattened visible rows), and a span's children are flattened only when it
// is open, so a trace of 100,000 spans opens at once. A trace opened page by page (lazy.js) has spans whose
// children are not all loaded: the missing ones show as a gap row, loaded (options.onGap) when it is clicked, or
// as soon as it comes into view when it is the last row under its parent (scrolling down loads the next page).
"use strict";
const AitraceTree = (() => {
  const ROW = 24;
  const OPEN_DEPTH = 3;
  const OVERSCAN = 8;
  const MAX_INDENT = 24;
  const {el, icon, duration, time} = AitraceUi;

  /** Children and logs of a span merged by time; a child that starts at the same time as a log comes first. */
  function below(node) {
    const out = [];
    const c = node.children, l = node.logs;
    let i = 0, j = 0;
    while (i < c.length || j < l.length) {
      const childFirst = j >= l.length || (i < c.length && !(c[i].start !== null && l[j].timestamp !== null && c[i].start > l[j].timestamp));
      out.push(childFirst ? {span: c[i++]} : {log: l[j++]});
    }
    return out;
  }

  /** Loaded children of a lazy span (or the lazy roots) in order, with a gap item wherever children are missing. */
  function withGaps(owner, loaded, count) {
    const out = [];
    let next = 0;
    for (const c of loaded) {
      if (c.index > next) out.push({gap: owner, from: next, to: c.index});
      out.push({span: c});
      next = c.index + 1;
    }
    if (next < count) out.push({gap: owner, from: next, to: count, end: true});
    return out;
  }

  /** Log lines merged by time into a lazy span's children and gaps (a gap has no time: it keeps its place). */
  function withLogs(items, logs) {
    if (!logs.length) return items;
    const out = [];
    let j = 0;
    for (const item of items) {
      const start = item.span ? item.span.start : null;
      while (start !== null && j < logs.length && logs[j].timestamp !== null && logs[j].timestamp < start) out.push({log: logs[j++]});
      out.push(item);
    }
    while (j < logs.length) out.push({log: logs[j++]});
    return out;
  }

  function create(host, options) {
    const scroller = el("div", "tree-scroll");
    scroller.tabIndex = 0;
    const sizer = el("div", "tree-sizer");
    const win = el("div", "tree-window");
    sizer.append(win);
    scroller.append(sizer);
    host.append(scroller);
    let graph = null, rows = [], selected = -1, base = null, total = 1;
    const open = new Map(); // span_id -> open?

    // spans near the root start open; in a lazy trace only those whose first children came with the first page
    const isOpen = (n, depth) => (open.has(n.span_id) ? open.get(n.span_id)
      : depth < OPEN_DEPTH && (n.childCount === undefined || n.children.length > 0));
    const hasBelow = (n) => n.children.length > 0 || n.logs.length > 0 || n.childCount > 0;

    function flatten() {
      rows = [];
      const stack = [];
      const top = graph.lazy ? withGaps(null, graph.roots, graph.rootCount) : graph.roots.map((n) => ({span: n}));
      for (let i = top.length - 1; i >= 0; i--) stack.push(Object.assign(top[i], {depth: 0}));
      if (graph.orphans.length) for (let i = graph.orphans.length - 1; i >= 0; i--) stack.push({log: graph.orphans[i], depth: 0});
      while (stack.length) {
        const item = stack.pop();
        rows.push(item);
        if (item.span && hasBelow(item.span) && isOpen(item.span, item.depth)) {
          const kids = item.span.childCount === undefined ? below(item.span)
            : withLogs(withGaps(item.span, item.span.children, item.span.childCount), item.span.logs);
          for (let i = kids.length - 1; i >= 0; i--) {
            kids[i].depth = item.depth + 1;
            stack.push(kids[i]);
          }
        }
      }
      sizer.style.height = rows.length * ROW + "px";
    }

    function render() {
      if (!graph) return;
      const first = Math.max(0, Math.floor(scroller.scrollTop / ROW) - OVERSCAN);
      const last = Math.min(rows.length, Math.ceil((scroller.scrollTop + scroller.clientHeight) / ROW) + OVERSCAN);
      win.style.transform = "translateY(" + first * ROW + "px)";
      win.textContent = "";
      for (let i = first; i < last; i++) win.append(rowElement(rows[i], i));
      if (options.onGap) for (let i = first; i < last; i++) if (rows[i].end) options.onGap(rows[i]);
    }

    function rowElement(item, index) {
      const row = el("div", "row" + (index === selected ? " selected" : ""));
      row.dataset.index = index;
      // past MAX_INDENT levels the indentation stops growing and the row says its depth: a span 1,000 levels down
      // stays on screen
      row.style.paddingLeft = 6 + Math.min(item.depth, MAX_INDENT) * 16 + "px";
      if (item.depth > MAX_INDENT) row.append(el("span", "depth-mark", "↳" + item.depth));
      if (item.gap !== undefined) {
        const missing = item.to - item.from;
        row.classList.add("gap-row");
        row.append(el("span", "caret", ""), el("span", "gap", "… " + missing.toLocaleString("en-US")
          + (missing === 1 ? " more span" : " more spans") + (item.end ? "" : " · click to load")));
        return row;
      }
      if (item.log) {
        const l = item.log;
        row.classList.add("log-row", "level-" + (l.level || "none").replace(/[^a-z]/g, ""));
        row.append(el("span", "caret", ""), el("span", "time", time(l.timestamp, base, options.settings.relative)),
          el("span", "level", l.level || ""), el("span", "event", l.event === null ? "" : l.event));
        const keys = Object.keys(l.attrs || {});
        if (keys.length) row.append(el("span", "log-attrs", keys.map((k) => k + "=" + (typeof l.attrs[k] === "string" ? l.attrs[k] : JSON.stringify(l.attrs[k]))).join(" ")));
        if (l.exception) row.append(el("span", "log-exc", (l.exception.type || "") + (l.exception.message ? ": " + l.exception.message : "")));
        row.title = l.event === null ? "" : l.event;
        return row;
      }
      const n = item.span;
      row.classList.add("span-row", "status-" + (n.implicit ? "implicit" : n.status).replace(/[^a-z]/g, ""));
      row.dataset.spanId = n.span_id;
      const caret = el("span", "caret", hasBelow(n) ? (isOpen(n, item.depth) ? "▾" : "▸") : "");
      caret.addEventListener("click", (e) => {
        e.stopPropagation();
        toggle(index);
      });
      const mark = n.implicit ? "?" : n.end === null ? "…" : n.status === "error" ? "✗" : "✓";
      row.append(caret, icon(n.type), el("span", "mark", mark), el("span", "name", n.name));
      if (n.descendantCount > 0 && !isOpen(n, item.depth)) {
        const count = el("span", "below-count", n.descendantCount.toLocaleString("en-US") + " below");
        count.title = n.childCount + (n.childCount === 1 ? " child, " : " children, ") + n.descendantCount + " spans below in all";
        row.append(count);
      }
      for (const e of n.edges) {
        const badge = el("span", "edge-badge", (e.type || "edge") + " ↗");
        badge.title = "jump to span " + e.span_id;
        badge.addEventListener("click", (ev) => {
          ev.stopPropagation();
          options.onJump(e);
        });
        row.append(badge);
      }
      const right = el("span", "right");
      right.append(el("span", "time", time(n.start, base, options.settings.relative)),
        el("span", "dur", n.end === null ? (n.implicit ? "" : "running") : duration(n.duration)));
      const bar = el("span", "bar");
      const fill = el("span", "bar-fill");
      if (n.start !== null && base !== null) {
        const from = (n.start - base) / total;
        const to = ((n.end === null ? base + total : n.end) - base) / total;
        fill.style.left = (100 * Math.max(0, from)).toFixed(2) + "%";
        fill.style.width = Math.max(0.3, 100 * (to - from)).toFixed(2) + "%";
      }
      bar.append(fill);
      right.append(bar);
      row.append(right);
      if (options.decorate) options.decorate(row, n); // tokens, cost, evaluations, critical path (answers.js)
      return row;
    }

    function toggle(index, value) {
      const item = rows[index];
      if (!item || !item.span || !hasBelow(item.span)) return;
      open.set(item.span.span_id, value === undefined ? !isOpen(item.span, item.depth) : value);
      flatten();
      render();
    }

    function choose(index, scroll) {
      if (index < 0 || index >= rows.length) return;
      selected = index;
      if (scroll) {
        const top = index * ROW;
        if (top < scroller.scrollTop) scroller.scrollTop = top;
        else if (top + ROW > scroller.scrollTop + scroller.clientHeight) scroller.scrollTop = top + ROW - scroller.clientHeight;
      }
      render();
      const item = rows[index];
      if (item.gap !== undefined) {
        if (options.onGap) options.onGap(item, true);
        return;
      }
      options.onSelect(item.span || null, item.log || null);
    }

    scroller.addEventListener("scroll", () => render());
    win.addEventListener("click", (e) => {
      const row = e.target.closest(".row");
      if (row) choose(Number(row.dataset.index), false);
    });
    win.addEventListener("dblclick", (e) => {
      const row = e.target.closest(".row");
      if (row) toggle(Number(row.dataset.index));
    });
    scroller.addEventListener("keydown", (e) => {
      const item = rows[selected];
      const page = Math.max(1, Math.floor(scroller.clientHeight / ROW) - 1);
      switch (e.key) {
        case "ArrowDown": choose(Math.min(rows.length - 1, selected + 1), true); break;
        case "ArrowUp": choose(Math.max(0, selected - 1), true); break;
        case "PageDown": choose(Math.min(rows.length - 1, selected + page), true); break;
        case "PageUp": choose(Math.max(0, selected - page), true); break;
        case "Home": choose(0, true); break;
        case "End": choose(rows.length - 1, true); break;
        case "ArrowRight":
          if (item && item.span && hasBelow(item.span) && !isOpen(item.span, item.depth)) toggle(selected, true);
          else choose(Math.min(rows.length - 1, selected + 1), true);
          break;
        case "ArrowLeft":
          if (item && item.span && hasBelow(item.span) && isOpen(item.span, item.depth)) toggle(selected, false);
          else if (item) {
            for (let i = selected - 1; i >= 0; i--) if (rows[i].depth < item.depth) { choose(i, true); break; }
          }
          break;
        case "Enter": case " ": toggle(selected); break;
        default: return;
      }
      e.preventDefault();
    });

    return {
      element: scroller,
      /** Shows a graph; with keep, open spans, the selection and the scroll position stay (live updates). */
      show(g, keep) {
        const was = keep && selected >= 0 && rows[selected] && rows[selected].span ? rows[selected].span.span_id : null;
        if (!keep) {
          open.clear();
          selected = -1;
          scroller.scrollTop = 0;
        }
        graph = g;
        base = g.start;
        total = g.length;
        flatten();
        if (was) selected = rows.findIndex((r) => r.span && r.span.span_id === was);
        render();
      },
      /** Whether a span is on a row now (its ancestors open). */
      shows: (spanId) => rows.some((r) => r.span && r.span.span_id === spanId),
      /** Opens the ancestors of a span, selects it and scrolls it into view. */
      select(spanId) {
        const n = graph && graph.byId.get(spanId);
        if (!n) return false;
        for (let p = n.parent, depth = 0; p; p = p.parent, depth++) open.set(p.span_id, true);
        flatten();
        const index = rows.findIndex((r) => r.span === n);
        scroller.scrollTop = Math.max(0, index * ROW - scroller.clientHeight / 3);
        choose(index, true);
        return true;
      },
      /** Opens a span (keeping the selection), as a click on its caret would. */
      expand(spanId) {
        open.set(spanId, true);
        const was = selected >= 0 && rows[selected] && rows[selected].span ? rows[selected].span.span_id : null;
        flatten();
        if (was) selected = rows.findIndex((r) => r.span && r.span.span_id === was);
        render();
      },
      redraw: render,
      rowCount: () => rows.length,
      focus: () => scroller.focus(),
    };
  }

  return {create, below};
})();
