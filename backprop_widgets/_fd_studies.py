"""Finite differences as a subject of study: directional checks, the Fréchet remainder, step sweeps.

These are re-exported by :mod:`backprop_widgets.gradcheck`; import them from there.

* :func:`directional_check` — a linear map Df(x) applied to a direction h against the central
  quotient (f(x + th) − f(x − th)) / 2t; :func:`check_piece` does it for one of the pieces
  (C1), (C2), (C3) of :mod:`backprop_widgets.frechet`.
* :func:`frechet_remainder` — r(t) = |E(W + tH) − E(W) − DE(W)(tH)| / ‖tH‖ over many decades of
  t: the defining property of the Fréchet derivative is r(t) → 0.
* :func:`step_sweep` — the error of each finite-difference method for one weight against the
  step h: truncation error falls with h, round-off error grows as h shrinks.

Plain numpy.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

from . import _fd
from ._checks import as_float_array, layer_number
from .network import MLP

__all__ = [
    "DirectionalCheck",
    "Remainder",
    "StepSweep",
    "check_piece",
    "directional_check",
    "frechet_remainder",
    "step_sweep",
]

# --------------------------------------------------------------------------- directional


@dataclass(frozen=True, eq=False)
class DirectionalCheck:
    """D f(x)(h) against the central quotient (f(x + th) − f(x − th)) / 2t.

    ``abs_error`` is the largest |analytic − numeric| over the output's entries; ``rel_error``
    is ``abs_error / (max|analytic| + atol/rtol)``, so ``ok`` means ``rel_error ≤ rtol``.
    """

    analytic: float | np.ndarray
    numeric: float | np.ndarray
    abs_error: float
    rel_error: float
    t: float
    ok: bool
    rtol: float
    atol: float


def _as_real_array(value: object, argument: str) -> np.ndarray:
    arr = np.asarray(value)
    if not (np.issubdtype(arr.dtype, np.number) or arr.dtype == bool) or np.iscomplexobj(arr):
        raise TypeError(f"{argument}: expected real numbers, got dtype {arr.dtype}")
    return arr.astype(np.float64)


def directional_check(
    f: Callable[[np.ndarray], object],
    Df_h: object,
    point: object,
    direction: object,
    *,
    t: float | None = None,
    rtol: float | None = None,
    atol: float | None = None,
) -> DirectionalCheck:
    """Check a claimed derivative value ``Df_h = D f(point)(direction)`` by a central quotient.

    Parameters
    ----------
    f : callable
        The map, taking an array of ``point``'s shape.
    Df_h : float or array
        The claimed D f(point)(direction), of the shape of f's output.
    point, direction : arrays of one shape
        Where, and along what, to differentiate. ``direction`` must not be zero.
    t : float, optional
        The step along ``direction``; default ε^⅓·max(1, max|point|) / max|direction|.
    rtol, atol : float, optional
        Default ``rtol`` 1e-5 (the central quotient's error is ≈ ε^⅔ relative). Default
        ``atol`` is the round-off floor 10³·ε·max|f(x ± th)| / t.
    """
    if not callable(f):
        raise TypeError(f"f: expected a callable, got {type(f).__name__}")
    p = as_float_array(point, argument="point")
    d = as_float_array(direction, argument="direction")
    if d.shape != p.shape:
        raise ValueError(f"direction: expected the shape of point {p.shape}, got {d.shape}")
    dmax = float(np.max(np.abs(d))) if d.size else 0.0
    if dmax == 0.0:
        raise ValueError("direction: must not be zero")
    if t is None:
        t = _fd.STEP["central"] * max(1.0, float(np.max(np.abs(p)))) / dmax
    else:
        t = _fd.check_positive(t, argument="t")
    rtol = _fd.RTOL["central"] if rtol is None else _fd.check_positive(rtol, argument="rtol")
    plus = _as_real_array(f(p + t * d), "f")
    minus = _as_real_array(f(p - t * d), "f")
    numeric = (plus - minus) / (2 * t)
    analytic = _as_real_array(Df_h, "Df_h")
    if analytic.shape != numeric.shape:
        raise ValueError(
            f"Df_h: expected the shape of f's output {numeric.shape}, got {analytic.shape}"
        )
    if atol is None:
        size = max(float(np.max(np.abs(plus), initial=0)), float(np.max(np.abs(minus), initial=0)))
        atol = _fd.NOISE_FACTOR * _fd.EPS * size / t
    else:
        atol = _fd.check_positive(atol, argument="atol", allow_zero=True)
    abs_error = float(np.max(np.abs(analytic - numeric), initial=0.0))
    denom = float(np.max(np.abs(analytic), initial=0.0)) + atol / rtol
    rel_error = abs_error / denom if denom > 0 else (0.0 if abs_error == 0 else math.inf)
    if analytic.ndim == 0:
        analytic_out: float | np.ndarray = float(analytic)
        numeric_out: float | np.ndarray = float(numeric)
    else:
        analytic_out, numeric_out = analytic, numeric
    ok = bool(rel_error <= rtol)
    return DirectionalCheck(analytic_out, numeric_out, abs_error, rel_error, t, ok, rtol, atol)


def check_piece(
    piece: object, direction: object = None, *, seed: int | None = 0
) -> DirectionalCheck:
    """The directional check of one Fréchet piece at its point.

    ``piece`` is a linear map from :mod:`backprop_widgets.frechet` (anything with ``f(p)``,
    the nonlinear map it is the derivative of; ``point``; ``apply(h)``; ``in_shape``).
    Without ``direction`` a standard normal one is drawn from ``seed``.
    """
    for name in ("f", "point", "apply", "in_shape"):
        if not hasattr(piece, name):
            raise TypeError(
                f"piece: expected a Fréchet piece with f, point, apply and in_shape; "
                f"{type(piece).__name__} has no {name!r}"
            )
    shape = tuple(piece.in_shape)  # type: ignore[attr-defined]
    if direction is None:
        d = np.random.default_rng(seed).standard_normal(shape)
    else:
        d = as_float_array(direction, argument="direction")
        if d.shape != shape:
            raise ValueError(f"direction: expected the piece's input shape {shape}, got {d.shape}")
    return directional_check(
        piece.f,  # type: ignore[attr-defined]
        piece.apply(d),  # type: ignore[attr-defined]
        piece.point,  # type: ignore[attr-defined]
        d,
    )


# --------------------------------------------------------------------------- remainder


@dataclass(frozen=True, eq=False)
class Remainder:
    """r(t) = |E(W + tH) − E(W) − DE(W)(tH)| / ‖tH‖ sampled at the steps ``t``.

    ``floor`` estimates the round-off in r: ε·S/‖tH‖, with S the size of the terms summed in
    E. ``slope`` is the least-squares slope of log r against log t over ``fit``: the points
    with r > 100·floor and ‖tH‖ ≤ 1e-2 (nan if fewer than 2 points).
    """

    t: np.ndarray
    r: np.ndarray
    slope: float
    fit: np.ndarray = field(repr=False)
    floor: np.ndarray = field(repr=False)
    H_norm: float = 1.0
    #: The direction used: H⁽ℓ⁾ for the weights, and K⁽ℓ⁾ for the biases (None without them).
    H: list[np.ndarray] | None = field(default=None, repr=False)
    K: list[np.ndarray] | None = field(default=None, repr=False)


def _check_direction(net: MLP, H: object) -> list[np.ndarray]:
    if isinstance(H, np.ndarray) or not isinstance(H, Sequence):
        raise TypeError(
            f"H: expected a list of {net.L} matrices shaped like W(1)..W({net.L}), "
            f"got {type(H).__name__}"
        )
    if len(H) != net.L:
        raise ValueError(f"H: expected {net.L} matrices (one per layer), got {len(H)}")
    out = []
    for k, Hk in enumerate(H):
        arr = as_float_array(Hk, argument=f"H[{k}]")
        if arr.shape != net.W(k + 1).shape:
            raise ValueError(f"H[{k}]: expected shape {net.W(k + 1).shape}, got {arr.shape}")
        out.append(arr)
    return out


def _check_bias_direction(net: MLP, K: object) -> list[np.ndarray]:
    if not net.has_bias:
        raise ValueError("K: a bias direction needs a network with biases (this one has none)")
    if isinstance(K, np.ndarray) or not isinstance(K, Sequence):
        raise TypeError(
            f"K: expected a list of {net.L} vectors shaped like b(1)..b({net.L}), "
            f"got {type(K).__name__}"
        )
    if len(K) != net.L:
        raise ValueError(f"K: expected {net.L} vectors (one per layer), got {len(K)}")
    out = []
    for k, Kk in enumerate(K):
        arr = as_float_array(Kk, argument=f"K[{k}]")
        if arr.shape != (net.sizes[k + 1],):
            raise ValueError(f"K[{k}]: expected shape ({net.sizes[k + 1]},), got {arr.shape}")
        out.append(arr)
    return out


def frechet_remainder(
    net: MLP,
    x: object,
    y: object,
    *,
    H: Sequence[np.ndarray] | None = None,
    ts: object = None,
    seed: int | None = 0,
    K: Sequence[np.ndarray] | None = None,
) -> Remainder:
    """The Fréchet remainder of E along a direction H over all layers' weights (and, for a
    network with biases, K over the biases).

    DE(W)(tH) = t Σ_ℓ ⟨∂E/∂W⁽ℓ⁾, H⁽ℓ⁾⟩ (+ t Σ_ℓ ⟨∂E/∂b⁽ℓ⁾, K⁽ℓ⁾⟩) uses the backward
    gradients, so r(t) → 0 confirms them; for smooth σ it falls with slope 1 on log-log until
    round-off (≈ ε E / ‖tH‖) takes over. Without ``H`` a standard normal direction from
    ``seed`` is drawn for the weights (then, with biases and without ``K``, for the biases)
    and the whole direction scaled to norm 1. Without biases, or with ``K`` all zero, only
    the weights move. ``ts`` defaults to ``np.logspace(-8, 0, 33)``.
    """
    net = _fd.check_net(net)
    xx, yy = net.check_xy(x, y)
    Ks = None if K is None else _check_bias_direction(net, K)
    if H is None:
        rng = np.random.default_rng(seed)
        Hs = [rng.standard_normal(W.shape) for W in net.weights]
        if net.has_bias and Ks is None:
            Ks = [rng.standard_normal(b.shape) for b in net.biases]  # type: ignore[union-attr]
        total = math.sqrt(sum(float(np.sum(a * a)) for a in Hs + (Ks or [])))
        Hs = [a / total for a in Hs]
        Ks = None if Ks is None else [a / total for a in Ks]
    else:
        Hs = _check_direction(net, H)
    if all(not np.any(a) for a in Hs + (Ks or [])):
        raise ValueError("H: the direction must not be zero")
    t = np.logspace(-8, 0, 33) if ts is None else as_float_array(ts, argument="ts")
    if t.ndim != 1 or t.size == 0 or np.any(t <= 0):
        raise ValueError("ts: expected a non-empty 1-d array of steps t > 0")
    H_norm = math.sqrt(sum(float(np.sum(a * a)) for a in Hs + (Ks or [])))
    back = net.backward(xx, yy)
    DE_H = sum(float(np.sum(g * a)) for g, a in zip(back.grads, Hs, strict=True))
    if Ks is not None:
        DE_H += sum(float(np.sum(g * a)) for g, a in zip(back.grads_b, Ks, strict=True))
    E0 = back.E

    def moved(tk: float) -> MLP:
        Ws = [W + tk * a for W, a in zip(net.weights, Hs, strict=True)]
        if Ks is None:
            return net.with_weights(Ws)
        bs = [b + tk * a for b, a in zip(net.biases, Ks, strict=True)]  # type: ignore[arg-type]
        return net.with_weights(Ws, bs)

    E_t = np.array([moved(tk).loss(xx, yy) for tk in t])
    r = np.abs(E_t - E0 - t * DE_H) / (t * H_norm)
    point = _fd.base_point(net, xx, yy)
    floor = _fd.EPS * point.scale / (t * H_norm)
    fit = (r > 100 * floor) & (t * H_norm <= 1e-2) & (r > 0)
    slope = float(np.polyfit(np.log(t[fit]), np.log(r[fit]), 1)[0]) if fit.sum() >= 2 else math.nan
    return Remainder(t, r, slope, fit, floor, H_norm, Hs, Ks)


# --------------------------------------------------------------------------- step sweep


@dataclass(frozen=True, eq=False)
class StepSweep:
    """|finite difference − analytic| for one weight w_ij of layer ℓ, per method and step h.

    ``scale`` is S, the size of the terms summed in E: the round-off of a difference quotient
    is about ε·S/h.
    """

    h: np.ndarray
    errors: dict[str, np.ndarray]
    analytic: float = 0.0
    layer: int = 1
    i: int = 0
    j: int = 0
    scale: float = 0.0
    param: str = "W"  # "W" for w_ij, "b" for b_i (then j is 0)


_DEFAULT_METHODS = ("forward", "central", "complex")


def _check_index(value: object, n: int, argument: str) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{argument}: expected an integer index in 0..{n - 1}, got {value!r}")
    if not 0 <= value < n:
        raise ValueError(f"{argument}: must be in 0..{n - 1} (0-based), got {value}")
    return int(value)


def step_sweep(
    net: MLP,
    x: object,
    y: object,
    layer: int,
    i: int,
    j: int | None = None,
    *,
    methods: Sequence[str] = _DEFAULT_METHODS,
    hs: object = None,
    param: str = "W",
) -> StepSweep:
    """The error of each method for ∂E/∂w_ij⁽ℓ⁾ (or ∂E/∂b_i⁽ℓ⁾) against the step h.

    ``i`` and ``j`` index W⁽ℓ⁾ from 0, like the arrays of a :class:`LayerCheck`; with
    ``param="b"`` the bias b⁽ℓ⁾ is swept and ``j`` is left out (or 0). ``hs`` defaults to
    ``np.logspace(-16, 0, 33)``. With the default ``methods``, "complex" is left out when some
    activation does not allow complex input; asked for by name, it raises.
    """
    net = _fd.check_net(net)
    ell = layer_number(layer, net.L)
    bias = _fd.check_param(param, net)
    n_out, n_in = net.W(ell).shape
    ii = _check_index(i, n_out, "i")
    if bias:
        jj = 0 if j is None else _check_index(j, 1, "j")
    elif j is None:
        raise TypeError("j: the column of w_ij is needed (0-based), e.g. step_sweep(..., i, j)")
    else:
        jj = _check_index(j, n_in, "j")
    if isinstance(methods, str) or not isinstance(methods, Sequence) or not methods:
        raise TypeError(f"methods: expected a non-empty list of {_fd.METHODS}, got {methods!r}")
    chosen = [_fd.check_method(m) for m in methods]
    if "complex" in chosen:
        try:
            _fd.check_complex_safe(net, ell)
        except ValueError:
            if methods is not _DEFAULT_METHODS:
                raise
            chosen.remove("complex")
    hs_arr = np.logspace(-16, 0, 33) if hs is None else as_float_array(hs, argument="hs")
    if hs_arr.ndim != 1 or hs_arr.size == 0 or np.any(hs_arr <= 0):
        raise ValueError("hs: expected a non-empty 1-d array of steps h > 0")
    xx, yy = net.check_xy(x, y)
    back = net.backward(xx, yy)
    analytic = float(back.grad_b(ell)[ii] if bias else back.grad(ell)[ii, jj])
    point = _fd.base_point(net, xx, yy)
    n = hs_arr.size
    I, J = np.full(n, ii), np.full(n, jj)
    errors: dict[str, np.ndarray] = {}
    for m in chosen:
        if m == "central":
            plus, _ = _fd.perturbed_losses(point, ell, I, J, hs_arr, bias=bias)
            minus, _ = _fd.perturbed_losses(point, ell, I, J, -hs_arr, bias=bias)
            fd = (plus - minus) / (2 * hs_arr)
        elif m == "forward":
            plus, _ = _fd.perturbed_losses(point, ell, I, J, hs_arr, bias=bias)
            fd = (plus - point.E) / hs_arr
        else:
            E, _ = _fd.perturbed_losses(point, ell, I, J, 1j * hs_arr, bias=bias)
            fd = E.imag / hs_arr
        errors[m] = np.abs(fd - analytic)
    return StepSweep(hs_arr, errors, analytic, ell, ii, jj, point.scale, "b" if bias else "W")
