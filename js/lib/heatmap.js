// Geometry and small helpers of the explorer's heatmaps. Pure functions: no DOM, no
// mathematics (the numbers and their colour limits come from Python), testable with node --test.

import { DIVERGING_STOPS, colorbarGradient } from "./colors.js";

export { exact } from "./format.js";

/**
 * Cell size and canvas size of one heatmap of `rows` × `cols` entries that must fit in
 * `width` × `maxHeight` CSS pixels. Cells are square, at least `minCell` and at most `maxCell`.
 */
export function panelLayout(rows, cols, { width = 280, maxHeight = 240, minCell = 4, maxCell = 28 } = {}) {
  if (!(rows >= 1) || !(cols >= 1)) return { cell: 0, width: 0, height: 0, rows: 0, cols: 0 };
  const fit = Math.floor(Math.min(width / cols, maxHeight / rows));
  const cell = Math.max(minCell, Math.min(maxCell, fit));
  return { cell, width: cell * cols, height: cell * rows, rows, cols };
}

/** The entry [i, j] (0-based row, column) under the point (x, y) of a panel, or null. */
export function cellAt(x, y, layout) {
  if (!layout || !(layout.cell > 0)) return null;
  if (x < 0 || y < 0 || x >= layout.width || y >= layout.height) return null;
  const i = Math.floor(y / layout.cell);
  const j = Math.floor(x / layout.cell);
  if (i >= layout.rows || j >= layout.cols) return null;
  return [i, j];
}

/** The rectangle [x, y, w, h] of entry (i, j) in a panel. */
export function cellRect(i, j, layout) {
  return [j * layout.cell, i * layout.cell, layout.cell, layout.cell];
}

/** The step a key leads to (ArrowLeft/ArrowRight/Home/End), or null for other keys or no move. */
export function stepForKey(step, count, key) {
  let next = null;
  if (key === "ArrowRight") next = Math.min(count - 1, step + 1);
  else if (key === "ArrowLeft") next = Math.max(0, step - 1);
  else if (key === "Home") next = 0;
  else if (key === "End") next = count - 1;
  return next === null || next === step || next < 0 ? null : next;
}

/** Whether data of `version` may be painted over what was painted at `painted`. */
export function isCurrent(version, painted) {
  return Number.isFinite(version) && version >= painted;
}

/** Which packed array and which colour limit a panel of `kind` draws from a layer payload. */
export function panelSource(kind, measure) {
  if (kind === "analytic") return { key: "analytic", scale: "scale" };
  if (kind === "numeric") return { key: "numeric", scale: "scale" };
  return measure === "relative"
    ? { key: "relative", scale: "relative_scale" }
    : { key: "difference", scale: "difference_scale" };
}

/** The labels of a colour bar from −limit to +limit (nonnegative maps start at 0). */
export function colorbarTicks(limit, nonnegative = false) {
  const l = limit > 0 && Number.isFinite(limit) ? limit : 1;
  return nonnegative ? [0, l / 2, l] : [-l, 0, l];
}

/** "step k of N" (k counted from 1). */
export function stepLabel(step, count) {
  return count > 0 ? `step ${step + 1} of ${count}` : "no steps";
}

/**
 * The CSS gradient of a colour bar: the whole diverging scale, or for a map of nonnegative
 * values (relative errors) only its upper half, from the neutral centre (0) to the top.
 */
export function colorbarBackground(nonnegative = false, direction = "to right") {
  if (!nonnegative) return colorbarGradient(direction);
  const half = DIVERGING_STOPS.slice((DIVERGING_STOPS.length - 1) / 2);
  const n = half.length - 1;
  const stops = half.map((c, k) => `${c} ${((100 * k) / n).toFixed(1)}%`);
  return `linear-gradient(${direction}, ${stops.join(", ")})`;
}

/**
 * The entry an arrow key moves a selection [i, j] to inside a rows × cols map (clamped at the
 * edges); with no selection any arrow selects [0, 0]. Null for keys that are not arrows.
 */
export function moveSelection(selected, key, rows, cols) {
  const moves = { ArrowUp: [-1, 0], ArrowDown: [1, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1] };
  if (!(key in moves) || !(rows >= 1) || !(cols >= 1)) return null;
  if (!selected) return [0, 0];
  const [di, dj] = moves[key];
  const i = Math.max(0, Math.min(rows - 1, selected[0] + di));
  const j = Math.max(0, Math.min(cols - 1, selected[1] + dj));
  return [i, j];
}
