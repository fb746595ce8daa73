"""The vectorised finite-difference engine behind :mod:`backprop_widgets.gradcheck`.

Perturbing one weight w_ij of layer ℓ by a step s changes only the i-th pre-activation of that
layer, u_i⁽ℓ⁾ ↦ u_i⁽ℓ⁾ + s z_j⁽ℓ−1⁾ (for every sample of a batch). So the perturbed networks for
*all* entries of W⁽ℓ⁾ differ from the base forward pass only from layer ℓ on, and only in one
row at layer ℓ. :func:`perturbed_losses` builds one column per (entry, step) pair, updates
u⁽ℓ+1⁾ by a rank-one correction, pushes the whole block of columns through the layers above ℓ
at once, and sums E per column. There is no Python loop over entries; callers only chunk the
columns to bound memory.

The same pass reports, per column, whether some pre-activation of a unit with a kink (relu,
leaky_relu, any :class:`~backprop_widgets.activations.Activation` with ``kinks``) moved across
or onto a kink, so such entries can be flagged instead of failed.

Plain numpy; internal (the public names live in :mod:`backprop_widgets.gradcheck`).
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import numpy as np

from ._checks import layer_number
from .activations import LayerActivation
from .losses import SquaredError
from .network import MLP, Forward

METHODS: tuple[str, ...] = ("central", "forward", "complex")

EPS = float(np.finfo(np.float64).eps)

#: Default step per method, before dividing by s = max(1, max |z⁽ℓ−1⁾|) (see default_step).
#: Central: ε^{1/3} balances the O(h²) truncation against the O(ε/h) round-off; forward: √ε
#: balances O(h) against O(ε/h); complex step has no subtraction, so any tiny step works and
#: 1e-20 makes O(h²) vanish.
STEP: dict[str, float] = {"central": 6e-6, "forward": 1.5e-8, "complex": 1e-20}

#: Default relative tolerance per method: the method's typical relative error (≈ ε^{2/3} ≈
#: 4e-11 central, ≈ √ε ≈ 1.5e-8 forward, a few ε complex) times a wide safety margin for badly
#: scaled curvature — still far below the O(1) relative error of a wrong σ′.
RTOL: dict[str, float] = {"central": 1e-5, "forward": 1e-4, "complex": 1e-8}

#: Round-off safety factor in the absolute noise floor c·ε·S/h (see :func:`noise_floor`).
NOISE_FACTOR = 1e3

#: Elements of the widest (C·B, n) array of one chunk: 2**17 float64 values = 1 MiB (a few
#: MiB for all the temporaries of a chunk). Much larger chunks were slower on a 2-core machine
#: (fresh multi-MiB temporaries cost page faults and fall out of cache); much smaller ones pay
#: per-call overhead.
CHUNK_ELEMENTS = 2**17


# --------------------------------------------------------------------------- validation


def check_method(method: object) -> str:
    if not isinstance(method, str) or method not in METHODS:
        raise ValueError(f"method: must be one of {', '.join(map(repr, METHODS))}, got {method!r}")
    return method


def check_positive(value: object, *, argument: str, allow_zero: bool = False) -> float:
    """A finite real number > 0 (or ≥ 0 with ``allow_zero``)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{argument}: expected a positive real number, got {value!r}")
    v = float(value)
    if not math.isfinite(v) or v < 0 or (v == 0 and not allow_zero):
        what = "a finite number ≥ 0" if allow_zero else "a finite number > 0"
        raise ValueError(f"{argument}: must be {what}, got {value!r}")
    return v


def check_param(param: object, net: MLP) -> bool:
    """``"W"`` (False) or ``"b"`` (True, which needs a network with biases)."""
    if param not in ("W", "b"):
        raise ValueError(f"param: must be 'W' (the weights) or 'b' (the biases), got {param!r}")
    if param == "b" and not net.has_bias:
        raise ValueError(
            "param: 'b' needs a network with biases (this one has none; build it with "
            "MLP(..., bias=True))"
        )
    return param == "b"


def check_net(net: object) -> MLP:
    if not isinstance(net, MLP):
        raise TypeError(f"net: expected a backprop_widgets.MLP, got {type(net).__name__}")
    return net


def check_layers(layers: object, L: int) -> list[int]:
    """Layer numbers ℓ in 1..L, sorted, without repeats; ``None`` means all of them."""
    if layers is None:
        return list(range(1, L + 1))
    if isinstance(layers, numbers.Integral) and not isinstance(layers, bool):
        layers = [layers]
    if isinstance(layers, (str, bytes)) or not isinstance(layers, Iterable):
        raise TypeError(f"layers: expected an iterable of layer numbers in 1..{L}, got {layers!r}")
    out = {layer_number(ell, L, argument="layers") for ell in layers}
    if not out:
        raise ValueError(f"layers: give at least one layer number in 1..{L} (or None for all)")
    return sorted(out)


