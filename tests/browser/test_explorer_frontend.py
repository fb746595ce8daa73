"""js/explorer.js alone in a plain page: no Jupyter, no JupyterLab CSS variables, no kernel.

The built bundle (backprop_widgets/static/explorer.js and styles.css) is served to Chromium
with a small stand-in for the widget model (get / set / on / off / send). Its state is the
real state of a ``BackpropExplorer`` made here in Python (binary buffers included), so the page
draws exactly what a kernel would send; what the page *asks* is read from the stand-in's sent
messages. One page renders the explorer inside a shadow root, as marimo does.
"""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

STATIC = Path(__file__).resolve().parents[2] / "backprop_widgets" / "static"
BASE = "http://bw.test/"

PAGE = """<!doctype html>
<html><head><meta charset="utf-8"><link rel="stylesheet" href="styles.css"></head>
<body style="margin: 8px; width: 900px">
<div id="host"></div>
<script type="module">
import widget from "./explorer.js";
const STATE = %(state)s;

function rebuild(state) {
  // put each binary buffer back at its path, as the widget manager does (a DataView)
  const s = structuredClone(state.state);
  state.paths.forEach((path, k) => {
    const bytes = Uint8Array.from(atob(state.buffers[k]), (c) => c.charCodeAt(0));
    let o = s;
    for (const p of path.slice(0, -1)) o = o[p];
    o[path[path.length - 1]] = new DataView(bytes.buffer);
  });
  return s;
}

class FakeModel {
  constructor(state) { this.state = state; this.handlers = {}; this.sent = []; }
  get(k) { return this.state[k]; }
  set(k, v) { this.state[k] = v; }
  save_changes() {}
  send(content) { this.sent.push(content); }
  on(name, f) { (this.handlers[name] ||= []).push(f); }
  off(name, f) { this.handlers[name] = (this.handlers[name] || []).filter((g) => g !== f); }
  update(changes) {  // like one comm message: set every key, then fire the events
    Object.assign(this.state, changes);
    for (const k of Object.keys(changes)) for (const f of this.handlers[`change:${k}`] || []) f();
  }
}

window.model = new FakeModel(rebuild(STATE));
let el = document.getElementById("host");
if (%(shadow)s) {
  const shadow = el.attachShadow({ mode: "open" });
  const link = document.createElement("link");
  link.rel = "stylesheet"; link.href = "styles.css";
  shadow.append(link);
  el = document.createElement("div");
  shadow.append(el);
  window.shadow = shadow;
}
widget.render({ model: window.model, el });
window.ready = true;
</script></body></html>
"""


def _state(**kwargs) -> str:
    from ipywidgets.widgets.widget import _remove_buffers

    from backprop_widgets import BackpropExplorer

    ex = BackpropExplorer(**kwargs)
    state, paths, buffers = _remove_buffers(ex.get_state())
    ex.close()
    return json.dumps(
        {
            "state": state,
            "paths": paths,
            "buffers": [base64.b64encode(bytes(b)).decode() for b in buffers],
        }
    )


def _open(page, state: str, shadow: bool = False):
    html = PAGE % {"state": state, "shadow": "true" if shadow else "false"}

    def serve(route):
        name = route.request.url.removeprefix(BASE)
        if name in ("", "index.html"):
            route.fulfill(body=html, content_type="text/html")
        elif name in ("explorer.js", "styles.css"):
            kind = "text/javascript" if name.endswith(".js") else "text/css"
            route.fulfill(body=(STATIC / name).read_text(), content_type=kind)
        else:  # nothing else may be fetched: KaTeX and its fonts are in the bundle
            route.fulfill(status=404, body="")
            page.evaluate("(u) => (window.fetched ||= []).push(u)", route.request.url)

    page.route("**/*", serve)
    page.goto(f"{BASE}index.html")
    page.wait_for_function("() => window.ready === true")
    return page


@pytest.fixture
def plain(page):
    return _open(page, _state(sizes=[2, 3, 2], seed=0, layer=1))


