"""A layer's σ⁽ℓ⁾ as the core evaluates it: per-unit elementwise, or one vector activation.

Re-exported by :mod:`backprop_widgets.activations`; import from there. Plain numpy; internal.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from .activations import Activation, VectorActivation

    AnyActivation = Activation | VectorActivation

__all__ = ["LayerActivation", "VectorLayer"]


class LayerActivation:
    """σ⁽ℓ⁾ = (σ₁, …, σₙ): one scalar activation per unit of a layer (the derivation's kind).

    Units that share an activation are evaluated together, so a layer with a single σ costs
    one vectorised call. Arrays have the units along axis 0 (shape ``(n,)`` or ``(n, B)``).
    ``elementwise`` is True: J_u = diag(σ′(u)). :meth:`build` returns a :class:`VectorLayer`
    for a :class:`VectorActivation` (softmax).
    """

    elementwise = True

    def __init__(self, units: Sequence[Activation]):
        self.units: tuple[Activation, ...] = tuple(units)
        groups: dict[int, list[int]] = {}
        first: dict[int, Activation] = {}
        for i, a in enumerate(self.units):
            groups.setdefault(id(a), []).append(i)
            first.setdefault(id(a), a)
        self._groups = [(first[k], np.array(ix)) for k, ix in groups.items()]
        # A layer with one built-in σ is the common case: evaluate it without any dispatch.
        single = self._groups[0][0] if len(self._groups) == 1 else None
        self._builtin = single if single is not None and single.builtin else None

    @classmethod
    def build(cls, spec: object, n: int, *, argument: str) -> LayerActivation:
        """Build from a name, an activation, or a list of ``n`` elementwise ones (see
        :func:`backprop_widgets.activations.build_layer`)."""
        from .activations import build_layer

        return build_layer(spec, n, argument=argument)

    @property
    def n(self) -> int:
        return len(self.units)

    @property
    def uniform(self) -> bool:
        """True when every unit uses the same σ."""
        return len(self._groups) == 1

    @property
    def names(self) -> list[str]:
        return [a.name for a in self.units]

    @property
    def label(self) -> str:
        """A short label: the σ's name, or ``"mixed"`` for a per-unit layer."""
        return self.units[0].name if self.uniform else "mixed"

    @property
    def complex_step(self) -> bool:
        return all(a.complex_step for a, _ in self._groups)

    @property
    def symmetric_jacobian(self) -> bool:
        """J_u = J_uᵀ: always, for a diagonal J."""
        return True

    def spec(self) -> str | list[str]:
        """The names as a user would write them (one name, or a per-unit list)."""
        return self.units[0].name if self.uniform else self.names

    def _apply(self, which: str, u: np.ndarray) -> np.ndarray:
        if self.uniform:
            a = self._groups[0][0]
            return _checked(a, which, _call(a, which, u), u.shape)
        out = np.empty_like(u, dtype=np.result_type(u, np.float64))
        for a, ix in self._groups:
            out[ix] = _checked(a, which, _call(a, which, u[ix]), u[ix].shape)
        return out

    def sigma(self, u: np.ndarray) -> np.ndarray:
        """σ⁽ℓ⁾(u), unit by unit."""
        if self._builtin is not None:
            return self._builtin.f(u)
        return self._apply("f", u)

    def sigma_and_dsigma(self, u: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(σ⁽ℓ⁾(u), σ′⁽ℓ⁾(u)) together, sharing work where a built-in σ allows it."""
        a = self._builtin
        if a is not None:
            return a.f_df(u) if a.f_df is not None else (a.f(u), a.df(u))
        return self._apply("f", u), self._apply("df", u)

    def dsigma(self, u: np.ndarray) -> np.ndarray:
        """σ′⁽ℓ⁾(u) unit by unit: the diagonal of J_u in (C2)."""
        if self._builtin is not None:
            return self._builtin.df(u)
        return self._apply("df", u)

    def jacobian(self, u: np.ndarray) -> np.ndarray:
        """J_u = diag(σ′⁽ℓ⁾(u)) for one sample u of shape (n,) (C2)."""
        return np.diag(self.dsigma(u))

    def vjp(self, u: np.ndarray, z: np.ndarray, dsigma: np.ndarray, v: np.ndarray) -> np.ndarray:
        """J_uᵀ v = σ′(u) ⊙ v (J_u is diagonal, hence its own transpose)."""
        return dsigma * v

    def kinks(self) -> list[tuple[float, ...]]:
        return [a.kinks for a in self.units]

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, LayerActivation) and other.elementwise and self.units == other.units
        )

    def __hash__(self) -> int:
        return hash(self.units)

    def __repr__(self) -> str:
        return f"LayerActivation({self.spec()!r})"


class VectorLayer(LayerActivation):
    """σ⁽ℓ⁾ given by one :class:`VectorActivation` acting on the whole layer (softmax).

    ``elementwise`` is False: J_u is a full matrix (:meth:`jacobian`), and the Δ recursion
    applies J_uᵀ (:meth:`vjp`). ``units`` repeats the activation once per unit so that code
    reading names unit by unit still works; ``dsigma`` does not exist for such a layer.
    """

    elementwise = False

    def __init__(self, activation: VectorActivation, n: int) -> None:
        self.activation = activation
        self.units = (activation,) * n  # type: ignore[assignment]
        self._groups = [(activation, np.arange(n))]  # type: ignore[list-item]
        self._builtin = None

    @property
    def complex_step(self) -> bool:
        return self.activation.complex_step

    @property
    def symmetric_jacobian(self) -> bool:
        return self.activation.symmetric

    def spec(self) -> str:
        return self.activation.name

    def sigma(self, u: np.ndarray) -> np.ndarray:
        """σ⁽ℓ⁾(u) for u of shape (n,) or a batch (n, B) (column by column)."""
        a = self.activation
        if a.builtin:
            return a.f(u)
        if u.ndim == 1:
            return _checked(a, "f", _call(a, "f", u), u.shape)
        out = np.empty_like(u, dtype=np.result_type(u, np.float64))
        for b in range(u.shape[1]):
            out[:, b] = _checked(a, "f", _call(a, "f", u[:, b]), (u.shape[0],))
        return out

    def sigma_and_dsigma(self, u: np.ndarray) -> tuple[np.ndarray, None]:  # type: ignore[override]
        """(σ⁽ℓ⁾(u), None): there is no diagonal; the backward pass uses :meth:`vjp`."""
        return self.sigma(u), None

    def dsigma(self, u: np.ndarray) -> np.ndarray:
        raise ValueError(
            f"{self.activation.name!r} is not elementwise: its J_u is a full matrix, not "
            f"diag(σ′(u)); use jacobian(u)"
        )

    def jacobian(self, u: np.ndarray) -> np.ndarray:
        """J_u, the full (n, n) matrix [∂zᵢ/∂uⱼ] for one sample u of shape (n,) (C2)."""
        a = self.activation
        n = u.shape[0]
        return _checked(a, "jacobian", _call(a, "jacobian", u), (n, n))

    def vjp(self, u: np.ndarray, z: np.ndarray, dsigma: object, v: np.ndarray) -> np.ndarray:
        """J_uᵀ v, column by column for a batch (built-ins without forming J)."""
        a = self.activation
        if a.vjp is not None:
            return a.vjp(u, z, v)
        if u.ndim == 1:
            return self.jacobian(u).T.dot(v)
        return np.stack([self.jacobian(u[:, b]).T.dot(v[:, b]) for b in range(u.shape[1])], 1)

    def kinks(self) -> list[tuple[float, ...]]:
        return [()] * self.n

    def __eq__(self, other: object) -> bool:
        return isinstance(other, VectorLayer) and (self.activation, self.n) == (
            other.activation,
            other.n,
        )

    def __hash__(self) -> int:
        return hash((self.activation, self.n))

    def __repr__(self) -> str:
        return f"VectorLayer({self.activation.name!r}, n={self.n})"


_LABELS = {"f": "σ", "df": "σ′", "jacobian": "J"}


def _call(a: AnyActivation, which: str, u: np.ndarray) -> object:
    """Call a (possibly user-written) σ, σ′ or J on an array, explaining a scalar-only one."""
    try:
        return getattr(a, which)(u)
    except TypeError as exc:
        if a.builtin or ("scalar" not in str(exc) and "0-dimensional" not in str(exc)):
            raise
        raise TypeError(
            f"activation {a.name!r}: {_LABELS[which]} must take a numpy array and return one "
            f"(use np.tanh, not math.tanh), but calling it on an array of shape {u.shape} "
            f"failed: {exc}"
        ) from exc


def _checked(a: AnyActivation, which: str, value: object, shape: tuple[int, ...]) -> np.ndarray:
    """Make sure a (possibly user-written) σ, σ′ or J returned an array of the right shape."""
    if type(value) is np.ndarray and value.shape == shape and value.dtype.kind in "fc":
        return value  # the usual case, kept cheap: small networks call this 2L times a pass
    label = _LABELS[which]
    try:
        arr = np.asarray(value)
    except Exception as exc:  # pragma: no cover - exotic return types
        raise TypeError(f"activation {a.name!r}: {label} returned {type(value).__name__}") from exc
    if arr.shape != shape:
        given = shape[:1] if which == "jacobian" else shape
        if arr.shape == ():
            raise ValueError(
                f"activation {a.name!r}: {label} returned a single number for an input array of "
                f"shape {given}; it must take a numpy array and return an array of shape "
                f"{shape} (write it with numpy, e.g. np.tanh(u), 1 - np.tanh(u)**2 or "
                f"np.ones_like(u), not math.tanh or a constant)"
            )
        raise ValueError(
            f"activation {a.name!r}: {label} must return an array of shape {shape} for an "
            f"input of shape {given}, got shape {arr.shape}"
        )
    if not (np.issubdtype(arr.dtype, np.number) or arr.dtype == bool):
        raise TypeError(f"activation {a.name!r}: {label} returned non-numeric dtype {arr.dtype}")
    return arr
