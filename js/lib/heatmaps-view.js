// The explorer's heatmaps of ∂E/∂W(ℓ): analytic | finite difference | difference (or relative
// error) per layer shown, with colour bars, axes counted from 1, a hover tooltip, click and
// arrow-key selection, and the selected entry's own derivation below. Numbers and colour
// limits come from Python (heatmaps.py); this module maps values to colours and draws.
// With biases, each panel also shows ∂E/∂b(ℓ) as a one-column map beside W's (canvas
// data-param="b"; W's canvases carry data-param="W"), drawn on the payload's shared limits;
// a click on it selects ["b", ℓ, i].
import { unpack } from "./buffers.js";
import { divergingColor } from "./colors.js";
import { h, setProp, setText } from "./dom.js";
import { exact, exactText, formatNumber } from "./format.js";
import { cellAt, cellRect, colorbarBackground, colorbarTicks, moveSelection, panelLayout, panelSource } from "./heatmap.js";
import { entryTex, entryText, pythonIndex, thinLabels, unitText } from "./indices.js";
import { typeset } from "./tex.js";

const PANELS = ["analytic", "numeric", "difference"];
const CAPTIONS = {
  analytic: "analytic \u0394 z\u1d40",
  numeric: "finite difference",
  difference: "analytic \u2212 finite difference",
  relative: "relative error",
};
/** Smallest cell (px) worth clicking; below it a panel takes a row of its own. */
const MIN_CELL = 5;

/** A colour bar whose tick labels can be rewritten in place (`set(limit)`). */
function colorbar(nonnegative) {
  const bar = h("div", { class: "bw-hm-colorbar" });
  bar.style.background = colorbarBackground(nonnegative);
  const ticks = colorbarTicks(1, nonnegative).map(() => h("span"));
  const labels = h("div", { class: "bw-hm-colorbar-labels" }, ...ticks);
  const set = (limit) => colorbarTicks(limit, nonnegative).forEach((t, k) => { setText(ticks[k], formatNumber(t)); });
  return { el: h("div", { class: "bw-hm-colorbar-wrap" }, bar, labels), set };
}

/** Size a canvas for `layout` (only when it changed: resizing clears and reallocates). */
function sizeCanvas(canvas, layout) {
  const dpr = (typeof window !== "undefined" && window.devicePixelRatio) || 1;
  const w = Math.max(1, Math.round(layout.width * dpr));
  const hh = Math.max(1, Math.round(layout.height * dpr));
  if (canvas.width !== w) canvas.width = w;
  if (canvas.height !== hh) canvas.height = hh;
  canvas.style.width = `${layout.width}px`;
  canvas.style.height = `${layout.height}px`;
  return dpr;
}

function drawPanel(canvas, layout, arr, limit, kink, selected, stale) {
  const dpr = sizeCanvas(canvas, layout);
  const ctx = canvas.getContext("2d");
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.clearRect(0, 0, layout.width, layout.height);
  const { rows, cols } = layout;
  if (stale || !arr || arr.data.length !== rows * cols) {
    ctx.fillStyle = "rgba(128, 128, 128, 0.25)";
    ctx.fillRect(0, 0, layout.width, layout.height);
    return;
  }
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
      ctx.beginPath(); // one path per pass: every × of the map in one stroke
      for (let i = 0; i < rows; i++) {
        for (let j = 0; j < cols; j++) {
          if (!kink.data[i * cols + j]) continue;
          const [x, y, w, hh] = cellRect(i, j, layout);
          const p = w * 0.2;
          ctx.moveTo(x + p, y + p);
          ctx.lineTo(x + w - p, y + hh - p);
          ctx.moveTo(x + w - p, y + p);
          ctx.lineTo(x + p, y + hh - p);
        }
      }
      ctx.stroke();
    }
  }
  if (selected) {
    const [x, y, w, hh] = cellRect(selected[0], selected[1], layout);
    ctx.lineWidth = 2;
    ctx.strokeStyle = "#000";
    ctx.strokeRect(x + 1, y + 1, w - 2, hh - 2);
    ctx.strokeStyle = "#ffd400";
    ctx.lineWidth = 1;
    ctx.strokeRect(x + 2.5, y + 2.5, Math.max(0, w - 5), Math.max(0, hh - 5));
  }
}