def root(page):
    return page.locator('[data-testid="bw-explorer"]')


def sent(page) -> list:
    return page.evaluate("() => model.sent")


def test_it_draws_what_python_sent_and_nothing_is_fetched(plain):
    app = plain.locator('[data-testid="bw-explorer-app"]')
    assert app.get_attribute("data-drawn") == "true"
    assert app.get_attribute("data-version") == "1"
    canvas = plain.locator('[data-testid="bw-heatmap"][data-kind="numeric"]')
    assert (canvas.get_attribute("data-rows"), canvas.get_attribute("data-cols")) == ("3", "2")
    assert plain.locator('[data-testid="bw-node"]').count() == 2 + 3 + 2
    assert plain.locator('[data-testid="bw-step-formula"] .katex').count() >= 1
    plain.evaluate("() => document.fonts.ready")
    assert plain.evaluate("() => document.fonts.check('16px KaTeX_Main')")
    assert plain.evaluate("() => window.fetched || []") == []
    # a newer version repaints; the root says which one it painted
    plain.evaluate("() => model.update({ version: 7 })")
    plain.wait_for_function(
        "() => document.querySelector('[data-testid=\"bw-explorer-app\"]').dataset.version === '7'"
    )


def test_controls_only_ask_and_show_a_refusal_beside_the_control(plain):
    box = plain.locator('[data-testid="bw-control"][data-name="n"][data-layer="1"]')
    assert box.input_value() == "3"
    box.fill("65")
    box.press("Enter")
    assert sent(plain) == [{"type": "bw-request", "name": "n", "layer": 1, "value": "65"}]
    assert box.input_value() == "65"  # nothing clamped, nothing reset by the page itself
    plain.evaluate(
        "() => model.update({ refusal: { id: 1, name: 'n', layer: 1, value: '65',"
        " text: 'n(1): the explorer shows widths 1 to 64, got 65 <b>x</b>' } })"
    )
    msg = plain.locator('[data-testid="bw-message"][data-name="n"][data-layer="1"]')
    msg.wait_for()
    assert msg.inner_text() == "n(1): the explorer shows widths 1 to 64, got 65 <b>x</b>"
    assert plain.locator("b").count() == 0  # text, never HTML
    assert box.input_value() == "65"
    others = plain.locator('[data-testid="bw-message"]:not([hidden])')
    assert others.count() == 1
    plain.locator('[data-testid="bw-control"][data-name="new-W"]').click()
    plain.locator(
        '[data-testid="bw-control"][data-name="activation"][data-layer="2"]'
    ).select_option("sin")
    plain.locator('[data-testid="bw-control"][data-name="all-layers"]').check()
    assert sent(plain)[1:] == [
        {"type": "bw-request", "name": "new-W", "layer": None, "value": None},
        {"type": "bw-request", "name": "activation", "layer": 2, "value": "sin"},
        {"type": "bw-request", "name": "all-layers", "layer": None, "value": True},
    ]


def test_next_repaints_title_check_and_formula_at_once(plain):
    title = plain.locator('[data-testid="bw-step-title"]')
    formula = plain.locator('[data-testid="bw-step-formula"]')
    first = (title.inner_text(), formula.inner_text())
    plain.locator('[data-testid="bw-step-next"]').click()
    # painted from the payload already in the page: no kernel answered
    assert plain.locator('[data-testid="bw-step-indicator"]').inner_text().startswith("step 2 of")
    assert title.inner_text().startswith("(C1)")
    assert (title.inner_text(), formula.inner_text()) != first
    assert formula.locator(".katex").count() >= 1
    assert sent(plain) == [{"type": "bw-request", "name": "step", "layer": None, "value": 1}]


