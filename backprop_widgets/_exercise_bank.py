"""The exercises of the homework: statements, test cases and reference answers.

Every reference answer is computed by the core (:class:`~backprop_widgets.network.MLP`,
:mod:`~backprop_widgets.activations`) from fixed seeds, never from a student's code. The
checking itself lives in :mod:`backprop_widgets.exercises`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from .activations import Activation, get_activation
from .network import MLP, half_squared_error

__all__ = ["EXERCISES", "Case", "Exercise", "ForwardOnly", "mystery_activation", "mystery_network"]


@dataclass(frozen=True)
class Case:
    """One call of the student's function: its arguments and the reference answer."""

    args: tuple[Any, ...]
    expected: Any
    label: str


@dataclass(frozen=True)
class Exercise:
    """One homework exercise: what to write, and how it is checked."""

    id: str
    title: str
    name: str  # the function name check_all looks for
    signature: str
    statement: str
    arguments: tuple[str, ...]
    make_cases: Callable[[], list[Case]]
    item: str = "entry {}"
    #: An answer may be an Activation, whose σ′ (``.df``) is then checked.
    accepts_activation: bool = False

    def __repr__(self) -> str:
        return f"{self.id}: {self.title} — {self.signature}"


# --------------------------------------------------------------------------- helpers for cases


def _shape(a: np.ndarray) -> str:
    return f"of shape {tuple(a.shape)}"


def _net_case(sizes: list[int], acts: Any, seed: int, batch: int | None = None):
    """A network from the core, an input x and a target y (``batch`` columns, or one sample)."""
    net = MLP(sizes, acts, seed=seed)
    rng = np.random.default_rng(seed + 1000)
    shape0 = (sizes[0],) if batch is None else (sizes[0], batch)
    shapeL = (sizes[-1],) if batch is None else (sizes[-1], batch)
    return net, rng.normal(size=shape0), rng.normal(size=shapeL)


def _batch_text(a: np.ndarray) -> str:
    return f"a batch of {a.shape[1]} columns, " if a.ndim == 2 else ""


class ForwardOnly:
    """The network as q7 sees it: weights, activations and the forward pass, but no backward."""

    def __init__(self, net: MLP):
        self._net = net
        self.L = net.L
        self.sizes = net.sizes
        self.n, self.W, self.sigma, self.forward = net.n, net.W, net.sigma, net.forward

    @property
    def weights(self) -> list[np.ndarray]:
        return self._net.weights

    def __getattr__(self, name: str) -> Any:
        if name in ("backward", "gradients", "grad"):
            raise AttributeError(
                f"net.{name} is switched off in this exercise: compute the gradients yourself "
                "from net.forward(x), net.W(ℓ) and the Δ recursion"
            )
        raise AttributeError(f"the network has no attribute {name!r}")

    def __repr__(self) -> str:
        return f"{self._net!r} (forward pass only)"


# --------------------------------------------------------------------------- the exercises


def _cases_loss() -> list[Case]:
    rng = np.random.default_rng(11)
    out = []
    for shape in [(1,), (3,), (5,), (3, 4)]:
        z, y = rng.normal(size=shape), rng.normal(size=shape)
        out.append(Case((z, y), half_squared_error(z, y), f"{_batch_text(z)}z, y {_shape(z)}"))
    return out


def _cases_C1() -> list[Case]:
    out = []
    for k, (n, batch) in enumerate([(1, None), (3, None), (4, None), (3, 5)]):
        net, x, y = _net_case([2, n], "tanh", seed=20 + k, batch=batch)
        back = net.backward(x, y)
        z = back.forward.output
        h = np.random.default_rng(30 + k).normal(size=z.shape)
        out.append(
            Case(
                (z, y, h), float(np.sum(back.residual * h)), f"{_batch_text(z)}z, y, h {_shape(z)}"
            )
        )
    return out


def _cases_dsoftplus() -> list[Case]:
    softplus = get_activation("softplus")
    rng = np.random.default_rng(40)
    inputs = [
        np.linspace(-6.0, 6.0, 7),
        np.array([0.0]),
        np.array([-30.0, -1e-3, 30.0]),
        rng.normal(scale=3.0, size=(3, 4)),
    ]
    return [Case((u,), softplus.df(u), f"u {_shape(u)}") for u in inputs]


