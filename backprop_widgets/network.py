"""The multilayer perceptron of the derivation: forward pass, loss E and the Δ recursion.

Layers are numbered ℓ = 1, …, L as in the text; z⁽⁰⁾ = x is the input. For each layer

    u⁽ℓ⁾ = W⁽ℓ⁾ z⁽ℓ−1⁾,        z⁽ℓ⁾ = σ⁽ℓ⁾(u⁽ℓ⁾),        W⁽ℓ⁾ ∈ R^{n(ℓ)×n(ℓ−1)},

and the loss is E = ½‖z⁽ᴸ⁾ − y‖². A batch is a matrix whose columns are samples; E is then
summed over the columns. There are no biases, as in the text.

This module is plain numpy: it imports nothing from Jupyter.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from ._checks import (
    MAX_UNITS,
    MAX_WEIGHTS,
    as_float_array,
    check_seed,
    check_sizes,
    layer_number,
)
from .activations import Activation, LayerActivation

__all__ = ["MAX_UNITS", "MAX_WEIGHTS", "MLP", "Backward", "Forward"]

ActivationSpec = str | Activation | Sequence[str | Activation]


# --------------------------------------------------------------------------- results


@dataclass(frozen=True, slots=True)
class Forward:
    """Every u⁽ℓ⁾ and z⁽ℓ⁾ of one forward pass. Read them by the text's layer numbers.

    ``u(ℓ)`` for ℓ = 1..L, ``z(ℓ)`` for ℓ = 0..L (z⁽⁰⁾ = x). Arrays are ``(n(ℓ),)`` for one
    sample and ``(n(ℓ), B)`` for a batch of B columns.
    """

    us: tuple[np.ndarray, ...]  # us[ℓ-1] = u⁽ℓ⁾
    zs: tuple[np.ndarray, ...]  # zs[ℓ] = z⁽ℓ⁾
    sigma_prime: tuple[np.ndarray, ...]  # sigma_prime[ℓ-1] = σ′⁽ℓ⁾(u⁽ℓ⁾), the diagonal of J⁽ℓ⁾

    @property
    def L(self) -> int:
        return len(self.us)

    @property
    def batched(self) -> bool:
        return self.zs[0].ndim == 2

    def u(self, layer: int) -> np.ndarray:
        """u⁽ℓ⁾ = W⁽ℓ⁾ z⁽ℓ−1⁾, the pre-activation of layer ℓ (1..L)."""
        return self.us[layer_number(layer, self.L, first=1) - 1]

    def z(self, layer: int) -> np.ndarray:
        """z⁽ℓ⁾ = σ⁽ℓ⁾(u⁽ℓ⁾), the output of layer ℓ (0..L; z⁽⁰⁾ is the input x)."""
        return self.zs[layer_number(layer, self.L, first=0)]

    def dsigma(self, layer: int) -> np.ndarray:
        """σ′⁽ℓ⁾(u⁽ℓ⁾) entrywise: the diagonal of J⁽ℓ⁾ in (C2)."""
        return self.sigma_prime[layer_number(layer, self.L, first=1) - 1]

    def J(self, layer: int) -> np.ndarray:
        """J⁽ℓ⁾ = diag(σ′⁽ℓ⁾(u⁽ℓ⁾)), the matrix of (C2). One sample only."""
        if self.batched:
            raise ValueError("J(ℓ) is one diagonal matrix per sample; use dsigma(ℓ) for a batch")
        return np.diag(self.dsigma(layer))

    @property
    def output(self) -> np.ndarray:
        """z⁽ᴸ⁾, the network's output."""
        return self.zs[-1]


@dataclass(frozen=True, slots=True)
class Backward:
    """The result of backpropagation: the loss E, every Δ⁽ℓ⁾ and every ∂E/∂W⁽ℓ⁾."""

    forward: Forward
    y: np.ndarray
    E: float
    deltas: tuple[np.ndarray, ...]  # deltas[ℓ-1] = Δ⁽ℓ⁾
    grads: tuple[np.ndarray, ...]  # grads[ℓ-1] = ∂E/∂W⁽ℓ⁾

    @property
    def L(self) -> int:
        return len(self.deltas)

    def delta(self, layer: int) -> np.ndarray:
        """Δ⁽ℓ⁾ for ℓ = 1..L (shape ``(n(ℓ),)``, or ``(n(ℓ), B)`` for a batch)."""
        return self.deltas[layer_number(layer, self.L, first=1) - 1]

    def grad(self, layer: int) -> np.ndarray:
        """∂E/∂W⁽ℓ⁾ = Δ⁽ℓ⁾ z⁽ℓ−1⁾ᵀ, shape (n(ℓ), n(ℓ−1))."""
        return self.grads[layer_number(layer, self.L, first=1) - 1]

    @property
    def residual(self) -> np.ndarray:
        """z⁽ᴸ⁾ − y: the gradient of E with respect to z⁽ᴸ⁾ (C1)."""
        return self.forward.output - self.y