def test_previous_and_next_wait_for_the_steps_still_to_come(plain):
    """Just after a change only the step on screen has come (None for the others): once it is
    drawn the view asks for the others, once; Previous / Next and the arrow keys wait."""
    steps = plain.evaluate("() => model.get('step_data')")
    assert len(steps) >= 3 and all(steps)
    partial = [None] + [steps[1]] + [None] * (len(steps) - 2)
    plain.evaluate("(s) => model.update({ step_data: s, step: 1, version: 2 })", partial)
    stepper = plain.locator('[data-testid="bw-stepper"]')
    plain.wait_for_function(
        "() => document.querySelector('[data-testid=\"bw-stepper\"]').dataset.version === '2'"
    )
    assert stepper.get_attribute("data-pending") == "true"
    assert plain.locator('[data-testid="bw-step-title"]').inner_text() == steps[1]["title"]
    assert plain.locator('[data-testid="bw-step-next"]').is_disabled()
    assert plain.locator('[data-testid="bw-step-prev"]').is_disabled()
    stepper.focus()
    plain.keyboard.press("ArrowRight")
    plain.keyboard.press("ArrowLeft")
    # no step asked for, nothing drawn from a step that has not come; the rest asked for once
    plain.wait_for_function("() => model.sent.length > 0")
    plain.wait_for_timeout(300)  # (the view's fallback ask, for a page without frames)
    assert sent(plain) == [{"type": "bw-steps"}]
    assert stepper.get_attribute("data-step") == "1"
    plain.evaluate("(s) => model.update({ step_data: s })", steps)
    assert stepper.get_attribute("data-pending") == "false"
    plain.locator('[data-testid="bw-step-next"]').click()
    assert plain.locator('[data-testid="bw-step-title"]').inner_text() == steps[2]["title"]
    assert sent(plain)[1:] == [{"type": "bw-request", "name": "step", "layer": None, "value": 2}]


def test_a_click_asks_for_the_entry_and_arrow_keys_move_it(plain):
    canvas = plain.locator('[data-testid="bw-heatmap"][data-kind="analytic"]')
    cell = float(canvas.get_attribute("data-cell"))
    canvas.click(position={"x": 1.5 * cell, "y": 2.5 * cell})
    assert sent(plain)[-1] == {
        "type": "bw-request",
        "name": "select",
        "layer": None,
        "value": [1, 2, 1],
    }
    plain.evaluate("() => model.update({ selected: [1, 2, 1] })")
    assert root(plain).get_attribute("data-selected") == "1,2,1"
    canvas = plain.locator('[data-testid="bw-heatmap"][data-kind="analytic"]')
    canvas.focus()
    plain.keyboard.press("ArrowUp")
    assert sent(plain)[-1]["value"] == [1, 1, 1]
    assert plain.evaluate("() => document.activeElement.dataset.kind") == "analytic"


@pytest.mark.parametrize("color_scheme", ["light", "dark"])
def test_readable_without_jupyterlab_variables(plain, color_scheme):
    """Text and background contrast from the fallbacks alone (as in marimo, Colab, VS Code)."""
    style = (
        "(sel) => { const s = getComputedStyle(document.querySelector(sel));"
        " return [s.color, s.backgroundColor]; }"
    )

    def luminance(css: str) -> float:
        r, g, b = (int(v) for v in css[css.index("(") + 1 : css.index(")")].split(",")[:3])
        return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255

    for part in (".bw-app", ".bw-stepper", ".bw-explorer"):
        fg, bg = plain.evaluate(style, part)
        dark_text = luminance(fg) < 0.5
        assert dark_text == (color_scheme == "light"), (part, fg, bg)
        assert abs(luminance(fg) - luminance(bg)) > 0.6, (part, fg, bg)
    plain.screenshot(
        path=str(Path(__file__).parent / "artifacts" / f"explorer-plain-{color_scheme}.png"),
        full_page=True,
    )


def test_in_a_shadow_root_the_fonts_go_to_the_document_head(page):
    """marimo draws widgets in a shadow root, where @font-face rules are ignored."""
    _open(page, _state(sizes=[2, 2], seed=1), shadow=True)
    assert page.evaluate("() => !!document.head.querySelector('#bw-katex-fonts')")
    assert page.evaluate("() => shadow.querySelectorAll('.katex').length") >= 1
    page.evaluate("() => document.fonts.ready")
    assert page.evaluate("() => document.fonts.check('16px KaTeX_Main')")
    assert page.evaluate("() => window.fetched || []") == []


