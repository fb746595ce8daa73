"""Executed copies of the notebooks for the documentation site.

Every ``notebooks/*.ipynb`` is run top to bottom with nbclient (in a temporary working folder)
and written, with its outputs, to ``docs/_notebooks/`` (ignored by git); the notebooks in the
repository are only read. A copy is run again only when its notebook or the package changed.
Widgets cannot live in a static page, so each widget output becomes a short note saying where
it comes alive, followed by the widget's state as a static figure when the widget can draw one
(``to_figure()``, asked in the same kernel right after the cell ran, without touching the
notebook's history); the figures (matplotlib PNGs) and printed numbers stay.
"""

from __future__ import annotations

import hashlib
import html
import re
import tempfile
from pathlib import Path

import nbclient
import nbformat

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
PACKAGE = Path(__file__).resolve().parents[1] / "backprop_widgets"
KEY = "backprop_widgets_docs"
# Run after a cell whose result is a widget: show that widget's to_figure(), if it has one.
# (``_`` is the cell's result; the probe runs without history, so it leaves ``_`` alone.)
STATIC_TWIN = """
def _bw_docs_static_twin(obj):
    import matplotlib.pyplot as plt
    from IPython.display import display

    if getattr(obj, "model_id", None) == {model_id!r} and callable(getattr(obj, "to_figure", None)):
        figure = obj.to_figure()
        display(figure)
        plt.close(figure)


_bw_docs_static_twin(_)
del _bw_docs_static_twin
"""


def _fingerprint(notebook: Path) -> str:
    digest = hashlib.sha256(notebook.read_bytes())
    for path in sorted(PACKAGE.rglob("*")):
        if path.is_file() and path.suffix in {".py", ".js", ".css"}:
            digest.update(path.relative_to(PACKAGE).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def _widget_note(output: nbformat.NotebookNode, twin: bool) -> None:
    plain = output.data.get("text/plain", "")
    m = re.match(r"<?([\w.]+)", plain)  # "BackpropExplorer(...)" or "<....NetworkDiagram object>"
    name = m.group(1).rsplit(".", 1)[-1] if m else "widget"
    below = "; below, what it showed, drawn by its <code>to_figure()</code>" if twin else ""
    note = (
        f'<p class="bw-widget-note"><em>Here the notebook shows the interactive '
        f"<code>{html.escape(name)}</code>: run the notebook (JupyterLab, Notebook 7, Colab) "
        f"to use it{below}.</em></p>"
    )
    output.data = nbformat.from_dict({"text/html": note})


def execute_copy(source: Path, target: Path, fingerprint: str) -> None:
    nb = nbformat.read(source, as_version=4)
    with tempfile.TemporaryDirectory(prefix="bw-docs-") as cwd:
        client = nbclient.NotebookClient(
            nb,
            timeout=300,
            kernel_name="python3",
            resources={"metadata": {"path": cwd}},
            store_widget_state=False,
        )
        twins: dict[int, list] = {}

        async def static_twin(cell, cell_index, execute_reply) -> None:
            results = [o for o in cell.get("outputs", []) if o.output_type == "execute_result"]
            if not results or WIDGET_VIEW not in results[0].get("data", {}):
                return
            model_id = results[0].data[WIDGET_VIEW]["model_id"]
            probe = nbformat.v4.new_code_cell(STATIC_TWIN.format(model_id=model_id))
            await client.async_execute_cell(probe, cell_index, store_history=False)
            twins[cell_index] = [o for o in probe.outputs if "image/png" in o.get("data", {})]

        client.on_cell_executed = static_twin
        client.execute()  # a failing cell fails the build, with its traceback
    for index, cell in enumerate(nb.cells):
        outputs = []
        for output in cell.get("outputs", []):
            outputs.append(output)
            if WIDGET_VIEW in output.get("data", {}):
                _widget_note(output, bool(twins.get(index)))
                outputs.extend(twins.pop(index, []))
        if cell.cell_type == "code":
            cell.outputs = outputs
    nb.metadata.pop("widgets", None)
    nb.metadata[KEY] = {"fingerprint": fingerprint}
    nbformat.write(nb, target)


def prepare_notebooks(source_dir: Path, target_dir: Path) -> list[Path]:
    """Bring ``target_dir`` to one executed copy of each ``source_dir/*.ipynb``."""
    target_dir.mkdir(parents=True, exist_ok=True)
    sources = sorted(source_dir.glob("*.ipynb"))
    names = {p.name for p in sources}
    for stale in target_dir.glob("*.ipynb"):
        if stale.name not in names:
            stale.unlink()
    copies = []
    for source in sources:
        target = target_dir / source.name
        fingerprint = _fingerprint(source)
        try:
            done = nbformat.read(target, as_version=4).metadata.get(KEY, {}).get("fingerprint")
        except (OSError, ValueError):
            done = None
        if done != fingerprint:
            print(f"executing {source.name} for the documentation", flush=True)
            execute_copy(source, target, fingerprint)
        copies.append(target)
    return copies
