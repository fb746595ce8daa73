"""Argument checks shared by the core: one place says what a width, a layer number, a seed or
an array of numbers may be, and every message names the argument and what is allowed.

Plain numpy; internal (the public entry points call these).
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Sequence
from itertools import pairwise

import numpy as np

__all__ = [
    "MAX_UNITS",
    "MAX_WEIGHTS",
    "array_list",
    "as_float_array",
    "check_seed",
    "check_sizes",
    "layer_number",
]

#: The widest layer we accept. A teaching network never needs more, and a typo such as
#: ``[4, 80000]`` should be an error, not a frozen kernel.
MAX_UNITS = 4096
#: The most weights in one network (the sum of n(ℓ)·n(ℓ−1)).
MAX_WEIGHTS = 4_000_000


def check_sizes(sizes: object) -> tuple[int, ...]:
    """``[n(0), …, n(L)]``: at least two positive integer widths, within the size guards."""
    if isinstance(sizes, (str, bytes)) or not isinstance(sizes, Sequence | np.ndarray):
        raise TypeError(
            f"sizes: expected a list of layer widths [n(0), n(1), …, n(L)], "
            f"got {type(sizes).__name__}"
        )
    sizes = list(sizes)
    if len(sizes) < 2:
        raise ValueError(
            f"sizes: need at least two widths [n(0), n(1)] (an input and one layer), got {sizes}"
        )
    out = []
    for k, n in enumerate(sizes):
        if isinstance(n, bool) or not isinstance(n, numbers.Integral):
            raise TypeError(
                f"sizes[{k}]: each width n(ℓ) must be a positive integer, got {n!r} "
                f"({type(n).__name__})"
            )
        if n < 1:
            raise ValueError(f"sizes[{k}]: each width n(ℓ) must be at least 1, got {n}")
        if n > MAX_UNITS:
            raise ValueError(f"sizes[{k}]: each width n(ℓ) must be at most {MAX_UNITS}, got {n}")
        out.append(int(n))
    total = sum(a * b for a, b in pairwise(out))
    if total > MAX_WEIGHTS:
        raise ValueError(f"sizes: {out} has {total:,} weights; at most {MAX_WEIGHTS:,} are allowed")
    return tuple(out)


def as_float_array(value: object, *, argument: str, allow_complex: bool = False) -> np.ndarray:
    """A float64 copy of ``value``, refusing strings, objects, NaN and inf with a clear message."""
    if type(value) is np.ndarray and value.dtype == np.float64:
        arr = value.copy()  # the usual case, kept cheap: Σ x² is finite iff every x is (an
        if math.isfinite(np.vdot(arr, arr)):  # overflow falls through to the full check)
            return arr
    if isinstance(value, (str, bytes)):
        raise TypeError(f"{argument}: expected an array of numbers, got a string")
    try:
        arr = np.array(value, copy=True)
    except Exception as exc:
        raise TypeError(f"{argument}: expected an array of numbers ({exc})") from exc
    if arr.dtype == object or not (
        np.issubdtype(arr.dtype, np.number) or np.issubdtype(arr.dtype, np.bool_)
    ):
        raise TypeError(f"{argument}: expected an array of numbers, got dtype {arr.dtype}")
    if np.iscomplexobj(arr) and not allow_complex:
        raise TypeError(f"{argument}: expected real numbers, got complex values")
    arr = arr.astype(np.complex128 if np.iscomplexobj(arr) else np.float64)
    if not np.all(np.isfinite(arr)):
        bad = np.argwhere(~np.isfinite(arr))[0]
        where = tuple(int(b) for b in bad)
        raise ValueError(f"{argument}: must be finite, found {arr[where]} at index {where}")
    return arr


def array_list(
    value: object,
    shapes: Sequence[tuple[int, ...]],
    *,
    argument: str,
    symbol: str,
    what: str,
    hint: Sequence[str] = (),
    name_items: bool = True,
) -> tuple[np.ndarray, ...]:
    """One finite float64 array per layer, the k-th of shape ``shapes[k]`` (weights W⁽ℓ⁾,
    biases b⁽ℓ⁾, or directions H⁽ℓ⁾ and K⁽ℓ⁾ like them). A column (n, 1) counts as a vector
    (n,). Messages name ``argument[k] (symbol(k+1))`` (just ``argument[k]`` without
    ``name_items``) and the expected shape (and ``hint[k]``)."""
    L = len(shapes)
    if isinstance(value, np.ndarray) or not isinstance(value, Sequence):
        raise TypeError(
            f"{argument}: expected a list of {L} {what} {symbol}(1)..{symbol}({L}), "
            f"got {type(value).__name__}"
        )
    if len(value) != L:
        raise ValueError(
            f"{argument}: expected {L} {what} {symbol}(1)..{symbol}({L}), got {len(value)}"
        )
    out = []
    for k, (item, shape) in enumerate(zip(value, shapes, strict=True)):
        where = f"{argument}[{k}] ({symbol}({k + 1}))" if name_items else f"{argument}[{k}]"
        arr = as_float_array(item, argument=where)
        if len(shape) == 1 and arr.shape == (shape[0], 1):
            arr = arr.reshape(-1)
        if arr.shape != tuple(shape):
            extra = f" = {hint[k]}" if hint else ""
            raise ValueError(f"{where}: expected shape {tuple(shape)}{extra}, got {arr.shape}")
        out.append(arr)
    return tuple(out)


def check_seed(seed: object) -> int | None:
    """A seed for numpy's generator: a non-negative integer, or None."""
    if seed is None:
        return None
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral):
        raise TypeError(f"seed: expected an integer or None, got {seed!r}")
    if seed < 0:
        raise ValueError(f"seed: must be a non-negative integer, got {seed}")
    return int(seed)


def layer_number(layer: object, L: int, *, first: int = 1, argument: str = "layer") -> int:
    """A layer number ℓ in ``first``..L, counted from 1 as the text counts."""
    if isinstance(layer, bool) or not isinstance(layer, numbers.Integral):
        raise TypeError(f"{argument}: expected an integer ℓ in {first}..{L}, got {layer!r}")
    if not first <= layer <= L:
        raise ValueError(
            f"{argument}: ℓ must be in {first}..{L} (layers count from 1), got {layer}"
        )
    return int(layer)
