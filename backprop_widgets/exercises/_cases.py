"""Cases: the arguments ``cases(rng)`` made, the reference's answer on them, and their label.

A case is one call of the student's function. Its arguments come from the exercise's
``cases(rng)``; its expected answer from the reference, called on fresh copies (and with
``variant=`` when the reference asks for it); its label says what the arguments are made of,
never what the answer is.
"""

from __future__ import annotations

import inspect
import numbers
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ._sandbox import fresh_args
from ._variants import Variant

__all__ = ["Case", "call_reference", "case_label", "takes_variant"]


@dataclass(frozen=True)
class Case:
    """One call of the student's function: its arguments, the reference answer, a label."""

    args: tuple[Any, ...]
    expected: Any
    label: str


def takes_variant(fn: Callable[..., Any]) -> bool:
    """Whether ``fn`` has a keyword-only parameter ``variant``."""
    try:
        parameter = inspect.signature(fn).parameters.get("variant")
    except (TypeError, ValueError):
        return False
    return parameter is not None and parameter.kind is parameter.KEYWORD_ONLY


def call_reference(fn: Callable[..., Any], args: tuple[Any, ...], variant: Variant) -> Any:
    """``fn`` on fresh copies of ``args``, with ``variant=`` when it asks for it.

    numpy's floating-point warnings are silenced: a NaN in the answer is what counts.
    """
    with np.errstate(all="ignore"):
        if takes_variant(fn):
            return fn(*fresh_args(args), variant=variant)
        return fn(*fresh_args(args))


def _case_arguments(
    cases: Callable[[np.random.Generator], Any], rng: np.random.Generator, exercise_id: str
) -> list[tuple[Any, ...]]:
    made = cases(rng)
    if not isinstance(made, (list, tuple)) or not made:
        raise ValueError(
            f"cases of {exercise_id!r}: cases(rng) must return a non-empty list of argument "
            f"tuples, got {type(made).__name__}"
            + (" (empty)" if isinstance(made, (list, tuple)) else "")
        )
    for k, args in enumerate(made):
        if not isinstance(args, tuple):
            raise TypeError(
                f"cases of {exercise_id!r}: case {k + 1} is a {type(args).__name__}, not a tuple "
                "of arguments; a function of one argument u needs (u,)"
            )
    return list(made)


def _shape_of(a: Any) -> str | None:
    return f"of shape {tuple(a.shape)}" if isinstance(a, np.ndarray) else None


#: Argument names whose columns are samples: a 2-D one makes the case "a batch".
_SAMPLES = {"x", "y", "z", "z_L", "delta", "delta_next"}


def case_label(names: Sequence[str], args: tuple[Any, ...]) -> str:
    """``"z, y of shape (3, 4), layer = 2"``: what a case is made of (never an answer)."""
    parts: list[tuple[list[str], str]] = []
    for name, a in zip(names, args, strict=False):
        shape = _shape_of(a)
        if shape is not None:
            if parts and parts[-1][1] == shape:
                parts[-1][0].append(name)
            else:
                parts.append(([name], shape))
            continue
        sizes = getattr(a, "sizes", None)
        if sizes is not None:
            spec = getattr(a, "activation_spec", None)
            acts = f", activations {spec()}" if callable(spec) else ""
            acts += ", with biases" if getattr(a, "has_bias", False) else ""
            parts.append(([name], f": a network {list(sizes)}{acts}"))
        elif isinstance(a, numbers.Real):
            parts.append(([name], f" = {a}"))
        else:
            parts.append(([name], f": a {type(a).__name__}"))
    text = ", ".join(
        ", ".join(n) + (f" {desc}" if desc.startswith("of") else desc) for n, desc in parts
    )
    batch = next(
        (
            a.shape[1]
            for name, a in zip(names, args, strict=False)
            if name in _SAMPLES and isinstance(a, np.ndarray) and a.ndim == 2
        ),
        None,
    )
    return text if batch is None else f"a batch of {batch} columns, {text}"
