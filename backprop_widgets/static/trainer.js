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
function scalePosition(value, maxAbs2) {
  if (!(maxAbs2 > 0) || !Number.isFinite(maxAbs2)) return 0;
  const t = value / maxAbs2;
  return Math.max(-1, Math.min(1, t));
}
function divergingRgb(value, maxAbs2) {
  if (Number.isNaN(value)) return hexToRgb(MISSING_COLOR);
  const t = scalePosition(value, maxAbs2);
  const x = (t + 1) / 2 * (STOPS_RGB.length - 1);
  const k = Math.min(Math.floor(x), STOPS_RGB.length - 2);
  const f = x - k;
  const a = STOPS_RGB[k];
  const b = STOPS_RGB[k + 1];
  return [0, 1, 2].map((c) => Math.round(a[c] + (b[c] - a[c]) * f));
}
function divergingColor(value, maxAbs2) {
  const [r, g, b] = divergingRgb(value, maxAbs2);
  return `rgb(${r}, ${g}, ${b})`;
}
function colorbarGradient(direction = "to right") {
  const n = DIVERGING_STOPS.length - 1;
  const stops = DIVERGING_STOPS.map((c, k) => `${c} ${(100 * k / n).toFixed(1)}%`);
  return `linear-gradient(${direction}, ${stops.join(", ")})`;
}
function signClass(value) {
  if (value > 0) return "bw-pos";
  if (value < 0) return "bw-neg";
  return "bw-zero";
}
function maxAbs(values) {
  let m = 0;
  for (let k = 0; k < values.length; k++) {
    const a = Math.abs(values[k]);
    if (a > m) m = a;
  }
  return m;
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

// js/lib/layout.js
var DEFAULTS = {
  maxNodes: 16,
  // layers wider than this collapse
  keep: 4,
  // units kept at each end of a collapsed layer
  colWidth: 150,
  // horizontal distance between layers
  rowHeight: 34,
  // vertical distance between drawn items of a layer
  left: 70,
  // x of the input column
  top: 64,
  // y of the first row (room for the column headers above)
  bottom: 24
  // room below the last row
};
function visibleItems(n, { maxNodes = DEFAULTS.maxNodes, keep = DEFAULTS.keep, pinned = [] } = {}) {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`n must be a non-negative integer, got ${n}`);
  if (n <= maxNodes) return Array.from({ length: n }, (_, index) => ({ kind: "unit", index }));
  const k = Math.max(1, Math.min(keep, Math.floor(n / 2)));
  const shown = /* @__PURE__ */ new Set();
  for (let i = 0; i < k; i++) {
    shown.add(i);
    shown.add(n - 1 - i);
  }
  for (const p of pinned) if (Number.isInteger(p) && p >= 0 && p < n) shown.add(p);
  const sorted = [...shown].sort((a, b) => a - b);
  const items = [];
  let next = 0;
  for (const index of sorted) {
    if (index > next) items.push({ kind: "gap", from: next, count: index - next });
    items.push({ kind: "unit", index });
    next = index + 1;
  }
  if (next < n) items.push({ kind: "gap", from: next, count: n - next });
  return items;
}
function layoutNetwork(sizes, options = {}) {
  const o = { ...DEFAULTS, ...options };
  const pinned = options.pinned || {};
  const columns = sizes.map((n, layer) => ({
    layer,
    n,
    x: o.left + layer * o.colWidth,
    items: visibleItems(n, { maxNodes: o.maxNodes, keep: o.keep, pinned: pinned[layer] || [] })
  }));
  const rows = Math.max(1, ...columns.map((c) => c.items.length));
  const positions = columns.map(() => /* @__PURE__ */ new Map());
  for (const c of columns) {
    const offset = (rows - c.items.length) * o.rowHeight / 2;
    c.items.forEach((item, k) => {
      item.y = o.top + offset + k * o.rowHeight;
      if (item.kind === "unit") positions[c.layer].set(item.index, { x: c.x, y: item.y });
    });
  }
  const edges = [];
  for (let layer = 1; layer < columns.length; layer++) {
    const outs = columns[layer].items.filter((it) => it.kind === "unit");
    const ins = columns[layer - 1].items.filter((it) => it.kind === "unit");
    for (const a of outs) for (const b of ins) edges.push({ layer, i: a.index, j: b.index });
  }
  return {
    width: 2 * o.left + (sizes.length - 1) * o.colWidth,
    height: o.top + (rows - 1) * o.rowHeight + o.bottom,
    collapsed: columns.some((c) => c.items.some((it) => it.kind === "gap")),
    columns,
    edges,
    position: (layer, index) => positions[layer] && positions[layer].get(index) || null
  };
}

