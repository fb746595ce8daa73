"""Write every form of the homework from its one source, the solutions notebook.

    python graders/make_assignments.py          # writes the three files below
    python graders/make_assignments.py --check  # exit 1 if a committed copy is stale

Edit ``notebooks/04_homework_solutions.ipynb`` only, then run this script. It writes

``notebooks/04_homework.ipynb``
    the student notebook for plain Jupyter or Colab: each block from ``# BEGIN SOLUTION`` to
    ``# END SOLUTION`` becomes ``raise NotImplementedError("your code here")`` inside a
    function, or ``...  # your code here`` at the top level of a cell; markdown between
    ``<!-- BEGIN SOLUTION -->`` and ``<!-- END SOLUTION -->`` is removed.
``graders/nbgrader/source/homework/homework.ipynb``
    nbgrader's source assignment: solution cells carry nbgrader's metadata and
    ``### BEGIN SOLUTION`` markers; after each check cell comes a locked, autograded test cell
    worth the points the check cell's metadata gives (``backprop_widgets.points``), with hidden
    tests (``### BEGIN HIDDEN TESTS``, another variant) where it says ``hidden_tests``.
``graders/otter/homework.ipynb``
    Otter-Grader's assign notebook: an ``# ASSIGNMENT CONFIG`` cell, and for each exercise
    ``# BEGIN QUESTION`` … ``# END QUESTION`` with its solution, its tests (a ``# HIDDEN`` one
    where the metadata says so) and no Otter-specific cells in what students get, so the
    setup cell stays first.

Every graded test calls :func:`backprop_widgets.exercises.grading.grade`, loaded from disk,
which checks the function in fresh processes. A solution block at the top level of a cell is not
graded; the graders' own stubs would raise there, so in their versions it becomes ``...``.
"""

from __future__ import annotations

import argparse
import copy
import re
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
SOLUTIONS = ROOT / "notebooks" / "04_homework_solutions.ipynb"
STUDENT = ROOT / "notebooks" / "04_homework.ipynb"
NBGRADER = ROOT / "graders" / "nbgrader" / "source" / "homework" / "homework.ipynb"
OTTER = ROOT / "graders" / "otter" / "homework.ipynb"

BEGIN, END = "# BEGIN SOLUTION", "# END SOLUTION"
MD_BLOCK = re.compile(r"<!-- BEGIN SOLUTION -->.*?<!-- END SOLUTION -->\n*", re.DOTALL)
CHECK = re.compile(r"""exercises\.check\(\s*["'](?P<id>[\w-]+)["']\s*,\s*(?P<fn>\w+)\s*\)""")
HIDDEN_VARIANT = "hidden tests"

LOAD_GRADE = (
    "# Graded in fresh Python processes: nothing defined or replaced above changes this verdict.\n"
    "from importlib.util import find_spec\n"
    "from runpy import run_path\n"
    'grade = run_path(find_spec("backprop_widgets.exercises.grading").origin)["grade"]\n'
)


# --------------------------------------------------------------------------- solution blocks


def strip_code(source: str, *, inside: str | None = None) -> str:
    """Replace each marked solution block of a code cell's source.

    ``inside`` is what a block inside a function becomes (by default
    ``raise NotImplementedError("your code here")``); at the top level of a cell a block always
    becomes ``...  # your code here``, so that the cell still runs.
    """
    stub = 'raise NotImplementedError("your code here")' if inside is None else inside
    out: list[str] = []
    in_block = False
    for number, line in enumerate(source.split("\n"), start=1):
        stripped = line.strip()
        if stripped == BEGIN:
            if in_block:
                raise ValueError(f"line {number}: {BEGIN!r} inside another solution block")
            in_block = True
            indent = line[: len(line) - len(line.lstrip())]
            if indent:
                out.extend(f"{indent}{s}" for s in stub.split("\n"))
            else:
                out.append("...  # your code here")
        elif stripped == END:
            if not in_block:
                raise ValueError(f"line {number}: {END!r} without a {BEGIN!r} before it")
            in_block = False
        elif not in_block:
            out.append(line)
    if in_block:
        raise ValueError(f"{BEGIN!r} is never closed by {END!r}")
    return "\n".join(out)