def _cases_C3() -> list[Case]:
    out = []
    specs = [([3, 4, 2], 1, None), ([1, 1], 1, None), ([3, 3, 3], 2, None), ([2, 4, 2], 2, 5)]
    for k, (sizes, layer, batch) in enumerate(specs):
        net, x, _ = _net_case(sizes, "tanh", seed=50 + k, batch=batch)
        z = net.forward(x).z(layer - 1)
        H = np.random.default_rng(60 + k).normal(size=net.W(layer).shape)
        # (C3): W ↦ W z is linear, so its derivative along H is the same map applied to H.
        weights = net.weights
        weights[layer - 1] = H
        expected = net.with_weights(weights).forward(x).u(layer)
        out.append(Case((H, z), expected, f"{_batch_text(z)}H {_shape(H)}, z {_shape(z)}"))
    return out


def _cases_delta_L() -> list[Case]:
    out = []
    specs = [([2, 3], "tanh", None), ([2, 1], "sigmoid", None), ([3, 4, 2], "softplus", None)]
    specs.append(([2, 3], "sin", 4))
    for k, (sizes, act, batch) in enumerate(specs):
        net, x, y = _net_case(sizes, act, seed=70 + k, batch=batch)
        back = net.backward(x, y)
        L = net.L
        z, s = back.forward.z(L), back.forward.dsigma(L)
        label = f"{_batch_text(z)}z_L, y, dsigma_L {_shape(z)} ({act})"
        out.append(Case((z, y, s), back.delta(L), label))
    return out


def _cases_delta_step() -> list[Case]:
    out = []
    specs = [
        ([2, 3, 4, 2], ["tanh", "sigmoid", "identity"], 2, None),
        ([2, 3, 4, 2], ["tanh", "sigmoid", "identity"], 1, None),
        ([3, 3, 3], ["softplus", "tanh"], 1, None),
        ([1, 1, 1], ["sigmoid", "identity"], 1, None),
        ([2, 3, 2], ["elu", "identity"], 1, 4),
    ]
    for k, (sizes, acts, layer, batch) in enumerate(specs):
        net, x, y = _net_case(sizes, acts, seed=80 + k, batch=batch)
        back = net.backward(x, y)
        d_next, W_next, s = back.delta(layer + 1), net.W(layer + 1), back.forward.dsigma(layer)
        label = (
            f"{_batch_text(d_next)}ℓ = {layer}: delta_next {_shape(d_next)}, "
            f"W_next {_shape(W_next)}, dsigma {_shape(s)}"
        )
        out.append(Case((d_next, W_next, s), back.delta(layer), label))
    return out


_NETS = [
    ([1, 1], ["identity"], None),
    ([2, 3, 1], ["tanh", "identity"], None),
    ([3, 4, 4, 2], [["tanh", "relu", "sigmoid", "sin"], "softplus", "identity"], None),
    ([2, 3, 2], ["silu", "tanh"], 5),
]


def _net_label(net: MLP, x: np.ndarray) -> str:
    return f"{_batch_text(x)}sizes {list(net.sizes)}, activations {net.activation_spec()}"


def _cases_gradients() -> list[Case]:
    out = []
    for k, (sizes, acts, batch) in enumerate(_NETS):
        net, x, y = _net_case(sizes, acts, seed=90 + k, batch=batch)
        out.append(Case((ForwardOnly(net), x, y), net.gradients(x, y), _net_label(net, x)))
    return out


def _cases_directional() -> list[Case]:
    out = []
    for k, (sizes, acts, batch) in enumerate(_NETS):
        net, x, y = _net_case(sizes, acts, seed=100 + k, batch=batch)
        layer = 1 + k % net.L
        H = np.random.default_rng(110 + k).normal(size=net.W(layer).shape)
        expected = float(np.sum(net.backward(x, y).grad(layer) * H))
        label = f"{_net_label(net, x)}, layer {layer}, H {_shape(H)}"
        out.append(Case((net, x, y, layer, H), expected, label))
    return out


# The mystery activation of q9: σ(u) = softplus(3u)/3, a softened relu.
_SHARPNESS = 3.0


def _mystery_f(u: np.ndarray) -> np.ndarray:
    return get_activation("softplus").f(_SHARPNESS * u) / _SHARPNESS


def _mystery_df_correct(u: np.ndarray) -> np.ndarray:
    return get_activation("sigmoid").f(_SHARPNESS * u)


def _mystery_df_buggy(u: np.ndarray) -> np.ndarray:
    # The chain-rule factor 3 is applied, but the 1/3 in front of softplus is forgotten.
    return _SHARPNESS * get_activation("sigmoid").f(_SHARPNESS * u)


