import { test } from "node:test";
import assert from "node:assert/strict";
import { DIVERGING_STOPS, colorbarGradient } from "../lib/colors.js";
import {
  cellAt, cellRect, colorbarBackground, colorbarTicks, moveSelection, exact, isCurrent, panelLayout, panelSource, stepForKey,
  stepLabel,
} from "../lib/heatmap.js";

test("a panel fits its width and height with square cells inside the bounds", () => {
  for (const [rows, cols] of [[1, 1], [3, 4], [32, 32], [32, 1], [1, 32], [8, 16]]) {
    const l = panelLayout(rows, cols, { width: 280, maxHeight: 220, minCell: 4, maxCell: 28 });
    assert.ok(l.cell >= 4 && l.cell <= 28, `cell ${l.cell}`);
    assert.equal(l.width, l.cell * cols);
    assert.equal(l.height, l.cell * rows);
    assert.ok(l.width <= 280 && l.height <= 220, `${rows}x${cols}: ${l.width}x${l.height}`);
  }
});

test("tiny matrices get the largest cell, an empty one gets nothing", () => {
  assert.equal(panelLayout(2, 2, { maxCell: 28 }).cell, 28);
  assert.deepEqual(panelLayout(0, 3), { cell: 0, width: 0, height: 0, rows: 0, cols: 0 });
});

test("cellAt inverts cellRect for every entry, and is null outside", () => {
  const l = panelLayout(5, 7, { width: 200, maxHeight: 200 });
  for (let i = 0; i < 5; i++) {
    for (let j = 0; j < 7; j++) {
      const [x, y, w, h] = cellRect(i, j, l);
      assert.deepEqual(cellAt(x + w / 2, y + h / 2, l), [i, j]);
      assert.deepEqual(cellAt(x, y, l), [i, j]);
      assert.deepEqual(cellAt(x + w - 0.01, y + h - 0.01, l), [i, j]);
    }
  }
  assert.equal(cellAt(-1, 3, l), null);
  assert.equal(cellAt(3, l.height, l), null);
  assert.equal(cellAt(l.width, 0, l), null);
  assert.equal(cellAt(1, 1, null), null);
});

test("arrow keys move one step within bounds; Home/End jump; other keys do nothing", () => {
  assert.equal(stepForKey(0, 8, "ArrowRight"), 1);
  assert.equal(stepForKey(7, 8, "ArrowRight"), null);
  assert.equal(stepForKey(0, 8, "ArrowLeft"), null);
  assert.equal(stepForKey(3, 8, "ArrowLeft"), 2);
  assert.equal(stepForKey(3, 8, "Home"), 0);
  assert.equal(stepForKey(3, 8, "End"), 7);
  assert.equal(stepForKey(3, 8, "a"), null);
  assert.equal(stepForKey(0, 0, "End"), null);
});

test("older versions are never painted over newer ones", () => {
  assert.equal(isCurrent(5, 4), true);
  assert.equal(isCurrent(5, 5), true);
  assert.equal(isCurrent(4, 5), false);
  assert.equal(isCurrent(undefined, 0), false);
});

test("exact numbers read back to the same float64", () => {
  for (const v of [0.1 + 0.2, -1.2345678901234567e-13, 1e300, 5e-324]) {
    assert.equal(Number(exact(v)), v);
  }
  assert.equal(exact(NaN), "NaN");
  assert.equal(exact(Infinity), "inf");
  assert.equal(exact(-Infinity), "-inf");
  assert.equal(exact(null), "—");
});

test("panels read their own array and scale; the third follows the measure", () => {
  assert.deepEqual(panelSource("analytic", "relative"), { key: "analytic", scale: "scale" });
  assert.deepEqual(panelSource("numeric", "difference"), { key: "numeric", scale: "scale" });
  assert.deepEqual(panelSource("difference", "difference"), { key: "difference", scale: "difference_scale" });
  assert.deepEqual(panelSource("difference", "relative"), { key: "relative", scale: "relative_scale" });
});

test("colour bar ticks span the symmetric limit, or 0..limit for a nonnegative map", () => {
  assert.deepEqual(colorbarTicks(2), [-2, 0, 2]);
  assert.deepEqual(colorbarTicks(2, true), [0, 1, 2]);
  assert.deepEqual(colorbarTicks(0), [-1, 0, 1]);
  assert.deepEqual(colorbarTicks(NaN), [-1, 0, 1]);
});

test("the step label counts from one", () => {
  assert.equal(stepLabel(0, 8), "step 1 of 8");
  assert.equal(stepLabel(7, 8), "step 8 of 8");
  assert.equal(stepLabel(0, 0), "no steps");
});

test("a nonnegative colour bar runs from the neutral centre to the top of the scale", () => {
  assert.equal(colorbarBackground(false), colorbarGradient("to right"));
  const half = colorbarBackground(true);
  const mid = DIVERGING_STOPS[(DIVERGING_STOPS.length - 1) / 2];
  assert.ok(half.includes(`${mid} 0.0%`), half);
  assert.ok(half.includes(`${DIVERGING_STOPS.at(-1)} 100.0%`), half);
  assert.ok(!half.includes(DIVERGING_STOPS[0]), "no negative colours");
});

test("arrow keys move the selected entry inside the map and stop at its edges", () => {
  assert.deepEqual(moveSelection([1, 1], "ArrowUp", 3, 4), [0, 1]);
  assert.deepEqual(moveSelection([1, 1], "ArrowDown", 3, 4), [2, 1]);
  assert.deepEqual(moveSelection([1, 1], "ArrowLeft", 3, 4), [1, 0]);
  assert.deepEqual(moveSelection([1, 1], "ArrowRight", 3, 4), [1, 2]);
  assert.deepEqual(moveSelection([0, 3], "ArrowUp", 3, 4), [0, 3]);
  assert.deepEqual(moveSelection([2, 3], "ArrowRight", 3, 4), [2, 3]);
  assert.deepEqual(moveSelection(null, "ArrowDown", 3, 4), [0, 0]);
  assert.equal(moveSelection([1, 1], "Enter", 3, 4), null);
  assert.equal(moveSelection(null, "ArrowDown", 0, 4), null);
});
