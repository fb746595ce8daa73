"""Homework with automatic checks: the built-in exercises, your own, variants, and grading.

A student writes a function, then calls ``check("q4", apply_C3)``. The check calls it on several
generated cases and compares with reference answers — never computed from the student's code.
The feedback says what is wrong (type, shape, which entries differ and by how much, a constant
factor, NaN, an exception and the line it came from, an input changed in place, a forgotten
``return``, a runaway loop) but never shows an expected value.

* :func:`define` makes an exercise from a reference function and ``cases(rng)``; the built-in
  bank (``q1`` …) is made the same way.
* :func:`set_variant` (a student id, say) changes every exercise's cases and the mystery
  network; the same variant always gives the same cases.
* :func:`assert_passes` is the check as a test (``AssertionError`` with the feedback), in this
  process. :func:`grade` is the graded form: the references and the comparison run in a fresh
  Python process the student's code cannot reach, and the student's function in another
  (see :mod:`backprop_widgets.exercises.grading` for exactly what that guarantees).

Limits: each call of the student's function gets ``timeout`` seconds (5 by default); a
pure-Python loop is stopped at the limit; see :mod:`._sandbox` for what cannot be stopped. This
package imports nothing from Jupyter, and importing it loads nothing until a name is used (a
graded submission's process imports parts of it without the references).

Examples
--------
>>> from backprop_widgets import exercises
>>> def apply_C3(H, z):
...     return H @ z
>>> exercises.check("q4", apply_C3).passed
True
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

# name -> the private module that holds it (loaded on first use)
_WHERE = {
    "CheckResult": "._feedback",
    "Exercise": "._registry",
    "define": "._registry",
    "get_exercise": "._registry",
    "get_variant": "._variants",
    "set_variant": "._variants",
    "ExerciseList": "._check",
    "Summary": "._check",
    "assert_passes": "._check",
    "check": "._check",
    "check_all": "._check",
    "example_inputs": "._check",
    "list_exercises": "._check",
    "mystery_activation": "._bank",
    "mystery_network": "._bank",
    "grade": ".grading",
}

__all__ = sorted(_WHERE)


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        import_module("._bank", __name__)  # the built-in exercises are always defined
        value = getattr(import_module(_WHERE[name], __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'backprop_widgets.exercises' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_WHERE))
