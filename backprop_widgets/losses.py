"""The loss E and the gradient behind (C1), for each loss an :class:`~backprop_widgets.MLP` offers.

* ``"squared_error"`` — the derivation's E = ½‖z⁽ᴸ⁾ − y‖², the default. ∇_z E = z − y.
* ``"cross_entropy"`` — E = −Σᵢ yᵢ log zᵢ with a softmax output layer z = softmax(u⁽ᴸ⁾) and y a
  probability vector (one-hot, or any entries in [0, 1] summing to 1). ∇_z E = −y ⊘ z.
* ``"binary_cross_entropy"`` — E = −Σᵢ [yᵢ log zᵢ + (1 − yᵢ) log(1 − zᵢ)] with a sigmoid output
  layer and every yᵢ in [0, 1]. ∇_z E = (z − y) ⊘ (z ⊙ (1 − z)).

The two cross-entropies are evaluated from u⁽ᴸ⁾, never from log z: with log-softmax,
−Σ yᵢ log zᵢ = (Σᵢ yᵢ) logsumexp(u) − ⟨y, u⟩, and with log-sigmoid,
−[y log σ(u) + (1 − y) log(1 − σ(u))] = softplus(u) − y u. Both are finite, with no warning,
at |u| = 1e4, where z itself rounds to 0 or 1.

Δ⁽ᴸ⁾ = J⁽ᴸ⁾ᵀ ∇_z E in general (:meth:`Loss.delta_L`). For the two matched pairs the product
collapses: softmax's J = diag(z) − z zᵀ gives J ᵀ(−y ⊘ z) = z Σᵢyᵢ − y = z − y, and sigmoid's
J = diag(z(1 − z)) gives z − y as well. The network uses those collapsed forms, which stay
exact where z has rounded to 0 (there −y ⊘ z would be 0/0).

A batch has the samples as columns; every function here sums over them (the network divides
by B for ``reduction="mean"``). Plain numpy: nothing here imports Jupyter.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from ._activation_kernels import _real, _softplus

if TYPE_CHECKING:
    from .activations import LayerActivation

__all__ = ["LOSS_NAMES", "REDUCTIONS", "Loss", "get_loss"]

REDUCTIONS: tuple[str, ...] = ("sum", "mean")
"""How E combines a batch's samples: ``"sum"`` (the derivation's, the default) or ``"mean"``."""

#: How far a cross-entropy target's column sum may be from 1 (rounding in typed decimals).
PROBABILITY_TOLERANCE = 1e-8


def _logsumexp(u: np.ndarray) -> np.ndarray:
    """log Σᵢ exp(uᵢ) along axis 0, shifted by max Re uᵢ so no exponent is positive."""
    m = np.max(_real(u), axis=0)
    return m + np.log(np.sum(np.exp(u - m), axis=0))


class Loss:
    """One loss E(z; y) of the output z = z⁽ᴸ⁾: its value, its (C1) gradient and its Δ⁽ᴸ⁾.

    Attributes
    ----------
    name : str
        ``"squared_error"``, ``"cross_entropy"`` or ``"binary_cross_entropy"``.
    output : str or None
        The output activation the loss needs (``"softmax"``, ``"sigmoid"``), or None for any.
    latex : str
        E as a LaTeX formula of z⁽ᴸ⁾ and y.
    gradient_latex : str
        ∇_z E as LaTeX (``z - y`` for squared error), with ``z`` standing for z⁽ᴸ⁾.
    separable : bool
        Whether E is a sum of one term per unit (true except for cross-entropy).
    """

    name = ""
    output: str | None = None
    latex = ""
    gradient_latex = ""
    separable = True

    # -- values ----------------------------------------------------------------------------

    def per_unit(self, u: np.ndarray, z: np.ndarray, y: np.ndarray) -> np.ndarray:
        """Each unit's term of E (separable losses only), same shape as z."""
        raise NotImplementedError

    def per_sample(self, u: np.ndarray, z: np.ndarray, y: np.ndarray) -> np.ndarray:
        """E of each sample: units along axis 0, so the result has shape ``z.shape[1:]``."""
        return np.sum(self.per_unit(u, z, y), axis=0)

    def value(self, u: np.ndarray, z: np.ndarray, y: np.ndarray) -> float:
        """E summed over every sample (a float)."""
        return float(np.sum(self.per_sample(u, z, y)))

    def of_z(self, z: np.ndarray, y: np.ndarray) -> np.ndarray:
        """E as a function of z alone (units along axis 0): the map whose derivative is (C1)."""
        raise NotImplementedError

    def gradient(self, z: np.ndarray, y: np.ndarray) -> np.ndarray:
        """∇_z E: the vector g with D_zE(z)(h) = ⟨g, h⟩, i.e. (C1)."""
        raise NotImplementedError

    def delta_L(
        self,
        sigma: LayerActivation,
        u: np.ndarray,
        z: np.ndarray,
        dsigma: np.ndarray | None,
        y: np.ndarray,
    ) -> np.ndarray:
        """Δ⁽ᴸ⁾ = J⁽ᴸ⁾ᵀ ∇_z E, the start of the Δ recursion (sum reduction)."""
        return sigma.vjp(u, z, dsigma, self.gradient(z, y))

    def roundoff_scale(self, u: np.ndarray, z: np.ndarray, y: np.ndarray) -> float:
        """S: the size of the terms whose rounding reaches E (for finite-difference noise)."""
        raise NotImplementedError

    # -- checks ----------------------------------------------------------------------------

    def check_y(self, y: np.ndarray, *, argument: str = "y") -> None:
        """Refuse targets this loss is not defined for (nothing for squared error)."""

    def check_output(self, sigma: LayerActivation, *, argument: str = "activations") -> None:
        """Refuse an output layer σ⁽ᴸ⁾ this loss is not meant for."""

    def __repr__(self) -> str:
        return f"Loss({self.name!r})"