/** Axis labels counted from 1: `n` positions `cell` px apart, thinned to stay legible. */
function axis(n, cell, vertical) {
  const box = h("div", { class: `bw-hm-axis ${vertical ? "bw-hm-axis-i" : "bw-hm-axis-j"}`, "aria-hidden": "true" });
  const most = Math.max(2, Math.floor((n * cell) / (vertical ? 14 : 22)));
  for (const k of thinLabels(n, most)) {
    const t = h("span", { text: String(k + 1) });
    t.style[vertical ? "top" : "left"] = `${(k + 0.5) * cell}px`;
    box.append(t);
  }
  box.style[vertical ? "height" : "width"] = `${n * cell}px`;
  return box;
}

/** A number of the entry panel: readable digits on screen, the exact float in data-value and title. */
function entryNumber(testid, v, digits = 6) {
  const full = exact(v);
  const text = v === null || v === undefined ? full : formatNumber(v, digits);
  return h("span", { class: "bw-num", "data-testid": testid, "data-value": full, title: exactText(v), text });
}

/** The lines every entry panel ends with: the chain applied to the direction, the finite
 * difference of E and how far apart they are. */
function checkedLines(entry, direction) {
  const val = (testid, v) => entryNumber(testid, v);
  const err = (testid, v) => entryNumber(testid, v, 3);
  return [
    h("div", { class: "bw-entry-line" }, `the chain applied to ${direction}, link by link: `, val("bw-entry-forward", entry.value_forward)),
    h("div", { class: "bw-entry-line" }, "central finite difference of E: ", val("bw-entry-numeric", entry.numeric)),
    h("div", { class: `bw-entry-line ${entry.kink ? "bw-warn" : entry.ok ? "bw-ok" : "bw-fail"}` },
      `${entry.kink ? "\u00d7 at a kink (the difference quotient straddles it; not counted) " : entry.ok ? "\u2713 " : "\u2717 "}|difference| = `,
      err("bw-entry-abs-error", entry.abs_error), ", relative error = ", err("bw-entry-rel-error", entry.rel_error)),
    h("div", { class: "bw-entry-line bw-entry-note", text: "numbers rounded to 6 significant digits; hover one for its exact value" }),
  ];
}

/** The entry panel of a bias entry b(ℓ)ᵢ: its own LaTeX from Python (the chain's Entry). */
function biasEntryView(box, entry) {
  const { layer, i } = entry;
  Object.assign(box.dataset, { param: "b", layer: String(layer), i: String(i), j: "", ok: String(entry.ok) });
  const I = i + 1;
  const val = (testid, v) => entryNumber(testid, v);
  const tex = h("span", { class: "bw-entry-tex" });
  typeset(tex, entry.tex || "", { inline: true });
  box.append(
    h("div", { class: "bw-entry-head" }, tex, h("span", { class: "bw-entry-where", text: `  entry ${I} of b(${layer}) \u2014 Python index [${i}]` })),
    h("div", { class: "bw-entry-line", text: `direction k = e(${I}): the vector with a single 1 at entry ${I}` }),
    // ∂E/∂b(ℓ)ᵢ is Δ(ℓ)ᵢ itself ((C3b)'s adjoint is v ↦ v): one number, said once
    h("div", { class: "bw-entry-line" }, `${unitText(layer, i, "\u2202E/\u2202b")} = ${unitText(layer, i, "\u0394")} = `, val("bw-entry-analytic", entry.analytic)),
    ...checkedLines(entry, "k"),
  );
  return box;
}

