// The timeline: a waterfall of the trace's spans on one time axis. Siblings that overlap in time get lanes of
// their own, siblings that follow each other share one; the critical path (what the trace's end waited for) is
// marked. Clicking a bar selects the span in the tree. Rows are drawn only while in view.
"use strict";
const AitraceTimeline = (() => {
  const ROW = 22;
  const OVERSCAN = 6;
  const {el, duration} = AitraceUi;

  /** Siblings in start order spread over lanes: a span goes into the first lane that is free when it starts. */
  function lanes(siblings) {
    const result = [], ends = [];
    for (const s of siblings) {
      const start = s.start === null ? -Infinity : s.start;
      let lane = ends.findIndex((end) => end <= start);
      if (lane < 0) {
        lane = result.length;
        result.push([]);
        ends.push(-Infinity);
      }
      result[lane].push(s);
      ends[lane] = s.end !== null ? s.end : Infinity;
    }
    return result;
  }

  /** The spans the end of each root waited for: the last child to end, then the last to end before it started, … */
  function criticalPath(roots) {
    const path = new Set();
    const stack = roots.slice();
    while (stack.length) {
      const n = stack.pop();
      path.add(n);
      const kids = n.children.filter((c) => c.end !== null).sort((a, b) => b.end - a.end);
      let cur = kids[0];
      while (cur) {
        stack.push(cur);
        const startOfCur = cur.start;
        cur = kids.find((k) => k !== cur && k.end <= startOfCur);
      }
    }
    return path;
  }

  /** Rows of the waterfall: each a lane of spans, followed by the lanes of those spans' children. */
  function rowsOf(graph) {
    const rows = [];
    const stack = [{spans: graph.roots, depth: 0}];
    while (stack.length) {
      const {spans, depth} = stack.pop();
      const laneList = lanes(spans);
      const later = [];
      for (const lane of laneList) {
        rows.push({spans: lane, depth});
        for (const s of lane) if (s.children.length) later.push({spans: s.children, depth: depth + 1});
      }
      for (let i = later.length - 1; i >= 0; i--) stack.push(later[i]);
    }
    return rows;
  }

  /** Steps an axis may use, in ms: 1-2-5 below a second, then steps a clock reader expects. */
  const CLOCK_STEPS = [1000, 2000, 5000, 10000, 15000, 30000, 60000, 120000, 300000, 600000, 900000, 1800000,
    3600000, 7200000, 10800000, 21600000, 43200000, 86400000];

  /** The smallest readable step of at least {@code raw} ms. */
  function niceStep(raw) {
    if (raw < 1000) {
      const mag = Math.pow(10, Math.floor(Math.log10(raw)));
      return [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw);
    }
    const clock = CLOCK_STEPS.find((s) => s >= raw);
    return clock !== undefined ? clock : Math.ceil(raw / 86400000) * 86400000;
  }

  /**
   * Ticks for an axis of {@code total} ms drawn over {@code px} pixels: round values every {@code step}, each
   * labelled with its unit, the unit chosen from the step so that all ticks read alike (0 s, 20 s, 40 s, …).
   */
  function axisTicks(total, px) {
    if (!(total > 0)) return [{at: 0, text: "0 ms"}];
    const step = niceStep(total / Math.max(2, Math.floor(px / 90)));
    const unit = step < 1000 ? ["ms", 1] : step < 60000 ? ["s", 1000] : step < 3600000 ? ["min", 60000]
      : step < 86400000 ? ["h", 3600000] : ["d", 86400000];
    const decimals = Math.max(0, -Math.floor(Math.log10(step / unit[1]) + 1e-9));
    const out = [];
    for (let i = 0; i * step <= total * (1 + 1e-9); i++) {
      out.push({at: i * step, text: (i * step / unit[1]).toFixed(decimals) + " " + unit[0]});
    }
    return out;
  }

  const LABEL_COLUMN = 220, TRACK_END_GAP = 8, TEXT_GAP = 4, BAR_PADDING = 3, MIN_SHORTENED = 40;

  /** The row's name column: one span's name, or the first name and how many more share the lane. */
  function rowLabel(spans) {
    return spans.length === 1 ? spans[0].name : spans[0].name + " +" + (spans.length - 1) + " more";
  }

  function create(host, options) {
    const scroller = el("div", "tl-scroll");
    const axis = el("div", "tl-axis");
    const sizer = el("div", "tl-sizer");
    const win = el("div", "tl-window");
    sizer.append(win);
    scroller.append(axis, sizer);
    host.append(scroller);
    let rows = [], base = 0, total = 1, critical = new Set(), selectedId = null, drawnWidth = -1;
    const measure = document.createElement("canvas").getContext("2d");
    let measureFont = null;

    function textWidth(text) {
      if (measureFont === null) {
        const probe = el("span", "tl-text", "x");
        win.append(probe);
        const style = getComputedStyle(probe);
        measureFont = style.font || style.fontSize + " " + style.fontFamily;
        probe.remove();
        measure.font = measureFont;
      }
      return Math.ceil(measure.measureText(text).width) + 1;
    }

    function trackWidth() {
      return Math.max(1, scroller.clientWidth - LABEL_COLUMN - TRACK_END_GAP);
    }

    /**
     * A bar's name goes inside the bar when it fits, else just outside it (right, then left) when the row has room
     * there, else shortened with an ellipsis inside a bar wide enough for a few letters, else only into the bar's
     * tooltip. A name is never cut off unmarked.
     */
    function placeLabel(bar, text, leftPx, rightPx, freeFrom, freeTo) {
      const w = textWidth(text.textContent);
      if (w + BAR_PADDING * 2 <= rightPx - leftPx) return rightPx;
      if (rightPx + TEXT_GAP + w <= freeTo) {
        bar.classList.add("label-right");
        return rightPx + TEXT_GAP + w;
      }
      if (leftPx - TEXT_GAP - w >= freeFrom) {
        bar.classList.add("label-left");
        return rightPx;
      }
      bar.classList.add(rightPx - leftPx >= MIN_SHORTENED ? "label-short" : "label-none");
      return rightPx;
    }

    function drawAxis() {
      axis.textContent = "";
      const width = trackWidth();
      for (const t of axisTicks(total, width)) {
        const tick = el("span", "tl-tick", t.text);
        const x = LABEL_COLUMN + width * t.at / total;
        tick.style.left = x + "px";
        axis.append(tick);
        // Centred on its time, but kept whole inside the axis at both ends.
        const w = tick.offsetWidth, axisEnd = LABEL_COLUMN + width + TRACK_END_GAP;
        const shift = Math.max(x + w - axisEnd, Math.min(w / 2, x - LABEL_COLUMN));
        tick.style.transform = "translateX(" + (-shift) + "px)";
      }
    }

    function render() {
      const first = Math.max(0, Math.floor(scroller.scrollTop / ROW) - OVERSCAN);
      const last = Math.min(rows.length, Math.ceil((scroller.scrollTop + scroller.clientHeight) / ROW) + OVERSCAN);
      win.style.transform = "translateY(" + first * ROW + "px)";
      win.textContent = "";
      const width = trackWidth();
      if (width !== drawnWidth) {
        drawnWidth = width;
        drawAxis();
      }
      for (let i = first; i < last; i++) {
        const row = rows[i];
        const line = el("div", "tl-row");
        const label = el("div", "tl-label", rowLabel(row.spans));
        label.style.paddingLeft = 4 + row.depth * 10 + "px";
        label.title = row.spans.map((s) => s.name).join(" · ");
        const track = el("div", "tl-track");
        const drawn = [];
        let drawnUntil = -1;
        row.spans.forEach((s, k) => {
          if (s.start === null) return;
          const left = (s.start - base) / total, right = ((s.end === null ? base + total : s.end) - base) / total;
          if (right * width < drawnUntil + 1 && k !== row.spans.length - 1) return; // sub-pixel crowd
          drawnUntil = right * width;
          const bar = el("div", "tl-bar status-" + s.status.replace(/[^a-z]/g, "") + (critical.has(s) ? " critical" : "")
            + (s.span_id === selectedId ? " selected" : ""));
          bar.append(el("span", "tl-text", s.name));
          bar.style.left = (100 * left).toFixed(3) + "%";
          bar.style.width = Math.max(0.15, 100 * (right - left)).toFixed(3) + "%";
          bar.title = s.name + " · " + (s.end === null ? "running" : duration(s.duration)) + (critical.has(s) ? " · critical path" : "");
          bar.dataset.spanId = s.span_id;
          track.append(bar);
          drawn.push({bar, left: left * width, right: Math.max(left * width + 2, right * width)});
        });
        // Labels in a second pass, so that a label set outside its bar knows where the next bar starts.
        let freeFrom = 0;
        drawn.forEach((d, k) => {
          const freeTo = k + 1 < drawn.length ? drawn[k + 1].left - TEXT_GAP : width;
          freeFrom = placeLabel(d.bar, d.bar.firstChild, d.left, d.right, freeFrom, freeTo) + TEXT_GAP;
        });
        line.append(label, track);
        win.append(line);
      }
    }

    scroller.addEventListener("scroll", render);
    if (typeof ResizeObserver === "function") {
      new ResizeObserver(() => { if (rows.length && trackWidth() !== drawnWidth) render(); }).observe(scroller);
    }
    win.addEventListener("click", (e) => {
      const bar = e.target.closest(".tl-bar");
      if (bar) options.onSelect(bar.dataset.spanId);
    });

    return {
      element: scroller,
      show(graph) {
        rows = rowsOf(graph);
        critical = criticalPath(graph.roots);
        base = graph.start === null ? 0 : graph.start;
        total = graph.length;
        drawnWidth = -1;
        sizer.style.height = rows.length * ROW + "px";
        render();
      },
      mark(spanId) {
        selectedId = spanId;
        render();
      },
      redraw: render,
    };
  }

  return {create, lanes, criticalPath, axisTicks};
})();
