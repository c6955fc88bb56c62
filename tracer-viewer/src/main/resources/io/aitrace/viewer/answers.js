// Tokens, cost, evaluations, the critical path and conversations in the viewer. The cost is a port of tracer-core's
// PriceTable (io.aitrace.core.cost): the same price table, the same rules, checked against the same fixture of
// hand-computed costs. Unknown models give tokens and "no price", never a made-up number.
"use strict";
const AitraceAnswers = (() => {
  const {el} = AitraceUi;
  const IN = "gen_ai.usage.input_tokens", OUT = "gen_ai.usage.output_tokens";
  const CACHE_READ = "gen_ai.usage.cache_read.input_tokens", CACHE_WRITE = "gen_ai.usage.cache_creation.input_tokens";
  const REASONING = "gen_ai.usage.reasoning.output_tokens";
  let layers = [];

  /** Uses a price table: the bundled file's shape ({models}) or /api/prices' ({layers: [{models}]}). */
  function setPrices(json) {
    const given = json && Array.isArray(json.layers) ? json.layers : json ? [json] : [];
    layers = given.map((layer) => Object.keys(layer.models || {}).map((pattern) => {
      const p = layer.models[pattern];
      const glob = pattern.toLowerCase().replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*");
      return {pattern, regex: new RegExp("^" + glob + "$"), specificity: pattern.replace(/\*/g, "").length,
        input: p.input, output: p.output, cached_input: p.cached_input, cache_write: p.cache_write, reasoning: p.reasoning};
    }));
  }

  /** The price of a model: the most specific pattern of the first table that has one; a provider/ prefix is ignored. */
  function priceOf(model) {
    if (model === null || model === undefined || !String(model).trim()) return null;
    let name = String(model).trim().toLowerCase();
    name = name.slice(name.lastIndexOf("/") + 1);
    for (const layer of layers) {
      let best = null;
      for (const p of layer) if (p.regex.test(name) && (!best || p.specificity > best.specificity)) best = p;
      if (best) return best;
    }
    return null;
  }

  function modelOf(n) {
    const a = n.attributes || {};
    const r = a["gen_ai.response.model"];
    if (r !== undefined && r !== null && String(r).trim()) return String(r);
    const q = a["gen_ai.request.model"];
    return q !== undefined && q !== null && String(q).trim() ? String(q) : null;
  }

  /** A whole-number attribute as a count, as Node.count reads it. */
  function count(n, key) {
    const v = (n.attributes || {})[key];
    if (typeof v === "number") return Math.trunc(v);
    if (typeof v === "string" && /^\s*-?\d+\s*$/.test(v)) return Number(v.trim());
    return 0;
  }

  const NONE = Object.freeze({usd: 0, priced: 0, unpriced: 0, models: []});

  /** The cost of one span: {usd, priced, unpriced, models (without a price)}. */
  function cost(n) {
    const input = count(n, IN), output = count(n, OUT), read = count(n, CACHE_READ), write = count(n, CACHE_WRITE);
    const reasoning = count(n, REASONING);
    if (input + output + read + write + reasoning <= 0) return NONE;
    const model = modelOf(n);
    const p = priceOf(model);
    if (!p) return {usd: 0, priced: 0, unpriced: 1, models: [model === null ? "(no model)" : model]};
    const or = (v, fallback) => (v === undefined || v === null ? fallback : v);
    const uncached = input >= read + write ? input - read - write : input;
    const visible = output >= reasoning ? output - reasoning : output;
    const perMillion = uncached * p.input + read * or(p.cached_input, p.input) + write * or(p.cache_write, p.input)
      + visible * p.output + reasoning * or(p.reasoning, p.output);
    return {usd: perMillion / 1e6, priced: 1, unpriced: 0, models: []};
  }

  function plus(a, b) {
    if (!b.priced && !b.unpriced) return a;
    if (!a.priced && !a.unpriced) return b;
    const models = Array.from(new Set(a.models.concat(b.models))).sort();
    return {usd: a.usd + b.usd, priced: a.priced + b.priced, unpriced: a.unpriced + b.unpriced, models};
  }

  function subtreeCost(n) {
    let total = NONE;
    const stack = [n];
    while (stack.length) {
      const m = stack.pop();
      total = plus(total, cost(m));
      for (const c of m.children) stack.push(c);
    }
    return total;
  }

  function traceCost(graph) {
    let total = NONE;
    for (const n of graph.nodes) total = plus(total, cost(n));
    return total;
  }

  function dollars(usd) {
    const size = Math.abs(usd);
    if (size === 0) return "$0";
    const sign = usd < 0 ? "-" : "";
    if (size < 0.0001) return sign + "<$0.0001";
    if (size < 1) return sign + "$" + size.toFixed(4);
    return sign + "$" + size.toLocaleString("en-US", {minimumFractionDigits: 2, maximumFractionDigits: 2});
  }

  /** "$0.0123", "no price", "$0.0123+" (some spans had no price), "" (no tokens): as Cost.format in Java. */
  function format(c) {
    if (!c.priced && !c.unpriced) return "";
    if (!c.priced) return "no price";
    return dollars(c.usd) + (c.unpriced ? "+" : "");
  }

  function tokens(k) {
    const trim = (s) => (s.endsWith(".0") ? s.slice(0, -2) : s);
    if (k < 1000) return String(k);
    if (k < 100000) return trim((k / 1000).toFixed(1)) + "k";
    if (k < 1000000) return Math.round(k / 1000) + "k";
    return trim((k / 1e6).toFixed(1)) + "M";
  }

  /** Tokens of a span and the (loaded) spans below it; spans: how many that is, the span included. */
  function subtreeTokens(n) {
    let input = 0, output = 0, spans = 0;
    const stack = [n];
    while (stack.length) {
      const m = stack.pop();
      input += count(m, IN);
      output += count(m, OUT);
      spans++;
      for (const c of m.children) stack.push(c);
    }
    return {input, output, spans};
  }

  /** The usage cell of a tree row: the span's own call, or Σ its subtree when spans below it used tokens. */
  function usageCell(n) {
    const t = subtreeTokens(n);
    const cell = el("span", "usage");
    if (t.input + t.output === 0) return cell;
    const own = t.input === count(n, IN) && t.output === count(n, OUT);
    const c = own ? cost(n) : subtreeCost(n);
    // a span of a trace opened page by page whose spans below are not all loaded: the sum is a lower bound
    const partial = !own && n.descendantCount !== undefined && t.spans - 1 < n.descendantCount;
    cell.append(el("span", "tok", (own ? "" : partial ? "Σ≥ " : "Σ ") + tokens(t.input) + "→" + tokens(t.output)));
    const money = format(c);
    if (money) {
      const m = el("span", "cost" + (c.priced ? "" : " no-price"), money);
      if (c.unpriced) m.title = "no price for " + c.models.join(", ");
      cell.append(document.createTextNode(" "), m);
    }
    cell.title = (own ? "" : partial ? "this span and the " + (t.spans - 1) + " of the " + n.descendantCount
      + " spans below it that are loaded: " : "this span and the spans below it: ") + t.input + " input / " + t.output + " output tokens"
      + (cell.title ? "; " + cell.title : "");
    return cell;
  }

  /** The spans the trace's end waited on (as TraceSummary.criticalPath in the CLI). */
  function criticalPath(graph) {
    const path = new Set();
    const ended = graph.roots.filter((r) => r.end !== null);
    if (!ended.length) return path;
    const root = ended.reduce((a, b) => (b.end > a.end ? b : a));
    const walk = (n, until) => {
      path.add(n);
      let cursor = Math.min(n.end, until);
      for (;;) {
        let next = null, nextEnd = null;
        for (const c of n.children) {
          if (c.end !== null && c.start !== null && c.start < cursor) {
            const end = Math.min(c.end, cursor);
            if (next === null || end > nextEnd) {
              next = c;
              nextEnd = end;
            }
          }
        }
        if (next === null) return;
        walk(next, nextEnd);
        cursor = next.start;
      }
    };
    walk(root, root.end);
    return path;
  }

  function scoreText(e) {
    return (e.score === null || e.score === undefined ? "" : String(Math.round(e.score * 1000) / 1000))
      + (e.label ? (e.score === null || e.score === undefined ? "" : " ") + e.label : "");
  }

  const failing = (e) => (typeof e.score === "number" && e.score < 0.5) || /^(fail|failed|bad|no|false|toxic|incorrect)$/i.test(e.label || "");

  /** Evaluation chips: name and result, red when it failed (a score below 0.5 or a failing label). */
  function chips(evaluations) {
    const box = el("span", "eval-chips");
    for (const e of evaluations || []) {
      const chip = el("span", "eval-chip" + (failing(e) ? " eval-fail" : ""), e.name + " " + scoreText(e));
      chip.title = e.name + ": " + scoreText(e) + (e.explanation ? " — " + e.explanation : "");
      box.append(chip);
    }
    return box;
  }

  /** Adds the usage cell, the evaluation chips and the critical path mark to a span row of the tree. */
  function decorateRow(row, n, critical) {
    if (critical && critical.has(n) && n.parent) {
      row.classList.add("critical");
      const mark = el("span", "critical-mark", "◆");
      mark.title = "on the critical path: the trace's end waited on this span";
      row.insertBefore(mark, row.querySelector(".name").nextSibling);
    }
    if (n.evaluations && n.evaluations.length) row.insertBefore(chips(n.evaluations), row.querySelector(".right"));
    row.insertBefore(usageCell(n), row.querySelector(".right"));
  }

  /** A stack trace one frame per line, wrapped: Java's text, Python's, or a list of frames. */
  function stack(text) {
    const box = el("div", "stack");
    let lines = Array.isArray(text) ? text.map(String) : String(text).replace(/\r\n/g, "\n").split("\n");
    if (lines.length === 1) lines = lines[0].split(/(?=\s+at [\w$.<>/]+\()/); // a stack flattened onto one line
    for (const line of lines) if (line.trim()) box.append(el("div", "frame", line.trim()));
    return box;
  }

  /** What a trace was asked: its root's input, else the last user message of its first model call. */
  function inputSummary(root) {
    const textOf = (v) => {
      if (typeof v === "string") return v;
      if (v && typeof v === "object" && !Array.isArray(v)) {
        const keys = Object.keys(v);
        if (keys.length === 1 && typeof v[keys[0]] === "string") return v[keys[0]];
      }
      return JSON.stringify(v);
    };
    if (root.input !== undefined && root.input !== null) return textOf(root.input);
    const stack = [root];
    while (stack.length) {
      const n = stack.shift();
      const asked = lastText(n.attributes["gen_ai.input.messages"], "user");
      if (asked) return asked;
      stack.unshift(...n.children);
    }
    return null;
  }

  function outputSummary(root) {
    if (root.output !== undefined && root.output !== null) {
      const v = root.output;
      const keys = v && typeof v === "object" && !Array.isArray(v) ? Object.keys(v) : [];
      return typeof v === "string" ? v : keys.length === 1 && typeof v[keys[0]] === "string" ? v[keys[0]] : JSON.stringify(v);
    }
    return null;
  }

  function lastText(messages, role) {
    if (!Array.isArray(messages)) return null;
    for (let i = messages.length - 1; i >= 0; i--) {
      const m = messages[i];
      if (!m || m.role !== role) continue;
      const text = Array.isArray(m.parts) ? m.parts.filter((p) => p && p.type === "text" && p.content !== undefined)
        .map((p) => p.content).join(" ") : typeof m.content === "string" ? m.content : "";
      if (text) return text;
    }
    return null;
  }

  /**
   * The conversation page: the traces sharing gen_ai.conversation.id, one turn each in start order, with what was
   * asked and answered, tokens, cost, errors and evaluations.
   */
  function conversation(host, conversationId, graphs, onOpen) {
    host.textContent = "";
    const turns = graphs.filter((g) => g.roots.length).sort((a, b) => (a.roots[0].start || 0) - (b.roots[0].start || 0));
    let total = NONE, input = 0, output = 0;
    for (const g of turns) {
      total = plus(total, traceCost(g));
      for (const r of g.roots) {
        const t = subtreeTokens(r);
        input += t.input;
        output += t.output;
      }
    }
    host.append(el("p", "note conversation-meta", turns.length + (turns.length === 1 ? " turn" : " turns") + " · "
      + tokens(input) + " in / " + tokens(output) + " out tokens" + (format(total) ? " · " + format(total) : "")));
    turns.forEach((g, i) => {
      const root = g.roots[0];
      const turn = el("section", "turn");
      turn.dataset.traceId = root.trace_id;
      const errors = g.nodes.filter((n) => n.status === "error");
      const head = el("div", "turn-head");
      const t = subtreeTokens(root);
      head.append(el("span", "turn-number", "Turn " + (i + 1)), el("span", "name", root.name),
        el("span", "mark", root.end === null ? "…" : errors.length ? "✗" : "✓"),
        el("span", "note", AitraceUi.time(root.start, null, false)),
        el("span", "note", t.input + t.output ? tokens(t.input) + "→" + tokens(t.output) + " tok " + format(traceCost(g)) : ""));
      const open = el("button", "small", "open trace");
      open.type = "button";
      open.addEventListener("click", () => onOpen(root.trace_id));
      head.append(open);
      turn.append(head);
      const asked = inputSummary(root);
      if (asked) turn.append(message("user", asked));
      const answered = outputSummary(root) || lastAnswer(g);
      if (answered) turn.append(message("assistant", answered));
      for (const n of errors) {
        turn.append(el("div", "turn-error", n.name + ": " + ((n.error && ((n.error.type ? n.error.type + ": " : "") + (n.error.message || ""))) || "failed")));
      }
      const evaluations = [];
      for (const n of g.nodes) for (const e of n.evaluations || []) evaluations.push(e);
      if (evaluations.length) turn.append(chips(evaluations));
      host.append(turn);
    });
  }

  function lastAnswer(g) {
    for (let i = g.nodes.length - 1; i >= 0; i--) {
      const text = lastText(g.nodes[i].attributes["gen_ai.output.messages"], "assistant");
      if (text) return text;
    }
    return null;
  }

  function message(role, text) {
    const m = el("div", "msg msg-" + role);
    m.append(el("span", "msg-role", role), el("span", "msg-text", text));
    return m;
  }

  return {setPrices, priceOf, cost, subtreeCost, traceCost, format, dollars, tokens, usageCell, criticalPath,
    chips, decorateRow, stack, inputSummary, conversation, modelOf, count};
})();
