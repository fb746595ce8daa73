// Number formatting for labels and tooltips, and the split of a step's numbers (LaTeX) into
// items. Pure functions, testable with node --test.

const MINUS = "\u2212"; // a typographic minus sign, as in the text

/**
 * A short, readable form of a number: `digits` significant digits, trailing zeros dropped,
 * exponent notation for very small or very large magnitudes, a true minus sign.
 *
 *   formatNumber(0.123456) === "0.123"     formatNumber(-2) === "−2"
 *   formatNumber(1.5e-7) === "1.5e−7"      formatNumber(NaN) === "NaN"
 */
export function formatNumber(x, digits = 3) {
  if (Number.isNaN(x)) return "NaN";
  if (x === Infinity) return "∞";
  if (x === -Infinity) return `${MINUS}∞`;
  if (x === 0) return "0";
  const a = Math.abs(x);
  let body;
  if (a >= 1e-3 && a < 1e5) {
    body = trimZeros(a.toPrecision(digits));
    if (body.includes("e")) body = trimZeros(a.toFixed(0));
  } else {
    const [mantissa, exponent] = a.toExponential(digits - 1).split("e");
    const e = Number(exponent);
    body = `${trimZeros(mantissa)}e${e < 0 ? MINUS : ""}${Math.abs(e)}`;
  }
  if (body === "0") return "0"; // never "−0": a tiny negative number rounds to plain 0
  return x < 0 ? `${MINUS}${body}` : body;
}

function trimZeros(s) {
  return s.includes(".") ? s.replace(/0+$/, "").replace(/\.$/, "") : s;
}

/**
 * A number written exactly: the shortest text that reads back to the same float64 (what
 * Python's repr prints, up to the exponent's style), "NaN", "inf" or "-inf". Zero is "0"
 * whatever its sign: a "−0" on screen would only puzzle.
 */
export function exact(v) {
  if (v === null || v === undefined) return "—";
  if (Number.isNaN(v)) return "NaN";
  if (v === Infinity) return "inf";
  if (v === -Infinity) return "-inf";
  if (v === 0) return "0";
  return String(v);
}

/** `exact(v)` for reading: the same digits with a true minus sign (its data-value and the text
 * copied into Python stay `exact`'s). */
export function exactText(v) {
  return exact(v).replace(/-/g, MINUS);
}

/**
 * The numbers of a step as display-size LaTeX items that may wrap between them: each item
 * ("z^{(1)} = (…)") is typeset on its own, with its comma, and never split after its "=";
 * the line may break after each ",\ " or ",\quad" of the LaTeX. An item wider than the panel
 * still scrolls inside the panel (styles.css). Returns [{latex, wide}] (`wide`: a \quad follows);
 * a text that does not split into balanced items stays one item.
 *
 * One item each also means that after a control change only the items whose numbers changed
 * are typeset again.
 */
export function numberItems(latex) {
  const parts = String(latex).split(/(,\\(?: |quad))/);
  const balanced = (t) => {
    let depth = 0;
    for (const c of t.replace(/\\[{}]/g, "")) {
      depth += c === "{" ? 1 : c === "}" ? -1 : 0;
      if (depth < 0) return false;
    }
    return depth === 0 && (t.match(/\\left\b/g) || []).length === (t.match(/\\right\b/g) || []).length;
  };
  const items = parts.filter((_, k) => k % 2 === 0);
  if (items.length < 2 || !items.every(balanced)) return [{ latex: `\\displaystyle ${latex}`, wide: false }];
  return items.map((t, k) => ({
    latex: `\\displaystyle {${t}}${k < items.length - 1 ? "," : ""}`,
    wide: k < items.length - 1 && parts[2 * k + 1].endsWith("quad"),
  }));
}