def mystery_activation(dsigma: Callable[[np.ndarray], np.ndarray] | None = None) -> Activation:
    """The activation of exercise q9, σ(u) = ⅓·log(1 + e^{3u}), with a σ′ that has a bug.

    Parameters
    ----------
    dsigma : callable, optional
        Your own σ′ to use instead of the buggy one.
    """
    if dsigma is not None and not callable(dsigma):
        raise TypeError(
            f"dsigma: expected a function of a numpy array, got {type(dsigma).__name__}"
        )
    return Activation(
        "soft3",
        _mystery_f,
        _mystery_df_buggy if dsigma is None else dsigma,
        complex_step=True,
        latex=r"\tfrac{1}{3}\log\left(1+e^{3u}\right)",
    )


def mystery_network(dsigma: Callable[[np.ndarray], np.ndarray] | None = None) -> MLP:
    """A network [2, 4, 3, 1] with one layer whose σ′ is wrong (or uses your ``dsigma``).

    Run :func:`backprop_widgets.gradcheck` on it to find which layer's gradient is off.
    """
    return MLP([2, 4, 3, 1], ["tanh", mystery_activation(dsigma), "identity"], seed=7)


def _cases_mystery() -> list[Case]:
    rng = np.random.default_rng(120)
    inputs = [np.linspace(-3.0, 3.0, 9), np.array([0.25]), rng.normal(size=(3, 4))]
    return [Case((u,), _mystery_df_correct(u), f"u {_shape(u)}") for u in inputs]


EXERCISES: dict[str, Exercise] = {
    ex.id: ex
    for ex in [
        Exercise(
            "q1",
            "the loss E",
            "loss",
            "loss(z, y) -> float",
            "E = ½‖z − y‖²; for a batch (columns are samples) the sum over all entries.",
            ("z", "y"),
            _cases_loss,
        ),
        Exercise(
            "q2",
            "(C1) the derivative of E along h",
            "dE",
            "dE(z, y, h) -> float",
            "D_z E(z)(h) = ⟨z − y, h⟩, a number; for a batch, sum over all entries.",
            ("z", "y", "h"),
            _cases_C1,
        ),
        Exercise(
            "q3",
            "(C2) σ′ for softplus",
            "dsoftplus",
            "dsoftplus(u) -> array like u",
            "σ(u) = log(1 + eᵘ); return σ′(u) entrywise, same shape as u.",
            ("u",),
            _cases_dsoftplus,
        ),
        Exercise(
            "q4",
            "(C3) the derivative of W ↦ Wz along H",
            "apply_C3",
            "apply_C3(H, z) -> array",
            "D_W(W ↦ Wz)(W)(H) = H z; z may be a batch (one column per sample).",
            ("H", "z"),
            _cases_C3,
        ),
        Exercise(
            "q5",
            "Δ(L), the start of the recursion",
            "delta_L",
            "delta_L(z_L, y, dsigma_L) -> array",
            "Δ(L) = J(L)(z(L) − y) with J(L) = diag(σ′(u(L))); dsigma_L holds that diagonal.",
            ("z_L", "y", "dsigma_L"),
            _cases_delta_L,
        ),
        Exercise(
            "q6",
            "one step of the Δ recursion",
            "delta_step",
            "delta_step(delta_next, W_next, dsigma) -> array",
            "Δ(ℓ) = J(ℓ) W(ℓ+1)ᵀ Δ(ℓ+1), given Δ(ℓ+1), W(ℓ+1) and the diagonal of J(ℓ).",
            ("delta_next", "W_next", "dsigma"),
            _cases_delta_step,
        ),
        Exercise(
            "q7",
            "every gradient ∂E/∂W(ℓ)",
            "gradients",
            "gradients(net, x, y) -> list of arrays",
            "[∂E/∂W(1), …, ∂E/∂W(L)] with ∂E/∂W(ℓ) = Δ(ℓ) z(ℓ−1)ᵀ; only net.forward, "
            "net.W and net.L are available.",
            ("net", "x", "y"),
            _cases_gradients,
            item="∂E/∂W({})",
        ),
        Exercise(
            "q8",
            "the trace identity: a directional derivative",
            "directional_derivative",
            "directional_derivative(net, x, y, layer, H) -> float",
            "D_{W(ℓ)}E(H) = tr((∂E/∂W(ℓ))ᵀ H), the change of E along H in the weights of "
            "one layer.",
            ("net", "x", "y", "layer", "H"),
            _cases_directional,
        ),
        Exercise(
            "q9",
            "find and fix the broken σ′",
            "fixed_dsigma",
            "fixed_dsigma(u) -> array like u",
            "mystery_network() has a layer whose σ′ is wrong; find it with gradcheck and "
            "write the correct σ′ (a function, or an Activation whose df is checked).",
            ("u",),
            _cases_mystery,
            accepts_activation=True,
        ),
    ]
}
