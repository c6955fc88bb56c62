// Two traces side by side, aligned as the CLI's `aitrace diff` aligns them: spans are paired by their path (names
// and types from the root down, repeated siblings told apart by order). Rows only one trace has are marked
// added or removed; paired rows are marked when their status, duration (beyond 20% and 1 ms), model, tokens, cost,
// prompt (gen_ai.input.messages), input or output changed; a changed text opens as a line diff. The verdict names
// the steps whose cost or tokens changed most.
"use strict";
const AitraceCompare = (() => {
  const {el, icon, duration} = AitraceUi;
  const A = AitraceAnswers;
  const MAX_ROWS = 5000;
  const MAX_DIFF_LINES = 400;

  /** Keys of one level of siblings (in start order): type, name and occurrence. */
  function segments(siblings) {
    const seen = new Map();
    return siblings.map((n) => {
      const k = n.type + "\u0000" + n.name;
      const occurrence = (seen.get(k) || 0) + 1;
      seen.set(k, occurrence);
      return k + "\u0000" + occurrence;
    });
  }

  /** The merged tree in pre-order: {a, b, depth}, a or b null where only one trace has the span. */
  function align(ga, gb) {
    const rows = [];
    const siblings = (as, bs, depth) => {
      const aKeys = segments(as), bKeys = segments(bs);
      const bIndex = new Map(bKeys.map((k, j) => [k, j]));
      const inA = new Set(aKeys);
      const bUsed = new Array(bs.length).fill(false);
      let bNext = 0;
      for (let i = 0; i < as.length; i++) {
        const j = bIndex.get(aKeys[i]);
        if (j !== undefined) {
          for (; bNext < j; bNext++) {
            if (!bUsed[bNext] && !inA.has(bKeys[bNext])) {
              bUsed[bNext] = true;
              subtree(null, bs[bNext], depth);
            }
          }
          bUsed[j] = true;
          subtree(as[i], bs[j], depth);
        } else {
          subtree(as[i], null, depth);
        }
      }
      for (let j = 0; j < bs.length; j++) if (!bUsed[j] && !inA.has(bKeys[j])) subtree(null, bs[j], depth);
    };
    const subtree = (a, b, depth) => {
      rows.push({a, b, depth});
      if (a && b) siblings(a.children, b.children, depth + 1);
      else for (const c of (a || b).children) subtree(a ? c : null, b ? c : null, depth + 1);
    };
    siblings(ga.roots, gb.roots, 0);
    return rows;
  }

  /** Equal values, numbers by value (1 equals 1.0), as the CLI's ValueDiff compares them. */
  function same(x, y) {
    if (x === y) return true;
    if (x === undefined || y === undefined) return (x === undefined ? null : x) === (y === undefined ? null : y);
    if (typeof x !== "object" || typeof y !== "object" || x === null || y === null) return false;
    if (Array.isArray(x) !== Array.isArray(y)) return false;
    const kx = Object.keys(x), ky = Object.keys(y);
    return kx.length === ky.length && kx.every((k) => Object.prototype.hasOwnProperty.call(y, k) && same(x[k], y[k]));
  }

  function percent(a, b) {
    return a > 0 ? " (" + (b >= a ? "+" : "") + Math.round((b - a) / a * 100) + "%)" : "";
  }

  /** A span's own tokens, input and output. */
  function ownTokens(n) {
    return {input: A.count(n, "gen_ai.usage.input_tokens"), output: A.count(n, "gen_ai.usage.output_tokens")};
  }

  /** The prompt as lines of text: "role: content" per message part. */
  function promptLines(messages) {
    if (!Array.isArray(messages)) return textLines(messages);
    const lines = [];
    for (const m of messages) {
      const parts = m && Array.isArray(m.parts) ? m.parts : [m];
      for (const p of parts) {
        const text = p && typeof p.content === "string" ? p.content : JSON.stringify(p && p.content !== undefined ? p.content : p);
        for (const line of String(text).split("\n")) lines.push((m && m.role ? m.role : "?") + ": " + line);
      }
    }
    return lines;
  }

  function textLines(v) {
    if (v === undefined || v === null) return [];
    return (typeof v === "string" ? v : JSON.stringify(v, null, 2)).split("\n");
  }

  /** A line diff (longest common subsequence): [{op: " ", "-" or "+", line}]. */
  function lineDiff(a, b) {
    a = a.slice(0, MAX_DIFF_LINES);
    b = b.slice(0, MAX_DIFF_LINES);
    const m = a.length, n = b.length;
    const lcs = Array.from({length: m + 1}, () => new Int32Array(n + 1));
    for (let i = m - 1; i >= 0; i--) {
      for (let j = n - 1; j >= 0; j--) lcs[i][j] = a[i] === b[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
    }
    const out = [];
    let i = 0, j = 0;
    while (i < m || j < n) {
      if (i < m && j < n && a[i] === b[j]) { out.push({op: " ", line: a[i]}); i++; j++; }
      else if (i < m && (j === n || lcs[i + 1][j] >= lcs[i][j + 1])) { out.push({op: "-", line: a[i]}); i++; }
      else { out.push({op: "+", line: b[j]}); j++; }
    }
    return out;
  }

  function changed(aMs, bMs) {
    const change = Math.abs(bMs - aMs);
    return change >= 1 && (aMs <= 0 || change / aMs > 0.2);
  }

  /** What differs in one row: a list of {kind, text}. */
  function differences(row) {
    if (!row.b) return [{kind: "removed", text: "only in A"}];
    if (!row.a) return [{kind: "added", text: "only in B"}];
    const {a, b} = row, out = [];
    if (a.status !== b.status) out.push({kind: "status", text: a.status + " → " + b.status});
    if (a.duration !== null && b.duration !== null && changed(a.duration, b.duration)) {
      const pct = a.duration > 0 ? " (" + (b.duration >= a.duration ? "+" : "") + Math.round((b.duration - a.duration) / a.duration * 100) + "%)" : "";
      out.push({kind: "duration", text: duration(a.duration) + " → " + duration(b.duration) + pct});
    }
    const ma = A.modelOf(a), mb = A.modelOf(b);
    if (ma !== mb) out.push({kind: "model", text: (ma || "no model") + " → " + (mb || "no model")});
    const ta = ownTokens(a), tb = ownTokens(b);
    const totalA = ta.input + ta.output, totalB = tb.input + tb.output;
    if (ta.input !== tb.input || ta.output !== tb.output) {
      out.push({kind: "tokens", text: "tokens " + A.tokens(totalA) + " → " + A.tokens(totalB) + percent(totalA, totalB),
        weight: Math.abs(totalB - totalA)});
    }
    const ca = A.cost(a), cb = A.cost(b);
    if (ca.priced && cb.priced && A.dollars(ca.usd) !== A.dollars(cb.usd)) {
      out.push({kind: "cost", text: A.dollars(ca.usd) + " → " + A.dollars(cb.usd) + percent(ca.usd, cb.usd),
        weight: Math.abs(cb.usd - ca.usd)});
    }
    const pa = (a.attributes || {})["gen_ai.input.messages"], pb = (b.attributes || {})["gen_ai.input.messages"];
    if (!same(pa, pb)) out.push({kind: "prompt", text: "prompt changed", lines: [promptLines(pa), promptLines(pb)]});
    if (!same(a.input, b.input)) out.push({kind: "input", text: "input changed", lines: [textLines(a.input), textLines(b.input)]});
    if (!same(a.output, b.output)) out.push({kind: "output", text: "output changed", lines: [textLines(a.output), textLines(b.output)]});
    return out;
  }

  function cell(n, depth) {
    const c = el("div", "cmp-cell");
    if (!n) return c;
    c.style.paddingLeft = 4 + depth * 14 + "px";
    const mark = n.end === null ? "…" : n.status === "error" ? "✗" : "✓";
    c.append(icon(n.type), el("span", "mark status-" + n.status.replace(/[^a-z]/g, ""), mark),
      el("span", "name", n.name), el("span", "dur", n.end === null ? "running" : duration(n.duration)));
    return c;
  }

  /** Draws the comparison of two graphs into host; returns the counts by kind. */
  function render(host, ga, gb, titleA, titleB) {
    const rows = align(ga, gb);
    const counts = {};
    const table = el("div", "cmp-table");
    const head = el("div", "cmp-row cmp-head");
    head.append(el("div", "cmp-cell", "A · " + titleA), el("div", "cmp-diff", "differences"), el("div", "cmp-cell", "B · " + titleB));
    table.append(head);
    const ranked = [];
    rows.forEach((row, i) => {
      const diffs = differences(row);
      for (const d of diffs) counts[d.kind] = (counts[d.kind] || 0) + 1;
      const usage = diffs.filter((d) => d.kind === "cost" || d.kind === "tokens");
      if (usage.length) ranked.push({name: row.a.name, diffs: usage});
      if (i >= MAX_ROWS) return;
      const line = el("div", "cmp-row " + diffs.map((d) => "cmp-" + d.kind).join(" "));
      const mid = el("div", "cmp-diff");
      const texts = el("div", "cmp-text-diffs");
      for (const d of diffs) {
        const badge = el("span", "diff-badge diff-" + d.kind, d.text);
        if (d.lines) {
          badge.classList.add("opens");
          badge.title = "show the changed lines";
          badge.addEventListener("click", () => {
            const open = texts.querySelector(".cmp-text[data-kind='" + d.kind + "']");
            if (open) { open.remove(); return; }
            const pre = el("pre", "cmp-text");
            pre.dataset.kind = d.kind;
            for (const l of lineDiff(d.lines[0], d.lines[1])) {
              pre.append(el("span", l.op === "-" ? "del" : l.op === "+" ? "ins" : "ctx", l.op + " " + l.line + "\n"));
            }
            texts.append(pre);
          });
        }
        mid.append(badge);
      }
      line.append(cell(row.a, row.depth), mid, cell(row.b, row.depth));
      table.append(line, texts);
    });
    const verdict = Object.keys(counts).length === 0
      ? "Same: " + rows.length + " spans aligned, no differences (durations within 20%)."
      : "Different: " + Object.entries(counts).map(([k, n]) => n + " " + k + (k === "added" || k === "removed" ? "" : n === 1 ? " change" : " changes")).join(", ") + ".";
    host.append(el("p", "cmp-verdict", verdict));
    // the biggest usage changes first: by the change in cost, then in tokens
    const weight = (r, kind) => (r.diffs.find((d) => d.kind === kind) || {weight: 0}).weight;
    ranked.sort((x, y) => weight(y, "cost") - weight(x, "cost") || weight(y, "tokens") - weight(x, "tokens"));
    if (ranked.length) {
      host.append(el("p", "cmp-biggest", "Biggest changes: " + ranked.slice(0, 3)
        .map((r) => r.name + " (" + r.diffs.map((d) => d.text).join(", ") + ")").join("; ")));
    }
    if (rows.length > MAX_ROWS) host.append(el("p", "note", "showing the first " + MAX_ROWS + " of " + rows.length + " rows"));
    host.append(table);
    return counts;
  }

  return {align, differences, render, same, lineDiff};
})();
