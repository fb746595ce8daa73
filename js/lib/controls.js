// The explorer's controls. They hold no state: each change sends a request naming the control
// (data-name, data-layer) and what was typed or picked; Python applies or refuses it. A
// refusal is shown next to its control (data-testid bw-message, same data-name/data-layer),
// and the field keeps what was typed. Fields show the kernel's state otherwise, except while
// the user is typing in them. A notice (what a request also changed, e.g. the output layer a
// loss needs) uses the same bw-message element, with data-kind="notice" instead of "refusal".
// Beyond the derivation: "bias" (checkbox), "loss" (<select>); "softmax" is offered in the
// output layer's activation menu only (control_state.output_options).
import { h, setAttr, setProp, setText } from "./dom.js";

const HINT_UNITS = "e.g. 2=relu, 3=sin";

function control(tag, name, layer, attrs = {}) {
  const el = h(tag, { class: `bw-input bw-${tag}`, "data-testid": "bw-control", "data-name": name, ...attrs });
  if (layer !== null && layer !== undefined) el.dataset.layer = String(layer);
  return el;
}

function keyOf(name, layer) {
  return layer === null || layer === undefined ? name : `${name}:${layer}`;
}

/**
 * Build the controls inside `root`. Returns {paint(state)}: state = {sizes, seed, layer, kind,
 * allLayers, controls: control_state, refusal, notice, bias, loss, live}.
 * `request(name, layer, value)` sends.
 */