def test_a_900px_column_stacks_and_a_wide_one_puts_diagram_and_steps_side_by_side(plain):
    boxes = (
        "() => { const d = document.querySelector('.bw-diagram-box').getBoundingClientRect();"
        " const s = document.querySelector('.bw-stepper').getBoundingClientRect();"
        " const app = document.querySelector('.bw-app');"
        " return [d.top, d.right, s.top, s.left, app.scrollWidth - app.clientWidth]; }"
    )
    d_top, d_right, s_top, s_left, overflow = plain.evaluate(boxes)
    assert s_top > d_top and overflow <= 0  # 900 px: one column, nothing sticks out
    plain.evaluate("() => { document.body.style.width = '1300px'; }")
    plain.wait_for_timeout(100)
    d_top, d_right, s_top, s_left, overflow = plain.evaluate(boxes)
    assert s_top == d_top and s_left >= d_right and overflow <= 0
    plain.screenshot(path=str(Path(__file__).parent / "artifacts" / "explorer-plain-wide.png"))


def test_the_digits_network_stays_legible(page):
    """[64, 32, 10], the 8×8-digits network: thinned labels, clickable cells, nothing overflows."""
    _open(page, _state(sizes=[64, 32, 10], seed=0, layer=1))
    canvas = page.locator('[data-testid="bw-heatmap"][data-kind="analytic"]')
    assert (canvas.get_attribute("data-rows"), canvas.get_attribute("data-cols")) == ("32", "64")
    assert float(canvas.get_attribute("data-cell")) >= 5
    # axis labels from 1, thinned but keeping both ends, never overlapping
    labels = page.locator('.bw-hm-panel[data-kind="analytic"] .bw-hm-axis-j span')
    texts = labels.all_text_contents()
    assert texts[0] == "1" and texts[-1] == "64" and len(texts) < 64
    lefts = [b["x"] for b in (labels.nth(k).bounding_box() for k in range(labels.count()))]
    widths = [labels.nth(k).bounding_box()["width"] for k in range(labels.count())]
    assert all(lefts[k] + widths[k] < lefts[k + 1] for k in range(len(lefts) - 1))
    # the diagram's unit labels count from 1 too, with the collapsed units counted
    units = page.locator('[data-testid="bw-node"][data-layer="0"] text.bw-unit-index')
    shown = units.all_text_contents()
    assert shown[0] == "1" and shown[-1] == "64"
    assert (
        page.evaluate(
            "() => { const a = document.querySelector('.bw-app');"
            " return a.scrollWidth - a.clientWidth; }"
        )
        <= 0
    )
    page.screenshot(
        path=str(Path(__file__).parent / "artifacts" / "explorer-plain-64-32-10.png"),
        full_page=True,
    )


def test_the_tooltip_never_covers_the_entry_a_click_opened(plain):
    canvas = plain.locator('[data-testid="bw-heatmap"][data-kind="analytic"]')
    cell = float(canvas.get_attribute("data-cell"))
    plain.evaluate(
        "() => model.update({ selected: [1, 2, 1], entry: { layer: 1, i: 2, j: 1, delta_i: 0.5,"
        " z_j: -0.25, value: -0.125, value_forward: -0.125, analytic: -0.125,"
        " numeric: -0.125, abs_error: 0, rel_error: 0, kink: false, ok: true } })"
    )
    entry = plain.locator('[data-testid="bw-entry"]')
    entry.wait_for()
    for row in range(3):  # the bottom row of the maps sits right above the entry panel
        canvas.hover(position={"x": 1.5 * cell, "y": (row + 0.5) * cell})
        tip = plain.locator('[data-testid="bw-tooltip"]')
        tip.wait_for()
        t, e = tip.bounding_box(), entry.bounding_box()
        assert t["y"] + t["height"] <= e["y"], (row, t, e)
    assert "w⁽¹⁾₃,₂" in tip.inner_text() and "Python index [2, 1]" in tip.inner_text()
    assert "row 3, column 2 of W(1)" in entry.inner_text()


