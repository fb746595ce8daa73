"""The tour notebook, as a new user meets it: opened in JupyterLab, run top to bottom, and
every claim its text makes tried in the page.

Its cells are read from notebooks/01_tour.ipynb (not restated here), so the test follows the
notebook as it changes; each test below names the sentence of the tour it checks.
"""

from __future__ import annotations

import json
import re
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


def _code_index(needle: str) -> int:
    """The index (among code cells) of the tour's code cell containing ``needle``."""
    code = [c for c in _cells() if not c.startswith("%%md\n")]
    return next(k for k, c in enumerate(code) if needle in c)


def _markdown(needle: str) -> str:
    return next(c for c in _cells() if c.startswith("%%md\n") and needle in c)


def _control(app, name: str, layer: int | None = None):
    sel = f'[data-testid="bw-control"][data-name="{name}"]'
    if layer is not None:
        sel += f'[data-layer="{layer}"]'
    return app.locator(sel).first


def _python(nb, code: str) -> str:
    """Run ``code`` in a scratch cell at the end of the notebook; its printed output."""
    last = nb.code_cells.count() - 1
    nb.code_cells.nth(last).locator(".jp-InputPrompt").click()
    nb.page.keyboard.press("Escape")
    nb.page.keyboard.press("b")  # a new cell below, in command mode
    nb.page.keyboard.press("Enter")
    nb.page.keyboard.insert_text(code)
    nb.page.keyboard.press("Escape")
    return nb.run_cell(last + 1)


def test_the_tour_runs_in_notebook_7(jupyter_notebook, open_notebook):
    nb = open_notebook(jupyter_notebook, _cells(), name="01_tour_nb7.ipynb")
    nb.run_all()
    assert nb.wait_rendered("bw-explorer").get_attribute("data-stale") == "false"
    assert nb.page.locator('[data-testid="bw-explorer-app"][data-drawn="true"]').count() == 4
    assert nb.page.locator('[data-testid="bw-node"]').count() > 0
    assert nb.page.locator(".jp-OutputArea-output img").count() >= 1


