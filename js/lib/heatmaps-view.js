// The explorer's heatmaps of ∂E/∂W(ℓ): analytic | finite difference | difference (or relative
// error) per layer shown, with colour bars, axes counted from 1, a hover tooltip, click and
// arrow-key selection, and the selected entry's own derivation below. Numbers and colour
// limits come from Python (heatmaps.py); this module maps values to colours and draws.
import { unpack } from "./buffers.js";
import { divergingColor } from "./colors.js";
import { h } from "./dom.js";
import { exact, formatNumber } from "./format.js";
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
const MIN_CELL = 7;

function colorbar(limit, nonnegative) {
  const bar = h("div", { class: "bw-hm-colorbar" });
  bar.style.background = colorbarBackground(nonnegative);
  const labels = h("div", { class: "bw-hm-colorbar-labels" });
  for (const t of colorbarTicks(limit, nonnegative)) labels.append(h("span", { text: formatNumber(t) }));
  return h("div", { class: "bw-hm-colorbar-wrap" }, bar, labels);
}

function drawPanel(canvas, layout, arr, limit, kink, selected, stale) {
  const dpr = (typeof window !== "undefined" && window.devicePixelRatio) || 1;
  canvas.width = Math.max(1, Math.round(layout.width * dpr));
  canvas.height = Math.max(1, Math.round(layout.height * dpr));
  canvas.style.width = `${layout.width}px`;
  canvas.style.height = `${layout.height}px`;
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
      for (let i = 0; i < rows; i++) {
        for (let j = 0; j < cols; j++) {
          if (!kink.data[i * cols + j]) continue;
          const [x, y, w, hh] = cellRect(i, j, layout);
          const p = w * 0.2;
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

function entryView(entry) {
  const box = h("div", { class: "bw-entry", "data-testid": "bw-entry" });
  if (!entry || entry.layer === undefined) {
    box.dataset.empty = "true";
    box.append(h("div", { class: "bw-entry-hint", text: "Click an entry of a heatmap (or a weight in the diagram) to see its own derivation." }));
    return box;
  }
  const { layer, i, j } = entry;
  Object.assign(box.dataset, { layer: String(layer), i: String(i), j: String(j), ok: String(entry.ok) });
  const I = i + 1;
  const J = j + 1;
  const val = (testid, v) => h("span", { class: "bw-num", "data-testid": testid, text: exact(v) });
  const head = h("div", { class: "bw-entry-head" });
  const tex = h("span", { class: "bw-entry-tex" });
  typeset(tex, `\\frac{\\partial E}{\\partial ${entryTex(layer, i, j)}} = \\varDelta^{(${layer})}_{${I}}\\, z^{(${layer - 1})}_{${J}}`, { inline: true });
  head.append(tex, h("span", { class: "bw-entry-where", text: `  row ${I}, column ${J} of W(${layer}) \u2014 ${pythonIndex(i, j)}` }));
  box.append(
    head,
    h("div", { class: "bw-entry-line", text: `direction H = E(${I},${J}): the matrix with a single 1 at row ${I}, column ${J}` }),
    h("div", { class: "bw-entry-line" }, `${unitText(layer, i, "\u0394")} \u00b7 ${unitText(layer - 1, j)} = `,
      val("bw-entry-delta", entry.delta_i), " \u00d7 ", val("bw-entry-z", entry.z_j), " = ", val("bw-entry-analytic", entry.analytic)),
    h("div", { class: "bw-entry-line" }, "the chain applied to H, link by link: ", val("bw-entry-forward", entry.value_forward)),
    h("div", { class: "bw-entry-line" }, "central finite difference of E: ", val("bw-entry-numeric", entry.numeric)),
    h("div", { class: `bw-entry-line ${entry.kink ? "bw-warn" : entry.ok ? "bw-ok" : "bw-fail"}` },
      `${entry.kink ? "\u00d7 at a kink (the difference quotient straddles it; not counted) " : entry.ok ? "\u2713 " : "\u2717 "}|difference| = `,
      val("bw-entry-abs-error", entry.abs_error), ", relative error = ", val("bw-entry-rel-error", entry.rel_error)),
  );
  return box;
}

/**
 * Build the heatmaps part inside `root` (data-testid bw-explorer). Returns {paint(state)}:
 * state = {version, heatmaps, kind, selected, entry, stale, progress, live};
 * `onSelect([ℓ, i, j])` is called on a click or an arrow key.
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

  function layerView(payload, arrays, width, measure, stale, selected, live) {
    const { layer, shape } = payload;
    const [rows, cols] = shape;
    let panelWidth = Math.floor((width - 3 * 44) / 3);
    if (cols * MIN_CELL > panelWidth) panelWidth = Math.min(width - 44, cols * 12);
    const layout = panelLayout(rows, cols, { width: panelWidth, maxHeight: 300, minCell: 4, maxCell: 28 });
    const group = h("div", { class: "bw-hm-layer", "data-layer": String(layer), "data-kinks": String(payload.kinks || 0) });
    const summary = payload.stale
      ? "finite differences: computing\u2026"
      : `${payload.ok ? "\u2713" : "\u2717"} largest relative error ${formatNumber(payload.max_rel_error ?? NaN, 2)}` +
        (payload.kinks ? `, ${payload.kinks} flagged at a kink (\u00d7, not counted)` : "");
    group.append(h("div", { class: "bw-hm-layer-title" },
      h("span", { text: `\u2202E/\u2202W(${layer}), ${rows} \u00d7 ${cols}: ` }),
      h("span", { class: payload.stale ? "" : payload.ok ? "bw-ok" : "bw-fail", text: summary })));
    const row = h("div", { class: "bw-hm-row" });
    for (const kind of PANELS) {
      const src = panelSource(kind, measure);
      const shownAs = kind === "difference" ? measure : kind;
      const isStale = kind !== "analytic" && (stale || payload.stale);
      const canvas = h("canvas", {
        class: "bw-hm-canvas", "data-testid": "bw-heatmap", "data-kind": kind, "data-layer": String(layer),
        "data-measure": shownAs, "data-stale": String(isStale), "data-rows": String(rows),
        "data-cols": String(cols), "data-cell": String(layout.cell),
        tabindex: kind === "analytic" ? "0" : "-1",
        "aria-label": `${CAPTIONS[shownAs]} of layer ${layer}: arrow keys select an entry`,
      });
      const sel = selected && selected.layer === layer ? [selected.i, selected.j] : null;
      drawPanel(canvas, layout, arrays[src.key], payload[src.scale], kind === "analytic" ? null : arrays.kink, sel, isStale);
      const grid = h("div", { class: "bw-hm-grid" },
        h("span", { class: "bw-hm-corner", text: "i\\j" }), axis(cols, layout.cell, false),
        axis(rows, layout.cell, true), h("div", { class: "bw-hm-canvas-wrap" }, canvas));
      if (isStale) grid.lastChild.append(h("div", { class: "bw-hm-stale", text: "stale \u2014 computing\u2026" }));
      const panel = h("div", { class: "bw-hm-panel", "data-kind": kind },
        h("div", { class: "bw-hm-caption", text: CAPTIONS[shownAs] }), grid,
        colorbar(isStale ? 1 : payload[src.scale], shownAs === "relative"));
      panel.style.width = `${Math.max(layout.width + 22, 200)}px`;
      canvas.addEventListener("mousemove", (ev) => {
        const r = canvas.getBoundingClientRect();
        const at = cellAt(ev.clientX - r.left, ev.clientY - r.top, layout);
        if (!at) { tooltip.hidden = true; return; }
        const [i, j] = at;
        const k = i * cols + j;
        const get = (name) => (arrays[name] && arrays[name].data.length === rows * cols ? arrays[name].data[k] : null);
        const lines = [
          `\u2202E/\u2202${entryText(layer, i, j)}   (${pythonIndex(i, j)})`,
          `analytic          ${exact(get("analytic"))}`,
          `finite difference ${payload.stale ? "(computing\u2026)" : exact(get("numeric"))}`,
          `difference        ${payload.stale ? "\u2014" : exact(get("difference"))}`,
          `relative error    ${payload.stale ? "\u2014" : exact(get("relative"))}`,
        ];
        if (get("kink")) lines.push("\u00d7 at a kink: the difference quotient straddles it");
        showTooltip(ev, lines);
      });
      canvas.addEventListener("mouseleave", () => { tooltip.hidden = true; });
      canvas.addEventListener("keydown", (ev) => {
        if (!live) return;
        const to = moveSelection(sel, ev.key, rows, cols);
        if (!to) return;
        ev.preventDefault();
        onSelect([layer, to[0], to[1]]);
      });
      canvas.addEventListener("click", (ev) => {
        const r = canvas.getBoundingClientRect();
        const at = cellAt(ev.clientX - r.left, ev.clientY - r.top, layout);
        if (!at || !live) return;
        tooltip.hidden = true; // what the click opens is never covered
        onSelect([layer, at[0], at[1]]);
      });
      row.append(panel);
    }
    group.append(row);
    return group;
  }

  function paint(state) {
    current = state;
    const measure = state.kind === "relative" ? "relative" : "difference";
    const width = Math.max(260, Math.min(root.clientWidth || 880, 1400));
    const views = (state.heatmaps || []).map((p) => {
      const arrays = {};
      for (const key of ["analytic", "numeric", "difference", "relative", "kink"]) arrays[key] = unpack(p[key]);
      return layerView(p, arrays, width, measure, state.stale, state.selected, state.live);
    });
    const active = typeof document !== "undefined" ? document.activeElement : null;
    const focused = active && layersBox.contains(active) ? active.dataset : null;
    layersBox.replaceChildren(...views);
    if (focused) {
      const c = layersBox.querySelector(`canvas[data-layer="${focused.layer}"][data-kind="${focused.kind}"]`);
      if (c) c.focus();
    }
    entryBox.replaceChildren(entryView(state.entry));
    progress.value = state.progress ?? 1;
    progress.hidden = !state.stale;
    if (state.live) {
      status.textContent = state.stale
        ? `finite differences: computing\u2026 ${Math.round(100 * (state.progress ?? 0))}% \u2014 the numeric and difference maps are stale`
        : "";
    }
    root.dataset.version = String(state.version);
    root.dataset.stale = String(Boolean(state.stale));
    root.dataset.selected = state.selected ? `${state.selected.layer},${state.selected.i},${state.selected.j}` : "";
    rendered += 1;
    root.dataset.rendered = String(rendered);
  }

  return {
    paint,
    disconnect(message) {
      root.dataset.disconnected = "true";
      root.classList.add("bw-disconnected");
      status.textContent = message;
      if (current) current.live = false;
    },
  };
}
