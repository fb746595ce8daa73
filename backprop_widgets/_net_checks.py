"""The argument checks of :class:`~backprop_widgets.network.MLP`: inputs, targets, activations,
weights and biases (given, or drawn and zeroed), the arguments of ``replace``, and a training
loop's fresh parameters. Each message names the argument and says what is allowed.

Plain numpy; internal (the MLP's methods call these).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from itertools import pairwise
from typing import TYPE_CHECKING

import numpy as np

from ._checks import array_list, as_float_array
from .activations import Activation, LayerActivation, VectorActivation, build_layer
from .losses import Loss

if TYPE_CHECKING:
    from .network import MLP

__all__ = [
    "check_activations",
    "check_biases",
    "check_parameters",
    "check_weights",
    "check_x",
    "check_y",
    "initial_weights",
    "replace_arguments",
    "require_bias",
    "trained_parameters",
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
    shapes = [(sizes[k + 1], sizes[k]) for k in range(L)]
    hints = [f"(n({k + 1}), n({k}))" for k in range(L)]
    out = array_list(weights, shapes, argument="weights", symbol="W", what="matrices", hint=hints)
    for arr in out:
        arr.flags.writeable = False
    return out


def check_biases(sizes: tuple[int, ...], biases: object) -> tuple[np.ndarray, ...]:
    """b⁽¹⁾, …, b⁽ᴸ⁾ of shapes (n(ℓ),): read-only float64 copies."""
    L = len(sizes) - 1
    shapes = [(sizes[k + 1],) for k in range(L)]
    hints = [f"(n({k + 1}),)" for k in range(L)]
    out = array_list(biases, shapes, argument="biases", symbol="b", what="vectors", hint=hints)
    for arr in out:
        arr.flags.writeable = False
    return out


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


def check_parameters(
    sizes: tuple[int, ...],
    weights: object,
    biases: object,
    bias: object,
    seed: int | None,
) -> tuple[tuple[np.ndarray, ...], tuple[np.ndarray, ...] | None]:
    """W⁽ℓ⁾ and b⁽ℓ⁾ of a new network from MLP's ``weights``, ``biases``, ``bias`` and ``seed``:
    the given ones checked and copied; otherwise weights drawn from ``seed`` and biases zero
    (with ``bias=True``) or None (the derivation's network)."""
    if bias is not None and not isinstance(bias, (bool, np.bool_)):
        raise TypeError(f"bias: expected True or False, got {bias!r}")
    if biases is not None and bias is not None and not bias:
        raise ValueError(
            "bias: bias=False says the network has no biases, but biases were given; "
            "drop bias=False (biases imply bias=True) or drop biases"
        )
    Ws = check_weights(sizes, weights) if weights is not None else initial_weights(sizes, seed)
    if biases is not None:
        return Ws, check_biases(sizes, biases)
    return Ws, zero_biases(sizes) if bias else None


def require_bias(biases: tuple[np.ndarray, ...] | None, what: str) -> tuple[np.ndarray, ...]:
    """The biases, or a ValueError naming ``what`` for a network without them."""
    if biases is None:
        raise ValueError(
            f"{what}: this network has no biases (u(ℓ) = W(ℓ) z(ℓ−1), as in the "
            f"derivation); build it with MLP(..., bias=True) or biases=[...]"
        )
    return biases


def replace_arguments(net: MLP, changes: dict[str, object]) -> dict[str, object]:
    """MLP's arguments for ``net.replace(**changes)``: ``net``'s own with ``changes`` applied.
    New sizes drop the weights and biases (and a uniform layer's σ is passed by itself);
    ``bias=False`` drops the biases, ``bias=True`` asks for zeros."""
    allowed = {"sizes", "activations", "weights", "biases", "bias", "seed", "loss"}
    allowed |= {"reduction"}
    unknown = sorted(set(changes) - allowed)
    if unknown:
        raise TypeError(f"replace: unknown argument {unknown[0]!r}; allowed: {sorted(allowed)}")
    activations, biases = net.activations, net.biases
    args: dict[str, object] = {
        "sizes": net.sizes,
        "activations": list(activations),
        "weights": net.weights,
        "biases": biases,
        "seed": net.seed,
        "loss": net.loss_function,
        "reduction": net.reduction,
    }
    if "sizes" in changes:
        args.pop("weights"), args.pop("biases")
        args["activations"] = [a.units[0] if a.uniform else a for a in activations]
        if biases is not None:
            args["bias"] = True
    if changes.get("bias") is False:
        args.pop("biases", None)
    elif changes.get("bias") is True and biases is None:
        args.pop("biases", None)
    args.update(changes)
    if args.get("biases") is None:
        args.pop("biases", None)
    return args


def trained_parameters(
    weights: Sequence[np.ndarray], biases: Sequence[np.ndarray] | None
) -> list[np.ndarray] | None:
    """A training loop's fresh W⁽ℓ⁾ (then b⁽ℓ⁾) in one list, checked only for being finite
    (None when one is not) and made read-only in place (not copied)."""
    new = list(weights) + (list(biases) if biases is not None else [])
    for arr in new:
        if not math.isfinite(np.vdot(arr, arr)):  # Σ w² is finite iff every w is
            if not np.all(np.isfinite(arr)):  # (an overflow: look entry by entry)
                return None
    for arr in new:
        arr.flags.writeable = False
    return new
