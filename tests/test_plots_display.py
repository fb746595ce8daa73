"""A figure from backprop_widgets.plots shows as a picture in a fresh kernel (no %matplotlib)."""

from __future__ import annotations

import nbformat
import pytest
from nbclient import NotebookClient

pytestmark = pytest.mark.notebooks


def test_a_plots_figure_displays_as_png_in_a_fresh_kernel() -> None:
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_code_cell(
            "import backprop_widgets as bw\n"
            "net = bw.MLP([2, 3, 1], 'tanh', seed=0)\n"
            "bw.plots.plot_gradcheck(bw.gradcheck(net, [0.3, -0.4], [0.2]))"
        )
    ]
    NotebookClient(nb, timeout=120, kernel_name="python3").execute()
    outputs = nb.cells[0].outputs
    assert any("image/png" in o.get("data", {}) for o in outputs), outputs
