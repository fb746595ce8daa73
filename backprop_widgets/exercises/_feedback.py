"""Feedback on a student's answer: comparison with the reference, and how it is shown.

Used by :mod:`backprop_widgets.exercises`. The rule everything here follows: a message may say
what the student gave (a type, a shape, a value of theirs), where it is wrong (indices) and by
how much (the size of the difference), but never the expected value itself.
"""

from __future__ import annotations

import html
import numbers
from dataclasses import dataclass, field
from typing import Any

import numpy as np

__all__ = ["CheckResult", "Mismatch", "compare"]

RTOL = 1e-6
ATOL = 1e-9
_MAX_LISTED = 5  # entries listed by index in a message
_MAX_HEATMAP = 24  # rows and columns of the difference heatmap


@dataclass
class Mismatch:
    """One way an answer is wrong. ``pairs`` holds (expected, got) for the pattern hints."""

    text: str
    errors: np.ndarray | None = None  # |got − expected|, for the heatmap
    pairs: tuple[np.ndarray, np.ndarray] | None = None


def _fmt(x: float) -> str:
    return f"{x:.1e}"


def _shape_text(shape: tuple[int, ...]) -> str:
    return "a single number" if shape == () else f"an array of shape {shape}"


def _type_name(value: Any) -> str:
    return str(getattr(value, "type_name", "")) or type(value).__name__


def _as_number(got: Any, what: str) -> float | Mismatch:
    if isinstance(got, (bool, np.bool_)):
        return Mismatch(f"{what} should be a number (a float), got a bool ({got}).")
    if isinstance(got, numbers.Real):
        return float(got)
    if isinstance(got, numbers.Complex):
        return Mismatch(f"{what} should be a real number, got a complex number.")
    if isinstance(got, np.ndarray):
        if got.shape == () and (
            np.issubdtype(got.dtype, np.floating) or np.issubdtype(got.dtype, np.integer)
        ):
            return float(got)
        if got.size == 1 and np.issubdtype(got.dtype, np.number):
            return Mismatch(
                f"{what} should be a single number, got an array of shape {got.shape}; "
                "take the number out of it with float(...) or .item()."
            )
        return Mismatch(f"{what} should be a single number, got {_shape_text(got.shape)}.")
    return Mismatch(f"{what} should be a number (a float), got {_type_name(got)}.")


def _as_array(got: Any, what: str) -> np.ndarray | Mismatch:
    if isinstance(got, (str, bytes, dict, set)) or callable(got):
        return Mismatch(f"{what} should be a numpy array, got {_type_name(got)}.")
    try:
        arr = np.asarray(got)
    except Exception:
        return Mismatch(f"{what} should be a numpy array, got {_type_name(got)}.")
    if arr.dtype == object or not (
        np.issubdtype(arr.dtype, np.number) or np.issubdtype(arr.dtype, np.bool_)
    ):
        return Mismatch(
            f"{what} should be a numpy array of numbers, got {_type_name(got)} "
            f"with dtype {arr.dtype}."
        )
    if np.iscomplexobj(arr):
        return Mismatch(f"{what} should hold real numbers, got complex ones.")
    if np.issubdtype(arr.dtype, np.bool_):
        return Mismatch(f"{what} should hold numbers, got booleans (True/False).")
    return arr.astype(np.float64)


def _index_text(index: tuple[int, ...]) -> str:
    return str(index[0]) if len(index) == 1 else str(index)


def _nonfinite(arr: np.ndarray, what: str) -> Mismatch | None:
    bad = ~np.isfinite(arr)
    if not bad.any():
        return None
    if arr.ndim == 0:
        return Mismatch(f"{what} is {'NaN' if np.isnan(arr) else 'infinite'}.")
    where = [tuple(int(i) for i in ix) for ix in np.argwhere(bad)[:_MAX_LISTED]]
    kinds = "NaN" if np.isnan(arr[bad]).all() else "NaN or inf"
    listed = ", ".join(_index_text(w) for w in where)
    more = "" if bad.sum() <= _MAX_LISTED else f" and {int(bad.sum()) - _MAX_LISTED} more"
    return Mismatch(f"{what} contains {kinds} at index {listed}{more}.")


def _scale(expected: np.ndarray) -> float:
    return max(1.0, float(np.max(np.abs(expected)))) if expected.size else 1.0


def _tol(expected: np.ndarray, rtol: float, atol: float) -> np.ndarray:
    return atol * _scale(expected) + rtol * np.abs(expected)


