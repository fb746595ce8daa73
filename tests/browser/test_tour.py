"""The tour notebook, as a new user meets it: opened in JupyterLab, run top to bottom.

This is the notebook the README's first command opens. Its cells are read from
notebooks/01_tour.ipynb (not restated here), so the test follows the notebook as it changes.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

TOUR = Path(__file__).resolve().parents[2] / "notebooks" / "01_tour.ipynb"
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"


def _cells() -> list[str]:
    nb = json.loads(TOUR.read_text())
    return [
        ("%%md\n" if c["cell_type"] == "markdown" else "") + "".join(c["source"])
        for c in nb["cells"]
    ]


def test_the_tour_runs_in_notebook_7(jupyter_notebook, open_notebook):
    nb = open_notebook(jupyter_notebook, _cells(), name="01_tour_nb7.ipynb")
    nb.run_all()
    assert nb.wait_rendered("bw-explorer").get_attribute("data-stale") == "false"
    assert nb.page.locator('[data-testid="bw-node"]').count() > 0
    assert nb.page.locator(".jp-OutputArea-output img").count() >= 1


def test_the_tour_runs_in_jupyterlab_and_draws_the_explorer(jupyter_lab, open_notebook):
    nb = open_notebook(jupyter_lab, _cells(), name="01_tour.ipynb")
    nb.run_all()  # fails at once, with the traceback, if any cell raises
    root = nb.wait_rendered("bw-explorer")
    assert root.get_attribute("data-stale") == "false"
    for kind in ("analytic", "numeric", "difference"):
        assert nb.page.locator(f'[data-testid="bw-heatmap"][data-kind="{kind}"]').count() >= 1
    assert nb.page.locator('[data-testid="bw-node"]').count() > 0
    # The static figure at the end is a picture, so an exported notebook still shows it.
    assert nb.page.locator(".jp-OutputArea-output img").count() >= 1
    # Click one entry of the analytic map: its own derivation appears below the maps.
    canvas = nb.page.locator('[data-testid="bw-heatmap"][data-kind="analytic"]').first
    cell = float(canvas.get_attribute("data-cell"))
    canvas.click(position={"x": 1.5 * cell, "y": 0.5 * cell})
    nb.page.locator('[data-testid="bw-entry-analytic"]').first.wait_for()
    # A picture of the whole widget (the README's screenshot is taken from this one): a page
    # tall enough that JupyterLab's scrolling panel holds the widget whole.
    nb.page.set_viewport_size({"width": 1200, "height": 2200})
    nb.page.wait_for_timeout(500)
    output = nb.page.locator(".jp-OutputArea-output").filter(
        has=nb.page.locator('[data-testid="bw-explorer"]')
    )
    ARTIFACTS.mkdir(exist_ok=True)
    output.first.scroll_into_view_if_needed()
    output.first.screenshot(path=str(ARTIFACTS / "tour-explorer.png"))