export function createControls(root, { request }) {
  root.classList.add("bw-controls");
  let built = -1; // the L the per-layer columns were built for
  let live = true;
  const fields = new Map(); // key → element
  const messages = new Map(); // key → bw-message element

  function field(el, name, layer, label, hint) {
    const key = keyOf(name, layer);
    fields.set(key, el);
    const msg = h("div", { class: "bw-message", "data-testid": "bw-message", role: "alert", "data-name": name });
    if (layer !== null && layer !== undefined) msg.dataset.layer = String(layer);
    msg.hidden = true;
    messages.set(key, msg);
    const read = () => (el.tagName === "BUTTON" ? null : el.type === "checkbox" ? el.checked : el.value);
    const commit = () => { if (live) request(name, layer ?? null, read()); };
    if (el.tagName === "BUTTON") el.addEventListener("click", commit);
    else if (el.tagName === "SELECT" || el.type === "checkbox") el.addEventListener("change", commit);
    else {
      let committed = null;
      el.addEventListener("focus", () => { committed = null; });
      el.addEventListener("keydown", (ev) => {
        if (ev.key === "Enter") { committed = el.value; commit(); }
      });
      el.addEventListener("change", () => { if (el.value !== committed) { committed = el.value; commit(); } });
    }
    const parts = [];
    if (label) parts.push(h("span", { class: "bw-label", text: label }));
    parts.push(el);
    const wrap = h("label", { class: "bw-field", title: hint || null }, ...parts);
    return h("div", { class: "bw-field-wrap" }, wrap, msg);
  }

  const L = control("input", "L", null, { type: "text", inputmode: "numeric", size: "3", "aria-label": "number of layers L" });
  const seed = control("input", "seed", null, { type: "text", inputmode: "numeric", size: "6", "aria-label": "seed" });
  const buttons = ["new-x", "new-y", "new-W"].map((name) =>
    control("button", name, null, { type: "button", class: "bw-btn", text: name.replace("-", " ") }));
  const layerSel = control("select", "layer", null, { "aria-label": "layer \u2113 whose gradient is derived" });
  const kind = control("select", "kind", null, { "aria-label": "third heatmap" });
  const allLayers = control("input", "all-layers", null, { type: "checkbox" });
  const bias = control("input", "bias", null, { type: "checkbox", "aria-label": "every layer has a bias b(\u2113)" });
  const loss = control("select", "loss", null, { "aria-label": "the loss E" });
  const top = h("div", { class: "bw-ctl-row" },
    field(L, "L", null, "layers L", "number of layers L (1 to 8)"),
    field(seed, "seed", null, "seed", "draws W, x and y"),
    ...buttons.map((b) => field(b, b.dataset.name, null, null, `draw a new ${b.dataset.name.slice(4)}`)),
    field(bias, "bias", null, "bias b(\u2113)", "u(\u2113) = W(\u2113) z(\u2113\u22121) + b(\u2113) in every layer (off: the derivation's network)"),
    field(loss, "loss", null, "loss E", "squared error (the derivation's), cross-entropy (softmax output) or binary cross-entropy (sigmoid output)"));
  const columns = h("div", { class: "bw-ctl-columns" });
  const bottom = h("div", { class: "bw-ctl-row" },
    field(layerSel, "layer", null, "derive \u2202E/\u2202W(\u2113), \u2113 =", null),
    field(kind, "kind", null, "third map", null),
    field(allLayers, "all-layers", null, "all layers", "show the heatmaps of every layer"));
  root.append(top, columns, bottom);

  function buildColumns(nLayers) {
    for (const key of [...fields.keys()]) {
      if (/^(n|activation|units):/.test(key)) { fields.delete(key); messages.delete(key); }
    }
    const cols = [];
    for (let k = 0; k <= nLayers; k++) {
      const n = control("input", "n", k, { type: "text", inputmode: "numeric", size: "3", "aria-label": `width n(${k})` });
      const parts = [h("div", { class: "bw-ctl-title", text: k === 0 ? "input n(0)" : `layer ${k}: n(${k})` }),
        field(n, "n", k, null, `n(${k}), the width of ${k === 0 ? "the input" : `layer ${k}`} (1 to 64)`)];
      if (k >= 1) {
        const act = control("select", "activation", k, { "aria-label": `activation \u03c3(${k})` });
        const units = control("input", "units", k, { type: "text", placeholder: HINT_UNITS, "aria-label": `per-unit activations of layer ${k}` });
        parts.push(field(act, "activation", k, null, `\u03c3(${k}), the activation of layer ${k}`),
          field(units, "units", k, null, `a few units of layer ${k} with another activation (units count from 1), ${HINT_UNITS}`));
      }
      cols.push(h("div", { class: "bw-ctl-column" }, ...parts));
    }
    columns.replaceChildren(...cols);
    built = nLayers;
  }

  function setOptions(select, options) {
    const want = options.map(([v, t]) => `${v}\u0000${t}`).join("\u0001");
    if (select.dataset.options === want) return;
    select.replaceChildren(...options.map(([v, t]) => h("option", { value: v, text: t })));
    select.dataset.options = want;
  }

  function setValue(el, value, refused) {
    if (refused) return; // the refused text stays where it was typed
    if (el.type === "checkbox") setProp(el, "checked", Boolean(value));
    else if (el.ownerDocument.activeElement !== el || el.tagName === "SELECT") setProp(el, "value", String(value));
  }

  function paint(state) {
    live = state.live;
    const sizes = state.sizes || [];
    const nLayers = sizes.length - 1;
    const cs = state.controls || {};
    if (nLayers !== built) buildColumns(nLayers);
    const r = state.refusal && state.refusal.name ? state.refusal : null;
    const refusedKey = r ? keyOf(r.name, r.layer) : null;
    const n = state.notice && state.notice.name ? state.notice : null;
    const noticeKey = n ? keyOf(n.name, n.layer) : null;
    for (const [key, msg] of messages) {
      const on = key === refusedKey;
      const noted = !on && key === noticeKey;
      const text = on ? r.text : noted ? n.text : "";
      setProp(msg, "hidden", !on && !noted);
      setText(msg, text); // most messages stay empty
      setAttr(msg, "data-kind", on ? "refusal" : noted ? "notice" : "");
      setAttr(msg, "role", noted ? "status" : "alert");
      msg.classList.toggle("bw-notice", noted); // (a toggle to the state it has changes nothing)
      const f = fields.get(key);
      if (f) {
        f.classList.toggle("bw-refused", on);
        setAttr(f, "aria-invalid", on ? "true" : "false");
      }
    }
    const refusedField = refusedKey ? fields.get(refusedKey) : null;
    if (refusedField && refusedField.tagName === "INPUT" && refusedField.type !== "checkbox" && typeof r.value === "string") {
      refusedField.value = r.value; // what was typed, also in a second view of the widget
    }
    setValue(L, nLayers, refusedKey === "L");
    setValue(seed, state.seed, refusedKey === "seed");
    sizes.forEach((n, k) => setValue(fields.get(`n:${k}`), n, refusedKey === `n:${k}`));
    const names = cs.options || [];
    const outputNames = cs.output_options || names;
    for (let ell = 1; ell <= nLayers; ell++) {
      const act = fields.get(`activation:${ell}`);
      setOptions(act, (ell === nLayers ? outputNames : names).map((v) => [v, v]));
      setValue(act, (cs.activation || [])[ell - 1] ?? "", false);
      setValue(fields.get(`units:${ell}`), (cs.units || [])[ell - 1] ?? "", refusedKey === `units:${ell}`);
    }
    setOptions(layerSel, Array.from({ length: nLayers }, (_, k) => [String(k + 1), String(k + 1)]));
    setValue(layerSel, state.layer, false);
    setOptions(kind, (cs.kinds || ["difference", "relative"]).map((v) => [v, v === "relative" ? "relative error" : v]));
    setValue(kind, state.kind, false);
    setValue(allLayers, state.allLayers, false);
    setValue(bias, state.bias, false);
    setOptions(loss, (cs.losses || ["squared_error"]).map((v) => [v, v.replace(/_/g, " ")]));
    setValue(loss, state.loss || "squared_error", false);
    for (const el of fields.values()) setProp(el, "disabled", !live);
  }

  return { paint };
}
