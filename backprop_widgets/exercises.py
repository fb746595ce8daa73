"""Homework with automatic checks: each exercise, its test cases, and :func:`check`.

A student writes a function, then calls ``check("q4", apply_C3)``. The check calls it on
several generated cases (fixed seeds, edge cases such as a single unit and a batch) and compares
with reference answers computed by the core (:mod:`~backprop_widgets.network`,
:mod:`~backprop_widgets.activations`) — never from the student's code. The feedback says what is
wrong (type, shape, which entries differ and by how much, NaN, an exception and the line it came
from, an input changed in place, a forgotten ``return``, a runaway loop) but never shows an
expected value.

Limits: each call of the student's function gets ``timeout`` seconds (5 by default); a
pure-Python loop is stopped at the limit; see :mod:`backprop_widgets._sandbox` for what cannot be
stopped. This module imports nothing from Jupyter.

Examples
--------
>>> from backprop_widgets import exercises
>>> def apply_C3(H, z):
...     return H @ z
>>> exercises.check("q4", apply_C3).passed
True
"""

from __future__ import annotations

import html
import numbers
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from ._exercise_bank import EXERCISES, Exercise, ForwardOnly, mystery_activation, mystery_network
from ._feedback import CheckResult, Mismatch, compare, pattern_hint
from ._sandbox import call_with_deadline, changed_inputs, snapshot, where
from .activations import Activation
from .network import MLP

__all__ = [
    "CheckResult",
    "Exercise",
    "ExerciseList",
    "Summary",
    "check",
    "check_all",
    "example_inputs",
    "list_exercises",
    "mystery_activation",
    "mystery_network",
]

DEFAULT_TIMEOUT = 5.0


# --------------------------------------------------------------------------- the public API


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
    return ExerciseList(EXERCISES.values())


def _exercise(exercise_id: object) -> Exercise:
    if not isinstance(exercise_id, str):
        raise TypeError(
            f"exercise_id: expected a string such as 'q1', got {type(exercise_id).__name__}"
        )
    key = exercise_id.strip().lower()
    if key not in EXERCISES:
        raise ValueError(
            f"exercise_id: unknown exercise {exercise_id!r}; the exercises are "
            f"{', '.join(EXERCISES)}"
        )
    return EXERCISES[key]


def example_inputs(exercise_id: str, case: int = 0) -> dict[str, Any]:
    """The arguments of one test case (fresh copies), to try your function on by hand."""
    ex = _exercise(exercise_id)
    cases = ex.make_cases()
    if isinstance(case, bool) or not isinstance(case, numbers.Integral):
        raise TypeError(f"case: expected an integer 0..{len(cases) - 1}, got {case!r}")
    if not 0 <= case < len(cases):
        raise ValueError(f"case: expected 0..{len(cases) - 1}, got {case}")
    return dict(zip(ex.arguments, _fresh_args(cases[case].args), strict=True))


def _fresh_args(args: tuple[Any, ...]) -> tuple[Any, ...]:
    out = []
    for a in args:
        if isinstance(a, np.ndarray):
            out.append(np.array(a, copy=True))  # writable, so that a mutation can be seen
        elif isinstance(a, MLP):
            out.append(a.copy())
        elif isinstance(a, ForwardOnly):
            out.append(ForwardOnly(a._net.copy()))
        else:
            out.append(a)
    return tuple(out)


def _describe_error(exc: BaseException, ex: Exercise) -> str:
    text = f"raised {type(exc).__name__}"
    message = str(exc)
    if message:
        text += f": {message[:300]}"
    location = where(exc)
    if location:
        text += f" ({location})"
    elif isinstance(exc, TypeError) and "argument" in message:
        text += f" — the function should be {ex.signature}"
    return text


