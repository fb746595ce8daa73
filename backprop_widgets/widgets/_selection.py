"""The one (ℓ, i, j) rule: which entry w⁽ℓ⁾ᵢⱼ of which W⁽ℓ⁾ a widget may select.

In Python (the ``selected`` trait of the explorer and of the diagram) an entry is
``(ℓ, i, j)`` with the layer ℓ counted from 1, as in the text, and the row i and column j
counted from 0, as numpy indexes ``W[i, j]``. On screen the same entry is w⁽ℓ⁾ with i + 1 and
j + 1 (``js/lib/indices.js`` writes it), and the 0-based pair appears only as
"Python index [i, j]".

A bias entry b⁽ℓ⁾ᵢ (a network with biases) is ``("b", ℓ, i)``: the letter first, so that it
can never be read as a weight, ℓ from 1 and i from 0 (numpy's ``b[i]``); on screen b⁽ℓ⁾ with
i + 1.
"""

from __future__ import annotations

import numbers
from collections.abc import Sequence

import numpy as np
from traitlets import TraitError

__all__ = [
    "SelectionTypeError",
    "SelectionValueError",
    "check_bias_selected",
    "check_selected",
]


class SelectionValueError(TraitError, ValueError):
    """A refused entry (a ValueError; a TraitError so traitlets keeps the old value)."""


class SelectionTypeError(TraitError, TypeError):
    """A refused type (a TypeError; a TraitError so traitlets keeps the old value)."""


def check_selected(value: object, sizes: Sequence[int]) -> tuple[int, int, int] | None:
    """``(ℓ, i, j)`` as a tuple of ints, or None (``None`` or ``[]`` clear the selection).

    Parameters
    ----------
    value : (ℓ, i, j), list, None or []
        ℓ in 1..L; 0 ≤ i < n(ℓ) and 0 ≤ j < n(ℓ−1) (numpy indices of W⁽ℓ⁾).
    sizes : [n(0), …, n(L)]

    Raises
    ------
    SelectionTypeError, SelectionValueError
        Naming ``selected`` and what is allowed.
    """
    if value is None or (isinstance(value, (list, tuple)) and len(value) == 0):
        return None
    sizes = [int(n) for n in sizes]
    L = len(sizes) - 1
    allowed = (
        f"None or (ℓ, i, j) with ℓ in 1..{L}, 0 ≤ i < n(ℓ), 0 ≤ j < n(ℓ−1) (Python indices "
        f"of W(ℓ), counted from 0) for sizes {sizes}"
    )
    if (
        not isinstance(value, (list, tuple, np.ndarray))
        or len(value) != 3
        or any(isinstance(t, bool | np.bool_) or not isinstance(t, numbers.Integral) for t in value)
    ):
        raise SelectionTypeError(f"selected: expected {allowed}, got {value!r}")
    ell, i, j = (int(t) for t in value)
    if not 1 <= ell <= L:
        raise SelectionValueError(
            f"selected: expected {allowed}; got {(ell, i, j)}: layer ℓ={ell} does not exist"
        )
    rows, cols = sizes[ell], sizes[ell - 1]
    if not (0 <= i < rows and 0 <= j < cols):
        raise SelectionValueError(
            f"selected: expected {allowed}; got {(ell, i, j)}: W({ell}) has shape "
            f"({rows}, {cols}), so row i must be in 0..{rows - 1} and column j in 0..{cols - 1}"
        )
    return (ell, i, j)


def check_bias_selected(value: object, sizes: Sequence[int], bias: bool) -> tuple[str, int, int]:
    """``("b", ℓ, i)``: the bias entry b⁽ℓ⁾ᵢ (ℓ in 1..L, 0 ≤ i < n(ℓ)) of a network with biases.

    Raises
    ------
    SelectionTypeError, SelectionValueError
        Naming ``selected`` and what is allowed (also when the network has no biases).
    """
    sizes = [int(n) for n in sizes]
    L = len(sizes) - 1
    allowed = (
        f'("b", ℓ, i) with ℓ in 1..{L} and 0 ≤ i < n(ℓ) (the Python index of b(ℓ), counted '
        f"from 0) for sizes {sizes}"
    )
    if not bias:
        raise SelectionValueError(
            f"selected: {value!r} is a bias entry, but this network has no biases (turn bias on)"
        )
    if (
        not isinstance(value, (list, tuple))
        or len(value) != 3
        or any(
            isinstance(t, bool | np.bool_) or not isinstance(t, numbers.Integral) for t in value[1:]
        )
    ):
        raise SelectionTypeError(f"selected: expected {allowed}, got {value!r}")
    ell, i = int(value[1]), int(value[2])
    if not 1 <= ell <= L:
        raise SelectionValueError(f"selected: expected {allowed}; layer ℓ={ell} does not exist")
    if not 0 <= i < sizes[ell]:
        raise SelectionValueError(
            f"selected: expected {allowed}; b({ell}) has {sizes[ell]} entries, so i must be in "
            f"0..{sizes[ell] - 1}"
        )
    return ("b", ell, i)
