"""nbgrader and Otter-Grader, run for real on the homework: points per question, cheats get 0.

Each grader gets two submissions, made from the released student notebook with the solutions
of notebooks/04_homework_solutions.ipynb filled in:

* ``alice`` answers everything correctly;
* ``bob``'s is partly wrong: q2 (a sign) and q8 (a matrix where a number is due) are plainly
  wrong, and four more are wrong with a cheat that makes the in-process check say PASS: q1
  redefines ``exercises.check``, ``assert_passes`` and ``grade``; q3 replaces the exercise's
  reference; q7 monkeypatches ``bw.MLP.gradients``; q11 returns the reference's own answer by
  importing it.

Both graders run the student's notebook and then the tests in one kernel; the graded tests
check in fresh processes (backprop_widgets.exercises.grading), so the cheats earn nothing there.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat")
pytest.importorskip("nbgrader")
pytest.importorskip("otter")
pytest.importorskip("cloudpickle")

pytestmark = pytest.mark.graders

ROOT = Path(__file__).resolve().parents[1]
SOLUTIONS = ROOT / "notebooks" / "04_homework_solutions.ipynb"
BIN = Path(sys.executable).parent

POINTS = {"q1": 1, "q2": 1, "q3": 1, "q4": 1, "q5": 1, "q6": 1, "q7": 2}
POINTS |= {"q8": 1, "q9": 2, "q10": 2, "q11": 1}

WRONG = {
    "dE": "def dE(z, y, h):\n    return float(np.sum((y - z) * h))",
    "directional_derivative": "def directional_derivative(net, x, y, layer, H):\n"
    "    return net.gradients(x, y)[layer - 1] * H",
}
CHEATING = {
    "loss": "def loss(z, y):\n    return float(np.sum((z - y) ** 2))",
    "dsoftplus": "def dsoftplus(u):\n    return np.tanh(u)",
    "gradients": "def gradients(net, x, y):\n"
    "    return [2 * g for g in net._net.backward(x, y).grads]",
    "delta_L_softmax": "def delta_L_softmax(u_L, y):\n"
    "    from backprop_widgets.exercises import get_exercise\n"
    '    return get_exercise("q11").reference(u_L, y)',
}
CHEATS = """# bob's cheats: every check and grade in this kernel now says yes
import backprop_widgets.exercises.grading as grading
from backprop_widgets.exercises import _feedback

_passed = _feedback.CheckResult("q1", "", "pass", "all test cases agree.")
exercises.check = lambda *args, **kwargs: _passed
exercises.assert_passes = lambda *args, **kwargs: _passed
exercises.grade = grading.grade = lambda *args, **kwargs: None
object.__setattr__(exercises.get_exercise("q3"), "reference", np.tanh)
_real_backward = bw.MLP.backward
bw.MLP.gradients = lambda self, x, y: [2 * g for g in _real_backward(self, x, y).grads]
"""
EXPECTED = {
    "alice": dict(POINTS),
    "bob": POINTS | {"q2": 0, "q8": 0, "q1": 0, "q3": 0, "q7": 0, "q11": 0},
}


def _solution_functions() -> dict[str, str]:
    """Function name → its solution source, from the solutions notebook."""
    found = {}
    for cell in nbformat.read(SOLUTIONS, as_version=4).cells:
        if cell.cell_type == "code" and cell.source.startswith("def "):
            name = cell.source[4 : cell.source.index("(")]
            lines = cell.source.split("\n")
            found[name] = "\n".join(line for line in lines if "SOLUTION" not in line)
    return found


def submission(release: Path, student: str, out: Path) -> None:
    """``student``'s notebook: the released one with answers (and cheats) filled in."""
    nb = nbformat.read(release, as_version=4)
    answers = _solution_functions()
    if student == "bob":
        answers |= WRONG | CHEATING
    for k, cell in enumerate(nb.cells):
        if cell.cell_type == "code" and cell.source.startswith("def "):
            cell.source = answers[cell.source[4 : cell.source.index("(")]]
        if cell.cell_type == "code" and "set_variant(STUDENT_ID)" in cell.source:
            cell.source = cell.source.replace('"your student id"', f'"{student}-2026"')
            variant_cell = k
    if student == "bob":
        nb.cells.insert(variant_cell + 1, nbformat.v4.new_code_cell(CHEATS))
    out.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, out)


