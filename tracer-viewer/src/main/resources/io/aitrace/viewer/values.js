// Drawing values safely: every trace value becomes text (textContent), never markup. Simple values become chips,
// complex ones expandable JSON trees (open to depth 2) with copy and download.
"use strict";
const AitraceUi = (() => {
  const OPEN_DEPTH = 2;

  function el(tag, cls, text) {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }

  function button(label, title, onClick) {
    const b = el("button", "small", label);
    b.type = "button";
    if (title) b.title = title;
    b.addEventListener("click", (e) => {
      e.stopPropagation();
      onClick(e);
    });
    return b;
  }

  const isSimple = (v) => v === null || typeof v === "number" || typeof v === "boolean"
    || (typeof v === "string" && v.length <= 80 && v.indexOf("\n") < 0);

  const shown = (v) => (typeof v === "string" ? v : JSON.stringify(v));

  function chip(label, v) {
    const c = el("span", "chip");
    if (label !== null && label !== undefined) c.append(el("span", "chip-key", label));
    c.append(el("span", "chip-val v-" + (v === null ? "null" : typeof v), shown(v)));
    return c;
  }

  function copy(text) {
    if (navigator.clipboard && window.isSecureContext) return navigator.clipboard.writeText(text).catch(() => copyByHand(text));
    copyByHand(text);
    return Promise.resolve();
  }

  function copyByHand(text) {
    const area = el("textarea");
    area.value = text;
    document.body.append(area);
    area.select();
    try { document.execCommand("copy"); } catch (e) { /* nothing more to try */ }
    area.remove();
  }

  function download(text, name, type) {
    const url = URL.createObjectURL(new Blob([text], {type: type || "application/json"}));
    const a = el("a");
    a.setAttribute("href", url);
    a.download = name;
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
  }

  /** A JSON tree: objects and arrays open to depth 2, deeper ones drawn when opened. */
  function tree(v, depth) {
    if (v === null || typeof v !== "object") return el("span", "jv v-" + (v === null ? "null" : typeof v), JSON.stringify(v));
    const isArray = Array.isArray(v);
    const keys = Object.keys(v);
    const box = el("span", "jt");
    const toggle = el("span", "jt-toggle");
    const summary = el("span", "jt-sum", (isArray ? "[" : "{") + keys.length + (keys.length === 1 ? " item" : " items") + (isArray ? "]" : "}"));
    const body = el("div", "jt-body");
    let drawn = false;
    const draw = () => {
      drawn = true;
      for (const k of keys) {
        const row = el("div", "jt-row");
        row.append(el("span", "jt-key", isArray ? k : JSON.stringify(k)), el("span", "jt-colon", ": "), tree(v[k], depth + 1));
        body.append(row);
      }
    };
    const set = (open) => {
      if (open && !drawn) draw();
      box.classList.toggle("open", open);
      toggle.textContent = open ? "▾" : "▸";
    };
    toggle.addEventListener("click", () => set(!box.classList.contains("open")));
    summary.addEventListener("click", () => set(!box.classList.contains("open")));
    box.append(toggle, summary, body);
    set(depth < OPEN_DEPTH && keys.length > 0);
    return box;
  }

  /** Any value: a chip when simple, else a JSON tree (or a text block for long text) with copy and download. */
  function value(v, name) {
    if (v === undefined) v = null;
    if (isSimple(v)) return chip(null, v);
    const block = el("div", "json");
    const text = typeof v === "string" ? v : JSON.stringify(v, null, 2);
    const bar = el("div", "json-bar");
    bar.append(button("copy", "copy to the clipboard", () => copy(text)),
      button("download", "download as a file", () => download(text, (name || "value") + (typeof v === "string" ? ".txt" : ".json"))));
    block.append(bar, typeof v === "string" ? el("pre", "text", v) : tree(v, 0));
    return block;
  }

  /** An object's fields: the simple ones as a row of chips, the complex ones each as a tree. */
  function fields(title, v) {
    const section = el("section", "fields");
    section.append(el("h4", null, title));
    if (v && typeof v === "object" && !Array.isArray(v)) {
      const chips = el("div", "chips");
      const blocks = [];
      for (const k of Object.keys(v)) {
        if (isSimple(v[k])) chips.append(chip(k, v[k]));
        else {
          const b = el("div", "field");
          b.append(el("div", "label", k), value(v[k], k));
          blocks.push(b);
        }
      }
      if (chips.childNodes.length) section.append(chips);
      section.append(...blocks);
    } else {
      section.append(value(v, title));
    }
    return section;
  }

  function duration(ms) {
    if (ms === null || ms === undefined || !isFinite(ms)) return "";
    if (ms < 10) return ms.toFixed(1) + " ms";
    if (ms < 1000) return Math.round(ms) + " ms";
    if (ms < 60000) return (ms / 1000).toFixed(2) + " s";
    return Math.floor(ms / 60000) + " min " + Math.round((ms % 60000) / 1000) + " s";
  }

  /** Absolute UTC time with microseconds, or "+1.234 s" from the trace start. */
  function time(t, base, relative) {
    if (t === null || t === undefined) return "";
    if (relative && base !== null && base !== undefined) {
      const d = t - base;
      return (d < 0 ? "−" : "+") + (Math.abs(d) < 1000 ? Math.abs(d).toFixed(1) + " ms" : (Math.abs(d) / 1000).toFixed(3) + " s");
    }
    const iso = new Date(Math.floor(t)).toISOString();
    const micros = Math.round((t - Math.floor(t)) * 1000);
    return iso.slice(0, 23) + String(micros).padStart(3, "0") + "Z";
  }

  const BUILT_IN = ["agent", "llm", "tool", "retrieval", "embedding", "decision", "guardrail", "step"];
  /** A type badge: the type's first letter on its colour (plain text: no icon font needed offline). */
  function icon(type) {
    const badge = el("span", "type-badge type-" + (BUILT_IN.includes(type) ? type : "custom"), (type || "?").charAt(0).toUpperCase());
    badge.title = type;
    return badge;
  }

  return {el, button, chip, value, fields, tree, copy, download, duration, time, icon, isSimple};
})();