// js/diagram.js
var SVG_NS = "http://www.w3.org/2000/svg";
var NODE_RADIUS = 11;
var WIDTH_MIN = 0.75;
var WIDTH_SPAN = 4.5;
var TRAITS = [
  "sizes",
  "activations",
  "unit_activations",
  "weights",
  "gradients",
  "z",
  "z_samples",
  "loss",
  "show",
  "selected",
  "max_nodes"
];
function svg(tag, attrs = {}, parent = null) {
  const e = document.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  if (parent) parent.appendChild(e);
  return e;
}
function html(tag, className, parent = null, text = null) {
  const e = document.createElement(tag);
  if (className) e.className = className;
  if (text !== null) e.textContent = text;
  if (parent) parent.appendChild(e);
  return e;
}
function titled(el, text) {
  const t = svg("title", {}, el);
  t.textContent = text;
  el.dataset.value = text;
}
function validSelection(sel, sizes) {
  if (!Array.isArray(sel) || sel.length !== 3) return null;
  const [l, i, j] = sel;
  if (!(l >= 1 && l < sizes.length && i >= 0 && i < sizes[l] && j >= 0 && j < sizes[l - 1])) {
    return null;
  }
  return { layer: l, i, j };
}
var LOST = ["comm_live_update", "comm:close"];
function render({ model, el }) {
  const root = html("div", "bw-diagram", el);
  root.dataset.testid = "bw-diagram";
  const caption = html("div", "bw-diagram-caption", root);
  const canvas = html("div", "bw-diagram-canvas", root);
  const readout = html("div", "bw-diagram-readout", root, " ");
  const note = html("div", "bw-diagram-note", root);
  const legend = html("div", "bw-diagram-legend", root);
  let draws = 0;
  let pending = false;
  function draw() {
    pending = false;
    const sizes = model.get("sizes") || [];
    const show = model.get("show");
    const source = show === "gradients" ? model.get("gradients") : model.get("weights");
    const mats = (source || []).map(unpack);
    const zs = (model.get("z") || []).map(unpack);
    const acts = model.get("activations") || [];
    const unitActs = model.get("unit_activations") || [];
    const sel = validSelection(model.get("selected"), sizes);
    const pinned = {};
    if (sel) {
      pinned[sel.layer] = [sel.i];
      pinned[sel.layer - 1] = [sel.j];
    }
    const lay = layoutNetwork(sizes, { maxNodes: model.get("max_nodes") || 16, pinned });
    const scale2 = Math.max(0, ...mats.map((m) => maxAbs(m.data)));
    const zScale = Math.max(0, ...zs.map((z) => maxAbs(z.data)));
    const sym = show === "gradients" ? "∂E/∂W" : "W";
    const s = svg("svg", {
      class: "bw-diagram-svg",
      width: lay.width,
      height: lay.height,
      viewBox: `0 0 ${lay.width} ${lay.height}`,
      role: "img"
    });
    svg("title", {}, s).textContent = `network with sizes [${sizes.join(", ")}]`;
    for (const c of lay.columns) {
      const head = svg("text", { class: "bw-col-head", x: c.x, y: 18, "text-anchor": "middle" }, s);
      head.textContent = `n(${c.layer}) = ${c.n}`;
      const sub = svg("text", { class: "bw-col-sub", x: c.x, y: 36, "text-anchor": "middle" }, s);
      sub.textContent = c.layer === 0 ? "input x" : `σ: ${acts[c.layer - 1] ?? ""}`;
    }
    const edgeLayer = svg("g", { class: "bw-edges" }, s);
    let selectedEdge = null;
    for (const e of lay.edges) {
      const m = mats[e.layer - 1];
      const v = m && m.shape.length === 2 ? m.data[e.i * m.shape[1] + e.j] : NaN;
      const a = lay.position(e.layer - 1, e.j);
      const b = lay.position(e.layer, e.i);
      const g = svg("g", { class: `bw-edge ${signClass(v)}`, "data-testid": "bw-edge" }, edgeLayer);
      g.dataset.layer = e.layer;
      g.dataset.i = e.i;
      g.dataset.j = e.j;
      const ends = { x1: a.x, y1: a.y, x2: b.x, y2: b.y };
      const isSel = sel && sel.layer === e.layer && sel.i === e.i && sel.j === e.j;
      if (isSel) {
        g.classList.add("bw-selected");
        g.dataset.selected = "true";
        svg("line", { ...ends, class: "bw-edge-halo" }, g);
        selectedEdge = g;
      }
      const w = Number.isFinite(v) && scale2 > 0 ? WIDTH_MIN + WIDTH_SPAN * Math.abs(v) / scale2 : WIDTH_MIN;
      svg("line", { ...ends, class: "bw-edge-line", "stroke-width": w.toFixed(2) }, g);
      svg("line", { ...ends, class: "bw-edge-hit" }, g);
      titled(g, `${sym}(${e.layer})[${e.i}, ${e.j}] = ${formatNumber(v, 4)}`);
    }
    if (selectedEdge) edgeLayer.appendChild(selectedEdge);
    const nodeLayer = svg("g", { class: "bw-nodes" }, s);
    for (const c of lay.columns) {
      const z = zs[c.layer];
      const names = c.layer >= 1 ? unitActs[c.layer - 1] || [] : [];
      const collapsed = c.items.some((it) => it.kind === "gap");
      for (const it of c.items) {
        if (it.kind === "gap") {
          const g2 = svg("g", { class: "bw-more", "data-testid": "bw-more" }, nodeLayer);
          g2.dataset.layer = c.layer;
          g2.dataset.count = it.count;
          const label = `… (+${it.count})`;
          const w = 8 + 7 * label.length;
          svg("rect", { class: "bw-more-bg", x: c.x - w / 2, y: it.y - 9, width: w, height: 18, rx: 4 }, g2);
          const t = svg("text", { x: c.x, y: it.y + 4, "text-anchor": "middle" }, g2);
          t.textContent = label;
          titled(g2, `units ${it.from}–${it.from + it.count - 1} of layer ${c.layer} are not drawn`);
          continue;
        }
        const g = svg("g", { class: "bw-node", "data-testid": "bw-node" }, nodeLayer);
        g.dataset.layer = c.layer;
        g.dataset.index = it.index;
        const zv = z && z.data.length ? z.data[it.index] : null;
        const circle = svg("circle", { cx: c.x, cy: it.y, r: NODE_RADIUS, class: "bw-node-circle" }, g);
        if (zv !== null) circle.style.fill = divergingColor(zv, zScale);
        if (collapsed) {
          const t = svg("text", {
            class: "bw-unit-index",
            x: c.x - NODE_RADIUS - 3,
            y: it.y + 4,
            "text-anchor": "end"
          }, g);
          t.textContent = String(it.index);
        }
        const unitName = names.length ? names[it.index] : null;
        if (unitName) {
          const t = svg("text", { class: "bw-unit-act", x: c.x + NODE_RADIUS + 4, y: it.y - NODE_RADIUS + 2 }, g);
          t.textContent = unitName;
        }
        let tip = `z(${c.layer})[${it.index}]`;
        if (zv !== null) tip += ` = ${formatNumber(zv, 4)}`;
        if (unitName) tip += `   σ = ${unitName}`;
        titled(g, tip);
      }
    }
    canvas.replaceChildren(s);
    const what = show === "gradients" ? "gradients ∂E/∂W(ℓ)" : "weights W(ℓ)";
    let cap = `Edges: ${what}; colour = sign, width ∝ |value| (max ${formatNumber(scale2)})`;
    const loss = model.get("loss");
    if (loss !== null && loss !== void 0) cap += `;  E = ${formatNumber(loss, 4)}`;
    caption.textContent = cap;
    legend.replaceChildren();
    const pos = html("span", "bw-legend-item", legend);
    html("span", "bw-swatch bw-pos", pos);
    html("span", null, pos, "positive");
    const neg = html("span", "bw-legend-item", legend);
    html("span", "bw-swatch bw-neg", neg);
    html("span", null, neg, "negative");
    if (zs.length) {
      const samples = model.get("z_samples") || 1;
      const zi = html("span", "bw-legend-item", legend);
      html("span", null, zi, `node fill z(ℓ)${samples > 1 ? ` (mean of ${samples} samples)` : ""}: ${formatNumber(-zScale)}`);
      const bar = html("span", "bw-colorbar", zi);
      bar.style.background = colorbarGradient("to right");
      html("span", null, zi, formatNumber(zScale));
    }
    note.textContent = lay.collapsed ? `Layers wider than ${model.get("max_nodes") || 16} units show their first and last units; edges of the hidden units are not drawn.` : "";
    note.hidden = !lay.collapsed;
    root.dataset.show = show;
    root.dataset.selected = sel ? `${sel.layer},${sel.i},${sel.j}` : "";
    draws += 1;
    root.dataset.rendered = String(draws);
  }
  function schedule() {
    if (pending) return;
    pending = true;
    queueMicrotask(draw);
  }
  function onClick(event) {
    const edge = event.target.closest && event.target.closest('[data-testid="bw-edge"]');
    if (!edge || !root.contains(edge)) return;
    model.set("selected", [Number(edge.dataset.layer), Number(edge.dataset.i), Number(edge.dataset.j)]);
    model.save_changes();
  }
  function onHover(event) {
    const item = event.target.closest && event.target.closest("[data-value]");
    readout.textContent = item && root.contains(item) ? item.dataset.value : " ";
  }
  function lost() {
    root.dataset.disconnected = "true";
    root.classList.add("bw-disconnected");
    status.textContent = "disconnected from the kernel: these values are no longer live — run the cell again";
    status.hidden = false;
    canvas.removeEventListener("click", onClick);
  }
  const status = html("div", "bw-diagram-status", root);
  status.hidden = true;
  canvas.addEventListener("click", onClick);
  canvas.addEventListener("mouseover", onHover);
  for (const t of TRAITS) model.on(`change:${t}`, schedule);
  for (const ev of LOST) model.on(ev, lost);
  draw();
  return () => {
    for (const t of TRAITS) model.off(`change:${t}`, schedule);
    for (const ev of LOST) model.off(ev, lost);
    canvas.removeEventListener("click", onClick);
    canvas.removeEventListener("mouseover", onHover);
  };
}
var diagram_default = { render };

