"""The Fréchet derivatives of the derivation, as linear maps a view can show.

Three pieces make up every derivative of E with respect to a weight matrix:

(C1) the derivative of E(z) = ½‖z − y‖² at z, the map h ↦ ⟨z − y, h⟩;
(C2) the derivative of σ⁽ℓ⁾ at u, the map h ↦ J_u h with J_u = diag(σ′ᵢ(uᵢ));
(C3) the derivative of W ↦ W z at W, the map H ↦ H z (it does not depend on W).

Beyond the derivation (:mod:`backprop_widgets._pieces_beyond`): (C1) of the cross-entropies
(``C1(z, y, loss=...)``), (C2) of softmax with its full Jacobian J = diag(z) − z zᵀ, and the
bias's sibling of (C3), k ↦ k (:func:`C3_bias`), with which ∂E/∂b⁽ℓ⁾ = Δ⁽ℓ⁾.

Between two layers the chain also meets the linear map h ↦ W⁽ℓ+1⁾ h (:func:`weight_link`).
Composing the pieces in the order the text does gives D_{W⁽ℓ⁾}E(H); reading the same
composition through the adjoints gives the trace form ⟨Δ⁽ℓ⁾ z⁽ℓ−1⁾ᵀ, H⟩, with Δ⁽ℓ⁾ from the
Δ recursion in :meth:`backprop_widgets.network.MLP.backward`. :class:`Chain` does both and
:func:`multiply_add_counts` tells what each order costs.

The shared machinery of a linear map lives in :mod:`backprop_widgets._linear_map`, the chain
and its counts in :mod:`backprop_widgets._chain`; both are re-exported here. Plain numpy.
"""

from __future__ import annotations

import numbers

import numpy as np

from ._chain import Chain, Entry, Pieces, chain, pieces
from ._checks import as_float_array
from ._counts import Counts, LayerCounts, multiply_add_counts
from ._linear_map import LinearMap, _readonly
from ._pieces_beyond import SYMMETRY_NOTE, C1Loss, C3Bias, c2_for
from ._texnum import _PRIME, _TOP, _sup, pmatrix
from .activations import LayerActivation, _latex_text
from .losses import SquaredError, get_loss

__all__ = [
    "C1",
    "C2",
    "C3",
    "C3_bias",
    "Chain",
    "Counts",
    "Entry",
    "LayerCounts",
    "LinearMap",
    "Pieces",
    "chain",
    "multiply_add_counts",
    "pieces",
    "weight_link",
]


def _check_layer(layer: object) -> int | None:
    if layer is None:
        return None
    if isinstance(layer, bool) or not isinstance(layer, numbers.Integral):
        raise TypeError(f"layer: expected a layer number ℓ ≥ 1 or None, got {layer!r}")
    if layer < 1:
        raise ValueError(f"layer: layers count from 1, got {layer}")
    return int(layer)


def _vector(value: object, argument: str) -> np.ndarray:
    arr = as_float_array(value, argument=argument)
    if arr.ndim != 1 or arr.size == 0:
        raise ValueError(
            f"{argument}: expected one sample, a vector of shape (n,) — the pieces are shown "
            f"per sample — got shape {arr.shape}"
        )
    return arr


