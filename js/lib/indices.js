// The one index rule on screen: entry (ℓ, i, j) of W(ℓ) — ℓ from 1, i and j from 0 in Python
// (the `selected` trait, numpy's W[i, j]) — is written w⁽ℓ⁾ with i + 1 and j + 1, as in the
// text. The 0-based pair appears only labelled "Python index [i, j]". Pure functions.

const SUP = { "0": "⁰", "1": "¹", "2": "²", "3": "³", "4": "⁴", "5": "⁵", "6": "⁶", "7": "⁷", "8": "⁸", "9": "⁹", "(": "⁽", ")": "⁾" };
const SUB = { "0": "₀", "1": "₁", "2": "₂", "3": "₃", "4": "₄", "5": "₅", "6": "₆", "7": "₇", "8": "₈", "9": "₉", ",": "," };

const sup = (s) => [...String(s)].map((c) => SUP[c] ?? c).join("");
const sub = (s) => [...String(s)].map((c) => SUB[c] ?? c).join("");

/**
 * A selection [ℓ, i, j] (Python indices) checked against sizes [n(0), …, n(L)]:
 * {layer, i, j}, or null when it is absent or does not exist in this network.
 */
export function checkEntry(sel, sizes) {
  if (!Array.isArray(sel) || sel.length !== 3 || !Array.isArray(sizes)) return null;
  const [layer, i, j] = sel;
  if (![layer, i, j].every(Number.isInteger)) return null;
  if (!(layer >= 1 && layer < sizes.length)) return null;
  if (!(i >= 0 && i < sizes[layer] && j >= 0 && j < sizes[layer - 1])) return null;
  return { layer, i, j };
}

/** "w⁽ℓ⁾ᵢ,ⱼ" with i, j counted from 1 (given the 0-based Python indices). */
export function entryText(layer, i, j, symbol = "w") {
  return `${symbol}${sup(`(${layer})`)}${sub(`${i + 1},${j + 1}`)}`;
}

/** The same entry as LaTeX, for KaTeX: w^{(ℓ)}_{i+1,j+1}. */
export function entryTex(layer, i, j, symbol = "w") {
  return `${symbol}^{(${layer})}_{${i + 1},${j + 1}}`;
}

/** "Python index [i, j]" (0-based, as numpy indexes W(ℓ)). */
export function pythonIndex(i, j) {
  return `Python index [${i}, ${j}]`;
}

/** "z⁽ℓ⁾ᵢ" for unit `index` (0-based) of layer ℓ, counted from 1 on screen. */
export function unitText(layer, index, symbol = "z") {
  return `${symbol}${sup(`(${layer})`)}${sub(index + 1)}`;
}

/**
 * Which of `n` labels (indices 0..n−1) to write so that at most about `most` are shown: all of
 * them up to `most`, otherwise the first, the last, and every k-th in between (k a "nice" step
 * of 2, 4, 5, 8, 10, 16, …, so the labels read 1, k+1, 2k+1, …).
 */
export function thinLabels(n, most = 16) {
  if (!(n >= 1)) return [];
  if (n <= most) return Array.from({ length: n }, (_, k) => k);
  let step = 2;
  const steps = [2, 4, 5, 8, 10, 16, 20, 25, 32, 50, 64, 100];
  for (const s of steps) {
    step = s;
    if (Math.ceil(n / s) + 1 <= most) break;
  }
  const out = [];
  for (let k = 0; k < n; k += step) out.push(k);
  // the last label, unless it would crowd the previous one
  if (out[out.length - 1] !== n - 1) {
    if (n - 1 - out[out.length - 1] < step / 2) out.pop();
    out.push(n - 1);
  }
  return out;
}
