"""The multilayer perceptron of the derivation: forward pass, loss E and the Δ recursion.

Layers are numbered ℓ = 1, …, L as in the text; z⁽⁰⁾ = x is the input. For each layer

    u⁽ℓ⁾ = W⁽ℓ⁾ z⁽ℓ−1⁾,        z⁽ℓ⁾ = σ⁽ℓ⁾(u⁽ℓ⁾),        W⁽ℓ⁾ ∈ R^{n(ℓ)×n(ℓ−1)},

and the loss is E = ½‖z⁽ᴸ⁾ − y‖². A batch is a matrix whose columns are samples; E is then
summed over the columns. That is the default, the derivation's network.

Beyond the derivation, each asked for by name: biases (``bias=True``: u⁽ℓ⁾ = W⁽ℓ⁾ z⁽ℓ−1⁾ +
b⁽ℓ⁾), a softmax layer (:class:`~backprop_widgets.activations.VectorActivation`, whose J is a
full matrix), the cross-entropy losses (:mod:`backprop_widgets.losses`) and
``reduction="mean"`` (E and every gradient divided by the batch size B).

This module is plain numpy: it imports nothing from Jupyter.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from . import _net_checks as nc
from ._checks import MAX_UNITS, MAX_WEIGHTS, check_seed, check_sizes, layer_number
from ._passes import delta_recursion, forward_pass
from ._results import Backward, Forward
from .activations import Activation, LayerActivation, VectorActivation
from .losses import Loss, SquaredError, check_reduction, get_loss

__all__ = ["MAX_UNITS", "MAX_WEIGHTS", "MLP", "Backward", "Forward"]

ActivationSpec = str | Activation | VectorActivation | Sequence[str | Activation]


class MLP:
    """A multilayer perceptron; by default the derivation's: no biases, squared error, sum.

    Parameters
    ----------
    sizes : list of int
        ``[n(0), n(1), …, n(L)]``: the input width, then the width of each layer (L ≥ 1).
    activations : str, Activation, VectorActivation, or list
        One entry per layer ℓ = 1..L. An entry is a built-in name (see
        :data:`~backprop_widgets.activations.BUILTIN_NAMES` and ``"softmax"``), an
        :class:`Activation`, a :class:`VectorActivation`, or a list of n(ℓ) elementwise ones
        (one σᵢ per unit; softmax cannot be one of them). A single entry is used for every
        layer.
    weights : list of arrays, optional
        W⁽¹⁾, …, W⁽ᴸ⁾, the ℓ-th of shape ``(n(ℓ), n(ℓ−1))``. Copied.
    biases : list of arrays, optional
        b⁽¹⁾, …, b⁽ᴸ⁾, the ℓ-th of shape ``(n(ℓ),)``. Copied. Giving them implies ``bias=True``.
    bias : bool, optional
        Whether u⁽ℓ⁾ = W⁽ℓ⁾ z⁽ℓ−1⁾ + b⁽ℓ⁾ (True; the biases start at zero unless given) or
        u⁽ℓ⁾ = W⁽ℓ⁾ z⁽ℓ−1⁾ as in the derivation (False, the default without ``biases``).
    seed : int, optional
        Without ``weights``, weights are drawn from N(0, 1/n(ℓ−1)) (fan-in scaling) with this
        seed.
    loss : {"squared_error", "cross_entropy", "binary_cross_entropy"}
        E = ½‖z⁽ᴸ⁾ − y‖² (the default); −Σ yᵢ log zᵢ, which needs a ``"softmax"`` output
        layer and probability-vector targets; or the binary cross-entropy, which needs a
        ``"sigmoid"`` output layer and targets in [0, 1]. A softmax output with squared error
        is allowed (it is a differentiable function like any other, and its Δ⁽ᴸ⁾ = Jᵀ(z − y)
        uses the full Jacobian), though cross-entropy is the usual partner.
    reduction : {"sum", "mean"}
        How E combines a batch's columns: summed (the derivation's, the default) or averaged,
        which divides E and every gradient by B.

    Examples
    --------
    >>> net = MLP([2, 3, 1], ["tanh", "identity"], seed=0)
    >>> net.L, net.W(1).shape, net.has_bias
    (2, (3, 2), False)
    >>> round(net.loss([1.0, -1.0], [0.5]), 6) >= 0
    True
    >>> clf = MLP([2, 3, 2], ["tanh", "softmax"], bias=True, loss="cross_entropy", seed=0)
    >>> back = clf.backward([1.0, -1.0], [0.0, 1.0])
    >>> bool(np.allclose(back.delta(2), back.forward.output - [0.0, 1.0]))
    True
    """

    def __init__(
        self,
        sizes: Sequence[int],
        activations: ActivationSpec | Sequence[ActivationSpec],
        *,
        weights: Sequence[np.ndarray] | None = None,
        biases: Sequence[np.ndarray] | None = None,
        bias: bool | None = None,
        seed: int | None = None,
        loss: str | Loss = "squared_error",
        reduction: str = "sum",
    ) -> None:
        self._sizes = check_sizes(sizes)
        acts = nc.check_activations(self._sizes, activations)
        loss_fn = get_loss(loss)
        loss_fn.check_output(acts[-1])
        self._reduction = check_reduction(reduction)
        self.seed = check_seed(seed)
        self._weights, self._biases = nc.check_parameters(self._sizes, weights, biases, bias, seed)
        self._activations = acts
        self._loss = loss_fn
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
        acts = nc.check_activations(self._sizes, value)
        self._loss.check_output(acts[-1])
        self._activations = acts
        self._changed()

    def sigma(self, layer: int) -> LayerActivation:
        """σ⁽ℓ⁾ for ℓ = 1..L."""
        return self._activations[layer_number(layer, self.L, first=1) - 1]

    def activation_spec(self) -> list[str | list[str]]:
        """The activations by name, one entry per layer (a list for per-unit layers)."""
        return [a.spec() for a in self._activations]

    @property
    def loss_name(self) -> str:
        """The loss by name: ``"squared_error"`` (the default), ``"cross_entropy"`` or
        ``"binary_cross_entropy"``."""
        return self._loss.name

    @property
    def loss_function(self) -> Loss:
        """The :class:`~backprop_widgets.losses.Loss` object (value, (C1) gradient, Δ⁽ᴸ⁾)."""
        return self._loss

    @property
    def reduction(self) -> str:
        """``"sum"`` (the default) or ``"mean"`` over a batch's columns."""
        return self._reduction

    @property
    def has_bias(self) -> bool:
        """Whether u⁽ℓ⁾ = W⁽ℓ⁾ z⁽ℓ−1⁾ + b⁽ℓ⁾ (False for the derivation's network)."""
        return self._biases is not None

    # ------------------------------------------------------------------ weights and biases

    @property
    def weights(self) -> list[np.ndarray]:
        """[W⁽¹⁾, …, W⁽ᴸ⁾] (index ℓ−1 holds W⁽ℓ⁾). Assign a new list to replace them all."""
        return list(self._weights)

    @weights.setter
    def weights(self, value: Sequence[np.ndarray]) -> None:
        self._weights = nc.check_weights(self._sizes, value)
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

    @property
    def biases(self) -> list[np.ndarray] | None:
        """[b⁽¹⁾, …, b⁽ᴸ⁾], or None for a network without biases. Assign a list to replace
        them (only on a network built with biases)."""
        return None if self._biases is None else list(self._biases)

    @biases.setter
    def biases(self, value: Sequence[np.ndarray]) -> None:
        self._require_bias("biases")
        self._biases = nc.check_biases(self._sizes, value)
        self._changed()

    def b(self, layer: int) -> np.ndarray:
        """b⁽ℓ⁾ for ℓ = 1..L, shape (n(ℓ),) (networks with biases only)."""
        k = layer_number(layer, self.L, first=1)
        return self._require_bias("b")[k - 1]

    def set_b(self, layer: int, value: np.ndarray) -> None:
        """Replace b⁽ℓ⁾ (validated and copied)."""
        k = layer_number(layer, self.L, first=1)
        new = list(self._require_bias("set_b"))
        new[k - 1] = value
        self.biases = new

    def _require_bias(self, what: str) -> tuple[np.ndarray, ...]:
        return nc.require_bias(self._biases, what)

    def reinitialize(self, seed: int | None = None) -> None:
        """Draw fresh weights (fan-in scaled) from ``seed``; biases, if any, back to zero."""
        seed = check_seed(seed)
        weights = nc.initial_weights(self._sizes, seed)
        self.seed = seed
        self._weights = weights
        if self._biases is not None:
            self._biases = nc.zero_biases(self._sizes)
        self._changed()

    def replace(self, **changes: object) -> MLP:
        """A new network with the same arguments except ``changes`` (any of ``MLP``'s).

        ``net.replace(loss="cross_entropy", activations=["tanh", "softmax"])`` keeps the
        weights; ``replace(bias=False)`` drops the biases, ``replace(bias=True)`` adds zeros.
        """
        return MLP(**nc.replace_arguments(self, changes))  # type: ignore[arg-type]

    def copy(self) -> MLP:
        """An independent copy (weights copied; activations shared, as they are immutable)."""
        return self.replace()

    def with_weights(
        self, weights: Sequence[np.ndarray], biases: Sequence[np.ndarray] | None = None
    ) -> MLP:
        """A new network with the same sizes, activations, loss and reduction, and other
        weights (and, for a network with biases, other biases if given)."""
        if biases is not None:
            return self.replace(weights=weights, biases=biases)
        return self.replace(weights=weights)

    # ------------------------------------------------------------------ change notification

    def subscribe(self, callback: Callable[[MLP], None]) -> Callable[[], None]:
        """Call ``callback(net)`` after the weights, biases or activations change; returns
        an unsubscribe function. This is how views redraw when a notebook edits the network."""
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
        """The forward pass: u⁽ℓ⁾ = W⁽ℓ⁾ z⁽ℓ−1⁾ (+ b⁽ℓ⁾) and z⁽ℓ⁾ = σ⁽ℓ⁾(u⁽ℓ⁾) for ℓ = 1..L.

        Parameters
        ----------
        x : array, shape (n(0),) or (n(0), B)
            One input, or B inputs as columns.
        """
        return self._forward(self.check_x(x))

    def _forward(self, x: np.ndarray) -> Forward:
        us, zs, ds = self._forward_arrays(x)
        return Forward(tuple(us), tuple(zs), tuple(ds), self._activations)

    def _forward_arrays(
        self,
        x: np.ndarray,
        *,
        need_dsigma: bool = True,
        weights: Sequence[np.ndarray] | None = None,
    ) -> tuple[list, list, list]:
        """The forward pass on a checked ``x``: lists of u⁽ℓ⁾, z⁽ℓ⁾ (z⁽⁰⁾ = x first) and
        σ′⁽ℓ⁾(u⁽ℓ⁾) (None entries without ``need_dsigma``, when only a loss is wanted).
        ``weights`` (of this network's shapes, unchecked) stand in for the network's own."""
        Ws = self._weights if weights is None else weights
        return forward_pass(Ws, self._biases, self._activations, x, need_dsigma=need_dsigma)

    def loss(self, x: object, y: object) -> float:
        """E of the network's loss (½‖z⁽ᴸ⁾ − y‖² by default), summed over the columns of a
        batch (or averaged, for ``reduction="mean"``)."""
        return self._loss_at(*self.check_xy(x, y))

    def _loss_at(
        self, x: np.ndarray, y: np.ndarray, weights: Sequence[np.ndarray] | None = None
    ) -> float:
        """E on a checked (x, y), with other ``weights`` of the same shapes if given (the
        lean path of the finite-difference checks: no new network is built)."""
        us, zs, _ = self._forward_arrays(x, need_dsigma=False, weights=weights)
        E = self._loss.value(us[-1], zs[-1], y)
        return E / y.shape[1] if self._reduction == "mean" and y.ndim == 2 else E

    def backward(self, x: object, y: object) -> Backward:
        """Backpropagation: the Δ recursion, every ∂E/∂W⁽ℓ⁾ and (with biases) ∂E/∂b⁽ℓ⁾.

        Δ⁽ᴸ⁾ = J⁽ᴸ⁾ᵀ ∇_z E,  Δ⁽ℓ⁾ = J⁽ℓ⁾ᵀ W⁽ℓ+1⁾ᵀ Δ⁽ℓ+1⁾ for ℓ = L−1, …, 1,
        ∂E/∂W⁽ℓ⁾ = Δ⁽ℓ⁾ z⁽ℓ−1⁾ᵀ and ∂E/∂b⁽ℓ⁾ = Δ⁽ℓ⁾.

        Here ∇_z E is the gradient of (C1) (z⁽ᴸ⁾ − y for squared error), each J⁽ℓ⁾ is (C2),
        multiplying by W⁽ℓ+1⁾ᵀ is the adjoint of h ↦ W⁽ℓ+1⁾h, the outer product with z⁽ℓ−1⁾ is
        the adjoint of (C3), H ↦ H z⁽ℓ−1⁾, and ∂E/∂b⁽ℓ⁾ = Δ⁽ℓ⁾ is the adjoint of its bias
        sibling k ↦ k. The derivation writes J⁽ℓ⁾ where we write J⁽ℓ⁾ᵀ: for an elementwise σ,
        J is diagonal, hence symmetric; softmax's J = diag(z) − z zᵀ is full but still
        symmetric; for a general VectorActivation the transpose is what the adjoint needs.
        For cross-entropy with softmax (and binary cross-entropy with sigmoid) the first
        step collapses to Δ⁽ᴸ⁾ = z⁽ᴸ⁾ − y. For a batch the columns are samples and the outer
        product (and the bias gradient) sums over them; ``reduction="mean"`` divides Δ⁽ᴸ⁾,
        and so every Δ⁽ℓ⁾ and gradient, by B.
        """
        xx, yy = self.check_xy(x, y)
        us, zs, ds = self._forward_arrays(xx)
        E, deltas, grads, grads_b, scale = self._delta_recursion(us, zs, ds, yy)
        fw = Forward(tuple(us), tuple(zs), tuple(ds), self._activations)
        loss = None if type(self._loss) is SquaredError else self._loss
        return Backward(fw, yy, E, tuple(deltas), tuple(grads), grads_b, loss, scale)

    def _backward_arrays(
        self, x: np.ndarray, y: np.ndarray
    ) -> tuple[float, list[np.ndarray], tuple | None]:
        """:meth:`backward` for an ``x`` and ``y`` already checked (as :func:`check_xy`
        returns them), without result objects: ``(E, [∂E/∂W⁽ℓ⁾], [∂E/∂b⁽ℓ⁾] or None)``.

        The lean path of a training loop, which validates its data once; the same forward
        pass and the same Δ recursion (:meth:`_delta_recursion`) as :meth:`backward`.
        """
        us, zs, ds = self._forward_arrays(x)
        E, _, grads, grads_b, _ = self._delta_recursion(us, zs, ds, y)
        return E, grads, grads_b

    def _set_trained(
        self, weights: Sequence[np.ndarray], biases: Sequence[np.ndarray] | None
    ) -> bool:
        """Replace the weights (and biases) by a training loop's fresh float64 arrays of the
        right shapes, checking only that they are finite; returns False, changing nothing,
        when one is not. The arrays are kept (not copied) and made read-only."""
        new = nc.trained_parameters(weights, biases)
        if new is None:
            return False
        L = len(self._weights)
        self._weights = tuple(new[:L])
        if biases is not None:
            self._biases = tuple(new[L:])
        if self._listeners:
            self._changed()
        return True

    def _delta_recursion(
        self, us: list, zs: list, ds: list, y: np.ndarray, *, need_E: bool = True
    ) -> tuple[float, list, list, tuple | None, float]:
        """The Δ recursion itself (see :meth:`backward`): (E, Δs, ∂E/∂Ws, ∂E/∂bs, scale)."""
        Ws, sigmas, has_bias = self._weights, self._activations, self._biases is not None
        return delta_recursion(
            Ws, has_bias, sigmas, self._loss, self._reduction, us, zs, ds, y, need_E=need_E
        )

    def gradients(self, x: object, y: object) -> list[np.ndarray]:
        """[∂E/∂W⁽¹⁾, …, ∂E/∂W⁽ᴸ⁾], same order and shapes as :attr:`weights` (the weight
        gradients only; ∂E/∂b⁽ℓ⁾ is ``backward(x, y).grad_b(ℓ)``)."""
        xx, yy = self.check_xy(x, y)
        us, zs, ds = self._forward_arrays(xx)
        return self._delta_recursion(us, zs, ds, yy, need_E=False)[2]

    # ------------------------------------------------------------------ input checks

    def check_x(self, x: object, *, argument: str = "x") -> np.ndarray:
        """Validate an input: shape (n(0),) or (n(0), B), finite numbers. Returns a copy."""
        return nc.check_x(self._sizes, x, argument=argument)

    def check_xy(self, x: object, y: object) -> tuple[np.ndarray, np.ndarray]:
        """Validate an input and its target together (same number of samples; a probability
        vector for cross-entropy)."""
        xx = nc.check_x(self._sizes, x)
        return xx, nc.check_y(self._sizes, self._loss, xx, y)

    def __repr__(self) -> str:
        acts = ", ".join(repr(a.spec()) for a in self._activations)
        extra = ", bias=True" if self._biases is not None else ""
        if type(self._loss) is not SquaredError:
            extra += f", loss={self._loss.name!r}"
        if self._reduction != "sum":
            extra += f", reduction={self._reduction!r}"
        return f"MLP(sizes={list(self._sizes)}, activations=[{acts}]{extra})"


def half_squared_error(z: np.ndarray, y: np.ndarray) -> float:
    """E = ½‖z − y‖² (summed over a batch's columns), the derivation's loss."""
    return SquaredError().value(z, z, y)