class _C1(LinearMap):
    """(C1) h ↦ ⟨z − y, h⟩ at z. Made by :func:`C1`."""

    def __init__(self, z: np.ndarray, y: np.ndarray, layer: int | None) -> None:
        at = f"z{'' if layer is None else f'({layer})'}"
        super().__init__("C1", layer, f"(C1) derivative of E at {at}", z.shape, (), z)
        self.y = _readonly(y)
        self.residual = _readonly(z - y)
        self.gradient = self.residual  # ∇_z E, as for the other losses' (C1)
        self.loss = SquaredError()
        self.note = ""

    def _f(self, p: np.ndarray) -> np.ndarray:
        r = p - self.y
        return np.asarray(0.5 * np.sum(r * r))

    def _apply(self, h: np.ndarray) -> np.ndarray:
        return np.asarray(self.residual @ h)

    def _adjoint_apply(self, v: np.ndarray) -> np.ndarray:
        return v * self.residual

    def matrix(self) -> np.ndarray:
        return self.residual.reshape(1, -1).copy()

    def latex(self) -> str:
        z = "z" + _sup(self.layer)
        return rf"D_{{{z}}}E({z})(h) = \left\langle {z} - y,\, h \right\rangle"

    def _latex_numbers(self) -> str:
        z = "z" + _sup(self.layer)
        return (
            rf"D_{{{z}}}E({z})(h) = \left\langle {pmatrix(self.point)} - {pmatrix(self.y)},\, "
            rf"h \right\rangle = {pmatrix(self.residual.reshape(1, -1))}\, h"
        )

    def _adjoint_latex(self) -> str:
        return rf"v \mapsto v\,(z{_sup(self.layer)} - y)"

    def _adjoint_latex_numbers(self) -> str:
        return rf"v \mapsto v\, {pmatrix(self.residual)}"


class _C2(LinearMap):
    """(C2) h ↦ J_u h, J_u = diag(σ′ᵢ(uᵢ)), at u. Made by :func:`C2`.

    ``dsigma`` is the diagonal; ``J`` the matrix (as for a softmax layer's piece); J is
    diagonal, so ``symmetric`` is True and the map is its own adjoint.
    """

    symmetric = True
    note = SYMMETRY_NOTE

    def __init__(self, sigma: LayerActivation, u: np.ndarray, layer: int | None) -> None:
        at = f"u{'' if layer is None else f'({layer})'}"
        name = f"σ{'' if layer is None else f'({layer})'}"
        super().__init__("C2", layer, f"(C2) derivative of {name} at {at}", u.shape, u.shape, u)
        self.sigma = sigma
        d = np.asarray(sigma.dsigma(u))
        self.dsigma = _readonly(d.real if np.iscomplexobj(d) else d.astype(np.float64))

    @property
    def J(self) -> np.ndarray:
        """J_u = diag(σ′(u)) as an (n, n) array."""
        return np.diag(self.dsigma)

    def _f(self, p: np.ndarray) -> np.ndarray:
        return np.asarray(self.sigma.sigma(p))

    def _apply(self, h: np.ndarray) -> np.ndarray:
        return self.dsigma * h

    def _adjoint_apply(self, v: np.ndarray) -> np.ndarray:
        return self.dsigma * v  # J_u is diagonal, hence symmetric: its own adjoint

    def matrix(self) -> np.ndarray:
        return np.diag(self.dsigma)

    def latex(self) -> str:
        s, u, ds = _sup(self.layer), "u" + _sup(self.layer), _sup(self.layer, 0, _PRIME)
        return (
            rf"D_{{{u}}}\sigma{s}({u})(h) = J{s}_{{{u}}}\, h, \quad J{s}_{{{u}}} = "
            rf"\operatorname{{diag}}\bigl(\sigma{ds}_1(u_1), \ldots, "
            rf"\sigma{ds}_{{{self.in_shape[0]}}}(u_{{{self.in_shape[0]}}})\bigr)"
        )

    def _latex_numbers(self) -> str:
        s, u = _sup(self.layer), "u" + _sup(self.layer)
        if self.sigma.uniform:
            law = rf"\sigma{s}(u) = {self.sigma.units[0].latex},\quad "
        else:
            units = ", ".join(rf"\sigma{s}_{{{i + 1}}}" for i in range(self.sigma.n))
            names = ", ".join(rf"\operatorname{{{_latex_text(a.name)}}}" for a in self.sigma.units)
            law = rf"({units}) = ({names}),\quad "
        return (
            rf"{law}{u} = {pmatrix(self.point)},\quad J{s}_{{{u}}}\, h = "
            rf"{pmatrix(np.diag(self.dsigma))}\, h"
        )

    def _adjoint_latex(self) -> str:
        s, u, st = _sup(self.layer), "u" + _sup(self.layer), _sup(self.layer, 0, _TOP)
        return rf"v \mapsto J{st}_{{{u}}} v = J{s}_{{{u}}}\, v"

    def _adjoint_latex_numbers(self) -> str:
        return rf"v \mapsto {pmatrix(np.diag(self.dsigma))}\, v"


