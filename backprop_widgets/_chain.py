"""The chain D_{W⁽ℓ⁾}E of the derivation, forward and backward (the counts of what each order
costs are in :mod:`backprop_widgets._counts`).

Public names are re-exported by :mod:`backprop_widgets.frechet`; import them from there.
"""

from __future__ import annotations

import numbers
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from ._checks import layer_number
from ._texnum import num

if TYPE_CHECKING:
    from .frechet import LinearMap
    from .network import MLP, Backward

__all__ = ["Chain", "Entry", "Pieces", "chain", "one_sample", "pieces"]


class Pieces:
    """Every piece of one network at one sample: (C1), (C2) and (C3) for ℓ = 1..L (and, for a
    network with biases, the bias's sibling of (C3)).

    Made by :func:`pieces`. ``C1`` is a :class:`~backprop_widgets.frechet.LinearMap` (for the
    network's loss); ``C2(ℓ)`` (a full Jacobian for a softmax layer), ``C3(ℓ)``,
    ``C3_bias(ℓ)`` and ``link(ℓ)`` (h ↦ W⁽ℓ⁾ h, ℓ = 2..L) are read by layer number.
    ``backprop`` is the network's :class:`~backprop_widgets.network.Backward` at this sample,
    which holds every u⁽ℓ⁾, z⁽ℓ⁾ and Δ⁽ℓ⁾; ``x`` and ``y`` are the sample and its target.
    """

    def __init__(self, net: MLP, backprop: Backward) -> None:
        from . import frechet as fr
        from ._pieces_beyond import C1Loss
        from .losses import SquaredError

        fw = backprop.forward
        self.L = net.L
        self.sizes = net.sizes
        self.backprop = backprop
        self.loss = net.loss_function
        self.has_bias = net.has_bias
        self.x, self.y = fw.z(0), backprop.y
        if isinstance(self.loss, SquaredError):
            self.C1: LinearMap = fr.C1(fw.z(net.L), backprop.y, layer=net.L)
        else:  # y is already checked; z may have rounded to 0 far out, so no second check
            self.C1 = C1Loss(self.loss, fw.z(net.L), backprop.y, net.L)
        self._C2 = [fr.C2(net.sigma(k), fw.u(k), k) for k in range(1, net.L + 1)]
        self._C3 = [fr.C3(fw.z(k - 1), net.sizes[k], k, W=net.W(k)) for k in range(1, net.L + 1)]
        self._C3b = (
            [
                fr.C3_bias(net.sizes[k], k, b=net.b(k), Wz=fw.u(k) - net.b(k))
                for k in range(1, net.L + 1)
            ]
            if net.has_bias
            else None
        )
        self._links = [fr.weight_link(net.W(k), k, z=fw.z(k - 1)) for k in range(2, net.L + 1)]

    def C2(self, layer: int) -> LinearMap:
        """(C2) of layer ℓ: h ↦ J⁽ℓ⁾ h at u⁽ℓ⁾."""
        return self._C2[layer_number(layer, self.L) - 1]

    def C3(self, layer: int) -> LinearMap:
        """(C3) of layer ℓ: H ↦ H z⁽ℓ−1⁾."""
        return self._C3[layer_number(layer, self.L) - 1]

    def C3_bias(self, layer: int) -> LinearMap:
        """(C3)'s bias sibling of layer ℓ: k ↦ k (networks with biases only)."""
        k = layer_number(layer, self.L)
        if self._C3b is None:
            raise ValueError(
                "C3_bias: this network has no biases (u(ℓ) = W(ℓ) z(ℓ−1)); build it with "
                "MLP(..., bias=True)"
            )
        return self._C3b[k - 1]

    def link(self, layer: int) -> LinearMap:
        """The link h ↦ W⁽ℓ⁾ h for ℓ = 2..L."""
        k = layer_number(layer, self.L)
        if k < 2:
            raise ValueError("layer: the links h ↦ W(ℓ) h sit between layers, so ℓ is in 2..L")
        return self._links[k - 2]

    def chain(self, layer: int, wrt: str = "W") -> Chain:
        """The chain for D_{W⁽ℓ⁾}E (or, with ``wrt="b"``, D_{b⁽ℓ⁾}E), built from these pieces."""
        return Chain(self, layer_number(layer, self.L), wrt)

    def __repr__(self) -> str:
        return f"<Pieces of an MLP {list(self.sizes)} at one sample>"


