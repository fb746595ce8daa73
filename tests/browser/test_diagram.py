"""NetworkDiagram in a real JupyterLab and Notebook 7: counts, clicks, selection, redraws."""

from __future__ import annotations

import itertools
import math
import re
from pathlib import Path

import pytest

from .hosts import point_on_edge  # one home: it also finds edges inside a shadow root

pytestmark = pytest.mark.browser

IMPORTS = "import numpy as np\nfrom backprop_widgets import MLP, NetworkDiagram"
EDGE = '[data-testid="bw-edge"]'
NODE = '[data-testid="bw-node"]'

# A network whose cells the interaction tests re-run one by one after Run All.
INTERACTIVE = [
    IMPORTS + "\nnet = MLP([2, 3, 1], ['tanh', 'identity'], seed=3)\nd = NetworkDiagram(net)\nd",
    "print('SELECTED', d.selected)",
    "d.selected = (1, 2, 1)",
    "d.selected = None",
    "net.set_W(1, -2 * net.W(1))",
    "print(repr(float(net.W(1)[0, 1])))",
]


def full_counts(sizes: list[int]) -> tuple[int, int]:
    """Nodes and edges of a network drawn in full: one node per unit, one edge per weight."""
    return sum(sizes), sum(math.prod(p) for p in itertools.pairwise(sizes))


def counts(root) -> tuple[int, int]:
    return root.locator(NODE).count(), root.locator(EDGE).count()


def edge(root, layer: int, i: int, j: int):
    return root.locator(f'{EDGE}[data-layer="{layer}"][data-i="{i}"][data-j="{j}"]')


def click_edge(nb, root, layer: int, i: int, j: int) -> None:
    """A real mouse click on the edge W(ℓ)[i, j]."""
    nb.page.mouse.click(*point_on_edge(root, layer, i, j))


def check_click_and_select(nb) -> None:
    """Click -> kernel sees `selected`; `selected` from a cell -> highlight; None clears it."""
    root = nb.wait_rendered("bw-diagram")
    before = root.get_attribute("data-rendered")
    click_edge(nb, root, 2, 0, 1)
    nb.wait_rendered("bw-diagram", changed_from=before)
    assert root.get_attribute("data-selected") == "2,0,1"
    assert nb.run_cell(1).strip() == "SELECTED (2, 0, 1)"

    nb.run_cell(2)  # d.selected = (1, 2, 1)
    highlighted = root.locator(f'{EDGE}[data-selected="true"]')
    highlighted.first.wait_for()
    assert highlighted.count() == 1
    assert [highlighted.get_attribute(a) for a in ("data-layer", "data-i", "data-j")] == [
        "1",
        "2",
        "1",
    ]
    assert nb.run_cell(1).strip() == "SELECTED (1, 2, 1)"

    nb.run_cell(3)  # d.selected = None
    highlighted.first.wait_for(state="detached")
    assert root.get_attribute("data-selected") == ""


def test_node_and_edge_counts_for_two_networks(jupyter_lab, open_notebook):
    nets = {(2, 3, 1): "'sigmoid'", (3, 5, 4, 2): "['tanh', 'relu', 'identity']"}
    cells = [IMPORTS] + [
        f"NetworkDiagram(MLP({list(sizes)}, {acts}, seed=0))" for sizes, acts in nets.items()
    ]
    nb = open_notebook(jupyter_lab, cells)
    nb.run_all()
    for k, sizes in enumerate(nets):
        root = nb.wait_rendered("bw-diagram", k)
        assert counts(root) == full_counts(list(sizes))
        for layer, n in enumerate(sizes):
            assert root.locator(f'{NODE}[data-layer="{layer}"]').count() == n
        assert root.locator('[data-testid="bw-more"]').count() == 0
    heads = nb.widget("bw-diagram", 1).locator("text.bw-col-sub").all_text_contents()
    assert heads == ["input x", "σ: tanh", "σ: relu", "σ: identity"]


def test_click_edge_and_select_from_python_lab(jupyter_lab, open_notebook):
    nb = open_notebook(jupyter_lab, INTERACTIVE)
    nb.run_all()
    check_click_and_select(nb)


def hover_value(nb, root, layer: int, i: int, j: int) -> float:
    """Hover the edge W(ℓ)[i, j]; the value the readout (and the tooltip) shows."""
    nb.page.mouse.move(*point_on_edge(root, layer, i, j))
    shown = root.locator(".bw-diagram-readout").inner_text()
    # on screen from 1 (w⁽ℓ⁾ᵢⱼ with i + 1, j + 1); the 0-based index only as "Python index"
    sup = str.maketrans("0123456789()", "⁰¹²³⁴⁵⁶⁷⁸⁹⁽⁾")
    sub = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")
    name = f"w{f'({layer})'.translate(sup)}{str(i + 1).translate(sub)},{str(j + 1).translate(sub)}"
    assert shown.startswith(f"{name} = "), shown
    assert f"(Python index [{i}, {j}] of W({layer}))" in shown
    assert edge(root, layer, i, j).locator("title").text_content() == shown
    return float(shown.split("= ")[1].split()[0].replace("\u2212", "-"))


