"""Exercises as data: :func:`define`, and the registry it fills.

An exercise is a reference function and a function ``cases(rng)`` that makes the arguments of its
test cases. ``rng`` is a :class:`numpy.random.Generator` seeded by the exercise's id and the
*variant* (a student id, say; see :mod:`._variants`), so one variant always gives the same cases
and two variants give different ones. How a case is made is in :mod:`._cases`, what
:func:`define` refuses in :mod:`._definition`. The built-in bank (:mod:`._bank`) is made with
:func:`define` too.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ._cases import Case, _case_arguments, call_reference, case_label
from ._definition import _parse_signature, _signature_of, _tolerance, _validate
from ._feedback import ATOL, RTOL
from ._sandbox import fresh_args
from ._variants import Variant, get_variant, resolve_variant, set_variant, variant_rng

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

_EXERCISES: dict[str, Exercise] = {}


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