def check_complex_safe(net: MLP, first_layer: int) -> None:
    """The complex step pushes complex numbers through layers first_layer..L: all must allow it."""
    for ell in range(first_layer, net.L + 1):
        for k, a in enumerate(net.sigma(ell).units):
            if not a.complex_step:
                unit = "" if net.sigma(ell).uniform else f" (unit {k + 1})"
                raise ValueError(
                    f"method='complex': layer {ell}{unit} uses activation {a.name!r}, whose "
                    f"complex_step is False (its σ is not known to accept complex input); use "
                    f"method='central', or build the Activation with complex_step=True if σ is "
                    f"analytic"
                )


# --------------------------------------------------------------------------- the base point


@dataclass(frozen=True)
class BasePoint:
    """The unperturbed forward pass, with the input folded to a batch of B ≥ 1 columns."""

    net: MLP
    fw: Forward  # on x as a (n(0), B) matrix
    y: np.ndarray  # (n(L), B)
    E: float
    scale: float  # S in the noise floor: the size of the terms whose rounding reaches E
    per_sample: float = 1.0  # 1, or 1/B for reduction="mean"

    @property
    def B(self) -> int:
        return self.y.shape[1]


def base_point(net: MLP, x: np.ndarray, y: np.ndarray) -> BasePoint:
    """``x``, ``y`` already validated by ``net.check_xy``."""
    x2 = x.reshape(x.shape[0], -1)
    y2 = y.reshape(y.shape[0], -1)
    fw = net._forward(x2)
    loss = net.loss_function
    c = 1.0 / y2.shape[1] if net.reduction == "mean" and y.ndim == 2 else 1.0
    if isinstance(loss, SquaredError):
        r = fw.output - y2
        E = 0.5 * float(np.sum(r * r))
    else:
        E = loss.value(fw.us[-1], fw.output, y2)
    # The size of the terms whose rounding reaches E (for squared error: rounding of z⁽ᴸ⁾,
    # relative ε per entry, moves E by about ε Σ|r||z|, and summing E itself costs about ε E).
    S = loss.roundoff_scale(fw.us[-1], fw.output, y2)
    return BasePoint(net, fw, y2, E * c, S * c, c)


def noise_floor(point: BasePoint, method: str, h: float) -> float:
    """The absolute round-off level of one finite-difference quotient: c·ε·S/h.

    Forward and central quotients divide a difference of two losses, each rounded to about
    ε·S, by the step; the complex step takes no difference, so its floor is c·ε·S with no 1/h.
    """
    if method == "complex":
        return NOISE_FACTOR * EPS * point.scale
    return NOISE_FACTOR * EPS * point.scale / h


def default_step(point: BasePoint, method: str, layers: Iterable[int]) -> float:
    """STEP[method] / s with s = max(1, max |z⁽ℓ−1⁾|) over the checked layers ℓ.

    A step h in w_ij moves u_i⁽ℓ⁾ by h z_j⁽ℓ−1⁾, and the truncation error grows with the size
    of that move (relative error ~ (h z_j)² E‴/E′ for central), so large inputs to a layer get
    a proportionally smaller h: the move in u stays at most STEP[method].
    """
    if method == "complex":
        return STEP["complex"]
    scale = max(1.0, *(float(np.max(np.abs(point.fw.zs[ell - 1]))) for ell in layers))
    return STEP[method] / scale


# --------------------------------------------------------------------------- the engine


def _sigma_columns(act: LayerActivation, unit: np.ndarray, U: np.ndarray) -> np.ndarray:
    """σ applied to rows of U whose units are ``unit[c]`` (one unit per row c; elementwise σ)."""
    if act.uniform:
        one = LayerActivation([act.units[0]])
        return one.sigma(U.reshape(1, -1)).reshape(U.shape)
    out = np.empty_like(U, dtype=np.result_type(U, np.float64))
    groups: dict[int, list[int]] = {}
    for k, a in enumerate(act.units):
        groups.setdefault(id(a), []).append(k)
    for rows in groups.values():
        cols = np.isin(unit, rows)
        if np.any(cols):
            one = LayerActivation([act.units[rows[0]]])
            out[cols] = one.sigma(U[cols].reshape(1, -1)).reshape(U[cols].shape)
    return out


