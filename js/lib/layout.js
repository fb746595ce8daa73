// Geometry of the network diagram: which units of each layer are drawn, where, and which
// edges join them. Pure functions (no DOM), testable with node --test.
//
// A layer wider than `maxNodes` units is collapsed: its first `keep` and last `keep` units are
// drawn, plus any "pinned" unit (e.g. an end of the selected edge), and each run of hidden
// units becomes one gap marker that carries the count of the units it stands for.

export const DEFAULTS = {
  maxNodes: 16, // layers wider than this collapse
  keep: 4, // units kept at each end of a collapsed layer
  colWidth: 150, // horizontal distance between layers
  rowHeight: 34, // vertical distance between drawn items of a layer
  left: 70, // x of the input column
  top: 64, // y of the first row (room for the column headers above)
  bottom: 24, // room below the last row
};

/**
 * The drawn items of a layer with `n` units, top to bottom.
 * @returns {Array<{kind: "unit", index: number} | {kind: "gap", from: number, count: number}>}
 *   `gap` stands for units from..from+count−1.
 */
export function visibleItems(n, { maxNodes = DEFAULTS.maxNodes, keep = DEFAULTS.keep, pinned = [] } = {}) {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`n must be a non-negative integer, got ${n}`);
  if (n <= maxNodes) return Array.from({ length: n }, (_, index) => ({ kind: "unit", index }));
  const k = Math.max(1, Math.min(keep, Math.floor(n / 2)));
  const shown = new Set();
  for (let i = 0; i < k; i++) {
    shown.add(i);
    shown.add(n - 1 - i);
  }
  for (const p of pinned) if (Number.isInteger(p) && p >= 0 && p < n) shown.add(p);
  const sorted = [...shown].sort((a, b) => a - b);
  const items = [];
  let next = 0;
  for (const index of sorted) {
    if (index > next) items.push({ kind: "gap", from: next, count: index - next });
    items.push({ kind: "unit", index });
    next = index + 1;
  }
  if (next < n) items.push({ kind: "gap", from: next, count: n - next });
  return items;
}

/**
 * Positions of every drawn item and the list of drawn edges.
 *
 * @param {number[]} sizes [n(0), …, n(L)]
 * @param {object} options DEFAULTS overrides, plus `pinned`: {layer: [unit indices]}
 * @returns {{width: number, height: number, collapsed: boolean,
 *   columns: Array<{layer: number, n: number, x: number,
 *                   items: Array<{kind: string, index?: number, from?: number,
 *                                 count?: number, y: number}>}>,
 *   edges: Array<{layer: number, i: number, j: number}>,
 *   position: (layer: number, index: number) => ({x: number, y: number} | null)}}
 *   Edge (ℓ, i, j) joins unit j of layer ℓ−1 to unit i of layer ℓ, the entry W(ℓ)[i, j].
 */
export function layoutNetwork(sizes, options = {}) {
  const o = { ...DEFAULTS, ...options };
  const pinned = options.pinned || {};
  const columns = sizes.map((n, layer) => ({
    layer,
    n,
    x: o.left + layer * o.colWidth,
    items: visibleItems(n, { maxNodes: o.maxNodes, keep: o.keep, pinned: pinned[layer] || [] }),
  }));
  const rows = Math.max(1, ...columns.map((c) => c.items.length));
  const positions = columns.map(() => new Map());
  for (const c of columns) {
    const offset = ((rows - c.items.length) * o.rowHeight) / 2;
    c.items.forEach((item, k) => {
      item.y = o.top + offset + k * o.rowHeight;
      if (item.kind === "unit") positions[c.layer].set(item.index, { x: c.x, y: item.y });
    });
  }
  const edges = [];
  for (let layer = 1; layer < columns.length; layer++) {
    const outs = columns[layer].items.filter((it) => it.kind === "unit");
    const ins = columns[layer - 1].items.filter((it) => it.kind === "unit");
    for (const a of outs) for (const b of ins) edges.push({ layer, i: a.index, j: b.index });
  }
  return {
    width: 2 * o.left + (sizes.length - 1) * o.colWidth,
    height: o.top + (rows - 1) * o.rowHeight + o.bottom,
    collapsed: columns.some((c) => c.items.some((it) => it.kind === "gap")),
    columns,
    edges,
    position: (layer, index) => (positions[layer] && positions[layer].get(index)) || null,
  };
}
