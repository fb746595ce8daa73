// KaTeX glue: typeset the LaTeX that Python sent, with the KaTeX bundled into this module and
// its fonts inlined (woff2 as data URLs, built by js/build.mjs), so nothing is ever fetched and
// no host MathJax is needed.
//
// Browsers ignore @font-face rules inside a shadow root (marimo draws widgets in one), so the
// font faces are added once to the document's <head>; KaTeX's other rules come with styles.css.
import katex from "katex";
import fontFaces from "bw:katex-fonts";

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
 */
export function typeset(el, latex, { inline = false } = {}) {
  const doc = el.ownerDocument;
  ensureFonts(doc);
  const last = SHOWN.get(el);
  const intact = last && el.firstChild === last.first;
  const source = `${inline ? "i" : "d"}${latex}`;
  if (intact && last.source === source) return;
  const markup = katex.renderToString(String(latex), {
    displayMode: !inline,
    throwOnError: false,
    trust: false,
    strict: "ignore",
    output: "htmlAndMathml",
  });
  if (!intact || last.markup !== markup) {
    const fresh = doc.createElement("template");
    fresh.innerHTML = markup; // KaTeX's markup: every text of the LaTeX is escaped in it
    morph(el, fresh.content);
  }
  SHOWN.set(el, { source, markup, first: el.firstChild });
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