class _C3(LinearMap):
    """(C3) H ↦ H z (or H Z for a batch). Made by :func:`C3`."""

    def __init__(self, z: np.ndarray, n_out: int, layer: int | None, W: np.ndarray) -> None:
        shape_out = (n_out,) if z.ndim == 1 else (n_out, z.shape[1])
        name = "Z" if z.ndim == 2 else "z"
        prev = "" if layer is None else f"({layer - 1})"
        title = f"(C3) derivative of W ↦ W {name}{prev}"
        super().__init__("C3", layer, title, (n_out, z.shape[0]), shape_out, W)
        self.z = _readonly(z)
        self._in_name = "H"

    def _f(self, p: np.ndarray) -> np.ndarray:
        return p @ self.z

    def _apply(self, h: np.ndarray) -> np.ndarray:
        return h @ self.z

    def _adjoint_apply(self, v: np.ndarray) -> np.ndarray:
        return np.outer(v, self.z) if self.z.ndim == 1 else v @ self.z.T

    def matrix(self) -> np.ndarray:
        Z = self.z.reshape(self.z.shape[0], -1)
        return np.kron(np.eye(self.in_shape[0]), Z.T)

    def _z(self, mark: str = "") -> str:
        return ("Z" if self.z.ndim == 2 else "z") + _sup(self.layer, -1, mark)

    def latex(self) -> str:
        W, z = "W" + _sup(self.layer), self._z()
        return rf"D_{{{W}}}\bigl(W \mapsto W {z}\bigr)({W})(H) = H {z}"

    def _latex_numbers(self) -> str:
        n, m = self.in_shape
        return (
            rf"{self._z()} = {pmatrix(self.z)},\quad H \mapsto H {pmatrix(self.z)}"
            rf"\quad (H \in \mathbb{{R}}^{{{n} \times {m}}})"
        )

    def _adjoint_latex(self) -> str:
        zt = self._z(_TOP)
        return rf"V \mapsto V {zt}"

    def _adjoint_latex_numbers(self) -> str:
        zt = self.z.reshape(1, -1) if self.z.ndim == 1 else self.z.T
        return rf"V \mapsto V {pmatrix(zt)}"


class _WLink(LinearMap):
    """The link h ↦ W⁽ℓ⁾ h. Made by :func:`weight_link`."""

    def __init__(self, W: np.ndarray, layer: int | None, z: np.ndarray) -> None:
        name = f"W{'' if layer is None else f'({layer})'}"
        super().__init__("W", layer, f"the link h ↦ {name} h", (W.shape[1],), (W.shape[0],), z)
        self.W = _readonly(W)

    def _f(self, p: np.ndarray) -> np.ndarray:
        return self.W @ p

    def _apply(self, h: np.ndarray) -> np.ndarray:
        return self.W @ h

    def _adjoint_apply(self, v: np.ndarray) -> np.ndarray:
        return self.W.T @ v

    def matrix(self) -> np.ndarray:
        return self.W.copy()

    def latex(self) -> str:
        return rf"h \mapsto W{_sup(self.layer)} h"

    def _latex_numbers(self) -> str:
        return rf"h \mapsto {pmatrix(self.W)}\, h"

    def _adjoint_latex(self) -> str:
        return rf"v \mapsto W{_sup(self.layer, 0, _TOP)} v"

    def _adjoint_latex_numbers(self) -> str:
        return rf"v \mapsto {pmatrix(self.W.T)}\, v"


