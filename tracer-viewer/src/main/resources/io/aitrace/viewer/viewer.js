// The page: trace list with filters and search, trace view (tree, timeline, details), compare, live updates,
// files opened by drag and drop. Served by the collector it reads the JSON API; as an export it reads the
// records embedded in the page; opened from disk it waits for a file.
"use strict";
(() => {
  const ui = AitraceUi;
  const {el} = ui;
  const $ = (id) => document.getElementById(id);
  const store = (area, key, value) => {
    try {
      if (value === undefined) return window[area].getItem(key);
      window[area].setItem(key, value);
    } catch (e) { /* storage switched off: the setting lasts for this page only */ }
    return null;
  };

  const token = (() => {
    const m = /(?:^#|[#&?])token=([^&]+)/.exec(location.hash) || /[?&]token=([^&]+)/.exec(location.search);
    if (m) {
      store("sessionStorage", "aitrace.token", decodeURIComponent(m[1]));
      // the token leaves the address; what else it says (the trace to open) stays
      const hash = location.hash.replace(/([#&])token=[^&]*&?/, "$1").replace(/[#&]$/, "");
      history.replaceState(null, "", location.pathname + location.search.replace(/[?&]token=[^&]+/, "") + hash);
    }
    return store("sessionStorage", "aitrace.token");
  })();
  const settings = {relative: store("localStorage", "aitrace.relative") === "true"};
  const state = {source: null, view: "list", traceId: null, model: null, graph: null, live: null, cursor: null, picked: [],
    critical: new Set(), find: null, listAsked: false};
  const lazy = () => state.graph && state.graph.lazy;
  /** Spans of a huge trace that compare looks at (two such pages stay under the compare table's row limit). */
  const COMPARE_SPANS = 1000;
  const answers = AitraceAnswers;

  const tree = AitraceTree.create($("tree-host"), {settings, onSelect: showDetail, onJump: jump, onGap: fillGap,
    decorate: (row, n) => answers.decorateRow(row, n, state.critical)});
  const timeline = AitraceTimeline.create($("timeline-host"), {onSelect: (id) => {
    showTab("tree");
    tree.select(id);
  }});
  const overview = AitraceOverview.create($("timeline-host"), {onSelect: (id) => {
    showTab("tree");
    reveal(id);
  }});

  function setStatus(text, isError) {
    const s = $("status");
    s.textContent = text || "";
    s.classList.toggle("error", !!isError);
    if (isError && / 401 /.test(text || "")) askForToken(s);
  }

  /** The collector wants a token: a field to give it, kept for this tab like one given in the URL. */
  function askForToken(s) {
    const field = el("input", "token-field");
    field.type = "password";
    field.placeholder = "token";
    field.id = "token";
    field.addEventListener("keydown", (e) => {
      if (e.key !== "Enter" || !field.value) return;
      store("sessionStorage", "aitrace.token", field.value);
      location.reload();
    });
    s.append(" ", field);
  }

  function showView(name, loading) {
    state.view = name;
    for (const v of ["list", "trace", "compare", "conversation", "empty"]) $("view-" + v).hidden = v !== name;
    // a page opened on a trace asks for the list only when it is first shown: on a collector holding a huge trace
    // the list costs the collector seconds, which the trace's first screen would otherwise wait behind
    if (name === "list" && !loading && (!state.listAsked || state.answersStale)) loadList(false);
  }

  function showTab(name) {
    $("tree-host").hidden = name !== "tree";
    $("timeline-host").hidden = name !== "timeline";
    $("tab-tree").classList.toggle("active", name === "tree");
    $("tab-timeline").classList.toggle("active", name === "timeline");
    timeline.element.hidden = !!lazy();
    overview.element.hidden = !lazy();
    if (name === "timeline" && lazy()) overview.show(state.source, state.traceId);
    else if (name === "timeline" && state.graph) timeline.show(state.graph);
    if (name === "tree") tree.redraw();
  }

  // ---- list

  function filters() {
    return {q: $("f-q").value.trim(), service: $("f-service").value.trim(), errors: $("f-errors").checked,
      min_duration_ms: $("f-min").value.trim(), max_duration_ms: $("f-max").value.trim(), attr: $("f-attr").value.trim(),
      eval: $("f-eval").value.trim()};
  }

  async function loadList(more) {
    if (!state.source) return;
    state.listAsked = true;
    try {
      const page = await state.source.traces(filters(), more ? state.cursor : null);
      state.cursor = page.next_cursor || null;
      const body = $("trace-rows");
      if (!more) body.textContent = "";
      for (const t of page.traces) body.append(traceRow(t));
      // rows whose answers the collector is still computing: the first page is asked again shortly (not once the
      // user has paged on, which a reload would undo), less often the longer they stay pending (a huge trace still
      // growing), and when the list is shown again if the time came while another view was open
      clearTimeout(state.answersTimer);
      state.answersStale = false;
      if (!more && page.traces.some((t) => t.answers === "pending")) {
        const wait = state.answersWait = Math.min(30000, state.answersWait ? state.answersWait * 1.5 : 2000);
        state.answersTimer = setTimeout(() => {
          if (state.view === "list") loadList(false);
          else state.answersStale = true;
        }, wait);
      } else if (!more) {
        state.answersWait = 0;
      }
      $("more").hidden = !state.cursor;
      $("list-count").textContent = body.childNodes.length + (body.childNodes.length === 1 ? " trace" : " traces");
    } catch (e) {
      setStatus(e.message, true);
    }
  }

  function traceRow(t) {
    const tr = el("tr", "trace-row" + (t.error_count ? " has-error" : ""));
    tr.dataset.traceId = t.trace_id;
    const pick = el("input");
    pick.type = "checkbox";
    pick.className = "pick";
    pick.title = "pick for compare";
    pick.checked = state.picked.includes(t.trace_id);
    pick.addEventListener("click", (e) => e.stopPropagation());
    pick.addEventListener("change", () => {
      state.picked = state.picked.filter((id) => id !== t.trace_id);
      if (pick.checked) state.picked.push(t.trace_id);
      while (state.picked.length > 2) state.picked.shift();
      for (const box of document.querySelectorAll(".pick")) box.checked = state.picked.includes(box.closest("tr").dataset.traceId);
      $("compare").disabled = state.picked.length !== 2;
    });
    const td = (cls, text) => el("td", cls, text);
    const first = td("c-pick");
    first.append(pick);
    const name = td("c-name");
    name.append(el("span", "name", t.root_name === null ? "(no root span)" : t.root_name), el("span", "trace-id", t.trace_id.slice(0, 8)));
    if (t.running) name.append(el("span", "running-badge", "running"));
    // a huge trace's answers are computed by the collector after the list asked: an earlier state's, or "…"
    const pending = t.answers === "pending";
    const input = td("c-input", t.input_summary || (pending ? "…" : ""));
    input.title = t.input_summary || "";
    const cost = td("c-cost num", t.cost_usd === null || t.cost_usd === undefined
      ? (pending ? "…" : t.input_tokens || t.output_tokens ? "no price" : "") : answers.dollars(t.cost_usd) + (t.cost_complete ? "" : "+"));
    const evals = td("c-evals");
    evals.append(answers.chips(t.evaluations || []));
    if (pending) {
      tr.classList.add("answers-pending");
      for (const cell of [input, cost]) cell.title = "being computed for this big trace; shown on the next refresh";
    }
    tr.append(first, name, input, td("c-service", t.service || ""), td("c-start", ui.time(t.start !== null && typeof t.start === "string" ? AitraceReader.instant(t.start) : t.start, null, false)),
      td("c-dur num", ui.duration(t.duration_ms)), td("c-spans num", t.span_count), td("c-errors num", t.error_count || ""),
      td("c-tokens num", t.input_tokens || t.output_tokens ? t.input_tokens + " / " + t.output_tokens : ""), cost, evals);
    tr.addEventListener("click", () => openTrace(t.trace_id));
    return tr;
  }

  let filterTimer = null;
  for (const id of ["f-q", "f-service", "f-errors", "f-min", "f-max", "f-attr", "f-eval"]) {
    $(id).addEventListener("input", () => {
      clearTimeout(filterTimer);
      filterTimer = setTimeout(() => loadList(false), 200);
    });
  }
  $("more").addEventListener("click", () => loadList(true));
  $("compare").addEventListener("click", () => compare(state.picked[0], state.picked[1]));

  // ---- search

  async function search(q) {
    if (!state.source) return;
    showView("list");
    const box = $("hits");
    box.textContent = "";
    box.hidden = !q;
    if (!q) return;
    try {
      const {hits} = await state.source.search(q);
      box.append(el("div", "hits-head", hits.length + (hits.length === 1 ? " hit" : " hits") + " for “" + q + "”"));
      for (const h of hits) {
        const line = el("div", "hit");
        line.append(el("span", "hit-name", h.name), el("span", "hit-field", h.field));
        const text = el("span", "hit-snippet");
        for (const part of h.snippet || []) text.append(part.hit ? el("mark", null, part.text) : document.createTextNode(part.text));
        line.append(text, el("span", "trace-id", h.trace_id.slice(0, 8)));
        line.addEventListener("click", () => openTrace(h.trace_id, h.span_id));
        box.append(line);
      }
    } catch (e) {
      setStatus(e.message, true);
    }
  }
  $("search").addEventListener("keydown", (e) => {
    if (e.key === "Enter") search($("search").value.trim());
  });

  // ---- trace view

  const detailContext = () => ({settings, base: state.graph ? state.graph.start : null, onJump: jump,
    onConversation: openConversation, moreLogs: (span) => loadLogs(state.graph, span),
    pointingAt: (spanId) => {
      const out = [];
      for (const n of state.graph.nodes) for (const e of n.edges) if (e.span_id === spanId) out.push([n, e]);
      return out;
    }});

  let shown = null; // the span whose details are on screen
  function showDetail(span, log) {
    shown = span;
    timeline.mark(span ? span.span_id : null);
    if (span) AitraceDetail.span($("detail"), span, detailContext());
    else if (log) AitraceDetail.log($("detail"), log, detailContext());
    if (span && lazy() && span.logsCursor === undefined) loadLogs(state.graph, span);
  }

  function jump(edge) {
    if (edge.trace_id && edge.trace_id !== state.traceId) openTrace(edge.trace_id, edge.span_id);
    else reveal(edge.span_id);
  }

  /** Selects a span in the tree, loading the way down to it first in a trace opened page by page. */
  async function reveal(spanId) {
    try {
      if (lazy() && !(await AitraceLazy.reveal(state.source, state.graph, spanId))) {
        setStatus("span " + spanId + " is not in this trace");
        return false;
      }
    } catch (e) {
      setStatus(e.message, true);
      return false;
    }
    if (tree.select(spanId)) return true;
    setStatus("span " + spanId + " is not in this trace");
    return false;
  }

  // ---- a trace opened page by page (lazy.js)

  const filling = new Set();
  /** Loads the missing spans a gap row of the tree stands for, once at a time per gap. */
  async function fillGap(gap) {
    const g = state.graph;
    const key = (gap.gap ? gap.gap.span_id : "") + ":" + gap.from;
    if (!lazy() || filling.has(key)) return;
    filling.add(key);
    try {
      await AitraceLazy.fill(state.source, g, gap);
      if (state.graph === g) tree.show(g, true);
    } catch (e) {
      setStatus(e.message, true);
      return; // the key stays: no retry loop on a failing collector (reopening the trace tries again)
    }
    filling.delete(key);
  }

  /**
   * Loads a lazy trace's span's log lines, LOG_PAGE at a time (the first page when the span is first shown), into
   * the tree under it; a span without children is opened so that its lines show at once.
   */
  const LOG_PAGE = 200;
  const loadingLogs = new Set();
  async function loadLogs(g, span) {
    if (loadingLogs.has(span) || span.logsCursor === null) return;
    loadingLogs.add(span);
    try {
      const page = await state.source.logs(g.traceId, span.span_id, LOG_PAGE, span.logsCursor);
      const lines = AitraceReader.fromRecords(page.logs || []).logs;
      span.logs = span.logs.concat(lines);
      span.logsCursor = page.next_cursor || null;
      if (state.graph !== g || !lines.length) return;
      if (!span.childCount) tree.expand(span.span_id);
      else tree.show(g, true);
      if (shown === span) AitraceDetail.span($("detail"), span, detailContext());
    } catch (e) {
      setStatus(e.message, true);
      span.logsCursor = null; // not asked again for this span until the trace is opened again
    } finally {
      loadingLogs.delete(span);
    }
  }

  /** Span IDs of the critical path asked for at a time. */
  const PATH_PAGE = 1000;
  /** Whole-trace totals and the critical path of a lazy trace, from the collector (computed there once). */
  async function lazyTotals(g) {
    const [totals, path] = await Promise.all([
      state.source.totals(g.traceId).catch((e) => ({error: e.message})),
      state.source.criticalPath(g.traceId, 0, PATH_PAGE).catch(() => null)]);
    if (state.graph !== g) return;
    // the path comes a page at a time (it can hold every span); a paged span says itself whether it is on it
    const onPath = new Set(path && path.span_ids ? path.span_ids : []);
    const count = path && path.span_ids ? (typeof path.count === "number" ? path.count : onPath.size) : 0;
    if (path && path.span_ids) {
      state.critical = {has: (n) => n.critical === true || onPath.has(n.span_id), size: count};
      tree.redraw();
    }
    if (totals && !totals.error) {
      const root = g.roots[0];
      const spent = answers.format({usd: totals.cost_usd || 0, priced: totals.priced_spans || 0,
        unpriced: totals.unpriced_spans || 0, models: totals.unpriced_models || []});
      const extra = [];
      if (totals.cache_read_input_tokens) extra.push(answers.tokens(totals.cache_read_input_tokens) + " cached");
      if (totals.reasoning_output_tokens) extra.push(answers.tokens(totals.reasoning_output_tokens) + " reasoning");
      const meta = $("trace-meta");
      meta.textContent = totals.span_count + " spans · loaded page by page · " + totals.log_count + " logs"
        + (root && root.duration !== null ? " · " + ui.duration(root.duration) : "")
        + (totals.error_count ? " · " + totals.error_count + " errors" : "")
        + (totals.input_tokens || totals.output_tokens ? " · " + answers.tokens(totals.input_tokens) + " in / "
          + answers.tokens(totals.output_tokens) + " out tokens" + (extra.length ? " (" + extra.join(", ") + ")" : "") : "")
        + (spent ? " · " + spent : "");
      if (totals.unpriced_models && totals.unpriced_models.length) meta.title = "no price for " + totals.unpriced_models.join(", ");
    }
    if (count > 1) {
      // the spans below the root one after the other, each loaded through its way down (/path) when not yet there;
      // the path's next page is asked for when the steps reach its end
      const ids = path.span_ids.slice();
      let next = 1;
      let asking = false;
      const jumpTo = el("button", "critical-jump", "◆ " + (count - 1) + " on the critical path");
      jumpTo.type = "button";
      jumpTo.title = "select the next span the trace's end waited on";
      jumpTo.addEventListener("click", async () => {
        if (next >= count) next = 1;
        if (next >= ids.length) {
          if (asking) return; // a click while the page is on its way
          asking = true;
          const more = await state.source.criticalPath(g.traceId, ids.length, PATH_PAGE).catch(() => null);
          asking = false;
          if (state.graph !== g || !more || !more.span_ids || !more.span_ids.length) return;
          for (const id of more.span_ids) {
            ids.push(id);
            onPath.add(id);
          }
        }
        reveal(ids[next++]);
      });
      $("trace-meta").append(" · ", jumpTo);
    }
    if (count > 0) {
      // spans loaded before the collector walked the path carry no mark of their own: ask about them
      const unknown = g.nodes.filter((n) => !n.critical && !onPath.has(n.span_id)).map((n) => n.span_id);
      for (let i = 0; i < unknown.length; i += 200) {
        const answer = await state.source.onCriticalPath(g.traceId, unknown.slice(i, i + 200)).catch(() => null);
        if (state.graph !== g) return;
        for (const id of (answer && answer.on_path) || []) onPath.add(id);
      }
      if (unknown.length) tree.redraw();
    }
  }

  function showLazy(id, first) {
    const g = AitraceLazy.graph(id, first);
    state.graph = g;
    state.model = null;
    state.critical = new Set();
    filling.clear();
    overview.forget();
    const root = g.roots[0];
    $("trace-title").textContent = root ? root.name : "trace";
    $("trace-id").textContent = id;
    $("trace-meta").textContent = g.spanCount + " spans · loaded page by page"
      + (root && root.duration !== null ? " · " + ui.duration(root.duration) : "");
    $("trace-meta").title = "";
    tree.show(g, false);
    lazyTotals(g);
  }

  function renderTrace(keep) {
    state.graph = AitraceReader.graph(state.model, state.traceId);
    const g = state.graph;
    const root = g.roots[0];
    $("trace-title").textContent = root ? root.name : "trace";
    $("trace-id").textContent = state.traceId;
    state.critical = answers.criticalPath(g);
    $("trace-meta").title = "";
    const spent = answers.format(answers.traceCost(g));
    let errors = 0, running = 0, tokensIn = 0, tokensOut = 0;
    for (const n of g.nodes) {
      tokensIn += Number(n.attributes["gen_ai.usage.input_tokens"]) || 0;
      tokensOut += Number(n.attributes["gen_ai.usage.output_tokens"]) || 0;
      if (n.status === "error") errors++;
      if (n.end === null && !n.implicit) running++;
    }
    $("trace-meta").textContent = g.nodes.length + " spans · " + g.logs.length + " logs"
      + (root && root.duration !== null ? " · " + ui.duration(root.duration) : "") + (errors ? " · " + errors + " errors" : "")
      + (running ? " · " + running + " running" : "") + (g.skipped ? " · " + g.skipped + " unreadable lines skipped" : "")
      + (tokensIn || tokensOut ? " · " + answers.tokens(tokensIn) + " in / " + answers.tokens(tokensOut) + " out tokens" : "")
      + (spent ? " · " + spent : "");
    tree.show(g, keep);
    if (!$("timeline-host").hidden) timeline.show(g);
  }

  /** Opens a trace; with fromAddress (the page opened on it), a trace that cannot be shown leaves the list. */
  async function openTrace(id, spanId, fromAddress) {
    try {
      if ($("status").classList.contains("error")) setStatus("");
      const first = await AitraceLazy.probe(state.source, id);
      if (!first) state.model = await state.source.trace(id);
      state.traceId = id;
      state.find = null;
      $("find-count").textContent = "";
      showView("trace");
      if (first) showLazy(id, first);
      else renderTrace(false);
      showTab("tree");
      $("detail").textContent = "";
      if (spanId) await reveal(spanId);
      else if (state.graph.roots.length) tree.select(state.graph.roots[0].span_id);
      // keys go to the tree, unless the user already typed into a field (find in this trace) while it loaded
      if (!/^(INPUT|TEXTAREA|SELECT)$/.test(document.activeElement ? document.activeElement.tagName : "")) tree.focus();
      if (location.hash !== "#trace=" + id) history.pushState(null, "", "#trace=" + id);
      follow();
    } catch (e) {
      if (fromAddress && state.view === "trace" && state.traceId !== id) showView("list");
      setStatus(e.message, true);
    }
  }

  $("back").addEventListener("click", () => {
    showView("list", true);
    if (location.hash) history.pushState(null, "", location.pathname + location.search);
    follow();
    loadList(false);
  });
  $("tab-tree").addEventListener("click", () => showTab("tree"));
  $("tab-timeline").addEventListener("click", () => showTab("timeline"));
  window.addEventListener("popstate", () => {
    const m = /^#trace=([0-9a-zA-Z]+)/.exec(location.hash);
    const c = /^#conversation=(.+)$/.exec(location.hash);
    if (c && state.source) openConversation(decodeURIComponent(c[1]));
    else if (m && state.source) openTrace(m[1]);
    else if (state.source) showView("list");
  });

  // ---- find in the trace

  /** Spans of a graph loaded whole whose name, input, output or attributes hold the text, in tree order. */
  function findLoaded(g, q) {
    const needle = q.toLowerCase();
    const text = (v) => (v === undefined || v === null ? "" : typeof v === "string" ? v : JSON.stringify(v)).toLowerCase();
    const hits = [];
    const stack = g.roots.slice().reverse();
    while (stack.length) {
      const n = stack.pop();
      if ([n.name, n.input, n.output, n.attributes].some((v) => text(v).indexOf(needle) >= 0)) hits.push(n.span_id);
      for (let i = n.children.length - 1; i >= 0; i--) stack.push(n.children[i]);
    }
    return {ids: hits, total: hits.length};
  }

  /** Enter in the find field: the first hit, then the next one on every Enter. */
  async function findInTrace(q) {
    if (!q || !state.graph) return;
    try {
      if (!state.find || state.find.q !== q || state.find.traceId !== state.traceId) {
        let found;
        if (lazy()) {
          const answer = await state.source.find(state.traceId, q, 1000);
          found = {ids: answer.spans.map((s) => s.span_id), total: answer.total};
        } else {
          found = findLoaded(state.graph, q);
        }
        state.find = {q, traceId: state.traceId, ids: found.ids, total: found.total, at: -1};
      }
      const f = state.find;
      if (!f.ids.length) {
        $("find-count").textContent = "no span holds “" + q + "”";
        return;
      }
      f.at = (f.at + 1) % f.ids.length;
      $("find-count").textContent = (f.at + 1) + " of " + f.total;
      await reveal(f.ids[f.at]); // the focus stays in the field: Enter again goes to the next hit
    } catch (e) {
      setStatus(e.message, true);
    }
  }
  $("trace-find").addEventListener("keydown", (e) => {
    if (e.key === "Enter") findInTrace($("trace-find").value.trim());
  });

  // ---- conversation

  async function openConversation(id) {
    try {
      const page = await state.source.traces({attr: "gen_ai.conversation.id=" + id});
      const graphs = [];
      for (const t of page.traces) {
        const model = await state.source.trace(t.trace_id);
        graphs.push(AitraceReader.graph(model, t.trace_id));
      }
      $("conversation-id").textContent = id;
      answers.conversation($("conversation-body"), id, graphs, (traceId) => openTrace(traceId));
      showView("conversation");
      if (location.hash !== "#conversation=" + encodeURIComponent(id)) history.pushState(null, "", "#conversation=" + encodeURIComponent(id));
    } catch (e) {
      setStatus(e.message, true);
    }
  }
  $("conversation-back").addEventListener("click", () => {
    showView("list", true);
    loadList(false);
  });

  // ---- compare

  /** Compares two traces; traces too big to download whole are compared on their first COMPARE_SPANS spans. */
  async function compare(a, b) {
    try {
      const [pa, pb] = await Promise.all([AitraceLazy.probe(state.source, a, COMPARE_SPANS),
        AitraceLazy.probe(state.source, b, COMPARE_SPANS)]);
      const whole = async (id, first) => (first ? AitraceLazy.graph(id, first) : AitraceReader.graph(await state.source.trace(id), id));
      const [ga, gb] = await Promise.all([whole(a, pa), whole(b, pb)]);
      const host = $("compare-body");
      host.textContent = "";
      if (pa || pb) {
        host.append(el("p", "note cmp-partial", "Compared on the first " + COMPARE_SPANS + " spans in tree order of "
          + [pa ? "A (" + pa.span_count + " spans)" : null, pb ? "B (" + pb.span_count + " spans)" : null].filter((x) => x).join(" and ")
          + "; the spans after them are not compared, so rows near that end may show as only in one trace."));
      }
      AitraceCompare.render(host, ga, gb, (ga.roots[0] ? ga.roots[0].name + " " : "") + a.slice(0, 8),
        (gb.roots[0] ? gb.roots[0].name + " " : "") + b.slice(0, 8));
      showView("compare");
    } catch (e) {
      setStatus(e.message, true);
    }
  }
  $("compare-back").addEventListener("click", () => showView("list"));

  // ---- live

  let pending = null;
  function follow() {
    if (state.live) {
      state.live.close();
      state.live = null;
    }
    if (!$("live").checked || !state.source || !state.source.stream) return;
    const traceId = state.view === "trace" ? state.traceId : null;
    const stream = state.source.stream(traceId);
    const onRecord = (e) => {
      let record;
      try { record = JSON.parse(e.data); } catch (err) { return; }
      if (state.view === "trace" && record.trace_id === state.traceId) {
        if (lazy()) return; // a trace opened page by page is not followed: opening it again shows what came since
        AitraceReader.acceptRecord(state.model, record);
        schedule(() => renderTrace(true), 150);
      } else if (state.view === "list") {
        schedule(() => loadList(false), 1000);
      }
    };
    stream.addEventListener("span", onRecord);
    stream.addEventListener("log", onRecord);
    stream.addEventListener("open", () => setStatus("live"));
    stream.addEventListener("error", () => setStatus("live: connection lost, retrying", true));
    state.live = stream;
  }
  /** Runs fn once after delay ms, however many records arrive meanwhile. */
  function schedule(fn, delay) {
    if (pending) return;
    pending = setTimeout(() => {
      pending = null;
      fn();
    }, delay);
  }
  $("live").addEventListener("change", () => {
    store("localStorage", "aitrace.live", String($("live").checked));
    follow();
  });

  // ---- settings and keyboard

  $("relative").checked = settings.relative;
  $("relative").addEventListener("change", () => {
    settings.relative = $("relative").checked;
    store("localStorage", "aitrace.relative", String(settings.relative));
    tree.redraw();
  });
  document.addEventListener("keydown", (e) => {
    const typing = /^(INPUT|TEXTAREA|SELECT)$/.test(e.target.tagName);
    if (e.key === "/" && !typing) {
      e.preventDefault();
      $("search").focus();
      $("search").select();
    } else if (e.key === "Escape" && typing) {
      e.target.blur();
    }
  });

  // ---- files

  async function openFile(file) {
    try {
      let text;
      const head = new Uint8Array(await file.slice(0, 2).arrayBuffer());
      if (head[0] === 0x1f && head[1] === 0x8b && typeof DecompressionStream === "function") {
        text = await new Response(file.stream().pipeThrough(new DecompressionStream("gzip"))).text();
      } else {
        text = await file.text();
      }
      const model = AitraceReader.parseText(text);
      useLocal(model, file.name);
    } catch (e) {
      setStatus(file.name + ": " + e.message, true);
    }
  }

  function useLocal(model, name) {
    state.source = AitraceSources.local(model);
    $("live").checked = false;
    $("live-switch").hidden = true;
    follow();
    const g = AitraceReader.graph(model);
    setStatus(name + ": " + g.nodes.length + " spans, " + g.logs.length + " logs"
      + (model.skipped ? ", " + model.skipped + " unreadable lines skipped" : "")
      + (model.dropped ? ", " + model.dropped + " records dropped by the writer" : ""));
    const traces = AitraceReader.summaries(model);
    showView("list", true);
    loadList(false);
    // a trace named in the address only if this file has it: after "open file" in an export, the address still
    // names the export's own trace
    const wanted = /^#trace=([0-9a-zA-Z]+)/.exec(location.hash);
    const conversation = /^#conversation=(.+)$/.exec(location.hash);
    if (wanted && traces.some((t) => t.trace_id === wanted[1])) openTrace(wanted[1]);
    else if (conversation) openConversation(decodeURIComponent(conversation[1]));
    else if (traces.length === 1) openTrace(traces[0].trace_id);
  }

  for (const id of ["file", "file2"]) {
    $(id).addEventListener("change", () => {
      if ($(id).files[0]) openFile($(id).files[0]);
    });
  }
  document.addEventListener("dragover", (e) => {
    e.preventDefault();
    document.body.classList.add("dragging");
  });
  document.addEventListener("dragleave", (e) => {
    if (!e.relatedTarget) document.body.classList.remove("dragging");
  });
  document.addEventListener("drop", (e) => {
    e.preventDefault();
    document.body.classList.remove("dragging");
    const file = e.dataTransfer && e.dataTransfer.files[0];
    if (file) openFile(file);
  });

  // ---- start

  const fallback = $("aitrace-export");
  if (fallback) fallback.hidden = true;
  const embeddedPrices = $("aitrace-prices") ? $("aitrace-prices").textContent.trim() : "";
  if (embeddedPrices) answers.setPrices(JSON.parse(embeddedPrices));
  const embedded = $("aitrace-records").textContent.trim();
  if (embedded) {
    useLocal(AitraceReader.fromRecords(JSON.parse(embedded)), document.title);
  } else if (location.protocol === "http:" || location.protocol === "https:") {
    state.source = AitraceSources.server(token);
    state.source.prices().then((table) => {
      answers.setPrices(table);
      if (state.view === "trace") tree.redraw();
      // the collector's rows carry their own cost: a list asked for already is not asked again
      else if (state.view === "list" && !state.listAsked) loadList(false);
    }).catch((e) => setStatus("prices: " + e.message, true));
    $("live").checked = store("localStorage", "aitrace.live") === "true";
    const m = /^#trace=([0-9a-zA-Z]+)/.exec(location.hash);
    const c = /^#conversation=(.+)$/.exec(location.hash);
    if (m) {
      // the trace's first screen first: its view (empty until the first page comes), the list when it is shown
      $("trace-title").textContent = "";
      $("trace-id").textContent = m[1];
      $("trace-meta").textContent = "opening…";
      showView("trace");
      openTrace(m[1], null, true);
    } else {
      showView("list");
      if (c) openConversation(decodeURIComponent(c[1]));
      else follow();
    }
  } else {
    $("live-switch").hidden = true;
    showView("empty");
  }
  window.aitraceViewer = {state, openTrace, search, compare, openFile, openConversation}; // for the browser tests and the console
})();
