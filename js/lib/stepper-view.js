// The explorer's step panel: Previous / Next, "step k of N", the step's title, its live check
// and its formula and numbers typeset by KaTeX. Every step of the scene is in the page (title,
// check and LaTeX), so a click repaints all of them at once, without the kernel. After a change
// the step on screen comes first and the others when the page asks (`null` until then).
import { h, setProp, setText } from "./dom.js";
import { stepForKey, stepLabel } from "./heatmap.js";
import { numberItems } from "./format.js";
import { typeset } from "./tex.js";

/** Typeset `latex`'s items into `box`, one span each, reusing the spans already there. */
function typesetItems(box, latex) {
  const items = numberItems(latex);
  const spans = Array.from(box.children);
  items.forEach((item, k) => {
    let span = spans[k];
    if (!span) {
      if (k > 0) box.append(" "); // a place to break the line
      span = h("span", { class: "bw-num-item" });
      box.append(span);
    }
    span.classList.toggle("bw-num-wide", item.wide);
    typeset(span, item.latex, { inline: true, speech: "later" });
  });
  for (let k = items.length; k < spans.length; k++) {
    const prev = spans[k].previousSibling;
    if (prev && prev.nodeType === 3) prev.remove();
    spans[k].remove();
  }
}

/**
 * Build the stepper inside `root` (data-testid bw-stepper). Returns {paint(state), setStep}:
 * state = {steps, step, stale, live, version}; `onStep(k)` asks the kernel for step k.
 */
export function createStepperView(root, { onStep }) {
  root.classList.add("bw-stepper");
  root.dataset.testid = "bw-stepper";
  root.tabIndex = 0;
  root.setAttribute("role", "group");
  root.setAttribute("aria-label", "steps of the derivation (Left/Right arrows)");
  const prev = h("button", { class: "bw-btn", "data-testid": "bw-step-prev", type: "button", text: "\u25c0 Previous" });
  const next = h("button", { class: "bw-btn", "data-testid": "bw-step-next", type: "button", text: "Next \u25b6" });
  const indicator = h("span", { class: "bw-step-indicator", "data-testid": "bw-step-indicator" });
  const title = h("div", { class: "bw-step-title", "data-testid": "bw-step-title" });
  const check = h("div", { class: "bw-step-check", "data-testid": "bw-step-check", "aria-live": "polite" });
  const formula = h("div", { class: "bw-step-formula", "data-testid": "bw-step-formula" });
  const numbers = h("div", { class: "bw-step-numbers", "data-testid": "bw-step-numbers" });
  const tooBig = h("div", { class: "bw-step-toobig" });
  // beyond the derivation: what a piece's own note says (J = Jᵀ for softmax, the collapse to z − y)
  const note = h("div", { class: "bw-step-note", "data-testid": "bw-step-note" });
  note.hidden = true;
  root.append(
    h("div", { class: "bw-step-nav" },
      h("span", { class: "bw-control-wrap", "data-testid": "bw-control", "data-name": "prev" }, prev),
      indicator,
      h("span", { class: "bw-control-wrap", "data-testid": "bw-control", "data-name": "next" }, next)),
    title, check, formula, numbers, tooBig, note,
  );
  let state = { steps: [], step: 0, stale: false, live: true, version: 0 };
  let shown = 0;
  const typed = { formula: null, numbers: null }; // the LaTeX typeset in each box
  let rendered = 0;

  function go(k) {
    const count = state.steps.length;
    if (k === null || k < 0 || k >= count || !state.live || k === shown || !state.steps[k]) return;
    shown = k;
    draw();
    onStep(k);
  }

  function draw() {
    const steps = state.steps || [];
    const count = steps.length;
    const step = Math.max(0, Math.min(shown, count - 1));
    const s = steps[step] || { title: "", check: {}, formula: "", numbers: null, too_big: null, key: "" };
    setText(indicator, stepLabel(step, count));
    setText(title, s.title || "");
    const c = !state.live
      ? { text: "disconnected from the kernel: run the cell again for live checks" }
      : state.stale ? { text: "checking the new network\u2026" } : s.check || {};
    setText(check, c.text || "");
    check.dataset.ok = c.ok === undefined ? "" : String(Boolean(c.ok));
    check.classList.toggle("bw-ok", c.ok === true);
    check.classList.toggle("bw-fail", c.ok === false);
    // KaTeX only for a LaTeX text that changed: after a control change the step's formula is
    // often the same text, and its numbers differ only in digits, which typeset() merges into
    // the markup shown (new KaTeX markup costs the page a layout of the whole panel).
    if ((s.formula || "") !== typed.formula) {
      typed.formula = s.formula || "";
      typeset(formula, typed.formula);
    }
    if ((s.numbers || "") !== typed.numbers) {
      typed.numbers = s.numbers || "";
      if (s.numbers) typesetItems(numbers, s.numbers);
      else numbers.replaceChildren();
    }
    setProp(numbers, "hidden", !s.numbers);
    setText(tooBig, s.too_big || "");
    setProp(tooBig, "hidden", !s.too_big);
    setText(note, s.note || "");
    setProp(note, "hidden", !s.note);
    root.dataset.stale = String(Boolean(state.stale));
    if (!state.live) root.dataset.disconnected = "true";
    formula.classList.toggle("bw-dim", Boolean(state.stale));
    numbers.classList.toggle("bw-dim", Boolean(state.stale));
    // Just after a change only the step on screen has come (the others come when the page,
    // having drawn the change, asks for them): Previous / Next wait for theirs.
    setProp(prev, "disabled", step <= 0 || !state.live || !steps[step - 1]);
    setProp(next, "disabled", step >= count - 1 || !state.live || !steps[step + 1]);
    root.dataset.pending = String(steps.some((t) => !t));
    root.dataset.step = String(step);
    root.dataset.stepKey = s.key || "";
    root.dataset.version = String(state.version);
    rendered += 1;
    root.dataset.rendered = String(rendered);
  }

  prev.addEventListener("click", () => go(shown - 1));
  next.addEventListener("click", () => go(shown + 1));
  root.addEventListener("keydown", (ev) => {
    if (ev.target !== root) return;
    const k = stepForKey(shown, state.steps.length, ev.key);
    if (k !== null) {
      ev.preventDefault();
      go(k);
    }
  });

  return {
    paint(next) {
      state = next;
      shown = next.step;
      draw();
    },
  };
}