def _sigma_rows(act: LayerActivation, U: np.ndarray) -> np.ndarray:
    """σ⁽ℓ⁾ applied to U of shape (rows, n(ℓ)): the units along axis 1."""
    if act.elementwise and act.uniform:
        one = LayerActivation([act.units[0]])
        return one.sigma(U.reshape(1, -1)).reshape(U.shape)
    return act.sigma(U.T).T


def _kink_rows(act: LayerActivation) -> list[tuple[float, np.ndarray]]:
    """(kink value, boolean mask of the units that have it) for each kink in a layer."""
    values = sorted({k for ks in act.kinks() for k in ks})
    return [(k, np.array([k in ks for ks in act.kinks()])) for k in values]


def _moved_across(U: np.ndarray, base: np.ndarray, kink: float) -> np.ndarray:
    """Entries whose perturbed value moved onto or across ``kink`` (touching counts)."""
    a = np.real(U) - kink
    b = base - kink
    moved = (a != b) | (np.imag(U) != 0)
    return moved & (np.sign(a) * np.sign(b) <= 0)


def _loss_of_rows(point: BasePoint, U: np.ndarray, Z: np.ndarray, C: int) -> np.ndarray:
    """E per column c from the output rows (row c·B + b: column c, sample b)."""
    B, n = point.B, Z.shape[1]
    loss = point.net.loss_function
    if isinstance(loss, SquaredError):
        R = Z.reshape(C, B, n) - point.y.T[None, :, :]
        E = 0.5 * np.sum(R * R, axis=(1, 2))
    else:  # the loss wants the units along axis 0: (n, C, B) against y as (n, 1, B)
        u3 = U.reshape(C, B, n).transpose(2, 0, 1)
        z3 = Z.reshape(C, B, n).transpose(2, 0, 1)
        E = np.sum(loss.per_sample(u3, z3, point.y[:, None, :]), axis=1)
    return E * point.per_sample if point.per_sample != 1.0 else E


def perturbed_losses(
    point: BasePoint,
    layer: int,
    i: np.ndarray,
    j: np.ndarray,
    steps: np.ndarray,
    *,
    bias: bool = False,
) -> tuple[np.ndarray, np.ndarray]:
    """E at W⁽ℓ⁾ + s_c E_{i_c j_c} (or b⁽ℓ⁾ + s_c e_{i_c}) for every column c, and the
    per-column kink flags.

    Parameters
    ----------
    point : BasePoint
    layer : int
        ℓ in 1..L.
    i, j : int arrays, shape (C,)
        Row and column (0-based) of the perturbed entry of W⁽ℓ⁾ for each column (j unused
        for a bias).
    steps : float or complex array, shape (C,)
        The step s_c added to w_{i_c j_c} (or to b_{i_c}).
    bias : bool
        Perturb b⁽ℓ⁾ instead of W⁽ℓ⁾: u_i⁽ℓ⁾ then moves by s_c instead of s_c z_j⁽ℓ−1⁾.

    Returns
    -------
    E : array (C,), real or complex like ``steps``
    kink : bool array (C,)
    """
    net, fw, y = point.net, point.fw, point.y
    L = net.L
    C, B = len(i), point.B
    biases = net.biases
    kink = np.zeros(C, dtype=bool)
    # Layer ℓ: only row i changes, by s z_j⁽ℓ−1⁾ (or by s, for b_i), in every sample.
    u_base = fw.us[layer - 1][i]  # (C, B)
    up = u_base + (steps[:, None] if bias else steps[:, None] * fw.zs[layer - 1][j])
    act = net.sigma(layer)
    for k, rows in _kink_rows(act):
        kink |= np.any(_moved_across(up, u_base, k) & rows[i][:, None], axis=1)
    if not act.elementwise:
        # softmax-like: every z of the layer moves, so carry all of u⁽ℓ⁾ as rows from here.
        U = np.repeat(fw.us[layer - 1].T[None, :, :], C, axis=0).astype(up.dtype)  # (C, B, n)
        U[np.arange(C), :, i] = up
        U = U.reshape(C * B, -1)
        Z = _sigma_rows(act, U)
        if layer == L:
            return _loss_of_rows(point, U, Z, C), kink
        U = Z @ net.weights[layer].T
        if biases is not None:
            U += biases[layer]
    else:
        zp = _sigma_columns(act, i, up)
        if layer == L:
            loss = net.loss_function
            if isinstance(loss, SquaredError):
                r = fw.output - y
                row_E = 0.5 * np.sum(r * r, axis=1)
                rest = float(np.sum(row_E)) - row_E[i]
                diff = zp - y[i]
                E = rest + 0.5 * np.sum(diff * diff, axis=1)
            else:  # separable (binary cross-entropy): one unit's term changes
                row_E = np.sum(loss.per_unit(fw.us[-1], fw.output, y), axis=1)
                rest = float(np.sum(row_E)) - row_E[i]
                E = rest + np.sum(loss.per_unit(up, zp, y[i]), axis=1)
            return (E * point.per_sample if point.per_sample != 1.0 else E), kink
        # Layer ℓ+1: u⁽ℓ+1⁾ + W⁽ℓ+1⁾[:, i] (σ(u_i + s z_j) − σ(u_i)), a rank-one change per
        # column. From here on the perturbed copies are *rows* (row c·B + b: column c,
        # sample b), so every array is C-contiguous along the units and each layer is one
        # (C·B, n) @ Wᵀ.
        dz = (zp - fw.zs[layer][i]).reshape(C * B, 1)
        WT_next = np.ascontiguousarray(net.weights[layer].T)  # row k = column k of W⁽ℓ+1⁾
        U = WT_next[np.repeat(i, B)]  # (C·B, n(ℓ+1)), a fresh gathered copy
        U = U * dz if np.iscomplexobj(dz) else np.multiply(U, dz, out=U)
        U3 = U.reshape(C, B, -1)
        U3 += fw.us[layer].T[None, :, :]
    for ell in range(layer + 1, L + 1):
        n = U.shape[1]
        act = net.sigma(ell)
        base = fw.us[ell - 1].T[None, :, :]  # (1, B, n)
        U3 = U.reshape(C, B, n)
        for k, rows in _kink_rows(act):
            kink |= np.any(_moved_across(U3[:, :, rows], base[:, :, rows], k), axis=(1, 2))
        Z = _sigma_rows(act, U)
        if ell < L:
            U = Z @ net.weights[ell].T
            if biases is not None:
                U += biases[ell]
        else:
            return _loss_of_rows(point, U, Z, C), kink
    raise AssertionError("unreachable")  # pragma: no cover


