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

// A repaint writes only what differs: a text set to itself is a new text node, and the page
// lays its box out again; a flag or attribute set to itself is a mutation all the same.

/** `el.textContent = text`, unless it shows that text already. */
export function setText(el, text) {
  if (el.textContent !== text) el.textContent = text;
}

/** `el[name] = value` (hidden, disabled, checked, value, …), unless it is that already. */
export function setProp(el, name, value) {
  if (el[name] !== value) el[name] = value;
}

/** `el.setAttribute(name, value)`, unless it has that value already. */
export function setAttr(el, name, value) {
  if (el.getAttribute(name) !== value) el.setAttribute(name, value);
}

/** Model events when the kernel goes away (restart, shutdown) or the Python widget closes. */
export const LOST = ["comm_live_update", "comm:close"];
