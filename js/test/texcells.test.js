import { test } from "node:test";
import assert from "node:assert/strict";
import { cellMarkup, matrixCells, rewriteDigits } from "../lib/texcells.js";

// KaTeX is a dev dependency (npm ci): the comparison with KaTeX itself runs where it is
// installed; the browser tests compare every rewritten cell with KaTeX in any case.
const katex = await import("katex").then((m) => m.default).catch(() => null);

const P = String.raw`\phantom{-}`;

test("a formula's matrices: their cells column by column, and a frame without them", () => {
  const latex = String.raw`W^{(1)} = \begin{pmatrix} 1.5 & -2 \\ ${P}0.25 & 3 \end{pmatrix},\ x = \begin{pmatrix} 7 \\ 8 \end{pmatrix}`;
  const got = matrixCells(latex);
  assert.deepEqual(got.cells, ["1.5", `${P}0.25`, "-2", "3", "7", "8"]);
  assert.deepEqual(got.dims, [[2, 2], [2, 1]]);
  assert.equal(got.frame, String.raw`W^{(1)} = \begin{pmatrix}2×2\end{pmatrix},\ x = \begin{pmatrix}2×1\end{pmatrix}`);
  // other numbers, the same frame; another size or other text around: another frame
  const other = matrixCells(latex.replace("1.5", "-9.125").replace("7", "0.5"));
  assert.equal(other.frame, got.frame);
  assert.notEqual(matrixCells(latex.replace("W^{(1)}", "W^{(2)}")).frame, got.frame);
  assert.notEqual(matrixCells(latex.replace(String.raw`7 \\ 8`, String.raw`7 \\ 8 \\ 9`)).frame, got.frame);
});

test("only matrices of plain numbers: an exponent, a symbol or ragged rows go to KaTeX whole", () => {
  assert.equal(matrixCells(String.raw`\begin{pmatrix} 1.5 \times 10^{-7} \\ 2 \end{pmatrix}`), null);
  assert.equal(matrixCells(String.raw`\begin{pmatrix} a \\ 2 \end{pmatrix}`), null);
  assert.equal(matrixCells(String.raw`\begin{pmatrix} 1 & 2 \\ 3 \end{pmatrix}`), null);
  assert.equal(matrixCells(String.raw`z = \sigma(u)`), null);
  assert.ok(matrixCells(String.raw`\begin{pmatrix} -0.5\phantom{0} \\ \phantom{-}\phantom{0}1.25 \\ 10\phantom{.00} \end{pmatrix}`));
});

// A stand-in with KaTeX's wrapper: each character its own span, a digit in a class name.
// (Shapes are remembered across calls: these cells' shapes are not the KaTeX test's.)
const WRAP = (inner) => `<span class="katex"><span class="katex-html" aria-hidden="true"><span class="base"><span class="strut" style="height:0.64em;"></span>${inner}</span></span></span>`;
const inner = (cell) => [...cell].map((c) => `<span class="mord size3">${c}</span>`).join("");

test("a cell's markup is made from its shape's markup with the new digits in the texts", () => {
  let calls = 0;
  const counted = (cell) => { calls += 1; return WRAP(inner(cell)); };
  assert.equal(cellMarkup("77.25", counted), inner("77.25"));
  assert.equal(cellMarkup("33.14", counted), inner("33.14"));
  assert.equal(calls, 1); // the second of a shape is not rendered, and "size3" kept its 3
  // a renderer whose texts do not hold the cell's digits one for one: never trusted
  assert.equal(cellMarkup("888.5", () => WRAP('<span class="mord">888.50</span>')), null);
  assert.equal(cellMarkup("99999", () => "<span>not KaTeX</span>"), null);
});

test("a cell's markup is KaTeX's markup of the cell alone, whatever its digits", { skip: !katex && "katex is not installed (npm ci)" }, () => {
  const render = (cell) => katex.renderToString(cell, { output: "html", throwOnError: false, strict: "ignore" });
  const alone = (cell) => render(cell)
    .replace(/^.*?<span class="strut" style="[^"]*"><\/span>/, "").replace(/<\/span><\/span><\/span>$/, "");
  const cells = ["-0.9805", "-0.1234", `${P}0.103\\phantom{0}`, `${P}0.987\\phantom{0}`,
    "0.05602", "12.5", "-3", "0.5\\phantom{.00}"];
  for (const cell of cells) assert.equal(cellMarkup(cell, render), alone(cell), cell);
  // the second of each shape is made from the first one's markup: still KaTeX's
  assert.match(cellMarkup("-0.1234", render), /0\.1234/);
  assert.doesNotMatch(cellMarkup("-0.1234", render), /9805/);
});

