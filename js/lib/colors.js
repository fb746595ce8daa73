// Colour scales shared by the widgets. Pure functions: no DOM, testable with node --test.
//
// The diverging scale is ColorBrewer's RdBu (11 classes), reversed so that negative values are
// blue, zero is a light neutral and positive values are red. RdBu is one of the diverging
// schemes ColorBrewer marks as safe for colour-blind readers (its two arms differ in lightness
// as well as hue).

/** The scale's stops from −maxAbs (first) to +maxAbs (last); the middle stop is zero. */
export const DIVERGING_STOPS = [
  "#053061", "#2166ac", "#4393c3", "#92c5de", "#d1e5f0", "#f7f7f7",
  "#fddbc7", "#f4a582", "#d6604d", "#b2182b", "#67001f",
];

/** The colour for values that are not numbers (NaN). */
export const MISSING_COLOR = "#888888";

function hexToRgb(hex) {
  const v = parseInt(hex.slice(1), 16);
  return [(v >> 16) & 255, (v >> 8) & 255, v & 255];
}

const STOPS_RGB = DIVERGING_STOPS.map(hexToRgb);

/**
 * Position of `value` on the scale: −1 at −maxAbs, 0 at zero, +1 at +maxAbs (clamped).
 * With maxAbs ≤ 0 (all values zero) every value sits at the centre.
 */
export function scalePosition(value, maxAbs) {
  if (!(maxAbs > 0) || !Number.isFinite(maxAbs)) return 0;
  const t = value / maxAbs;
  return Math.max(-1, Math.min(1, t));
}

/** [r, g, b] (0..255 integers) for `value` on the diverging scale centred on zero. */
export function divergingRgb(value, maxAbs) {
  if (Number.isNaN(value)) return hexToRgb(MISSING_COLOR);
  const t = scalePosition(value, maxAbs);
  const x = ((t + 1) / 2) * (STOPS_RGB.length - 1);
  const k = Math.min(Math.floor(x), STOPS_RGB.length - 2);
  const f = x - k;
  const a = STOPS_RGB[k];
  const b = STOPS_RGB[k + 1];
  return [0, 1, 2].map((c) => Math.round(a[c] + (b[c] - a[c]) * f));
}

/** A CSS colour `rgb(r, g, b)` for `value` on the diverging scale centred on zero. */
export function divergingColor(value, maxAbs) {
  const [r, g, b] = divergingRgb(value, maxAbs);
  return `rgb(${r}, ${g}, ${b})`;
}

/**
 * A CSS `linear-gradient(...)` of the whole scale, negative end first, for a colour bar.
 * @param {string} direction e.g. "to right" (default) or "to top".
 */
export function colorbarGradient(direction = "to right") {
  const n = DIVERGING_STOPS.length - 1;
  const stops = DIVERGING_STOPS.map((c, k) => `${c} ${((100 * k) / n).toFixed(1)}%`);
  return `linear-gradient(${direction}, ${stops.join(", ")})`;
}

/** "bw-pos", "bw-neg" or "bw-zero": the sign class an edge is coloured by (see styles.css). */
export function signClass(value) {
  if (value > 0) return "bw-pos";
  if (value < 0) return "bw-neg";
  return "bw-zero";
}

/** The largest |value| of an array-like (0 when empty; NaN entries are ignored). */
export function maxAbs(values) {
  let m = 0;
  for (let k = 0; k < values.length; k++) {
    const a = Math.abs(values[k]);
    if (a > m) m = a;
  }
  return m;
}