function entryView(entry) {
  const box = h("div", { class: "bw-entry", "data-testid": "bw-entry" });
  if (!entry || entry.layer === undefined) {
    box.dataset.empty = "true";
    box.append(h("div", { class: "bw-entry-hint", text: "Click an entry of a heatmap (or a weight in the diagram) to see its own derivation." }));
    return box;
  }
  if (entry.param === "b") return biasEntryView(box, entry);
  box.dataset.param = "W";
  const { layer, i, j } = entry;
  Object.assign(box.dataset, { layer: String(layer), i: String(i), j: String(j), ok: String(entry.ok) });
  const I = i + 1;
  const J = j + 1;
  const val = (testid, v) => entryNumber(testid, v);
  const head = h("div", { class: "bw-entry-head" });
  const tex = h("span", { class: "bw-entry-tex" });
  typeset(tex, `\\frac{\\partial E}{\\partial ${entryTex(layer, i, j)}} = \\varDelta^{(${layer})}_{${I}}\\, z^{(${layer - 1})}_{${J}}`, { inline: true });
  head.append(tex, h("span", { class: "bw-entry-where", text: `  row ${I}, column ${J} of W(${layer}) \u2014 ${pythonIndex(i, j)}` }));
  box.append(
    head,
    h("div", { class: "bw-entry-line", text: `direction H = E(${I},${J}): the matrix with a single 1 at row ${I}, column ${J}` }),
    h("div", { class: "bw-entry-line" }, `${unitText(layer, i, "\u0394")} \u00b7 ${unitText(layer - 1, j)} = `,
      val("bw-entry-delta", entry.delta_i), " \u00d7 ", val("bw-entry-z", entry.z_j), " = ", val("bw-entry-analytic", entry.analytic)),
    ...checkedLines(entry, "H"),
  );
  return box;
}

/**
 * Build the heatmaps part inside `root` (data-testid bw-explorer). Returns {paint(state)}:
 * state = {version, heatmaps, kind, selected, selectedBias ({layer, i} or null), entry, stale,
 * progress, live}; `onSelect([ℓ, i, j])` (or `onSelect(["b", ℓ, i])` on a bias map) is called
 * on a click or an arrow key.
 *
 * Speed: the width comes from a ResizeObserver, never from reading layout while painting
 * (the rest of the explorer has just written to the page: a read there forces a layout of the
 * whole notebook). A layer whose shape and panel size did not change keeps its elements; a
 * repaint then only redraws its canvases and rewrites its texts.
 */
