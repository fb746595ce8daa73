// Numbers typeset again without KaTeX: after a control change a step's numbers are the same
// matrices (the same sizes, the same text around them) with other values, and the same text
// ending in another number (E = 0.9909), so the page can keep KaTeX's markup of the whole and
// rewrite only the numbers that changed.
//
// This holds because of how KaTeX lays out a `pmatrix` of plain numbers: each cell is its own
// span (column by column, row by row within a column), laid out by the browser, and each row is
// as tall as the array's strut, never as its numbers (digits and signs are shorter). A cell's
// markup is then exactly KaTeX's markup of the cell alone, and two cells of one shape (the
// same text with other digits) differ only in their digits. A number that ends a formula after
// "=" is drawn by KaTeX as one text, its digits and point in one span (they are all ordinary
// symbols of one font, which KaTeX joins), as tall as any digit: another number of the same
// sign is the same markup with another text. tex.js checks all of this on the page, against
// KaTeX's own markup, before it trusts a formula's numbers (see `cellsOf`).
//
// `render(cell)` is KaTeX's `renderToString` of one cell as HTML (tex.js passes it in, so this
// module's string work can be tested without KaTeX).

// A number as _texnum.py writes one: a sign or its \phantom, a \phantom before the integer
// part, the digits, a \phantom after them (alignment on the decimal point). Anything else (an
// exponent, a symbol) makes its formula go through KaTeX whole.
const NUMBER = /^(?:-|\\phantom\{-\})?(?:\\phantom\{0+\})?\d+(?:\.\d+)?(?:\\phantom\{\.?0*\})?$/;
const MATRIX = /\\begin\{pmatrix\}([\s\S]*?)\\end\{pmatrix\}/g;
// A plain number after "=" that ends the formula (before the closing brace and comma of an
// item of format.js's numberItems, `\displaystyle {E = 0.9909},`), at the formula's top level
// (see `topLevel`): there KaTeX draws it last, after everything else.
const LAST_NUMBER = /(=\s*-?)(\d+(?:\.\d+)?)(\s*\}?\s*,?\s*)$/;
const WRAPPED = /^\s*\\displaystyle\s*\{/;

/** Whether `index` of `text` is outside every group (inside only the item's own `{…}`). */
function topLevel(text, index) {
  let depth = 0;
  for (let k = 0; k < index; k++) {
    if (text[k] === "\\") k++; // \{ and \} are braces drawn, not groups
    else if (text[k] === "{") depth++;
    else if (text[k] === "}") depth--;
  }
  return depth === (WRAPPED.test(text) ? 1 : 0);
}

const digitsOf = (s) => s.replace(/\D/g, "");

/**
 * A formula's numbers: {frame, cells, dims, last}. `cells` is every matrix cell's LaTeX in
 * KaTeX's order (matrix by matrix, column by column), `dims` each matrix's [rows, columns],
 * `last` the number that ends the formula after "=", without its sign ("" if none). `frame` is
 * the LaTeX with each matrix reduced to its size and that number written as "#": two formulas
 * with one frame differ only in their cells and in that number. Null when a matrix holds
 * anything but numbers, or when there is no number to rewrite.
 */
export function matrixCells(latex) {
  const text = String(latex);
  const cells = [];
  const dims = [];
  let frame = "";
  let last = 0;
  for (const m of text.matchAll(MATRIX)) {
    const rows = m[1].split("\\\\").map((r) => r.split("&").map((c) => c.trim()));
    if (rows.length > 1 && rows[rows.length - 1].every((c) => c === "")) rows.pop(); // a final \\
    const cols = rows[0].length;
    if (!rows.every((r) => r.length === cols && r.every((c) => NUMBER.test(c)))) return null;
    for (let j = 0; j < cols; j++) for (const r of rows) cells.push(r[j]);
    dims.push([rows.length, cols]);
    frame += `${text.slice(last, m.index)}\\begin{pmatrix}${rows.length}\u00d7${cols}\\end{pmatrix}`;
    last = m.index + m[0].length;
  }
  const rest = text.slice(last);
  let end = rest.match(LAST_NUMBER);
  if (end && !topLevel(text, last + end.index + end[1].length)) end = null;
  frame += end ? `${rest.slice(0, end.index)}${end[1]}#${end[3]}` : rest;
  if (!cells.length && !end) return null;
  return { frame, cells, dims, last: end ? end[2] : "" };
}

/** KaTeX's markup of one cell, split into tags and texts, per shape (the cell, digits as 0). */
const SHAPES = new Map();
const SHAPES_KEPT = 512; // shapes are few (sign, digits before and after the point); a bound

/**
 * The markup KaTeX gives `cell` (the contents of its `.base`, without the strut), made from
 * the markup of an earlier cell of the same shape by putting the new digits in; null when the
 * shape's digits are not the cell's, one for one and in order, in KaTeX's texts.
 */
export function cellMarkup(cell, render) {
  const shape = cell.replace(/\d/g, "0");
  let parts = SHAPES.get(shape);
  if (parts === undefined) {
    parts = splitMarkup(cell, render);
    if (SHAPES.size >= SHAPES_KEPT) SHAPES.clear();
    SHAPES.set(shape, parts);
  }
  if (parts === null) return null;
  const digits = digitsOf(cell);
  let k = 0;
  const out = parts.map((p, i) => (i % 2 === 1 ? p : p.replace(/\d/g, () => digits[k++])));
  return k === digits.length ? out.join("") : null;
}

/** [text, tag, text, tag, …, text] of KaTeX's markup of `cell`, or null (see cellMarkup). */
function splitMarkup(cell, render) {
  const html = render(cell);
  const strut = html.match(/^<span class="katex"><span class="katex-html" aria-hidden="true"><span class="base"><span class="strut" style="[^"]*"><\/span>([\s\S]*)<\/span><\/span><\/span>$/);
  if (!strut) return null;
  const parts = strut[1].split(/(<[^>]*>)/);
  const texts = parts.filter((_, i) => i % 2 === 0).join("");
  return digitsOf(texts) === digitsOf(cell) ? parts : null;
}

/**
 * Where KaTeX drew `parsed`'s numbers in `root` ({frame, cells, dims, last} of matrixCells):
 * {cells, tail}, the cells' elements and the text node that ends with the last number (null
 * without one), or null when the page does not hold them as expected: one `.mtable` per
 * matrix, its columns, each column's rows, each row's last span a cell whose markup is
 * cellMarkup's; the formula's last text with a digit ending with the whole number. Checked
 * once per formula drawn by KaTeX; then its numbers can be rewritten (`rewriteLast`).
 */
export function cellsOf(root, parsed, render) {
  const tables = root.querySelectorAll(".mtable");
  if (tables.length !== parsed.dims.length) return null;
  const out = [];
  for (let t = 0; t < tables.length; t++) {
    const [rows, cols] = parsed.dims[t];
    const columns = Array.from(tables[t].children).filter((c) => /(^| )col-align-/.test(c.className));
    if (columns.length !== cols) return null;
    for (const col of columns) {
      const vlist = col.querySelector(":scope > .vlist-t > .vlist-r > .vlist");
      const cells = vlist ? Array.from(vlist.children) : [];
      if (cells.length !== rows) return null;
      for (const row of cells) {
        const cell = row.lastElementChild;
        if (!cell || cell.className !== "mord") return null;
        out.push(cell);
      }
    }
  }
  for (let k = 0; k < out.length; k++) {
    if (out[k].innerHTML !== cellMarkup(parsed.cells[k], render)) return null;
  }
  if (!parsed.last) return { cells: out, tail: null };
  const tail = lastText(root, (t) => /\d/.test(t.nodeValue));
  return tail && tail.nodeValue.endsWith(parsed.last) ? { cells: out, tail } : null;
}

/** The last text node under `node` that `ok` accepts, or null. */
function lastText(node, ok) {
  for (let c = node.lastChild; c; c = c.previousSibling) {
    if (c.nodeType === 3 && ok(c)) return c;
    if (c.nodeType === 1) {
      const found = lastText(c, ok);
      if (found) return found;
    }
  }
  return null;
}

/**
 * A cell drawn as cellMarkup(from) made to show `to`, a cell of the same shape (the same text
 * with other digits): the digits of its texts replaced in order, as cellMarkup would write
 * them. No markup is parsed and no element made, so the page has no new style to compute.
 * False (nothing touched) when the shapes differ.
 */
export function rewriteDigits(cell, from, to) {
  if (from.replace(/\d/g, "0") !== to.replace(/\d/g, "0")) return false;
  const digits = digitsOf(to);
  let k = 0;
  const walk = (node) => {
    for (let c = node.firstChild; c; c = c.nextSibling) {
      if (c.nodeType === 1) walk(c);
      else if (c.nodeType === 3 && /\d/.test(c.nodeValue)) {
        const value = c.nodeValue.replace(/\d/g, () => digits[k++]);
        if (value !== c.nodeValue) c.nodeValue = value;
      }
    }
  };
  walk(cell);
  return true;
}

/** The text `tail` (cellsOf's), ending with the number `from`, made to end with `to`. */
export function rewriteLast(tail, from, to) {
  tail.nodeValue = tail.nodeValue.slice(0, tail.nodeValue.length - from.length) + to;
}