def compare_arrays(
    expected: np.ndarray, got: Any, what: str, rtol: float = RTOL, atol: float = ATOL
) -> Mismatch | None:
    """Compare an array answer; ``None`` when it agrees to within ``rtol`` / ``atol``."""
    arr = _as_array(got, what)
    if isinstance(arr, Mismatch):
        return arr
    if arr.shape != expected.shape:
        hint = ""
        if expected.ndim == 2 and arr.shape == expected.shape[::-1]:
            hint = " It looks transposed."
        elif arr.size == expected.size and arr.size > 1:
            hint = " It has the right number of entries: check how it is arranged."
        return Mismatch(
            f"{what} should be {_shape_text(expected.shape)}, got {_shape_text(arr.shape)}.{hint}"
        )
    bad = _nonfinite(arr, what)
    if bad is not None:
        return bad
    err = np.abs(arr - expected)
    wrong = err > _tol(expected, rtol, atol)
    if not wrong.any():
        return None
    pairs = (expected.ravel(), arr.ravel())
    if expected.ndim == 0:
        return Mismatch(f"{what} is off by {_fmt(float(err))}.", None, pairs)
    count = int(wrong.sum())
    listed = [tuple(int(i) for i in ix) for ix in np.argwhere(wrong)]
    listed.sort(key=lambda ix: -err[ix])
    parts = ", ".join(f"{_index_text(ix)} (off by {_fmt(float(err[ix]))})" for ix in listed[:5])
    more = "" if count <= _MAX_LISTED else f", and {count - _MAX_LISTED} more"
    text = f"{what}: {count} of {expected.size} entries differ — at index {parts}{more}."
    if expected.ndim == 2 and expected.shape[0] == expected.shape[1] and expected.shape[0] > 1:
        if np.all(np.abs(arr - expected.T) <= _tol(expected, rtol, atol)):
            text += " It looks transposed."
    return Mismatch(text, err if expected.ndim <= 2 else None, pairs)


def compare_number(
    expected: float, got: Any, what: str, rtol: float = RTOL, atol: float = ATOL
) -> Mismatch | None:
    """Compare a scalar answer."""
    value = _as_number(got, what)
    if isinstance(value, Mismatch):
        return value
    if not np.isfinite(value):
        return Mismatch(f"{what} is {'NaN' if np.isnan(value) else 'infinite'}.")
    err = abs(value - expected)
    if err <= atol * max(1.0, abs(expected)) + rtol * abs(expected):
        return None
    return Mismatch(
        f"{what} is off by {_fmt(err)}.", None, (np.array([expected]), np.array([value]))
    )


def compare_list(
    expected: list[np.ndarray],
    got: Any,
    what: str,
    item: str,
    rtol: float = RTOL,
    atol: float = ATOL,
) -> Mismatch | None:
    """Compare a list of arrays, one per layer ℓ = 1..L; ``item`` names one, e.g. ``∂E/∂W({})``."""
    if isinstance(got, np.ndarray) or not isinstance(got, (list, tuple)):
        return Mismatch(
            f"{what} should be a list of {len(expected)} arrays (one per layer), "
            f"got {_type_name(got)}."
        )
    if len(got) != len(expected):
        return Mismatch(
            f"{what} should be a list of {len(expected)} arrays (one per layer "
            f"ℓ = 1..{len(expected)}), got {len(got)}."
        )
    shapes = [np.shape(g) for g in got]
    if len(expected) > 1 and any(s != e.shape for s, e in zip(shapes, expected, strict=True)):
        transposed = all(s == e.shape[::-1] for s, e in zip(shapes, expected, strict=True))
        reversed_ = all(s == e.shape for s, e in zip(shapes[::-1], expected, strict=True))
        if reversed_ and not transposed:
            return Mismatch(
                f"{what}: the shapes fit the layers in reverse order; entry 0 should be "
                f"{item.format(1)}, the last {item.format(len(expected))}."
            )
    for k, (exp, g) in enumerate(zip(expected, got, strict=True)):
        bad = compare_arrays(exp, g, f"{what}[{k}] ({item.format(k + 1)})", rtol, atol)
        if bad is not None:
            return bad
    return None


def compare(
    expected: Any,
    got: Any,
    what: str,
    item: str = "entry {}",
    rtol: float = RTOL,
    atol: float = ATOL,
) -> Mismatch | None:
    """Dispatch on the kind of the expected answer."""
    if isinstance(expected, list):
        return compare_list(expected, got, what, item, rtol, atol)
    if isinstance(expected, np.ndarray):
        return compare_arrays(expected, got, what, rtol, atol)
    return compare_number(float(expected), got, what, rtol, atol)