// js/lib/trainplot.js
function finiteRange(arrays, { positive = false } = {}) {
  let lo = Infinity;
  let hi = -Infinity;
  for (const a of arrays) {
    for (let k = 0; k < a.length; k++) {
      const v = a[k];
      if (!Number.isFinite(v) || positive && !(v > 0)) continue;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  }
  if (lo > hi) return positive ? [1e-3, 1] : [0, 1];
  if (lo === hi) return positive ? [lo / 2, hi * 2] : [lo - 0.5, hi + 0.5];
  return [lo, hi];
}
function scale(lo, hi, p0, p1, log = false) {
  if (log) {
    const a = Math.log10(lo);
    const b = Math.log10(hi);
    const span2 = b - a || 1;
    return (v) => p0 + (Math.log10(Math.max(v, lo * 1e-3)) - a) / span2 * (p1 - p0);
  }
  const span = hi - lo || 1;
  return (v) => p0 + (v - lo) / span * (p1 - p0);
}
function ticks(lo, hi, count = 5, log = false) {
  if (!(hi > lo)) return [lo];
  if (log) {
    const out2 = [];
    for (let e = Math.ceil(Math.log10(lo)); e <= Math.floor(Math.log10(hi)); e++) out2.push(10 ** e);
    return out2.length ? out2 : [lo, hi];
  }
  const raw = (hi - lo) / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw) || raw;
  const out = [];
  for (let k = Math.ceil(lo / step - 1e-9); k * step <= hi + step * 1e-9; k++) {
    out.push(Number((k * step).toPrecision(12)));
  }
  return out;
}
function nearest(xs, ys, px, py, radius) {
  let best = -1;
  let bestD = radius * radius;
  for (let k = 0; k < xs.length; k++) {
    const d = (xs[k] - px) ** 2 + (ys[k] - py) ** 2;
    if (d <= bestD) {
      bestD = d;
      best = k;
    }
  }
  return best;
}
var CLASS_COLORS = [
  [0, 114, 178],
  [213, 94, 0],
  [0, 158, 115],
  [204, 121, 167],
  [230, 159, 0],
  [86, 180, 233],
  [240, 228, 66],
  [0, 0, 0],
  [128, 128, 128],
  [153, 85, 0]
];

