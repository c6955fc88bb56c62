// The timeline of a trace opened page by page (lazy.js): not a bar per span but the collector's timeline bins, one
// column per slice of the trace's time, as high as the number of spans running in it, red where spans that started
// in it failed. Clicking a column opens, in the tree, the first span that started in that slice.
"use strict";
const AitraceOverview = (() => {
  const BINS = 400;
  const {el, duration} = AitraceUi;

  function create(host, options) {
    const box = el("div", "overview");
    box.hidden = true;
    host.append(box);
    let shown = null;

    function draw(bins) {
      box.textContent = "";
      const count = bins.running.length;
      const max = Math.max(1, ...bins.running);
      const length = bins.bin_ms * count;
      box.append(el("p", "note", "Spans running over time, in " + count + " slices of " + duration(bins.bin_ms)
        + "; red: spans that started there and failed. Click a slice to open its first span in the tree."));
      const chart = el("div", "ov-chart");
      for (let i = 0; i < count; i++) {
        const column = el("div", "ov-bin" + (bins.errors[i] ? " has-error" : ""));
        const bar = el("div", "ov-bar");
        bar.style.height = Math.max(bins.running[i] ? 2 : 0, 100 * bins.running[i] / max).toFixed(1) + "%";
        column.append(bar);
        column.dataset.bin = i;
        column.title = duration(bins.bin_ms * i) + " – " + duration(bins.bin_ms * (i + 1)) + ": " + bins.running[i]
          + " running, " + bins.started[i] + " started" + (bins.errors[i] ? ", " + bins.errors[i] + " failed" : "");
        chart.append(column);
      }
      chart.addEventListener("click", (e) => {
        const column = e.target.closest(".ov-bin");
        if (!column) return;
        const first = bins.first_span || [];
        // the slice's first span, or (in a slice where nothing started) the latest that started before it
        for (let i = Number(column.dataset.bin); i >= 0; i--) {
          if (first[i]) {
            options.onSelect(first[i]);
            return;
          }
        }
      });
      const axis = el("div", "ov-axis");
      for (let i = 0; i <= 4; i++) {
        const tick = el("span", "tl-tick", duration(length * i / 4));
        tick.style.left = (100 * i / 4) + "%";
        axis.append(tick);
      }
      box.append(chart, axis);
    }

    return {
      element: box,
      /** Draws the bins of a trace (fetched once per trace). */
      async show(source, traceId) {
        if (shown === traceId) return;
        shown = traceId;
        box.textContent = "";
        box.append(el("p", "note", "loading the timeline…"));
        try {
          draw(await source.bins(traceId, BINS));
        } catch (e) {
          shown = null;
          box.textContent = "";
          box.append(el("p", "note", "timeline: " + e.message));
        }
      },
      forget() {
        shown = null;
      },
    };
  }

  return {create};
})();
