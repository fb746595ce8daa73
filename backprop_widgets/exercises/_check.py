"""The check: run the student's function on every case, then judge what it did.

:func:`check` does both in the notebook's kernel. A graded run (:mod:`.grade`) does the running
in one fresh process and the judging, with the references, in another: :func:`judge` is the
half that sees expected values, and it reads only plain data about what the function did.
"""

from __future__ import annotations

import html
import numbers
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..activations import Activation
from ._cases import Case, call_reference
from ._feedback import CheckResult, Mismatch, compare, pattern_hint
from ._registry import Exercise, all_exercises, get_exercise
from ._run import Outcome, run_cases
from ._sandbox import fresh_args
from ._variants import UNSET, resolve_variant

__all__ = [
    "DEFAULT_TIMEOUT",
    "ExerciseList",
    "Summary",
    "assert_passes",
    "check",
    "check_all",
    "example_inputs",
    "judge",
    "list_exercises",
]

DEFAULT_TIMEOUT = 5.0


class ExerciseList(list):
    """The exercises, shown as a table in a notebook (a plain list otherwise)."""

    def __str__(self) -> str:
        return "\n".join(f"{e.id}  {e.signature:<55} {e.title}" for e in self)

    __repr__ = __str__

    def _repr_html_(self) -> str:
        e = html.escape
        cell = 'style="padding:2px 10px;text-align:left;border-bottom:1px solid #ddd"'
        rows = "".join(
            f"<tr><td {cell}>{e(x.id)}</td><td {cell}><code>{e(x.signature)}</code></td>"
            f"<td {cell}>{e(x.title)}</td></tr>"
            for x in self
        )
        head = "".join(f"<th {cell}>{h}</th>" for h in ("exercise", "write", "topic"))
        return f'<table style="border-collapse:collapse"><tr>{head}</tr>{rows}</table>'


def list_exercises() -> ExerciseList:
    """Every exercise, in order: id, title, the function name and signature expected."""
    return ExerciseList(all_exercises())


def example_inputs(exercise_id: str, case: int = 0, *, variant: Any = UNSET) -> dict[str, Any]:
    """The arguments of one test case (fresh copies), to try your function on by hand."""
    ex = get_exercise(exercise_id)
    cases = ex.make_cases(resolve_variant(variant))
    if isinstance(case, bool) or not isinstance(case, numbers.Integral):
        raise TypeError(f"case: expected an integer 0..{len(cases) - 1}, got {case!r}")
    if not 0 <= case < len(cases):
        raise ValueError(f"case: expected 0..{len(cases) - 1}, got {case}")
    return dict(zip(ex.arguments, fresh_args(cases[case].args), strict=True))


def check_timeout(timeout: object) -> float:
    if isinstance(timeout, bool) or not isinstance(timeout, numbers.Real):
        raise TypeError(f"timeout: expected a number of seconds, got {type(timeout).__name__}")
    if not 0 < timeout <= 600 or not np.isfinite(timeout):
        raise ValueError(f"timeout: expected seconds in (0, 600], got {timeout}")
    return float(timeout)


def not_a_function(ex: Exercise, thing: object) -> CheckResult:
    return CheckResult(
        ex.id,
        ex.title,
        "fail",
        f"expected your function {ex.name}, got {type(thing).__name__}; pass the function "
        f"itself, e.g. check({ex.id!r}, {ex.name}) — without ( ) after the name.",
    )


def check(
    exercise_id: str,
    student_function: Any,
    *,
    variant: Any = UNSET,
    timeout: float = DEFAULT_TIMEOUT,
) -> CheckResult:
    """Check a student's function for one exercise; never raises what the function raises.

    Parameters
    ----------
    exercise_id : str
        ``"q1"`` … (see :func:`list_exercises`), or the id of an exercise made by
        :func:`~backprop_widgets.exercises.define`.
    student_function : callable
        The function to check. Anything else gets a failing result that says so.
    variant : str or int or None, optional
        Whose cases: a student id, say. By default the notebook's (see :func:`set_variant`).
    timeout : float
        Seconds allowed for each call of the function (5 by default).

    Returns
    -------
    CheckResult
        ``.passed``, ``.message`` and ``.details``; shown as a coloured box in a notebook.
    """
    ex = get_exercise(exercise_id)
    timeout = check_timeout(timeout)
    chosen = resolve_variant(variant)
    if ex.accepts_activation and isinstance(student_function, Activation):
        student_function = student_function.df
    if not callable(student_function):
        return not_a_function(ex, student_function)
    cases = ex.make_cases(chosen)
    outcomes = run_cases(
        student_function, ex.arguments, [c.args for c in cases], timeout, ex.signature
    )
    return judge(ex, cases, outcomes, timeout, chosen)


