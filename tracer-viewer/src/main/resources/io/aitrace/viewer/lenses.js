// Lenses: special views of spans, one row of this table each. A lens says which spans it applies to and draws
// them with the viewer's kit (ui.el makes an element with text, ui.value draws any value as a chip or a JSON tree).
// To add one, append {name, applies(span), render(span, ui)}; every lens that applies is drawn above the fields.
"use strict";
const AitraceLenses = (() => {
  const attr = (span, key) => span.attributes[key];
  /** A value that may have been recorded as JSON text. */
  const parsed = (v) => {
    if (typeof v !== "string") return v;
    try { return JSON.parse(v); } catch (e) { return v; }
  };
  const firstOf = (...values) => values.find((v) => v !== undefined && v !== null);
  const field = (value, key) => (value && typeof value === "object" && !Array.isArray(value) ? value[key] : undefined);

  const json = (v) => (typeof v === "string" ? v : JSON.stringify(v));

  /** One typed part as text: text and reasoning as they are, tool calls and their answers in a line each. */
  function partText(p) {
    if (!p || typeof p !== "object") return json(p);
    if (p.type === "tool_call") return "→ " + p.name + "(" + json(p.arguments === undefined ? "" : p.arguments) + ")" + (p.id ? "  [" + p.id + "]" : "");
    if (p.type === "tool_call_response") return "← " + json(p.response) + (p.id ? "  [" + p.id + "]" : "");
    if (p.type === "reasoning") return "(thinking) " + json(p.content);
    return "content" in p ? json(p.content) : json(p);
  }

  /** Messages in the OpenTelemetry shape ({role, parts:[{type, content}]}) or the chat shape ({role, content}). */
  function messages(value, defaultRole) {
    value = parsed(value);
    if (value === undefined || value === null) return [];
    if (!Array.isArray(value)) value = [value];
    return value.map((m) => {
      if (m === null || typeof m !== "object") return {role: defaultRole, content: m};
      const role = m.role || defaultRole;
      if (Array.isArray(m.parts)) return {role, content: m.parts.map(partText).join("\n")};
      if ("content" in m) return {role, content: m.content};
      return {role, content: m};
    });
  }

  function conversation(ui, list) {
    const box = ui.el("div", "conversation");
    for (const m of list) {
      const bubble = ui.el("div", "msg msg-" + String(m.role).replace(/[^a-z_]/gi, ""));
      bubble.append(ui.el("div", "msg-role", String(m.role)));
      if (typeof m.content === "string") bubble.append(ui.el("div", "msg-text", m.content));
      else bubble.append(ui.value(m.content));
      box.append(bubble);
    }
    return box;
  }

  function facts(ui, pairs) {
    const row = ui.el("div", "chips");
    for (const [label, value] of pairs) if (value !== undefined && value !== null) row.append(ui.chip(label, value));
    return row;
  }

  return [
    {
      name: "LLM call",
      applies: (s) => s.type === "llm" || attr(s, "gen_ai.input.messages") !== undefined || attr(s, "gen_ai.request.model") !== undefined,
      render(s, ui) {
        const box = ui.el("div", "lens lens-llm");
        box.append(facts(ui, [
          ["model", attr(s, "gen_ai.request.model")],
          ["response model", attr(s, "gen_ai.response.model") !== attr(s, "gen_ai.request.model") ? attr(s, "gen_ai.response.model") : undefined],
          ["input tokens", attr(s, "gen_ai.usage.input_tokens")],
          ["output tokens", attr(s, "gen_ai.usage.output_tokens")],
        ]));
        const prompt = messages(firstOf(attr(s, "gen_ai.input.messages"), field(s.input, "gen_ai.input.messages"),
          field(s.input, "messages"), s.input), "user");
        const completion = messages(firstOf(attr(s, "gen_ai.output.messages"), field(s.output, "gen_ai.output.messages"),
          field(s.output, "messages"), s.output), "assistant");
        box.append(conversation(ui, prompt.concat(completion)));
        return box;
      },
    },
    {
      name: "Tool call",
      applies: (s) => s.type === "tool" || attr(s, "gen_ai.tool.name") !== undefined,
      render(s, ui) {
        const box = ui.el("div", "lens lens-tool");
        box.append(facts(ui, [["tool", firstOf(attr(s, "gen_ai.tool.name"), s.name)], ["call id", attr(s, "gen_ai.tool.call.id")]]));
        const args = firstOf(parsed(attr(s, "gen_ai.tool.call.arguments")), s.input);
        const result = firstOf(parsed(attr(s, "gen_ai.tool.call.result")), s.output);
        box.append(ui.el("div", "label", "arguments"), ui.value(args === undefined ? null : args, "arguments"));
        box.append(ui.el("div", "label", "result"), ui.value(result === undefined ? null : result, "result"));
        return box;
      },
    },
  ];
})();
