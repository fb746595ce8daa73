// BackpropExplorer's drawn parts (backprop_widgets/widgets/explorer.py). One module, two parts:
//   part "stepper":  Previous / Next, "step k of N", the step's title and its live check;
//   part "heatmaps": ∂E/∂W(ℓ) analytic | finite difference | difference (or relative error),
//                    colour bars, hover tooltips, click-to-select, the selected entry's derivation.
// Python computes every number and every colour limit; this module only draws them. Every text
// from Python is set with textContent, never as HTML. Data carries a version: anything older
// than what was painted is ignored.

import { unpack } from "./lib/buffers.js";
import { divergingColor } from "./lib/colors.js";
import { formatNumber } from "./lib/format.js";
import {
  cellAt, cellRect, colorbarBackground, colorbarTicks, exact, isCurrent, moveSelection, panelLayout,
  panelSource, stepForKey, stepLabel,
} from "./lib/heatmap.js";

const KINDS = ["analytic", "numeric", "difference"];
const CAPTIONS = {
  analytic: "analytic Δ z\u1d40",
  numeric: "finite difference",
  difference: "analytic \u2212 finite diff.",
  relative: "relative error",
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

// Events of the widget model when its kernel goes away (restart, shutdown) or the Python widget
// is closed. The model is live when a view is rendered, so either one means "no longer live".
const LOST = ["comm_live_update", "comm:close"];

function disconnected(root) {
  root.dataset.disconnected = "true";
  root.classList.add("bw-disconnected");
}

// ------------------------------------------------------------------------------------ stepper

function renderStepper(model, el) {
  const prev = h("button", { class: "bw-step-btn", "data-testid": "bw-step-prev", type: "button", text: "\u25c0 Previous" });
  const next = h("button", { class: "bw-step-btn", "data-testid": "bw-step-next", type: "button", text: "Next \u25b6" });
  const indicator = h("span", { class: "bw-step-indicator", "data-testid": "bw-step-indicator" });
  const title = h("div", { class: "bw-step-title", "data-testid": "bw-step-title" });
  const check = h("div", { class: "bw-step-check", "data-testid": "bw-step-check", "aria-live": "polite" });
  const root = h(
    "div",
    { class: "bw-stepper", "data-testid": "bw-stepper", tabindex: "0", role: "group", "aria-label": "steps of the derivation (Left/Right arrows)" },
    h("div", { class: "bw-step-nav" }, prev, indicator, next),
    title,
    check,
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
    const c = stale ? { text: "checking the new network\u2026" } : meta.check || {};
    check.textContent = c.text || "";
    check.dataset.ok = c.ok === undefined ? "" : String(Boolean(c.ok));
    check.classList.toggle("bw-ok", c.ok === true);
    check.classList.toggle("bw-fail", c.ok === false);
    root.dataset.stale = String(stale);
    prev.disabled = step <= 0;
    next.disabled = step >= count - 1;
    root.dataset.step = String(step);
    root.dataset.version = String(version);
    // The formula beside the stepper is another widget; until the kernel has sent the one for
    // this step of this network, it is marked as pending (dimmed by styles.css).
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

// ----------------------------------------------------------------------------------- heatmaps

function colorbar(limit, nonnegative) {
  const bar = h("div", { class: "bw-hm-colorbar" });
  bar.style.background = colorbarBackground(nonnegative);
  const ticks = colorbarTicks(limit, nonnegative);
  const labels = h("div", { class: "bw-hm-colorbar-labels" });
  for (const t of ticks) labels.append(h("span", { text: formatNumber(t) }));
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
    // A × per flagged entry: a white halo under a black stroke reads on light and dark cells.
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
  box.append(
    h("div", { class: "bw-entry-head", text: `w(${layer})[${I},${J}]: row ${I}, column ${J} of W(${layer}) (Python index [${i}, ${j}])` }),
    h("div", { class: "bw-entry-line", text: `direction H = E(${I},${J}), the matrix with a single 1 at row ${I}, column ${J}` }),
    h("div", { class: "bw-entry-line" },
      `\u2202E/\u2202w(${layer})[${I},${J}] = \u0394(${layer})[${I}] \u00b7 z(${layer - 1})[${J}] = `,
      val("bw-entry-delta", entry.delta_i), " \u00d7 ", val("bw-entry-z", entry.z_j), " = ",
      val("bw-entry-analytic", entry.analytic)),
    h("div", { class: "bw-entry-line" }, "the chain applied to H = E(i,j), link by link: ", val("bw-entry-forward", entry.value_forward)),
    h("div", { class: "bw-entry-line" }, "central finite difference of E: ", val("bw-entry-numeric", entry.numeric)),
    h("div", { class: `bw-entry-line ${entry.ok ? "bw-ok" : "bw-fail"}` },
      `${entry.kink ? "\u26a0 at a kink (the difference straddles it; not counted) " : entry.ok ? "\u2713 " : "\u2717 "}|difference| = `,
      val("bw-entry-abs-error", entry.abs_error), ", relative error = ", val("bw-entry-rel-error", entry.rel_error)),
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
  const root = h("div", { class: "bw-explorer", "data-testid": "bw-explorer" },
    h("div", { class: "bw-hm-top" }, status, progress), message, layersBox, entryBox, tooltip);
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
      class: "bw-hm-layer", "data-layer": String(layer), "data-kinks": String(payload.kinks || 0),
    });
    const summary = payload.stale
      ? "finite differences: computing\u2026"
      : `${payload.ok ? "\u2713" : "\u2717"} largest relative error ${formatNumber(payload.max_rel_error ?? NaN, 2)}` +
        (payload.kinks ? `, ${payload.kinks} flagged at a kink (\u00d7)` : "");
    group.append(h("div", { class: "bw-hm-layer-title", text: `\u2202E/\u2202W(${layer}), ${rows} \u00d7 ${cols}: ${summary}` }));
    const row = h("div", { class: "bw-hm-row" });
    for (const kind of KINDS) {
      const src = panelSource(kind, kindMeasure);
      const isStale = kind !== "analytic" && (stale || payload.stale);
      const canvas = h("canvas", {
        class: "bw-hm-canvas", "data-testid": "bw-heatmap", "data-kind": kind, "data-layer": String(layer),
        "data-measure": kind === "difference" ? kindMeasure : kind, "data-stale": String(isStale),
        "data-rows": String(rows), "data-cols": String(cols), "data-cell": String(layout.cell),
        // One tab stop per layer (the analytic map); arrow keys move the selected entry.
        tabindex: kind === "analytic" ? "0" : "-1",
        "aria-label": `${CAPTIONS[kind === "difference" ? kindMeasure : kind]} of layer ${layer}: arrow keys select an entry`,
      });
      const sel = selected && selected[0] === layer ? [selected[1], selected[2]] : null;
      drawPanel(canvas, layout, arrays[src.key], payload[src.scale], kind === "analytic" ? null : arrays.kink, sel, isStale);
      const caption = h("div", { class: "bw-hm-caption", text: CAPTIONS[kind === "difference" ? kindMeasure : kind] });
      const wrap = h("div", { class: "bw-hm-canvas-wrap" }, canvas);
      if (isStale) wrap.append(h("div", { class: "bw-hm-stale", text: "stale \u2014 computing\u2026" }));
      const panel = h("div", { class: "bw-hm-panel", "data-kind": kind }, caption, wrap,
        colorbar(isStale ? 1 : payload[src.scale], kind === "difference" && kindMeasure === "relative"));
      panel.style.width = `${Math.max(layout.width, 150)}px`;
      canvas.addEventListener("mousemove", (ev) => {
        const r = canvas.getBoundingClientRect();
        const at = cellAt(ev.clientX - r.left, ev.clientY - r.top, layout);
        if (!at) { tooltip.hidden = true; return; }
        const [i, j] = at;
        const k = i * cols + j;
        const get = (name) => (arrays[name] && arrays[name].data.length === rows * cols ? arrays[name].data[k] : null);
        const lines = [
          `w(${layer})[${i + 1},${j + 1}]  (Python index [${i}, ${j}])`,
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
        if (root.dataset.disconnected === "true") return;
        const sel = selected && selected[0] === layer ? [selected[1], selected[2]] : null;
        const to = moveSelection(sel, ev.key, rows, cols);
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
    const views = payloads.map((p) => {
      const arrays = {};
      for (const key of ["analytic", "numeric", "difference", "relative", "kink"]) arrays[key] = unpack(p[key]);
      return layerView(p, arrays, width, measure, stale, sel);
    });
    // A repaint replaces the canvases: keep the keyboard focus on the same map.
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
    status.textContent = stale
      ? `finite differences: computing\u2026 ${Math.round(100 * p)}% \u2014 the numeric and difference maps are stale`
      : "";
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
    status.textContent = "disconnected from the kernel: these numbers are no longer live \u2014 run the cell again";
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

export default { render };
