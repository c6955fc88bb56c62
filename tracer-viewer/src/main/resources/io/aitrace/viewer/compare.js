// Two traces side by side, aligned as the CLI's `aitrace diff` aligns them: spans are paired by their path (names
// and types from the root down, repeated siblings told apart by order). Rows only one trace has are marked
// added or removed; paired rows are marked when their status, duration (beyond 20% and 1 ms), input or output
// changed.
"use strict";
const AitraceCompare = (() => {
  const {el, icon, duration} = AitraceUi;
  const MAX_ROWS = 5000;

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
    if (!same(a.input, b.input)) out.push({kind: "input", text: "input changed"});
    if (!same(a.output, b.output)) out.push({kind: "output", text: "output changed"});
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
    rows.forEach((row, i) => {
      const diffs = differences(row);
      for (const d of diffs) counts[d.kind] = (counts[d.kind] || 0) + 1;
      if (i >= MAX_ROWS) return;
      const line = el("div", "cmp-row " + diffs.map((d) => "cmp-" + d.kind).join(" "));
      const mid = el("div", "cmp-diff");
      for (const d of diffs) mid.append(el("span", "diff-badge diff-" + d.kind, d.text));
      line.append(cell(row.a, row.depth), mid, cell(row.b, row.depth));
      table.append(line);
    });
    const verdict = Object.keys(counts).length === 0
      ? "Same: " + rows.length + " spans aligned, no differences (durations within 20%)."
      : "Different: " + Object.entries(counts).map(([k, n]) => n + " " + k + (k === "added" || k === "removed" ? "" : n === 1 ? " change" : " changes")).join(", ") + ".";
    host.append(el("p", "cmp-verdict", verdict));
    if (rows.length > MAX_ROWS) host.append(el("p", "note", "showing the first " + MAX_ROWS + " of " + rows.length + " rows"));
    host.append(table);
    return counts;
  }

  return {align, differences, render, same};
})();
