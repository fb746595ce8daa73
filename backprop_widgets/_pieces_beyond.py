"""The Fréchet pieces beyond the derivation: (C1) of the cross-entropies, (C2) of a softmax-like
layer (a full Jacobian) and the bias's sibling of (C3).

Made by the constructors of :mod:`backprop_widgets.frechet` (``C1(..., loss=...)``, ``C2`` on a
softmax layer, ``C3_bias``); import them from there. Plain numpy; internal.

Where the derivation used J = Jᵀ. Pulling ∂E/∂W⁽ℓ⁾ out of the trace,
tr((z − y)ᵀ J H z⁽ℓ−1⁾) = tr((J ᵀ(z − y) z⁽ℓ−1⁾ᵀ)ᵀ H), needs Jᵀ, and the text writes J because
its J is diagonal. Softmax's J = diag(z) − z zᵀ is not diagonal, but [J]ᵢⱼ = zᵢ(δᵢⱼ − zⱼ) is
still symmetric, so the text's formula holds as written. For a general non-elementwise σ the
adjoint, and hence the Δ recursion, uses Jᵀ.
"""

from __future__ import annotations

import numpy as np

from ._layers import LayerActivation, VectorLayer
from ._linear_map import LinearMap, _readonly
from ._texnum import _TOP, _sup, pmatrix
from .losses import Loss

__all__ = ["SYMMETRY_NOTE", "C1Loss", "C2Full", "C3Bias"]

SYMMETRY_NOTE = (
    "The derivation moves J to the other side of the inner product, ⟨g, J h⟩ = ⟨Jᵀ g, h⟩, and "
    "writes J for Jᵀ because its J = diag(σ′(u)) is diagonal, hence symmetric. Softmax's "
    "J = diag(z) − z zᵀ is no longer diagonal, yet [J]ᵢⱼ = zᵢ(δᵢⱼ − zⱼ) = [J]ⱼᵢ: it is still "
    "symmetric, so the step still holds. For a general vector activation the adjoint is Jᵀ, "
    "which is what the Δ recursion applies."
)

COLLAPSE_NOTE = (
    "With softmax's J = diag(z) − z zᵀ, Jᵀ(−y ⊘ z) = −y + z Σᵢ yᵢ = z − y, because y is a "
    "probability vector (Σᵢ yᵢ = 1): composing (C1) of the cross-entropy with (C2) of softmax "
    "collapses to Δ⁽ᴸ⁾ = z⁽ᴸ⁾ − y."
)


BINARY_NOTE = (
    "With sigmoid's J = diag(z ⊙ (1 − z)), J ((z − y) ⊘ (z ⊙ (1 − z))) = z − y: composing (C1) "
    "of the binary cross-entropy with (C2) of sigmoid collapses to Δ⁽ᴸ⁾ = z⁽ᴸ⁾ − y."
)


class C1Loss(LinearMap):
    """(C1) of a loss other than squared error: h ↦ ⟨g, h⟩ with g = ∇_z E at z.

    ``gradient`` holds g (−y ⊘ z for cross-entropy, (z − y) ⊘ (z ⊙ (1 − z)) for binary
    cross-entropy). ``loss`` is the :class:`~backprop_widgets.losses.Loss`; ``note`` says how
    the piece combines with the output layer's (C2).
    """

    def __init__(self, loss: Loss, z: np.ndarray, y: np.ndarray, layer: int | None) -> None:
        at = f"z{'' if layer is None else f'({layer})'}"
        title = f"(C1) derivative of the {loss.name.replace('_', ' ')} E at {at}"
        super().__init__("C1", layer, title, z.shape, (), z)
        self.loss = loss
        self.y = _readonly(y)
        self.gradient = _readonly(loss.gradient(z, y))
        self.residual = _readonly(z - y)
        self.note = COLLAPSE_NOTE if loss.name == "cross_entropy" else BINARY_NOTE

    def _f(self, p: np.ndarray) -> np.ndarray:
        return np.asarray(self.loss.of_z(p, self.y))

    def _apply(self, h: np.ndarray) -> np.ndarray:
        return np.asarray(self.gradient @ h)

    def _adjoint_apply(self, v: np.ndarray) -> np.ndarray:
        return v * self.gradient

    def matrix(self) -> np.ndarray:
        return self.gradient.reshape(1, -1).copy()

    def _g(self) -> str:
        return self.loss.gradient_latex.replace("z", "z" + _sup(self.layer))

    def latex(self) -> str:
        z = "z" + _sup(self.layer)
        if self.loss.name == "cross_entropy":
            return (
                rf"D_{{{z}}}E({z})(h) = \left\langle -y \oslash {z},\, h \right\rangle"
                rf" = -\sum_i \frac{{y_i\, h_i}}{{{z}_i}}"
            )
        return rf"D_{{{z}}}E({z})(h) = \left\langle {self._g()},\, h \right\rangle"

    def _latex_numbers(self) -> str:
        z = "z" + _sup(self.layer)
        return (
            rf"{z} = {pmatrix(self.point)},\ y = {pmatrix(self.y)}:\quad D_{{{z}}}E({z})(h) = "
            rf"{pmatrix(self.gradient.reshape(1, -1))}\, h"
        )

    def _adjoint_latex(self) -> str:
        return rf"v \mapsto v\,\bigl({self._g()}\bigr)"

    def _adjoint_latex_numbers(self) -> str:
        return rf"v \mapsto v\, {pmatrix(self.gradient)}"


