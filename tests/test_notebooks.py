"""Every notebook runs top to bottom; the homework's checks pass with the solutions, report
"not done yet" in the student version, and fail with useful feedback on a wrong answer.

Notebooks are executed with nbclient in a ``python3`` kernel; jupyter_client starts that kernel
with this very interpreter (``sys.executable``), which a test below confirms. Each notebook has
a time budget (a guard against a hang, not a speed test).
"""

from __future__ import annotations

import copy
import importlib.util
import re
import sys
import time
from functools import cache
from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")

from backprop_widgets import exercises  # noqa: E402

pytestmark = pytest.mark.notebooks

ROOT = Path(__file__).resolve().parents[1]
NB_DIR = ROOT / "notebooks"
NOTEBOOKS = sorted(NB_DIR.glob("*.ipynb"))
SOLUTIONS = NB_DIR / "04_homework_solutions.ipynb"
STUDENT = NB_DIR / "04_homework.ipynb"

CELL_TIMEOUT = 300  # seconds for one cell
NOTEBOOK_BUDGET = 600  # seconds for a whole notebook

CHECK_CALL = re.compile(r"""^exercises\.check\(\s*["'](q\d+)["']""", re.MULTILINE)
VERDICT = re.compile(r"^(q\d+) .*?: (PASS|FAIL|NOT DONE YET) — ", re.MULTILINE)


def execute(nb: nbformat.NotebookNode, name: str) -> nbformat.NotebookNode:
    """Run ``nb`` in place (cells see notebooks/ as their working directory)."""
    client = nbclient.NotebookClient(
        nb,
        timeout=CELL_TIMEOUT,
        kernel_name="python3",
        resources={"metadata": {"path": str(NB_DIR)}},
    )
    start = time.monotonic()

    def on_cell_start(cell: nbformat.NotebookNode, cell_index: int) -> None:
        remaining = NOTEBOOK_BUDGET - (time.monotonic() - start)
        if remaining <= 0:
            raise TimeoutError(f"{name}: over its {NOTEBOOK_BUDGET} s budget at cell {cell_index}")
        client.timeout = int(min(CELL_TIMEOUT, max(1.0, remaining)))

    client.on_cell_start = on_cell_start
    client.execute()
    return nb


@cache
def executed(path: Path) -> nbformat.NotebookNode:
    """Each committed notebook is executed once per test session."""
    return execute(nbformat.read(path, as_version=4), path.name)


def text_of(cell: nbformat.NotebookNode) -> str:
    parts = []
    for out in cell.get("outputs", []):
        if out.output_type == "stream":
            parts.append(out.text)
        elif out.output_type in ("execute_result", "display_data"):
            parts.append(out.data.get("text/plain", ""))
        elif out.output_type == "error":
            parts.append(f"{out.ename}: {out.evalue}")
    return "\n".join(parts)


def check_cells(nb: nbformat.NotebookNode) -> dict[str, nbformat.NotebookNode]:
    found = {}
    for cell in nb.cells:
        if cell.cell_type == "code":
            m = CHECK_CALL.search(cell.source)
            if m:
                found[m.group(1)] = cell
    return found


def summary_text(nb: nbformat.NotebookNode) -> str:
    cells = [c for c in nb.cells if c.cell_type == "code" and "check_all(" in c.source]
    assert len(cells) == 1, "the homework ends with one check_all cell"
    return text_of(cells[0])


def setup_cell() -> str:
    readme = (NB_DIR / "README.md").read_text(encoding="utf-8")
    m = re.search(r"\*\*the setup cell\*\*.*?```python\n(.*?)```", readme, re.DOTALL)
    assert m, "notebooks/README.md states the setup cell"
    return m.group(1).rstrip("\n")


BUILTIN = [e for e in exercises.list_exercises() if e.builtin]  # not those other tests define
N_EXERCISES = len(BUILTIN)


# --------------------------------------------------------------------------- every notebook


