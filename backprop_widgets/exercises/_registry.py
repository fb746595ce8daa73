"""Exercises as data: :func:`define`, the registry, and per-student variants.

An exercise is a reference function and a function ``cases(rng)`` that makes the arguments of its
test cases. ``rng`` is a :class:`numpy.random.Generator` seeded by the exercise's id and the
*variant* (a student id, say), so one variant always gives the same cases and two variants give
different ones. The built-in bank (:mod:`._bank`) is made with :func:`define` too.
"""

from __future__ import annotations

import hashlib
import inspect
import numbers
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ._feedback import ATOL, RTOL
from ._sandbox import fresh_args, where

__all__ = [
    "Case",
    "Exercise",
    "define",
    "fresh_args",
    "get_exercise",
    "get_variant",
    "resolve_variant",
    "set_variant",
    "variant_rng",
]

Variant = int | str | None


class _Unset:
    def __repr__(self) -> str:
        return "<the notebook's variant>"


#: The default of every ``variant=`` keyword: the notebook's variant (see :func:`set_variant`).
UNSET: Any = _Unset()

_EXERCISES: dict[str, Exercise] = {}
_variant: Variant = None


@dataclass(frozen=True)
class Case:
    """One call of the student's function: its arguments, the reference answer, a label."""

    args: tuple[Any, ...]
    expected: Any
    label: str


@dataclass(frozen=True, eq=False)
class Exercise:
    """One exercise: what to write, its reference, and how its cases are made.

    Made by :func:`define`; read by :func:`~backprop_widgets.exercises.check`.
    """

    id: str
    title: str
    name: str  # the function name check_all looks for
    signature: str
    arguments: tuple[str, ...]
    reference: Callable[..., Any]
    cases: Callable[[np.random.Generator], Sequence[tuple[Any, ...]]]
    statement: str = ""
    rtol: float = RTOL
    atol: float = ATOL
    item: str = "entry {}"
    #: An answer may be an Activation, whose σ′ (``.df``) is then checked.
    accepts_activation: bool = False
    #: (hint, wrong answer) pairs: a hint shown when every wrong case matches that answer.
    mistakes: tuple[tuple[str, Callable[..., Any]], ...] = ()
    #: Dotted names switched off while a submission is graded in a fresh process.
    blocked: tuple[str, ...] = ()
    builtin: bool = False

    def __repr__(self) -> str:
        return f"{self.id}: {self.title} — {self.signature}"

    def make_cases(self, variant: Variant = None) -> list[Case]:
        """The cases of ``variant`` with their reference answers (computed on fresh copies)."""
        arg_lists = _case_arguments(self.cases, variant_rng(self.id, variant), self.id)
        return [
            Case(
                args,
                call_reference(self.reference, args, variant),
                case_label(self.arguments, args),
            )
            for args in arg_lists
        ]


# --------------------------------------------------------------------------- variants


def _check_variant(variant: object) -> Variant:
    if variant is None or isinstance(variant, str):
        return variant
    if isinstance(variant, numbers.Integral) and not isinstance(variant, bool):
        return int(variant)
    raise TypeError(
        "variant: expected a student id (a string or an integer) or None, "
        f"got {type(variant).__name__}"
    )


def set_variant(variant: Variant) -> None:
    """Make ``variant`` the default of every check in this notebook (``None``: the shared one).

    A variant changes the cases of every exercise and the mystery network, never what is
    checked. The same variant always gives the same cases, in any process.
    """
    global _variant
    _variant = _check_variant(variant)


def get_variant() -> Variant:
    """The notebook's variant, as set by :func:`set_variant` (``None`` until then)."""
    return _variant


def resolve_variant(variant: object) -> Variant:
    """``variant`` itself, or the notebook's when it is :data:`UNSET`."""
    return _variant if variant is UNSET else _check_variant(variant)


def variant_seed(key: str, variant: Variant) -> int:
    """A 64-bit seed from ``key`` and the variant; the same in every process and platform."""
    tag = "shared" if variant is None else f"v:{variant}"
    digest = hashlib.sha256(f"backprop-widgets/{key}/{tag}".encode()).digest()
    return int.from_bytes(digest[:8], "little")


def variant_rng(key: str, variant: Variant) -> np.random.Generator:
    """The generator ``cases(rng)`` receives for exercise ``key`` and ``variant``."""
    return np.random.default_rng(variant_seed(key, variant))


# --------------------------------------------------------------------------- cases and labels


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


# --------------------------------------------------------------------------- define


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