export function createHeatmapsView(root, { onSelect }) {
  root.classList.add("bw-explorer");
  root.dataset.testid = "bw-explorer";
  const status = h("div", { class: "bw-hm-status", "data-testid": "bw-explorer-status", "aria-live": "polite" });
  const progress = h("progress", { class: "bw-hm-progress", max: "1", "data-testid": "bw-explorer-progress" });
  const layersBox = h("div", { class: "bw-hm-layers" });
  const entryBox = h("div", { class: "bw-entry-wrap" });
  const tooltip = h("div", { class: "bw-tooltip", role: "tooltip", "data-testid": "bw-tooltip" });
  tooltip.hidden = true;
  root.append(h("div", { class: "bw-hm-top" }, status, progress), layersBox, entryBox, tooltip);
  let rendered = 0;
  let current = null;
  let width = null; // the root's width (px), kept by the ResizeObserver
  let entryKey = null;
  const layers = new Map(); // ℓ → a layer's elements, reused while its geometry holds

  function showTooltip(ev, lines) {
    tooltip.textContent = lines.join("\n");
    tooltip.hidden = false;
    const box = root.getBoundingClientRect();
    const maps = layersBox.getBoundingClientRect();
    const tw = tooltip.offsetWidth;
    const th = tooltip.offsetHeight;
    let x = ev.clientX - box.left + 16;
    if (x + tw > box.width) x = Math.max(0, ev.clientX - box.left - tw - 16);
    // Below the pointer, unless that would reach into the entry panel (what a click opened):
    // then above it. The tooltip never leaves the maps' own area downwards.
    let y = ev.clientY - box.top + 16;
    if (ev.clientY + 16 + th > maps.bottom) y = Math.max(0, ev.clientY - box.top - th - 12);
    tooltip.style.left = `${x}px`;
    tooltip.style.top = `${y}px`;
  }

  function geometry(rows, cols, w, bias) {
    if (bias) { // room for the bias column (one cell and a gap) beside each map
      const fit = geometry(rows, cols + 2, w, false);
      return { ...fit, cols, width: fit.cell * cols };
    }
    let panelWidth = Math.floor((w - 3 * 44) / 3);
    // three maps side by side while their cells stay clickable; otherwise one map per row
    if (cols * MIN_CELL > panelWidth) panelWidth = Math.min(w - 44, cols * 12);
    return panelLayout(rows, cols, { width: panelWidth, maxHeight: 300, minCell: 4, maxCell: 28 });
  }

  /** The elements of one layer's three panels; `now` holds what the last paint gave them. */
  function buildLayer(layer, layout, measure, bias) {
    const { rows, cols } = layout;
    const bLayout = { cell: layout.cell, width: layout.cell, height: layout.height, rows, cols: 1 };
    const now = { payload: null, arrays: {}, bArrays: {}, sel: null, selB: null, live: false };
    const summary = h("span");
    const group = h("div", { class: "bw-hm-layer", "data-layer": String(layer) },
      h("div", { class: "bw-hm-layer-title" }, h("span", { text: `\u2202E/\u2202W(${layer}), ${rows} \u00d7 ${cols}${bias ? `, and \u2202E/\u2202b(${layer}) beside it` : ""}: ` }), summary));
    const row = h("div", { class: "bw-hm-row" });
    const panels = [];
    for (const kind of PANELS) {
      const src = panelSource(kind, measure);
      const shownAs = kind === "difference" ? measure : kind;
      const canvas = h("canvas", {
        class: "bw-hm-canvas", "data-testid": "bw-heatmap", "data-kind": kind, "data-layer": String(layer), "data-param": "W",
        "data-measure": shownAs, "data-rows": String(rows), "data-cols": String(cols), "data-cell": String(layout.cell),
        tabindex: kind === "analytic" ? "0" : "-1",
        "aria-label": `${CAPTIONS[shownAs]} of layer ${layer}: arrow keys select an entry`,
      });
      const staleNote = h("div", { class: "bw-hm-stale", text: "stale \u2014 computing\u2026" });
      const bar = colorbar(shownAs === "relative");
      const grid = h("div", { class: "bw-hm-grid" },
        h("span", { class: "bw-hm-corner", text: "i\\j" }), axis(cols, layout.cell, false),
        axis(rows, layout.cell, true), h("div", { class: "bw-hm-canvas-wrap" }, canvas, staleNote));
      let bCanvas = null;
      let maps = grid;
      if (bias) {
        bCanvas = h("canvas", {
          class: "bw-hm-canvas", "data-testid": "bw-heatmap", "data-kind": kind, "data-layer": String(layer), "data-param": "b",
          "data-measure": shownAs, "data-rows": String(rows), "data-cols": "1", "data-cell": String(layout.cell),
          tabindex: "-1", "aria-label": `${CAPTIONS[shownAs]} of the bias b(${layer}): arrow keys select an entry`,
        });
        const bGrid = h("div", { class: "bw-hm-grid bw-hm-bias-grid" },
          h("span", { class: "bw-hm-corner" }), h("div", { class: "bw-hm-bias-head", text: "b" }),
          h("div"), h("div", { class: "bw-hm-canvas-wrap" }, bCanvas));
        maps = h("div", { class: "bw-hm-pair" }, grid, bGrid);
        const at = (ev) => {
          const r = bCanvas.getBoundingClientRect();
          return cellAt(ev.clientX - r.left, ev.clientY - r.top, bLayout);
        };
        bCanvas.addEventListener("mousemove", (ev) => {
          const c = at(ev);
          if (!c || !now.payload || !now.payload.bias) { tooltip.hidden = true; return; }
          const i = c[0];
          const { bArrays } = now;
          const stale = now.payload.bias.stale;
          const get = (name) => (bArrays[name] && bArrays[name].data.length === rows ? bArrays[name].data[i] : null);
          const lines = [
            `\u2202E/\u2202${unitText(layer, i, "b")}   (Python index [${i}])`,
            `analytic          ${exactText(get("analytic"))}`,
            `finite difference ${stale ? "(computing\u2026)" : exactText(get("numeric"))}`,
            `difference        ${stale ? "\u2014" : exactText(get("difference"))}`,
            `relative error    ${stale ? "\u2014" : exactText(get("relative"))}`,
          ];
          if (get("kink")) lines.push("\u00d7 at a kink: the difference quotient straddles it");
          showTooltip(ev, lines);
        });
        bCanvas.addEventListener("mouseleave", () => { tooltip.hidden = true; });
        bCanvas.addEventListener("keydown", (ev) => {
          if (!now.live) return;
          const to = moveSelection(now.selB === null ? null : [now.selB, 0], ev.key, rows, 1);
          if (!to) return;
          ev.preventDefault();
          onSelect(["b", layer, to[0]]);
        });
        bCanvas.addEventListener("click", (ev) => {
          const c = at(ev);
          if (!c || !now.live) return;
          tooltip.hidden = true;
          onSelect(["b", layer, c[0]]);
        });
      }
      const panel = h("div", { class: "bw-hm-panel", "data-kind": kind },
        h("div", { class: "bw-hm-caption", text: CAPTIONS[shownAs] }), maps, bar.el);
      panel.style.width = `${Math.max(layout.width + 22 + (bias ? layout.cell + 34 : 0), 200)}px`;
      canvas.addEventListener("mousemove", (ev) => {
        const r = canvas.getBoundingClientRect();
        const at = cellAt(ev.clientX - r.left, ev.clientY - r.top, layout);
        if (!at || !now.payload) { tooltip.hidden = true; return; }
        const [i, j] = at;
        const k = i * cols + j;
        const { arrays, payload } = now;
        const get = (name) => (arrays[name] && arrays[name].data.length === rows * cols ? arrays[name].data[k] : null);
        const lines = [
          `\u2202E/\u2202${entryText(layer, i, j)}   (${pythonIndex(i, j)})`,
          `analytic          ${exactText(get("analytic"))}`,
          `finite difference ${payload.stale ? "(computing\u2026)" : exactText(get("numeric"))}`,
          `difference        ${payload.stale ? "\u2014" : exactText(get("difference"))}`,
          `relative error    ${payload.stale ? "\u2014" : exactText(get("relative"))}`,
        ];
        if (get("kink")) lines.push("\u00d7 at a kink: the difference quotient straddles it");
        showTooltip(ev, lines);
      });
      canvas.addEventListener("mouseleave", () => { tooltip.hidden = true; });
      canvas.addEventListener("keydown", (ev) => {
        if (!now.live) return;
        const to = moveSelection(now.sel, ev.key, rows, cols);
        if (!to) return;
        ev.preventDefault();
        onSelect([layer, to[0], to[1]]);
      });
      canvas.addEventListener("click", (ev) => {
        const r = canvas.getBoundingClientRect();
        const at = cellAt(ev.clientX - r.left, ev.clientY - r.top, layout);
        if (!at || !now.live) return;
        tooltip.hidden = true; // what the click opens is never covered
        onSelect([layer, at[0], at[1]]);
      });
      row.append(panel);
      panels.push({ kind, src, canvas, bCanvas, staleNote, bar });
    }
    group.append(row);

    function update(payload, arrays, bArrays, stale, selected, selectedBias, live) {
      Object.assign(now, {
        payload, arrays, bArrays, live,
        sel: selected && selected.layer === layer ? [selected.i, selected.j] : null,
        selB: selectedBias && selectedBias.layer === layer ? selectedBias.i : null,
      });
      group.dataset.kinks = String(payload.kinks || 0);
      setProp(summary, "className", payload.stale ? "" : payload.ok ? "bw-ok" : "bw-fail");
      setText(summary, payload.stale
        ? "finite differences: computing\u2026"
        : `${payload.ok ? "\u2713" : "\u2717"} largest relative error ${formatNumber(payload.max_rel_error ?? NaN, 2)}` +
          (payload.kinks ? `, ${payload.kinks} flagged at a kink (\u00d7, not counted)` : ""));
      for (const p of panels) {
        const isStale = p.kind !== "analytic" && Boolean(stale || payload.stale);
        p.canvas.dataset.stale = String(isStale);
        setProp(p.staleNote, "hidden", !isStale);
        p.bar.set(isStale ? 1 : payload[p.src.scale]);
        drawPanel(p.canvas, layout, arrays[p.src.key], payload[p.src.scale], p.kind === "analytic" ? null : arrays.kink, now.sel, isStale);
        if (p.bCanvas && payload.bias) {
          const b = payload.bias;
          p.bCanvas.dataset.stale = String(isStale);
          // the same limit as W's map beside it (Python computed one for both: shared_limits)
          drawPanel(p.bCanvas, bLayout, bArrays[p.src.key], b[p.src.scale], p.kind === "analytic" ? null : bArrays.kink,
            now.selB === null ? null : [now.selB, 0], isStale);
        }
      }
    }
    return { group, update };
  }

  function paint(state) {
    current = state;
    const measure = state.kind === "relative" ? "relative" : "difference";
    if (width === null) width = root.clientWidth; // once, before the observer's first report
    const w = Math.max(260, Math.min(width || 880, 1400));
    const shown = new Set();
    const groups = (state.heatmaps || []).map((p) => {
      const arrays = {};
      for (const key of ["analytic", "numeric", "difference", "relative", "kink"]) arrays[key] = unpack(p[key]);
      const bArrays = {};
      if (p.bias) for (const key of ["analytic", "numeric", "difference", "relative", "kink"]) bArrays[key] = unpack(p.bias[key]);
      const [rows, cols] = p.shape;
      const bias = Boolean(p.bias);
      const layout = geometry(rows, cols, w, bias);
      const key = `${rows}x${cols}:${layout.cell}:${layout.width}:${measure}:${bias}`;
      let view = layers.get(p.layer);
      if (!view || view.key !== key) {
        view = { ...buildLayer(p.layer, layout, measure, bias), key };
        layers.set(p.layer, view);
      }
      shown.add(p.layer);
      view.update(p, arrays, bArrays, state.stale, state.selected, state.selectedBias ?? null, state.live);
      return view.group;
    });
    for (const ell of [...layers.keys()]) if (!shown.has(ell)) layers.delete(ell);
    const same = groups.length === layersBox.children.length && groups.every((g, k) => layersBox.children[k] === g);
    if (!same) {
      const active = typeof document !== "undefined" ? document.activeElement : null;
      const focused = active && layersBox.contains(active) ? active.dataset : null;
      layersBox.replaceChildren(...groups);
      if (focused) {
        const c = layersBox.querySelector(`canvas[data-layer="${focused.layer}"][data-kind="${focused.kind}"]`);
        if (c) c.focus();
      }
    }
    const eKey = JSON.stringify(state.entry ?? null);
    if (eKey !== entryKey) {
      entryKey = eKey;
      entryBox.replaceChildren(entryView(state.entry));
    }
    setProp(progress, "value", state.progress ?? 1);
    setProp(progress, "hidden", !state.stale);
    if (state.live) {
      setText(status, state.stale
        ? `finite differences: computing\u2026 ${Math.round(100 * (state.progress ?? 0))}% \u2014 the numeric and difference maps are stale`
        : "");
    }
    root.dataset.version = String(state.version);
    root.dataset.stale = String(Boolean(state.stale));
    const sb = state.selectedBias;
    root.dataset.selected = state.selected ? `${state.selected.layer},${state.selected.i},${state.selected.j}` : sb ? `b,${sb.layer},${sb.i}` : "";
    rendered += 1;
    root.dataset.rendered = String(rendered);
  }

  // A new width (a resized window, a notebook column, a host attaching the view) repaints on
  // the next frame; the observer reports after layout, so reading it costs nothing.
  let pending = false;
  const observer = typeof ResizeObserver !== "undefined"
    ? new ResizeObserver((entries) => {
      const cw = Math.round(entries[entries.length - 1].target.clientWidth);
      if (!cw || (width !== null && Math.abs(cw - width) < 2)) { if (cw) width = cw; return; }
      width = cw;
      if (current && !pending) {
        pending = true;
        requestAnimationFrame(() => { pending = false; paint(current); });
      }
    })
    : null;
  if (observer) observer.observe(root);

  return {
    paint,
    disconnect(message) {
      root.dataset.disconnected = "true";
      root.classList.add("bw-disconnected");
      status.textContent = message;
      if (current) current.live = false;
    },
    destroy() {
      if (observer) observer.disconnect();
    },
  };
}
