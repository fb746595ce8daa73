"""Run a student's function on the arguments of each case and record what happened.

This is the part of a check that touches the student's code, so that it can run in the
notebook's kernel (``check``) or in a fresh process of its own (a graded run). It knows no
reference and no expected value: an :class:`Outcome` is only what the function did. It imports
numpy, the sandbox and the plain-data helpers only.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

from ._plain import plain
from ._sandbox import call_with_deadline, changed_inputs, fresh_args, snapshot, where

__all__ = ["Outcome", "outcome_from_dict", "run_cases"]


@dataclass
class Outcome:
    """What the student's function did on one case.

    ``status`` is ``"value"`` (it returned :attr:`value`, as plain data), ``"error"`` (it raised;
    :attr:`text` says what and where), ``"todo"`` (``NotImplementedError``), ``"changed"`` (it
    changed the inputs in :attr:`changed`), ``"none"`` (it returned None) or ``"timeout"``.
    """

    status: str
    value: Any = None
    text: str = ""
    changed: list[str] = field(default_factory=list)
    fp_errors: list[str] = field(default_factory=list)  # what numpy reported: "overflow", …
    running: str = ""  # where a function that ran too long was stopped
    stuck: bool = False

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def outcome_from_dict(data: Any) -> Outcome:
    """An :class:`Outcome` from its dictionary; refuses anything that is not one."""
    if not isinstance(data, dict) or data.get("status") not in {
        "value",
        "error",
        "todo",
        "changed",
        "none",
        "timeout",
    }:
        raise ValueError("malformed outcome")
    return Outcome(
        status=str(data["status"]),
        value=data.get("value"),
        text=str(data.get("text", ""))[:2000],
        changed=[str(c) for c in data.get("changed", [])][:20],
        fp_errors=[str(c) for c in data.get("fp_errors", [])][:10],
        running=str(data.get("running", ""))[:500],
        stuck=bool(data.get("stuck", False)),
    )


def describe_error(exc: BaseException, signature: str) -> str:
    """``"raised ValueError: … (in f, line 3: `…`)"``."""
    text = f"raised {type(exc).__name__}"
    message = str(exc)
    if message:
        text += f": {message[:300]}"
    location = where(exc)
    if location:
        text += f" ({location})"
    elif isinstance(exc, TypeError) and "argument" in message:
        text += f" — the function should be {signature}"
    return text


def _watched(fn: Callable[..., Any], fp_errors: list[str]) -> Callable[..., Any]:
    """``fn`` with numpy's floating-point errors recorded instead of printed as warnings."""

    def record(kind: str, flag: int) -> None:
        if kind not in fp_errors:
            fp_errors.append(kind)

    def run(*args: Any) -> Any:
        with np.errstate(all="call", under="ignore", call=record):
            return fn(*args)

    return run


def run_cases(
    fn: Callable[..., Any],
    arguments: Sequence[str],
    arg_tuples: Sequence[tuple[Any, ...]],
    timeout: float,
    signature: str,
) -> list[Outcome]:
    """Call ``fn`` on (copies of) each case's arguments; stop at the first that runs too long."""
    outcomes: list[Outcome] = []
    for case_args in arg_tuples:
        args = fresh_args(case_args)
        before = [snapshot(a) for a in args]
        fp_errors: list[str] = []
        call = call_with_deadline(_watched(fn, fp_errors), args, float(timeout))
        if call.timed_out:
            running = where(call.error) if call.error is not None else None
            outcomes.append(Outcome("timeout", running=running or "", stuck=call.stuck))
            break
        if isinstance(call.error, NotImplementedError):
            outcomes.append(Outcome("todo"))
        elif call.error is not None:
            outcomes.append(Outcome("error", text=describe_error(call.error, signature)))
        elif changed := changed_inputs(arguments, before, args):
            outcomes.append(Outcome("changed", changed=changed))
        elif call.value is None:
            outcomes.append(Outcome("none"))
        else:
            outcomes.append(Outcome("value", value=plain(call.value), fp_errors=fp_errors))
    return outcomes
