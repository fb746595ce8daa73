// NetworkDiagram (backprop_widgets/widgets/diagram.py): its traits are diagram_state()'s
// payload; js/lib/network.js draws them (the explorer draws its diagram with the same code).
import { LOST } from "./lib/dom.js";
import { createNetworkView } from "./lib/network.js";
import { followTheme } from "./lib/theme.js";

const TRAITS = [
  "sizes", "activations", "unit_activations", "weights", "gradients", "z", "z_samples", "loss",
  "scales", "show", "selected", "max_nodes",
];
const STATE = ["sizes", "activations", "unit_activations", "weights", "gradients", "z", "z_samples", "loss", "scales"];

function render({ model, el }) {
  const root = document.createElement("div");
  el.appendChild(root);
  const unfollow = followTheme(root);
  const view = createNetworkView(root, {
    onSelect(sel) {
      model.set("selected", sel);
      model.save_changes();
    },
  });
  let pending = false;

  function draw() {
    pending = false;
    const state = Object.fromEntries(STATE.map((k) => [k, model.get(k)]));
    view.draw(state, { show: model.get("show"), selected: model.get("selected"), maxNodes: model.get("max_nodes") });
  }
  function schedule() {
    if (pending) return;
    pending = true;
    queueMicrotask(draw); // one redraw for a batch of trait changes
  }
  const lost = () => view.disconnect("disconnected from the kernel: these values are no longer live \u2014 run the cell again");
  for (const t of TRAITS) model.on(`change:${t}`, schedule);
  for (const ev of LOST) model.on(ev, lost);
  draw();
  return () => {
    for (const t of TRAITS) model.off(`change:${t}`, schedule);
    for (const ev of LOST) model.off(ev, lost);
    view.destroy();
    unfollow();
  };
}

export default { render };
