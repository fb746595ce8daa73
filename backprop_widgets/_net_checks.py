"""The argument checks of :class:`~backprop_widgets.network.MLP`: inputs, targets, activations,
weights and biases. Each message names the argument and says what is allowed.

Plain numpy; internal (the MLP's methods call these).
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import pairwise

import numpy as np

from ._checks import as_float_array
from .activations import Activation, LayerActivation, VectorActivation, build_layer
from .losses import Loss

__all__ = [
    "check_activations",
    "check_biases",
    "check_weights",
    "check_x",
    "check_y",
    "initial_weights",
    "zero_biases",
]


def check_x(sizes: tuple[int, ...], x: object, *, argument: str = "x") -> np.ndarray:
    """An input: shape (n(0),) or (n(0), B), finite numbers. Returns a float64 copy."""
    arr = as_float_array(x, argument=argument)
    n0 = sizes[0]
    if arr.ndim == 0 and n0 == 1:
        arr = arr.reshape(1)
    if arr.ndim not in (1, 2) or arr.shape[0] != n0 or (arr.ndim == 2 and arr.shape[1] < 1):
        raise ValueError(
            f"{argument}: expected shape ({n0},) for one sample or ({n0}, B) for a batch "
            f"of B columns, got shape {arr.shape}"
        )
    return arr


def check_y(sizes: tuple[int, ...], loss: Loss, xx: np.ndarray, y: object) -> np.ndarray:
    """A target matching the validated input ``xx`` (same number of samples), and valid for
    the loss (a probability vector for cross-entropy)."""
    yy = as_float_array(y, argument="y")
    nL = sizes[-1]
    if yy.ndim == 0 and nL == 1:
        yy = yy.reshape(1)
    if xx.ndim == 2 and yy.ndim == 1 and xx.shape[1] == 1 and yy.shape == (nL,):
        yy = yy.reshape(nL, 1)
    expected = (nL,) if xx.ndim == 1 else (nL, xx.shape[1])
    if yy.shape != expected:
        what = "one sample" if xx.ndim == 1 else f"a batch of {xx.shape[1]} columns"
        raise ValueError(
            f"y: expected shape {expected} to match x ({what}; n(L) = {nL}), got shape {yy.shape}"
        )
    loss.check_y(yy)
    return yy


def check_activations(sizes: tuple[int, ...], spec: object) -> tuple[LayerActivation, ...]:
    """σ⁽¹⁾, …, σ⁽ᴸ⁾ from one entry per layer (or one entry for every layer)."""
    L = len(sizes) - 1
    if isinstance(spec, (str, Activation, VectorActivation)):
        spec = [spec] * L
    if not isinstance(spec, Sequence):
        raise TypeError(
            f"activations: expected one entry per layer (a name, an Activation, a "
            f"VectorActivation, or a per-unit list), got {type(spec).__name__}"
        )
    if len(spec) != L:
        raise ValueError(
            f"activations: need one entry per layer ℓ = 1..{L} ({L} entries), got {len(spec)}"
        )
    return tuple(
        build_layer(s, sizes[k + 1], argument=f"activations[{k}] (layer {k + 1})")
        for k, s in enumerate(spec)
    )


def check_weights(sizes: tuple[int, ...], weights: object) -> tuple[np.ndarray, ...]:
    """W⁽¹⁾, …, W⁽ᴸ⁾ of shapes (n(ℓ), n(ℓ−1)): read-only float64 copies."""
    L = len(sizes) - 1
    if isinstance(weights, np.ndarray) or not isinstance(weights, Sequence):
        raise TypeError(
            f"weights: expected a list of {L} matrices W(1)..W({L}), got {type(weights).__name__}"
        )
    if len(weights) != L:
        raise ValueError(f"weights: expected {L} matrices W(1)..W({L}), got {len(weights)}")
    out = []
    for k, W in enumerate(weights):
        arr = as_float_array(W, argument=f"weights[{k}] (W({k + 1}))")
        shape = (sizes[k + 1], sizes[k])
        if arr.shape != shape:
            raise ValueError(
                f"weights[{k}] (W({k + 1})): expected shape {shape} = (n({k + 1}), n({k})), "
                f"got {arr.shape}"
            )
        arr.flags.writeable = False
        out.append(arr)
    return tuple(out)


def check_biases(sizes: tuple[int, ...], biases: object) -> tuple[np.ndarray, ...]:
    """b⁽¹⁾, …, b⁽ᴸ⁾ of shapes (n(ℓ),): read-only float64 copies."""
    L = len(sizes) - 1
    if isinstance(biases, np.ndarray) or not isinstance(biases, Sequence):
        raise TypeError(
            f"biases: expected a list of {L} vectors b(1)..b({L}) (b(ℓ) of length n(ℓ)), "
            f"got {type(biases).__name__}"
        )
    if len(biases) != L:
        raise ValueError(f"biases: expected {L} vectors b(1)..b({L}), got {len(biases)}")
    out = []
    for k, b in enumerate(biases):
        arr = as_float_array(b, argument=f"biases[{k}] (b({k + 1}))")
        if arr.ndim == 2 and arr.shape == (sizes[k + 1], 1):
            arr = arr.reshape(-1)  # a column vector is a vector too
        if arr.shape != (sizes[k + 1],):
            raise ValueError(
                f"biases[{k}] (b({k + 1})): expected shape ({sizes[k + 1]},) = (n({k + 1}),), "
                f"got {arr.shape}"
            )
        arr.flags.writeable = False
        out.append(arr)
    return tuple(out)


def zero_biases(sizes: tuple[int, ...]) -> tuple[np.ndarray, ...]:
    """b⁽ℓ⁾ = 0 for every layer, read-only."""
    out = []
    for n in sizes[1:]:
        b = np.zeros(n)
        b.flags.writeable = False
        out.append(b)
    return tuple(out)


def initial_weights(sizes: tuple[int, ...], seed: int | None) -> tuple[np.ndarray, ...]:
    """W⁽ℓ⁾ drawn from N(0, 1/n(ℓ−1)) (fan-in scaling) with ``seed``, read-only."""
    rng = np.random.default_rng(seed)
    out = []
    for n_in, n_out in pairwise(sizes):
        W = rng.normal(0.0, 1.0 / np.sqrt(n_in), size=(n_out, n_in))
        W.flags.writeable = False
        out.append(W)
    return tuple(out)