def test_the_tour_says_only_what_is_true(jupyter_lab, open_notebook):
    nb = open_notebook(jupyter_lab, _cells(), name="01_tour.ipynb")
    nb.run_all()  # fails at once, with the traceback, if any cell raises
    apps = nb.page.locator('[data-testid="bw-explorer-app"]')
    # ex (shown twice: where it is made and where the trait cell sets its scene), ex_wrong,
    # kinked: every scene-setting cell shows its result
    nb.page.wait_for_function(
        "() => [...document.querySelectorAll('[data-testid=\"bw-explorer-app\"]')]"
        ".filter((a) => a.dataset.drawn === 'true').length === 4"
    )
    first, scene, wrong, kinked = (apps.nth(k) for k in range(4))

    # "Everything is a trait": the scene set from Python is what both views of ex show
    for view in (first, scene):
        maps = view.locator('[data-testid="bw-explorer"]')
        assert maps.get_attribute("data-selected") == "2,0,5"
        heat = view.locator('[data-testid="bw-heatmap"][data-kind="analytic"]')
        assert (heat.get_attribute("data-rows"), heat.get_attribute("data-cols")) == ("32", "32")
        assert _control(view, "L").input_value() == "4"
        assert view.locator('[data-testid="bw-diagram"]').get_attribute("data-selected") == (
            "2,0,5"
        )
    # "on screen this is w⁽²⁾₁,₆, row 1, column 6 of W(2)" and the Python index is labelled
    entry = scene.locator('[data-testid="bw-entry"]')
    assert "row 1, column 6 of W(2)" in entry.text_content()
    assert "Python index [0, 5]" in entry.text_content()

    # 1. "Each step shows its formula, the same formula with this network's numbers (for a big
    # network, a pointer to the heatmaps instead), and a live check"
    n_steps = int(first.locator('[data-testid="bw-step-indicator"]').text_content().split()[-1])
    for k in range(n_steps):
        assert first.locator('[data-testid="bw-step-formula"] .katex').count() >= 1
        numbers = first.locator('[data-testid="bw-step-numbers"]')
        note = first.locator(".bw-step-toobig")
        shown = "(e) => !e.hidden"
        has_numbers = numbers.evaluate(shown) and numbers.locator(".katex").count() >= 1
        points_at_maps = note.evaluate(shown) and "heatmap" in note.text_content()
        assert has_numbers or points_at_maps, f"step {k + 1} shows neither numbers nor a pointer"
        check = first.locator('[data-testid="bw-step-check"]')
        assert check.get_attribute("data-ok") == "true", check.text_content()  # "A ✓ means …"
        assert check.text_content().startswith("✓")
        if k < n_steps - 1:
            first.locator('[data-testid="bw-step-next"]').click()

    # 2. "Click a square … that one weight's derivation … next to the finite difference …
    # and the same weight is highlighted in the network diagram"
    canvas = first.locator('[data-testid="bw-heatmap"][data-kind="numeric"]').first
    cell = float(canvas.get_attribute("data-cell"))
    canvas.click(position={"x": 2.5 * cell, "y": 3.5 * cell})  # row 4, column 3
    nb.page.wait_for_function(
        "() => document.querySelector('[data-testid=\"bw-explorer\"]').dataset.selected === '2,3,2'"
    )
    # `selected` and the entry it opens arrive in two messages: wait for the entry itself
    entry = first.locator('[data-testid="bw-entry"][data-layer="2"][data-i="3"][data-j="2"]')
    entry.wait_for()
    assert "row 4, column 3 of W(2)" in entry.text_content()
    assert entry.locator('[data-testid="bw-entry-numeric"]').inner_text() != ""
    diagram = first.locator('[data-testid="bw-diagram"]')
    assert diagram.get_attribute("data-selected") == "2,3,2"
    edge = diagram.locator('[data-testid="bw-edge"][data-selected="true"]')
    assert (edge.get_attribute("data-layer"), edge.get_attribute("data-i")) == ("2", "3")

    # 3. "type 2=relu, 4=sin into the field under the menu"
    assert "`2=relu, 4=sin`" in _markdown("What to try")
    units = _control(first, "units", 1)
    units.fill("2=relu, 4=sin")
    units.press("Enter")
    out = ""
    for _ in range(40):
        out = (
            _python(nb, "print('UNITS', ex.activations[0][:5])")
            if not out
            else nb.run_cell(nb.code_cells.count() - 1)
        )
        if "UNITS ['tanh', 'relu', 'tanh', 'sin', 'tanh']" in out:
            break
        nb.page.wait_for_timeout(100)
    assert "UNITS ['tanh', 'relu', 'tanh', 'sin', 'tanh']" in out, out

    # "a width of 0, say — is refused with a message next to the field, what you typed stays
    # there to be corrected, and the previous network stays"
    width = _control(first, "n", 1)
    width.fill("0")
    width.press("Enter")
    message = first.locator('[data-testid="bw-message"][data-name="n"][data-layer="1"]')
    message.wait_for()
    assert "1 to 64" in message.text_content()
    assert width.input_value() == "0"
    out = _python(nb, "print('SIZES', ex.sizes)")
    assert "SIZES [16, 32, 32, 32, 4]" in out
    assert first.locator('[data-testid="bw-heatmap"]').first.get_attribute("data-rows") == "32"

    # "When the derivative is wrong": (C1) and (C3) pass, every other step fails
    printed = nb.output_text(_code_index("ex_wrong = "))
    marks = {
        title: mark
        for mark, title in re.findall(r"^([✓✗]) (.*)$", printed, flags=re.MULTILINE)
        if not title.startswith(("E as a function", "all "))  # the widget's own check texts
    }
    assert len(marks) == 8, printed
    passing = sorted(t.split()[0] for t, m in marks.items() if m == "✓")
    assert passing == ["(C1)", "(C3)"], printed
    assert "(C1) and (C3) do not involve σ′ and pass" in _markdown("wrong slope")
    steps = wrong.locator('[data-testid="bw-step-next"]')
    steps.click()
    steps.click()  # (C2), drawn in its own view
    assert wrong.locator('[data-testid="bw-step-title"]').text_content().startswith("(C2)")
    assert wrong.locator('[data-testid="bw-step-check"]').get_attribute("data-ok") == "false"

    # "A kink, on purpose": crossed out (×) and not counted, so the layer's check passes, while
    # some checks of the stepper show ✗
    printed = nb.output_text(_code_index("kinked = "))
    n_kinks = int(re.search(r"entries flagged at a kink: (\d+)", printed).group(1))
    assert n_kinks > 0 and "layer 1 passes: True" in printed
    layer = kinked.locator('.bw-hm-layer[data-layer="1"]')
    assert layer.get_attribute("data-kinks") == str(n_kinks)
    title = layer.locator(".bw-hm-layer-title").text_content()
    assert title.split(": ", 1)[1].startswith("✓") and "flagged at a kink" in title
    oks = []
    n = int(kinked.locator('[data-testid="bw-step-indicator"]').text_content().split()[-1])
    for k in range(n):
        oks.append(kinked.locator('[data-testid="bw-step-check"]').get_attribute("data-ok"))
        if k < n - 1:
            kinked.locator('[data-testid="bw-step-next"]').click()
    assert "false" in oks and oks[-1] == "true", oks  # the gradient's own check passes

    # "A picture for the PDF": a static image
    assert nb.page.locator(".jp-OutputArea-output img").count() >= 1

    # The README's picture of the tour
    nb.page.set_viewport_size({"width": 1200, "height": 2400})
    nb.page.wait_for_timeout(300)
    output = nb.page.locator(".jp-OutputArea-output").filter(has=first)
    ARTIFACTS.mkdir(exist_ok=True)
    output.first.scroll_into_view_if_needed()
    output.first.screenshot(path=str(ARTIFACTS / "tour-explorer.png"))