def test_hover_and_weights_changed_in_python(jupyter_lab, open_notebook):
    nb = open_notebook(jupyter_lab, INTERACTIVE)
    nb.run_all()
    root = nb.wait_rendered("bw-diagram")
    # hovering shows the value the kernel holds (cell 5 prints W(1)[0, 1])
    assert hover_value(nb, root, 1, 0, 1) == pytest.approx(float(nb.output_text(5)), rel=1e-3)
    classes = [edge(root, 1, i, j).get_attribute("class") for i in range(3) for j in range(2)]
    titles = [edge(root, 1, i, j).get_attribute("data-value") for i in range(3) for j in range(2)]
    before = root.get_attribute("data-rendered")
    nb.run_cell(4)  # net.set_W(1, -2 * net.W(1)): every sign of W(1) flips
    nb.wait_rendered("bw-diagram", changed_from=before)
    flipped = {"bw-edge bw-pos": "bw-edge bw-neg", "bw-edge bw-neg": "bw-edge bw-pos"}
    after = [edge(root, 1, i, j).get_attribute("class") for i in range(3) for j in range(2)]
    assert after == [flipped[c] for c in classes]
    new_titles = [
        edge(root, 1, i, j).get_attribute("data-value") for i in range(3) for j in range(2)
    ]
    assert all(a != b for a, b in zip(titles, new_titles, strict=True))
    assert hover_value(nb, root, 1, 0, 1) == pytest.approx(float(nb.run_cell(5)), rel=1e-3)
    nb.screenshot("after-set_W")


def test_large_layers_collapse(jupyter_lab, open_notebook):
    nb = open_notebook(
        jupyter_lab,
        [
            IMPORTS,
            "d = NetworkDiagram(MLP([40, 30, 2], 'tanh', seed=0))\nd",
            "d.selected = (1, 20, 20)",
            "d.selected = None",
            "NetworkDiagram(MLP([784, 128, 10], ['relu', 'identity'], seed=0))",
        ],
    )
    nb.run_all()
    root = nb.wait_rendered("bw-diagram")
    more = root.locator('[data-testid="bw-more"]')
    assert more.count() == 2
    hidden = {int(more.nth(k).get_attribute("data-layer")): more.nth(k) for k in range(2)}
    shown = {layer: root.locator(f'{NODE}[data-layer="{layer}"]').count() for layer in range(3)}
    # every unit is drawn or counted by its layer's marker
    assert shown[0] + int(hidden[0].get_attribute("data-count")) == 40
    assert shown[1] + int(hidden[1].get_attribute("data-count")) == 30
    assert shown[2] == 2
    assert shown[0] < 40 and shown[1] < 30
    assert hidden[0].locator("text").text_content() == f"… (+{40 - shown[0]})"
    # only the edges among drawn nodes
    assert root.locator(EDGE).count() == shown[0] * shown[1] + shown[1] * shown[2]
    assert "not drawn" in root.locator(".bw-diagram-note").inner_text()

    # selecting a hidden weight from Python draws its two units and highlights the edge
    assert root.locator(f'{NODE}[data-layer="0"][data-index="20"]').count() == 0
    before = root.get_attribute("data-rendered")
    nb.run_cell(2)  # d.selected = (1, 20, 20)
    nb.wait_rendered("bw-diagram", changed_from=before)
    for layer in (0, 1):
        assert root.locator(f'{NODE}[data-layer="{layer}"][data-index="20"]').count() == 1
        assert root.locator(f'{NODE}[data-layer="{layer}"]').count() == shown[layer] + 1
    assert edge(root, 1, 20, 20).get_attribute("data-selected") == "true"
    nb.screenshot("hidden-weight-selected")

    # an MNIST-sized network draws as few nodes as any collapsed one
    mnist = nb.wait_rendered("bw-diagram", 1)
    drawn = [mnist.locator(f'{NODE}[data-layer="{layer}"]').count() for layer in range(3)]
    assert drawn[0] < 784 and drawn[1] < 128 and drawn[2] == 10
    assert mnist.locator(EDGE).count() == drawn[0] * drawn[1] + drawn[1] * drawn[2]
    counts_shown = sorted(
        int(m.get_attribute("data-count")) for m in mnist.locator('[data-testid="bw-more"]').all()
    )
    assert counts_shown == sorted([784 - drawn[0], 128 - drawn[1]])


def test_dark_theme_is_legible(jupyter_lab, open_notebook):
    def luminance(css: str) -> float:
        r, g, b = (int(v) for v in re.findall(r"\d+", css)[:3])
        return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255

    cells = [
        IMPORTS,
        "NetworkDiagram(MLP([3, 5, 2], 'tanh', seed=0), x=[1.0, 0.0, -1.0], y=[0.0, 1.0],"
        " show='gradients', selected=(1, 2, 0))",
    ]
    seen = {}
    for theme in ("JupyterLab Light", "JupyterLab Dark"):
        with jupyter_lab.lab_theme(theme):
            nb = open_notebook(jupyter_lab, cells)
            nb.run_all()
            root = nb.wait_rendered("bw-diagram")
            text = root.locator("text.bw-col-head").first
            seen[theme] = luminance(text.evaluate("e => getComputedStyle(e).fill"))
            bg = nb.page.locator(".jp-Notebook").evaluate(
                "e => getComputedStyle(e).backgroundColor"
            )
            # the labels stand out from the notebook's background
            assert abs(seen[theme] - luminance(bg)) > 0.5, (theme, bg)
            nb.screenshot(theme)
            jupyter_lab.shutdown_kernel(nb.name)
    assert seen["JupyterLab Light"] < 0.3 < 0.7 < seen["JupyterLab Dark"]


