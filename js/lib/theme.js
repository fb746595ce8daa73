// The host's light or dark theme, put on the widget's own root as data-bw-theme="light"|"dark",
// which js/styles.css keys its dark colours on. Rules that start at `body` never match inside a
// shadow root (marimo draws widgets in one), so the theme is read here, from the document.
//
// What the hosts say: JupyterLab, Notebook 7 and Voilà set data-jp-theme-light on <body>;
// marimo a `dark`/`dark-theme` class or data-theme on <body>/<html>; VS Code a `vscode-dark`
// or `vscode-light` class on <body>. A host that says nothing: prefers-color-scheme decides.

const ATTRS = ["data-jp-theme-light", "data-theme", "data-color-mode", "data-bs-theme", "class"];
const DARK_CLASSES = ["dark", "dark-theme", "dark-mode", "theme-dark", "vscode-dark", "vscode-high-contrast"];
const LIGHT_CLASSES = ["light", "light-theme", "light-mode", "theme-light", "vscode-light", "vscode-high-contrast-light"];

/** What one element (<body> or <html>) says: "dark", "light" or null. */
export function themeOf(node) {
  if (!node || !node.getAttribute) return null;
  const jp = node.getAttribute("data-jp-theme-light");
  if (jp === "true" || jp === "false") return jp === "true" ? "light" : "dark";
  for (const name of ["data-theme", "data-color-mode", "data-bs-theme"]) {
    const v = (node.getAttribute(name) || "").toLowerCase();
    if (v === "dark" || v === "light") return v;
  }
  const classes = node.classList ? [...node.classList] : [];
  if (classes.some((c) => LIGHT_CLASSES.includes(c))) return "light";
  if (classes.some((c) => DARK_CLASSES.includes(c))) return "dark";
  return null;
}

/** The host's theme: <body> first, then <html>, then prefers-color-scheme ("light" if unknown). */
export function hostTheme(doc, prefersDark = false) {
  return themeOf(doc && doc.body) || themeOf(doc && doc.documentElement) || (prefersDark ? "dark" : "light");
}

/**
 * Keep `el.dataset.bwTheme` equal to the host's theme, following later switches (JupyterLab's
 * theme menu, marimo's toggle, the system's dark mode). Returns a function that stops it.
 */
export function followTheme(el) {
  const doc = el.ownerDocument;
  const view = doc && doc.defaultView;
  const media = view && view.matchMedia ? view.matchMedia("(prefers-color-scheme: dark)") : null;
  const update = () => {
    const theme = hostTheme(doc, Boolean(media && media.matches));
    if (el.dataset.bwTheme !== theme) el.dataset.bwTheme = theme;
  };
  update();
  const observer = view && view.MutationObserver ? new view.MutationObserver(update) : null;
  if (observer) {
    for (const node of [doc.body, doc.documentElement]) if (node) observer.observe(node, { attributes: true, attributeFilter: ATTRS });
  }
  if (media && media.addEventListener) media.addEventListener("change", update);
  return () => {
    if (observer) observer.disconnect();
    if (media && media.removeEventListener) media.removeEventListener("change", update);
  };
}
