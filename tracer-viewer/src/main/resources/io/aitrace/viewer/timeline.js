// The timeline: a waterfall of the trace's spans on one time axis. Siblings that overlap in time get lanes of
// their own, siblings that follow each other share one; the critical path (what the trace's end waited for) is
// marked. Clicking a bar selects the span in the tree. Rows are drawn only while in view.
"use strict";
const AitraceTimeline = (() => {
  const ROW = 22;
  const OVERSCAN = 6;
  const {el, duration} = AitraceUi;

  /** Siblings in start order spread over lanes: a span goes into the first lane that is free when it starts. */
  function lanes(siblings) {
    const result = [], ends = [];
    for (const s of siblings) {
      const start = s.start === null ? -Infinity : s.start;
      let lane = ends.findIndex((end) => end <= start);
      if (lane < 0) {
        lane = result.length;
        result.push([]);
        ends.push(-Infinity);
      }
      result[lane].push(s);
      ends[lane] = s.end !== null ? s.end : Infinity;
    }
    return result;
  }

  /** The spans the end of each root waited for: the last child to end, then the last to end before it started, … */
  function criticalPath(roots) {
    const path = new Set();
    const stack = roots.slice();
    while (stack.length) {
      const n = stack.pop();
      path.add(n);
      const kids = n.children.filter((c) => c.end !== null).sort((a, b) => b.end - a.end);
      let cur = kids[0];
      while (cur) {
        stack.push(cur);
        const startOfCur = cur.start;
        cur = kids.find((k) => k !== cur && k.end <= startOfCur);
      }
    }
    return path;
  }

  /** Rows of the waterfall: each a lane of spans, followed by the lanes of those spans' children. */
  function rowsOf(graph) {
    const rows = [];
    const stack = [{spans: graph.roots, depth: 0}];
    while (stack.length) {
      const {spans, depth} = stack.pop();
      const laneList = lanes(spans);
      const later = [];
      for (const lane of laneList) {
        rows.push({spans: lane, depth});
        for (const s of lane) if (s.children.length) later.push({spans: s.children, depth: depth + 1});
      }
      for (let i = later.length - 1; i >= 0; i--) stack.push(later[i]);
    }
    return rows;
  }

  function create(host, options) {
    const scroller = el("div", "tl-scroll");
    const axis = el("div", "tl-axis");
    const sizer = el("div", "tl-sizer");
    const win = el("div", "tl-window");
    sizer.append(win);
    scroller.append(axis, sizer);
    host.append(scroller);
    let rows = [], base = 0, total = 1, critical = new Set(), selectedId = null;

    function render() {
      const first = Math.max(0, Math.floor(scroller.scrollTop / ROW) - OVERSCAN);
      const last = Math.min(rows.length, Math.ceil((scroller.scrollTop + scroller.clientHeight) / ROW) + OVERSCAN);
      win.style.transform = "translateY(" + first * ROW + "px)";
      win.textContent = "";
      const width = Math.max(1, scroller.clientWidth - 220);
      for (let i = first; i < last; i++) {
        const row = rows[i];
        const line = el("div", "tl-row");
        const label = el("div", "tl-label", row.spans.map((s) => s.name).join(" · "));
        label.style.paddingLeft = 4 + row.depth * 10 + "px";
        const track = el("div", "tl-track");
        let drawnUntil = -1;
        for (const s of row.spans) {
          if (s.start === null) continue;
          const left = (s.start - base) / total, right = ((s.end === null ? base + total : s.end) - base) / total;
          if (right * width < drawnUntil + 1 && s !== row.spans[row.spans.length - 1]) continue; // sub-pixel crowd
          drawnUntil = right * width;
          const bar = el("div", "tl-bar status-" + s.status.replace(/[^a-z]/g, "") + (critical.has(s) ? " critical" : "")
            + (s.span_id === selectedId ? " selected" : ""), s.name);
          bar.style.left = (100 * left).toFixed(3) + "%";
          bar.style.width = Math.max(0.15, 100 * (right - left)).toFixed(3) + "%";
          bar.title = s.name + " · " + (s.end === null ? "running" : duration(s.duration)) + (critical.has(s) ? " · critical path" : "");
          bar.dataset.spanId = s.span_id;
          track.append(bar);
        }
        line.append(label, track);
        win.append(line);
      }
    }

    scroller.addEventListener("scroll", render);
    win.addEventListener("click", (e) => {
      const bar = e.target.closest(".tl-bar");
      if (bar) options.onSelect(bar.dataset.spanId);
    });

    return {
      element: scroller,
      show(graph) {
        rows = rowsOf(graph);
        critical = criticalPath(graph.roots);
        base = graph.start === null ? 0 : graph.start;
        total = graph.length;
        axis.textContent = "";
        for (let i = 0; i <= 4; i++) {
          const tick = el("span", "tl-tick", duration(total * i / 4));
          tick.style.left = "calc(220px + (100% - 228px) * " + i / 4 + ")";
          axis.append(tick);
        }
        sizer.style.height = rows.length * ROW + "px";
        render();
      },
      mark(spanId) {
        selectedId = spanId;
        render();
      },
      redraw: render,
    };
  }

  return {create, lanes, criticalPath};
})();