@pytest.mark.parametrize("color_scheme", ["light"])
def test_in_a_shadow_root_the_explorer_follows_the_hosts_theme_class(page, color_scheme):
    """marimo marks its dark theme with a class on <body>; inside a shadow root, where no rule
    starting at `body` reaches, the explorer follows it, and back when it is switched off."""
    _open(page, _state(sizes=[2, 2], seed=1), shadow=True)
    text_color = (
        "() => { const s = getComputedStyle(shadow.querySelector('.bw-app'));"
        " const [r, g, b] = s.color.match(/\\d+/g).map(Number);"
        " return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255; }"
    )
    theme = "() => shadow.querySelector('.bw-app').dataset.bwTheme"
    assert page.evaluate(theme) == "light" and page.evaluate(text_color) < 0.5
    page.evaluate("() => document.body.classList.add('dark-theme')")
    page.wait_for_function(f"() => ({theme})() === 'dark'")
    assert page.evaluate(text_color) > 0.5
    page.evaluate("() => document.body.classList.remove('dark-theme')")
    page.wait_for_function(f"() => ({theme})() === 'light'")
    assert page.evaluate(text_color) < 0.5


def _states(requests: list[dict], **kwargs) -> tuple[str, list[str]]:
    """The state of a new explorer, and its state after each request the front end could send
    (applied in Python exactly as the kernel applies them)."""
    from ipywidgets.widgets.widget import _remove_buffers

    from backprop_widgets import BackpropExplorer

    ex = BackpropExplorer(**kwargs)

    def now() -> str:
        state, paths, buffers = _remove_buffers(ex.get_state())
        return json.dumps(
            {
                "state": state,
                "paths": paths,
                "buffers": [base64.b64encode(bytes(b)).decode() for b in buffers],
            }
        )

    first = now()
    after = []
    for r in requests:
        assert ex.handle_request(r), ex.refusal
        ex._on_message(ex, {"type": "bw-steps"}, [])  # the page, once it has drawn the change
        after.append(now())
    ex.close()
    return first, after


SPOKEN = "() => !document.querySelector('[data-testid=\"bw-step-numbers\"] [aria-busy]')"

PAINTED = """() => {
  const q = (s) => document.querySelector(s);
  const numbers = q('[data-testid="bw-step-numbers"]');
  return {
    // how each item was last typeset (by KaTeX, or by rewriting its cells) is not drawn
    numbers: numbers.innerHTML.replace(/ data-typeset="[a-z]+"/g, ""),
    typeset: Array.from(numbers.querySelectorAll("[data-typeset]"), (e) => e.dataset.typeset),
    formula: q('[data-testid="bw-step-formula"]').innerHTML,
    svg: q('[data-testid="bw-diagram"] svg').outerHTML,
    legend: q('.bw-diagram-legend').outerHTML,
    caption: q('.bw-diagram-caption').textContent,
  };
}"""


