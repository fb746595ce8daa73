"""Activations σ and their derivatives σ′ — the scalar functions behind (C2).

Every built-in activation is written so that σ and σ′ stay finite, and raise no floating-point
warning, for pre-activations u with |u| up to 1e4 (and beyond). Each also accepts complex input
for the complex-step check: the smooth ones are analytic, and the piecewise ones choose their
branch by the real part, which gives the exact derivative away from a kink.

A layer applies one σᵢ per unit (:class:`LayerActivation`); most layers use the same σ for every
unit, but the derivation allows each unit its own, and so do we.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

__all__ = [
    "BUILTIN_NAMES",
    "Activation",
    "LayerActivation",
    "get_activation",
]

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


@dataclass(frozen=True, eq=False)
class Activation:
    """A differentiable scalar function σ applied entrywise, with its derivative σ′.

    Parameters
    ----------
    name : str
        How the activation is shown (diagram labels, reports). Shown as text, never as HTML.
    f : callable
        σ, applied to a numpy array entrywise.
    df : callable
        σ′, applied to a numpy array entrywise. For a custom activation this is the student's
        claim; :func:`backprop_widgets.gradcheck` is there to test it.
    complex_step : bool
        Whether ``f`` accepts complex arrays and is analytic on each branch, so the
        complex-step difference Im σ(u + ih)/h may be used. Off for custom activations unless
        you say so.
    kinks : tuple of float
        Points where σ is not differentiable (0 for relu and leaky_relu). Finite differences
        that straddle a kink are flagged, not counted as failures.
    latex : str
        A LaTeX formula for σ(u), for display.

    Examples
    --------
    >>> import numpy as np
    >>> cube = Activation("cube", lambda u: u**3, lambda u: 3 * u**2)
    >>> cube.df(np.array([2.0]))
    array([12.])
    """

    name: str
    f: ArrayFn
    df: ArrayFn
    complex_step: bool = False
    kinks: tuple[float, ...] = ()
    latex: str = ""
    builtin: bool = field(default=False, repr=False)
    #: Optional u ↦ (σ(u), σ′(u)) sharing work between the two (tanh, sigmoid); built-ins only.
    f_df: Callable[[np.ndarray], tuple[np.ndarray, np.ndarray]] | None = field(
        default=None, repr=False
    )

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not self.name.strip():
            raise TypeError(f"Activation name must be a non-empty string, got {self.name!r}")
        for label, fn in (("f", self.f), ("df", self.df)):
            if not callable(fn):
                raise TypeError(
                    f"Activation {self.name!r}: {label} must be callable (a function of a numpy "
                    f"array), got {type(fn).__name__}"
                )
        object.__setattr__(self, "kinks", tuple(float(k) for k in self.kinks))
        if not self.latex:
            object.__setattr__(self, "latex", rf"\operatorname{{{_latex_text(self.name)}}}(u)")

    def __repr__(self) -> str:
        kind = "" if self.builtin else ", custom"
        return f"Activation({self.name!r}{kind})"

    def __call__(self, u: np.ndarray) -> np.ndarray:
        return self.f(u)


def _latex_text(name: str) -> str:
    return "".join("\\" + c if c in "#$%&_{}~^\\" else c for c in name)


_BUILTINS: dict[str, Activation] = {
    act.name: act
    for act in [
        Activation("identity", lambda u: u * 1.0, np.ones_like, True, (), r"u", True),
        Activation(
            "sigmoid", _sigmoid, _dsigmoid, True, (), r"\frac{1}{1+e^{-u}}", True, _sigmoid_both
        ),
        Activation("tanh", np.tanh, _dtanh, True, (), r"\tanh u", True, _tanh_both),
        Activation(
            "relu",
            lambda u: _split(u, lambda a: a, lambda a: 0.0 * a),
            lambda u: (_real(u) > 0).astype(np.float64),
            True,
            (0.0,),
            r"\max(0, u)",
            True,
        ),
        Activation(
            "leaky_relu",
            lambda u: _split(u, lambda a: a, lambda a: LEAKY_SLOPE * a),
            lambda u: np.where(_real(u) > 0, 1.0, LEAKY_SLOPE),
            True,
            (0.0,),
            rf"\max({LEAKY_SLOPE}u, u)",
            True,
        ),
        Activation("softplus", _softplus, _sigmoid, True, (), r"\log(1+e^{u})", True),
        Activation(
            "elu", _elu, _delu, True, (), r"\begin{cases}u & u\ge 0\\ e^u-1 & u<0\end{cases}", True
        ),
        Activation("silu", _silu, _dsilu, True, (), r"\frac{u}{1+e^{-u}}", True),
        Activation("softsign", _softsign, _dsoftsign, True, (), r"\frac{u}{1+|u|}", True),
        Activation("sin", np.sin, np.cos, True, (), r"\sin u", True),
    ]
}

BUILTIN_NAMES: tuple[str, ...] = tuple(_BUILTINS)


def get_activation(spec: str | Activation, *, argument: str = "activation") -> Activation:
    """Return the :class:`Activation` for a built-in name or an ``Activation`` itself.

    Raises
    ------
    ValueError
        For an unknown name; the message lists the known ones.
    TypeError
        For anything that is neither a string nor an ``Activation``.
    """
    if isinstance(spec, Activation):
        return spec
    if isinstance(spec, str):
        key = spec.strip().lower()
        if key in _BUILTINS:
            return _BUILTINS[key]
        raise ValueError(
            f"{argument}: unknown activation {spec!r}; the built-in ones are "
            f"{', '.join(BUILTIN_NAMES)} (or pass an Activation(name, f, df))"
        )
    raise TypeError(
        f"{argument}: expected an activation name (one of {', '.join(BUILTIN_NAMES)}) or an "
        f"Activation, got {type(spec).__name__}"
    )


class LayerActivation:
    """σ⁽ℓ⁾ = (σ₁, …, σₙ): one scalar activation per unit of a layer.

    Units that share an activation are evaluated together, so a layer with a single σ costs
    one vectorised call. Arrays have the units along axis 0 (shape ``(n,)`` or ``(n, B)``).
    """

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
        """Build from a name, an ``Activation``, or a list of ``n`` of those."""
        if isinstance(spec, LayerActivation):
            if spec.n != n:
                raise ValueError(f"{argument}: has {spec.n} units but the layer has {n}")
            return spec
        if isinstance(spec, (str, Activation)):
            return cls([get_activation(spec, argument=argument)] * n)
        if isinstance(spec, (list, tuple)):
            if len(spec) != n:
                raise ValueError(
                    f"{argument}: a per-unit list must have one entry per unit ({n}), "
                    f"got {len(spec)}"
                )
            return cls([get_activation(s, argument=f"{argument}[{i}]") for i, s in enumerate(spec)])
        raise TypeError(
            f"{argument}: expected a name, an Activation or a list of {n} of those, "
            f"got {type(spec).__name__}"
        )

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

    def spec(self) -> str | list[str]:
        """The names as a user would write them (one name, or a per-unit list)."""
        return self.units[0].name if self.uniform else self.names

    def _apply(self, which: str, u: np.ndarray) -> np.ndarray:
        if self.uniform:
            a = self._groups[0][0]
            return _checked(a, which, getattr(a, which)(u), u.shape)
        out = np.empty_like(u, dtype=np.result_type(u, np.float64))
        for a, ix in self._groups:
            out[ix] = _checked(a, which, getattr(a, which)(u[ix]), u[ix].shape)
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

    def kinks(self) -> list[tuple[float, ...]]:
        return [a.kinks for a in self.units]

    def __eq__(self, other: object) -> bool:
        return isinstance(other, LayerActivation) and self.units == other.units

    def __hash__(self) -> int:
        return hash(self.units)

    def __repr__(self) -> str:
        return f"LayerActivation({self.spec()!r})"


def _checked(a: Activation, which: str, value: object, shape: tuple[int, ...]) -> np.ndarray:
    """Make sure a (possibly user-written) σ or σ′ returned an array of the right shape."""
    if type(value) is np.ndarray and value.shape == shape and value.dtype.kind in "fc":
        return value  # the usual case, kept cheap: small networks call this 2L times a pass
    label = "σ" if which == "f" else "σ′"
    try:
        arr = np.asarray(value)
    except Exception as exc:  # pragma: no cover - exotic return types
        raise TypeError(f"activation {a.name!r}: {label} returned {type(value).__name__}") from exc
    if arr.shape != shape:
        if arr.shape == ():
            arr = np.broadcast_to(arr, shape)
        else:
            raise ValueError(
                f"activation {a.name!r}: {label} must return an array of the input's shape "
                f"{shape}, got shape {arr.shape}"
            )
    if not (np.issubdtype(arr.dtype, np.number) or arr.dtype == bool):
        raise TypeError(f"activation {a.name!r}: {label} returned non-numeric dtype {arr.dtype}")
    return arr