def test_the_notebooks_are_there() -> None:
    assert SOLUTIONS in NOTEBOOKS and STUDENT in NOTEBOOKS


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_stored_without_outputs(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    assert nb.nbformat == 4
    assert nb.metadata.get("kernelspec", {}).get("name") == "python3"
    assert "widgets" not in nb.metadata, "saved widget state is output too"
    for k, cell in enumerate(nb.cells):
        if cell.cell_type == "code":
            assert cell.outputs == [], f"{path.name} cell {k} has outputs"
            assert cell.execution_count is None, f"{path.name} cell {k} has an execution count"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_starts_with_the_setup_cell(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    assert nb.cells[0].cell_type == "code"
    assert nb.cells[0].source.rstrip("\n") == setup_cell()


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_runs_top_to_bottom(path: Path) -> None:
    nb = executed(path)  # raises CellExecutionError on the first failing cell
    errors = [o for c in nb.cells for o in c.get("outputs", []) if o.output_type == "error"]
    assert not errors


def test_the_kernel_is_this_python() -> None:
    nb = nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_code_cell("import sys\nprint(sys.prefix)\nprint(sys.executable)")],
        metadata={"kernelspec": {"name": "python3", "display_name": "Python 3"}},
    )
    prefix, executable = text_of(execute(nb, "kernel probe").cells[0]).split()
    assert prefix == sys.prefix
    assert Path(executable).resolve() == Path(sys.executable).resolve()


# --------------------------------------------------------------------------- the homework


def _load_generator():
    spec = importlib.util.spec_from_file_location(
        "make_assignments", ROOT / "graders" / "make_assignments.py"
    )
    module = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    spec.loader.exec_module(module)
    return module


def test_the_student_version_is_generated_from_the_solutions() -> None:
    generator = _load_generator()
    for path, text in generator.texts(SOLUTIONS).items():  # also nbgrader's and Otter's copies
        assert path.read_text(encoding="utf-8") == text, (
            f"{path.name} is stale: run .venv/bin/python graders/make_assignments.py"
        )
    student = STUDENT.read_text(encoding="utf-8")
    assert "BEGIN SOLUTION" not in student and "END SOLUTION" not in student


def test_the_generator_refuses_unbalanced_markers() -> None:
    generator = _load_generator()
    with pytest.raises(ValueError, match="never closed"):
        generator.strip_code("def f():\n    # BEGIN SOLUTION\n    return 1\n")
    with pytest.raises(ValueError, match="without"):
        generator.strip_code("x = 1\n# END SOLUTION\n")
    assert generator.strip_code(
        "def f():\n    # BEGIN SOLUTION\n    return 1\n    # END SOLUTION"
    ) == ('def f():\n    raise NotImplementedError("your code here")')


def test_every_exercise_has_a_check_cell_and_a_function_cell() -> None:
    nb = nbformat.read(SOLUTIONS, as_version=4)
    checks = check_cells(nb)
    assert sorted(checks) == sorted(e.id for e in BUILTIN)
    sources = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    for e in BUILTIN:
        assert f"def {e.name}(" in sources


def test_the_solutions_pass_every_check() -> None:
    nb = executed(SOLUTIONS)
    for qid, cell in check_cells(nb).items():
        verdicts = VERDICT.findall(text_of(cell))
        assert verdicts == [(qid, "PASS")], f"{qid}: {text_of(cell)}"
    assert f"{N_EXERCISES} of {N_EXERCISES} exercises pass" in summary_text(nb)


def test_the_student_version_says_not_done_yet() -> None:
    nb = executed(STUDENT)
    for qid, cell in check_cells(nb).items():
        assert VERDICT.findall(text_of(cell)) == [(qid, "NOT DONE YET")], text_of(cell)
        assert "not implemented yet" in text_of(cell)
    assert f"0 of {N_EXERCISES} exercises pass" in summary_text(nb)


def test_a_wrong_answer_fails_with_useful_feedback() -> None:
    nb = copy.deepcopy(nbformat.read(SOLUTIONS, as_version=4))
    q1 = next(
        k for k, c in enumerate(nb.cells) if CHECK_CALL.search(c.source or "") and "q1" in c.source
    )
    wrong = "def loss(z, y):\n    return float(np.sum((z - y) ** 2))  # the ½ is missing"
    nb.cells.insert(q1, nbformat.v4.new_code_cell(wrong))
    execute(nb, "homework with a wrong q1")
    cells = check_cells(nb)
    feedback = text_of(cells["q1"])
    assert VERDICT.findall(feedback) == [("q1", "FAIL")]
    assert "off by" in feedback and "constant multiple" in feedback and "2×" in feedback
    html = "".join(o.data.get("text/html", "") for o in cells["q1"].outputs if "data" in o)
    assert 'data-status="fail"' in html
    for qid, cell in cells.items():
        if qid != "q1":
            assert VERDICT.findall(text_of(cell)) == [(qid, "PASS")]
    assert f"{N_EXERCISES - 1} of {N_EXERCISES} exercises pass" in summary_text(nb)
