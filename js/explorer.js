// BackpropExplorer (backprop_widgets/widgets/explorer.py): one model, one view drawing every
// part — the controls (lib/controls.js), the network diagram (lib/network.js, shared with
// NetworkDiagram), the stepper with KaTeX-typeset formulas (lib/stepper-view.js) and the
// heatmaps with the selected entry (lib/heatmaps-view.js).
//
// The view only draws and asks. A control, a Previous/Next click, a heatmap or diagram click
// sends {type: "bw-request", name, layer, value}; Python validates and applies (new traits,
// one new `version`) or refuses (the `refusal` trait, shown next to the control). Once a
// change is drawn, {type: "bw-steps"} asks for the steps not on screen (`askForSteps`). Every text
// from Python is set as text, never as HTML; formulas go through KaTeX, which never runs HTML.
//
// Test hooks: the root data-testid="bw-explorer-app" with data-version (the kernel's version
// painted) and data-drawn="true"; see also CONTRACTS in the project notes and each lib module.
import { createControls } from "./lib/controls.js";
import { LOST, h } from "./lib/dom.js";
import { createHeatmapsView } from "./lib/heatmaps-view.js";
import { checkEntry } from "./lib/indices.js";
import { createNetworkView } from "./lib/network.js";
import { createStepperView } from "./lib/stepper-view.js";
import { ensureFonts } from "./lib/tex.js";
import { followTheme } from "./lib/theme.js";

const PARTS = {
  controls: ["sizes", "seed", "layer", "heatmap_kind", "show_all_layers", "control_state", "refusal", "notice", "bias", "loss"],
  diagram: ["diagram", "selected"],
  stepper: ["step_data", "step", "stale", "version"],
  heatmaps: ["heatmaps", "heatmap_kind", "selected", "entry", "stale", "progress", "version"],
  status: ["status"],
};

function render({ model, el }) {
  ensureFonts(el.ownerDocument);
  let live = true;
  const request = (name, layer, value) => {
    if (live) model.send({ type: "bw-request", name, layer, value });
  };
  const controlsBox = h("div", { class: "bw-section bw-controls-box" });
  const diagramBox = h("div", { class: "bw-section bw-diagram-box" });
  const stepperBox = h("div", { class: "bw-section" });
  const heatBox = h("div", { class: "bw-section bw-heat-box" });
  const error = h("div", { class: "bw-error", role: "alert", "data-testid": "bw-explorer-error" });
  error.hidden = true;
  const root = h("div", { class: "bw-app", "data-testid": "bw-explorer-app" },
    controlsBox, error, h("div", { class: "bw-main" }, diagramBox, stepperBox), heatBox);
  el.appendChild(root);
  const unfollow = followTheme(root);

  const controls = createControls(controlsBox, { request });
  const diagram = createNetworkView(diagramBox, { onSelect: (sel) => request("select", null, sel) });
  const stepper = createStepperView(stepperBox, { onStep: (k) => request("step", null, k) });
  const heatmaps = createHeatmapsView(heatBox, { onSelect: (sel) => request("select", null, sel) });

  const dirty = new Set(Object.keys(PARTS));
  let scheduled = false;
  let askedFor = null; // the version whose steps still to come this view has asked for

  // After a change the kernel sends the step on screen with everything else, and the other
  // steps only when asked: the view asks once the change is on screen (after the next frame),
  // so that making and sending them never competes with drawing it. Previous / Next wait.
  function askForSteps(version) {
    if (askedFor === version) return;
    askedFor = version;
    const win = el.ownerDocument.defaultView || globalThis;
    let asked = false;
    const ask = () => {
      if (asked || !live || askedFor !== version) return;
      asked = true;
      model.send({ type: "bw-steps" });
    };
    win.requestAnimationFrame(() => setTimeout(ask, 0));
    setTimeout(ask, 250); // a page whose frames are paused (a hidden tab) still asks
  }

  function paint() {
    scheduled = false;
    const get = (k) => model.get(k);
    const sizes = get("sizes") || [];
    const raw = get("selected");
    const isBias = Array.isArray(raw) && raw[0] === "b"; // ["b", ℓ, i]: the bias entry b(ℓ)ᵢ
    const selected = isBias ? null : checkEntry(raw, sizes);
    const selectedBias = isBias && Number.isInteger(raw[1]) && Number.isInteger(raw[2]) ? { layer: raw[1], i: raw[2] } : null;
    if (dirty.has("controls")) {
      controls.paint({
        sizes, seed: get("seed"), layer: get("layer"), kind: get("heatmap_kind"),
        allLayers: get("show_all_layers"), controls: get("control_state"), refusal: get("refusal"),
        notice: get("notice"), bias: get("bias"), loss: get("loss"), live,
      });
    }
    if (dirty.has("diagram")) {
      diagram.draw(get("diagram") || {}, { show: "weights", selected: isBias ? null : raw, maxNodes: 16 });
    }
    if (dirty.has("stepper")) {
      const steps = get("step_data") || [];
      stepper.paint({ steps, step: get("step"), stale: get("stale"), live, version: get("version") });
      if (live && steps.some((s) => !s)) askForSteps(get("version"));
    }
    if (dirty.has("heatmaps")) {
      heatmaps.paint({
        version: get("version"), heatmaps: get("heatmaps"), kind: get("heatmap_kind"), selected, selectedBias,
        entry: get("entry"), stale: get("stale"), progress: get("progress"), live,
      });
    }
    if (dirty.has("status")) {
      const text = get("status") || "";
      error.textContent = text;
      error.hidden = !text;
    }
    dirty.clear();
    root.dataset.version = String(get("version"));
    root.dataset.drawn = "true";
  }

  function schedule(part) {
    dirty.add(part);
    if (scheduled) return;
    scheduled = true;
    queueMicrotask(paint); // one repaint for all the traits of one message
  }

  const handlers = [];
  for (const [part, keys] of Object.entries(PARTS)) {
    for (const k of keys) {
      const f = () => schedule(part);
      model.on(`change:${k}`, f);
      handlers.push([`change:${k}`, f]);
    }
  }
  const lost = () => {
    live = false;
    root.dataset.disconnected = "true";
    root.classList.add("bw-disconnected");
    diagram.disconnect("disconnected from the kernel: these values are no longer live \u2014 run the cell again");
    heatmaps.disconnect("disconnected from the kernel: these numbers are no longer live \u2014 run the cell again");
    for (const part of Object.keys(PARTS)) schedule(part);
  };
  for (const ev of LOST) model.on(ev, lost);
  paint();
  return () => {
    for (const [ev, f] of handlers) model.off(ev, f);
    for (const ev of LOST) model.off(ev, lost);
    diagram.destroy();
    heatmaps.destroy();
    unfollow();
  };
}

export default { render };
