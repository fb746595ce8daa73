"""Numbers as LaTeX, for the formulas that show the current values (``latex_numbers``).

Entries get four significant digits, and the entries of each matrix column are lined up on
their decimal point with ``\\phantom`` padding, so a column of numbers reads like a column of
numbers even though ``pmatrix`` centres its cells.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from contextlib import contextmanager

import numpy as np

__all__ = ["num", "pmatrix", "remembering"]

_TOP, _PRIME = r"\top", r"\prime"


def num(value: float, digits: int = 4) -> str:
    """One number with ``digits`` significant digits, as LaTeX (``1.5 \\times 10^{-7}``)."""
    if isinstance(value, float):  # the common case (pmatrix passes Python floats)
        x = value
    else:
        v = complex(value)
        if v.imag != 0:
            re, im = num(v.real, digits), num(abs(v.imag), digits)
            return rf"({re} {'-' if v.imag < 0 else '+'} {im}i)"
        x = v.real
    if x != x:
        return r"\mathrm{NaN}"
    if math.isinf(x):
        return r"\infty" if x > 0 else r"-\infty"
    text = f"{x:.{digits}g}"
    if text in ("-0", "0"):
        return "0"
    mantissa, _, exponent = text.partition("e")
    if exponent:
        return rf"{mantissa} \times 10^{{{int(exponent)}}}"
    return mantissa


def _split(cell: str) -> tuple[bool, str, str, str]:
    """(negative, integer digits, '.' + fraction, exponent suffix) of a :func:`num` string."""
    negative = cell.startswith("-")
    body = cell[1:] if negative else cell
    mantissa, times, exponent = body.partition(r" \times ")
    integer, dot, fraction = mantissa.partition(".")
    return negative, integer, dot + fraction, (times + exponent) if times else ""


def _aligned_column(cells: list[str]) -> list[str]:
    if any(not c[:1].isdigit() and not c.startswith("-") for c in cells):
        return cells  # NaN, ∞ or complex: leave as they are
    parts = [_split(c) for c in cells]
    signed = any(p[0] for p in parts)
    int_width = max(len(p[1]) for p in parts)
    frac_width = max(len(p[2]) for p in parts)
    out = []
    for negative, integer, fraction, exponent in parts:
        left = "-" if negative else (r"\phantom{-}" if signed else "")
        if len(integer) < int_width:
            left += r"\phantom{" + "0" * (int_width - len(integer)) + "}"
        right = ""
        if len(fraction) < frac_width:
            missing = frac_width - len(fraction)
            right = r"\phantom{" + ("." + "0" * (missing - 1) if not fraction else "0" * missing)
            right += "}"
        out.append(left + integer + fraction + right + exponent)
    return out


def pmatrix(values: np.ndarray, digits: int = 4) -> str:
    """A ``pmatrix`` of the numbers in ``values``; a 1-D array is shown as a column.

    Inside :func:`remembering`, the text of a numeric array is written once for its values.
    """
    a = np.asarray(values)
    if a.ndim == 0:
        return num(a.item(), digits)
    if _memo is not None and a.dtype.kind in "biufc":
        key = (a.shape, a.dtype.str, a.tobytes(), digits)
        text = _memo.get(key)
        if text is None:
            text = _memo[key] = _pmatrix(a, digits)
        return text
    return _pmatrix(a, digits)


_memo: dict | None = None


@contextmanager
def remembering(memo: dict | None = None) -> Iterator[None]:
    """Within this block, :func:`pmatrix` writes each numeric array once for its values.

    The steps of one scene write the same arrays several times (z⁽ℓ⁻¹⁾ in the forward pass, in
    (C3) and in the chain; Δ⁽ℓ⁾ in the chain and in the Δ recursion). The texts are forgotten
    when the outermost block ends (the next scene is written afresh), unless the caller keeps
    them in its own ``memo`` for a later block of the same scene.
    """
    global _memo
    outer = _memo
    if outer is None:
        _memo = {} if memo is None else memo
    try:
        yield
    finally:
        _memo = outer


def _pmatrix(a: np.ndarray, digits: int) -> str:
    if a.ndim == 1:
        a = a.reshape(-1, 1)
    columns = [_aligned_column([num(v, digits) for v in col]) for col in a.T.tolist()]
    rows = [" & ".join(col[i] for col in columns) for i in range(a.shape[0])]
    return r"\begin{pmatrix} " + r" \\ ".join(rows) + r" \end{pmatrix}"


def _sup(layer: int | None, shift: int = 0, mark: str = "") -> str:
    """The LaTeX superscript ``^{(ℓ + shift) mark}`` (mark: a prime or a transpose), or just
    the mark when the layer is unknown."""
    if layer is None:
        return f"^{{{mark}}}" if mark else ""
    return f"^{{({layer + shift}){mark}}}"
