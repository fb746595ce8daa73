// js/lib/buffers.js
var TYPES = {
  float64: Float64Array,
  float32: Float32Array,
  int32: Int32Array,
  uint8: Uint8Array
};
function unpack(packed) {
  if (!packed || !packed.data) return { shape: [0], data: new Float64Array(0) };
  const Ctor = TYPES[packed.dtype] || Float64Array;
  let d = packed.data;
  let buffer, offset, length;
  if (d instanceof ArrayBuffer) {
    buffer = d;
    offset = 0;
    length = d.byteLength;
  } else {
    buffer = d.buffer;
    offset = d.byteOffset;
    length = d.byteLength;
  }
  const n = Math.floor(length / Ctor.BYTES_PER_ELEMENT);
  if (offset % Ctor.BYTES_PER_ELEMENT !== 0) {
    const copy = new Uint8Array(length);
    copy.set(new Uint8Array(buffer, offset, length));
    return { shape: packed.shape, data: new Ctor(copy.buffer, 0, n) };
  }
  return { shape: packed.shape, data: new Ctor(buffer, offset, n) };
}

// js/lib/colors.js
var DIVERGING_STOPS = [
  "#053061",
  "#2166ac",
  "#4393c3",
  "#92c5de",
  "#d1e5f0",
  "#f7f7f7",
  "#fddbc7",
  "#f4a582",
  "#d6604d",
  "#b2182b",
  "#67001f"
];
var MISSING_COLOR = "#888888";
function hexToRgb(hex) {
  const v = parseInt(hex.slice(1), 16);
  return [v >> 16 & 255, v >> 8 & 255, v & 255];
}
var STOPS_RGB = DIVERGING_STOPS.map(hexToRgb);
function scalePosition(value, maxAbs) {
  if (!(maxAbs > 0) || !Number.isFinite(maxAbs)) return 0;
  const t = value / maxAbs;
  return Math.max(-1, Math.min(1, t));
}
function divergingRgb(value, maxAbs) {
  if (Number.isNaN(value)) return hexToRgb(MISSING_COLOR);
  const t = scalePosition(value, maxAbs);
  const x = (t + 1) / 2 * (STOPS_RGB.length - 1);
  const k = Math.min(Math.floor(x), STOPS_RGB.length - 2);
  const f = x - k;
  const a = STOPS_RGB[k];
  const b = STOPS_RGB[k + 1];
  return [0, 1, 2].map((c) => Math.round(a[c] + (b[c] - a[c]) * f));
}
function divergingColor(value, maxAbs) {
  const [r, g, b] = divergingRgb(value, maxAbs);
  return `rgb(${r}, ${g}, ${b})`;
}
function colorbarGradient(direction = "to right") {
  const n = DIVERGING_STOPS.length - 1;
  const stops = DIVERGING_STOPS.map((c, k) => `${c} ${(100 * k / n).toFixed(1)}%`);
  return `linear-gradient(${direction}, ${stops.join(", ")})`;
}

// js/lib/format.js
var MINUS = "−";
function formatNumber(x, digits = 3) {
  if (Number.isNaN(x)) return "NaN";
  if (x === Infinity) return "∞";
  if (x === -Infinity) return `${MINUS}∞`;
  if (x === 0) return "0";
  const a = Math.abs(x);
  let body;
  if (a >= 1e-3 && a < 1e5) {
    body = trimZeros(a.toPrecision(digits));
    if (body.includes("e")) body = trimZeros(a.toFixed(0));
  } else {
    const [mantissa, exponent] = a.toExponential(digits - 1).split("e");
    const e = Number(exponent);
    body = `${trimZeros(mantissa)}e${e < 0 ? MINUS : ""}${Math.abs(e)}`;
  }
  if (body === "0") return "0";
  return x < 0 ? `${MINUS}${body}` : body;
}
function trimZeros(s) {
  return s.includes(".") ? s.replace(/0+$/, "").replace(/\.$/, "") : s;
}

