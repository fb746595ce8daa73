import { test } from "node:test";
import assert from "node:assert/strict";
import { CLASS_COLORS, finiteRange, nearest, scale, ticks } from "../lib/trainplot.js";

test("finiteRange skips inf and NaN, and on a log axis anything not positive", () => {
  assert.deepEqual(finiteRange([[3, NaN, 1], [Infinity, 2]]), [1, 3]);
  assert.deepEqual(finiteRange([[0, -1, 0.5, 4]], { positive: true }), [0.5, 4]);
  assert.deepEqual(finiteRange([[]]), [0, 1]);
  assert.deepEqual(finiteRange([[2, 2]]), [1.5, 2.5]);
  assert.deepEqual(finiteRange([[2, 2]], { positive: true }), [1, 4]);
});

test("scale maps the ends of the range onto the ends of the pixels, log or not", () => {
  const s = scale(0, 10, 100, 0);
  assert.equal(s(0), 100);
  assert.equal(s(10), 0);
  assert.equal(s(5), 50);
  const l = scale(0.01, 1, 0, 200, true);
  assert.equal(l(0.01), 0);
  assert.equal(l(1), 200);
  assert.ok(Math.abs(l(0.1) - 100) < 1e-9);
  assert.ok(Number.isFinite(l(0))); // a zero loss stays on the chart
});

test("ticks are round numbers inside the range; powers of ten on a log axis", () => {
  assert.deepEqual(ticks(0, 1, 5), [0, 0.2, 0.4, 0.6, 0.8, 1]);
  assert.deepEqual(ticks(0, 1000, 4), [0, 500, 1000]);
  assert.deepEqual(ticks(0.0003, 2, 4, true), [0.001, 0.01, 0.1, 1]);
  assert.deepEqual(ticks(0.015, 0.3, 4, true), [0.02, 0.05, 0.1, 0.2]);
  for (const t of ticks(-3.3, 7.9, 5)) assert.ok(t >= -3.3 && t <= 7.9);
});

test("nearest finds the closest point within the radius, or -1", () => {
  const xs = [10, 50, 52];
  const ys = [10, 50, 52];
  assert.equal(nearest(xs, ys, 51.8, 51.7, 5), 2);
  assert.equal(nearest(xs, ys, 11, 9, 5), 0);
  assert.equal(nearest(xs, ys, 100, 100, 5), -1);
});

test("class colours are ten distinct RGB triples", () => {
  assert.equal(CLASS_COLORS.length, 10);
  assert.equal(new Set(CLASS_COLORS.map((c) => c.join())).size, 10);
});