@dataclass(frozen=True)
class Entry:
    """∂E/∂w⁽ℓ⁾ᵢⱼ two ways (0-based i, j; formulas show them 1-based, as the text does).

    ``value_forward`` pushes H = E_ij through the chain; ``value`` = Δ⁽ℓ⁾ᵢ z⁽ℓ−1⁾ⱼ reads it
    off the backward order. For a bias (``wrt == "b"``) it is ∂E/∂b⁽ℓ⁾ᵢ: k = eᵢ through the
    chain, and Δ⁽ℓ⁾ᵢ (``j`` is 0 and ``z_j`` is 1).
    """

    layer: int
    i: int
    j: int
    value_forward: float
    delta_i: float
    z_j: float
    wrt: str = "W"

    @property
    def value(self) -> float:
        return self.delta_i * self.z_j

    def latex(self) -> str:
        s, p, i, j = f"({self.layer})", f"({self.layer - 1})", self.i + 1, self.j + 1
        if self.wrt == "b":
            return (
                rf"\frac{{\partial E}}{{\partial b^{{{s}}}_{{{i}}}}}"
                rf" = D_{{b^{{{s}}}}}E(e_{{{i}}}) = \varDelta^{{{s}}}_{{{i}}}"
            )
        return (
            rf"\frac{{\partial E}}{{\partial w^{{{s}}}_{{{i},{j}}}}}"
            rf" = D_{{W^{{{s}}}}}E(E_{{{i},{j}}}) = \varDelta^{{{s}}}_{{{i}}}\, z^{{{p}}}_{{{j}}}"
        )

    def latex_numbers(self) -> str:
        if self.wrt == "b":
            return rf"{self.latex()} = {num(self.value)}"
        return rf"{self.latex()} = ({num(self.delta_i)})\,({num(self.z_j)}) = {num(self.value)}"


class Chain:
    """D_{W⁽ℓ⁾}E at one sample, as the text composes it and as backpropagation reads it.

    ``links`` are in the order H meets them: C3(ℓ), C2(ℓ), W(ℓ+1), C2(ℓ+1), …, W(L), C2(L),
    C1. :meth:`forward` pushes H through them; :meth:`backward` is the trace inner product
    ⟨Δ⁽ℓ⁾ z⁽ℓ−1⁾ᵀ, H⟩ with Δ⁽ℓ⁾ from the Δ recursion of
    :meth:`~backprop_widgets.network.MLP.backward`. The two agree to rounding.

    With ``wrt="b"`` (a network with biases) it is D_{b⁽ℓ⁾}E: the first link is the bias's
    sibling of (C3), k ↦ k, and the backward order is ⟨Δ⁽ℓ⁾, k⟩.
    """

    def __init__(self, parts: Pieces, layer: int, wrt: str = "W") -> None:
        if wrt not in ("W", "b"):
            raise ValueError(f"wrt: must be 'W' (the weights) or 'b' (the biases), got {wrt!r}")
        self.layer = layer
        self.L = parts.L
        self.wrt = wrt
        self.backprop = parts.backprop
        self.loss = parts.loss
        first = parts.C3(layer) if wrt == "W" else parts.C3_bias(layer)
        links = [first, parts.C2(layer)]
        for k in range(layer + 1, parts.L + 1):
            links += [parts.link(k), parts.C2(k)]
        links.append(parts.C1)
        self.links: list[LinearMap] = links
        self.in_shape = links[0].in_shape

    def forward(self, H: object) -> float:
        """D_{W⁽ℓ⁾}E(H) by pushing H through every link in turn (the text's composition).

        A complex H (as in a complex-step check) gives a complex number."""
        value = H
        for link in self.links:
            value = link.apply(value)
        return complex(value) if np.iscomplexobj(value) else float(value)

    def gradient(self) -> np.ndarray:
        """∂E/∂W⁽ℓ⁾ = Δ⁽ℓ⁾ z⁽ℓ−1⁾ᵀ: the adjoint of (C3) applied to Δ⁽ℓ⁾ (for ``wrt="b"``,
        ∂E/∂b⁽ℓ⁾ = Δ⁽ℓ⁾, the adjoint of k ↦ k applied to it)."""
        return self.links[0].adjoint_apply(self.backprop.delta(self.layer))

    def backward(self, H: object) -> float:
        """D_{W⁽ℓ⁾}E(H) = ⟨Δ⁽ℓ⁾ z⁽ℓ−1⁾ᵀ, H⟩ = trace((Δ⁽ℓ⁾ z⁽ℓ−1⁾ᵀ)ᵀ H) (or ⟨Δ⁽ℓ⁾, k⟩)."""
        HH = self.links[0]._check(H, self.in_shape, "H" if self.wrt == "W" else "k")
        value = np.sum(self.gradient() * HH)
        return complex(value) if np.iscomplexobj(value) else float(value)

    def entry(self, i: int, j: int | None = None) -> Entry:
        """∂E/∂w⁽ℓ⁾ᵢⱼ with 0-based (i, j), by H = E_ij through the chain and by Δᵢ zⱼ.

        For ``wrt="b"``: ∂E/∂b⁽ℓ⁾ᵢ (leave ``j`` out), by k = eᵢ through the chain and by Δᵢ.
        """
        if self.wrt == "b":
            return self._bias_entry(i, j)
        if j is None:
            raise TypeError("j: the column of w_ij is needed (0-based), e.g. entry(i, j)")
        n, m = self.in_shape
        for name, k, size in (("i", i, n), ("j", j, m)):
            if isinstance(k, bool) or not isinstance(k, numbers.Integral):
                raise TypeError(f"{name}: expected an integer index (0-based), got {k!r}")
            if not 0 <= k < size:
                raise ValueError(f"{name}: must be in 0..{size - 1} (0-based), got {k}")
        E_ij = np.zeros(self.in_shape)
        E_ij[i, j] = 1.0
        delta = self.backprop.delta(self.layer)
        z = self.backprop.forward.z(self.layer - 1)
        return Entry(self.layer, int(i), int(j), self.forward(E_ij), float(delta[i]), float(z[j]))

    def _bias_entry(self, i: int, j: int | None) -> Entry:
        (n,) = self.in_shape
        if j not in (None, 0):
            raise ValueError(f"j: a bias b(ℓ) has one column; leave j out (got {j!r})")
        if isinstance(i, bool) or not isinstance(i, numbers.Integral):
            raise TypeError(f"i: expected an integer index (0-based), got {i!r}")
        if not 0 <= i < n:
            raise ValueError(f"i: must be in 0..{n - 1} (0-based), got {i}")
        e_i = np.zeros(n)
        e_i[i] = 1.0
        delta = self.backprop.delta(self.layer)
        return Entry(self.layer, int(i), 0, self.forward(e_i), float(delta[i]), 1.0, "b")

    def latex(self) -> str:
        """The composition for this layer, then the inner product and the trace form."""
        L, l = self.L, self.layer
        J = [rf"J^{{({k})}}_{{u^{{({k})}}}}" for k in range(l, L + 1)]
        g = self.loss.gradient_latex.replace("z", f"z^{{({L})}}")
        maps = [rf"\left\langle {g},\, \cdot\, \right\rangle", J[-1]]
        product = [J[-1]]
        for k in range(L, l, -1):
            maps += [f"W^{{({k})}}", J[k - 1 - l]]
            product += [f"W^{{({k})}}", J[k - 1 - l]]
        if self.wrt == "b":
            var, wrt, first = "k", f"b^{{({l})}}", r"k \mapsto k"
            moved, gradient = "k", rf"\varDelta^{{({l})}}"
        else:
            var, wrt, first = "H", f"W^{{({l})}}", rf"H \mapsto H z^{{({l - 1})}}"
            moved = f"H z^{{({l - 1})}}"
            gradient = rf"\varDelta^{{({l})}} z^{{({l - 1})\top}}"
        maps.append(rf"\bigl({first}\bigr)")
        return (
            rf"\begin{{aligned}} D_{{{wrt}}}E({var}) &= \Bigl("
            + r" \circ ".join(maps)
            + rf"\Bigr)({var}) \\ "
            + rf"&= \left\langle {g},\, {' '.join(product)}\, {moved}"
            + r" \right\rangle \\ "
            + rf"&= \left\langle {gradient},\, {var} \right\rangle"
            + r" \end{aligned}"
        )

    def __repr__(self) -> str:
        names = " → ".join(f"{m.label}({m.layer})" for m in self.links)
        return f"<Chain for D_{self.wrt}({self.layer})E: {names}>"