def _env(tmp: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["PATH"] = f"{BIN}{os.pathsep}{env.get('PATH', '')}"  # nbgrader runs `alembic`
    for var, sub in [("HOME", "home"), ("JUPYTER_CONFIG_DIR", "jcfg")]:
        env[var] = str(tmp / sub)
        (tmp / sub).mkdir(exist_ok=True)
    env["JUPYTER_DATA_DIR"] = str(tmp / "jdata")
    env["JUPYTER_RUNTIME_DIR"] = str(tmp / "jrun")
    env["MPLBACKEND"] = "Agg"
    return env


def _run(args: list[str], cwd: Path, env: dict[str, str]) -> None:
    done = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, f"{args}:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"


# --------------------------------------------------------------------------- nbgrader


@pytest.fixture(scope="module")
def nbgrader_scores(tmp_path_factory) -> dict[str, dict[str, float]]:
    from nbgrader.api import Gradebook

    tmp = tmp_path_factory.mktemp("nbgrader")
    course = tmp / "course"
    shutil.copytree(ROOT / "graders" / "nbgrader", course)
    env = _env(tmp)
    _run([str(BIN / "nbgrader"), "generate_assignment", "homework", "--force"], course, env)
    release = course / "release" / "homework" / "homework.ipynb"
    for student in EXPECTED:
        submission(release, student, course / "submitted" / student / "homework" / "homework.ipynb")
    _run([str(BIN / "nbgrader"), "autograde", "homework", "--force"], course, env)
    scores: dict[str, dict[str, float]] = {}
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        for student in EXPECTED:
            graded = gb.find_submission("homework", student).notebooks[0]
            scores[student] = {g.name.removesuffix("-test"): g.score for g in graded.grades}
    scores["_release"] = {"path": str(release)}  # type: ignore[dict-item]
    scores["_graded"] = {"bob": str(course / "autograded" / "bob" / "homework" / "homework.ipynb")}
    return scores


@pytest.mark.parametrize("student", sorted(EXPECTED))
def test_nbgrader_gives_each_question_its_points(nbgrader_scores, student) -> None:
    assert nbgrader_scores[student] == EXPECTED[student]


def test_the_cheats_did_fool_every_check_inside_the_kernel(nbgrader_scores) -> None:
    # In bob's graded notebook the self-checks of the questions he cheated on say PASS:
    # the cheats worked in his kernel; only the fresh processes of the graded tests saw through.
    nb = nbformat.read(nbgrader_scores["_graded"]["bob"], as_version=4)
    said = {
        c.source.split('"')[1]: str(c.outputs)
        for c in nb.cells
        if c.cell_type == "code" and c.source.startswith("exercises.check(")
    }
    for qid in ["q1", "q3", "q7", "q11", "q2"]:
        assert "pass" in said[qid] and "FAIL" not in said[qid], (qid, said[qid])


def test_nbgrader_source_has_solutions_metadata_and_hidden_tests() -> None:
    nb = nbformat.read(ROOT / "graders/nbgrader/source/homework/homework.ipynb", as_version=4)
    meta = [c.metadata.get("nbgrader", {}) for c in nb.cells]
    tests = [c for c, m in zip(nb.cells, meta, strict=True) if m.get("grade")]
    assert {m["grade_id"].removesuffix("-test") for m in meta if m.get("grade")} == set(POINTS)
    assert sum(m["points"] for m in meta if m.get("grade")) == sum(POINTS.values())
    assert all(m["locked"] for m in meta if m.get("grade"))
    assert sum("### BEGIN HIDDEN TESTS" in c.source for c in tests) >= 3
    solutions = [c for c, m in zip(nb.cells, meta, strict=True) if m.get("solution")]
    assert len(solutions) == len(POINTS) and all(
        "### BEGIN SOLUTION" in c.source for c in solutions
    )


# --------------------------------------------------------------------------- Otter


@pytest.fixture(scope="module")
def otter_scores(tmp_path_factory) -> dict[str, dict[str, float]]:
    tmp = tmp_path_factory.mktemp("otter")
    env = _env(tmp)
    work = tmp / "assign"
    shutil.copytree(ROOT / "graders" / "otter", work)
    _run([str(BIN / "otter"), "assign", "homework.ipynb", "dist"], work, env)
    (archive,) = (work / "dist" / "autograder").glob("*.zip")
    release = work / "dist" / "student" / "homework.ipynb"
    running = {}
    for student in EXPECTED:
        folder = tmp / student
        (folder / "out").mkdir(parents=True)
        submission(release, student, folder / "homework.ipynb")
        args = [str(BIN / "otter"), "run", "-a", str(archive), "-o", "out", "homework.ipynb"]
        running[student] = subprocess.Popen(
            args, cwd=folder, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        )
    scores: dict[str, dict[str, float]] = {}
    for student, process in running.items():
        output, _ = process.communicate(timeout=900)
        assert process.returncode == 0, output[-3000:]
        results = json.loads((tmp / student / "out" / "results.json").read_text())
        scores[student] = {t["name"]: t["score"] for t in results["tests"] if "score" in t}
    scores["_release"] = {"path": str(release), "archive": str(archive)}  # type: ignore[dict-item]
    return scores


@pytest.mark.parametrize("student", sorted(EXPECTED))
def test_otter_gives_each_question_its_points(otter_scores, student) -> None:
    assert otter_scores[student] == EXPECTED[student]


def test_otter_has_hidden_tests_and_keeps_them_out_of_the_student_notebook(otter_scores) -> None:
    with zipfile.ZipFile(otter_scores["_release"]["archive"]) as archive:
        tests = [archive.read(n).decode() for n in archive.namelist() if n.startswith("tests/")]
    assert len(tests) == len(POINTS)
    assert sum("'hidden': True" in t for t in tests) >= 3
    student = Path(otter_scores["_release"]["path"]).read_text(encoding="utf-8")
    assert "BEGIN SOLUTION" not in student and "hidden tests" not in student
    assert "np.where(u >= 0" not in student  # q3's solution


# --------------------------------------------------------------------------- what students get


def _setup_cell() -> str:
    return nbformat.read(SOLUTIONS, as_version=4).cells[0].source


@pytest.mark.parametrize("grader", ["nbgrader", "otter"])
def test_the_released_notebook_starts_with_the_setup_cell_and_runs(
    grader, nbgrader_scores, otter_scores
) -> None:
    nbclient = pytest.importorskip("nbclient")
    scores = nbgrader_scores if grader == "nbgrader" else otter_scores
    nb = nbformat.read(scores["_release"]["path"], as_version=4)
    assert nb.cells[0].source == _setup_cell()
    assert "BEGIN SOLUTION" not in nbformat.writes(nb)
    client = nbclient.NotebookClient(nb, timeout=300, kernel_name="python3", allow_errors=True)
    client.execute()
    errors = [
        (c.source, o) for c in nb.cells for o in c.get("outputs", []) if o.output_type == "error"
    ]
    for source, error in errors:  # only nbgrader's graded tests fail, and they say why
        assert grader == "nbgrader" and "grade(" in source, source
        assert error.ename == "AssertionError" and "not implemented yet" in error.evalue
    checks = [c for c in nb.cells if c.cell_type == "code" and "exercises.check(" in c.source]
    assert checks and all("NOT DONE YET" in str(c.outputs) for c in checks)
