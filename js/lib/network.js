// The network diagram, drawn into an element: one column of units per layer, one edge per
// weight. Shared by NetworkDiagram (js/diagram.js) and the explorer (js/explorer.js); both
// pass the payload of diagram_state() in backprop_widgets/widgets/diagram.py, whose numbers
// and colour limits come from Python. This module only draws.
//
// Test hooks: root data-testid="bw-diagram", data-rendered (a count), data-selected
// ("ℓ,i,j", Python indices); nodes data-testid="bw-node" data-layer data-index (0-based);
// edges data-testid="bw-edge" data-layer data-i data-j; collapsed runs data-testid="bw-more".
import { unpack } from "./buffers.js";
import { colorbarGradient, divergingColor, signClass } from "./colors.js";
import { h, setText, svg } from "./dom.js";
import { formatNumber } from "./format.js";
import { checkEntry, entryText, pythonIndex, thinLabels, unitText } from "./indices.js";
import { layoutNetwork } from "./layout.js";

const NODE_RADIUS = 10;
const WIDTH_MIN = 0.75;
const WIDTH_SPAN = 4.5;

function mostCommon(names) {
  const counts = new Map();
  for (const n of names) counts.set(n, (counts.get(n) || 0) + 1);
  let best = null;
  for (const [n, k] of counts) if (best === null || k > counts.get(best)) best = n;
  return best;
}

/**
 * Build the diagram's elements inside `root` (which gets class bw-diagram). Returns
 * {draw(state, view), disconnect(message)}: `state` is diagram_state()'s payload, `view` is
 * {show: "weights"|"gradients", selected: [ℓ, i, j] | null, maxNodes}. `onSelect([ℓ, i, j])`
 * is called when an edge is clicked.
 */