@pytest.mark.parametrize(
    "requests",
    [
        # layer 1's activation: the weights stay, every z(ℓ) and the numbers change
        [{"name": "activation", "layer": 1, "value": "sin"}],
        # new weights: every edge's colour, width and tooltip change
        [{"name": "new-W", "layer": None, "value": None}],
        # new weights, then a selected edge (the diagram pins it) and another step
        [
            {"name": "new-W", "layer": None, "value": None},
            {"name": "select", "layer": None, "value": [2, 5, 3]},
            {"name": "step", "layer": None, "value": 4},
        ],
    ],
    ids=["activation", "new-W", "new-W-select-step"],
)
def test_a_repaint_in_place_draws_what_a_fresh_view_draws(page, requests):
    """The diagram and the step's KaTeX are updated in place after a change (the same SVG and
    formula nodes stay in the page, only their values change); what they then show is exactly
    what a view drawn afresh from the new state shows."""
    first, after = _states(requests, sizes=[4, 8, 8, 3], seed=0)
    _open(page, first)
    page.evaluate(
        """() => {
      window.kept = {
        svg: document.querySelector('[data-testid="bw-diagram"] svg'),
        katex: document.querySelector('[data-testid="bw-step-numbers"] .katex'),
      };
    }"""
    )
    before = page.evaluate(PAINTED)
    for state in after:
        page.evaluate(
            """(s) => { const st = JSON.parse(s); const full = structuredClone(st.state);
              st.paths.forEach((path, k) => {
                const bytes = Uint8Array.from(atob(st.buffers[k]), (c) => c.charCodeAt(0));
                let o = full; for (const p of path.slice(0, -1)) o = o[p];
                o[path[path.length - 1]] = new DataView(bytes.buffer);
              });
              model.update(full); }""",
            state,
        )
        page.wait_for_function(
            "(v) => document.querySelector('[data-testid=\"bw-explorer-app\"]').dataset.version"
            " === String(v)",
            arg=json.loads(state)["state"]["version"],
        )
    page.wait_for_function(SPOKEN)  # the numbers' MathML twins follow at the next idle moment
    updated = page.evaluate(PAINTED)
    same_nodes = page.evaluate(
        """() => ({
      svg: window.kept.svg.isConnected,
      katex: window.kept.katex.isConnected,
    })"""
    )
    assert updated["numbers"] != before["numbers"]  # the change did reach the numbers
    # the same step's matrices with other numbers: their cells were rewritten, KaTeX not
    # called (another step's numbers are other matrices: KaTeX)
    assert ("cells" in updated.pop("typeset")) is (requests[-1]["name"] != "step")
    page.unroute("**/*")
    _open(page, after[-1])
    page.wait_for_function(SPOKEN)
    fresh = page.evaluate(PAINTED)
    assert set(fresh.pop("typeset")) == {"katex"}
    assert updated == fresh
    # the same sizes keep the diagram's structure: its SVG was updated, not rebuilt (a selected
    # edge pins its units, a new structure: rebuilt); KaTeX's markup is always merged in place
    assert same_nodes["svg"] is all(r["name"] != "select" for r in requests)
    assert same_nodes["katex"] is True


UPDATE = """(s) => { const st = JSON.parse(s); const full = structuredClone(st.state);
  st.paths.forEach((path, k) => {
    const bytes = Uint8Array.from(atob(st.buffers[k]), (c) => c.charCodeAt(0));
    let o = full; for (const p of path.slice(0, -1)) o = o[p];
    o[path[path.length - 1]] = new DataView(bytes.buffer);
  });
  model.update(full); }"""


@pytest.mark.parametrize("step", [0, 3, 6, 7])
def test_numbers_rewritten_cell_by_cell_are_what_katex_draws(page, step):
    """Changes that keep a step's matrices and change their numbers (new seeds, another σ, a
    new x: signs flip, digits come and go) are drawn by rewriting cells; after each one the
    numbers are exactly what KaTeX draws for them in a fresh view."""
    requests = [{"name": "step", "layer": None, "value": step}]
    requests += [{"name": "seed", "layer": None, "value": k} for k in (1, 2, 3)]
    requests += [
        {"name": "activation", "layer": 1, "value": "sin"},
        {"name": "new-x", "layer": None, "value": None},
        {"name": "activation", "layer": 2, "value": "relu"},
    ]
    _, after = _states(requests, sizes=[3, 4, 4, 2], seed=0)
    drawn, ways, lasts = [], [], []
    _open(page, after[0])
    for state in after[1:]:
        page.evaluate(UPDATE, state)
        page.wait_for_function(
            "(v) => document.querySelector('[data-testid=\"bw-explorer-app\"]').dataset.version"
            " === String(v)",
            arg=json.loads(state)["state"]["version"],
        )
        page.wait_for_function(SPOKEN)
        painted = page.evaluate(PAINTED)
        typeset = painted.pop("typeset")
        ways += typeset
        lasts.append(typeset[-1])
        drawn.append(painted["numbers"])
    assert ways.count("cells") >= 3, ways
    if step == 0:  # "E = 0.9909", a number after the matrices: its digits rewritten in place
        assert "cells" in lasts, lasts
    page.unroute("**/*")
    for state, numbers in zip(after[1:], drawn, strict=True):
        _open(page, state)
        page.wait_for_function(SPOKEN)
        fresh = page.evaluate(PAINTED)
        assert fresh["numbers"] == numbers
        page.unroute("**/*")


