"""The tour and the explorer in Voilà: notebooks as web apps with no code showing.

Voilà runs the notebook on the server when its page is opened and shows only the outputs and
the markdown. No request may leave the machine (our bundle fetches nothing; Voilà's own
Font Awesome link is answered locally, see ``hosts.keep_offline``).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from .hosts import (
    EXPLORER_CELLS,
    check_explorer_round_trips,
    screenshot_explorer,
    text_luminance,
    wait_explorer_drawn,
    write_notebook,
)

pytestmark = pytest.mark.browser

TOUR = Path(__file__).resolve().parents[2] / "notebooks" / "01_tour.ipynb"
EDITORS = ".cm-editor, .CodeMirror, .jp-InputArea-editor, .jp-InputPrompt"


def code_sources(notebook: Path) -> list[str]:
    nb = json.loads(notebook.read_text())
    return ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code"]


def assert_no_errors_shown(page) -> None:
    text = page.locator("body").inner_text()
    for sign in ("Traceback", "There was an error when executing cell", "Error:"):
        assert sign not in text, f"Voilà shows an error:\n{text[-3000:]}"


def test_the_tour_is_a_lecture_app_with_no_code_showing(voila_server, open_voila):
    shutil.copyfile(TOUR, voila_server.root / "01_tour.ipynb")
    mark = voila_server.log_mark()
    page = open_voila(voila_server, "01_tour.ipynb")
    wait_explorer_drawn(page)
    for kind in ("analytic", "numeric", "difference"):
        assert page.locator(f'[data-testid="bw-heatmap"][data-kind="{kind}"]').count() >= 1
    assert page.locator('[data-testid="bw-node"]').count() > 0
    # The last cell's output, the matplotlib figure, is there: every cell ran.
    page.locator(".jp-OutputArea-output img").first.wait_for()
    assert_no_errors_shown(page)
    voila_server.assert_no_tracebacks_since(mark)
    # The markdown is shown; the code is not: no editor, no prompt, no line of any code cell.
    assert page.get_by_role("heading", name="The explorer in five minutes").count() == 1
    assert page.locator(EDITORS).count() == 0
    text = page.locator("body").inner_text()
    for source in code_sources(TOUR):
        for line in source.splitlines():
            if len(line.strip()) > 12 and not line.lstrip().startswith("#"):
                assert line.strip() not in text, f"code is showing: {line!r}"


def test_the_explorer_in_voila_asks_the_kernel_and_shows_its_answer(voila_server, open_voila):
    write_notebook(voila_server.root / "explorer.ipynb", EXPLORER_CELLS)
    mark = voila_server.log_mark()
    page = open_voila(voila_server, "explorer.ipynb")
    check_explorer_round_trips(page)
    assert_no_errors_shown(page)
    voila_server.assert_no_tracebacks_since(mark)
    screenshot_explorer(page, "voila")


def test_the_explorer_follows_voilas_dark_theme(voila_server, open_voila):
    if not (voila_server.root / "explorer.ipynb").exists():
        write_notebook(voila_server.root / "explorer.ipynb", EXPLORER_CELLS)
    page = open_voila(voila_server, "explorer.ipynb", theme="dark")
    app = wait_explorer_drawn(page)
    assert text_luminance(app) > 0.5, "dark theme, but the explorer's text is dark"
    screenshot_explorer(page, "voila-dark")
