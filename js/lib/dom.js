// Tiny DOM builders shared by the widgets. Every text from Python goes in as textContent,
// never as HTML.

export const SVG_NS = "http://www.w3.org/2000/svg";

/** An HTML element: attrs (text → textContent, class → className, others as attributes). */
export function h(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null) continue;
    if (k === "text") node.textContent = v;
    else if (k === "class") node.className = v;
    else node.setAttribute(k, String(v));
  }
  for (const c of children) if (c !== null && c !== undefined) node.append(c);
  return node;
}

/** An SVG element with attributes, appended to `parent` when given. */
export function svg(tag, attrs = {}, parent = null) {
  const e = document.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  if (parent) parent.appendChild(e);
  return e;
}

/** Model events when the kernel goes away (restart, shutdown) or the Python widget closes. */
export const LOST = ["comm_live_update", "comm:close"];
