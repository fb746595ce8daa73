"""js/explorer.js alone in a plain page: no Jupyter, no JupyterLab CSS variables.

The built bundle (backprop_widgets/static/explorer.js and styles.css) is served to Chromium
with a small stand-in for the widget model (get / set / on / off / save_changes), so the tests
can do what a kernel never does: send an older version after a newer one, or a hostile name.
"""

from __future__ import annotations

from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

STATIC = Path(__file__).resolve().parents[2] / "backprop_widgets" / "static"
BASE = "http://bw.test/"

PAGE = """<!doctype html>
<html><head><meta charset="utf-8"><link rel="stylesheet" href="styles.css"></head>
<body style="margin: 8px; width: 900px">
<div id="stepper"></div><div id="heatmaps"></div>
<script type="module">
import widget from "./explorer.js";

function pack(rows, cols, values, dtype = "float64") {
  const Ctor = dtype === "uint8" ? Uint8Array : Float64Array;
  const a = Ctor.from(values);
  return { shape: [rows, cols], dtype, data: new DataView(a.buffer) };
}

class FakeModel {
  constructor(state) { this.state = { ...state }; this.handlers = {}; this.saved = []; }
  get(k) { return this.state[k]; }
  set(k, v) { this.state[k] = v; this.emit(`change:${k}`); }
  save_changes() { this.saved.push({ ...this.state }); }
  on(name, f) { (this.handlers[name] ||= []).push(f); }
  off(name, f) { this.handlers[name] = (this.handlers[name] || []).filter((g) => g !== f); }
  emit(name) { for (const f of this.handlers[name] || []) f(); }
  update(changes) {  // like one comm message: set every key, then fire the events
    Object.assign(this.state, changes);
    for (const k of Object.keys(changes)) this.emit(`change:${k}`);
  }
}

function layer(version, rows = 3, cols = 2) {
  const n = rows * cols;
  const analytic = Array.from({ length: n }, (_, k) => (k - n / 2) * version);
  const numeric = analytic.map((v) => v + 1e-12);
  return {
    layer: 1, shape: [rows, cols], stale: false,
    analytic: pack(rows, cols, analytic), numeric: pack(rows, cols, numeric),
    difference: pack(rows, cols, analytic.map((v, k) => v - numeric[k])),
    relative: pack(rows, cols, analytic.map(() => 1e-12)),
    kink: pack(rows, cols, analytic.map((_, k) => (k === 0 ? 1 : 0)), "uint8"),
    scale: Math.max(...analytic.map(Math.abs)), difference_scale: 1e-12, relative_scale: 1e-12,
    ok: true, max_rel_error: 1e-12, max_abs_error: 1e-12, kinks: 1,
  };
}

window.bw = { widget, FakeModel, layer };
window.heat = new FakeModel({
  part: "heatmaps", version: 1, heatmaps: [layer(1)], kind: "difference", selected: [],
  entry: {}, stale: false, progress: 1, message: "", steps: [], step: 0,
});
window.stepper = new FakeModel({
  part: "stepper", version: 1, steps: [
    { key: "a", title: "first", check: { ok: true, text: "fine" } },
    { key: "b", title: "second <b>bold?</b>", check: { ok: false, text: "not fine" } },
  ], step: 0, stale: false,
});
widget.render({ model: window.heat, el: document.getElementById("heatmaps") });
widget.render({ model: window.stepper, el: document.getElementById("stepper") });
window.ready = true;
</script></body></html>
"""


@pytest.fixture
def plain(page):
    def serve(route):
        name = route.request.url.removeprefix(BASE)
        if name in ("", "index.html"):
            route.fulfill(body=PAGE, content_type="text/html")
        elif name in ("explorer.js", "styles.css"):
            kind = "text/javascript" if name.endswith(".js") else "text/css"
            route.fulfill(body=(STATIC / name).read_text(), content_type=kind)
        else:
            route.fulfill(status=404, body="")

    page.route(f"{BASE}**", serve)
    page.goto(f"{BASE}index.html")
    page.wait_for_function("() => window.ready === true")
    return page


