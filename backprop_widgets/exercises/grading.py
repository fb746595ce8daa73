"""A grade the student's code cannot fake: the check, run in two fresh Python processes.

Graders such as nbgrader and Otter-Grader run a student's notebook and then the instructor's
tests in one process, so whatever the student's code replaced is still replaced when the tests
run. :func:`grade` therefore does almost nothing where it is called.

What runs where
---------------
``grade("q3", dsoftplus)``, in the student's kernel:
    serialises the function by value (``cloudpickle``: its code and the globals it uses), starts
    process R and passes on R's verdict: nothing, or ``AssertionError`` with the feedback. This
    module imports only the standard library and cloudpickle; a test cell loads it fresh from
    disk, ``run_path(find_spec("backprop_widgets.exercises.grading").origin)["grade"]``
    (``runpy.run_path``, ``importlib.util.find_spec``), so a replaced ``exercises.check``,
    ``assert_passes`` or even ``exercises.grade`` is never what runs.
R, ``python -I -m backprop_widgets.exercises._reference``:
    imports the library from disk, builds the exercise (``source=`` names the instructor's
    module for an exercise of their own), makes the cases of the variant and computes the
    expected answers. It never runs, and never unpickles, anything from the submission.
S, ``python -I -m backprop_widgets.exercises._worker``, started by R:
    receives only the case arguments and the serialised function. Before loading it, S refuses
    imports of ``backprop_widgets.exercises`` (all but the few modules that call a function)
    and of the instructor's module, and switches off the names the exercise lists in
    ``blocked`` (q7: ``MLP.gradients`` and ``MLP.backward``). It calls the function on each case
    (time limit, input check) and writes back plain data only: JSON, arrays as bytes of a
    numeric dtype. R judges that with the same feedback as :func:`check`.

What is guaranteed
------------------
* Replacing anything of ``backprop_widgets`` in the kernel — ``exercises.check``,
  ``assert_passes``, ``grade``, an exercise's reference, the registry, ``bw.MLP.gradients``,
  numpy — changes nothing in R or S: both start from the files on disk (``-I``: no user site,
  no ``PYTHON*`` variables, the notebook's folder not on ``sys.path``).
* The expected answers exist only in R; the student's function never runs in R and never sees
  them, so it cannot return "the reference's answer" by importing it: in S that import fails.
* What the submission sends back is data, never code.

What cannot be guaranteed in one process
----------------------------------------
The test cell itself runs in the student's kernel. Code that replaces Python's own machinery
there — ``subprocess``, ``runpy``, ``builtins.__import__``, ``AssertionError``, or IPython's
error display (which is how nbgrader sees a failing test) — can make any test cell of any
library look passed. No test run inside that kernel can prevent it; only a grader that runs its
tests outside the student's process can. Likewise a submission that deliberately dismantles S's
guards (removes its import hook, executes the library's files from disk) can compute what the
library computes, as any program may; it still never sees an expected value. Files a submission
writes next to the notebook (say, over the instructor's module) are outside this guarantee.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from typing import Any

__all__ = ["grade"]

VERDICT = "BW-VERDICT "
_UNSET: Any = object()


def _notebook_variant() -> Any:
    variants = sys.modules.get("backprop_widgets.exercises._variants")
    try:
        return None if variants is None else variants.get_variant()
    except Exception:
        return None


def _own_module(function: Any, source: str | None) -> Any:
    """The module of a function defined in a file of the user's (not installed), if any.

    The fresh processes cannot import such a file (``-I`` leaves the notebook's folder off
    ``sys.path``), so its functions travel by value. The library and the instructor's
    ``source`` module always travel by reference: S refuses to import the latter.
    """
    name = getattr(function, "__module__", None) or ""
    module = sys.modules.get(name)
    path = os.path.abspath(getattr(module, "__file__", None) or "")
    installed = (os.path.abspath(sys.prefix), os.path.abspath(sys.base_prefix))
    source_name = os.path.splitext(os.path.basename(source))[0] if source else None
    if (
        module is None
        or name == "__main__"
        or name.split(".")[0] in ("backprop_widgets", source_name)
        or not path.endswith(".py")
        or path.startswith(installed)
    ):
        return None
    return module


def _serialise(cloudpickle: Any, function: Any, source: str | None) -> bytes:
    module = _own_module(function, source)
    if module is None:
        return cloudpickle.dumps(function)
    cloudpickle.register_pickle_by_value(module)
    try:
        return cloudpickle.dumps(function)
    finally:
        cloudpickle.unregister_pickle_by_value(module)


def run_graded(
    exercise_id: str,
    function: Any,
    *,
    variant: Any = _UNSET,
    source: str | None = None,
    timeout: float = 5.0,
) -> dict[str, Any]:
    """Run the graded check and return R's verdict: ``{"passed", "status", "text"}``."""
    import cloudpickle

    if not isinstance(exercise_id, str):
        raise TypeError(f"exercise_id: expected a string such as 'q1', got {exercise_id!r}")
    if source is not None and not isinstance(source, str):
        raise TypeError(f"source: expected a module name or a .py path, got {source!r}")
    if isinstance(timeout, bool) or not isinstance(timeout, (int, float)) or not 0 < timeout:
        raise ValueError(f"timeout: expected a positive number of seconds, got {timeout!r}")
    chosen = _notebook_variant() if variant is _UNSET else variant
    if chosen is not None and not isinstance(chosen, (str, int)):
        raise TypeError(f"variant: expected a string, an integer or None, got {chosen!r}")
    try:
        payload = _serialise(cloudpickle, function, source)
    except Exception as exc:
        return {
            "passed": False,
            "status": "fail",
            "text": f"{exercise_id}: FAIL — your function could not be sent to the grader "
            f"({type(exc).__name__}: {str(exc)[:200]}). Does it use an object that cannot be "
            "copied, such as a widget or an open file?",
        }
    header = {
        "id": exercise_id,
        "variant": chosen,
        "source": source,
        "timeout": float(timeout),
    }
    done = subprocess.run(
        [sys.executable, "-I", "-m", "backprop_widgets.exercises._reference"],
        input=json.dumps(header).encode() + b"\n" + payload,
        capture_output=True,
        cwd=os.getcwd(),
        timeout=120 + 30 * float(timeout),
        check=False,
    )
    lines = [
        line[len(VERDICT) :]
        for line in done.stdout.decode("utf-8", "replace").splitlines()
        if line.startswith(VERDICT)
    ]
    if not lines:
        tail = done.stderr.decode("utf-8", "replace")[-1500:]
        raise RuntimeError(f"the grader's fresh process failed (exit {done.returncode}): {tail}")
    verdict = json.loads(lines[-1])
    if "error" in verdict:
        raise RuntimeError(f"the grader could not run {exercise_id!r}: {verdict['error']}")
    return verdict


def grade(
    exercise_id: str,
    function: Any,
    *,
    variant: Any = _UNSET,
    source: str | None = None,
    timeout: float = 5.0,
) -> None:
    """Check ``function`` for an exercise in fresh processes; ``AssertionError`` when it fails.

    Parameters
    ----------
    exercise_id : str
        ``"q1"`` …, or an exercise of your own (then give ``source``).
    function : callable
        The student's function (an Activation for exercises that accept one).
    variant : str or int or None, optional
        Whose cases; by default the notebook's (:func:`~backprop_widgets.exercises.set_variant`).
    source : str, optional
        The module that defines your own exercise: an importable name, or a path to a ``.py``
        file (relative to the notebook's folder). The fresh process imports it from disk.
    timeout : float
        Seconds allowed for each call of the function.

    Returns
    -------
    None
        Prints nothing when the function passes (an Otter test compares printed output).

    Raises
    ------
    AssertionError
        With the check's feedback (never an expected value) when it does not pass.
    """
    verdict = run_graded(exercise_id, function, variant=variant, source=source, timeout=timeout)
    if not verdict.get("passed"):
        raise AssertionError(verdict.get("text", "the graded check did not pass"))
