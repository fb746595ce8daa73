"""The built-in exercises of the homework, made with the public :func:`define`.

Each reference answer is computed by the core (:class:`~backprop_widgets.network.MLP`,
:mod:`~backprop_widgets.activations`) or by the derivation's formula, from the case's own
arguments; never from a student's code. Cases draw every random number from ``rng``, so a
variant (a student id) changes the numbers and the same variant always gives the same ones.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from ..activations import Activation, get_activation
from ..losses import get_loss
from ..network import MLP, half_squared_error
from ._registry import define
from ._sandbox import ForwardOnly
from ._variants import UNSET, Variant, resolve_variant, variant_rng

__all__ = ["mystery_activation", "mystery_network"]


def _seed(rng: np.random.Generator) -> int:
    return int(rng.integers(0, 2**31))


def _network(rng: np.random.Generator, sizes: list[int], acts: Any, batch: int | None = None):
    """A network of the core with weights from ``rng``, an input x and a target y."""
    net = MLP(sizes, acts, seed=_seed(rng))
    x = rng.normal(size=(sizes[0],) if batch is None else (sizes[0], batch))
    y = rng.normal(size=(sizes[-1],) if batch is None else (sizes[-1], batch))
    return net, x, y


# --------------------------------------------------------------------------- q1 … q4


def _loss_cases(rng: np.random.Generator) -> list[tuple[Any, ...]]:
    return [(rng.normal(size=s), rng.normal(size=s)) for s in [(1,), (3,), (5,), (3, 4)]]


def _dE(z: np.ndarray, y: np.ndarray, h: np.ndarray) -> float:
    # (C1): D_z E(z)(h) = ⟨z − y, h⟩, the Frobenius inner product for a batch.
    return float(np.sum((z - y) * h))


def _dE_cases(rng: np.random.Generator) -> list[tuple[Any, ...]]:
    out = []
    for n, batch in [(1, None), (3, None), (4, None), (3, 5)]:
        net, x, y = _network(rng, [2, n], "tanh", batch)
        z = net.forward(x).output
        out.append((z, y, rng.normal(size=z.shape)))
    return out


_SOFTPLUS = get_activation("softplus")


def _dsoftplus_cases(rng: np.random.Generator) -> list[tuple[Any, ...]]:
    return [
        (np.linspace(-6.0, 6.0, 7) + rng.uniform(-0.1, 0.1, size=7),),
        (np.array([0.0]),),
        # exp(800) overflows float64: a plain e^u / (1 + e^u) gives NaN here.
        (np.array([-800.0, -30.0, -1e-3, 30.0, 800.0]),),
        (rng.normal(scale=3.0, size=(3, 4)),),
    ]


def _apply_C3(H: np.ndarray, z: np.ndarray) -> np.ndarray:
    # (C3): W ↦ W z is linear, so its derivative along H is the same map applied to H.
    return H @ z


def _apply_C3_cases(rng: np.random.Generator) -> list[tuple[Any, ...]]:
    out = []
    for sizes, layer, batch in [([3, 4, 2], 1, None), ([1, 1], 1, None), ([3, 3, 3], 2, None)]:
        net, x, _ = _network(rng, sizes, "tanh", batch)
        out.append((rng.normal(size=net.W(layer).shape), net.forward(x).z(layer - 1)))
    net, x, _ = _network(rng, [2, 4, 2], "tanh", 5)
    out.append((rng.normal(size=net.W(2).shape), net.forward(x).z(1)))
    return out


# --------------------------------------------------------------------------- q5 … q8


def _delta_L(z_L: np.ndarray, y: np.ndarray, dsigma_L: np.ndarray) -> np.ndarray:
    # Δ(L) = J(L)(z(L) − y); J(L) is diagonal, so the product is entrywise.
    return dsigma_L * (z_L - y)


def _delta_L_cases(rng: np.random.Generator) -> list[tuple[Any, ...]]:
    out = []
    specs = [([2, 3], "tanh", None), ([2, 1], "sigmoid", None), ([3, 4, 2], "softplus", None)]
    for sizes, act, batch in [*specs, ([2, 3], "sin", 4)]:
        net, x, y = _network(rng, sizes, act, batch)
        fw = net.forward(x)
        out.append((fw.z(net.L), y, fw.dsigma(net.L)))
    return out


def _delta_step(delta_next: np.ndarray, W_next: np.ndarray, dsigma: np.ndarray) -> np.ndarray:
    # One step of the recursion: Δ(ℓ) = J(ℓ) W(ℓ+1)ᵀ Δ(ℓ+1).
    return dsigma * (W_next.T @ delta_next)


def _delta_step_cases(rng: np.random.Generator) -> list[tuple[Any, ...]]:
    out = []
    specs = [
        ([2, 3, 4, 2], ["tanh", "sigmoid", "identity"], 2, None),
        ([2, 3, 4, 2], ["tanh", "sigmoid", "identity"], 1, None),
        ([3, 3, 3], ["softplus", "tanh"], 1, None),
        ([1, 1, 1], ["sigmoid", "identity"], 1, None),
        ([2, 3, 2], ["elu", "identity"], 1, 4),
    ]
    for sizes, acts, layer, batch in specs:
        net, x, y = _network(rng, sizes, acts, batch)
        back = net.backward(x, y)
        out.append((back.delta(layer + 1), net.W(layer + 1), back.forward.dsigma(layer)))
    return out


_NETS = [
    ([1, 1], ["identity"], None),
    ([2, 3, 1], ["tanh", "identity"], None),
    ([3, 4, 4, 2], [["tanh", "relu", "sigmoid", "sin"], "softplus", "identity"], None),
    ([2, 3, 2], ["silu", "tanh"], 5),
]


def _gradients(net: ForwardOnly, x: np.ndarray, y: np.ndarray) -> list[np.ndarray]:
    return net._net.gradients(x, y)


def _gradients_cases(rng: np.random.Generator) -> list[tuple[Any, ...]]:
    out = []
    for sizes, acts, batch in _NETS:
        net, x, y = _network(rng, sizes, acts, batch)
        out.append((ForwardOnly(net), x, y))
    return out


def _directional(net: MLP, x: np.ndarray, y: np.ndarray, layer: int, H: np.ndarray) -> float:
    # D_{W(ℓ)}E(H) = tr((∂E/∂W(ℓ))ᵀ H) = Σᵢⱼ [∂E/∂W(ℓ)]ᵢⱼ Hᵢⱼ.
    return float(np.sum(net.backward(x, y).grad(layer) * H))


def _directional_cases(rng: np.random.Generator) -> list[tuple[Any, ...]]:
    out = []
    for k, (sizes, acts, batch) in enumerate(_NETS):
        net, x, y = _network(rng, sizes, acts, batch)
        layer = 1 + k % net.L
        out.append((net, x, y, layer, rng.normal(size=net.W(layer).shape)))
    return out


# --------------------------------------------------------------------------- q9, the mystery


def _mystery(variant: Variant) -> tuple[float, int, int]:
    """(sharpness k, the layer ℓ it sits in, the weights' seed) of the mystery network."""
    if variant is None:
        return 3.0, 2, 7
    rng = variant_rng("mystery network", variant)
    return float(rng.choice([2.0, 3.0, 4.0, 5.0])), int(rng.choice([1, 2])), _seed(rng)


def _soft(k: float) -> Callable[[np.ndarray], np.ndarray]:
    return lambda u: _SOFTPLUS.f(k * u) / k


def _soft_df(k: float) -> Callable[[np.ndarray], np.ndarray]:
    return lambda u: get_activation("sigmoid").f(k * u)


def _soft_df_buggy(k: float) -> Callable[[np.ndarray], np.ndarray]:
    # The chain-rule factor k is applied, but the 1/k in front of softplus is forgotten.
    return lambda u: k * get_activation("sigmoid").f(k * u)


def mystery_activation(
    dsigma: Callable[[np.ndarray], np.ndarray] | None = None, *, variant: Any = UNSET
) -> Activation:
    """The activation of exercise q9, σ(u) = (1/k)·log(1 + e^{ku}), with a σ′ that has a bug.

    Parameters
    ----------
    dsigma : callable, optional
        Your own σ′ to use instead of the buggy one.
    variant : str or int or None, optional
        Whose mystery (k depends on it); by default the notebook's.
    """
    if dsigma is not None and not callable(dsigma):
        raise TypeError(
            f"dsigma: expected a function of a numpy array, got {type(dsigma).__name__}"
        )
    k, _, _ = _mystery(resolve_variant(variant))
    kk = f"{k:g}"
    return Activation(
        f"soft{kk}",
        _soft(k),
        _soft_df_buggy(k) if dsigma is None else dsigma,
        complex_step=True,
        latex=rf"\tfrac{{1}}{{{kk}}}\log\left(1+e^{{{kk}u}}\right)",
    )


def mystery_network(
    dsigma: Callable[[np.ndarray], np.ndarray] | None = None, *, variant: Any = UNSET
) -> MLP:
    """A network [2, 4, 3, 1] with one hidden layer whose σ′ is wrong (or uses your ``dsigma``).

    Run :func:`backprop_widgets.gradcheck` on it to find which layer's gradient is off. Which
    layer it is, and the activation there, depend on the variant.
    """
    chosen = resolve_variant(variant)
    _, layer, seed = _mystery(chosen)
    acts: list[Any] = ["tanh", "tanh", "identity"]
    acts[layer - 1] = mystery_activation(dsigma, variant=chosen)
    return MLP([2, 4, 3, 1], acts, seed=seed)


def _fixed_dsigma(u: np.ndarray, *, variant: Variant = None) -> np.ndarray:
    return _soft_df(_mystery(variant)[0])(u)


def _mystery_sigma(u: np.ndarray, *, variant: Variant = None) -> np.ndarray:
    return _soft(_mystery(variant)[0])(u)


def _mystery_cases(rng: np.random.Generator) -> list[tuple[Any, ...]]:
    return [
        (np.linspace(-3.0, 3.0, 9) + rng.uniform(-0.05, 0.05, size=9),),
        (np.array([0.25]),),
        (rng.normal(size=(3, 4)),),
    ]


# --------------------------------------------------------------------------- q10, q11: beyond


def _bias_gradients(net: ForwardOnly, x: np.ndarray, y: np.ndarray) -> list[np.ndarray]:
    # ∂E/∂b(ℓ) = Δ(ℓ), summed over the columns of a batch (the core's grad_b).
    return list(net._net.backward(x, y).grads_b)


def _bias_cases(rng: np.random.Generator) -> list[tuple[Any, ...]]:
    out = []
    for sizes, acts, batch in [
        ([1, 1], ["tanh"], None),
        ([2, 3, 1], ["tanh", "identity"], None),
        ([3, 4, 2], ["sigmoid", "identity"], 5),
        ([2, 3, 3, 2], ["softplus", "tanh", "identity"], 3),
    ]:
        net = MLP(sizes, acts, bias=True, seed=_seed(rng))
        net.biases = [rng.normal(scale=0.5, size=n) for n in sizes[1:]]
        x = rng.normal(size=(sizes[0],) if batch is None else (sizes[0], batch))
        y = rng.normal(size=(sizes[-1],) if batch is None else (sizes[-1], batch))
        out.append((ForwardOnly(net), x, y))
    return out


_SOFTMAX = get_activation("softmax")
_CROSS_ENTROPY = get_loss("cross_entropy")


def _delta_softmax(u_L: np.ndarray, y: np.ndarray) -> np.ndarray:
    # Δ(L) = J(L)ᵀ ∇_z E for z = softmax(u), E = −Σ yᵢ log zᵢ; it collapses to z − y.
    z = _SOFTMAX.f(u_L)
    return _CROSS_ENTROPY.delta_L(None, u_L, z, None, y)


def _delta_softmax_squared(u_L: np.ndarray, y: np.ndarray) -> np.ndarray:
    # The derivation's Δ(L) = Jᵀ(z − y) with softmax's J = diag(z) − z zᵀ: the squared error's.
    z = _SOFTMAX.f(u_L)
    r = z - y
    return z * r - z * np.sum(z * r, axis=0)


def _one_hot(rng: np.random.Generator, n: int, batch: int | None) -> np.ndarray:
    labels = rng.integers(0, n, size=1 if batch is None else batch)
    y = np.eye(n)[:, labels]
    return y[:, 0] if batch is None else y


def _softmax_cases(rng: np.random.Generator) -> list[tuple[Any, ...]]:
    p = rng.uniform(0.1, 1.0, size=4)
    return [
        (rng.normal(scale=2.0, size=3), _one_hot(rng, 3, None)),
        (rng.normal(size=2), _one_hot(rng, 2, None)),
        # e^1000 overflows float64: softmax must be computed as e^(u − max u) / Σ.
        (np.array([1000.0, 0.0, -1000.0]), _one_hot(rng, 3, None)),
        (rng.normal(scale=2.0, size=4), p / p.sum()),  # a probability vector, not one-hot
        (rng.normal(scale=2.0, size=(4, 5)), _one_hot(rng, 4, 5)),
    ]


# --------------------------------------------------------------------------- the bank

_SIGMA_NOT_DERIVATIVE = (
    "Your answer is σ itself, not its derivative: the exercise asks for σ′(u), the slope of σ."
)

define(
    "q1",
    half_squared_error,
    _loss_cases,
    title="the loss E",
    signature="loss(z, y) -> float",
    statement="E = ½‖z − y‖²; for a batch (columns are samples) the sum over all entries.",
    _builtin=True,
)
define(
    "q2",
    _dE,
    _dE_cases,
    title="(C1) the derivative of E along h",
    signature="dE(z, y, h) -> float",
    statement="D_z E(z)(h) = ⟨z − y, h⟩, a number; for a batch, sum over all entries.",
    _builtin=True,
)
define(
    "q3",
    _SOFTPLUS.df,
    _dsoftplus_cases,
    title="(C2) σ′ for softplus",
    signature="dsoftplus(u) -> array like u",
    statement="σ(u) = log(1 + eᵘ); return σ′(u) entrywise, same shape as u, finite at ±800.",
    mistakes={_SIGMA_NOT_DERIVATIVE: _SOFTPLUS.f},
    _builtin=True,
)
define(
    "q4",
    _apply_C3,
    _apply_C3_cases,
    title="(C3) the derivative of W ↦ Wz along H",
    signature="apply_C3(H, z) -> array",
    statement="D_W(W ↦ Wz)(W)(H) = H z; z may be a batch (one column per sample).",
    _builtin=True,
)
define(
    "q5",
    _delta_L,
    _delta_L_cases,
    title="Δ(L), the start of the recursion",
    signature="delta_L(z_L, y, dsigma_L) -> array",
    statement="Δ(L) = J(L)(z(L) − y) with J(L) = diag(σ′(u(L))); dsigma_L holds that diagonal.",
    _builtin=True,
)
define(
    "q6",
    _delta_step,
    _delta_step_cases,
    title="one step of the Δ recursion",
    signature="delta_step(delta_next, W_next, dsigma) -> array",
    statement="Δ(ℓ) = J(ℓ) W(ℓ+1)ᵀ Δ(ℓ+1), given Δ(ℓ+1), W(ℓ+1) and the diagonal of J(ℓ).",
    _builtin=True,
)
define(
    "q7",
    _gradients,
    _gradients_cases,
    title="every gradient ∂E/∂W(ℓ)",
    signature="gradients(net, x, y) -> list of arrays",
    statement="[∂E/∂W(1), …, ∂E/∂W(L)] with ∂E/∂W(ℓ) = Δ(ℓ) z(ℓ−1)ᵀ; only net.forward, "
    "net.W and net.L are available.",
    item="∂E/∂W({})",
    blocked=("backprop_widgets.network.MLP.gradients", "backprop_widgets.network.MLP.backward"),
    _builtin=True,
)
define(
    "q8",
    _directional,
    _directional_cases,
    title="the trace identity: a directional derivative",
    signature="directional_derivative(net, x, y, layer, H) -> float",
    statement="D_{W(ℓ)}E(H) = tr((∂E/∂W(ℓ))ᵀ H), the change of E along H in the weights of "
    "one layer.",
    _builtin=True,
)
define(
    "q9",
    _fixed_dsigma,
    _mystery_cases,
    title="find and fix the broken σ′",
    signature="fixed_dsigma(u) -> array like u",
    statement="mystery_network() has a layer whose σ′ is wrong; find it with gradcheck and "
    "write the correct σ′ (a function, or an Activation whose df is checked).",
    accepts_activation=True,
    mistakes={_SIGMA_NOT_DERIVATIVE: _mystery_sigma},
    _builtin=True,
)
define(
    "q10",
    _bias_gradients,
    _bias_cases,
    title="with biases: every ∂E/∂b(ℓ)",
    signature="bias_gradients(net, x, y) -> list of arrays",
    statement="u(ℓ) = W(ℓ) z(ℓ−1) + b(ℓ); [∂E/∂b(1), …, ∂E/∂b(L)] with ∂E/∂b(ℓ) = Δ(ℓ), "
    "summed over the columns of a batch; only net.forward, net.W, net.b and net.L are available.",
    item="∂E/∂b({})",
    blocked=("backprop_widgets.network.MLP.gradients", "backprop_widgets.network.MLP.backward"),
    _builtin=True,
)
define(
    "q11",
    _delta_softmax,
    _softmax_cases,
    title="Δ(L) for softmax with cross-entropy",
    signature="delta_L_softmax(u_L, y) -> array like u_L",
    statement="z = softmax(u(L)) per column, E = −Σᵢ yᵢ log zᵢ: Δ(L) = J(L)ᵀ ∇_z E; compute it "
    "stably (u up to ±1000).",
    mistakes={
        "Your answer is softmax(u) itself: Δ(L) also depends on y.": lambda u_L, y: _SOFTMAX.f(u_L),
        "This is the squared error's Δ(L) = J(L)ᵀ(z − y). With cross-entropy ∇_z E = −y / z "
        "(entrywise), and J(L)ᵀ of that simplifies a lot.": _delta_softmax_squared,
    },
    _builtin=True,
)