def define(
    id: str,
    reference: Callable[..., Any],
    cases: Callable[[np.random.Generator], Sequence[tuple[Any, ...]]],
    *,
    title: str = "",
    signature: str | None = None,
    rtol: float = RTOL,
    atol: float = ATOL,
    statement: str = "",
    item: str = "entry {}",
    accepts_activation: bool = False,
    mistakes: Mapping[str, Callable[..., Any]] | None = None,
    blocked: Sequence[str] = (),
    _builtin: bool = False,
) -> Exercise:
    """Define an exercise; ``check(id, f)`` then checks a student's ``f`` against ``reference``.

    Parameters
    ----------
    id : str
        A short name such as ``"hw2_tanh"`` (case-insensitive). A built-in id (``"q1"`` …)
        cannot be taken; defining an id again replaces that exercise.
    reference : callable
        The right answer: called with the arguments of each case, it returns a number, a numpy
        array, or a list of arrays. One whose answer depends on the variant beyond the cases
        (a parameter of a mystery function, say) takes a keyword-only argument ``variant``.
    cases : callable
        ``cases(rng)`` returns a list of argument tuples, each passed to the function as
        positional arguments. ``rng`` is a :class:`numpy.random.Generator` seeded by the
        variant; draw every random number from it.
    title : str
        A few words shown with every check (the function's name by default).
    signature : str, optional
        What the student writes, e.g. ``"dtanh(u) -> array like u"``; by default the
        reference's own name and parameters. Its name is what :func:`check_all` looks for.
    rtol, atol : float
        An entry agrees when ``|got − expected| ≤ atol·max(1, max|expected|) + rtol·|expected|``.
    statement : str
        One line of what to compute (shown by :func:`list_exercises`).
    item : str
        How one array of a list answer is named, e.g. ``"∂E/∂W({})"`` (1-based).
    accepts_activation : bool
        Accept an :class:`~backprop_widgets.Activation` and check its σ′ (``.df``).
    mistakes : mapping of str to callable, optional
        Known wrong answers: ``{hint: wrong_function}``. When every failing case matches
        ``wrong_function`` the hint is shown, e.g. "this is σ itself, not σ′".
    blocked : sequence of str
        Dotted names (``"backprop_widgets.network.MLP.gradients"``) switched off while a
        submission for this exercise is graded in a fresh process.

    Returns
    -------
    Exercise

    Raises
    ------
    ValueError
        When the reference raises or gives NaN or inf on one of its own cases, when the cases
        are not the same for the same seed, or when an argument is malformed.
    """
    if not isinstance(id, str) or not id.strip() or any(c.isspace() for c in id.strip()):
        raise ValueError(f"id: expected a short name without spaces, such as 'hw1', got {id!r}")
    key = id.strip().lower()
    if key in _EXERCISES and _EXERCISES[key].builtin and not _builtin:
        raise ValueError(f"id: {key!r} is a built-in exercise; choose another id")
    if not callable(reference):
        raise TypeError(f"reference: expected a function, got {type(reference).__name__}")
    if not callable(cases):
        raise TypeError(
            f"cases: expected a function cases(rng) returning a list of argument tuples, "
            f"got {type(cases).__name__}"
        )
    if signature is None:
        signature = _signature_of(reference)
    elif not isinstance(signature, str):
        raise TypeError(f"signature: expected a string, got {type(signature).__name__}")
    name, arguments = _parse_signature(signature)
    for text, argument in ((title, "title"), (statement, "statement"), (item, "item")):
        if not isinstance(text, str):
            raise TypeError(f"{argument}: expected a string, got {type(text).__name__}")
    pairs: list[tuple[str, Callable[..., Any]]] = []
    for hint, wrong in (mistakes or {}).items():
        if not isinstance(hint, str) or not callable(wrong):
            raise TypeError("mistakes: expected a dict {hint text: wrong answer function}")
        pairs.append((hint, wrong))
    if isinstance(blocked, str) or not all(isinstance(b, str) for b in blocked):
        raise TypeError("blocked: expected a list of dotted names")
    ex = Exercise(
        id=key,
        title=title or name,
        name=name,
        signature=signature,
        arguments=arguments,
        reference=reference,
        cases=cases,
        statement=statement,
        rtol=_tolerance(rtol, "rtol"),
        atol=_tolerance(atol, "atol"),
        item=item,
        accepts_activation=bool(accepts_activation),
        mistakes=tuple(pairs),
        blocked=tuple(blocked),
        builtin=_builtin,
    )
    _validate(ex)
    _EXERCISES[key] = ex
    return ex


def get_exercise(exercise_id: object) -> Exercise:
    """The exercise with this id (``" Q3 "`` finds ``"q3"``)."""
    if isinstance(exercise_id, Exercise):
        return exercise_id
    if not isinstance(exercise_id, str):
        raise TypeError(
            f"exercise_id: expected a string such as 'q1', got {type(exercise_id).__name__}"
        )
    key = exercise_id.strip().lower()
    if key not in _EXERCISES:
        raise ValueError(
            f"exercise_id: unknown exercise {exercise_id!r}; the exercises are "
            f"{', '.join(_EXERCISES)}"
        )
    return _EXERCISES[key]


def all_exercises() -> list[Exercise]:
    """Every exercise defined so far, in the order defined."""
    return list(_EXERCISES.values())
