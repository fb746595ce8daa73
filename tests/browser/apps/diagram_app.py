"""A marimo app showing a NetworkDiagram and, below it, what Python holds.

The browser tests (tests/browser/test_marimo.py) serve it with ``marimo run`` and
``marimo edit``, click an edge and read the kernel's ``selected`` in the second cell's output.
"""

import marimo

app = marimo.App()


@app.cell
def _():
    import marimo as mo

    from backprop_widgets import MLP, NetworkDiagram

    return MLP, NetworkDiagram, mo


@app.cell
def _(MLP, NetworkDiagram, mo):
    diagram = mo.ui.anywidget(NetworkDiagram(MLP([2, 3, 1], ["tanh", "identity"], seed=3)))
    diagram
    return (diagram,)


@app.cell
def _(diagram, mo):
    # marimo runs this cell again whenever the widget's state changes in the page.
    mo.Html(f"<pre data-testid='bw-py-state'>selected = {diagram.widget.selected!r}</pre>")
    return


if __name__ == "__main__":
    app.run()
