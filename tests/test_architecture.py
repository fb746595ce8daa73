"""The one-way layers of the house: mathematics -> views -> notebooks.

These tests read the package as a newcomer would: the core runs without Jupyter, widgets
are thin, notebooks use only the public API.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "backprop_widgets"
CORE = [
    "activations",
    "losses",
    "network",
    "frechet",
    "gradcheck",
    "exercises",
    "datasets",
    "training",
]
JUPYTER_SIDE = {"ipywidgets", "anywidget", "traitlets", "IPython", "matplotlib", "ipykernel"}


def test_the_core_imports_nothing_from_jupyter() -> None:
    code = (
        "import sys\n"
        f"import backprop_widgets\nfor m in {CORE!r}: __import__('backprop_widgets.' + m)\n"
        "print(sorted({m.split('.')[0] for m in sys.modules}))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    loaded = set(ast.literal_eval(out.strip()))
    assert not (loaded & JUPYTER_SIDE), f"the core pulled in {sorted(loaded & JUPYTER_SIDE)}"


@pytest.mark.parametrize("module", CORE)
def test_core_modules_have_no_jupyter_imports_in_source(module: str) -> None:
    # A core module, or every file of a core subpackage (exercises/).
    files = sorted((PACKAGE / module).glob("*.py")) or [PACKAGE / f"{module}.py"]
    trees = [ast.parse(f.read_text()) for f in files]
    top_level = [n for t in trees for n in t.body if isinstance(n, (ast.Import, ast.ImportFrom))]
    names = {
        (n.module or "").split(".")[0] if isinstance(n, ast.ImportFrom) else a.name.split(".")[0]
        for n in top_level
        for a in n.names
    }
    assert not (names & JUPYTER_SIDE)


def test_gradcheck_name_is_the_function_even_after_importing_the_module() -> None:
    code = (
        "import backprop_widgets.gradcheck\nimport backprop_widgets as bw\n"
        "print(callable(bw.gradcheck) and not hasattr(bw.gradcheck, '__path__'))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "True"


def _notebook_sources() -> list[tuple[str, str]]:
    found = []
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        nb = json.loads(path.read_text())
        for cell in nb["cells"]:
            if cell["cell_type"] == "code":
                found.append((path.name, "".join(cell["source"])))
    return found


def test_notebooks_use_only_the_public_api() -> None:
    offenders = []
    for name, source in _notebook_sources():
        for line in source.splitlines():
            stripped = line.strip()
            if stripped.startswith(("import backprop_widgets", "from backprop_widgets")) and (
                "._" in stripped or " _" in stripped.split("import", 1)[-1]
            ):
                offenders.append((name, stripped))
            if "backprop_widgets.widgets." in stripped or "bw.widgets." in stripped:
                offenders.append((name, stripped))
    assert not offenders, offenders
