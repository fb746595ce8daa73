// Geometry for the trainer's plots: axis ranges, ticks and the mapping from data to pixels.
// Pure functions (no DOM), testable with node --test.

/** [lo, hi] of the finite values of several arrays (positive values only when `positive`). */
export function finiteRange(arrays, { positive = false } = {}) {
  let lo = Infinity;
  let hi = -Infinity;
  for (const a of arrays) {
    for (let k = 0; k < a.length; k++) {
      const v = a[k];
      if (!Number.isFinite(v) || (positive && !(v > 0))) continue;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  }
  if (lo > hi) return positive ? [1e-3, 1] : [0, 1];
  if (lo === hi) return positive ? [lo / 2, hi * 2] : [lo - 0.5, hi + 0.5];
  return [lo, hi];
}

/** A linear (or base-10 log) map from [lo, hi] onto pixels [p0, p1]. */
export function scale(lo, hi, p0, p1, log = false) {
  if (log) {
    const a = Math.log10(lo);
    const b = Math.log10(hi);
    const span = b - a || 1;
    return (v) => p0 + ((Math.log10(Math.max(v, lo * 1e-3)) - a) / span) * (p1 - p0);
  }
  const span = hi - lo || 1;
  return (v) => p0 + ((v - lo) / span) * (p1 - p0);
}

/** Round tick values covering [lo, hi]: about `count` of them (powers of ten on a log axis). */
export function ticks(lo, hi, count = 5, log = false) {
  if (!(hi > lo)) return [lo];
  if (log) {
    // powers of ten; within a decade or two, their 2× and 5× as well
    const decades = Math.floor(Math.log10(hi)) - Math.ceil(Math.log10(lo)) + 1;
    const marks = decades < 3 ? [1, 2, 5] : [1];
    const out = [];
    for (let e = Math.floor(Math.log10(lo)); e <= Math.ceil(Math.log10(hi)); e++) {
      for (const m of marks) {
        const v = Number((m * 10 ** e).toPrecision(12));
        if (v >= lo && v <= hi) out.push(v);
      }
    }
    return out.length ? out : [lo, hi];
  }
  const raw = (hi - lo) / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw) || raw;
  const out = [];
  for (let k = Math.ceil(lo / step - 1e-9); k * step <= hi + step * 1e-9; k++) {
    out.push(Number((k * step).toPrecision(12))); // 0.6, not 0.6000000000000001
  }
  return out;
}

/** The index of the point nearest to (px, py) within `radius` pixels, or -1. */
export function nearest(xs, ys, px, py, radius) {
  let best = -1;
  let bestD = radius * radius;
  for (let k = 0; k < xs.length; k++) {
    const d = (xs[k] - px) ** 2 + (ys[k] - py) ** 2;
    if (d <= bestD) {
      bestD = d;
      best = k;
    }
  }
  return best;
}

/** Categorical colours for classes (Okabe–Ito, safe for colour-blind readers). */
export const CLASS_COLORS = [
  [0, 114, 178], [213, 94, 0], [0, 158, 115], [204, 121, 167], [230, 159, 0],
  [86, 180, 233], [240, 228, 66], [0, 0, 0], [128, 128, 128], [153, 85, 0],
];
