// KaTeX glue: typeset the LaTeX that Python sent, with the KaTeX bundled into this module and
// its fonts inlined (woff2 as data URLs, built by js/build.mjs), so nothing is ever fetched and
// no host MathJax is needed.
//
// Browsers ignore @font-face rules inside a shadow root (marimo draws widgets in one), so the
// font faces are added once to the document's <head>; KaTeX's other rules come with styles.css.
import katex from "katex";
import fontFaces from "bw:katex-fonts";
import { cellMarkup, cellsOf, matrixCells, rewriteDigits, rewriteLast } from "./texcells.js";

const FONTS_ID = "bw-katex-fonts";

/** Add KaTeX's @font-face rules to the document <head>, once per document. */
export function ensureFonts(doc = typeof document !== "undefined" ? document : null) {
  if (!doc || !doc.head || doc.getElementById(FONTS_ID)) return;
  const style = doc.createElement("style");
  style.id = FONTS_ID;
  style.textContent = fontFaces;
  doc.head.appendChild(style);
}

/**
 * Typeset `latex` into `el` (display style unless `inline`). KaTeX never runs the input as
 * HTML (`trust` stays false: no \href, \url, \htmlClass …); a LaTeX error shows the source in
 * the error colour instead of throwing.
 *
 * A repaint after a control change usually typesets the same formula with other numbers. The
 * new markup is then merged into what `el` shows, node by node (`morph`), so that the page
 * changes, and the browser lays out, only what differs instead of a whole new formula.
 *
 * `speech: "later"` (for the step's numbers, typeset again on every change): what is seen is
 * drawn now, and the MathML that screen readers read (KaTeX's other half, about a third of its
 * work and of the markup to lay out) follows at the next idle moment, in a visually hidden twin;
 * `el` is `aria-busy` until it has. The twin of a newer call replaces a pending one.
 */
export function typeset(el, latex, { inline = false, speech = "now" } = {}) {
  ensureFonts(el.ownerDocument);
  if (speech !== "later") {
    show(el, latex, inline, "htmlAndMathml");
    return;
  }
  let seen = el.firstChild;
  let heard = seen && seen.nextSibling;
  if (!seen || !seen.classList || !seen.classList.contains("bw-tex-seen") || !heard || heard.nextSibling) {
    seen = el.ownerDocument.createElement("span");
    seen.className = "bw-tex-seen";
    heard = el.ownerDocument.createElement("span");
    heard.className = "bw-tex-heard bw-sr";
    el.replaceChildren(seen, heard);
  }
  show(seen, latex, inline, "html");
  speakLater(el, heard, String(latex), inline);
}

const OPTIONS = { throwOnError: false, trust: false, strict: "ignore" };
/** KaTeX's HTML of one cell of a matrix (texcells.js). */
const renderCell = (cell) => katex.renderToString(cell, { ...OPTIONS, output: "html" });

/**
 * KaTeX's `output` of `latex` merged into `el`, unless `el` shows it already. When `el` shows
 * KaTeX's HTML of a formula with the same matrices of numbers (texcells.js) and only their
 * cells or its last number differ, those are rewritten and KaTeX is not called (`data-typeset`
 * says which).
 */
function show(el, latex, inline, output) {
  const last = SHOWN.get(el);
  const intact = last && el.firstChild === last.first;
  const mode = `${inline ? "i" : "d"}${output}`;
  const source = `${mode}:${latex}`;
  if (intact && last.source === source) return;
  const parsed = output === "html" ? matrixCells(latex) : null;
  if (intact && parsed && last.cells && last.mode === mode && last.frame === parsed.frame) {
    if (rewriteCells(last, parsed)) {
      last.source = source;
      last.markup = null; // no longer KaTeX's string: the next KaTeX markup is merged in
      el.dataset.typeset = "cells";
      return;
    }
  }
  const markup = katex.renderToString(String(latex), { ...OPTIONS, displayMode: !inline, output });
  if (!intact || last.markup !== markup) {
    const fresh = el.ownerDocument.createElement("template");
    fresh.innerHTML = markup; // KaTeX's markup: every text of the LaTeX is escaped in it
    morph(el, fresh.content);
  }
  const found = parsed ? cellsOf(el, parsed, renderCell) : null;
  SHOWN.set(el, {
    source, mode, markup, first: el.firstChild,
    frame: found ? parsed.frame : null, cells: found ? parsed.cells : null, last: found ? parsed.last : null,
    elements: found ? found.cells : null, tail: found ? found.tail : null,
  });
  el.dataset.typeset = "katex";
}

/** The numbers of `last` that differ from `parsed`'s rewritten, all or (when one cannot) none:
 * the cells from their shape's markup, the number that ends the formula in its text. */