# --------------------------------------------------------------------------- the network


class MLP:
    """A multilayer perceptron without biases, as in the derivation.

    Parameters
    ----------
    sizes : list of int
        ``[n(0), n(1), …, n(L)]``: the input width, then the width of each layer (L ≥ 1).
    activations : str, Activation, or list
        One entry per layer ℓ = 1..L. An entry is a built-in name (see
        :data:`backprop_widgets.activations.BUILTIN_NAMES`), an :class:`Activation`, or a list
        of n(ℓ) of those (one σᵢ per unit). A single name or ``Activation`` is used for every
        layer.
    weights : list of arrays, optional
        W⁽¹⁾, …, W⁽ᴸ⁾, the ℓ-th of shape ``(n(ℓ), n(ℓ−1))``. Copied.
    seed : int, optional
        Without ``weights``, weights are drawn from N(0, 1/n(ℓ−1)) (fan-in scaling) with this
        seed.

    Examples
    --------
    >>> net = MLP([2, 3, 1], ["tanh", "identity"], seed=0)
    >>> net.L, net.W(1).shape
    (2, (3, 2))
    >>> round(net.loss([1.0, -1.0], [0.5]), 6) >= 0
    True
    """

    def __init__(
        self,
        sizes: Sequence[int],
        activations: ActivationSpec | Sequence[ActivationSpec],
        *,
        weights: Sequence[np.ndarray] | None = None,
        seed: int | None = None,
    ) -> None:
        self._sizes = check_sizes(sizes)
        self._activations = self._check_activations(activations)
        self.seed = check_seed(seed)
        self._weights = (
            self._check_weights(weights) if weights is not None else self._initial_weights(seed)
        )
        self._listeners: list[Callable[[MLP], None]] = []

    # ------------------------------------------------------------------ structure

    @property
    def sizes(self) -> tuple[int, ...]:
        """``(n(0), …, n(L))``."""
        return self._sizes

    @property
    def L(self) -> int:
        """The number of layers (the input z⁽⁰⁾ is not a layer)."""
        return len(self._sizes) - 1

    def n(self, layer: int) -> int:
        """n(ℓ), the width of layer ℓ (0..L)."""
        return self._sizes[layer_number(layer, self.L, first=0)]

    @property
    def activations(self) -> tuple[LayerActivation, ...]:
        """σ⁽¹⁾, …, σ⁽ᴸ⁾."""
        return self._activations

    @activations.setter
    def activations(self, value: ActivationSpec | Sequence[ActivationSpec]) -> None:
        self._activations = self._check_activations(value)
        self._changed()

    def sigma(self, layer: int) -> LayerActivation:
        """σ⁽ℓ⁾ for ℓ = 1..L."""
        return self._activations[layer_number(layer, self.L, first=1) - 1]

    def activation_spec(self) -> list[str | list[str]]:
        """The activations by name, one entry per layer (a list for per-unit layers)."""
        return [a.spec() for a in self._activations]

    # ------------------------------------------------------------------ weights

    @property
    def weights(self) -> list[np.ndarray]:
        """[W⁽¹⁾, …, W⁽ᴸ⁾] (index ℓ−1 holds W⁽ℓ⁾). Assign a new list to replace them all."""
        return list(self._weights)

    @weights.setter
    def weights(self, value: Sequence[np.ndarray]) -> None:
        self._weights = self._check_weights(value)
        self._changed()

    def W(self, layer: int) -> np.ndarray:
        """W⁽ℓ⁾ for ℓ = 1..L, shape (n(ℓ), n(ℓ−1))."""
        return self._weights[layer_number(layer, self.L, first=1) - 1]

    def set_W(self, layer: int, value: np.ndarray) -> None:
        """Replace W⁽ℓ⁾ (validated and copied)."""
        k = layer_number(layer, self.L, first=1)
        new = list(self._weights)
        new[k - 1] = value
        self.weights = new

    def reinitialize(self, seed: int | None = None) -> None:
        """Draw fresh weights (fan-in scaled) from ``seed``."""
        seed = check_seed(seed)
        weights = self._initial_weights(seed)
        self.seed = seed
        self._weights = weights
        self._changed()

    def copy(self) -> MLP:
        """An independent copy (weights copied; activations shared, as they are immutable)."""
        return MLP(self._sizes, list(self._activations), weights=self._weights, seed=self.seed)

    def with_weights(self, weights: Sequence[np.ndarray]) -> MLP:
        """A new network with the same sizes and activations and other weights."""
        return MLP(self._sizes, list(self._activations), weights=weights, seed=self.seed)

    # ------------------------------------------------------------------ change notification

    def subscribe(self, callback: Callable[[MLP], None]) -> Callable[[], None]:
        """Call ``callback(net)`` after the weights or activations change; returns an
        unsubscribe function. This is how views redraw when a notebook edits the network."""
        self._listeners.append(callback)

        def unsubscribe() -> None:
            if callback in self._listeners:
                self._listeners.remove(callback)

        return unsubscribe

    def _changed(self) -> None:
        for cb in list(self._listeners):
            cb(self)

    # ------------------------------------------------------------------ the mathematics

    def forward(self, x: object) -> Forward:
        """The forward pass: u⁽ℓ⁾ = W⁽ℓ⁾ z⁽ℓ−1⁾ and z⁽ℓ⁾ = σ⁽ℓ⁾(u⁽ℓ⁾) for ℓ = 1..L.

        Parameters
        ----------
        x : array, shape (n(0),) or (n(0), B)
            One input, or B inputs as columns.
        """
        z = self.check_x(x)
        return self._forward(z)

    def _forward(self, x: np.ndarray) -> Forward:
        us, zs, ds = [], [x], []
        z = x
        for W, sigma in zip(self._weights, self._activations, strict=True):
            u = W.dot(z)  # W @ z; ndarray.dot has less call overhead for small sizes
            z, dz = sigma.sigma_and_dsigma(u)
            us.append(u)
            zs.append(z)
            ds.append(dz)
        return Forward(tuple(us), tuple(zs), tuple(ds))

    def loss(self, x: object, y: object) -> float:
        """E = ½‖z⁽ᴸ⁾ − y‖², summed over the columns of a batch."""
        xx, yy = self.check_xy(x, y)
        return half_squared_error(self._forward(xx).output, yy)

    def backward(self, x: object, y: object) -> Backward:
        """Backpropagation: the Δ recursion and every ∂E/∂W⁽ℓ⁾.

        Δ⁽ᴸ⁾ = J⁽ᴸ⁾ (z⁽ᴸ⁾ − y),  Δ⁽ℓ⁾ = J⁽ℓ⁾ W⁽ℓ+1⁾ᵀ Δ⁽ℓ+1⁾ for ℓ = L−1, …, 1,
        and ∂E/∂W⁽ℓ⁾ = Δ⁽ℓ⁾ z⁽ℓ−1⁾ᵀ.

        Here z⁽ᴸ⁾ − y is the gradient of (C1), each J⁽ℓ⁾ = diag(σ′(u⁽ℓ⁾)) is (C2) (symmetric,
        so it is its own adjoint), multiplying by W⁽ℓ+1⁾ᵀ is the adjoint of h ↦ W⁽ℓ+1⁾h, and
        the outer product with z⁽ℓ−1⁾ is the adjoint of (C3), H ↦ H z⁽ℓ−1⁾. For a batch the
        columns are samples and the outer product sums over them.
        """
        xx, yy = self.check_xy(x, y)
        fw = self._forward(xx)
        residual = fw.output - yy
        deltas: list[np.ndarray] = [np.empty(0)] * self.L
        delta = fw.sigma_prime[-1] * residual
        deltas[-1] = delta
        for k in range(self.L - 2, -1, -1):  # k = ℓ − 1 for ℓ = L−1, …, 1
            delta = fw.sigma_prime[k] * self._weights[k + 1].T.dot(delta)
            deltas[k] = delta
        grads = tuple(_outer(d, z) for d, z in zip(deltas, fw.zs[:-1], strict=True))
        return Backward(fw, yy, _half_norm_squared(residual), tuple(deltas), grads)

    def gradients(self, x: object, y: object) -> list[np.ndarray]:
        """[∂E/∂W⁽¹⁾, …, ∂E/∂W⁽ᴸ⁾], same order and shapes as :attr:`weights`."""
        return list(self.backward(x, y).grads)

    # ------------------------------------------------------------------ input checks

    def check_x(self, x: object, *, argument: str = "x") -> np.ndarray:
        """Validate an input: shape (n(0),) or (n(0), B), finite numbers. Returns a copy."""
        arr = as_float_array(x, argument=argument)
        n0 = self._sizes[0]
        if arr.ndim == 0 and n0 == 1:
            arr = arr.reshape(1)
        if arr.ndim not in (1, 2) or arr.shape[0] != n0 or (arr.ndim == 2 and arr.shape[1] < 1):
            raise ValueError(
                f"{argument}: expected shape ({n0},) for one sample or ({n0}, B) for a batch "
                f"of B columns, got shape {arr.shape}"
            )
        return arr

    def check_xy(self, x: object, y: object) -> tuple[np.ndarray, np.ndarray]:
        """Validate an input and its target together (same number of samples)."""
        xx = self.check_x(x)
        yy = as_float_array(y, argument="y")
        nL = self._sizes[-1]
        if yy.ndim == 0 and nL == 1:
            yy = yy.reshape(1)
        if xx.ndim == 2 and yy.ndim == 1 and xx.shape[1] == 1 and yy.shape == (nL,):
            yy = yy.reshape(nL, 1)
        expected = (nL,) if xx.ndim == 1 else (nL, xx.shape[1])
        if yy.shape != expected:
            what = "one sample" if xx.ndim == 1 else f"a batch of {xx.shape[1]} columns"
            raise ValueError(
                f"y: expected shape {expected} to match x ({what}; n(L) = {nL}), "
                f"got shape {yy.shape}"
            )
        return xx, yy

    def _check_activations(self, spec: object) -> tuple[LayerActivation, ...]:
        L = len(self._sizes) - 1
        if isinstance(spec, (str, Activation)):
            spec = [spec] * L
        if not isinstance(spec, Sequence):
            raise TypeError(
                f"activations: expected one entry per layer (a name, an Activation, or a "
                f"per-unit list), got {type(spec).__name__}"
            )
        if len(spec) != L:
            raise ValueError(
                f"activations: need one entry per layer ℓ = 1..{L} ({L} entries), got {len(spec)}"
            )
        return tuple(
            LayerActivation.build(
                s, self._sizes[k + 1], argument=f"activations[{k}] (layer {k + 1})"
            )
            for k, s in enumerate(spec)
        )

    def _check_weights(self, weights: object) -> tuple[np.ndarray, ...]:
        if isinstance(weights, np.ndarray) or not isinstance(weights, Sequence):
            raise TypeError(
                f"weights: expected a list of {self.L} matrices W(1)..W({self.L}), "
                f"got {type(weights).__name__}"
            )
        if len(weights) != self.L:
            raise ValueError(
                f"weights: expected {self.L} matrices W(1)..W({self.L}), got {len(weights)}"
            )
        out = []
        for k, W in enumerate(weights):
            arr = as_float_array(W, argument=f"weights[{k}] (W({k + 1}))")
            shape = (self._sizes[k + 1], self._sizes[k])
            if arr.shape != shape:
                raise ValueError(
                    f"weights[{k}] (W({k + 1})): expected shape {shape} = (n({k + 1}), n({k})), "
                    f"got {arr.shape}"
                )
            arr.flags.writeable = False
            out.append(arr)
        return tuple(out)

    def _initial_weights(self, seed: int | None) -> tuple[np.ndarray, ...]:
        rng = np.random.default_rng(seed)
        out = []
        for n_in, n_out in zip(self._sizes[:-1], self._sizes[1:], strict=True):
            W = rng.normal(0.0, 1.0 / np.sqrt(n_in), size=(n_out, n_in))
            W.flags.writeable = False
            out.append(W)
        return tuple(out)

    def __repr__(self) -> str:
        acts = ", ".join(repr(a.spec()) for a in self._activations)
        return f"MLP(sizes={list(self._sizes)}, activations=[{acts}])"


def half_squared_error(z: np.ndarray, y: np.ndarray) -> float:
    """E = ½‖z − y‖² (summed over a batch's columns)."""
    return _half_norm_squared(z - y)


def _half_norm_squared(r: np.ndarray) -> float:
    return 0.5 * float(np.vdot(r, r))


def _outer(delta: np.ndarray, z: np.ndarray) -> np.ndarray:
    """Δ zᵀ for one sample; Σ_b Δ_b z_bᵀ = Δ Zᵀ for a batch."""
    return delta[:, None] * z[None, :] if delta.ndim == 1 else delta.dot(z.T)
