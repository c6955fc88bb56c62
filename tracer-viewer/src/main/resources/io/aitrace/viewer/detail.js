// The selected span (or log line) in full: status, error with its stack, the lenses that apply, annotations,
// input, output, attributes, edges as badges that jump to the span they point at.
"use strict";
const AitraceDetail = (() => {
  const ui = AitraceUi;
  const {el} = ui;

  function span(host, n, ctx) {
    host.textContent = "";
    const head = el("div", "detail-head");
    head.append(ui.icon(n.type), el("h3", "detail-name", n.name));
    host.append(head);
    const facts = el("div", "chips");
    facts.append(ui.chip("type", n.type), ui.chip("status", n.implicit ? "implicit" : n.status),
      ui.chip("duration", n.end === null ? "running" : ui.duration(n.duration)),
      ui.chip("start", ui.time(n.start, ctx.base, ctx.settings.relative)), ui.chip("span_id", n.span_id));
    if (n.thread) facts.append(ui.chip("thread", n.thread));
    if (n.span_kind) facts.append(ui.chip("kind", n.span_kind));
    host.append(facts);
    if (n.implicit) host.append(el("p", "note", "No span record was seen; this span stands for the one its log lines name."));
    if (n.error) {
      const box = el("div", "error-box");
      box.append(el("div", "error-title", (n.error.type || "error") + (n.error.message ? ": " + n.error.message : "")));
      if (n.error.stack) box.append(AitraceAnswers.stack(n.error.stack));
      host.append(box);
    }
    if (n.evaluations && n.evaluations.length) {
      const section = el("section", "fields evaluations");
      section.append(el("h4", null, "evaluations"));
      for (const e of n.evaluations) {
        const line = el("div", "evaluation");
        line.append(AitraceAnswers.chips([e]));
        if (e.explanation) line.append(el("span", "note", e.explanation));
        section.append(line);
      }
      host.append(section);
    }
    const usage = AitraceAnswers.usageCell(n);
    if (usage.childNodes.length) facts.append(ui.chip("tokens · cost", usage.textContent));
    const conversationId = n.attributes["gen_ai.conversation.id"];
    if (conversationId !== undefined && conversationId !== null && ctx.onConversation) {
      const link = el("button", "small conversation-link", "conversation " + conversationId);
      link.type = "button";
      link.addEventListener("click", () => ctx.onConversation(String(conversationId)));
      facts.append(link);
    }
    for (const lens of AitraceLenses) {
      let drawn = null;
      try {
        if (lens.applies(n)) drawn = lens.render(n, ui);
      } catch (e) {
        drawn = el("p", "note", "lens " + lens.name + " failed: " + e.message);
      }
      if (drawn) {
        const section = el("section", "fields");
        section.append(el("h4", null, lens.name), drawn);
        host.append(section);
      }
    }
    if (n.annotations.length) {
      const section = el("section", "fields");
      section.append(el("h4", null, "annotations"));
      for (const a of n.annotations) {
        const line = el("div", "annotation");
        line.append(el("span", "time", ui.time(a.ts, ctx.base, ctx.settings.relative)), el("span", "ann-text", a.text));
        section.append(line);
      }
      host.append(section);
    }
    if (n.input !== undefined && n.input !== null) host.append(ui.fields("input", n.input));
    if (n.output !== undefined && n.output !== null) host.append(ui.fields("output", n.output));
    if (Object.keys(n.attributes).length) host.append(ui.fields("attributes", n.attributes));
    if (n.edges.length) {
      const section = el("section", "fields");
      section.append(el("h4", null, "edges"));
      for (const e of n.edges) {
        const badge = el("button", "edge-badge", (e.type || "edge") + " → " + e.span_id);
        badge.type = "button";
        badge.addEventListener("click", () => ctx.onJump(e));
        section.append(badge);
      }
      host.append(section);
    }
    const pointing = ctx.pointingAt(n.span_id);
    if (pointing.length) {
      const section = el("section", "fields");
      section.append(el("h4", null, "pointed at by"));
      for (const [from, e] of pointing) {
        const badge = el("button", "edge-badge", from.name + " " + (e.type || "edge"));
        badge.type = "button";
        badge.addEventListener("click", () => ctx.onJump({trace_id: from.trace_id, span_id: from.span_id}));
        section.append(badge);
      }
      host.append(section);
    }
    if (Object.keys(n.resource).length) host.append(ui.fields("resource", n.resource));
    if (n.logs.length) host.append(el("p", "note", n.logs.length + (n.logs.length === 1 ? " log line" : " log lines") + " in the tree under this span"));
    if (n.logsCursor && ctx.moreLogs) {
      const more = el("button", "more-logs", "load more log lines");
      more.type = "button";
      more.addEventListener("click", () => ctx.moreLogs(n));
      host.append(more);
    }
  }

  function log(host, l, ctx) {
    host.textContent = "";
    host.append(el("h3", "detail-name", l.event === null ? "(no message)" : l.event));
    const facts = el("div", "chips");
    facts.append(ui.chip("level", l.level), ui.chip("time", ui.time(l.timestamp, ctx.base, ctx.settings.relative)));
    if (l.logger) facts.append(ui.chip("logger", l.logger));
    if (l.thread) facts.append(ui.chip("thread", l.thread));
    host.append(facts);
    if (l.exception) {
      const box = el("div", "error-box");
      box.append(el("div", "error-title", (l.exception.type || "exception") + (l.exception.message ? ": " + l.exception.message : "")));
      if (l.exception.stack) box.append(AitraceAnswers.stack(l.exception.stack));
      host.append(box);
    }
    if (Object.keys(l.attrs || {}).length) host.append(ui.fields("attributes", l.attrs));
  }

  return {span, log};
})();
