import { test } from "node:test";
import assert from "node:assert/strict";
import {
  DIVERGING_STOPS, MISSING_COLOR, colorbarGradient, divergingColor, divergingRgb, maxAbs,
  scalePosition, signClass,
} from "../lib/colors.js";

const hex = (h) => { const v = parseInt(h.slice(1), 16); return [(v >> 16) & 255, (v >> 8) & 255, v & 255]; };
const mid = DIVERGING_STOPS[(DIVERGING_STOPS.length - 1) / 2];

test("zero maps to the neutral centre stop, whatever the scale", () => {
  for (const m of [1e-9, 1, 250]) assert.deepEqual(divergingRgb(0, m), hex(mid));
});

test("the ends of the scale are the end stops, and values beyond are clamped", () => {
  assert.deepEqual(divergingRgb(3, 3), hex(DIVERGING_STOPS.at(-1)));
  assert.deepEqual(divergingRgb(-3, 3), hex(DIVERGING_STOPS[0]));
  assert.deepEqual(divergingRgb(30, 3), divergingRgb(3, 3));
  assert.deepEqual(divergingRgb(-1e9, 3), divergingRgb(-3, 3));
});

test("negative is blue-ish and positive red-ish, at every magnitude", () => {
  for (const t of [0.15, 0.4, 0.7, 1]) {
    const [rp, , bp] = divergingRgb(t, 1);
    const [rn, , bn] = divergingRgb(-t, 1);
    assert.ok(rp > bp, `+${t}: red ${rp} should exceed blue ${bp}`);
    assert.ok(bn > rn, `-${t}: blue ${bn} should exceed red ${rn}`);
  }
});

test("colour depends on value / maxAbs only", () => {
  assert.deepEqual(divergingRgb(0.5, 1), divergingRgb(50, 100));
  assert.equal(scalePosition(-2, 4), -0.5);
});

test("an all-zero scale (maxAbs 0) puts everything at the centre; NaN is grey", () => {
  assert.equal(scalePosition(5, 0), 0);
  assert.deepEqual(divergingRgb(5, 0), hex(mid));
  assert.deepEqual(divergingRgb(NaN, 1), hex(MISSING_COLOR));
});

test("the scale moves away from the centre monotonically in lightness on each side", () => {
  const lum = ([r, g, b]) => 0.2126 * r + 0.7152 * g + 0.0722 * b;
  let prev = lum(divergingRgb(0, 1));
  for (let k = 1; k <= 20; k++) {
    const cur = lum(divergingRgb(k / 20, 1));
    assert.ok(cur <= prev + 1e-9, `lightness rises at +${k / 20}`);
    prev = cur;
  }
  prev = lum(divergingRgb(0, 1));
  for (let k = 1; k <= 20; k++) {
    const cur = lum(divergingRgb(-k / 20, 1));
    assert.ok(cur <= prev + 1e-9, `lightness rises at -${k / 20}`);
    prev = cur;
  }
});

test("divergingColor is a CSS rgb() string", () => {
  assert.match(divergingColor(0.3, 1), /^rgb\(\d{1,3}, \d{1,3}, \d{1,3}\)$/);
});

test("the colour bar gradient lists every stop from 0% to 100% in order", () => {
  const g = colorbarGradient("to top");
  assert.ok(g.startsWith("linear-gradient(to top, "));
  const found = [...g.matchAll(/(#[0-9a-f]{6}) ([\d.]+)%/g)];
  assert.deepEqual(found.map((m) => m[1]), DIVERGING_STOPS);
  assert.equal(Number(found[0][2]), 0);
  assert.equal(Number(found.at(-1)[2]), 100);
});

test("sign classes and maxAbs", () => {
  assert.equal(signClass(0.1), "bw-pos");
  assert.equal(signClass(-1e-300), "bw-neg");
  assert.equal(signClass(0), "bw-zero");
  assert.equal(maxAbs(new Float64Array([1, -3, 2])), 3);
  assert.equal(maxAbs([]), 0);
});
