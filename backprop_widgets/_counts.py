"""What each order of the chain costs: multiply-add counts for the forward order (one direction
per weight) and the backward order (the Δ recursion).

Public names are re-exported by :mod:`backprop_widgets.frechet`; import them from there.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise

import numpy as np

from ._checks import layer_number

__all__ = ["Counts", "LayerCounts", "multiply_add_counts"]


# ------------------------------------------------------------------------------ the counts


@dataclass(frozen=True)
class LayerCounts:
    """Multiply-adds for the gradient of one W⁽ℓ⁾ (and of b⁽ℓ⁾, for a network with biases).

    ``per_entry``: one H pushed through the chain of layer ℓ; ``forward`` = entries ×
    per_entry; ``backward``: Δ⁽ℓ⁾ from Δ⁽ℓ+1⁾ (or from z − y when ℓ = L) plus Δ⁽ℓ⁾ z⁽ℓ−1⁾ᵀ.
    ``bias_entries`` (n(ℓ), or 0 without biases), ``bias_per_entry`` and ``bias_forward``:
    the same for k = eᵢ through the bias chain (k ↦ k costs nothing); the backward order gets
    ∂E/∂b⁽ℓ⁾ = Δ⁽ℓ⁾ for free, so ``bias_backward`` is 0.
    """

    layer: int
    entries: int
    per_entry: int
    forward: int
    backward: int
    bias_entries: int = 0
    bias_per_entry: int = 0
    bias_forward: int = 0
    bias_backward: int = 0


@dataclass(frozen=True)
class Counts:
    """Multiply-adds for the whole gradient, in the forward and the backward order.

    ``forward_pass`` (every u⁽ℓ⁾ = W⁽ℓ⁾ z⁽ℓ−1⁾) is needed by both orders and counted in
    neither. ``bias`` and ``full_jacobian`` (the layers whose J is a full matrix) say what
    was counted.
    """

    sizes: tuple[int, ...]
    forward: int
    backward: int
    per_layer: tuple[LayerCounts, ...]
    forward_pass: int
    bias: bool = False
    full_jacobian: tuple[int, ...] = ()

    @property
    def ratio(self) -> float:
        """forward / backward: how many times more work the forward order does."""
        return self.forward / self.backward


def multiply_add_counts(sizes: object, *, bias: bool = False, full_jacobian: object = ()) -> Counts:
    """Count the multiply-adds of the two orders for an MLP with widths ``sizes``.

    Forward order: for every entry (i, j) of every W⁽ℓ⁾, push one H through the chain of
    layer ℓ, each link costed for a general argument (the chain does not know H is sparse):
    (C3) H z⁽ℓ−1⁾ costs n(ℓ)n(ℓ−1), each (C2) n(k), each link W⁽k⁾ n(k)n(k−1), and (C1)
    n(L).

    Backward order: Δ⁽ᴸ⁾ = J⁽ᴸ⁾(z⁽ᴸ⁾ − y) costs n(L); each Δ⁽ℓ⁾ = J⁽ℓ⁾ W⁽ℓ+1⁾ᵀ Δ⁽ℓ+1⁾ costs
    n(ℓ+1)n(ℓ) + n(ℓ); each outer product Δ⁽ℓ⁾ z⁽ℓ−1⁾ᵀ costs n(ℓ)n(ℓ−1).

    Beyond the derivation: with ``bias=True`` every b⁽ℓ⁾ᵢ is pushed through its chain too
    in the forward order (k ↦ k costs nothing, the rest as for a weight), while the backward
    order reads ∂E/∂b⁽ℓ⁾ = Δ⁽ℓ⁾ off for free. A layer listed in ``full_jacobian`` (softmax)
    has a full J, so each (C2) costs n(k)² instead of n(k), in both orders. Pass an ``MLP``
    as ``sizes`` to read its widths, biases and softmax layers.

    Examples
    --------
    >>> c = multiply_add_counts([2, 3, 1])
    >>> c.forward, c.backward
    (99, 16)
    >>> multiply_add_counts([2, 3, 1], bias=True).forward  # + 3·8 + 1·2 for the biases
    125
    """
    from ._checks import check_sizes
    from .network import MLP

    if isinstance(sizes, MLP):
        net = sizes
        sizes = net.sizes
        bias = bias or net.has_bias
        full_jacobian = tuple(full_jacobian) + tuple(  # type: ignore[arg-type]
            k for k in range(1, net.L + 1) if not net.sigma(k).elementwise
        )
    n = check_sizes(sizes)
    L = len(n) - 1
    if not isinstance(bias, (bool, np.bool_)):
        raise TypeError(f"bias: expected True or False, got {bias!r}")
    if isinstance(full_jacobian, (str, bytes)) or not hasattr(full_jacobian, "__iter__"):
        raise TypeError(f"full_jacobian: expected layer numbers in 1..{L}, got {full_jacobian!r}")
    full = tuple(sorted({layer_number(k, L, argument="full_jacobian") for k in full_jacobian}))

    def J(k: int) -> int:  # the cost of one (C2) application in layer k
        return n[k] * n[k] if k in full else n[k]

    layers = []
    for l in range(1, L + 1):
        entries = n[l] * n[l - 1]
        rest = J(l) + sum(n[k] * n[k - 1] + J(k) for k in range(l + 1, L + 1)) + n[L]
        per_entry = entries + rest
        delta = J(L) if l == L else n[l + 1] * n[l] + J(l)
        b_entries = n[l] if bias else 0
        layers.append(
            LayerCounts(
                l,
                entries,
                per_entry,
                entries * per_entry,
                delta + entries,
                b_entries,
                rest if bias else 0,
                b_entries * rest,
                0,
            )
        )
    return Counts(
        sizes=n,
        forward=sum(c.forward + c.bias_forward for c in layers),
        backward=sum(c.backward + c.bias_backward for c in layers),
        per_layer=tuple(layers),
        forward_pass=sum(a * b for a, b in pairwise(n)),
        bias=bool(bias),
        full_jacobian=full,
    )