def assert_passes(
    exercise_id: str,
    student_function: Any,
    *,
    variant: Any = UNSET,
    timeout: float = DEFAULT_TIMEOUT,
) -> CheckResult:
    """:func:`check`, as a test: raise ``AssertionError`` with the feedback when it fails.

    The message is the check's feedback (never an expected value). This runs in the calling
    process; for a grade the student's code cannot reach, use
    :func:`backprop_widgets.exercises.grade.grade` (fresh processes).
    """
    result = check(exercise_id, student_function, variant=variant, timeout=timeout)
    if not result.passed:
        raise AssertionError(str(result))
    return result


# --------------------------------------------------------------------------- judging


def _finite(value: Any) -> bool:
    """A real answer with no NaN or inf in it (a list of arrays counts item by item)."""
    if isinstance(value, list) and value and all(isinstance(v, np.ndarray) for v in value):
        return all(_finite(v) for v in value)
    try:
        arr = np.asarray(value)
    except (TypeError, ValueError):
        return False
    real = np.issubdtype(arr.dtype, np.integer) or np.issubdtype(arr.dtype, np.floating)
    return real and bool(np.all(np.isfinite(arr)))


def _mistake_hints(
    ex: Exercise, cases: list[Case], wrong: list[tuple[int, Any]], variant: Any
) -> list[str]:
    """The hints of the known mistakes that every wrong answer matches."""
    hints = []
    # An answer with NaN or inf in it (an overflow, say) is left out of the comparison.
    wrong = [(k, v) for k, v in wrong if _finite(v)]
    for hint, mistaken in ex.mistakes:
        try:
            if wrong and all(
                compare(
                    call_reference(mistaken, cases[k].args, variant),
                    value,
                    "",
                    ex.item,
                    ex.rtol,
                    ex.atol,
                )
                is None
                for k, value in wrong
            ):
                hints.append(hint)
        except Exception:  # a mistake that does not apply to these arguments
            continue
    return hints


def judge(
    ex: Exercise,
    cases: list[Case],
    outcomes: list[Outcome],
    timeout: float,
    variant: Any = None,
) -> CheckResult:
    """The verdict and feedback from what the function did on each case (plain data only)."""

    def fail(message: str, details: list[str] | None = None, **kw: Any) -> CheckResult:
        return CheckResult(ex.id, ex.title, "fail", message, details or [], **kw)

    problems: list[tuple[int, str]] = []
    pairs: list[tuple[np.ndarray, np.ndarray]] = []
    wrong_values: list[tuple[int, Any]] = []
    first_mismatch: Mismatch | None = None
    if len(outcomes) < len(cases) and not (outcomes and outcomes[-1].status == "timeout"):
        return fail("the grader lost track of your function (it stopped before every case ran).")
    for k, (case, out) in enumerate(zip(cases, outcomes, strict=False)):
        where_case = f"case {k + 1} of {len(cases)} ({case.label})"
        if out.status == "timeout":
            details = [f"It was stopped on {where_case}."]
            if out.running:
                details.append(f"It was running {out.running}.")
            if out.stuck:
                details.append(
                    "It could not be stopped and keeps running in the background; if the "
                    "notebook becomes slow, restart the kernel."
                )
            return fail(
                f"your function ran longer than {timeout:g} s. Look for a loop that never ends.",
                details,
            )
        if out.status == "todo":
            return CheckResult(
                ex.id,
                ex.title,
                "todo",
                f"{ex.name} is not implemented yet: replace the `raise NotImplementedError` "
                "line with your code, run its cell, then run this check again.",
            )
        if out.status == "error":
            problems.append((k, f"{where_case}: your function {out.text}"))
        elif out.status == "changed":
            problems.append(
                (
                    k,
                    f"{where_case}: your function changed its input {', '.join(out.changed)} in "
                    "place. Compute a new array instead (write `h = 2 * h`, not `h *= 2`).",
                )
            )
        elif out.status == "none":
            problems.append(
                (k, f"{where_case}: your function returned None — is a `return` missing?")
            )
        else:
            mismatch = compare(case.expected, out.value, "your answer", ex.item, ex.rtol, ex.atol)
            if mismatch is None:
                continue
            text = f"{where_case}: {mismatch.text}"
            if out.fp_errors and ("NaN" in mismatch.text or "inf" in mismatch.text):
                text += f" While it ran, numpy reported: {', '.join(out.fp_errors)}."
                if "overflow" in out.fp_errors:
                    text += (
                        " A number too large for float64 became inf (eˣ for any x above 710 is "
                        "one): rearrange the formula so that it is never computed."
                    )
            problems.append((k, text))
            wrong_values.append((k, out.value))
            if mismatch.pairs is not None:
                pairs.append(mismatch.pairs)
            if first_mismatch is None and mismatch.errors is not None:
                first_mismatch = mismatch

    if not problems:
        return CheckResult(ex.id, ex.title, "pass", f"all {len(cases)} test cases agree.")
    details = [text for _, text in problems[:3]]
    if len(problems) > 3:
        details.append(f"… and {len(problems) - 3} more cases.")
    if len(wrong_values) == len(problems):
        hints = _mistake_hints(ex, cases, wrong_values, variant)
        hint = pattern_hint(pairs) if len(pairs) == len(problems) else None
        details += hints or ([hint] if hint else [])
    return fail(
        f"{len(problems)} of {len(cases)} test cases disagree.",
        details,
        errors=None if first_mismatch is None else first_mismatch.errors,
        errors_label="your answer",
    )


