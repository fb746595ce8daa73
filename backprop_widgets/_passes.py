"""The two passes of :class:`~backprop_widgets.network.MLP` on plain arrays: the forward pass
u⁽ℓ⁾ = W⁽ℓ⁾ z⁽ℓ−1⁾ (+ b⁽ℓ⁾), z⁽ℓ⁾ = σ⁽ℓ⁾(u⁽ℓ⁾), and the Δ recursion of backpropagation.

This is the one home of those formulas. The network hands over its own W⁽ℓ⁾, b⁽ℓ⁾, σ⁽ℓ⁾, loss
and reduction; nothing here checks an argument or builds a result object (the network has
checked its arguments and the data already). Plain numpy; internal (the MLP's methods call
these).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from .losses import SquaredError

if TYPE_CHECKING:
    from ._layers import LayerActivation
    from .losses import Loss

__all__ = ["delta_recursion", "forward_pass"]


def forward_pass(
    weights: Sequence[np.ndarray],
    biases: Sequence[np.ndarray] | None,
    activations: Sequence[LayerActivation],
    x: np.ndarray,
    *,
    need_dsigma: bool = True,
) -> tuple[list, list, list]:
    """The forward pass: u⁽ℓ⁾ = W⁽ℓ⁾ z⁽ℓ−1⁾ (+ b⁽ℓ⁾) and z⁽ℓ⁾ = σ⁽ℓ⁾(u⁽ℓ⁾) for ℓ = 1..L.

    Parameters
    ----------
    weights : sequence of arrays
        W⁽¹⁾, …, W⁽ᴸ⁾, the ℓ-th of shape ``(n(ℓ), n(ℓ−1))`` (unchecked).
    biases : sequence of arrays, or None
        b⁽¹⁾, …, b⁽ᴸ⁾, or None for the derivation's network without biases.
    activations : sequence of LayerActivation
        σ⁽¹⁾, …, σ⁽ᴸ⁾.
    x : array, shape (n(0),) or (n(0), B)
        A checked input z⁽⁰⁾: one sample, or B samples as columns.
    need_dsigma : bool, optional
        Whether to evaluate σ′⁽ℓ⁾(u⁽ℓ⁾) too (False when only a loss is wanted).

    Returns
    -------
    us, zs, ds : lists
        u⁽ℓ⁾ for ℓ = 1..L; z⁽ℓ⁾ for ℓ = 0..L (z⁽⁰⁾ = x first); σ′⁽ℓ⁾(u⁽ℓ⁾) for ℓ = 1..L, the
        diagonal of J⁽ℓ⁾ in (C2) (None entries without ``need_dsigma``, and for a layer whose
        J⁽ℓ⁾ is a full matrix).
    """
    us, zs, ds = [], [x], []
    z = x
    for k, (W, sigma) in enumerate(zip(weights, activations, strict=True)):
        u = W.dot(z)  # W @ z; ndarray.dot has less call overhead for small sizes
        if biases is not None:
            u += biases[k] if z.ndim == 1 else biases[k][:, None]
        if need_dsigma:
            z, dz = sigma.sigma_and_dsigma(u)
        else:
            z, dz = sigma.sigma(u), None
        us.append(u)
        zs.append(z)
        ds.append(dz)
    return us, zs, ds


def delta_recursion(
    weights: Sequence[np.ndarray],
    has_bias: bool,
    activations: Sequence[LayerActivation],
    loss: Loss,
    reduction: str,
    us: list,
    zs: list,
    ds: list,
    y: np.ndarray,
    *,
    need_E: bool = True,
) -> tuple[float, list, list, tuple | None, float]:
    """The Δ recursion: Δ⁽ᴸ⁾ = J⁽ᴸ⁾ᵀ ∇_z E, Δ⁽ℓ⁾ = J⁽ℓ⁾ᵀ W⁽ℓ+1⁾ᵀ Δ⁽ℓ+1⁾ for ℓ = L−1, …, 1,
    ∂E/∂W⁽ℓ⁾ = Δ⁽ℓ⁾ z⁽ℓ−1⁾ᵀ and ∂E/∂b⁽ℓ⁾ = Δ⁽ℓ⁾.

    ∇_z E is the gradient of (C1), J⁽ℓ⁾ is (C2), and the outer product with z⁽ℓ−1⁾ is the
    adjoint of (C3); the derivation, and why J⁽ℓ⁾ᵀ, is in
    :meth:`~backprop_widgets.network.MLP.backward`.

    Parameters
    ----------
    weights : sequence of arrays
        W⁽¹⁾, …, W⁽ᴸ⁾.
    has_bias : bool
        Whether the network has biases (then ∂E/∂b⁽ℓ⁾ is returned too).
    activations : sequence of LayerActivation
        σ⁽¹⁾, …, σ⁽ᴸ⁾.
    loss : Loss
        E, its (C1) gradient and its Δ⁽ᴸ⁾.
    reduction : {"sum", "mean"}
        ``"mean"`` divides Δ⁽ᴸ⁾ (and so every Δ⁽ℓ⁾, every gradient and E) by the batch size B.
    us, zs, ds : lists
        u⁽ℓ⁾, z⁽ℓ⁾ and σ′⁽ℓ⁾(u⁽ℓ⁾) as :func:`forward_pass` returns them (with σ′).
    y : array, shape (n(L),) or (n(L), B)
        The checked target.
    need_E : bool, optional
        Whether to evaluate E (0.0 is returned in its place otherwise).

    Returns
    -------
    E, deltas, grads, grads_b, scale : float, list, list, tuple or None, float
        E; Δ⁽¹⁾, …, Δ⁽ᴸ⁾; ∂E/∂W⁽¹⁾, …, ∂E/∂W⁽ᴸ⁾; ∂E/∂b⁽¹⁾, …, ∂E/∂b⁽ᴸ⁾ (None without
        biases); and the factor 1 or 1/B that ``reduction`` applied.
    """
    L = len(us)
    z = zs[-1]
    if type(loss) is SquaredError and ds[-1] is not None:
        residual = z - y  # ∇_z E of (C1)
        delta = ds[-1] * residual  # J⁽ᴸ⁾ᵀ ∇_z E, J⁽ᴸ⁾ = diag(σ′(u⁽ᴸ⁾)) of (C2)
        E = 0.5 * float(np.vdot(residual, residual)) if need_E else 0.0
    else:
        delta = loss.delta_L(activations[-1], us[-1], z, ds[-1], y)
        E = loss.value(us[-1], z, y) if need_E else 0.0
    scale = 1.0
    if reduction == "mean" and y.ndim == 2:
        scale = 1.0 / y.shape[1]
        delta = delta * scale
        E *= scale
    deltas: list[np.ndarray] = [delta] * L
    for k in range(L - 2, -1, -1):  # k = ℓ − 1 for ℓ = L−1, …, 1
        v = weights[k + 1].T.dot(delta)  # W⁽ℓ+1⁾ᵀ Δ⁽ℓ+1⁾
        d = ds[k]
        delta = d * v if d is not None else activations[k].vjp(us[k], zs[k + 1], d, v)
        deltas[k] = delta
    # ∂E/∂W⁽ℓ⁾ = Δ⁽ℓ⁾ z⁽ℓ−1⁾ᵀ, the adjoint of (C3) H ↦ H z⁽ℓ−1⁾ (summed over a batch's columns)
    if delta.ndim == 1:
        grads = [d[:, None] * zp[None, :] for d, zp in zip(deltas, zs, strict=False)]
    else:
        grads = [d.dot(zp.T) for d, zp in zip(deltas, zs, strict=False)]
    grads_b = None
    if has_bias:
        grads_b = tuple(d if d.ndim == 1 else d.sum(axis=1) for d in deltas)
    return E, deltas, grads, grads_b, scale