// js/lib/heatmap.js
function panelLayout(rows, cols, { width = 280, maxHeight = 240, minCell = 4, maxCell = 28 } = {}) {
  if (!(rows >= 1) || !(cols >= 1)) return { cell: 0, width: 0, height: 0, rows: 0, cols: 0 };
  const fit = Math.floor(Math.min(width / cols, maxHeight / rows));
  const cell = Math.max(minCell, Math.min(maxCell, fit));
  return { cell, width: cell * cols, height: cell * rows, rows, cols };
}
function cellAt(x, y, layout) {
  if (!layout || !(layout.cell > 0)) return null;
  if (x < 0 || y < 0 || x >= layout.width || y >= layout.height) return null;
  const i = Math.floor(y / layout.cell);
  const j = Math.floor(x / layout.cell);
  if (i >= layout.rows || j >= layout.cols) return null;
  return [i, j];
}
function cellRect(i, j, layout) {
  return [j * layout.cell, i * layout.cell, layout.cell, layout.cell];
}
function stepForKey(step, count, key) {
  let next = null;
  if (key === "ArrowRight") next = Math.min(count - 1, step + 1);
  else if (key === "ArrowLeft") next = Math.max(0, step - 1);
  else if (key === "Home") next = 0;
  else if (key === "End") next = count - 1;
  return next === null || next === step || next < 0 ? null : next;
}
function isCurrent(version, painted) {
  return Number.isFinite(version) && version >= painted;
}
function exact(v) {
  if (v === null || v === void 0) return "—";
  if (Number.isNaN(v)) return "NaN";
  if (v === Infinity) return "inf";
  if (v === -Infinity) return "-inf";
  if (Object.is(v, -0)) return "-0";
  return String(v);
}
function panelSource(kind, measure) {
  if (kind === "analytic") return { key: "analytic", scale: "scale" };
  if (kind === "numeric") return { key: "numeric", scale: "scale" };
  return measure === "relative" ? { key: "relative", scale: "relative_scale" } : { key: "difference", scale: "difference_scale" };
}
function colorbarTicks(limit, nonnegative = false) {
  const l = limit > 0 && Number.isFinite(limit) ? limit : 1;
  return nonnegative ? [0, l / 2, l] : [-l, 0, l];
}
function stepLabel(step, count) {
  return count > 0 ? `step ${step + 1} of ${count}` : "no steps";
}
function colorbarBackground(nonnegative = false, direction = "to right") {
  if (!nonnegative) return colorbarGradient(direction);
  const half = DIVERGING_STOPS.slice((DIVERGING_STOPS.length - 1) / 2);
  const n = half.length - 1;
  const stops = half.map((c, k) => `${c} ${(100 * k / n).toFixed(1)}%`);
  return `linear-gradient(${direction}, ${stops.join(", ")})`;
}
function moveSelection(selected, key, rows, cols) {
  const moves = { ArrowUp: [-1, 0], ArrowDown: [1, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1] };
  if (!(key in moves) || !(rows >= 1) || !(cols >= 1)) return null;
  if (!selected) return [0, 0];
  const [di, dj] = moves[key];
  const i = Math.max(0, Math.min(rows - 1, selected[0] + di));
  const j = Math.max(0, Math.min(cols - 1, selected[1] + dj));
  return [i, j];
}

