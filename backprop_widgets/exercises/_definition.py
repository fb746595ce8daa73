"""Checking a definition before it is registered: its signature, tolerances and cases.

:func:`~backprop_widgets.exercises.define` refuses an exercise that would fail every student: a
signature it cannot read, a tolerance out of range, cases that differ for the same seed, or a
reference that raises or gives NaN or inf on one of its own cases. The helpers here say why.
"""

from __future__ import annotations

import inspect
import numbers
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import numpy as np

from ._cases import _case_arguments, call_reference, case_label
from ._sandbox import where
from ._variants import variant_rng

if TYPE_CHECKING:
    from ._registry import Exercise


_SIGNATURE = re.compile(r"^\s*([A-Za-z_]\w*)\s*\(([^)]*)\)")


def _parse_signature(signature: str) -> tuple[str, tuple[str, ...]]:
    m = _SIGNATURE.match(signature)
    if not m:
        raise ValueError(
            f"signature: expected the form 'name(a, b) -> what it returns', got {signature!r}"
        )
    names = []
    for part in m.group(2).split(","):
        part = part.split("=")[0].split(":")[0].strip().lstrip("*")
        if part:
            names.append(part)
    return m.group(1), tuple(names)


def _signature_of(reference: Callable[..., Any]) -> str:
    name = getattr(reference, "__name__", "")
    if not name.isidentifier():
        raise ValueError(
            "signature: the reference has no usable name (a lambda?); give "
            "signature='name(a, b) -> ...', the function the student writes"
        )
    params = [
        p.name
        for p in inspect.signature(reference).parameters.values()
        if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)
    ]
    return f"{name}({', '.join(params)})"


def _tolerance(value: object, argument: str) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{argument}: expected a number, got {type(value).__name__}")
    if not (np.isfinite(value) and 0 <= value < 1):
        raise ValueError(f"{argument}: expected a finite number in [0, 1), got {value}")
    return float(value)


def _finite_answer(value: Any) -> str | None:
    """Why ``value`` cannot be a reference answer, or None when it can."""
    if isinstance(value, list):
        if not value:
            return "an empty list"
        for k, v in enumerate(value):
            bad = _finite_answer(v)
            if bad is not None or isinstance(v, list):
                return f"a list whose item {k} is {bad or 'a list'}"
        return None
    if isinstance(value, bool) or value is None:
        return repr(value)
    if isinstance(value, numbers.Real):
        return None if np.isfinite(value) else f"{value} (not finite)"
    if isinstance(value, np.ndarray) and np.issubdtype(value.dtype, np.number):
        if np.iscomplexobj(value):
            return "a complex array"
        return None if np.all(np.isfinite(value)) else "an array with NaN or inf in it"
    return f"a {type(value).__name__} (expected a number, a numpy array or a list of arrays)"


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        return (
            isinstance(a, np.ndarray)
            and isinstance(b, np.ndarray)
            and a.shape == b.shape
            and bool(np.array_equal(a, b, equal_nan=True))
        )
    if isinstance(a, (list, tuple)):
        return (
            isinstance(b, (list, tuple))
            and len(a) == len(b)
            and all(_same(x, y) for x, y in zip(a, b, strict=True))
        )
    weights = getattr(a, "weights", None)
    if weights is not None:
        return _same(list(weights), list(getattr(b, "weights", [])))
    try:
        return bool(a == b)
    except Exception:
        return True


def _validate(ex: Exercise) -> None:
    """Refuse an exercise whose reference fails on its own cases, or whose cases are random."""
    prefix = f"define({ex.id!r})"
    try:
        first = _case_arguments(ex.cases, variant_rng(ex.id, None), ex.id)
        again = _case_arguments(ex.cases, variant_rng(ex.id, None), ex.id)
    except (TypeError, ValueError) as exc:
        raise type(exc)(f"{prefix}: {exc}") from None
    except Exception as exc:
        raise ValueError(
            f"{prefix}: cases(rng) raised {type(exc).__name__}: {exc} ({where(exc) or ''})"
        ) from None
    if len(first) != len(again) or not all(_same(a, b) for a, b in zip(first, again, strict=True)):
        raise ValueError(
            f"{prefix}: cases(rng) gave different cases for the same seed; draw every random "
            "number from rng (not np.random or the clock), so a variant always gives the same "
            "cases"
        )
    for k, args in enumerate(first):
        label = case_label(ex.arguments, args)
        if len(args) != len(ex.arguments):
            raise ValueError(
                f"{prefix}: case {k + 1} has {len(args)} arguments but the signature "
                f"{ex.signature!r} names {len(ex.arguments)}"
            )
        try:
            value = call_reference(ex.reference, args, None)
        except Exception as exc:
            place = where(exc)
            raise ValueError(
                f"{prefix}: the reference raised {type(exc).__name__}: {exc}"
                f"{f' ({place})' if place else ''} on case {k + 1} ({label}); an exercise whose "
                "reference fails would fail every student"
            ) from None
        bad = _finite_answer(value)
        if bad is not None:
            raise ValueError(
                f"{prefix}: the reference returned {bad} on case {k + 1} ({label}); a "
                "reference must give a finite answer on every one of its cases"
            )
