"""The widgets in marimo: `mo.ui.anywidget(...)` in apps served by `marimo run` and `marimo edit`.

marimo renders anywidgets itself (no ipywidgets manager) and puts each one in a shadow root;
Playwright's locators pierce it. What Python holds is read back from a cell of the app that
marimo re-runs whenever the widget's state changes (``data-testid="bw-py-state"``).
"""

from __future__ import annotations

import pytest

from .hosts import (
    APPS,
    REPO,
    check_explorer_round_trips,
    point_on_edge,
    screenshot_explorer,
    text_luminance,
    wait_attribute,
    wait_explorer_drawn,
    wait_text,
)

pytestmark = pytest.mark.browser

DIAGRAM_APP = APPS / "diagram_app.py"
TOUR = REPO / "notebooks" / "01_tour_marimo.py"
MODES = ["run", "edit"]


def python_state(page):
    return page.locator('[data-testid="bw-py-state"]')


@pytest.mark.parametrize("mode", MODES)
def test_the_diagram_draws_and_a_click_on_an_edge_reaches_python(mode, marimo_app, page):
    server = marimo_app(DIAGRAM_APP, mode)
    mark = server.log_mark()
    page.goto(server.url())
    root = page.locator('[data-testid="bw-diagram"][data-rendered]')
    root.wait_for()
    # [2, 3, 1] drawn in full: one node per unit, one edge per weight.
    assert root.locator('[data-testid="bw-node"]').count() == 6
    assert root.locator('[data-testid="bw-edge"]').count() == 9
    # Inside a shadow root: invisible to document.querySelectorAll, found by the locator.
    assert page.evaluate("document.querySelectorAll('[data-testid=bw-diagram]').length") == 0
    assert wait_text(python_state(page), lambda t: "selected" in t) == "selected = None"

    drawn = root.get_attribute("data-rendered")
    page.mouse.click(*point_on_edge(root, 2, 0, 1))
    wait_attribute(root, "data-rendered", lambda v: v != drawn)
    assert root.get_attribute("data-selected") == "2,0,1"
    wait_text(python_state(page), lambda t: t == "selected = (2, 0, 1)")
    server.assert_no_tracebacks_since(mark, page)


@pytest.mark.parametrize("mode", MODES)
def test_the_marimo_tour_the_explorer_asks_the_kernel_and_shows_its_answer(mode, marimo_app, page):
    server = marimo_app(TOUR, mode)
    mark = server.log_mark()
    page.goto(server.url())
    check_explorer_round_trips(page)
    server.assert_no_tracebacks_since(mark, page)
    screenshot_explorer(page, f"marimo-{mode}")


@pytest.mark.parametrize("color_scheme", ["dark"])
def test_the_explorer_follows_marimos_dark_theme(marimo_app, page):
    page.goto(marimo_app(TOUR, "run").url())
    app = wait_explorer_drawn(page)
    assert text_luminance(app) > 0.5, "prefers-color-scheme: dark, but the explorer's text is dark"
    screenshot_explorer(page, "marimo-run-dark")
