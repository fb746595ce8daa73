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
    const scale = Math.max(0, ...mats.map((m) => maxAbs(m.data)));
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
      const w = Number.isFinite(v) && scale > 0 ? WIDTH_MIN + WIDTH_SPAN * Math.abs(v) / scale : WIDTH_MIN;
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
    let cap = `Edges: ${what}; colour = sign, width ∝ |value| (max ${formatNumber(scale)})`;
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
export {
  diagram_default as default
};
