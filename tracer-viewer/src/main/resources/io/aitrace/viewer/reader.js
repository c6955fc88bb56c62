// Reads aitrace records (format v1 and the Python client's flat log lines) into a trace graph, with the merge
// rules of the Java TraceReader: per span the ended record wins, else the latest; a log whose span was never seen
// creates that span implicitly; malformed lines are skipped and counted.
"use strict";
const AitraceReader = (() => {
  const PYTHON_LOG_FIELDS = new Set(["timestamp", "event", "level", "trace_id", "span_id", "parent_span_id"]);
  const TIME = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d+))?(Z|[+-]\d\d:?\d\d)?$/;

  /** Epoch milliseconds (with microseconds as the fraction) of ISO-8601 text or Python's epoch seconds; or null. */
  function instant(value) {
    if (typeof value === "number") return isFinite(value) ? value * 1000 : null;
    if (typeof value !== "string") return null;
    if (value.length === 27 && value.charCodeAt(19) === 46 && value.charCodeAt(26) === 90) { // 2026-11-21T18:00:00.123456Z
      const ms = Date.parse(value);
      if (!isNaN(ms)) return ms + Number(value.slice(23, 26)) / 1000;
    }
    const m = TIME.exec(value.trim());
    if (!m) {
      const t = Date.parse(value);
      return isNaN(t) ? null : t;
    }
    const base = Date.parse(m[1] + (m[3] || "Z"));
    if (isNaN(base)) return null;
    return base + (m[2] ? Number("0." + m[2]) * 1000 : 0);
  }
  const id = (v) => (v === null || v === undefined || v === "" ? null : String(v));
  const str = (v) => (v === null || v === undefined ? null : String(v));
  const obj = (v) => (v && typeof v === "object" && !Array.isArray(v) ? v : null);
  const placeholderName = (spanId) => "(span " + spanId.slice(0, 8) + ")";
  // shared by every span that has none: most spans of a large trace have no annotations, edges or resource
  const NONE = Object.freeze([]);
  const EMPTY = Object.freeze({});

  function error(value) {
    if (value === null || value === undefined) return null;
    return obj(value) || {message: String(value)};
  }

  /** An empty model that records are fed into, one at a time. */
  function create() {
    return {spans: new Map(), logged: new Map(), logs: [], evaluations: new Map(), skipped: 0, problems: [], dropped: 0,
      lines: 0, version: 0};
  }

  function skip(model, problem) {
    model.skipped++;
    if (model.problems.length < 1000) model.problems.push("line " + model.lines + ": " + problem);
  }

  /** One line of JSON-lines text. */
  function acceptLine(model, line) {
    model.lines++;
    if (!line || !line.trim()) return;
    if (line.charCodeAt(0) === 0xfeff) line = line.slice(1);
    let parsed;
    try {
      parsed = JSON.parse(line);
    } catch (e) {
      skip(model, "invalid JSON");
      return;
    }
    const problem = acceptRecord(model, parsed);
    if (problem) skip(model, problem);
  }

  /** One parsed record; returns what is wrong with it, or null. */
  function acceptRecord(model, r) {
    model.version++;
    if (!obj(r)) return "not a JSON object";
    const type = r.type;
    if (type === undefined || type === null) {
      if ("v" in r) return "record without \"type\"";
      if (!(id(r.trace_id) && id(r.span_id)) && !("event" in r)) return "not a trace record (no type, trace_id and span_id)";
      const attrs = {};
      for (const k of Object.keys(r)) if (!PYTHON_LOG_FIELDS.has(k)) attrs[k] = r[k];
      addLog(model, {timestamp: instant(r.timestamp), level: level(r.level), logger: null, event: str(r.event),
        trace_id: id(r.trace_id), span_id: id(r.span_id), thread: null, attrs, exception: null}, id(r.parent_span_id));
      return null;
    }
    switch (String(type).toLowerCase()) {
      case "span": return span(model, r);
      case "log": {
        const attrs = r.attrs === undefined || r.attrs === null ? {} : obj(r.attrs) || {attrs: r.attrs};
        const exc = r.exception !== undefined && r.exception !== null ? r.exception : r.error;
        addLog(model, {timestamp: instant(r.timestamp), level: level(r.level), logger: str(r.logger), event: str(r.event),
          trace_id: id(r.trace_id), span_id: id(r.span_id), thread: str(r.thread), attrs, exception: error(exc)},
        id(r.parent_span_id));
        return null;
      }
      case "evaluation": {
        const spanId = id(r.span_id);
        if (!spanId || !id(r.trace_id)) return "evaluation record without " + (spanId ? "trace_id" : "span_id");
        const e = evaluation(r);
        if (!e) return "evaluation record needs a name and a score or a label";
        if (!model.evaluations.has(spanId)) model.evaluations.set(spanId, []);
        model.evaluations.get(spanId).push(e);
        return null;
      }
      case "dropped":
        if (typeof r.count !== "number") return "dropped record without a count";
        model.dropped += r.count;
        return null;
      default:
        return null; // a record type from a newer writer
    }
  }

  /** An evaluation as written (name, score and/or label, explanation), or null when it says nothing. */
  function evaluation(e) {
    if (!obj(e)) return null;
    const name = str(e.name);
    const score = typeof e.score === "number" && isFinite(e.score) ? e.score
      : typeof e.score === "string" && e.score.trim() && isFinite(Number(e.score)) ? Number(e.score) : null;
    const label = str(e.label);
    if (!name || !name.trim() || (score === null && label === null)) return null;
    return {ts: instant(e.ts !== undefined ? e.ts : e.timestamp), name, score, label, explanation: str(e.explanation)};
  }

  const level = (v) => (v === null || v === undefined ? null : String(v).toLowerCase());

  function span(model, r) {
    const spanId = id(r.span_id), traceId = id(r.trace_id);
    if (!spanId) return "span record without span_id";
    if (!traceId) return "span record without trace_id";
    const end = instant(r.end);
    const kept = model.spans.get(spanId);
    if (kept && kept.end !== null && end === null) return null; // a stale start or snapshot record
    let status = str(r.status);
    status = status === null ? null : status.toLowerCase();
    if (end === null && status !== "error") status = "running";
    const nodeType = str(r.node_type);
    const start = instant(r.start);
    model.spans.set(spanId, {
      trace_id: traceId, span_id: spanId, parent_span_id: id(r.parent_span_id),
      name: str(r.name) === null ? placeholderName(spanId) : String(r.name),
      type: nodeType && nodeType.trim() ? nodeType.trim().toLowerCase() : "step",
      span_kind: str(r.span_kind), start, end, status: status || "ok",
      duration: start !== null && end !== null ? end - start : null,
      error: error(r.error), attributes: obj(r.attributes) || EMPTY, input: r.input, output: r.output,
      annotations: Array.isArray(r.annotations) && r.annotations.length ? r.annotations.map((a) => obj(a)
        ? {ts: instant(a.ts !== undefined ? a.ts : a.timestamp), text: str(a.text)} : {ts: null, text: str(a)}) : NONE,
      edges: Array.isArray(r.edges) && r.edges.length ? r.edges.filter((e) => obj(e) && id(e.span_id)).map((e) => ({
        type: str(e.type), trace_id: id(e.trace_id) || traceId, span_id: id(e.span_id)})) : NONE,
      resource: obj(r.resource) || EMPTY, thread: str(r.thread), implicit: false,
      evaluations: Array.isArray(r.evaluations) && r.evaluations.length ? r.evaluations.map(evaluation).filter((e) => e) : NONE,
    });
    return null;
  }

  function addLog(model, log, parentSpanId) {
    model.logs.push(log);
    if (log.span_id && log.trace_id) {
      let seen = model.logged.get(log.span_id);
      if (!seen) model.logged.set(log.span_id, seen = {trace_id: log.trace_id, parent: null, thread: null, first: null, last: null});
      if (seen.parent === null) seen.parent = parentSpanId;
      if (seen.thread === null) seen.thread = log.thread;
      const t = log.timestamp;
      if (t !== null) {
        if (seen.first === null || t < seen.first) seen.first = t;
        if (seen.last === null || t > seen.last) seen.last = t;
      }
    }
  }

  const byTime = (key) => (a, b) => {
    const x = a[key], y = b[key];
    return x === y ? 0 : x === null ? 1 : y === null ? -1 : x - y;
  };

  /**
   * The linked graph of the model, or of one trace of it: nodes in start order with children and logs,
   * roots, spans by id.
   */
  function graph(model, traceId) {
    const key = traceId || "";
    if (model.graphs && model.graphs.version === model.version && model.graphs.byKey.has(key)) return model.graphs.byKey.get(key);
    if (!model.graphs || model.graphs.version !== model.version) model.graphs = {version: model.version, byKey: new Map()};
    const whole = model.graphs.byKey.get("");
    if (traceId && whole && whole.traceIds.size === 1 && whole.traceIds.has(traceId)) return whole; // nothing to leave out
    const made = link(model, traceId);
    model.graphs.byKey.set(key, made);
    return made;
  }

  /** A node of the graph: the span's fields, created in one literal so that every node has the same shape. */
  const node = (s) => ({
    trace_id: s.trace_id, span_id: s.span_id, parent_span_id: s.parent_span_id, name: s.name, type: s.type,
    span_kind: s.span_kind, start: s.start, end: s.end, status: s.status, duration: s.duration, error: s.error,
    attributes: s.attributes, input: s.input, output: s.output, annotations: s.annotations, edges: s.edges,
    resource: s.resource, thread: s.thread, implicit: s.implicit, evaluations: s.evaluations || NONE, children: [],
    logs: [], parent: null,
  });

  /** The span's own evaluations and those sent for it later, each once, in time order. */
  function withLate(n, late) {
    if (!late) return;
    const key = (e) => [e.ts, e.name, e.score, e.label, e.explanation].join("\u0000");
    const seen = new Set(n.evaluations.map(key));
    const all = n.evaluations.slice();
    for (const e of late) if (!seen.has(key(e))) {
      seen.add(key(e));
      all.push(e);
    }
    all.sort(byTime("ts"));
    n.evaluations = all;
  }

  function link(model, traceId) {
    const nodes = [];
    for (const s of model.spans.values()) if (!traceId || s.trace_id === traceId) nodes.push(node(s));
    for (const [spanId, seen] of model.logged) {
      if (model.spans.has(spanId) || (traceId && seen.trace_id !== traceId)) continue;
      nodes.push(node({trace_id: seen.trace_id, span_id: spanId, parent_span_id: seen.parent, name: placeholderName(spanId),
        type: "step", span_kind: null, start: seen.first, end: seen.last, status: "ok",
        duration: seen.first !== null && seen.last !== null ? seen.last - seen.first : null, error: null, attributes: {},
        input: undefined, output: undefined, annotations: [], edges: [], resource: {}, thread: seen.thread, implicit: true}));
    }
    nodes.sort(byTime("start"));
    const byId = new Map(), roots = [];
    for (const n of nodes) {
      byId.set(n.span_id, n);
      withLate(n, model.evaluations.get(n.span_id));
    }
    for (const n of nodes) {
      const p = n.parent_span_id === null ? null : byId.get(n.parent_span_id);
      if (!p || p === n) roots.push(n);
      else {
        n.parent = p;
        p.children.push(n);
      }
    }
    breakParentLoops(nodes, roots);
    const logs = traceId ? model.logs.filter((l) => l.trace_id === traceId || (l.span_id && byId.has(l.span_id))) : model.logs.slice();
    logs.sort(byTime("timestamp"));
    const orphans = [];
    for (const l of logs) {
      const owner = l.span_id ? byId.get(l.span_id) : null;
      (owner ? owner.logs : orphans).push(l);
    }
    const traceIds = new Set();
    let start = null, end = null;
    for (const n of nodes) {
      traceIds.add(n.trace_id);
      if (n.start !== null && (start === null || n.start < start)) start = n.start;
      const last = n.end !== null ? n.end : n.start;
      if (last !== null && (end === null || last > end)) end = last;
    }
    for (const l of logs) if (l.trace_id) traceIds.add(l.trace_id);
    // start: the earliest span start (or null); length: the time to the last end, at least 1 ms to draw bars in
    return {nodes, roots, byId, logs, orphans, traceIds, start, length: start === null || end === null || end <= start ? 1 : end - start, skipped: model.skipped, problems: model.problems, dropped: model.dropped};
  }

  /** Spans whose parents form a loop never reach a root: the earliest of each loop becomes one. */
  function breakParentLoops(nodes, roots) {
    const reached = new Set();
    const stack = roots.slice();
    while (stack.length) {
      const n = stack.pop();
      reached.add(n);
      for (const c of n.children) stack.push(c);
    }
    for (const n of nodes) {
      if (reached.has(n)) continue;
      const siblings = n.parent.children;
      siblings.splice(siblings.indexOf(n), 1);
      n.parent = null;
      roots.push(n);
      const more = [n];
      while (more.length) {
        const m = more.pop();
        reached.add(m);
        for (const c of m.children) more.push(c);
      }
    }
    roots.sort(byTime("start"));
  }

  /** Summaries of every trace in the model, newest first: the collector's /api/traces shape. */
  function summaries(model) {
    const g = graph(model);
    const byTrace = new Map();
    const get = (traceId) => {
      let t = byTrace.get(traceId);
      if (!t) byTrace.set(traceId, t = {trace_id: traceId, root_name: null, service: null, start: null, end: null,
        span_count: 0, log_count: 0, error_count: 0, input_tokens: 0, output_tokens: 0, running: false, root: null});
      return t;
    };
    for (const n of g.nodes) {
      const t = get(n.trace_id);
      t.span_count++;
      if (n.status === "error") t.error_count++;
      if (n.end === null && !n.implicit) t.running = true;
      if (n.start !== null && (t.start === null || n.start < t.start)) t.start = n.start;
      if (n.end !== null && (t.end === null || n.end > t.end)) t.end = n.end;
      const a = n.attributes;
      t.input_tokens += Number(a["gen_ai.usage.input_tokens"]) || 0;
      t.output_tokens += Number(a["gen_ai.usage.output_tokens"]) || 0;
      if (n.parent === null && (t.root === null || (n.start !== null && (t.root.start === null || n.start < t.root.start)))) t.root = n;
    }
    for (const l of g.logs) if (l.trace_id) get(l.trace_id).log_count++;
    const list = [];
    for (const t of byTrace.values()) {
      if (t.root) {
        t.root_name = t.root.name;
        t.service = t.root.resource["service.name"] === undefined ? null : String(t.root.resource["service.name"]);
      }
      t.duration_ms = t.root && t.root.duration !== null ? t.root.duration : t.start !== null && t.end !== null ? t.end - t.start : null;
      delete t.root;
      delete t.end;
      list.push(t);
    }
    list.sort((a, b) => (b.start || 0) - (a.start || 0));
    return list;
  }

  /** Reads JSON-lines text into a new model. */
  function parseText(text) {
    const model = create();
    let from = 0;
    while (from <= text.length) {
      let to = text.indexOf("\n", from);
      if (to < 0) to = text.length;
      let line = text.slice(from, to);
      if (line.endsWith("\r")) line = line.slice(0, -1);
      if (from < text.length || line) acceptLine(model, line);
      from = to + 1;
    }
    return model;
  }

  /** Reads parsed records (an array) into a new model. */
  function fromRecords(records) {
    const model = create();
    for (const r of records) {
      model.lines++;
      const problem = acceptRecord(model, r);
      if (problem) skip(model, problem);
    }
    return model;
  }

  /** A graph node (no children, logs or parent yet) of one span record, or null when the record is no span. */
  function nodeOf(record) {
    const model = create();
    if (span(model, record) !== null) return null;
    return node(model.spans.values().next().value);
  }

  return {create, acceptLine, acceptRecord, graph, summaries, parseText, fromRecords, instant, nodeOf};
})();