def pattern_hint(pairs: list[tuple[np.ndarray, np.ndarray]]) -> str | None:
    """A hint from every wrong case together: the wrong sign, or a constant factor off."""
    if not pairs:
        return None
    exp = np.concatenate([p[0] for p in pairs])
    got = np.concatenate([p[1] for p in pairs])
    norm = float(exp @ exp)
    if norm == 0.0 or exp.size < 2:
        return None
    c = float(exp @ got) / norm
    tol = 1e-6 * max(1.0, float(np.max(np.abs(exp))))
    if not np.all(np.abs(got - c * exp) <= tol + 1e-6 * np.abs(c * exp)):
        return None
    if abs(c + 1.0) < 1e-6:
        return "In every case that differs, your answer has the wrong sign."
    if abs(c) < 1e-12:
        return None
    return (
        f"In every case that differs, your answer is a constant multiple (about {c:.3g}×) of "
        "the expected one: is a factor missing or extra (a ½, a 2, a chain-rule factor)?"
    )


# --------------------------------------------------------------------------- the result


@dataclass
class CheckResult:
    """The outcome of :func:`backprop_widgets.exercises.check`.

    ``status`` is ``"pass"``, ``"fail"``, or ``"todo"`` (the function still raises
    ``NotImplementedError``). ``bool(result)`` is ``result.passed``. In a notebook it shows as a
    green or red box; ``print(result)`` gives the same as text.
    """

    exercise_id: str
    title: str
    status: str
    message: str
    details: list[str] = field(default_factory=list)
    errors: np.ndarray | None = None  # |got − expected| of the first wrong array answer
    errors_label: str = ""

    @property
    def passed(self) -> bool:
        return self.status == "pass"

    def __bool__(self) -> bool:
        return self.passed

    @property
    def verdict(self) -> str:
        return {"pass": "PASS", "todo": "NOT DONE YET"}.get(self.status, "FAIL")

    def __str__(self) -> str:
        lines = [f"{self.exercise_id} {self.title}: {self.verdict} — {self.message}"]
        lines += [f"  • {d}" for d in self.details]
        return "\n".join(lines)

    __repr__ = __str__

    def _repr_html_(self) -> str:
        colour = {"pass": ("#e6f4ea", "#1e7e34"), "todo": ("#fff8e1", "#b26a00")}.get(
            self.status, ("#fdecea", "#b71c1c")
        )
        e = html.escape
        items = "".join(f"<li>{e(d)}</li>" for d in self.details)
        heat = heatmap_html(self.errors, self.errors_label) if self.errors is not None else ""
        return (
            f'<div class="bw-check" data-exercise="{e(self.exercise_id)}" '
            f'data-status="{e(self.status)}" style="border-left:6px solid {colour[1]};'
            f"background:{colour[0]};padding:6px 10px;margin:4px 0;color:#222;"
            f'font-family:sans-serif;font-size:14px">'
            f'<b style="color:{colour[1]}">{e(self.verdict)}</b> '
            f"<b>{e(self.exercise_id)}</b> {e(self.title)} — {e(self.message)}"
            f"{f'<ul style=margin:4px 0>{items}</ul>' if items else ''}{heat}</div>"
        )


def heatmap_html(errors: np.ndarray, label: str) -> str:
    """A tiny table whose cells are shaded by |got − expected| (no values are written)."""
    err = np.atleast_2d(np.asarray(errors, dtype=np.float64))
    if err.shape[0] > _MAX_HEATMAP or err.shape[1] > _MAX_HEATMAP or err.size < 2:
        return ""
    top = float(err.max())
    if not np.isfinite(top) or top <= 0:
        return ""
    rows = []
    for i, row in enumerate(err):
        cells = []
        for j, v in enumerate(row):
            t = float(v) / top
            shade = f"rgb(255,{int(255 - 200 * t)},{int(255 - 200 * t)})"
            index = f"{j}" if errors.ndim == 1 else f"({i}, {j})"
            cells.append(
                f'<td title="index {index}: off by {_fmt(float(v))}" '
                f'style="width:14px;height:14px;padding:0;border:1px solid #ccc;'
                f'background:{shade}"></td>'
            )
        rows.append(f"<tr>{''.join(cells)}</tr>")
    caption = html.escape(f"where {label} differs (darker = larger difference)")
    return (
        f'<div style="margin-top:4px;font-size:12px">{caption}'
        f'<table style="border-collapse:collapse;margin-top:2px">{"".join(rows)}</table></div>'
    )
