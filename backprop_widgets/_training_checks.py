"""The argument checks of a training run's settings: the data parts (shapes that fit the
network), the learning rate, the batch size, the momentum and the weight decay. Each message
names the argument and says what is allowed.

Plain numpy; internal (:class:`~backprop_widgets.training.GradientDescent` and the trainer
widget call these; re-exported from :mod:`backprop_widgets.training`).
"""

from __future__ import annotations

import numbers

import numpy as np

from ._checks import as_float_array
from .network import MLP

__all__ = ["check_batch_size", "check_lr"]


def _check_part(
    net: MLP, X: object, Y: object, xname: str, yname: str
) -> tuple[np.ndarray, np.ndarray]:
    XX = as_float_array(X, argument=xname)
    YY = as_float_array(Y, argument=yname)
    n0, nL = net.sizes[0], net.sizes[-1]
    if XX.ndim == 1 and n0 == 1:
        XX = XX[None, :]
    if YY.ndim == 1 and nL == 1:
        YY = YY[None, :]
    if XX.ndim != 2 or XX.shape[0] != n0:
        raise ValueError(
            f"{xname}: expected shape ({n0}, N), one column per sample (n(0) = {n0}), got "
            f"shape {XX.shape}"
        )
    if XX.shape[1] < 1:
        raise ValueError(f"{xname}: needs at least one sample (column)")
    if YY.ndim != 2 or YY.shape != (nL, XX.shape[1]):
        raise ValueError(
            f"{yname}: expected shape ({nL}, {XX.shape[1]}) to match {xname} ({XX.shape[1]} "
            f"samples; n(L) = {nL}), got shape {YY.shape}"
        )
    return np.ascontiguousarray(XX), np.ascontiguousarray(YY)


def check_lr(value: object) -> float:
    """A learning rate: a finite number > 0."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not np.isfinite(value):
        raise TypeError(f"lr: expected a positive number, got {value!r}")
    if value <= 0:
        raise ValueError(f"lr: the learning rate must be > 0, got {value}")
    return float(value)


def check_batch_size(value: object, n: int) -> int | None:
    """None (full batch) or an integer from 1 to the number of training samples."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(
            f"batch_size: expected None (full batch) or an integer from 1 to {n}, got {value!r}"
        )
    if not 1 <= value <= n:
        raise ValueError(
            f"batch_size: must be from 1 to the {n} training samples (or None for full "
            f"batch), got {value}"
        )
    return int(value)


def _check_unit_interval(value: object, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not 0 <= value < 1:
        raise ValueError(f"{name}: expected a number in [0, 1), got {value!r}")
    return float(value)


def _check_nonnegative(value: object, name: str) -> float:
    if (
        isinstance(value, bool)
        or not isinstance(value, numbers.Real)
        or not np.isfinite(value)
        or value < 0
    ):
        raise ValueError(f"{name}: expected a finite number ≥ 0, got {value!r}")
    return float(value)