# ------------------------------------------------------------------------------ constructors


def C1(
    z: object, y: object, *, layer: int | None = None, loss: object = "squared_error"
) -> LinearMap:
    """(C1) The derivative of E at z: h ↦ ⟨∇_z E, h⟩.

    For the derivation's E(z) = ½‖z − y‖² (the default ``loss``) that is h ↦ ⟨z − y, h⟩: its
    matrix is the row (z − y)ᵀ and its adjoint is v ↦ v (z − y). With
    ``loss="cross_entropy"`` (E = −Σ yᵢ log zᵢ, y a probability vector) it is
    h ↦ ⟨−y ⊘ z, h⟩; with ``loss="binary_cross_entropy"``, h ↦ ⟨(z − y) ⊘ (z ⊙ (1 − z)), h⟩.
    One sample: z and y are vectors of the same length. ``layer`` (normally L) only labels
    the formulas.
    """
    zz = _vector(z, "z")
    yy = as_float_array(y, argument="y")
    if yy.shape != zz.shape:
        raise ValueError(f"y: expected the shape of z, {zz.shape}, got shape {yy.shape}")
    fn = get_loss(loss)
    if isinstance(fn, SquaredError):
        return _C1(zz, yy, _check_layer(layer))
    fn.check_y(yy)
    inside = (zz > 0) & (zz < 1) if fn.name == "binary_cross_entropy" else zz > 0
    if fn.name == "cross_entropy":
        inside |= yy == 0
    if not np.all(inside):
        allowed = "0 < zᵢ < 1" if fn.name == "binary_cross_entropy" else "zᵢ > 0 where yᵢ > 0"
        raise ValueError(f"z: the {fn.name} E is differentiable only where {allowed}; got {zz}")
    return C1Loss(fn, zz, yy, _check_layer(layer))


def C2(sigma: object, u: object, layer: int | None = None) -> LinearMap:
    """(C2) The derivative of σ⁽ℓ⁾ at u: h ↦ J_u h, J_u = diag(σ′₁(u₁), …, σ′ₙ(uₙ)).

    ``sigma`` is a :class:`~backprop_widgets.activations.LayerActivation` (or anything
    ``LayerActivation.build`` accepts: a name, an ``Activation``, a per-unit list). J_u is
    diagonal, so the map is its own adjoint. One sample: u is a vector.

    Beyond the derivation, for ``"softmax"`` (or any ``VectorActivation``) J_u is the full
    matrix diag(z) − z zᵀ; the piece (a ``C2Full``) has ``.J`` for a heatmap and ``.note``
    on why the derivation's J = Jᵀ still holds for softmax.
    """
    uu = _vector(u, "u")
    act = LayerActivation.build(sigma, uu.size, argument="sigma")
    full = c2_for(act, uu, _check_layer(layer))
    return full if full is not None else _C2(act, uu, _check_layer(layer))


def C3(z: object, n_out: int, layer: int | None = None, *, W: object = None) -> LinearMap:
    """(C3) The derivative of W ↦ W z (at any W): H ↦ H z, for H of shape (n_out, len(z)).

    Its matrix, acting on the row-major vec(H), is kron(I_{n_out}, zᵀ); its adjoint is
    v ↦ v zᵀ, the outer product that turns Δ⁽ℓ⁾ into ∂E/∂W⁽ℓ⁾.

    For a batch, pass the matrix Z of shape (n_in, B) whose columns are the samples' z: the
    map is then H ↦ H Z (values of shape (n_out, B)), its matrix kron(I, Zᵀ) and its adjoint
    V ↦ V Zᵀ, which sums the per-sample outer products. ``W`` (optional) records the point
    W⁽ℓ⁾ where the derivative is taken; the map does not depend on it.
    """
    zz = as_float_array(z, argument="z")
    if zz.ndim not in (1, 2) or 0 in zz.shape:
        raise ValueError(
            f"z: expected a vector of shape (n_in,) or a batch matrix Z of shape (n_in, B), "
            f"got shape {zz.shape}"
        )
    if isinstance(n_out, bool) or not isinstance(n_out, numbers.Integral):
        raise TypeError(f"n_out: expected a positive integer (the rows of H), got {n_out!r}")
    if n_out < 1:
        raise ValueError(f"n_out: expected a positive integer (the rows of H), got {n_out}")
    shape = (int(n_out), zz.shape[0])
    if W is None:
        point = np.zeros(shape)
    else:
        point = as_float_array(W, argument="W")
        if point.shape != shape:
            raise ValueError(f"W: expected shape {shape} = (n_out, len(z)), got {point.shape}")
    return _C3(zz, int(n_out), _check_layer(layer), point)