# --------------------------------------------------------------------------- check_all


@dataclass
class Summary:
    """The table :func:`check_all` returns: one row per exercise."""

    rows: list[tuple[Exercise, CheckResult | None]]

    @property
    def passed(self) -> int:
        return sum(1 for _, r in self.rows if r is not None and r.passed)

    @property
    def total(self) -> int:
        return len(self.rows)

    def __bool__(self) -> bool:
        return self.passed == self.total

    @staticmethod
    def _status(result: CheckResult | None) -> str:
        return "missing" if result is None else result.verdict.lower()

    def __str__(self) -> str:
        lines = [f"{self.passed} of {self.total} exercises pass"]
        for ex, r in self.rows:
            lines.append(f"  {ex.id}  {self._status(r):<13} {ex.name} — {ex.title}")
        return "\n".join(lines)

    __repr__ = __str__

    def _repr_html_(self) -> str:
        e = html.escape
        colours = {
            "pass": "#1e7e34",
            "fail": "#b71c1c",
            "missing": "#666",
            "not done yet": "#b26a00",
        }
        cell = 'style="padding:2px 10px;text-align:left;border-bottom:1px solid #ddd"'
        rows = "".join(
            f'<tr data-exercise="{e(ex.id)}" data-status="{e(self._status(r))}">'
            f"<td {cell}>{e(ex.id)}</td><td {cell}><code>{e(ex.name)}</code></td>"
            f"<td {cell}>{e(ex.title)}</td>"
            f'<td {cell}><b style="color:{colours[self._status(r)]}">{e(self._status(r))}</b></td>'
            "</tr>"
            for ex, r in self.rows
        )
        head = "".join(f"<th {cell}>{h}</th>" for h in ("exercise", "function", "topic", "status"))
        return (
            f'<div class="bw-summary" style="font-family:sans-serif;font-size:14px">'
            f"<b>{self.passed} of {self.total} exercises pass</b>"
            f'<table style="border-collapse:collapse;margin-top:4px"><tr>{head}</tr>{rows}'
            "</table></div>"
        )


def check_all(
    namespace: Mapping[str, Any] | None = None,
    *,
    exercises: list[str] | None = None,
    variant: Any = UNSET,
    timeout: float = DEFAULT_TIMEOUT,
) -> Summary:
    """Check every exercise (or those listed), finding each function by its name in ``namespace``.

    In a notebook pass ``globals()``; without it, the ``__main__`` namespace (a notebook's) is
    used. A name that is missing is reported as missing. By default the built-in exercises are
    checked; ``exercises=["q1", "my_q"]`` chooses.
    """
    if namespace is None:
        import __main__

        namespace = vars(__main__)
    if not isinstance(namespace, Mapping):
        raise TypeError(
            f"namespace: expected a dict such as globals(), got {type(namespace).__name__}"
        )
    chosen = (
        [e for e in all_exercises() if e.builtin]
        if exercises is None
        else [get_exercise(x) for x in exercises]
    )
    rows = []
    for ex in chosen:
        fn = namespace.get(ex.name)
        rows.append(
            (ex, None if fn is None else check(ex.id, fn, variant=variant, timeout=timeout))
        )
    return Summary(rows)