def check(
    exercise_id: str, student_function: Any, *, timeout: float = DEFAULT_TIMEOUT
) -> CheckResult:
    """Check a student's function for one exercise; never raises what the function raises.

    Parameters
    ----------
    exercise_id : str
        ``"q1"`` … (see :func:`list_exercises`).
    student_function : callable
        The function to check. Anything else gets a failing result that says so.
    timeout : float
        Seconds allowed for each call of the function (5 by default).

    Returns
    -------
    CheckResult
        ``.passed``, ``.message`` and ``.details``; shown as a coloured box in a notebook.
    """
    ex = _exercise(exercise_id)
    if isinstance(timeout, bool) or not isinstance(timeout, numbers.Real):
        raise TypeError(f"timeout: expected a number of seconds, got {type(timeout).__name__}")
    if not 0 < timeout <= 600 or not np.isfinite(timeout):
        raise ValueError(f"timeout: expected seconds in (0, 600], got {timeout}")

    def fail(message: str, details: list[str] | None = None, **kw: Any) -> CheckResult:
        return CheckResult(ex.id, ex.title, "fail", message, details or [], **kw)

    if ex.accepts_activation and isinstance(student_function, Activation):
        student_function = student_function.df
    if not callable(student_function):
        return fail(
            f"expected your function {ex.name}, got {type(student_function).__name__}; pass the "
            f"function itself, e.g. check({ex.id!r}, {ex.name}) — without ( ) after the name."
        )

    cases = ex.make_cases()
    problems: list[tuple[int, str]] = []
    pairs: list[tuple[np.ndarray, np.ndarray]] = []
    first_mismatch: Mismatch | None = None
    for k, case in enumerate(cases):
        args = _fresh_args(case.args)
        before = [snapshot(a) for a in args]
        call = call_with_deadline(student_function, args, float(timeout))
        where_case = f"case {k + 1} of {len(cases)} ({case.label})"
        if call.timed_out:
            details = [f"It was stopped on {where_case}."]
            if call.error is not None and where(call.error):
                details.append(f"It was running {where(call.error)}.")
            if call.stuck:
                details.append(
                    "It could not be stopped and keeps running in the background; if the "
                    "notebook becomes slow, restart the kernel."
                )
            return fail(
                f"your function ran longer than {timeout:g} s. Look for a loop that never ends.",
                details,
            )
        if isinstance(call.error, NotImplementedError):
            return CheckResult(
                ex.id,
                ex.title,
                "todo",
                f"{ex.name} is not implemented yet: replace the `raise NotImplementedError` "
                "line with your code, run its cell, then run this check again.",
            )
        if call.error is not None:
            problems.append((k, f"{where_case}: your function {_describe_error(call.error, ex)}"))
            continue
        changed = changed_inputs(ex.arguments, before, args)
        if changed:
            names = ", ".join(changed)
            problems.append(
                (
                    k,
                    f"{where_case}: your function changed its input {names} in place. Compute "
                    "a new array instead (write `h = 2 * h`, not `h *= 2`).",
                )
            )
            continue
        if call.value is None:
            problems.append(
                (k, f"{where_case}: your function returned None — is a `return` missing?")
            )
            continue
        mismatch = compare(case.expected, call.value, "your answer", ex.item)
        if mismatch is not None:
            problems.append((k, f"{where_case}: {mismatch.text}"))
            if mismatch.pairs is not None:
                pairs.append(mismatch.pairs)
            if first_mismatch is None and mismatch.errors is not None:
                first_mismatch = mismatch

    if not problems:
        return CheckResult(ex.id, ex.title, "pass", f"all {len(cases)} test cases agree.")
    details = [text for _, text in problems[:3]]
    if len(problems) > 3:
        details.append(f"… and {len(problems) - 3} more cases.")
    hint = pattern_hint(pairs) if len(pairs) == len(problems) else None
    if hint:
        details.append(hint)
    return fail(
        f"{len(problems)} of {len(cases)} test cases disagree.",
        details,
        errors=None if first_mismatch is None else first_mismatch.errors,
        errors_label="your answer",
    )


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
    namespace: Mapping[str, Any] | None = None, *, timeout: float = DEFAULT_TIMEOUT
) -> Summary:
    """Check every exercise, finding each function by its expected name in ``namespace``.

    In a notebook pass ``globals()``; without it, the ``__main__`` namespace (a notebook's) is
    used. A name that is missing is reported as missing.
    """
    if namespace is None:
        import __main__

        namespace = vars(__main__)
    if not isinstance(namespace, Mapping):
        raise TypeError(
            f"namespace: expected a dict such as globals(), got {type(namespace).__name__}"
        )
    rows = []
    for ex in EXERCISES.values():
        fn = namespace.get(ex.name)
        rows.append((ex, None if fn is None else check(ex.id, fn, timeout=timeout)))
    return Summary(rows)
