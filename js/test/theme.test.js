import { test } from "node:test";
import assert from "node:assert/strict";
import { hostTheme, themeOf } from "../lib/theme.js";

function node(attrs = {}, classes = []) {
  return { getAttribute: (k) => (k in attrs ? attrs[k] : null), classList: classes };
}

test("JupyterLab's body attribute decides", () => {
  assert.equal(themeOf(node({ "data-jp-theme-light": "false" })), "dark");
  assert.equal(themeOf(node({ "data-jp-theme-light": "true" }, ["dark"])), "light");
});

test("marimo's and other hosts' classes and data-theme are read", () => {
  assert.equal(themeOf(node({}, ["dark-theme"])), "dark");
  assert.equal(themeOf(node({}, ["dark"])), "dark");
  assert.equal(themeOf(node({ "data-theme": "dark" })), "dark");
  assert.equal(themeOf(node({ "data-theme": "Light" })), "light");
  assert.equal(themeOf(node({}, ["vscode-light"])), "light");
  assert.equal(themeOf(node({}, ["cell", "output"])), null);
});

test("body before html, prefers-color-scheme last", () => {
  const doc = (body, html) => ({ body, documentElement: html });
  assert.equal(hostTheme(doc(node({}, ["light"]), node({}, ["dark"])), true), "light");
  assert.equal(hostTheme(doc(node(), node({ "data-theme": "dark" })), false), "dark");
  assert.equal(hostTheme(doc(node(), node()), true), "dark");
  assert.equal(hostTheme(doc(node(), node()), false), "light");
  assert.equal(hostTheme(null, false), "light");
});
