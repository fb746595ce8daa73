// NetworkDiagram: one column of nodes per layer, one edge per weight of W(ℓ).
// Python (backprop_widgets/widgets/diagram.py) computes every number; this module only draws.
//
// Test hooks: the root has data-testid="bw-diagram" and data-rendered (a count that changes
// after each draw); nodes data-testid="bw-node" data-layer data-index; edges
// data-testid="bw-edge" data-layer data-i data-j (W(ℓ)[i, j]); collapsed runs of units
// data-testid="bw-more" data-layer data-count.
import { unpack } from "./lib/buffers.js";
import { colorbarGradient, divergingColor, maxAbs, signClass } from "./lib/colors.js";
import { formatNumber } from "./lib/format.js";
import { layoutNetwork } from "./lib/layout.js";

const SVG_NS = "http://www.w3.org/2000/svg";
const NODE_RADIUS = 11;
const WIDTH_MIN = 0.75;
const WIDTH_SPAN = 4.5;

const TRAITS = [
  "sizes", "activations", "unit_activations", "weights", "gradients", "z", "z_samples", "loss",
  "show", "selected", "max_nodes",
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
  if (text !== null) e.textContent = text; // names from Python are text, never HTML
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

// Model events when the kernel goes away or the Python widget is closed.
const LOST = ["comm_live_update", "comm:close"];

function render({ model, el }) {
  const root = html("div", "bw-diagram", el);
  root.dataset.testid = "bw-diagram";
  const caption = html("div", "bw-diagram-caption", root);
  const canvas = html("div", "bw-diagram-canvas", root);
  const readout = html("div", "bw-diagram-readout", root, "\u00a0");
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
      role: "img",
    });
    svg("title", {}, s).textContent = `network with sizes [${sizes.join(", ")}]`;

    // Column headers: n(ℓ) and σ(ℓ).
    for (const c of lay.columns) {
      const head = svg("text", { class: "bw-col-head", x: c.x, y: 18, "text-anchor": "middle" }, s);
      head.textContent = `n(${c.layer}) = ${c.n}`;
      const sub = svg("text", { class: "bw-col-sub", x: c.x, y: 36, "text-anchor": "middle" }, s);
      sub.textContent = c.layer === 0 ? "input x" : `σ: ${acts[c.layer - 1] ?? ""}`;
    }

    // Edges, layer by layer; the selected one last, on top, with a halo.
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
      const w = Number.isFinite(v) && scale > 0 ? WIDTH_MIN + (WIDTH_SPAN * Math.abs(v)) / scale : WIDTH_MIN;
      svg("line", { ...ends, class: "bw-edge-line", "stroke-width": w.toFixed(2) }, g);
      svg("line", { ...ends, class: "bw-edge-hit" }, g);
      titled(g, `${sym}(${e.layer})[${e.i}, ${e.j}] = ${formatNumber(v, 4)}`);
    }
    if (selectedEdge) edgeLayer.appendChild(selectedEdge);

    // Nodes, and the markers for collapsed runs of units.
    const nodeLayer = svg("g", { class: "bw-nodes" }, s);
    for (const c of lay.columns) {
      const z = zs[c.layer];
      const names = c.layer >= 1 ? unitActs[c.layer - 1] || [] : [];
      const collapsed = c.items.some((it) => it.kind === "gap");
      for (const it of c.items) {
        if (it.kind === "gap") {
          const g = svg("g", { class: "bw-more", "data-testid": "bw-more" }, nodeLayer);
          g.dataset.layer = c.layer;
          g.dataset.count = it.count;
          const label = `… (+${it.count})`;
          const w = 8 + 7 * label.length; // a backing so that edges do not run through the text
          svg("rect", { class: "bw-more-bg", x: c.x - w / 2, y: it.y - 9, width: w, height: 18, rx: 4 }, g);
          const t = svg("text", { x: c.x, y: it.y + 4, "text-anchor": "middle" }, g);
          t.textContent = label;
          titled(g, `units ${it.from}–${it.from + it.count - 1} of layer ${c.layer} are not drawn`);
          continue;
        }
        const g = svg("g", { class: "bw-node", "data-testid": "bw-node" }, nodeLayer);
        g.dataset.layer = c.layer;
        g.dataset.index = it.index;
        const zv = z && z.data.length ? z.data[it.index] : null;
        const circle = svg("circle", { cx: c.x, cy: it.y, r: NODE_RADIUS, class: "bw-node-circle" }, g);
        if (zv !== null) circle.style.fill = divergingColor(zv, zScale); // beats the CSS default
        if (collapsed) {
          // in a collapsed layer the drawn units are not 0..k: say which ones they are
          const t = svg("text", {
            class: "bw-unit-index", x: c.x - NODE_RADIUS - 3, y: it.y + 4, "text-anchor": "end",
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

    // Caption, legend and note.
    const what = show === "gradients" ? "gradients ∂E/∂W(ℓ)" : "weights W(ℓ)";
    let cap = `Edges: ${what}; colour = sign, width ∝ |value| (max ${formatNumber(scale)})`;
    const loss = model.get("loss");
    if (loss !== null && loss !== undefined) cap += `;  E = ${formatNumber(loss, 4)}`;
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
    note.textContent = lay.collapsed
      ? `Layers wider than ${model.get("max_nodes") || 16} units show their first and last units; ` +
        "edges of the hidden units are not drawn."
      : "";
    note.hidden = !lay.collapsed;
    root.dataset.show = show;
    root.dataset.selected = sel ? `${sel.layer},${sel.i},${sel.j}` : "";
    draws += 1;
    root.dataset.rendered = String(draws);
  }

  function schedule() {
    if (pending) return;
    pending = true;
    queueMicrotask(draw); // one redraw for a batch of trait changes
  }

  function onClick(event) {
    const edge = event.target.closest && event.target.closest('[data-testid="bw-edge"]');
    if (!edge || !root.contains(edge)) return;
    model.set("selected", [Number(edge.dataset.layer), Number(edge.dataset.i), Number(edge.dataset.j)]);
    model.save_changes();
  }

  function onHover(event) {
    const item = event.target.closest && event.target.closest("[data-value]");
    readout.textContent = item && root.contains(item) ? item.dataset.value : "\u00a0";
  }

  // The kernel went away (restart, shutdown) or the Python widget was closed: the drawing
  // stays, greyed, and says it is no longer live; clicks no longer select.
  function lost() {
    root.dataset.disconnected = "true";
    root.classList.add("bw-disconnected");
    status.textContent = "disconnected from the kernel: these values are no longer live \u2014 run the cell again";
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

export default { render };