class C2Full(LinearMap):
    """(C2) of a layer whose σ is not elementwise (softmax): h ↦ J_u h with a full J_u.

    ``J`` is the (n, n) matrix [∂zᵢ/∂uⱼ] (ready for a heatmap); ``symmetric`` says whether
    J = Jᵀ (true for softmax); the adjoint is v ↦ J_uᵀ v. ``note`` is :data:`SYMMETRY_NOTE`.
    """

    note = SYMMETRY_NOTE

    def __init__(self, sigma: VectorLayer, u: np.ndarray, layer: int | None) -> None:
        at = f"u{'' if layer is None else f'({layer})'}"
        name = f"σ{'' if layer is None else f'({layer})'}"
        super().__init__("C2", layer, f"(C2) derivative of {name} at {at}", u.shape, u.shape, u)
        self.sigma = sigma
        J = np.asarray(sigma.jacobian(u))
        self.J = _readonly(J.real if np.iscomplexobj(J) else J.astype(np.float64))
        self.symmetric = bool(sigma.symmetric_jacobian)

    def _f(self, p: np.ndarray) -> np.ndarray:
        return np.asarray(self.sigma.sigma(p))

    def _apply(self, h: np.ndarray) -> np.ndarray:
        return self.J @ h

    def _adjoint_apply(self, v: np.ndarray) -> np.ndarray:
        return self.J.T @ v

    def matrix(self) -> np.ndarray:
        return self.J.copy()

    def latex(self) -> str:
        s, u = _sup(self.layer), "u" + _sup(self.layer)
        a = self.sigma.activation
        form = a.jacobian_latex
        if a.builtin and a.name == "softmax":
            z, zt = "z" + s, "z" + _sup(self.layer, 0, _TOP)
            form = (
                rf"\operatorname{{diag}}({z}) - {z} {zt},\ \ "
                rf"[J{s}]_{{ij}} = z{s}_i(\delta_{{ij}} - z{s}_j)"
            )
        return rf"D_{{{u}}}\sigma{s}({u})(h) = J{s}_{{{u}}}\, h, \quad J{s}_{{{u}}} = {form}"

    def _latex_numbers(self) -> str:
        s, u = _sup(self.layer), "u" + _sup(self.layer)
        law = rf"\sigma{s}(u)_i = {self.sigma.activation.latex}"
        at = rf"{u} = {pmatrix(self.point)}"
        return rf"{law},\quad {at},\quad J{s}_{{{u}}}\, h = {pmatrix(self.J)}\, h"

    def _adjoint_latex(self) -> str:
        s, u, st = _sup(self.layer), "u" + _sup(self.layer), _sup(self.layer, 0, _TOP)
        if self.symmetric:
            return rf"v \mapsto J{st}_{{{u}}} v = J{s}_{{{u}}}\, v \quad (\text{{still symmetric}})"
        return rf"v \mapsto J{st}_{{{u}}} v"

    def _adjoint_latex_numbers(self) -> str:
        return rf"v \mapsto {pmatrix(self.J.T)}\, v"


class C3Bias(LinearMap):
    """(C3)'s sibling for the bias: D_b(b ↦ W z + b)(b)(k) = k (for a batch Z, k ↦ k 1ᵀ).

    It does not depend on b, W or z; its matrix is the identity (kron(I, 1_B) for a batch)
    and its adjoint v ↦ v (V ↦ V 1, the sum over the batch's columns), which is why
    ∂E/∂b⁽ℓ⁾ = Δ⁽ℓ⁾.
    """

    def __init__(self, b: np.ndarray, layer: int | None, batch: int | None, Wz: np.ndarray) -> None:
        n = b.shape[0]
        out = (n,) if batch is None else (n, batch)
        name = "Z" if batch is not None else "z"
        title = f"(C3) for the bias: derivative of b ↦ W {name} + b"
        super().__init__("C3b", layer, title, (n,), out, b)
        self.batch = batch
        self.Wz = _readonly(Wz)
        self._in_name = "k"

    def _f(self, p: np.ndarray) -> np.ndarray:
        return self.Wz + (p if self.batch is None else p[:, None])

    def _apply(self, h: np.ndarray) -> np.ndarray:
        return h.copy() if self.batch is None else np.repeat(h[:, None], self.batch, axis=1)

    def _adjoint_apply(self, v: np.ndarray) -> np.ndarray:
        return v.copy() if self.batch is None else v.sum(axis=1)

    def matrix(self) -> np.ndarray:
        n = self.in_shape[0]
        return np.eye(n) if self.batch is None else np.kron(np.eye(n), np.ones((self.batch, 1)))

    def latex(self) -> str:
        b, W = "b" + _sup(self.layer), "W" + _sup(self.layer)
        z = ("Z" if self.batch is not None else "z") + _sup(self.layer, -1)
        value = "k" if self.batch is None else r"k\, \mathbf{1}^{\top}"
        return rf"D_{{{b}}}\bigl(b \mapsto {W} {z} + b\bigr)({b})(k) = {value}"

    def _latex_numbers(self) -> str:
        n = self.in_shape[0]
        if self.batch is None:
            return rf"k \mapsto k = I_{{{n}}}\, k \quad (k \in \mathbb{{R}}^{{{n}}})"
        return (
            rf"k \mapsto k\, {pmatrix(np.ones((1, self.batch)))} \quad "
            rf"(k \in \mathbb{{R}}^{{{n}}})"
        )

    def _adjoint_latex(self) -> str:
        return r"v \mapsto v" if self.batch is None else r"V \mapsto V \mathbf{1}"

    def _adjoint_latex_numbers(self) -> str:
        if self.batch is None:
            return r"v \mapsto v"
        return rf"V \mapsto V\, {pmatrix(np.ones(self.batch))}"


def c2_for(sigma: LayerActivation, u: np.ndarray, layer: int | None) -> LinearMap | None:
    """The full-Jacobian piece for a non-elementwise layer, or None for an elementwise one."""
    return C2Full(sigma, u, layer) if isinstance(sigma, VectorLayer) else None