def strip_markdown(source: str) -> str:
    """Remove each marked solution block of a markdown cell's source."""
    if source.count("<!-- BEGIN SOLUTION -->") != source.count("<!-- END SOLUTION -->"):
        raise ValueError("unbalanced <!-- BEGIN SOLUTION --> / <!-- END SOLUTION --> markers")
    return MD_BLOCK.sub("", source).strip("\n")


def _has_top_level_block(source: str) -> bool:
    return any(line == BEGIN for line in source.split("\n"))


def _top_level_only(source: str) -> str:
    """Strip the top-level solution blocks of a cell, keep those inside functions."""
    if not _has_top_level_block(source):
        return source
    out, skipping = [], False
    for line in source.split("\n"):
        if line == BEGIN:
            skipping = True
            out.append("...  # your code here")
        elif line == END and skipping:
            skipping = False
        elif not skipping:
            out.append(line)
    return "\n".join(out)


def _clean(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
        cell.metadata.pop("backprop_widgets", None)
    nbformat.validate(nb)
    return nb


def _solution_markdown(cells: list[nbformat.NotebookNode]) -> list[nbformat.NotebookNode]:
    out = []
    for cell in cells:
        if cell.cell_type == "markdown":
            cell.source = strip_markdown(cell.source)
            if not cell.source.strip():
                continue
        out.append(cell)
    return out


def _questions(nb: nbformat.NotebookNode) -> dict[int, tuple[str, str, dict]]:
    """Check cell index → (exercise id, function name, its metadata)."""
    found = {}
    for k, cell in enumerate(nb.cells):
        m = CHECK.search(cell.source) if cell.cell_type == "code" else None
        if m:
            found[k] = (m["id"], m["fn"], dict(cell.metadata.get("backprop_widgets", {})))
    return found


# --------------------------------------------------------------------------- the three forms


def make_student(solutions: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """The plain student notebook."""
    nb = copy.deepcopy(solutions)
    for k, cell in enumerate(nb.cells):
        try:
            if cell.cell_type == "code":
                cell.source = strip_code(cell.source)
        except ValueError as exc:
            raise ValueError(f"cell {k}: {exc}") from exc
    nb.cells = _solution_markdown(nb.cells)
    return _clean(nb)


def _grade_lines(qid: str, fn: str, variant: str | None = None) -> str:
    extra = "" if variant is None else f", variant={variant!r}"
    return f"grade({qid!r}, {fn}{extra})"


def make_nbgrader(solutions: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """nbgrader's source assignment (with solutions)."""
    nb = copy.deepcopy(solutions)
    questions = _questions(nb)
    cells = []
    answer_of: dict[str, int] = {}
    for k, cell in enumerate(nb.cells):
        if cell.cell_type == "code":
            cell.source = _top_level_only(cell.source)
            if BEGIN in cell.source:
                fn = re.search(r"def (\w+)\(", cell.source)
                name = fn.group(1) if fn else f"cell{k}"
                answer_of[name] = len(cells)
                cell.source = cell.source.replace(BEGIN, "### BEGIN SOLUTION").replace(
                    END, "### END SOLUTION"
                )
                cell.metadata["nbgrader"] = {
                    "grade": False,
                    "grade_id": f"{name}-answer",
                    "locked": False,
                    "schema_version": 3,
                    "solution": True,
                    "task": False,
                }
        cells.append(cell)
        if k in questions:
            qid, fn, meta = questions[k]
            source = LOAD_GRADE + _grade_lines(qid, fn)
            if meta.get("hidden_tests"):
                source += (
                    "\n### BEGIN HIDDEN TESTS\n"
                    + _grade_lines(qid, fn, HIDDEN_VARIANT)
                    + "\n### END HIDDEN TESTS"
                )
            test = nbformat.v4.new_code_cell(source, id=f"{qid}-test")
            test.metadata["nbgrader"] = {
                "grade": True,
                "grade_id": f"{qid}-test",
                "locked": True,
                "points": int(meta.get("points", 1)),
                "schema_version": 3,
                "solution": False,
                "task": False,
            }
            cells.append(test)
    nb.cells = _solution_markdown(cells)
    return _clean(nb)


def _raw(text: str, id: str) -> nbformat.NotebookNode:
    # Fixed cell ids, so that the generated file is the same on every run.
    return nbformat.v4.new_raw_cell(text, id=id)


OTTER_CONFIG = """# ASSIGNMENT CONFIG
name: homework
requirements: requirements.txt
init_cell: false
check_all_cell: false
export_cell: false
run_tests: false
strip_solutions_from_all_cells: true
generate: true
tests:
  files: false
  ok_format: true"""


def _otter_solution(source: str) -> str:
    """A function's solution block as Otter reads it, with a stub that says "not done yet"."""
    out = []
    for line in source.split("\n"):
        indent = line[: len(line) - len(line.lstrip())]
        if line.strip() == BEGIN and indent:
            # The prompt is a string literal in the solution and a raise in the student's copy.
            out += [
                f'{indent}""" # BEGIN PROMPT',
                f'{indent}raise NotImplementedError("your code here")',
                f'{indent}""" # END PROMPT',
                f"{indent}# BEGIN SOLUTION NO PROMPT",
            ]
        else:
            out.append(line)
    return "\n".join(out)


def make_otter(solutions: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Otter-Grader's assign notebook (with solutions)."""
    nb = copy.deepcopy(solutions)
    questions = _questions(nb)
    starts = {}
    for k in questions:
        start = k
        while start > 0 and not (
            nb.cells[start].cell_type == "markdown"
            and nb.cells[start].source.lstrip().startswith("## " + questions[k][0] + " ")
        ):
            start -= 1
        starts[start] = k
    cells = [_raw(OTTER_CONFIG, "assignment-config")]
    for k, cell in enumerate(nb.cells):
        if k in starts:
            qid, _, meta = questions[starts[k]]
            points = int(meta.get("points", 1))
            config = f"# BEGIN QUESTION\nname: {qid}\npoints: {points}\ncheck_cell: false"
            cells.append(_raw(config, f"{qid}-begin"))
        if cell.cell_type == "code":
            cell.source = _otter_solution(_top_level_only(cell.source))
        cells.append(cell)
        if k in questions:
            qid, fn, meta = questions[k]
            cells.append(_raw("# BEGIN TESTS", f"{qid}-begin-tests"))
            test = LOAD_GRADE + _grade_lines(qid, fn)
            cells.append(nbformat.v4.new_code_cell(test, id=f"{qid}-test"))
            if meta.get("hidden_tests"):
                hidden = "# HIDDEN\n" + LOAD_GRADE + _grade_lines(qid, fn, HIDDEN_VARIANT)
                cells.append(nbformat.v4.new_code_cell(hidden, id=f"{qid}-hidden"))
            cells += [_raw("# END TESTS", f"{qid}-end-tests"), _raw("# END QUESTION", f"{qid}-end")]
    nb.cells = _solution_markdown(cells)
    return _clean(nb)


# --------------------------------------------------------------------------- files


def texts(solutions_path: Path = SOLUTIONS) -> dict[Path, str]:
    """Each generated file and its exact text."""
    nb = nbformat.read(solutions_path, as_version=4)
    return {
        path: nbformat.writes(make(nb)) + "\n"
        for path, make in [(STUDENT, make_student), (NBGRADER, make_nbgrader), (OTTER, make_otter)]
    }


def student_text(solutions_path: Path = SOLUTIONS) -> str:
    """The exact text of the plain student notebook."""
    return texts(solutions_path)[STUDENT]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--check", action="store_true", help="only check the committed copies")
    args = parser.parse_args(argv)
    stale = []
    for path, text in texts().items():
        if args.check:
            if not path.exists() or path.read_text(encoding="utf-8") != text:
                stale.append(path)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            print(f"wrote {path.relative_to(ROOT)}")
    for path in stale:
        print(f"{path.relative_to(ROOT)} is out of date: run python {Path(__file__).name}")
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main())
