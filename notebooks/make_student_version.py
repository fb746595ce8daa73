"""Write the student homework notebook from the instructor's solutions notebook.

    python notebooks/make_student_version.py          # writes notebooks/04_homework.ipynb
    python notebooks/make_student_version.py --check  # exit 1 if the committed copy is stale

Edit ``04_homework_solutions.ipynb`` only, then run this script. What it changes:

* in a code cell, the lines from ``# BEGIN SOLUTION`` to ``# END SOLUTION`` (markers included)
  become ``raise NotImplementedError("your code here")`` at the marker's indentation inside a
  function, or ``...  # your code here`` at the top level of a cell, so that the student notebook
  still runs from top to bottom;
* in a markdown cell, everything from ``<!-- BEGIN SOLUTION -->`` to ``<!-- END SOLUTION -->``
  is removed (a cell left empty is dropped);
* every output and execution count is cleared.
"""

from __future__ import annotations

import argparse
import copy
import re
import sys
from pathlib import Path

import nbformat

HERE = Path(__file__).resolve().parent
SOLUTIONS = HERE / "04_homework_solutions.ipynb"
STUDENT = HERE / "04_homework.ipynb"

BEGIN, END = "# BEGIN SOLUTION", "# END SOLUTION"
MD_BLOCK = re.compile(r"<!-- BEGIN SOLUTION -->.*?<!-- END SOLUTION -->\n*", re.DOTALL)


def strip_code(source: str) -> str:
    """Replace each marked solution block of a code cell's source."""
    out: list[str] = []
    inside = False
    for number, line in enumerate(source.split("\n"), start=1):
        stripped = line.strip()
        if stripped == BEGIN:
            if inside:
                raise ValueError(f"line {number}: {BEGIN!r} inside another solution block")
            inside = True
            indent = line[: len(line) - len(line.lstrip())]
            out.append(
                f'{indent}raise NotImplementedError("your code here")'
                if indent
                else "...  # your code here"
            )
        elif stripped == END:
            if not inside:
                raise ValueError(f"line {number}: {END!r} without a {BEGIN!r} before it")
            inside = False
        elif not inside:
            out.append(line)
    if inside:
        raise ValueError(f"{BEGIN!r} is never closed by {END!r}")
    return "\n".join(out)


def strip_markdown(source: str) -> str:
    """Remove each marked solution block of a markdown cell's source."""
    if source.count("<!-- BEGIN SOLUTION -->") != source.count("<!-- END SOLUTION -->"):
        raise ValueError("unbalanced <!-- BEGIN SOLUTION --> / <!-- END SOLUTION --> markers")
    return MD_BLOCK.sub("", source).strip("\n")


def make_student(solutions: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """The student notebook for a solutions notebook (which is left unchanged)."""
    nb = copy.deepcopy(solutions)
    cells = []
    for k, cell in enumerate(nb.cells):
        try:
            if cell.cell_type == "code":
                cell.source = strip_code(cell.source)
                cell.outputs = []
                cell.execution_count = None
            elif cell.cell_type == "markdown":
                cell.source = strip_markdown(cell.source)
                if not cell.source.strip():
                    continue
        except ValueError as exc:
            raise ValueError(f"cell {k}: {exc}") from exc
        cells.append(cell)
    nb.cells = cells
    nbformat.validate(nb)
    return nb


def student_text(solutions_path: Path = SOLUTIONS) -> str:
    """The exact text of the student notebook generated from ``solutions_path``."""
    nb = nbformat.read(solutions_path, as_version=4)
    return nbformat.writes(make_student(nb)) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true", help="only check the committed copy")
    args = parser.parse_args(argv)
    text = student_text()
    if args.check:
        if not STUDENT.exists() or STUDENT.read_text(encoding="utf-8") != text:
            print(f"{STUDENT.name} is out of date: run python {Path(__file__).name}")
            return 1
        print(f"{STUDENT.name} is up to date")
        return 0
    STUDENT.write_text(text, encoding="utf-8")
    print(f"wrote {STUDENT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
