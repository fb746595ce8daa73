import { test } from "node:test";
import assert from "node:assert/strict";
import { formatNumber } from "../lib/format.js";

const M = "\u2212";

test("ordinary numbers keep three significant digits without trailing zeros", () => {
  assert.equal(formatNumber(0.123456), "0.123");
  assert.equal(formatNumber(2), "2");
  assert.equal(formatNumber(2.5), "2.5");
  assert.equal(formatNumber(12345), "12345");
  assert.equal(formatNumber(99.96), "100");
});

test("negative numbers use a true minus sign", () => {
  assert.equal(formatNumber(-0.5), `${M}0.5`);
  assert.equal(formatNumber(-2e-6), `${M}2e${M}6`);
});

test("very small and very large magnitudes use exponent notation", () => {
  assert.equal(formatNumber(1.5e-7), `1.5e${M}7`);
  assert.equal(formatNumber(123456), "1.23e5");
  assert.equal(formatNumber(0.000999), `9.99e${M}4`);
});

test("the number of significant digits can be chosen", () => {
  assert.equal(formatNumber(Math.PI, 5), "3.1416");
  assert.equal(formatNumber(Math.PI, 1), "3");
});

test("zero, NaN and infinities", () => {
  assert.equal(formatNumber(0), "0");
  assert.equal(formatNumber(-0), "0");
  assert.equal(formatNumber(NaN), "NaN");
  assert.equal(formatNumber(Infinity), "∞");
  assert.equal(formatNumber(-Infinity), `${M}∞`);
});