class SquaredError(Loss):
    """E = ½‖z − y‖², the derivation's loss; (C1) is h ↦ ⟨z − y, h⟩."""

    name = "squared_error"
    latex = r"E = \tfrac{1}{2}\left\| z - y \right\|^2"
    gradient_latex = "z - y"

    def per_unit(self, u: np.ndarray, z: np.ndarray, y: np.ndarray) -> np.ndarray:
        r = z - y
        return 0.5 * r * r

    def value(self, u: np.ndarray, z: np.ndarray, y: np.ndarray) -> float:
        r = z - y
        return 0.5 * float(np.vdot(r, r))

    def of_z(self, z: np.ndarray, y: np.ndarray) -> np.ndarray:
        r = z - y
        return 0.5 * np.sum(r * r, axis=0)

    def gradient(self, z: np.ndarray, y: np.ndarray) -> np.ndarray:
        return z - y

    def roundoff_scale(self, u: np.ndarray, z: np.ndarray, y: np.ndarray) -> float:
        # Rounding of z (relative ε per entry) moves E by about ε Σ|z − y||z|, and summing E
        # itself costs about ε E.
        r = z - y
        return 0.5 * float(np.sum(r * r)) + float(np.sum(np.abs(r) * np.abs(z)))


def _one_layer_name(sigma: LayerActivation) -> str | None:
    """The built-in activation's name if the whole layer uses one built-in, else None."""
    a = sigma.units[0]
    if not sigma.uniform or not getattr(a, "builtin", False):
        return None
    return a.name


class CrossEntropy(Loss):
    """E = −Σᵢ yᵢ log zᵢ with z = softmax(u⁽ᴸ⁾); (C1) is h ↦ ⟨−y ⊘ z, h⟩.

    Evaluated as (Σᵢ yᵢ) logsumexp(u⁽ᴸ⁾) − ⟨y, u⁽ᴸ⁾⟩. With the softmax Jacobian,
    Δ⁽ᴸ⁾ = Jᵀ(−y ⊘ z) = z Σᵢ yᵢ − y, which is z − y for a probability vector y.
    """

    name = "cross_entropy"
    output = "softmax"
    latex = r"E = -\sum_{i} y_i \log z_i"
    gradient_latex = r"-y \oslash z"
    separable = False

    def per_sample(self, u: np.ndarray, z: np.ndarray, y: np.ndarray) -> np.ndarray:
        return np.sum(y, axis=0) * _logsumexp(u) - np.sum(y * u, axis=0)

    def of_z(self, z: np.ndarray, y: np.ndarray) -> np.ndarray:
        with np.errstate(divide="ignore"):
            logs = np.log(z)
        return -np.sum(np.where(y != 0, y * logs, 0.0), axis=0)

    def gradient(self, z: np.ndarray, y: np.ndarray) -> np.ndarray:
        # Where yᵢ = 0 the term yᵢ log zᵢ is absent, so its gradient is 0 even if zᵢ is 0.
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(y != 0, -y / z, 0.0)

    def delta_L(self, sigma, u, z, dsigma, y):  # type: ignore[no-untyped-def,override]
        return z * np.sum(y, axis=0) - y

    def roundoff_scale(self, u: np.ndarray, z: np.ndarray, y: np.ndarray) -> float:
        # logsumexp rounds at the size of max|u| (+1 for the log), ⟨y, u⟩ at Σ|y||u|.
        big = np.max(np.abs(_real(u)), axis=0) + 1.0
        E = float(np.sum(self.per_sample(u, z, y)))
        return abs(E) + float(np.sum(np.sum(np.abs(y), axis=0) * big + np.sum(np.abs(y * u), 0)))

    def check_y(self, y: np.ndarray, *, argument: str = "y") -> None:
        if np.any(y < 0) or np.any(y > 1):
            raise ValueError(
                f"{argument}: loss='cross_entropy' needs each target to be a probability "
                f"vector (entries in [0, 1] summing to 1, e.g. one-hot); found an entry "
                f"{float(y[(y < 0) | (y > 1)][0])!r} outside [0, 1]"
            )
        sums = np.sum(y, axis=0)
        bad = np.abs(sums - 1.0) > PROBABILITY_TOLERANCE
        if np.any(bad):
            where = "" if y.ndim == 1 else f" (column {int(np.flatnonzero(bad)[0])}, 0-based)"
            total = float(np.atleast_1d(sums)[np.flatnonzero(np.atleast_1d(bad))[0]])
            raise ValueError(
                f"{argument}: loss='cross_entropy' needs each target to be a probability "
                f"vector (entries in [0, 1] summing to 1, e.g. one-hot); the target{where} "
                f"sums to {total:.6g}"
            )

    def check_output(self, sigma: LayerActivation, *, argument: str = "activations") -> None:
        if _one_layer_name(sigma) != "softmax":
            raise ValueError(
                f"{argument}: loss='cross_entropy' needs the output layer to be 'softmax' "
                f"(so that z(L) is a probability vector), got {sigma.spec()!r}; use "
                f"activations=[..., 'softmax'] or another loss"
            )