def one_sample(net: MLP, x: object, y: object) -> Backward:
    """``net.backward(x, y)`` at one sample (a batch is refused: the pieces are per sample)."""
    xx, yy = net.check_xy(x, y)
    if xx.ndim != 1:
        raise ValueError(
            f"x: the Fréchet pieces are shown per sample; pass one input of shape "
            f"({net.sizes[0]},), not a batch of shape {xx.shape} (for a batch's gradients use "
            f"net.backward(x, y); C3 alone also takes a matrix Z)"
        )
    return net.backward(xx, yy)


def pieces(net: MLP, x: object, y: object) -> Pieces:
    """The pieces (C1), (C2)(ℓ), (C3)(ℓ) of ``net`` at one sample ``x`` with target ``y``."""
    return Pieces(net, one_sample(net, x, y))


def chain(net: MLP, x: object, y: object, layer: int, *, wrt: str = "W") -> Chain:
    """The chain for D_{W⁽ℓ⁾}E (or D_{b⁽ℓ⁾}E with ``wrt="b"``) at one sample, forward and
    backward (see :class:`Chain`).

    Examples
    --------
    >>> from backprop_widgets import MLP
    >>> net = MLP([2, 2, 1], ["relu", "identity"], weights=[[[0.5, 1], [2, -0.5]], [[1, -2]]])
    >>> c = chain(net, [1.0, 2.0], [-0.5], layer=1)
    >>> [f"{m.label}({m.layer})" for m in c.links]
    ['C3(1)', 'C2(1)', 'W(2)', 'C2(2)', 'C1(2)']
    >>> c.gradient()
    array([[ 1.,  2.],
           [-2., -4.]])
    >>> c.forward([[0, 0], [1, 0]]), c.backward([[0, 0], [1, 0]])
    (-2.0, -2.0)
    """
    layer_number(layer, net.L)
    if wrt not in ("W", "b"):
        raise ValueError(f"wrt: must be 'W' (the weights) or 'b' (the biases), got {wrt!r}")
    return pieces(net, x, y).chain(layer, wrt)
