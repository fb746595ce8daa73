"""What a forward pass and backpropagation return: :class:`Forward` and :class:`Backward`.

Re-exported by :mod:`backprop_widgets.network`; import them from there. Plain numpy.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from ._checks import layer_number

if TYPE_CHECKING:
    from ._layers import LayerActivation
    from .losses import Loss

__all__ = ["Backward", "Forward"]


@dataclass(frozen=True, slots=True)
class Forward:
    """Every u⁽ℓ⁾ and z⁽ℓ⁾ of one forward pass. Read them by the text's layer numbers.

    ``u(ℓ)`` for ℓ = 1..L, ``z(ℓ)`` for ℓ = 0..L (z⁽⁰⁾ = x). Arrays are ``(n(ℓ),)`` for one
    sample and ``(n(ℓ), B)`` for a batch of B columns.
    """

    us: tuple[np.ndarray, ...]  # us[ℓ-1] = u⁽ℓ⁾
    zs: tuple[np.ndarray, ...]  # zs[ℓ] = z⁽ℓ⁾
    #: sigma_prime[ℓ-1] = σ′⁽ℓ⁾(u⁽ℓ⁾), the diagonal of J⁽ℓ⁾; None for a softmax-like layer.
    sigma_prime: tuple[np.ndarray | None, ...]
    sigmas: tuple[LayerActivation, ...] = ()  # σ⁽ℓ⁾, for J⁽ℓ⁾ of a non-elementwise layer

    @property
    def L(self) -> int:
        return len(self.us)

    @property
    def batched(self) -> bool:
        return self.zs[0].ndim == 2

    def u(self, layer: int) -> np.ndarray:
        """u⁽ℓ⁾ = W⁽ℓ⁾ z⁽ℓ−1⁾ (+ b⁽ℓ⁾), the pre-activation of layer ℓ (1..L)."""
        return self.us[layer_number(layer, self.L, first=1) - 1]

    def z(self, layer: int) -> np.ndarray:
        """z⁽ℓ⁾ = σ⁽ℓ⁾(u⁽ℓ⁾), the output of layer ℓ (0..L; z⁽⁰⁾ is the input x)."""
        return self.zs[layer_number(layer, self.L, first=0)]

    def elementwise(self, layer: int) -> bool:
        """Whether σ⁽ℓ⁾ acts unit by unit (J⁽ℓ⁾ diagonal) — false for softmax."""
        return self.sigma_prime[layer_number(layer, self.L, first=1) - 1] is not None

    def dsigma(self, layer: int) -> np.ndarray:
        """σ′⁽ℓ⁾(u⁽ℓ⁾) entrywise: the diagonal of J⁽ℓ⁾ in (C2) (elementwise layers only)."""
        k = layer_number(layer, self.L, first=1)
        d = self.sigma_prime[k - 1]
        if d is None:
            raise ValueError(
                f"layer {k}: σ({k}) = {self.sigmas[k - 1].spec()!r} is not elementwise, so J({k}) "
                f"is a full matrix with no diagonal σ′ alone; use J({k})"
            )
        return d

    def J(self, layer: int) -> np.ndarray:
        """J⁽ℓ⁾, the matrix of (C2) at u⁽ℓ⁾: diag(σ′⁽ℓ⁾(u⁽ℓ⁾)), or softmax's full
        diag(z) − z zᵀ. One sample only."""
        k = layer_number(layer, self.L, first=1)
        if self.batched:
            raise ValueError("J(ℓ) is one matrix per sample; use dsigma(ℓ) for a batch")
        d = self.sigma_prime[k - 1]
        return np.diag(d) if d is not None else self.sigmas[k - 1].jacobian(self.us[k - 1])

    @property
    def output(self) -> np.ndarray:
        """z⁽ᴸ⁾, the network's output."""
        return self.zs[-1]


@dataclass(frozen=True, slots=True)
class Backward:
    """The result of backpropagation: the loss E, every Δ⁽ℓ⁾, ∂E/∂W⁽ℓ⁾ and (with biases)
    ∂E/∂b⁽ℓ⁾.

    Δ⁽ℓ⁾ = ∂E/∂u⁽ℓ⁾ column by column, so with ``reduction="mean"`` each Δ⁽ℓ⁾ carries the
    factor 1/B, as do E and every gradient.
    """

    forward: Forward
    y: np.ndarray
    E: float
    deltas: tuple[np.ndarray, ...]  # deltas[ℓ-1] = Δ⁽ℓ⁾
    grads: tuple[np.ndarray, ...]  # grads[ℓ-1] = ∂E/∂W⁽ℓ⁾
    grads_b: tuple[np.ndarray, ...] | None = None  # grads_b[ℓ-1] = ∂E/∂b⁽ℓ⁾, or None
    loss: Loss | None = None  # None means the derivation's squared error
    scale: float = 1.0  # 1, or 1/B for reduction="mean"

    @property
    def L(self) -> int:
        return len(self.deltas)

    def delta(self, layer: int) -> np.ndarray:
        """Δ⁽ℓ⁾ for ℓ = 1..L (shape ``(n(ℓ),)``, or ``(n(ℓ), B)`` for a batch)."""
        return self.deltas[layer_number(layer, self.L, first=1) - 1]

    def grad(self, layer: int) -> np.ndarray:
        """∂E/∂W⁽ℓ⁾ = Δ⁽ℓ⁾ z⁽ℓ−1⁾ᵀ, shape (n(ℓ), n(ℓ−1))."""
        return self.grads[layer_number(layer, self.L, first=1) - 1]

    def grad_b(self, layer: int) -> np.ndarray:
        """∂E/∂b⁽ℓ⁾ = Δ⁽ℓ⁾ (summed over a batch's columns), shape (n(ℓ),)."""
        k = layer_number(layer, self.L, first=1)
        if self.grads_b is None:
            raise ValueError(
                "grad_b: this network has no biases (u(ℓ) = W(ℓ) z(ℓ−1), as in the "
                "derivation); build it with MLP(..., bias=True) to get ∂E/∂b(ℓ)"
            )
        return self.grads_b[k - 1]

    @property
    def residual(self) -> np.ndarray:
        """z⁽ᴸ⁾ − y. For squared error this is ∇_z E, the gradient of (C1) (see ``dE_dz``)."""
        return self.forward.output - self.y

    @property
    def dE_dz(self) -> np.ndarray:
        """∇_z E at z⁽ᴸ⁾ (C1), times 1/B for ``reduction="mean"``: z − y for squared error,
        −y ⊘ z for cross-entropy, (z − y) ⊘ (z ⊙ (1 − z)) for binary cross-entropy."""
        if self.loss is None:
            g = self.residual
        else:
            g = self.loss.gradient(self.forward.output, self.y)
        return g * self.scale if self.scale != 1.0 else g