class BinaryCrossEntropy(Loss):
    """E = −Σᵢ [yᵢ log zᵢ + (1 − yᵢ) log(1 − zᵢ)] with z = sigmoid(u⁽ᴸ⁾).

    Evaluated as Σᵢ softplus(uᵢ) − yᵢ uᵢ. (C1) is h ↦ ⟨(z − y) ⊘ (z ⊙ (1 − z)), h⟩, and with
    sigmoid's J = diag(z ⊙ (1 − z)), Δ⁽ᴸ⁾ = z − y.
    """

    name = "binary_cross_entropy"
    output = "sigmoid"
    latex = r"E = -\sum_{i} \bigl(y_i \log z_i + (1 - y_i) \log(1 - z_i)\bigr)"
    gradient_latex = r"(z - y) \oslash \bigl(z \odot (1 - z)\bigr)"

    def per_unit(self, u: np.ndarray, z: np.ndarray, y: np.ndarray) -> np.ndarray:
        return _softplus(u) - y * u

    def of_z(self, z: np.ndarray, y: np.ndarray) -> np.ndarray:
        with np.errstate(divide="ignore", invalid="ignore"):
            a = np.where(y != 0, y * np.log(z), 0.0)
            b = np.where(y != 1, (1 - y) * np.log(1 - z), 0.0)
        return -np.sum(a + b, axis=0)

    def gradient(self, z: np.ndarray, y: np.ndarray) -> np.ndarray:
        with np.errstate(divide="ignore", invalid="ignore"):
            g = (z - y) / (z * (1 - z))
        return np.where(z == y, 0.0, g)

    def delta_L(self, sigma, u, z, dsigma, y):  # type: ignore[no-untyped-def,override]
        return z - y

    def roundoff_scale(self, u: np.ndarray, z: np.ndarray, y: np.ndarray) -> float:
        sp = _softplus(u)
        E = float(np.sum(sp - y * u))
        return abs(E) + float(np.sum(np.abs(sp) + np.abs(y * u)))

    def check_y(self, y: np.ndarray, *, argument: str = "y") -> None:
        if np.any(y < 0) or np.any(y > 1):
            raise ValueError(
                f"{argument}: loss='binary_cross_entropy' needs every target entry in [0, 1] "
                f"(a probability for each output unit); found "
                f"{float(y[(y < 0) | (y > 1)][0])!r}"
            )

    def check_output(self, sigma: LayerActivation, *, argument: str = "activations") -> None:
        if _one_layer_name(sigma) != "sigmoid":
            raise ValueError(
                f"{argument}: loss='binary_cross_entropy' needs the output layer to be "
                f"'sigmoid' (so each zᵢ is a probability), got {sigma.spec()!r}; use "
                f"activations=[..., 'sigmoid'] or another loss"
            )


_LOSSES: dict[str, Loss] = {
    loss.name: loss for loss in (SquaredError(), CrossEntropy(), BinaryCrossEntropy())
}

LOSS_NAMES: tuple[str, ...] = tuple(_LOSSES)
"""The losses by name; the first, ``"squared_error"``, is the derivation's and the default."""


def get_loss(spec: object, *, argument: str = "loss") -> Loss:
    """The :class:`Loss` for a name (or a ``Loss`` itself)."""
    if isinstance(spec, Loss):
        return spec
    if isinstance(spec, str):
        key = spec.strip().lower()
        if key in _LOSSES:
            return _LOSSES[key]
        raise ValueError(
            f"{argument}: unknown loss {spec!r}; the losses are {', '.join(map(repr, LOSS_NAMES))}"
        )
    raise TypeError(
        f"{argument}: expected a loss name (one of {', '.join(map(repr, LOSS_NAMES))}), "
        f"got {type(spec).__name__}"
    )


def check_reduction(reduction: object) -> str:
    """``"sum"`` or ``"mean"``."""
    if not isinstance(reduction, str) or reduction not in REDUCTIONS:
        raise ValueError(
            f"reduction: must be one of {', '.join(map(repr, REDUCTIONS))} (how E combines a "
            f"batch's samples), got {reduction!r}"
        )
    return reduction
