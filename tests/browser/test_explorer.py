"""BackpropExplorer in a real JupyterLab (and Notebook 7): controls, stepper, heatmaps, linking.

Every expected number is printed by a notebook cell from the core (net.backward, gradcheck),
never copied from the widget's own output.
"""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.browser

SETUP = "from backprop_widgets import BackpropExplorer, MLP, gradcheck\nimport numpy as np"


def explorer_cells(make: str = "BackpropExplorer(sizes=[3, 4, 2], seed=1)") -> list[str]:
    return [SETUP, f"ex = {make}\nex"]


def heatmap(nb, kind: str, layer: int | None = None):
    sel = f'[data-testid="bw-heatmap"][data-kind="{kind}"]'
    if layer is not None:
        sel += f'[data-layer="{layer}"]'
    return nb.page.locator(sel).first


def click_cell(nb, kind: str, layer: int, i: int, j: int) -> None:
    canvas = heatmap(nb, kind, layer)
    cell = float(canvas.get_attribute("data-cell"))
    canvas.click(position={"x": (j + 0.5) * cell, "y": (i + 0.5) * cell})


def rendered(nb) -> str:
    return nb.widget("bw-explorer").get_attribute("data-rendered")


def wait_python(nb, cell: int, pattern: str, tries: int = 40) -> str:
    """Re-run a printing cell until its output matches (the kernel may still be busy)."""
    out = ""
    for _ in range(tries):
        out = nb.run_cell(cell)
        if re.search(pattern, out):
            return out
        nb.page.wait_for_timeout(100)
    raise AssertionError(f"cell {cell} never printed {pattern!r}; last output: {out!r}")


def test_explorer_draws_and_walks_every_step(jupyter_lab, open_notebook):
    nb = open_notebook(
        jupyter_lab,
        [*explorer_cells(), "print('STEPS', len(ex.steps), [s.check['ok'] for s in ex.steps])"],
    )
    nb.run_all()
    root = nb.wait_rendered("bw-explorer")
    for kind in ("analytic", "numeric", "difference"):
        canvas = heatmap(nb, kind)
        assert canvas.get_attribute("data-layer") == "1"
        assert (canvas.get_attribute("data-rows"), canvas.get_attribute("data-cols")) == ("4", "3")
    assert root.get_attribute("data-stale") == "false"
    out = nb.output_text(2)
    m = re.search(r"STEPS (\d+) \[(.*)\]", out)
    assert m, out
    n_steps = int(m.group(1))
    oks = [s.strip() == "True" for s in m.group(2).split(",")]
    nb.wait_rendered("bw-stepper")
    titles = []
    for k in range(n_steps):
        indicator = nb.widget("bw-step-indicator")
        assert indicator.inner_text() == f"step {k + 1} of {n_steps}"
        titles.append(nb.widget("bw-step-title").inner_text())
        check = nb.widget("bw-step-check")
        assert check.get_attribute("data-ok") == ("true" if oks[k] else "false")
        nb.screenshot(f"step-{k + 1}")
        if k < n_steps - 1:
            nb.widget("bw-step-next").click()
    assert nb.widget("bw-step-next").is_disabled()
    assert titles[0].startswith("Forward pass")
    assert titles[1].startswith("(C1)") and titles[2].startswith("(C2)")
    assert titles[3].startswith("(C3)")
    assert titles[-1].startswith("The gradient")
    assert len(set(titles)) == n_steps
    # Python saw the last step; the keyboard walks back.
    assert nb.run_cell(2) and "STEPS" in nb.output_text(2)
    nb.widget("bw-stepper").focus()
    nb.page.keyboard.press("ArrowLeft")
    assert nb.widget("bw-step-indicator").inner_text() == f"step {n_steps - 1} of {n_steps}"