// js/explorer.js
var KINDS = ["analytic", "numeric", "difference"];
var CAPTIONS = {
  analytic: "analytic Δ zᵀ",
  numeric: "finite difference",
  difference: "analytic − finite diff.",
  relative: "relative error"
};
function h(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "text") node.textContent = v;
    else if (k === "class") node.className = v;
    else node.setAttribute(k, v);
  }
  for (const c of children) node.append(c);
  return node;
}
var LOST = ["comm_live_update", "comm:close"];
function disconnected(root) {
  root.dataset.disconnected = "true";
  root.classList.add("bw-disconnected");
}
function renderStepper(model, el) {
  const prev = h("button", { class: "bw-step-btn", "data-testid": "bw-step-prev", type: "button", text: "◀ Previous" });
  const next = h("button", { class: "bw-step-btn", "data-testid": "bw-step-next", type: "button", text: "Next ▶" });
  const indicator = h("span", { class: "bw-step-indicator", "data-testid": "bw-step-indicator" });
  const title = h("div", { class: "bw-step-title", "data-testid": "bw-step-title" });
  const check = h("div", { class: "bw-step-check", "data-testid": "bw-step-check", "aria-live": "polite" });
  const root = h(
    "div",
    { class: "bw-stepper", "data-testid": "bw-stepper", tabindex: "0", role: "group", "aria-label": "steps of the derivation (Left/Right arrows)" },
    h("div", { class: "bw-step-nav" }, prev, indicator, next),
    title,
    check
  );
  el.append(root);
  let painted = -1;
  let count = 0;
  function go(step) {
    if (step === null || step < 0 || step >= count || root.dataset.disconnected === "true") return;
    model.set("step", step);
    model.save_changes();
    paint();
  }
  function paint() {
    const version = model.get("version");
    if (!isCurrent(version, painted)) return;
    painted = version;
    const steps = model.get("steps") || [];
    count = steps.length;
    const step = Math.max(0, Math.min(model.get("step"), count - 1));
    const meta = steps[step] || { title: "", check: {} };
    indicator.textContent = stepLabel(step, count);
    title.textContent = meta.title || "";
    const stale = Boolean(model.get("stale"));
    const c = stale ? { text: "checking the new network…" } : meta.check || {};
    check.textContent = c.text || "";
    check.dataset.ok = c.ok === void 0 ? "" : String(Boolean(c.ok));
    check.classList.toggle("bw-ok", c.ok === true);
    check.classList.toggle("bw-fail", c.ok === false);
    root.dataset.stale = String(stale);
    prev.disabled = step <= 0;
    next.disabled = step >= count - 1;
    root.dataset.step = String(step);
    root.dataset.version = String(version);
    root.dataset.formulaPending = String(model.get("formula_key") !== `${version}:${step}`);
    root.dataset.rendered = String((Number(root.dataset.rendered) || 0) + 1);
  }
  prev.addEventListener("click", () => go(model.get("step") - 1));
  next.addEventListener("click", () => go(model.get("step") + 1));
  root.addEventListener("keydown", (ev) => {
    const s = stepForKey(model.get("step"), count, ev.key);
    if (s !== null) {
      ev.preventDefault();
      go(s);
    }
  });
  const onChange = () => paint();
  const keys = ["version", "steps", "step", "stale", "formula_key"];
  for (const k of keys) model.on(`change:${k}`, onChange);
  const lost = () => {
    disconnected(root);
    prev.disabled = true;
    next.disabled = true;
    check.dataset.ok = "";
    check.classList.remove("bw-ok", "bw-fail");
    check.textContent = "disconnected from the kernel: run the cell again for live checks";
  };
  for (const ev of LOST) model.on(ev, lost);
  paint();
  return () => {
    for (const k of keys) model.off(`change:${k}`, onChange);
    for (const ev of LOST) model.off(ev, lost);
  };
}
function colorbar(limit, nonnegative) {
  const bar = h("div", { class: "bw-hm-colorbar" });
  bar.style.background = colorbarBackground(nonnegative);
  const ticks = colorbarTicks(limit, nonnegative);
  const labels = h("div", { class: "bw-hm-colorbar-labels" });
  for (const t of ticks) labels.append(h("span", { text: formatNumber(t) }));
  return h("div", { class: "bw-hm-colorbar-wrap" }, bar, labels);
}
function drawPanel(canvas, layout, arr, limit, kink, selected, stale) {
  const dpr = typeof window !== "undefined" && window.devicePixelRatio || 1;
  canvas.width = Math.max(1, Math.round(layout.width * dpr));
  canvas.height = Math.max(1, Math.round(layout.height * dpr));
  canvas.style.width = `${layout.width}px`;
  canvas.style.height = `${layout.height}px`;
  const ctx = canvas.getContext("2d");
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.clearRect(0, 0, layout.width, layout.height);
  if (stale || !arr || arr.data.length !== layout.rows * layout.cols) {
    ctx.fillStyle = "rgba(128, 128, 128, 0.25)";
    ctx.fillRect(0, 0, layout.width, layout.height);
    return;
  }
  const { rows, cols } = layout;
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      const [x, y, w, hh] = cellRect(i, j, layout);
      ctx.fillStyle = divergingColor(arr.data[i * cols + j], limit);
      ctx.fillRect(x, y, w, hh);
    }
  }
  if (kink && kink.data.length === rows * cols) {
    const width = Math.max(1, layout.cell / 10);
    for (const [color, w0] of [["#fff", width + 2], ["#000", width]]) {
      ctx.strokeStyle = color;
      ctx.lineWidth = w0;
      for (let i = 0; i < rows; i++) {
        for (let j = 0; j < cols; j++) {
          if (!kink.data[i * cols + j]) continue;
          const [x, y, w, hh] = cellRect(i, j, layout);
          const p = w * 0.25;
          ctx.beginPath();
          ctx.moveTo(x + p, y + p);
          ctx.lineTo(x + w - p, y + hh - p);
          ctx.moveTo(x + w - p, y + p);
          ctx.lineTo(x + p, y + hh - p);
          ctx.stroke();
        }
      }
    }
  }
  if (selected) {
    const [x, y, w, hh] = cellRect(selected[0], selected[1], layout);
    ctx.lineWidth = 2;
    ctx.strokeStyle = "#000";
    ctx.strokeRect(x + 1, y + 1, w - 2, hh - 2);
    ctx.strokeStyle = "#ffd400";
    ctx.lineWidth = 1;
    ctx.strokeRect(x + 2.5, y + 2.5, w - 5, hh - 5);
  }
}
function entryView(entry) {
  const box = h("div", { class: "bw-entry", "data-testid": "bw-entry" });
  if (!entry || entry.layer === void 0) {
    box.dataset.empty = "true";
    box.append(h("div", { class: "bw-entry-hint", text: "Click an entry of a heatmap (or a weight in the diagram) to see its own derivation." }));
    return box;
  }
  const { layer, i, j } = entry;
  Object.assign(box.dataset, { layer: String(layer), i: String(i), j: String(j), ok: String(entry.ok) });
  const I = i + 1;
  const J = j + 1;
  const val = (testid, v) => h("span", { class: "bw-num", "data-testid": testid, text: exact(v) });
  box.append(
    h("div", { class: "bw-entry-head", text: `w(${layer})[${I},${J}]: row ${I}, column ${J} of W(${layer}) (Python index [${i}, ${j}])` }),
    h("div", { class: "bw-entry-line", text: `direction H = E(${I},${J}), the matrix with a single 1 at row ${I}, column ${J}` }),
    h(
      "div",
      { class: "bw-entry-line" },
      `∂E/∂w(${layer})[${I},${J}] = Δ(${layer})[${I}] · z(${layer - 1})[${J}] = `,
      val("bw-entry-delta", entry.delta_i),
      " × ",
      val("bw-entry-z", entry.z_j),
      " = ",
      val("bw-entry-analytic", entry.analytic)
    ),
    h("div", { class: "bw-entry-line" }, "the chain applied to H = E(i,j), link by link: ", val("bw-entry-forward", entry.value_forward)),
    h("div", { class: "bw-entry-line" }, "central finite difference of E: ", val("bw-entry-numeric", entry.numeric)),
    h(
      "div",
      { class: `bw-entry-line ${entry.ok ? "bw-ok" : "bw-fail"}` },
      `${entry.kink ? "⚠ at a kink (the difference straddles it; not counted) " : entry.ok ? "✓ " : "✗ "}|difference| = `,
      val("bw-entry-abs-error", entry.abs_error),
      ", relative error = ",
      val("bw-entry-rel-error", entry.rel_error)
    )
  );
  return box;
}
function renderHeatmaps(model, el) {
  const status = h("div", { class: "bw-hm-status", "data-testid": "bw-explorer-status", "aria-live": "polite" });
  const progress = h("progress", { class: "bw-hm-progress", max: "1", "data-testid": "bw-explorer-progress" });
  const message = h("div", { class: "bw-hm-message", role: "alert", "data-testid": "bw-explorer-error" });
  const layersBox = h("div", { class: "bw-hm-layers" });
  const entryBox = h("div", { class: "bw-entry-wrap" });
  const tooltip = h("div", { class: "bw-tooltip", role: "tooltip", "data-testid": "bw-tooltip" });
  tooltip.hidden = true;
  const root = h(
    "div",
    { class: "bw-explorer", "data-testid": "bw-explorer" },
    h("div", { class: "bw-hm-top" }, status, progress),
    message,
    layersBox,
    entryBox,
    tooltip
  );
  el.append(root);
  let painted = -1;
  let rendered = 0;
  let scheduled = false;
  function available() {
    const w = root.clientWidth || el.clientWidth || 880;
    return Math.max(240, Math.min(w, 1400));
  }
  function showTooltip(ev, lines) {
    tooltip.textContent = lines.join("\n");
    tooltip.hidden = false;
    const box = root.getBoundingClientRect();
    let x = ev.clientX - box.left + 14;
    const y = ev.clientY - box.top + 14;
    if (x + 260 > box.width) x = Math.max(0, ev.clientX - box.left - 274);
    tooltip.style.left = `${x}px`;
    tooltip.style.top = `${y}px`;
  }
  function layerView(payload, arrays, width, kindMeasure, stale, selected) {
    const { layer, shape } = payload;
    const [rows, cols] = shape;
    const panelWidth = Math.floor((width - 40) / 3);
    const layout = panelLayout(rows, cols, { width: panelWidth, maxHeight: 280 });
    const group = h("div", {
      class: "bw-hm-layer",
      "data-layer": String(layer),
      "data-kinks": String(payload.kinks || 0)
    });
    const summary = payload.stale ? "finite differences: computing…" : `${payload.ok ? "✓" : "✗"} largest relative error ${formatNumber(payload.max_rel_error ?? NaN, 2)}` + (payload.kinks ? `, ${payload.kinks} flagged at a kink (×)` : "");
    group.append(h("div", { class: "bw-hm-layer-title", text: `∂E/∂W(${layer}), ${rows} × ${cols}: ${summary}` }));
    const row = h("div", { class: "bw-hm-row" });
    for (const kind of KINDS) {
      const src = panelSource(kind, kindMeasure);
      const isStale = kind !== "analytic" && (stale || payload.stale);
      const canvas = h("canvas", {
        class: "bw-hm-canvas",
        "data-testid": "bw-heatmap",
        "data-kind": kind,
        "data-layer": String(layer),
        "data-measure": kind === "difference" ? kindMeasure : kind,
        "data-stale": String(isStale),
        "data-rows": String(rows),
        "data-cols": String(cols),
        "data-cell": String(layout.cell),
        // One tab stop per layer (the analytic map); arrow keys move the selected entry.
        tabindex: kind === "analytic" ? "0" : "-1",
        "aria-label": `${CAPTIONS[kind === "difference" ? kindMeasure : kind]} of layer ${layer}: arrow keys select an entry`
      });
      const sel = selected && selected[0] === layer ? [selected[1], selected[2]] : null;
      drawPanel(canvas, layout, arrays[src.key], payload[src.scale], kind === "analytic" ? null : arrays.kink, sel, isStale);
      const caption = h("div", { class: "bw-hm-caption", text: CAPTIONS[kind === "difference" ? kindMeasure : kind] });
      const wrap = h("div", { class: "bw-hm-canvas-wrap" }, canvas);
      if (isStale) wrap.append(h("div", { class: "bw-hm-stale", text: "stale — computing…" }));
      const panel = h(
        "div",
        { class: "bw-hm-panel", "data-kind": kind },
        caption,
        wrap,
        colorbar(isStale ? 1 : payload[src.scale], kind === "difference" && kindMeasure === "relative")
      );
      panel.style.width = `${Math.max(layout.width, 150)}px`;
      canvas.addEventListener("mousemove", (ev) => {
        const r = canvas.getBoundingClientRect();
        const at = cellAt(ev.clientX - r.left, ev.clientY - r.top, layout);
        if (!at) {
          tooltip.hidden = true;
          return;
        }
        const [i, j] = at;
        const k = i * cols + j;
        const get = (name) => arrays[name] && arrays[name].data.length === rows * cols ? arrays[name].data[k] : null;
        const lines = [
          `w(${layer})[${i + 1},${j + 1}]  (Python index [${i}, ${j}])`,
          `analytic          ${exact(get("analytic"))}`,
          `finite difference ${payload.stale ? "(computing…)" : exact(get("numeric"))}`,
          `difference        ${payload.stale ? "—" : exact(get("difference"))}`,
          `relative error    ${payload.stale ? "—" : exact(get("relative"))}`
        ];
        if (get("kink")) lines.push("× at a kink: the difference quotient straddles it");
        showTooltip(ev, lines);
      });
      canvas.addEventListener("mouseleave", () => {
        tooltip.hidden = true;
      });
      canvas.addEventListener("keydown", (ev) => {
        if (root.dataset.disconnected === "true") return;
        const sel2 = selected && selected[0] === layer ? [selected[1], selected[2]] : null;
        const to = moveSelection(sel2, ev.key, rows, cols);
        if (!to) return;
        ev.preventDefault();
        model.set("selected", [layer, to[0], to[1]]);
        model.save_changes();
      });
      canvas.addEventListener("click", (ev) => {
        const r = canvas.getBoundingClientRect();
        const at = cellAt(ev.clientX - r.left, ev.clientY - r.top, layout);
        if (!at || root.dataset.disconnected === "true") return;
        model.set("selected", [layer, at[0], at[1]]);
        model.save_changes();
      });
      row.append(panel);
    }
    group.append(row);
    return group;
  }
  function paint() {
    scheduled = false;
    const version = model.get("version");
    if (!isCurrent(version, painted)) return;
    painted = version;
    const payloads = model.get("heatmaps") || [];
    const measure = model.get("kind") === "relative" ? "relative" : "difference";
    const stale = Boolean(model.get("stale"));
    const selected = model.get("selected");
    const sel = Array.isArray(selected) && selected.length === 3 ? selected : null;
    const width = available();
    const views = payloads.map((p2) => {
      const arrays = {};
      for (const key of ["analytic", "numeric", "difference", "relative", "kink"]) arrays[key] = unpack(p2[key]);
      return layerView(p2, arrays, width, measure, stale, sel);
    });
    const active = document.activeElement;
    const focused = active && layersBox.contains(active) ? active.dataset : null;
    layersBox.replaceChildren(...views);
    if (focused) {
      const c = layersBox.querySelector(`canvas[data-layer="${focused.layer}"][data-kind="${focused.kind}"]`);
      if (c) c.focus();
    }
    entryBox.replaceChildren(entryView(model.get("entry")));
    const p = model.get("progress");
    progress.value = p;
    progress.hidden = !stale;
    status.textContent = stale ? `finite differences: computing… ${Math.round(100 * p)}% — the numeric and difference maps are stale` : "";
    const msg = model.get("message") || "";
    message.textContent = msg;
    message.hidden = !msg;
    root.dataset.version = String(version);
    root.dataset.stale = String(stale);
    root.dataset.selected = sel ? sel.join(",") : "";
    rendered += 1;
    root.dataset.rendered = String(rendered);
  }
  function schedule() {
    if (scheduled) return;
    scheduled = true;
    queueMicrotask(paint);
  }
  const keys = ["version", "heatmaps", "kind", "selected", "entry", "stale", "progress", "message"];
  for (const k of keys) model.on(`change:${k}`, schedule);
  const lost = () => {
    disconnected(root);
    status.textContent = "disconnected from the kernel: these numbers are no longer live — run the cell again";
  };
  for (const ev of LOST) model.on(ev, lost);
  paint();
  return () => {
    for (const k of keys) model.off(`change:${k}`, schedule);
    for (const ev of LOST) model.off(ev, lost);
  };
}
function render({ model, el }) {
  return model.get("part") === "stepper" ? renderStepper(model, el) : renderHeatmaps(model, el);
}
var explorer_default = { render };
export {
  explorer_default as default
};