HEARD = """() => Array.from(document.querySelectorAll(
    '[data-testid="bw-step-numbers"] .bw-num-item')).map((item) => ({
  busy: item.getAttribute("aria-busy"),
  seenHidden: item.querySelector(".bw-tex-seen .katex-html").getAttribute("aria-hidden"),
  seenMathML: item.querySelector(".bw-tex-seen math") !== null,
  heard: item.querySelector(".bw-tex-heard math annotation")?.textContent ?? null,
  heardBox: (() => { const r = item.querySelector(".bw-tex-heard").getBoundingClientRect();
                     return r.width * r.height; })(),
}))"""


def _items_of(heard: list, numbers: str) -> bool:
    """Each twin's LaTeX is one item of the step's numbers, in the order shown, and together
    they are all of it (the items are split at ",\\ " and ",\\quad")."""
    parts = [h.removeprefix("\\displaystyle {").removesuffix(",").removesuffix("}") for h in heard]
    at = 0
    for part in parts:
        k = numbers.find(part, at)
        if k < 0:
            return False
        at = k + len(part)
    return at == len(numbers)


def test_the_numbers_are_seen_at_once_and_their_mathml_follows_for_screen_readers(page):
    """A step's numbers are typeset again on every change; what is seen is drawn in the
    repaint, and the MathML a screen reader reads follows in a visually hidden twin, with the
    item aria-busy until then. The twin says what the seen part shows: its LaTeX is the item's."""
    first, after = _states([{"name": "activation", "layer": 1, "value": "sin"}], sizes=[2, 3, 2])
    _open(page, first)
    page.wait_for_function(SPOKEN)
    numbers = "() => model.get('step_data')[model.get('step')].numbers"
    before = page.evaluate(HEARD)
    assert len(before) >= 3
    for item in before:
        assert item["busy"] is None
        assert item["seenHidden"] == "true" and item["seenMathML"] is False
        assert item["heard"] and item["heardBox"] <= 1  # read, not seen
    assert _items_of([h["heard"] for h in before], page.evaluate(numbers))
    # a change: the repaint itself marks the changed items busy; the twins then catch up
    state = json.loads(after[0])
    busy = page.evaluate(
        """async (st) => { const full = structuredClone(st.state);
          st.paths.forEach((path, k) => {
            const bytes = Uint8Array.from(atob(st.buffers[k]), (c) => c.charCodeAt(0));
            let o = full; for (const p of path.slice(0, -1)) o = o[p];
            o[path[path.length - 1]] = new DataView(bytes.buffer);
          });
          model.update(full);
          await null; // the repaint (a microtask), not yet the idle moment after it
          return document.querySelectorAll('[data-testid="bw-step-numbers"] [aria-busy]').length;
        }""",
        state,
    )
    assert busy >= 1
    page.wait_for_function(SPOKEN)
    later = page.evaluate(HEARD)
    assert [h["heard"] for h in later] != [h["heard"] for h in before]
    assert _items_of([h["heard"] for h in later], page.evaluate(numbers))
    # the formula above keeps KaTeX's own MathML, in the same repaint
    assert page.locator('[data-testid="bw-step-formula"] .katex-mathml math').count() == 1
