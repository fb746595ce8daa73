import { test } from "node:test";
import assert from "node:assert/strict";
import { checkEntry, entryTex, entryText, pythonIndex, thinLabels, unitText } from "../lib/indices.js";

test("checkEntry accepts exactly the entries of the network", () => {
  const sizes = [3, 4, 2];
  assert.deepEqual(checkEntry([1, 3, 2], sizes), { layer: 1, i: 3, j: 2 });
  assert.deepEqual(checkEntry([2, 1, 3], sizes), { layer: 2, i: 1, j: 3 });
  for (const bad of [[0, 0, 0], [3, 0, 0], [1, 4, 0], [1, 0, 3], [2, 2, 0], [1, -1, 0], [1, 0.5, 0], [1, 0], null, "1,0,0"]) {
    assert.equal(checkEntry(bad, sizes), null, JSON.stringify(bad));
  }
});

test("entries are written from 1 on screen, the Python index from 0", () => {
  assert.equal(entryText(1, 3, 0), "w⁽¹⁾₄,₁");
  assert.equal(entryText(12, 10, 31), "w⁽¹²⁾₁₁,₃₂");
  assert.equal(entryTex(2, 0, 4), "w^{(2)}_{1,5}");
  assert.equal(pythonIndex(3, 0), "Python index [3, 0]");
  assert.equal(unitText(0, 0), "z⁽⁰⁾₁");
});

test("thinLabels keeps every label up to the limit, then the ends and a regular step", () => {
  assert.deepEqual(thinLabels(5), [0, 1, 2, 3, 4]);
  assert.equal(thinLabels(16).length, 16);
  const t32 = thinLabels(32);
  assert.ok(t32.length <= 17, String(t32));
  assert.equal(t32[0], 0);
  assert.equal(t32[t32.length - 1], 31);
  const t64 = thinLabels(64);
  assert.ok(t64.length <= 17);
  assert.equal(t64[t64.length - 1], 63);
  const gaps = t64.slice(1).map((v, k) => v - t64[k]);
  assert.ok(gaps.every((g) => g >= 2), String(gaps));
  assert.deepEqual(thinLabels(0), []);
});
