import { test } from "node:test";
import assert from "node:assert/strict";
import { DEFAULTS, layoutNetwork, visibleItems } from "../lib/layout.js";

const units = (items) => items.filter((it) => it.kind === "unit").map((it) => it.index);
const gaps = (items) => items.filter((it) => it.kind === "gap");

test("small layers show every unit and no gap", () => {
  for (const n of [1, 2, 7, DEFAULTS.maxNodes]) {
    const items = visibleItems(n);
    assert.deepEqual(units(items), [...Array(n).keys()]);
    assert.equal(gaps(items).length, 0);
  }
});

test("a wide layer keeps its first and last units and one gap that counts the rest", () => {
  const n = 40;
  const items = visibleItems(n, { maxNodes: 16, keep: 6 });
  assert.deepEqual(units(items), [0, 1, 2, 3, 4, 5, 34, 35, 36, 37, 38, 39]);
  assert.deepEqual(gaps(items), [{ kind: "gap", from: 6, count: 28 }]);
  assert.equal(units(items).length + gaps(items)[0].count, n);
});

test("a pinned unit in the hidden middle is drawn, splitting the gap in two", () => {
  const items = visibleItems(100, { maxNodes: 16, keep: 3, pinned: [50] });
  assert.deepEqual(units(items), [0, 1, 2, 50, 97, 98, 99]);
  assert.deepEqual(gaps(items).map((g) => [g.from, g.count]), [[3, 47], [51, 46]]);
  // every unit is either drawn or counted by exactly one gap
  const counted = units(items).length + gaps(items).reduce((s, g) => s + g.count, 0);
  assert.equal(counted, 100);
});

test("items are in top-to-bottom order", () => {
  const items = visibleItems(30, { pinned: [29, 12] });
  const starts = items.map((it) => (it.kind === "unit" ? it.index : it.from));
  assert.deepEqual(starts, [...starts].sort((a, b) => a - b));
});

test("bad widths are refused", () => {
  assert.throws(() => visibleItems(-1), RangeError);
  assert.throws(() => visibleItems(2.5), RangeError);
});

test("a small network draws every weight as an edge, n(ℓ)·n(ℓ−1) per layer", () => {
  for (const sizes of [[2, 3, 1], [3, 5, 4, 2]]) {
    const lay = layoutNetwork(sizes);
    let expected = 0;
    for (let l = 1; l < sizes.length; l++) expected += sizes[l] * sizes[l - 1];
    assert.equal(lay.edges.length, expected);
    assert.equal(lay.collapsed, false);
    // each (ℓ, i, j) once, within W(ℓ)'s shape
    const keys = new Set(lay.edges.map((e) => `${e.layer},${e.i},${e.j}`));
    assert.equal(keys.size, expected);
    for (const e of lay.edges) {
      assert.ok(e.i < sizes[e.layer] && e.j < sizes[e.layer - 1]);
    }
  }
});

test("a collapsed network only draws edges among drawn units", () => {
  const sizes = [784, 128, 10];
  const lay = layoutNetwork(sizes);
  const shown = lay.columns.map((c) => units(c.items).length);
  const k = 2 * DEFAULTS.keep;
  assert.deepEqual(shown, [k, k, 10]);
  assert.equal(lay.edges.length, k * k + 10 * k);
  assert.equal(lay.collapsed, true);
  for (const e of lay.edges) {
    assert.ok(lay.position(e.layer, e.i) && lay.position(e.layer - 1, e.j));
  }
});

test("columns go left to right, rows top to bottom, and fit inside width × height", () => {
  const lay = layoutNetwork([3, 5, 40, 2]);
  for (let k = 1; k < lay.columns.length; k++) assert.ok(lay.columns[k].x > lay.columns[k - 1].x);
  for (const c of lay.columns) {
    for (let k = 1; k < c.items.length; k++) assert.ok(c.items[k].y > c.items[k - 1].y);
    for (const it of c.items) {
      assert.ok(it.y > 0 && it.y < lay.height);
      assert.ok(c.x > 0 && c.x < lay.width);
    }
  }
  assert.equal(lay.position(0, 7), null); // layer 0 has 3 units
  assert.equal(lay.position(2, 20), null); // hidden in the collapsed layer
});

test("pinning through layoutNetwork reveals the unit in that layer only", () => {
  const lay = layoutNetwork([40, 30, 2], { pinned: { 0: [20], 1: [15] } });
  assert.ok(lay.position(0, 20));
  assert.ok(lay.position(1, 15));
  assert.ok(lay.edges.some((e) => e.layer === 1 && e.i === 15 && e.j === 20));
});