def chunk_size(point: BasePoint, layer: int, complex_: bool) -> int:
    """Columns per chunk so that the widest (C·B, n) array stays near CHUNK_ELEMENTS."""
    widest = max(point.net.sizes[layer:]) * point.B * (2 if complex_ else 1)
    return max(1, CHUNK_ELEMENTS // widest)


def numeric_layer(
    point: BasePoint,
    layer: int,
    method: str,
    h: float,
    progress: Callable[[int], None] | None = None,
    *,
    bias: bool = False,
) -> tuple[np.ndarray, np.ndarray]:
    """All of ∂E/∂W⁽ℓ⁾ (or, with ``bias``, ∂E/∂b⁽ℓ⁾) by finite differences, and the kink
    mask, vectorised and chunked. Shapes: W⁽ℓ⁾'s, or (n(ℓ),) for a bias.

    ``progress(k)`` is told after each chunk how many entries it finished.
    """
    n_out, n_in = point.net.sizes[layer], point.net.sizes[layer - 1]
    K = n_out if bias else n_out * n_in
    numeric = np.empty(K)
    kink = np.zeros(K, dtype=bool)
    per_entry = 2 if method == "central" else 1
    size = max(1, chunk_size(point, layer, method == "complex") // per_entry)
    for start in range(0, K, size):
        ks = np.arange(start, min(K, start + size))
        i, j = (ks, np.zeros_like(ks)) if bias else (ks // n_in, ks % n_in)
        if method == "central":
            steps = np.concatenate([np.full(len(ks), h), np.full(len(ks), -h)])
            E, flags = perturbed_losses(
                point, layer, np.tile(i, 2), np.tile(j, 2), steps, bias=bias
            )
            plus, minus = E[: len(ks)], E[len(ks) :]
            numeric[ks] = (plus - minus) / (2 * h)
            kink[ks] = flags[: len(ks)] | flags[len(ks) :]
        elif method == "forward":
            E, flags = perturbed_losses(point, layer, i, j, np.full(len(ks), h), bias=bias)
            numeric[ks] = (E - point.E) / h
            kink[ks] = flags
        else:
            E, flags = perturbed_losses(point, layer, i, j, np.full(len(ks), 1j * h), bias=bias)
            numeric[ks] = E.imag / h
            kink[ks] = flags
        if progress is not None:
            progress(len(ks))
    if bias:
        return numeric, kink
    return numeric.reshape(n_out, n_in), kink.reshape(n_out, n_in)