export function createNetworkView(root, { onSelect = null } = {}) {
  root.classList.add("bw-diagram");
  root.dataset.testid = "bw-diagram";
  const caption = h("div", { class: "bw-diagram-caption" });
  const canvas = h("div", { class: "bw-diagram-canvas" });
  const readout = h("div", { class: "bw-diagram-readout", "aria-live": "polite", text: "\u00a0" });
  const note = h("div", { class: "bw-diagram-note" });
  const legend = h("div", { class: "bw-diagram-legend" });
  const status = h("div", { class: "bw-diagram-status" });
  status.hidden = true;
  root.append(caption, canvas, readout, note, legend, status);
  let draws = 0;
  let live = true;

  // The drawn SVG and handles on what a repaint changes. A repaint whose structure (sizes,
  // units drawn, selected edge, labels) is the one drawn only rewrites values in place: edge
  // colours, widths and tooltips, unit fills, headers. New elements cost the page a layout of
  // the whole diagram; changed attributes cost only what they touch.
  let built = null;

  function set(el, name, value) {
    if (el.getAttribute(name) !== value) el.setAttribute(name, value);
  }

  // A tooltip (<title>) and the same text in data-value, which the readout shows on hover.
  function setTip(el, tip, text) {
    if (tip.textContent !== text) {
      tip.textContent = text;
      el.dataset.value = text;
    }
  }

  function build(lay, sel, unitActs, structure) {
    const s = svg("svg", {
      class: "bw-diagram-svg", width: lay.width, height: lay.height,
      viewBox: `0 0 ${lay.width} ${lay.height}`, role: "img",
    });
    const title = svg("title", {}, s);
    const subs = lay.columns.map((c) => {
      const head = svg("text", { class: "bw-col-head", x: c.x, y: 18, "text-anchor": "middle" }, s);
      head.textContent = `n(${c.layer}) = ${c.n}`;
      return svg("text", { class: "bw-col-sub", x: c.x, y: 36, "text-anchor": "middle" }, s);
    });

    // Edges; the selected one last, on top, with a halo.
    const edgeLayer = svg("g", { class: "bw-edges" }, s);
    let selectedEdge = null;
    const edges = lay.edges.map((e) => {
      const a = lay.position(e.layer - 1, e.j);
      const b = lay.position(e.layer, e.i);
      const g = svg("g", { "data-testid": "bw-edge" }, edgeLayer);
      g.dataset.layer = e.layer;
      g.dataset.i = e.i;
      g.dataset.j = e.j;
      const ends = { x1: a.x, y1: a.y, x2: b.x, y2: b.y };
      const isSel = Boolean(sel && sel.layer === e.layer && sel.i === e.i && sel.j === e.j);
      if (isSel) {
        g.dataset.selected = "true";
        svg("line", { ...ends, class: "bw-edge-halo" }, g);
        selectedEdge = g;
      }
      const line = svg("line", { ...ends, class: "bw-edge-line" }, g);
      svg("line", { ...ends, class: "bw-edge-hit" }, g);
      return { e, g, line, tip: svg("title", {}, g), extra: isSel ? " bw-selected" : "" };
    });
    if (selectedEdge) edgeLayer.appendChild(selectedEdge);

    // Units, labelled from 1 (thinned in tall columns), and markers for collapsed runs.
    const nodeLayer = svg("g", { class: "bw-nodes" }, s);
    const nodes = [];
    for (const c of lay.columns) {
      const names = c.layer >= 1 ? unitActs[c.layer - 1] || [] : [];
      const common = mostCommon(names); // a mixed layer names only its exceptions
      const units = c.items.filter((it) => it.kind === "unit");
      const labelled = new Set(thinLabels(units.length).map((k) => units[k].index));
      for (const it of c.items) {
        if (it.kind === "gap") {
          const g = svg("g", { class: "bw-more", "data-testid": "bw-more" }, nodeLayer);
          g.dataset.layer = c.layer;
          g.dataset.count = it.count;
          const label = `\u2026 (+${it.count})`;
          const w = 8 + 7 * label.length;
          svg("rect", { class: "bw-more-bg", x: c.x - w / 2, y: it.y - 9, width: w, height: 18, rx: 4 }, g);
          const t = svg("text", { x: c.x, y: it.y + 4, "text-anchor": "middle" }, g);
          t.textContent = label;
          setTip(g, svg("title", {}, g), `units ${it.from + 1}\u2013${it.from + it.count} of layer ${c.layer} are not drawn`);
          continue;
        }
        const g = svg("g", { class: "bw-node", "data-testid": "bw-node" }, nodeLayer);
        g.dataset.layer = c.layer;
        g.dataset.index = it.index;
        const circle = svg("circle", { cx: c.x, cy: it.y, r: NODE_RADIUS, class: "bw-node-circle" }, g);
        if (labelled.has(it.index)) {
          // outside the edges: left of the input column, right of the output column
          // on an opaque pill, so edges converging on the unit never run through its number
          const right = c.layer === lay.columns.length - 1 && c.layer > 0;
          const text = String(it.index + 1);
          const w = 6 + 6.5 * text.length;
          const x = right ? c.x + NODE_RADIUS + 3 : c.x - NODE_RADIUS - 3 - w;
          svg("rect", { class: "bw-unit-index-bg", x, y: it.y - 7.5, width: w, height: 15, rx: 4 }, g);
          const t = svg("text", { class: "bw-unit-index", x: x + w / 2, y: it.y + 4, "text-anchor": "middle" }, g);
          t.textContent = text;
        }
        const unitName = names.length ? names[it.index] : null;
        if (unitName && unitName !== common) {
          const t = svg("text", { class: "bw-unit-act", x: c.x + NODE_RADIUS + 4, y: it.y - NODE_RADIUS + 2 }, g);
          t.textContent = unitName;
        }
        nodes.push({ layer: c.layer, index: it.index, g, circle, tip: svg("title", {}, g), unitName });
      }
    }
    canvas.replaceChildren(s);
    built = { structure, title, subs, edges, nodes };
  }

  function draw(state, view = {}) {
    const sizes = state.sizes || [];
    const show = view.show === "gradients" ? "gradients" : "weights";
    const mats = ((show === "gradients" ? state.gradients : state.weights) || []).map(unpack);
    const zs = (state.z || []).map(unpack);
    const acts = state.activations || [];
    const unitActs = state.unit_activations || [];
    const scales = state.scales || {};
    const scale = scales[show] ?? 1;
    const zScale = scales.z ?? 1;
    const sel = checkEntry(view.selected, sizes);
    const pinned = {};
    if (sel) {
      pinned[sel.layer] = [sel.i];
      pinned[sel.layer - 1] = [sel.j];
    }
    const maxNodes = view.maxNodes || 16;
    const lay = layoutNetwork(sizes, { maxNodes, pinned });
    const sym = show === "gradients" ? "\u2202E/\u2202" : "";
    const matName = show === "gradients" ? "\u2202E/\u2202W" : "W";

    // What decides the elements; everything else is a value written into them below.
    const structure = JSON.stringify([sizes, maxNodes, sel && [sel.layer, sel.i, sel.j], unitActs]);
    if (!built || built.structure !== structure) build(lay, sel, unitActs, structure);

    setText(built.title, `network with sizes [${sizes.join(", ")}]`);
    lay.columns.forEach((c, k) => {
      const names = c.layer >= 1 ? unitActs[c.layer - 1] || [] : [];
      const label = names.length ? `${mostCommon(names)}, mixed` : acts[c.layer - 1] ?? "";
      const text = c.layer === 0 ? "input x" : `\u03c3: ${label}`;
      if (built.subs[k].textContent !== text) built.subs[k].textContent = text;
    });
    for (const edge of built.edges) {
      const { e, g, line, tip, extra } = edge;
      const m = mats[e.layer - 1];
      const v = m && m.shape.length === 2 ? m.data[e.i * m.shape[1] + e.j] : NaN;
      // an activation, x or y changed: the weights, and so the edges, stay as they are
      if (Object.is(edge.v, v) && edge.scale === scale && edge.show === show) continue;
      Object.assign(edge, { v, scale, show });
      set(g, "class", `bw-edge ${signClass(v)}${extra}`);
      const w = Number.isFinite(v) && scale > 0 ? WIDTH_MIN + (WIDTH_SPAN * Math.min(1, Math.abs(v) / scale)) : WIDTH_MIN;
      set(line, "stroke-width", w.toFixed(2));
      setTip(g, tip, `${sym}${entryText(e.layer, e.i, e.j)} = ${formatNumber(v, 4)} (${pythonIndex(e.i, e.j)} of ${matName}(${e.layer}))`);
    }
    for (const { layer, index, g, circle, tip, unitName } of built.nodes) {
      const z = zs[layer];
      const zv = z && z.data.length ? z.data[index] : null;
      const fill = zv !== null ? divergingColor(zv, zScale) : "";
      if (circle.style.fill !== fill) circle.style.fill = fill;
      let text = `${unitText(layer, index)} (unit ${index + 1} of layer ${layer})`;
      if (zv !== null) text += ` = ${formatNumber(zv, 4)}`;
      if (unitName) text += `   \u03c3 = ${unitName}`;
      setTip(g, tip, text);
    }

    const what = show === "gradients" ? "gradients \u2202E/\u2202W(\u2113)" : "weights W(\u2113)";
    let cap = `Edges: ${what}; colour = sign, width \u221d |value| (max ${formatNumber(scale)})`;
    if (state.loss !== null && state.loss !== undefined) cap += `;  E = ${formatNumber(state.loss, 4)}`;
    if (caption.textContent !== cap) caption.textContent = cap;
    const legendKey = zs.length ? `${state.z_samples || 1}\u0000${zScale}` : "";
    if (legend.dataset.key !== legendKey || !legend.firstChild) {
      legend.replaceChildren();
      const item = (cls, text) => h("span", { class: "bw-legend-item" }, h("span", { class: `bw-swatch ${cls}` }), h("span", { text }));
      legend.append(item("bw-pos", "positive"), item("bw-neg", "negative"));
      if (zs.length) {
        const samples = state.z_samples || 1;
        const bar = h("span", { class: "bw-colorbar" });
        bar.style.background = colorbarGradient("to right");
        legend.append(h("span", { class: "bw-legend-item" },
          h("span", { text: `unit fill z(\u2113)${samples > 1 ? ` (mean of ${samples} samples)` : ""}: ${formatNumber(-zScale)}` }),
          bar, h("span", { text: formatNumber(zScale) })));
      }
      legend.dataset.key = legendKey;
    }
    const noteText = lay.collapsed
      ? `Layers wider than ${maxNodes} units show their first and last units; the others' edges are not drawn.`
      : "";
    if (note.textContent !== noteText) note.textContent = noteText;
    note.hidden = !lay.collapsed;
    root.dataset.show = show;
    root.dataset.selected = sel ? `${sel.layer},${sel.i},${sel.j}` : "";
    draws += 1;
    root.dataset.rendered = String(draws);
  }

  function onClick(event) {
    const edge = event.target.closest && event.target.closest('[data-testid="bw-edge"]');
    if (!live || !edge || !root.contains(edge) || !onSelect) return;
    onSelect([Number(edge.dataset.layer), Number(edge.dataset.i), Number(edge.dataset.j)]);
  }

  function onHover(event) {
    const it = event.target.closest && event.target.closest("[data-value]");
    readout.textContent = it && root.contains(it) ? it.dataset.value : "\u00a0";
  }

  canvas.addEventListener("click", onClick);
  canvas.addEventListener("mouseover", onHover);

  return {
    draw,
    disconnect(message) {
      live = false;
      root.dataset.disconnected = "true";
      root.classList.add("bw-disconnected");
      status.textContent = message;
      status.hidden = false;
    },
    destroy() {
      canvas.removeEventListener("click", onClick);
      canvas.removeEventListener("mouseover", onHover);
    },
  };
}