def C3_bias(
    n_out: int,
    layer: int | None = None,
    *,
    b: object = None,
    batch: int | None = None,
    Wz: object = None,
) -> LinearMap:
    """(C3) for the bias: the derivative of b ↦ W z + b (at any b) is k ↦ k.

    Beyond the derivation, where there is no bias. Its matrix is the identity I_{n_out} and
    its adjoint v ↦ v, which is why ∂E/∂b⁽ℓ⁾ = Δ⁽ℓ⁾. For a batch of ``batch`` columns the
    map is k ↦ k 1ᵀ (every column moves by k), its adjoint V ↦ V 1 sums over the columns.
    ``b`` (optional) records the point b⁽ℓ⁾ and ``Wz`` (optional) the constant W⁽ℓ⁾ z⁽ℓ−1⁾
    of the map b ↦ W z + b; the derivative depends on neither.
    """
    if isinstance(n_out, bool) or not isinstance(n_out, numbers.Integral):
        raise TypeError(f"n_out: expected a positive integer (the length of b), got {n_out!r}")
    if n_out < 1:
        raise ValueError(f"n_out: expected a positive integer (the length of b), got {n_out}")
    if batch is not None and (
        isinstance(batch, bool) or not isinstance(batch, numbers.Integral) or batch < 1
    ):
        raise ValueError(f"batch: expected None (one sample) or a positive integer, got {batch!r}")
    n = int(n_out)
    point = np.zeros(n) if b is None else as_float_array(b, argument="b")
    if point.shape != (n,):
        raise ValueError(f"b: expected shape ({n},) = (n_out,), got {point.shape}")
    out = (n,) if batch is None else (n, int(batch))
    offset = np.zeros(out) if Wz is None else as_float_array(Wz, argument="Wz")
    if offset.shape != out:
        raise ValueError(f"Wz: expected shape {out}, got {offset.shape}")
    return C3Bias(point, _check_layer(layer), None if batch is None else int(batch), offset)


def weight_link(W: object, layer: int | None = None, *, z: object = None) -> LinearMap:
    """The link h ↦ W⁽ℓ⁾ h between two layers (label ``"W"``), with ``layer`` = ℓ.

    The text writes D_{u⁽ℓ−1⁾} u⁽ℓ⁾ = h ↦ W⁽ℓ⁾ J⁽ℓ−1⁾ h. Here that map is split in two: the J
    part is the (C2) piece of layer ℓ−1, which comes just before this link in a
    :class:`Chain`, and this link is the W part. ``z`` (optional, z⁽ℓ−1⁾) records the point.
    """
    WW = as_float_array(W, argument="W")
    if WW.ndim != 2 or 0 in WW.shape:
        raise ValueError(f"W: expected a matrix of shape (n(ℓ), n(ℓ−1)), got shape {WW.shape}")
    if z is None:
        point = np.zeros(WW.shape[1])
    else:
        point = _vector(z, "z")
        if point.shape != (WW.shape[1],):
            raise ValueError(f"z: expected shape ({WW.shape[1]},) to match W, got {point.shape}")
    return _WLink(WW, _check_layer(layer), point)