def root(page):
    return page.locator('[data-testid="bw-explorer"]')


def test_an_older_version_is_never_painted_over_a_newer_one(plain):
    plain.evaluate("() => heat.update({ version: 5, heatmaps: [bw.layer(5)] })")
    assert root(plain).get_attribute("data-version") == "5"
    drawn = root(plain).get_attribute("data-rendered")
    plain.evaluate("() => heat.update({ version: 3, heatmaps: [bw.layer(3, 4, 4)] })")
    plain.wait_for_timeout(100)
    assert root(plain).get_attribute("data-version") == "5"
    assert root(plain).get_attribute("data-rendered") == drawn
    canvas = plain.locator('[data-testid="bw-heatmap"][data-kind="numeric"]')
    assert canvas.get_attribute("data-rows") == "3"
    plain.evaluate("() => heat.update({ version: 6, heatmaps: [bw.layer(6, 4, 4)] })")
    plain.wait_for_function(
        "() => document.querySelector('[data-testid=\"bw-explorer\"]').dataset.version === '6'"
    )
    assert canvas.get_attribute("data-rows") == "4"


def test_a_click_selects_the_entry_and_texts_stay_text(plain):
    canvas = plain.locator('[data-testid="bw-heatmap"][data-kind="analytic"]')
    cell = float(canvas.get_attribute("data-cell"))
    canvas.click(position={"x": 1.5 * cell, "y": 2.5 * cell})
    assert plain.evaluate("() => heat.get('selected')") == [1, 2, 1]
    assert plain.evaluate("() => heat.saved.length") == 1
    plain.evaluate("() => heat.update({ message: '<img src=x onerror=\"window.pwned = 1\">' })")
    message = plain.locator('[data-testid="bw-explorer-error"]')
    assert message.inner_text() == '<img src=x onerror="window.pwned = 1">'
    assert plain.locator('img[src="x"]').count() == 0
    plain.locator('[data-testid="bw-step-next"]').click()
    assert plain.locator('[data-testid="bw-step-title"]').inner_text() == "second <b>bold?</b>"
    check = plain.locator('[data-testid="bw-step-check"]')
    assert check.get_attribute("data-ok") == "false"
    assert plain.evaluate("() => window.pwned") is None


@pytest.mark.parametrize("color_scheme", ["light", "dark"])
def test_readable_without_jupyterlab_variables(plain, color_scheme):
    """Text and background contrast from the fallbacks alone (as in Colab or VS Code)."""
    style = (
        "(sel) => { const s = getComputedStyle(document.querySelector(sel));"
        " return [s.color, s.backgroundColor]; }"
    )

    def luminance(css: str) -> float:
        r, g, b = (int(v) for v in css[css.index("(") + 1 : css.index(")")].split(",")[:3])
        return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255

    for part in (".bw-stepper", ".bw-explorer"):
        fg, bg = plain.evaluate(style, part)
        dark_text = luminance(fg) < 0.5
        assert dark_text == (color_scheme == "light"), (part, fg, bg)
        assert abs(luminance(fg) - luminance(bg)) > 0.6, (part, fg, bg)
    plain.screenshot(
        path=str(Path(__file__).parent / "artifacts" / f"explorer-plain-{color_scheme}.png")
    )


def test_arrow_keys_move_the_selection_and_keep_the_focus(plain):
    canvas = plain.locator('[data-testid="bw-heatmap"][data-kind="analytic"]')
    canvas.focus()
    plain.keyboard.press("ArrowDown")  # nothing selected yet: the first entry
    assert plain.evaluate("() => heat.get('selected')") == [1, 0, 0]
    for key in ("ArrowDown", "ArrowDown", "ArrowDown", "ArrowRight"):  # clamped at row 2
        plain.keyboard.press(key)
    assert plain.evaluate("() => heat.get('selected')") == [1, 2, 1]
    assert plain.evaluate("() => document.activeElement.dataset.kind") == "analytic"
    assert root(plain).get_attribute("data-selected") == "1,2,1"
