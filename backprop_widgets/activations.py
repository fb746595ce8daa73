"""Activations σ and their derivatives — the functions behind (C2).

Every built-in activation is written so that σ and its derivative stay finite, and raise no
floating-point warning, for pre-activations u with |u| up to 1e4 (and beyond). Each also
accepts complex input for the complex-step check: the smooth ones are analytic, and the
piecewise ones choose their branch by the real part, which gives the exact derivative away
from a kink. (The numpy kernels are in :mod:`backprop_widgets._activation_kernels`.)

Two kinds of σ⁽ℓ⁾:

* elementwise, as in the derivation: σ⁽ℓ⁾(u) = (σ₁(u₁), …, σₙ(uₙ)), one scalar
  :class:`Activation` per unit (:class:`LayerActivation`; most layers use the same σ for every
  unit, but the derivation allows each unit its own, and so do we). J_u = diag(σᵢ′(uᵢ)).
* beyond the derivation, a :class:`VectorActivation` such as ``"softmax"``, where every zᵢ
  depends on every uⱼ: J_u is a full n × n matrix (:class:`VectorLayer`). It acts on the whole
  layer, so it cannot be one unit's entry in a per-unit list.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from ._activation_kernels import (
    LEAKY_SLOPE,
    ArrayFn,
    _delu,
    _dsigmoid,
    _dsilu,
    _dsoftsign,
    _dtanh,
    _elu,
    _real,
    _sigmoid,
    _sigmoid_both,
    _silu,
    _softmax,
    _softmax_jacobian,
    _softmax_vjp,
    _softplus,
    _softsign,
    _split,
    _tanh_both,
)
from ._layers import LayerActivation, VectorLayer

__all__ = [
    "BUILTIN_NAMES",
    "LEAKY_SLOPE",
    "VECTOR_NAMES",
    "Activation",
    "LayerActivation",
    "VectorActivation",
    "VectorLayer",
    "build_layer",
    "get_activation",
]


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
"""The built-in elementwise activations (the derivation's kind)."""


# --------------------------------------------------------------------------- vector activations


@dataclass(frozen=True, eq=False)
class VectorActivation:
    """A differentiable σ: Rⁿ → Rⁿ that is not elementwise, with its full Jacobian J_u.

    Beyond the derivation: there, J_u = diag(σᵢ′(uᵢ)); here every zᵢ may depend on every uⱼ
    (softmax: zᵢ = e^{uᵢ} / Σⱼ e^{uⱼ}), so (C2) is h ↦ J_u h with a full matrix J_u.

    Parameters
    ----------
    name : str
        How the activation is shown. Shown as text, never as HTML.
    f : callable
        σ, taking one vector u of shape (n,) and returning z of shape (n,). Built-ins also take
        a batch (n, B) column by column; a custom ``f`` is called once per column.
    jacobian : callable
        u ↦ J_u, the (n, n) matrix with [J_u]ᵢⱼ = ∂zᵢ/∂uⱼ. For a custom activation this is the
        student's claim; :func:`backprop_widgets.gradcheck` (which only evaluates ``f``) and
        :func:`backprop_widgets.check_piece` on its (C2) piece are there to test it.
    complex_step : bool
        Whether ``f`` accepts complex arrays and is analytic (so the complex-step check may
        be used). Off for custom activations unless you say so.
    symmetric : bool
        Whether J_u = J_uᵀ for every u (true for softmax). Only shown in the views: the
        recursion always uses J_uᵀ, which is right either way.
    latex, jacobian_latex : str
        LaTeX for σ(u) and for J_u, for display.

    Examples
    --------
    >>> import numpy as np
    >>> sm = get_activation("softmax")
    >>> sm.jacobian(np.zeros(2))
    array([[ 0.25, -0.25],
           [-0.25,  0.25]])
    """

    name: str
    f: ArrayFn
    jacobian: ArrayFn
    complex_step: bool = False
    symmetric: bool = False
    latex: str = ""
    jacobian_latex: str = r"J_u"
    builtin: bool = field(default=False, repr=False)
    #: Optional (u, z, v) ↦ J_uᵀ v for columns, without forming J (built-ins only).
    vjp: Callable[[np.ndarray, np.ndarray, np.ndarray], np.ndarray] | None = field(
        default=None, repr=False
    )
    kinks: tuple[float, ...] = field(default=(), init=False, repr=False)

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not self.name.strip():
            raise TypeError(f"VectorActivation name must be a non-empty string, got {self.name!r}")
        for label, fn in (("f", self.f), ("jacobian", self.jacobian)):
            if not callable(fn):
                raise TypeError(
                    f"VectorActivation {self.name!r}: {label} must be callable (a function of a "
                    f"numpy vector u), got {type(fn).__name__}"
                )
        if not self.latex:
            object.__setattr__(self, "latex", rf"\operatorname{{{_latex_text(self.name)}}}(u)")

    def __repr__(self) -> str:
        kind = "" if self.builtin else ", custom"
        return f"VectorActivation({self.name!r}{kind})"

    def __call__(self, u: np.ndarray) -> np.ndarray:
        return self.f(u)


_SOFTMAX = VectorActivation(
    "softmax",
    _softmax,
    _softmax_jacobian,
    complex_step=True,
    symmetric=True,
    latex=r"\frac{e^{u_i}}{\sum_j e^{u_j}}",
    jacobian_latex=r"\operatorname{diag}(z) - z z^{\top}",
    builtin=True,
    vjp=_softmax_vjp,
)

_VECTOR_BUILTINS: dict[str, VectorActivation] = {_SOFTMAX.name: _SOFTMAX}
VECTOR_NAMES: tuple[str, ...] = tuple(_VECTOR_BUILTINS)
"""The built-in activations that act on a whole layer (not elementwise): ``("softmax",)``."""

AnyActivation = Activation | VectorActivation


def get_activation(spec: str | AnyActivation, *, argument: str = "activation") -> AnyActivation:
    """Return the activation for a built-in name, or an ``Activation``/``VectorActivation``.

    Raises
    ------
    ValueError
        For an unknown name; the message lists the known ones.
    TypeError
        For anything that is neither a string nor an activation.
    """
    if isinstance(spec, (Activation, VectorActivation)):
        return spec
    if isinstance(spec, str):
        key = spec.strip().lower()
        if key in _BUILTINS:
            return _BUILTINS[key]
        if key in _VECTOR_BUILTINS:
            return _VECTOR_BUILTINS[key]
        raise ValueError(
            f"{argument}: unknown activation {spec!r}; the built-in ones are "
            f"{', '.join(BUILTIN_NAMES + VECTOR_NAMES)} (or pass an Activation(name, f, df) "
            f"or a VectorActivation(name, f, jacobian))"
        )
    raise TypeError(
        f"{argument}: expected an activation name (one of "
        f"{', '.join(BUILTIN_NAMES + VECTOR_NAMES)}), an Activation or a VectorActivation, "
        f"got {type(spec).__name__}"
    )


def _unit_activation(spec: object, *, argument: str) -> Activation:
    """One unit's σᵢ in a per-unit list: elementwise only."""
    a = get_activation(spec, argument=argument)  # type: ignore[arg-type]
    if isinstance(a, VectorActivation):
        raise ValueError(
            f"{argument}: {a.name!r} acts on the whole layer (each zᵢ depends on every uⱼ), so "
            f"it cannot be one unit's activation in a per-unit list; give it for the layer "
            f"instead, e.g. activations=[..., {a.name!r}]"
        )
    return a


def build_layer(spec: object, n: int, *, argument: str) -> LayerActivation:
    """σ⁽ℓ⁾ for a layer of n units from a name, an activation, or a per-unit list of n.

    A :class:`VectorActivation` (softmax) gives a :class:`VectorLayer`; a per-unit list must
    hold elementwise activations only.
    """
    if isinstance(spec, LayerActivation):
        if spec.n != n:
            raise ValueError(f"{argument}: has {spec.n} units but the layer has {n}")
        return spec
    if isinstance(spec, (str, Activation, VectorActivation)):
        a = get_activation(spec, argument=argument)
        return VectorLayer(a, n) if isinstance(a, VectorActivation) else LayerActivation([a] * n)
    if isinstance(spec, (list, tuple)):
        if len(spec) != n:
            raise ValueError(
                f"{argument}: a per-unit list must have one entry per unit ({n}), got {len(spec)}"
            )
        return LayerActivation(
            [_unit_activation(s, argument=f"{argument}[{i}]") for i, s in enumerate(spec)]
        )
    raise TypeError(
        f"{argument}: expected a name, an Activation, a VectorActivation or a list of {n} "
        f"Activations, got {type(spec).__name__}"
    )