def test_notebook7_counts_click_and_select(jupyter_notebook, open_notebook):
    nb = open_notebook(jupyter_notebook, INTERACTIVE)
    nb.run_all()
    root = nb.wait_rendered("bw-diagram")
    assert counts(root) == full_counts([2, 3, 1])
    check_click_and_select(nb)


# A page with no JupyterLab at all (as in Colab or VS Code, where the --jp-* CSS variables do
# not exist): the bundle and the stylesheet alone, on a minimal stand-in for the widget model.
STANDALONE = """
async ([esm, css, overrides]) => {
  const style = document.createElement("style");
  style.textContent = css;
  document.head.appendChild(style);
  const url = URL.createObjectURL(new Blob([esm], { type: "text/javascript" }));
  const widget = (await import(url)).default;
  const pack = (rows, cols, values) => ({
    shape: [rows, cols], dtype: "float64",
    data: new DataView(new Float64Array(values).buffer),
  });
  const state = {
    sizes: [2, 3, 1], activations: ["tanh", "identity"], unit_activations: [[], []],
    weights: [pack(3, 2, [0.5, -1, 0.25, 2, -0.75, 0.1]), pack(1, 3, [1, -0.5, 0.3])],
    gradients: [], z: [], z_samples: 0, loss: null, show: "weights", selected: [1, 1, 0],
    max_nodes: 16, ...overrides,
  };
  const model = {
    get: (k) => state[k], set: (k, v) => { state[k] = v; },
    save_changes() {}, on() {}, off() {},
  };
  const el = document.createElement("div");
  document.body.appendChild(el);
  widget.render({ model, el });
}
"""


def bundle() -> tuple[str, str]:
    static = Path(__file__).resolve().parents[2] / "backprop_widgets" / "static"
    return (static / "diagram.js").read_text(), (static / "styles.css").read_text()


@pytest.mark.parametrize("color_scheme", ["light", "dark"])
def test_colours_without_jupyterlab_follow_the_colour_scheme(page, color_scheme):
    page.set_content("<!doctype html><html><body></body></html>")
    bg = "#1e1e1e" if color_scheme == "dark" else "#ffffff"  # what such hosts paint
    page.evaluate(f"document.body.style.background = '{bg}'")
    page.evaluate(STANDALONE, [*bundle(), {}])
    root = page.locator('[data-testid="bw-diagram"][data-rendered]')
    root.wait_for()
    assert root.locator(NODE).count() == 6 and root.locator(EDGE).count() == 9
    fill = root.locator("text.bw-col-head").first.evaluate("e => getComputedStyle(e).fill")
    r, g, b = (int(v) for v in re.findall(r"\d+", fill)[:3])
    lum = (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255
    assert lum > 0.7 if color_scheme == "dark" else lum < 0.3
    assert root.locator(f'{EDGE}[data-selected="true"]').count() == 1
    # drawn last, so no other edge covers the highlight
    assert root.locator(".bw-edges > g").last.get_attribute("data-selected") == "true"


def test_names_from_python_are_text_not_html(page):
    evil = '<img src=x onerror="window.bwPwned = 1"><b>bold</b>'
    page.set_content("<!doctype html><html><body></body></html>")
    overrides = {"activations": [evil, "mixed"], "unit_activations": [[], [evil, "tanh", "tanh"]]}
    page.evaluate(STANDALONE, [*bundle(), overrides])
    root = page.locator('[data-testid="bw-diagram"][data-rendered]')
    root.wait_for()
    assert root.locator("img, b").count() == 0
    heads = root.locator("text.bw-col-sub").all_text_contents()
    assert f"σ: {evil}" in heads and "σ: tanh, mixed" in heads  # a mixed layer: its usual σ
    assert root.locator("text.bw-unit-act").first.text_content() == evil
    assert page.evaluate("window.bwPwned") is None


def test_a_kernel_restart_shows_the_diagram_as_disconnected(jupyter_lab, open_notebook):
    nb = open_notebook(jupyter_lab, INTERACTIVE[:1])
    nb.run_all()
    root = nb.wait_rendered("bw-diagram")
    assert root.get_attribute("data-disconnected") is None
    nb.page.get_by_role("menuitem", name="Kernel", exact=True).click()
    nb.page.locator('li[data-command="kernelmenu:restart"]').click()
    nb.page.locator(".jp-Dialog button.jp-mod-accept").click()
    nb.page.locator('[data-testid="bw-diagram"][data-disconnected="true"]').wait_for()
    assert "disconnected" in root.locator(".bw-diagram-status").inner_text()
    nb.screenshot("disconnected")