function rewriteCells(last, parsed) {
  const { cells } = parsed;
  const changes = [];
  for (let k = 0; k < cells.length; k++) {
    if (cells[k] === last.cells[k]) continue;
    const markup = cellMarkup(cells[k], renderCell);
    if (markup === null) return false;
    changes.push([k, markup]);
  }
  for (const [k, markup] of changes) { // KaTeX's markup of the cell: its digits, or all of it
    const cell = last.elements[k];
    if (!rewriteDigits(cell, last.cells[k], cells[k])) cell.innerHTML = markup;
  }
  if (parsed.last !== last.last) {
    rewriteLast(last.tail, last.last, parsed.last);
    last.last = parsed.last;
  }
  last.cells = cells;
  return true;
}

/** The MathML twins still to write: twin element → {box, latex, inline}. */
const SPEECH = new Map();
let speechScheduled = false;

function speakLater(box, twin, latex, inline) {
  const last = SHOWN.get(twin);
  if (last && twin.firstChild === last.first && last.source === latex) {
    SPEECH.delete(twin); // back to what the twin says already
    box.removeAttribute("aria-busy");
    return;
  }
  SPEECH.set(twin, { box, latex, inline });
  box.setAttribute("aria-busy", "true");
  if (speechScheduled) return;
  speechScheduled = true;
  // Not before the frame that shows the change: an idle moment can come first, between the
  // repaint and that frame, and a twin written there would hold the frame back.
  const win = box.ownerDocument.defaultView || globalThis;
  if (typeof win.requestAnimationFrame === "function") win.requestAnimationFrame(() => whenIdle(win));
  else whenIdle(win);
}

function whenIdle(win) {
  if (typeof win.requestIdleCallback === "function") win.requestIdleCallback((d) => speak(win, d), { timeout: 250 });
  else setTimeout(() => speak(win, null), 50);
}

/**
 * Write the pending MathML twins (see `typeset`'s `speech: "later"`), one by one while the
 * idle moment lasts (`deadline`); the others wait for the next one.
 */
function speak(win, deadline) {
  let first = true;
  for (const [twin, { box, latex, inline }] of SPEECH) {
    const left = deadline && !deadline.didTimeout ? deadline.timeRemaining() : Infinity;
    if (!first && left < 2) {
      whenIdle(win); // the rest at the next idle moment
      return;
    }
    first = false;
    SPEECH.delete(twin);
    if (twin.parentNode === box) { // (else drawn afresh since: a newer twin is pending)
      twin.innerHTML = katex.renderToString(latex, { ...OPTIONS, displayMode: !inline, output: "mathml" });
      SHOWN.set(twin, { source: latex, markup: "", first: twin.firstChild });
    }
    if (![...SPEECH.values()].some((p) => p.box === box)) box.removeAttribute("aria-busy");
  }
  speechScheduled = false;
}

/** What each element shows: its LaTeX and KaTeX's markup (and its first node, to tell when
 * someone else has changed it). */
const SHOWN = new WeakMap();

function syncAttributes(target, source) {
  const fresh = source.attributes;
  for (let k = 0; k < fresh.length; k++) {
    const { name, value } = fresh[k];
    if (target.getAttribute(name) !== value) target.setAttribute(name, value);
  }
  const old = target.attributes;
  for (let k = old.length - 1; k >= 0; k--) {
    if (!source.hasAttribute(old[k].name)) target.removeAttribute(old[k].name);
  }
}

/**
 * Make the children of `target` equal to those of `source` (which gives its nodes up), node by
 * node in order: an equal node stays as it is, a text node takes the new text, an element with
 * the same tag keeps its place and takes the new attributes and children, anything else is
 * replaced. Only for markup without listeners or state of its own, such as KaTeX's.
 */
export function morph(target, source) {
  const olds = Array.from(target.childNodes);
  const news = Array.from(source.childNodes);
  const n = Math.min(olds.length, news.length);
  for (let k = 0; k < n; k++) {
    const o = olds[k];
    const w = news[k];
    if (o.nodeType === 3 && w.nodeType === 3) {
      if (o.nodeValue !== w.nodeValue) o.nodeValue = w.nodeValue;
    } else if (o.isEqualNode(w)) {
      continue;
    } else if (o.nodeType === 1 && w.nodeType === 1 && o.namespaceURI === w.namespaceURI && o.nodeName === w.nodeName) {
      syncAttributes(o, w);
      morph(o, w);
    } else {
      target.replaceChild(w, o);
    }
  }
  for (let k = n; k < olds.length; k++) target.removeChild(olds[k]);
  for (let k = n; k < news.length; k++) target.appendChild(news[k]);
}
