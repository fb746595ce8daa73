import { test } from "node:test";
import assert from "node:assert/strict";
import { formatNumber } from "../lib/format.js";

const M = "\u2212";

test("ordinary numbers keep three significant digits without trailing zeros", () => {
  assert.equal(formatNumber(0.123456), "0.123");
  assert.equal(formatNumber(2), "2");
  assert.equal(formatNumber(2.5), "2.5");
  assert.equal(formatNumber(12345), "12345");
  assert.equal(formatNumber(99.96), "100");
});

test("negative numbers use a true minus sign", () => {
  assert.equal(formatNumber(-0.5), `${M}0.5`);
  assert.equal(formatNumber(-2e-6), `${M}2e${M}6`);
});

test("very small and very large magnitudes use exponent notation", () => {
  assert.equal(formatNumber(1.5e-7), `1.5e${M}7`);
  assert.equal(formatNumber(123456), "1.23e5");
  assert.equal(formatNumber(0.000999), `9.99e${M}4`);
});

test("the number of significant digits can be chosen", () => {
  assert.equal(formatNumber(Math.PI, 5), "3.1416");
  assert.equal(formatNumber(Math.PI, 1), "3");
});

test("zero, NaN and infinities", () => {
  assert.equal(formatNumber(0), "0");
  assert.equal(formatNumber(-0), "0");
  assert.equal(formatNumber(NaN), "NaN");
  assert.equal(formatNumber(Infinity), "∞");
  assert.equal(formatNumber(-Infinity), `${M}∞`);
});

test("no minus zero anywhere", async () => {
  const { exact, formatNumber } = await import("../lib/format.js");
  for (const v of [-0, 0, -1e-320, -0.0]) {
    assert.notEqual(formatNumber(v), "\u22120");
    assert.ok(!exact(v).startsWith("-0") && !exact(v).startsWith("\u22120") || Math.abs(v) > 0);
  }
  assert.equal(exact(-0), "0");
  assert.equal(formatNumber(-0), "0");
  assert.equal(formatNumber(-0.0004, 1), "\u22124e\u22124");
  assert.equal(exact(-2.5), "-2.5");
});

test("a step's numbers split into items typeset one by one, each with its comma", async () => {
  const { numberItems } = await import("../lib/format.js");
  const items = numberItems("z^{(0)} = \\begin{pmatrix} 1 \\\\ 2 \\end{pmatrix},\\ y = 3,\\quad E = 0.5");
  assert.deepEqual(items, [
    { latex: "\\displaystyle {z^{(0)} = \\begin{pmatrix} 1 \\\\ 2 \\end{pmatrix}},", wide: false },
    { latex: "\\displaystyle {y = 3},", wide: true },
    { latex: "\\displaystyle { E = 0.5}", wide: false },
  ]);
});

test("numbers that do not split into balanced items stay one item", async () => {
  const { numberItems } = await import("../lib/format.js");
  assert.deepEqual(numberItems("E = 0.5"), [{ latex: "\\displaystyle E = 0.5", wide: false }]);
  const open = "\\left( a,\\ b \\right)";
  assert.deepEqual(numberItems(open), [{ latex: `\\displaystyle ${open}`, wide: false }]);
});

test("exact numbers for reading carry a true minus sign, in the exponent too", async () => {
  const { exact, exactText } = await import("../lib/format.js");
  assert.equal(exactText(-2.5), `${M}2.5`);
  assert.equal(exactText(-1.5e-7), `${M}1.5e${M}7`);
  assert.equal(exactText(-Infinity), `${M}inf`);
  assert.equal(exactText(-0), "0");
  assert.equal(exact(-1.5e-7), "-1.5e-7"); // what Python reads back stays ASCII
});
