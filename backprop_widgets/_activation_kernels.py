"""The numpy kernels of the built-in activations (σ, σ′ and, for softmax, J and Jᵀv).

Each is written so that it stays finite, and raises no floating-point warning, for |u| up to
1e4 and beyond, and accepts complex input for the complex-step check (piecewise ones choose
their branch by the real part). The classes that use them live in
:mod:`backprop_widgets.activations`. Plain numpy; internal.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

ArrayFn = Callable[[np.ndarray], np.ndarray]


def _real(u: np.ndarray) -> np.ndarray:
    return u.real if np.iscomplexobj(u) else u


def _split(u: np.ndarray, f_pos: ArrayFn, f_neg: ArrayFn) -> np.ndarray:
    """Evaluate ``f_pos`` where Re u ≥ 0 and ``f_neg`` where Re u < 0, never both on one entry.

    Evaluating only the branch that is safe for each entry is what keeps exp() from
    overflowing (and warning) at |u| = 1e4.
    """
    u = np.asarray(u)
    out = np.empty_like(u, dtype=np.result_type(u, np.float64))
    pos = _real(u) >= 0
    out[pos] = f_pos(u[pos])
    out[~pos] = f_neg(u[~pos])
    return out


def _sigmoid(u: np.ndarray) -> np.ndarray:
    return _split(u, lambda a: 1.0 / (1.0 + np.exp(-a)), lambda a: np.exp(a) / (1.0 + np.exp(a)))


def _dsigmoid(u: np.ndarray) -> np.ndarray:
    s = _sigmoid(u)
    return s * (1.0 - s)


def _sigmoid_both(u: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    s = _sigmoid(u)
    return s, s * (1.0 - s)


def _dtanh(u: np.ndarray) -> np.ndarray:
    t = np.tanh(u)
    return 1.0 - t * t


def _tanh_both(u: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    t = np.tanh(u)
    return t, 1.0 - t * t


def _softplus(u: np.ndarray) -> np.ndarray:
    return _split(u, lambda a: a + np.log1p(np.exp(-a)), lambda a: np.log1p(np.exp(a)))


def _elu(u: np.ndarray) -> np.ndarray:
    return _split(u, lambda a: a, np.expm1)


def _delu(u: np.ndarray) -> np.ndarray:
    return _split(u, np.ones_like, np.exp)


def _silu(u: np.ndarray) -> np.ndarray:
    return u * _sigmoid(u)


def _dsilu(u: np.ndarray) -> np.ndarray:
    s = _sigmoid(u)
    return s * (1.0 + u * (1.0 - s))


def _abs_analytic(u: np.ndarray) -> np.ndarray:
    """|u| for real u, continued as ±u by the sign of Re u for complex u."""
    return np.where(_real(u) >= 0, u, -u)


def _softsign(u: np.ndarray) -> np.ndarray:
    return u / (1.0 + _abs_analytic(u))


def _dsoftsign(u: np.ndarray) -> np.ndarray:
    return (1.0 / (1.0 + _abs_analytic(u))) ** 2  # square after dividing: no overflow at 1e200


LEAKY_SLOPE = 0.01


# --------------------------------------------------------------------------- softmax


def _softmax(u: np.ndarray) -> np.ndarray:
    """softmax along axis 0 (the units), for (n,) or (n, B): exp(u − max u) / Σ exp(u − max u).

    Subtracting the column's largest (real part of) uᵢ keeps every exponent ≤ 0: no overflow
    at u = 1e4, and the largest term is exactly 1, so the sum is never 0.
    """
    m = np.max(_real(u), axis=0, keepdims=True)
    e = np.exp(u - m)
    return e / np.sum(e, axis=0, keepdims=True)


def _softmax_jacobian(u: np.ndarray) -> np.ndarray:
    """J_u = diag(z) − z zᵀ with z = softmax(u), for one sample u of shape (n,)."""
    z = _softmax(u)
    return np.diag(z) - np.outer(z, z)


def _softmax_vjp(u: np.ndarray, z: np.ndarray, v: np.ndarray) -> np.ndarray:
    """J_uᵀ v = z ⊙ (v − ⟨z, v⟩) column by column, without forming J (J is symmetric)."""
    return z * (v - np.sum(z * v, axis=0, keepdims=True))
