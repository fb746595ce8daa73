"""The explorer in five minutes, as a marimo notebook.

Open it with ``marimo edit notebooks/01_tour_marimo.py`` (to change the cells) or serve it as an
app with ``marimo run notebooks/01_tour_marimo.py``. The same tour for Jupyter is
``01_tour.ipynb``.
"""

import marimo

__generated_with = "0.25.2"
app = marimo.App(width="medium")


@app.cell
def _():
    import html

    import marimo as mo
    import numpy as np

    import backprop_widgets as bw

    return bw, html, mo, np


@app.cell
def _(mo):
    mo.md(
        r"""
        # The explorer in five minutes

        A multilayer perceptron is given by its widths `[n(0), n(1), …, n(L)]` and one
        activation σ per layer; its loss is E = ½‖z(L) − y‖². The explorer below follows how E
        responds to a change of one weight matrix W(ℓ): three small derivatives — (C1) of E at
        the output, (C2) of each σ, (C3) of the product W z — chained together, and the result
        set beside a finite difference of E, entry by entry.
        """
    )
    return


@app.cell
def _(bw, mo):
    ex = bw.BackpropExplorer(sizes=[3, 4, 4, 2], seed=0)
    # marimo runs every cell that calls get_changes() again whenever one of these traits
    # changes, whoever changed it: a control in the page or a line of Python.
    get_changes, set_changes = mo.state(0)
    ex.observe(
        lambda change: set_changes(lambda k: k + 1),
        names=["sizes", "activations", "layer", "step", "selected"],
    )
    explorer = mo.ui.anywidget(ex)
    explorer
    return ex, explorer, get_changes


@app.cell
def _(mo):
    mo.md(
        r"""
        ## What to try

        1. **Walk the steps** with *Next* and *Previous*. Each step shows its formula, the same
           formula with this network's numbers, and a check of that piece against a central
           difference along a random direction.
        2. **Click a square** of a heatmap: the panel below the maps derives that one weight's
           entry, and the diagram marks the same weight.
        3. **Change the network** with the controls: the widths, the number of layers, each
           layer's activation. A value the explorer cannot use is refused beside the field,
           and the network stays as it was.

        ## What Python sees

        The explorer's controls are traits of the Python object `ex`. The cell below runs again
        each time one of them changes, and shows what Python holds right now.
        """
    )
    return


@app.cell
def _(ex, get_changes, html, mo):
    get_changes()
    mo.Html(
        "<pre data-testid='bw-py-state'>"
        + html.escape(
            f"sizes = {list(ex.sizes)}\n"
            f"activations = {ex.activations}\n"
            f"layer = {ex.layer}\n"
            f"step = {ex.step}\n"
            f"selected = {ex.selected}"
        )
        + "</pre>"
    )
    return


@app.cell
def _(mo):
    mo.md(
        r"""
        ## When the derivative is wrong

        An `Activation` is σ together with a claimed σ′. Here layer 2 gets tanh with a slope
        twice too large; the list shows, step by step, which checks notice.
        """
    )
    return


@app.cell
def _(bw, mo, np):
    wrong = bw.Activation("tanh with a wrong slope", np.tanh, lambda u: 2 * (1 - np.tanh(u) ** 2))
    checked = bw.BackpropExplorer(sizes=[3, 4, 4, 2], activations=["tanh", wrong, "identity"])
    mo.md("\n".join(f"- {'✓' if s.check['ok'] else '✗'} {s.title}" for s in checked.steps))
    return


@app.cell
def _(mo):
    draw = mo.ui.run_button(label="Draw the explorer's heatmaps with matplotlib")
    mo.vstack(
        [
            mo.md(
                "## A picture for the PDF\n\nA widget does not survive an export to PDF or "
                "static HTML; `ex.to_figure()` draws the current heatmaps as a figure."
            ),
            draw,
        ]
    )
    return (draw,)


@app.cell
def _(draw, ex, explorer, mo):
    mo.stop(not draw.value)
    explorer  # draw again when the explorer changes
    ex.to_figure()
    return


@app.cell
def _(mo):
    mo.md(
        r"""
        ## Where next

        The other notebooks are for Jupyter: `02_frechet_pieces.ipynb` takes (C1), (C2) and
        (C3) apart, `03_finite_differences.ipynb` is about the checks themselves, and
        `04_homework.ipynb` asks you to write each piece yourself.
        """
    )
    return


if __name__ == "__main__":
    app.run()
