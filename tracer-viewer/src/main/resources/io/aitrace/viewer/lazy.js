// A trace too big to download whole, opened through the collector's paged API: the first page in tree order at
// once, then one span's children a page at a time as spans are opened or scrolled to, and the way down from the
// root to a span found by search or picked on the timeline. Nodes have the reader's shape plus childCount,
// descendantCount and index (the place among the parent's children); children holds the loaded children in order
// (the tree shows the missing ones as gaps). A span's log lines are loaded when it is
// shown (viewer.js), the whole trace's totals and critical path come from the collector.
"use strict";
const AitraceLazy = (() => {
  /** Traces with more spans than this open page by page; smaller ones are downloaded whole as before. */
  const FROM_SPANS = 10000;
  const FIRST_PAGE = 200; // index.html asks for the first page of this size before the scripts load
  const PAGE = 200;

  /** The graph of a lazy trace from its first tree-order page. */
  function graph(traceId, first) {
    const g = {lazy: true, traceId, nodes: [], byId: new Map(), roots: [], rootCount: first.root_count || 0,
      spanCount: first.span_count, cursor: first.next_cursor || null, logs: [], orphans: [], traceIds: new Set([traceId]),
      start: null, end: null, length: 1, skipped: 0, problems: [], dropped: 0};
    addAll(g, first.spans);
    return g;
  }

  /** Where n goes among siblings ordered by index. */
  function place(siblings, n) {
    let lo = 0, hi = siblings.length;
    if (hi && siblings[hi - 1].index < n.index) lo = hi; // the usual case: the next page of children
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (siblings[mid].index < n.index) lo = mid + 1;
      else hi = mid;
    }
    siblings.splice(lo, 0, n);
  }

  /** Adds a span of a page (with its place in the tree) unless it is loaded already; returns its node. */
  function add(g, record) {
    const known = g.byId.get(record.span_id);
    if (known) return known;
    const parent = record.depth > 0 ? g.byId.get(record.parent_span_id) : null;
    if (record.depth > 0 && !parent) return null; // pages come parents first; a span without one is skipped
    const n = AitraceReader.nodeOf(record);
    if (!n) return null;
    n.childCount = record.child_count || 0;
    n.descendantCount = record.descendant_count || 0;
    n.index = record.index || 0;
    n.critical = record.critical === true; // on the critical path (said once the collector has walked it)
    n.parent = parent;
    place(parent ? parent.children : g.roots, n);
    g.nodes.push(n);
    g.byId.set(n.span_id, n);
    if (n.start !== null && (g.start === null || n.start < g.start)) g.start = n.start;
    const last = n.end !== null ? n.end : n.start;
    if (last !== null && (g.end === null || last > g.end)) g.end = last;
    g.length = g.start === null || g.end === null || g.end <= g.start ? 1 : g.end - g.start;
    return n;
  }

  function addAll(g, records) {
    for (const r of records || []) add(g, r);
  }

  /** Loads the spans of a gap the tree shows ({gap: parent or null for the roots, from, to}). */
  async function fill(source, g, gap) {
    if (gap.gap === null) {
      if (!g.cursor) return;
      const page = await source.page(g.traceId, PAGE, g.cursor);
      g.cursor = page.next_cursor || null;
      addAll(g, page.spans);
      return;
    }
    const page = await source.children(g.traceId, gap.gap.span_id, gap.from, Math.min(PAGE, gap.to - gap.from));
    addAll(g, page.children);
  }

  /** Loads the way down to a span (a no-op when it is loaded); returns its node, or null when it is not in the trace. */
  async function reveal(source, g, spanId) {
    if (g.byId.has(spanId)) return g.byId.get(spanId);
    const path = await source.path(g.traceId, spanId);
    addAll(g, path.spans);
    return g.byId.get(spanId) || null;
  }

  /** The first FIRST_PAGE spans of a trace when it is big enough to open page by page; else null. */
  async function probe(source, traceId, limit) {
    if (!source.page) return null;
    let first;
    try {
      first = await source.page(traceId, limit || FIRST_PAGE);
    } catch (e) {
      return null; // no spans (a trace of log lines only) or an older collector: downloaded whole
    }
    return first.span_count > FROM_SPANS ? first : null;
  }

  return {FROM_SPANS, FIRST_PAGE, PAGE, graph, add, fill, reveal, probe};
})();
