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
 */
export function typeset(el, latex, { inline = false } = {}) {
  ensureFonts(el.ownerDocument);
  katex.render(String(latex), el, {
    displayMode: !inline,
    throwOnError: false,
    trust: false,
    strict: "ignore",
    output: "htmlAndMathml",
  });
}
