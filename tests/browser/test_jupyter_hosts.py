"""The host round trips of test_marimo.py and test_voila.py, in JupyterLab and Notebook 7.

The same notebook (``hosts.EXPLORER_CELLS``) and the same checks
(``hosts.check_explorer_round_trips``) in every host, so the README's "Where it runs" table
compares like with like.
"""

from __future__ import annotations

import pytest

from .hosts import EXPLORER_CELLS, check_explorer_round_trips, screenshot_explorer

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("server_name", ["jupyter_lab", "jupyter_notebook"])
def test_the_explorer_asks_the_kernel_and_shows_its_answer(server_name, request, open_notebook):
    nb = open_notebook(request.getfixturevalue(server_name), EXPLORER_CELLS)
    nb.run_all()
    check_explorer_round_trips(nb.page)
    screenshot_explorer(nb.page, server_name.replace("jupyter_", ""))