test("a number that ends a formula after = is a number to rewrite; its frame has it as #", () => {
  const item = String.raw`\displaystyle {E = 0.9909}`;
  const got = matrixCells(item);
  assert.deepEqual(got.cells, []);
  assert.equal(got.last, "0.9909");
  assert.equal(got.frame, String.raw`\displaystyle {E = #}`);
  for (const same of ["0.1234", "1.056", "12"]) {
    assert.equal(matrixCells(String.raw`\displaystyle {E = ${same}}`).frame, got.frame, same);
  }
  // a sign or another text: another frame
  for (const other of [String.raw`\displaystyle {E = -0.9909}`, String.raw`\displaystyle {F = 0.9909}`]) {
    assert.notEqual(matrixCells(other).frame, got.frame, other);
  }
  assert.equal(matrixCells(String.raw`\displaystyle {E = -0.5}`).last, "0.5");
  // after matrices, with the comma of an item that is not the last
  const both = matrixCells(String.raw`\displaystyle {y = \begin{pmatrix} 1.5 \\ 2 \end{pmatrix},\ E = 12.5},`);
  assert.deepEqual([both.cells, both.last], [["1.5", "2"], "12.5"]);
  // not at the formula's top level (a subscript, a fraction's part, a group): not rewritten
  for (const inner of [String.raw`\displaystyle {x^{1}_{i=1}}`, String.raw`\frac{1}{x = 1}`, String.raw`\displaystyle {\sqrt{E = 2}}`]) {
    assert.equal(matrixCells(inner), null, inner);
  }
});

test("KaTeX's markup of a formula ending in another number of its sign differs only in that text", { skip: !katex && "katex is not installed (npm ci)" }, () => {
  const render = (latex) => katex.renderToString(latex, { output: "html", throwOnError: false, strict: "ignore" });
  const pairs = [["0.9909", "1.056"], ["-3.25", "-0.007812"], ["12.5", "3"], ["0.5", "123.25"]];
  for (const [a, b] of pairs) {
    for (const end of ["}", "},"]) {
      const first = String.raw`\displaystyle {E^{(2)} = ${a}${end}`;
      const second = String.raw`\displaystyle {E^{(2)} = ${b}${end}`;
      const [p, q] = [matrixCells(first), matrixCells(second)];
      assert.equal(p.frame, q.frame);
      // the markup's last text holding a digit ends with the number; put the other one there
      const markup = render(first);
      const at = markup.lastIndexOf(p.last);
      assert.ok(at > 0 && !/\d/.test(markup.slice(at + p.last.length).replace(/<[^>]*>/g, "")), markup);
      assert.equal(markup.slice(0, at) + q.last + markup.slice(at + p.last.length), render(second), `${a} → ${b}`);
    }
  }
});

test("a cell of the same shape gets its new digits in its texts; another shape is left alone", () => {
  // a stand-in for the DOM: elements with children, texts with nodeValue
  const text = (v) => ({ nodeType: 3, nodeValue: v, nextSibling: null });
  const el = (...kids) => {
    kids.forEach((k, i) => { k.nextSibling = kids[i + 1] || null; });
    return { nodeType: 1, firstChild: kids[0] || null, nextSibling: null };
  };
  const [sign, digits] = [text("\u2212"), text("0.9805")];
  const cell = el(el(sign), el(text("")), digits);
  assert.equal(rewriteDigits(cell, "-0.9805", "-0.1234"), true);
  assert.deepEqual([sign.nodeValue, digits.nodeValue], ["\u2212", "0.1234"]);
  assert.equal(rewriteDigits(cell, "-0.1234", "-0.12"), false);
  assert.equal(rewriteDigits(cell, "-0.1234", `${P}0.1234`), false);
  assert.equal(digits.nodeValue, "0.1234");
});
