// Where traces come from: the collector's JSON API, or records held in the page (an export, a dropped file).
// Both answer the same questions in the collector's shapes, so the views do not care which one they talk to.
"use strict";
const AitraceSources = (() => {
  const R = AitraceReader;
  const SNIPPET = 40;
  const MAX_HITS = 200;

  /** Text pieces around the first match of needle (lowercase) in text: [{text, hit}]. */
  function snippet(text, needle) {
    const at = text.toLowerCase().indexOf(needle);
    if (at < 0) return null;
    const from = Math.max(0, at - SNIPPET), to = Math.min(text.length, at + needle.length + SNIPPET);
    const parts = [];
    if (from < at) parts.push({text: (from > 0 ? "…" : "") + text.slice(from, at), hit: false});
    parts.push({text: text.slice(at, at + needle.length), hit: true});
    if (at + needle.length < to || to < text.length) parts.push({text: text.slice(at + needle.length, to) + (to < text.length ? "…" : ""), hit: false});
    return parts;
  }

  const asText = (v) => (v === undefined || v === null ? "" : typeof v === "string" ? v : JSON.stringify(v));

  /** The columns /api/traces adds to a row: cost, input summary, evaluations (mean score per name). */
  function answers(t, nodes) {
    const A = AitraceAnswers;
    let cost = {usd: 0, priced: 0, unpriced: 0, models: []};
    const byName = new Map();
    let root = null;
    for (const n of nodes) {
      const c = A.cost(n);
      if (c.priced || c.unpriced) cost = {usd: cost.usd + c.usd, priced: cost.priced + c.priced, unpriced: cost.unpriced + c.unpriced, models: cost.models};
      for (const e of n.evaluations || []) {
        const s = byName.get(e.name) || {name: e.name, sum: 0, scored: 0, count: 0, label: null};
        if (typeof e.score === "number") {
          s.sum += e.score;
          s.scored++;
        }
        s.count++;
        if (e.label) s.label = e.label;
        byName.set(e.name, s);
      }
      if (n.parent === null && (root === null || (n.start !== null && (root.start === null || n.start < root.start)))) root = n;
    }
    t.cost_usd = cost.priced ? Math.round(cost.usd * 1e8) / 1e8 : null;
    t.cost_complete = cost.unpriced === 0;
    t.input_summary = root ? A.inputSummary(root) : null;
    t.evaluations = Array.from(byName.values()).map((s) => ({name: s.name,
      score: s.scored ? Math.round(s.sum / s.scored * 1e4) / 1e4 : null, label: s.label, count: s.count}));
  }

  /** Whether a row's evaluations pass a filter like faithfulness<0.5 or relevance=relevant. */
  function evalMatches(t, filter) {
    const m = /^\s*([^<>=!]+?)\s*(<=|>=|!=|<|>|=)\s*(.+?)\s*$/.exec(filter);
    if (!m) return true;
    const [, name, op, raw] = m;
    const number = raw.trim() !== "" && isFinite(Number(raw)) ? Number(raw) : null;
    return (t.evaluations || []).some((e) => {
      if (e.name !== name) return false;
      const v = number === null ? e.label : e.score;
      const w = number === null ? raw : number;
      if (v === null || v === undefined) return false;
      switch (op) {
        case "<": return v < w;
        case "<=": return v <= w;
        case ">": return v > w;
        case ">=": return v >= w;
        case "=": return v === w;
        default: return v !== w;
      }
    });
  }

  /** Records held in the page. */
  function local(model) {
    let cache = null;
    const index = () => {
      if (cache && cache.version === model.version) return cache;
      const g = R.graph(model);
      const byTrace = new Map();
      for (const n of g.nodes) {
        if (!byTrace.has(n.trace_id)) byTrace.set(n.trace_id, []);
        byTrace.get(n.trace_id).push(n);
      }
      const summaries = R.summaries(model);
      for (const t of summaries) answers(t, byTrace.get(t.trace_id) || []);
      return cache = {version: model.version, graph: g, byTrace, summaries};
    };
    return {
      kind: "local",
      model,
      async traces(f) {
        const {summaries, byTrace} = index();
        const q = (f.q || "").toLowerCase();
        let attrKey = null, attrValue = null;
        if (f.attr && f.attr.indexOf("=") > 0) {
          attrKey = f.attr.slice(0, f.attr.indexOf("="));
          attrValue = f.attr.slice(f.attr.indexOf("=") + 1);
        }
        const traces = summaries.filter((t) => {
          if (q && ![t.root_name, t.trace_id, t.service].some((v) => v && v.toLowerCase().indexOf(q) >= 0)
            && !(byTrace.get(t.trace_id) || []).some((n) => n.name.toLowerCase().indexOf(q) >= 0)) return false;
          if (f.service && t.service !== f.service) return false;
          if (f.errors && t.error_count === 0) return false;
          if (f.min_duration_ms !== "" && f.min_duration_ms !== undefined && !(t.duration_ms >= Number(f.min_duration_ms))) return false;
          if (f.max_duration_ms !== "" && f.max_duration_ms !== undefined && !(t.duration_ms <= Number(f.max_duration_ms))) return false;
          if (f.eval && !evalMatches(t, f.eval)) return false;
          if (attrKey !== null && !(byTrace.get(t.trace_id) || []).some((n) => n.attributes[attrKey] !== undefined
            && asText(n.attributes[attrKey]) === attrValue)) return false;
          return true;
        });
        return {traces, next_cursor: null};
      },
      async trace(id) {
        return model;
      },
      async search(q) {
        const needle = q.toLowerCase();
        const hits = [];
        const {graph} = index();
        for (const n of graph.nodes) {
          for (const [field, value] of [["name", n.name], ["input", n.input], ["output", n.output],
            ["attributes", n.attributes], ["error", n.error]]) {
            const parts = snippet(asText(value), needle);
            if (parts) {
              hits.push({trace_id: n.trace_id, span_id: n.span_id, name: n.name, field, snippet: parts});
              break;
            }
          }
          if (hits.length >= MAX_HITS) return {hits};
        }
        for (const l of graph.logs) {
          const parts = snippet(asText(l.event), needle);
          if (parts && l.trace_id) {
            const owner = l.span_id ? graph.byId.get(l.span_id) : null;
            hits.push({trace_id: l.trace_id, span_id: l.span_id, name: owner ? owner.name : "log", field: "log", snippet: parts});
            if (hits.length >= MAX_HITS) break;
          }
        }
        return {hits};
      },
    };
  }

  /** The collector's JSON API, relative to the page; token as a bearer header (and query parameter for streams). */
  function server(token) {
    const get = async (path) => {
      // the first page of the trace the page was opened on, asked for by index.html while the scripts loaded
      const early = window.aitraceEarly;
      if (early && early.path === path) window.aitraceEarly = null;
      let response = early && early.path === path ? await early.answer.catch(() => null) : null;
      if (!response || response.status === 401) { // the token came in the address: index.html did not have it
        response = await fetch(path, {headers: token ? {Authorization: "Bearer " + token} : {}});
      }
      if (!response.ok) {
        const text = await response.text();
        throw new Error("GET " + path.split("?")[0] + ": " + response.status + " " + text.slice(0, 200));
      }
      return response.json();
    };
    return {
      kind: "server",
      async traces(f, cursor) {
        const p = new URLSearchParams();
        p.set("limit", "100");
        if (cursor) p.set("cursor", cursor);
        if (f.q) p.set("q", f.q);
        if (f.service) p.set("service", f.service);
        if (f.errors) p.set("status", "error");
        if (f.min_duration_ms) p.set("min_duration_ms", f.min_duration_ms);
        if (f.max_duration_ms) p.set("max_duration_ms", f.max_duration_ms);
        if (f.attr) p.set("attr", f.attr);
        if (f.eval) p.set("eval", f.eval);
        return get("api/traces?" + p);
      },
      async trace(id) {
        const body = await get("api/trace/" + encodeURIComponent(id));
        return R.fromRecords((body.spans || []).concat(body.logs || [], body.evaluations || []));
      },
      async search(q) {
        return get("api/search?q=" + encodeURIComponent(q));
      },
      // the paged trace API, for traces too big to download whole (lazy.js)
      async page(id, limit, cursor) {
        return get("api/trace/" + encodeURIComponent(id) + "?limit=" + limit + (cursor ? "&cursor=" + encodeURIComponent(cursor) : ""));
      },
      async children(id, spanId, offset, limit) {
        return get("api/trace/" + encodeURIComponent(id) + "/children/" + encodeURIComponent(spanId) + "?offset=" + offset + "&limit=" + limit);
      },
      async path(id, spanId) {
        return get("api/trace/" + encodeURIComponent(id) + "/path/" + encodeURIComponent(spanId));
      },
      async find(id, q, limit) {
        return get("api/trace/" + encodeURIComponent(id) + "/search?q=" + encodeURIComponent(q) + "&limit=" + limit);
      },
      async totals(id) {
        return get("api/trace/" + encodeURIComponent(id) + "/totals");
      },
      async criticalPath(id, offset, limit) {
        return get("api/trace/" + encodeURIComponent(id) + "/critical-path?offset=" + offset + "&limit=" + limit);
      },
      async onCriticalPath(id, spanIds) {
        return get("api/trace/" + encodeURIComponent(id) + "/critical-path?of=" + spanIds.map(encodeURIComponent).join(","));
      },
      async logs(id, spanId, limit, cursor) {
        return get("api/trace/" + encodeURIComponent(id) + "/logs?span_id=" + encodeURIComponent(spanId) + "&limit=" + limit
          + (cursor ? "&cursor=" + encodeURIComponent(cursor) : ""));
      },
      async bins(id, count) {
        return get("api/trace/" + encodeURIComponent(id) + "/timeline?bins=" + count);
      },
      async prices() {
        return get("api/prices");
      },
      stream(traceId) {
        const p = new URLSearchParams();
        if (traceId) p.set("trace", traceId);
        if (token) p.set("access_token", token);
        const query = p.toString();
        return new EventSource("api/stream" + (query ? "?" + query : ""));
      },
    };
  }

  return {local, server, snippet};
})();