// js/trainer.js
var PLOT = 300;
var CURVE_W = 340;
var CURVE_H = 220;
var PAD = { left: 46, right: 10, top: 10, bottom: 28 };
var LOST2 = ["comm_live_update", "comm:close"];
function html2(tag, className, parent = null, text = null) {
  const e = document.createElement(tag);
  if (className) e.className = className;
  if (text !== null) e.textContent = text;
  if (parent) parent.appendChild(e);
  return e;
}
function button(parent, testid, label, title) {
  const b = html2("button", "bw-train-button", parent, label);
  b.type = "button";
  b.dataset.testid = testid;
  b.title = title;
  return b;
}
function cssVar(el, name, fallback) {
  const v = getComputedStyle(el).getPropertyValue(name).trim();
  return v || fallback;
}
function diagramView(model) {
  const handlers = /* @__PURE__ */ new Map();
  const fire = () => {
    for (const [ev, fs] of handlers) if (ev.startsWith("change:")) for (const f of fs) f();
  };
  model.on("change:diagram", fire);
  return {
    get: (name) => (model.get("diagram") || {})[name],
    set: () => {
    },
    save_changes: () => {
    },
    on(ev, f) {
      if (!ev.startsWith("change:")) return model.on(ev, f);
      if (!handlers.has(ev)) handlers.set(ev, /* @__PURE__ */ new Set());
      handlers.get(ev).add(f);
    },
    off(ev, f) {
      if (!ev.startsWith("change:")) return model.off(ev, f);
      if (handlers.has(ev)) handlers.get(ev).delete(f);
    },
    dispose: () => model.off("change:diagram", fire)
  };
}
function render2({ model, el }) {
  const root = html2("div", "bw-widget bw-trainer", el);
  root.dataset.testid = "bw-trainer";
  const bar = html2("div", "bw-train-bar", root);
  const play = button(bar, "bw-train-play", "▶ Play", "train until paused");
  const pause = button(bar, "bw-train-pause", "❚❚ Pause", "stop training");
  const step = button(bar, "bw-train-step", "Step", "one gradient-descent update");
  const reset = button(bar, "bw-train-reset", "Reset", "back to the initial weights");
  const controls = {};
  const messages = {};
  function field(name, label, width, title) {
    const wrap = html2("label", "bw-train-field", bar);
    html2("span", null, wrap, label);
    const input = html2("input", "bw-train-input", wrap);
    input.type = "text";
    input.size = width;
    input.title = title;
    input.dataset.testid = "bw-control";
    input.dataset.name = name;
    const msg = html2("span", "bw-train-message bw-train-control-message", wrap);
    msg.dataset.testid = "bw-message";
    msg.dataset.name = name;
    msg.hidden = true;
    controls[name] = input;
    messages[name] = msg;
    const commit = () => {
      model.send({ action: "set", name, value: input.value });
    };
    input.addEventListener("change", commit);
    input.addEventListener("keydown", (e) => {
      if (e.key === "Enter") commit();
    });
    return input;
  }
  field("lr", "η", 6, "learning rate: multiplies the batch mean of the gradient");
  field("batch_size", "batch", 5, "batch size: a number, or 'full' for every training sample");
  const logWrap = html2("label", "bw-train-field", bar);
  const logBox = html2("input", null, logWrap);
  logBox.type = "checkbox";
  logBox.dataset.testid = "bw-control";
  logBox.dataset.name = "log_scale";
  html2("span", null, logWrap, "log scale");
  logBox.addEventListener("change", () => {
    model.set("log_scale", logBox.checked);
    model.save_changes();
  });
  const status = html2("div", "bw-train-status", root);
  const runMessage = html2("div", "bw-train-message bw-train-run-message", root);
  runMessage.dataset.testid = "bw-message";
  runMessage.dataset.name = "run";
  runMessage.hidden = true;
  const plots = html2("div", "bw-train-plots", root);
  const left = html2("figure", "bw-train-figure", plots);
  const boundary = html2("canvas", "bw-train-canvas bw-train-boundary", left);
  boundary.dataset.testid = "bw-boundary";
  const leftCap = html2("figcaption", null, left);
  const right = html2("figure", "bw-train-figure", plots);
  const curve = html2("canvas", "bw-train-canvas", right);
  curve.dataset.testid = "bw-loss-curve";
  const legend = html2("figcaption", null, right);
  const diagramBox = html2("div", "bw-train-diagram", root);
  const dmodel = diagramView(model);
  const disposeDiagram = diagram_default.render({ model: dmodel, el: diagramBox });
  const dpr = Math.max(1, Math.min(2, globalThis.devicePixelRatio || 1));
  function size(canvas, w, h) {
    canvas.width = Math.round(w * dpr);
    canvas.height = Math.round(h * dpr);
    canvas.style.width = `${w}px`;
    canvas.style.height = `${h}px`;
    const ctx = canvas.getContext("2d");
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    return ctx;
  }
  const bctx = size(boundary, PLOT, PLOT);
  const cctx = size(curve, CURVE_W, CURVE_H);
  const grid = document.createElement("canvas");
  let hits = { xs: [], ys: [], split: [], index: [] };
  function drawBoundary() {
    const task = model.get("task");
    const box = model.get("box") || [];
    const pic = model.get("picture") || {};
    const pts = model.get("samples") || {};
    const fg = cssVar(root, "--bw-fg", "#1f1f1f");
    bctx.clearRect(0, 0, PLOT, PLOT);
    hits = { xs: [], ys: [], split: [], index: [] };
    if (box.length === 4 && pic.score) {
      const score = unpack(pic.score);
      const cls = unpack(pic.cls);
      const [n, m] = score.shape;
      grid.width = m;
      grid.height = n;
      const g = grid.getContext("2d");
      const img = g.createImageData(m, n);
      for (let k = 0; k < n * m; k++) {
        let rgb;
        let alpha;
        if (pic.kind === "binary") {
          rgb = divergingRgb(0.6 * score.data[k], 1);
          alpha = 210;
        } else {
          rgb = CLASS_COLORS[cls.data[k] % CLASS_COLORS.length];
          alpha = Math.round(60 + 140 * score.data[k]);
        }
        img.data.set([rgb[0], rgb[1], rgb[2], alpha], 4 * k);
      }
      g.putImageData(img, 0, 0);
      bctx.imageSmoothingEnabled = true;
      bctx.drawImage(grid, 0, 0, PLOT, PLOT);
      const sx = scale(box[0], box[1], 0, PLOT);
      const sy = scale(box[2], box[3], PLOT, 0);
      const binary = pic.kind === "binary";
      for (const [key, ckey, split] of [["X", "c", "train"], ["X_test", "c_test", "test"]]) {
        if (!pts[key] || !pts[key].data) continue;
        const P = unpack(pts[key]);
        const c = unpack(pts[ckey]);
        const N = P.shape[1] || 0;
        for (let k = 0; k < N; k++) {
          const x = sx(P.data[k]);
          const y = sy(P.data[N + k]);
          const rgb = binary ? c.data[k] ? [178, 24, 43] : [33, 102, 172] : CLASS_COLORS[c.data[k] % CLASS_COLORS.length];
          bctx.beginPath();
          bctx.arc(x, y, split === "train" ? 3.5 : 3, 0, 2 * Math.PI);
          bctx.fillStyle = split === "train" ? `rgb(${rgb.join(",")})` : "rgba(255,255,255,0.9)";
          bctx.fill();
          bctx.lineWidth = split === "train" ? 1 : 1.8;
          bctx.strokeStyle = split === "train" ? "rgba(255,255,255,0.9)" : `rgb(${rgb.join(",")})`;
          bctx.stroke();
          hits.xs.push(x);
          hits.ys.push(y);
          hits.split.push(split);
          hits.index.push(k);
        }
      }
      leftCap.textContent = "decision boundary (filled: training samples, rings: test samples); pause and click a sample to derive its gradient";
    } else if (box.length === 2 && pic.x) {
      drawCurveFit(box, pic, pts, fg);
      leftCap.textContent = "the fitted function (line) and the samples (dots)";
    } else {
      leftCap.textContent = "no picture for inputs of this width";
    }
    boundary.dataset.firstSample = hits.xs.length ? `${hits.xs[0].toFixed(1)},${hits.ys[0].toFixed(1)}` : "";
    boundary.dataset.samples = String(hits.xs.length);
    const picked = model.get("picked") || [];
    if (picked.length === 2) {
      for (let k = 0; k < hits.xs.length; k++) {
        if (hits.split[k] === picked[0] && hits.index[k] === picked[1]) {
          bctx.beginPath();
          bctx.arc(hits.xs[k], hits.ys[k], 8, 0, 2 * Math.PI);
          bctx.lineWidth = 2.5;
          bctx.strokeStyle = fg;
          bctx.stroke();
        }
      }
    }
  }
  function drawCurveFit(box, pic, pts, fg) {
    const xs = unpack(pic.x).data;
    const ys = unpack(pic.y).data;
    const P = pts.X ? unpack(pts.X).data : [];
    const T = pts.c ? unpack(pts.c).data : [];
    const [lo, hi] = finiteRange([ys, T]);
    const pad = 0.1 * (hi - lo);
    const sx = scale(box[0], box[1], 8, PLOT - 8);
    const sy = scale(lo - pad, hi + pad, PLOT - 8, 8);
    bctx.fillStyle = "rgba(33,102,172,0.75)";
    for (let k = 0; k < P.length; k++) {
      const x = sx(P[k]);
      const y = sy(T[k]);
      bctx.beginPath();
      bctx.arc(x, y, 3, 0, 2 * Math.PI);
      bctx.fill();
      hits.xs.push(x);
      hits.ys.push(y);
      hits.split.push("train");
      hits.index.push(k);
    }
    bctx.beginPath();
    for (let k = 0; k < xs.length; k++) {
      const x = sx(xs[k]);
      const y = sy(ys[k]);
      if (k === 0) bctx.moveTo(x, y);
      else bctx.lineTo(x, y);
    }
    bctx.lineWidth = 2;
    bctx.strokeStyle = fg;
    bctx.stroke();
  }
  function drawLoss() {
    const c = model.get("curve") || {};
    const steps = c.step ? unpack(c.step).data : [];
    const train = c.train ? unpack(c.train).data : [];
    const test = c.test && c.test.data ? unpack(c.test).data : [];
    const log = Boolean(model.get("log_scale"));
    const fg = cssVar(root, "--bw-fg", "#1f1f1f");
    const muted = cssVar(root, "--bw-fg-muted", "#5a5a5a");
    cctx.clearRect(0, 0, CURVE_W, CURVE_H);
    const x0 = PAD.left;
    const x1 = CURVE_W - PAD.right;
    const y0 = CURVE_H - PAD.bottom;
    const y1 = PAD.top;
    const last = steps.length ? steps[steps.length - 1] : 0;
    const sx = scale(0, Math.max(1, last), x0, x1);
    let [lo, hi] = finiteRange([train, test], { positive: log });
    if (!log) lo = Math.min(0, lo);
    const sy = scale(lo, hi, y0, y1, log);
    cctx.font = "11px sans-serif";
    cctx.fillStyle = muted;
    cctx.strokeStyle = muted;
    cctx.lineWidth = 1;
    cctx.beginPath();
    cctx.moveTo(x0, y1);
    cctx.lineTo(x0, y0);
    cctx.lineTo(x1, y0);
    cctx.stroke();
    cctx.textAlign = "right";
    for (const t of ticks(lo, hi, 4, log)) {
      const y = sy(t);
      if (y < y1 - 1 || y > y0 + 1) continue;
      cctx.fillText(formatNumber(t, 2), x0 - 4, y + 4);
    }
    cctx.textAlign = "center";
    for (const t of ticks(0, Math.max(1, last), 4)) cctx.fillText(String(Math.round(t)), sx(t), y0 + 14);
    cctx.fillText("step", (x0 + x1) / 2, CURVE_H - 2);
    for (const [ys, colour, dash] of [[train, fg, []], [test, "#d55e00", [5, 3]]]) {
      if (!ys.length) continue;
      cctx.beginPath();
      for (let k = 0; k < ys.length; k++) {
        const x = sx(steps[k]);
        const y = sy(ys[k]);
        if (k === 0) cctx.moveTo(x, y);
        else cctx.lineTo(x, y);
      }
      cctx.setLineDash(dash);
      cctx.lineWidth = 1.8;
      cctx.strokeStyle = colour;
      cctx.stroke();
      cctx.setLineDash([]);
    }
    const lastTrain = train.length ? formatNumber(train[train.length - 1], 4) : "–";
    const lastTest = test.length ? formatNumber(test[test.length - 1], 4) : "–";
    legend.textContent = `mean loss per sample — train (solid): ${lastTrain}` + (test.length ? `, test (dashed): ${lastTest}` : "") + (log ? " (log scale)" : "");
  }
  function drawStatus() {
    const running = Boolean(model.get("running"));
    const acc = model.get("accuracy_test");
    const accTrain = model.get("accuracy_train");
    let text = `step ${model.get("steps")}`;
    if (accTrain !== null && accTrain !== void 0) text += `   train accuracy ${(100 * accTrain).toFixed(1)}%`;
    if (acc !== null && acc !== void 0) text += `   test accuracy ${(100 * acc).toFixed(1)}%`;
    text += running ? "   (playing)" : "";
    status.textContent = text;
    play.disabled = running;
    pause.disabled = !running;
    const msg = model.get("message") || "";
    runMessage.textContent = msg;
    runMessage.hidden = !msg;
    const err = model.get("control_error") || {};
    for (const [name, m] of Object.entries(messages)) {
      const text2 = err.name === name ? err.text : "";
      m.textContent = text2;
      m.hidden = !text2;
      controls[name].classList.toggle("bw-train-invalid", Boolean(text2));
    }
    if (document.activeElement !== controls.lr && err.name !== "lr") controls.lr.value = String(model.get("lr"));
    if (document.activeElement !== controls.batch_size && err.name !== "batch_size") {
      const b = model.get("batch_size");
      controls.batch_size.value = b === null || b === void 0 ? "full" : String(b);
    }
    logBox.checked = Boolean(model.get("log_scale"));
    root.dataset.running = String(running);
  }
  let frame = 0;
  function paint() {
    frame = 0;
    drawStatus();
    drawBoundary();
    drawLoss();
    root.dataset.steps = String(model.get("steps"));
    root.dataset.version = String(model.get("version"));
    root.dataset.drawn = "true";
  }
  function schedule() {
    if (frame) return;
    frame = requestAnimationFrame(paint);
  }
  const TRAITS2 = ["version", "running", "message", "control_error", "log_scale", "lr", "batch_size", "picked"];
  for (const t of TRAITS2) model.on(`change:${t}`, schedule);
  const send = (action) => () => model.send({ action });
  play.addEventListener("click", send("play"));
  pause.addEventListener("click", send("pause"));
  step.addEventListener("click", send("step"));
  reset.addEventListener("click", send("reset"));
  boundary.addEventListener("click", (event) => {
    const r = boundary.getBoundingClientRect();
    const k = nearest(hits.xs, hits.ys, event.clientX - r.left, event.clientY - r.top, 8);
    if (k < 0) return;
    model.send({ action: "pick", split: hits.split[k], index: hits.index[k] });
  });
  function lost() {
    root.classList.add("bw-disconnected");
    root.dataset.disconnected = "true";
    runMessage.textContent = "disconnected from the kernel: run the cell again";
    runMessage.hidden = false;
    for (const b of [play, pause, step, reset]) b.disabled = true;
  }
  for (const ev of LOST2) model.on(ev, lost);
  paint();
  model.send({ action: "view", alive: true });
  return () => {
    if (frame) cancelAnimationFrame(frame);
    for (const t of TRAITS2) model.off(`change:${t}`, schedule);
    for (const ev of LOST2) model.off(ev, lost);
    if (typeof disposeDiagram === "function") disposeDiagram();
    dmodel.dispose();
    try {
      model.send({ action: "view", alive: false });
    } catch (e) {
    }
  };
}
var trainer_default = { render: render2 };
export {
  trainer_default as default
};
