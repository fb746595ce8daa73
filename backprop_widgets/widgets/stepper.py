"""The explorer's step-through: forward pass → (C1) → (C2) → (C3) → the chains → Δ → ∂E/∂W⁽ℓ⁾.

With a bias, (C3b) follows (C3) and ∂E/∂b⁽ℓ⁾ = Δ⁽ℓ⁾ follows ∂E/∂W⁽ℓ⁾; the loss's own LaTeX
(:mod:`backprop_widgets.losses`) and (C1) piece replace squared error's when another loss is
chosen, and a softmax output's (C2) is its full Jacobian, with the piece's note on J = Jᵀ.

Each :class:`Step` carries a title, the formula (LaTeX), the same formula with the current
numbers when every array in it is small (otherwise a note pointing at the heatmap) and a live
check of that piece. Everything is assembled from :mod:`backprop_widgets.frechet` (the pieces,
the chain, their LaTeX) and :mod:`backprop_widgets.gradcheck` (the checks); this module does no
mathematics of its own.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .. import frechet
from .._chain import one_sample
from .._pieces_beyond import C2Full
from .._texnum import num, pmatrix, remembering
from ..gradcheck import check_piece, directional_check
from ..losses import get_loss
from ..network import MLP

__all__ = ["MAX_SHOWN", "Step", "StepMaker", "entry_payload"]

#: Arrays with a dimension larger than this are not written out; the heatmap shows them.
MAX_SHOWN = 8


@dataclass
class Step:
    """One step of the stepper."""

    key: str
    title: str
    formula: str
    numbers: str | None
    too_big: str | None
    check: dict[str, Any] = field(default_factory=dict)
    note: str = ""

    def payload(self) -> dict[str, Any]:
        """What the front end draws for this step: the title and the check as plain text, the
        formula and the formula with numbers as LaTeX (typeset by KaTeX in the browser, which
        never turns LaTeX into live HTML), and the note shown when the numbers are too big."""
        return {
            "key": self.key,
            "title": self.title,
            "check": self.check,
            "formula": self.formula,
            "numbers": self.numbers,
            "too_big": self.too_big,
            "note": self.note,
        }


def _small(*arrays: np.ndarray) -> bool:
    return all(max(np.shape(a), default=1) <= MAX_SHOWN for a in arrays)


def _too_big(what: str) -> str:
    return (
        f"Too big to write out here (more than {MAX_SHOWN} rows or columns): {what}. "
        "See the heatmaps below."
    )


def _directional(check: Any, what: str) -> dict[str, Any]:
    """A DirectionalCheck as the step bar shows it."""
    analytic = float(np.max(np.abs(np.atleast_1d(check.analytic))))
    mark = "✓" if check.ok else "✗"
    return {
        "kind": "directional",
        "what": what,
        "ok": bool(check.ok),
        "abs_error": float(check.abs_error),
        "rel_error": float(check.rel_error),
        "t": float(check.t),
        "text": (
            f"{mark} {what} along a random direction: |analytic − central difference| = "
            f"{check.abs_error:.2e} (relative {check.rel_error:.1e}, step t = {check.t:.1e}, "
            f"largest |analytic| {analytic:.3g})"
        ),
    }


def _loss_of_layer(net: MLP, x: np.ndarray, y: np.ndarray, layer: int) -> Any:
    """W ↦ E with every other weight matrix held fixed (the map the chain differentiates)."""
    weights = net.weights
    xx, yy = net.check_xy(x, y)

    def E(W: np.ndarray) -> float:
        ws = list(weights)
        ws[layer - 1] = W
        return net._loss_at(xx, yy, ws)

    return E


def _chain_check(net: MLP, x: np.ndarray, y: np.ndarray, ch: Any, how: str) -> dict[str, Any]:
    layer = ch.layer
    H = np.random.default_rng(layer).standard_normal(ch.in_shape)
    value = ch.forward(H) if how == "forward" else ch.backward(H)
    check = directional_check(_loss_of_layer(net, x, y, layer), value, net.W(layer), H)
    what = f"D_W({layer})E(H), {'composed link by link' if how == 'forward' else 'as ⟨Δ zᵀ, H⟩'}"
    return _directional(check, what)


def _forward_step(net: MLP, x: np.ndarray, y: np.ndarray, bp: Any) -> Step:
    L = net.L
    b = r" + b^{(\ell)}" if net.has_bias else ""
    E = get_loss(net.loss_name).latex.replace("z", f"z^{{({L})}}")  # the loss's own formula
    formula = (
        rf"u^{{(\ell)}} = W^{{(\ell)}} z^{{(\ell-1)}}{b},\quad z^{{(\ell)}} = "
        rf"\sigma^{{(\ell)}}(u^{{(\ell)}}),\quad \ell = 1, \ldots, {L},\qquad {E}"
    )
    zs = bp.forward.zs
    if _small(*zs, y):
        shown = ",\\ ".join(f"z^{{({k})}} = {pmatrix(z)}" for k, z in enumerate(zs))
        numbers = rf"{shown},\ y = {pmatrix(y)},\ E = {num(bp.E)}"
        too_big = None
    else:
        numbers = rf"E = {num(bp.E)}"
        too_big = _too_big("the vectors z(ℓ)")
    # The whole map (W(1), …, W(L)) ↦ E along one random direction.
    xx, yy = net.check_xy(x, y)
    rng = np.random.default_rng(0)
    Hs = [rng.standard_normal(W.shape) for W in net.weights]
    flat = np.concatenate([W.ravel() for W in net.weights])
    cuts = np.cumsum([W.size for W in net.weights])[:-1]

    def E(p: np.ndarray) -> float:
        parts = np.split(p, cuts)
        ws = [q.reshape(W.shape) for q, W in zip(parts, net.weights, strict=True)]
        return net._loss_at(xx, yy, ws)

    analytic = float(sum(np.sum(g * H) for g, H in zip(bp.grads, Hs, strict=True)))
    check = directional_check(E, analytic, flat, np.concatenate([H.ravel() for H in Hs]))
    return Step(
        "forward",
        "Forward pass: u(ℓ), z(ℓ) and the loss E",
        formula,
        numbers,
        too_big,
        _directional(check, "E as a function of all the weights"),
    )


def _piece_step(key: str, title: str, piece: Any, what: str) -> Step:
    numbers = piece.latex_numbers(max_size=MAX_SHOWN)
    too_big = None if numbers is not None else _too_big("this piece")
    check = _directional(check_piece(piece), what)
    return Step(key, title, piece.latex(), numbers, too_big, check, _note(piece))


def _note(piece: Any) -> str:
    """A piece's own note where it says something beyond the derivation: (C1) of a loss
    other than squared error (the collapse to z − y), a full Jacobian's (C2) (J = Jᵀ)."""
    if isinstance(piece, C2Full) or piece.label == "C1":
        return str(getattr(piece, "note", ""))
    return ""


def _chain_step(net: MLP, x: np.ndarray, y: np.ndarray, ch: Any, bp: Any) -> Step:
    ell = ch.layer
    delta, z = bp.delta(ell), bp.forward.z(ell - 1)
    if _small(delta, z):
        # Δ and z only: their outer product is the gradient, written out in the last step.
        numbers = (
            rf"\varDelta^{{({ell})}} = {pmatrix(delta)},\quad z^{{({ell - 1})}} = {pmatrix(z)},"
            rf"\quad D_{{W^{{({ell})}}}}E(H) = \bigl\langle \varDelta^{{({ell})}} "
            rf"z^{{({ell - 1})}}{{}}^\top,\, H \bigr\rangle"
        )
        too_big = None
    else:
        numbers, too_big = None, _too_big(f"Δ({ell}) and z({ell - 1})")
    where = "W(L)" if ell == net.L else "W(L−1)"
    return Step(
        f"chain-{ell}",
        f"The chain for {where} = W({ell})",
        ch.latex(),
        numbers,
        too_big,
        _chain_check(net, x, y, ch, "forward"),
    )


def _delta_step(net: MLP, x: np.ndarray, y: np.ndarray, ch: Any, parts: Any) -> Step:
    bp = parts.backprop
    notes = [_note(parts.C1)]
    notes += [_note(parts.C2(k)) for k in range(ch.layer, net.L + 1)]
    note = " ".join(dict.fromkeys(n for n in notes if n))
    L, ell = net.L, ch.layer
    fwd = bp.forward
    # Jᵀ where J is not diagonal (a vector activation such as softmax); J = Jᵀ otherwise.
    tL = r"{}^\top" if not fwd.elementwise(L) else ""
    tk = r"{}^\top" if not all(fwd.elementwise(k) for k in range(ell, L)) else ""
    loss = get_loss(net.loss_name)
    if loss.output is None:
        dL = rf"J^{{({L})}}_{{u^{{({L})}}}}{tL} \bigl(z^{{({L})}} - y\bigr)"
    else:  # (C1)'s gradient through (C2) collapses to z − y (the C1 piece's note)
        g = loss.gradient_latex.replace("z", f"z^{{({L})}}")
        dL = rf"J^{{({L})}}_{{u^{{({L})}}}}{tL} \bigl({g}\bigr) = z^{{({L})}} - y"
    lines = [rf"\varDelta^{{({L})}} &= {dL}"]
    if ell < L:
        ks = f"{ell}" if ell == L - 1 else rf"{L - 1}, \ldots, {ell}"
        lines.append(
            rf"\varDelta^{{(k)}} &= J^{{(k)}}_{{u^{{(k)}}}}{tk} W^{{(k+1)}}{{}}^\top "
            rf"\varDelta^{{(k+1)}},\quad k = {ks}"
        )
    formula = r"\begin{aligned}" + r" \\ ".join(lines) + r"\end{aligned}"
    deltas = [bp.delta(k) for k in range(L, ell - 1, -1)]
    if _small(*deltas):
        numbers = r",\ ".join(
            rf"\varDelta^{{({k})}} = {pmatrix(bp.delta(k))}" for k in range(L, ell - 1, -1)
        )
        too_big = None
    else:
        numbers, too_big = None, _too_big("the vectors Δ(k)")
    return Step(
        "delta",
        f"The Δ recursion from layer {L} down to layer {ell}",
        formula,
        numbers,
        too_big,
        _chain_check(net, x, y, ch, "backward"),
        note,
    )


def _gradient_step(ell: int, bp: Any, report: Any, param: str = "W") -> Step:
    """∂E/∂W⁽ℓ⁾ = Δ⁽ℓ⁾ z⁽ℓ−1⁾ᵀ, or (``param="b"``) ∂E/∂b⁽ℓ⁾ = Δ⁽ℓ⁾: the adjoint of (C3b),
    v ↦ v, applied to Δ⁽ℓ⁾; with the check of every entry."""
    if param == "W":
        formula = (
            rf"\frac{{\partial E}}{{\partial w^{{({ell})}}_{{i,j}}}} = "
            rf"\bigl[\varDelta^{{({ell})}} z^{{({ell - 1})}}{{}}^\top\bigr]_{{i,j}}"
            rf" = \varDelta^{{({ell})}}_i\, z^{{({ell - 1})}}_j"
        )
        g, lc, key, P = bp.grad(ell), report.layer(ell), "gradient", "W"
    else:
        formula = (
            rf"\frac{{\partial E}}{{\partial b^{{({ell})}}_{{i}}}} = "
            rf"D_{{b^{{({ell})}}}}E(e_i) = \varDelta^{{({ell})}}_i"
        )
        g, lc, key, P = bp.grad_b(ell), report.bias_layer(ell), "gradient-b", "b"
    what = f"∂E/∂{P}({ell})"
    if _small(g):
        numbers = rf"\frac{{\partial E}}{{\partial {P}^{{({ell})}}}} = {pmatrix(g)}"
        too_big = None
    else:
        numbers, too_big = None, _too_big(what)
    check = _entries_check(what, g.size, lc)
    return Step(key, f"The gradient {what}", formula, numbers, too_big, check)


def _entries_check(what: str, size: int, lc: Any) -> dict[str, Any]:
    """A LayerCheck (every entry against central differences) as the step bar shows it."""
    mark = "✓" if lc.ok else "✗"
    kinks = f", {lc.n_kinks} at a kink (flagged, not counted)" if lc.n_kinks else ""
    return {
        "kind": "entries",
        "what": f"every entry of {what}",
        "ok": bool(lc.ok),
        "abs_error": float(lc.max_abs_error),
        "rel_error": float(lc.max_rel_error),
        "text": (
            f"{mark} all {size} entries against central differences: largest "
            f"|difference| {lc.max_abs_error:.2e}, largest relative error "
            f"{lc.max_rel_error:.1e}{kinks}"
        ),
    }


class StepMaker:
    """The steps of one scene, each made when it is first asked for.

    The explorer sends the step on screen at once and the others just after (:meth:`all`).
    ``report`` is a :func:`~backprop_widgets.gradcheck.gradcheck` report that
    includes layer ℓ. ``backprop`` is ``net.backward(x, y)`` if already computed; the
    Fréchet pieces are built when a step first needs them (the forward pass needs only it).
    """

    def __init__(
        self,
        net: MLP,
        x: np.ndarray,
        y: np.ndarray,
        layer: int,
        report: Any,
        backprop: Any = None,
    ) -> None:
        bp = one_sample(net, x, y) if backprop is None else backprop
        L = net.L
        made: list[frechet.Pieces] = []

        def parts() -> frechet.Pieces:
            if not made:
                made.append(frechet.Pieces(net, bp))
            return made[0]

        makers: list[Callable[[], Step]] = [
            lambda: _forward_step(net, x, y, bp),
            lambda: _piece_step("C1", f"(C1) The derivative of E at z({L})", parts().C1, "(C1)"),
            lambda: _piece_step(
                "C2", f"(C2) The derivative of σ({L}) at u({L})", parts().C2(L), "(C2)"
            ),
            lambda: _piece_step(
                "C3", f"(C3) The derivative of W ↦ W z({L - 1})", parts().C3(L), "(C3)"
            ),
        ]
        if net.has_bias:
            title = f"(C3b) The derivative of b ↦ W z({L - 1}) + b"
            makers.append(lambda: _piece_step("C3b", title, parts().C3_bias(L), "(C3b)"))
        makers.append(lambda: _chain_step(net, x, y, parts().chain(L), bp))
        if L >= 2:
            makers.append(lambda: _chain_step(net, x, y, parts().chain(L - 1), bp))
        makers.append(lambda: _delta_step(net, x, y, parts().chain(layer), parts()))
        makers.append(lambda: _gradient_step(layer, bp, report))
        if net.has_bias:
            makers.append(lambda: _gradient_step(layer, bp, report, "b"))
        self._makers = makers
        self._made: dict[int, Step] = {}
        self._memo: dict = {}  # z and Δ appear in several steps: each written once

    def __len__(self) -> int:
        return len(self._makers)

    def step(self, k: int) -> Step:
        """Step ``k`` (0-based), made once."""
        if k not in self._made:
            with remembering(self._memo):
                self._made[k] = self._makers[k]()
        return self._made[k]

    def all(self) -> list[Step]:
        return [self.step(k) for k in range(len(self))]


def entry_payload(
    net: MLP,
    x: np.ndarray,
    y: np.ndarray,
    layer: int,
    i: int,
    j: int | None,
    report: Any,
    *,
    wrt: str = "W",
) -> dict[str, Any]:
    """The selected entry's own derivation, H = E_ij: Δᵢ zⱼ, the chain, and the difference.

    (i, j) are 0-based; ``report`` must include layer ℓ. With ``wrt="b"`` it is the bias
    entry b⁽ℓ⁾ᵢ (``j`` None): k = eᵢ through the chain and ∂E/∂b⁽ℓ⁾ᵢ = Δ⁽ℓ⁾ᵢ; the payload
    has ``param`` "b", ``j`` None and the entry's own LaTeX (``tex``, from the chain's Entry).
    """
    e = frechet.chain(net, x, y, layer, wrt=wrt).entry(i, j)
    lc = report.layer(layer) if wrt == "W" else report.bias_layer(layer)
    at = (i, 0 if j is None else j)
    return {
        "param": wrt,
        "layer": int(layer),
        "i": int(i),
        "j": None if wrt == "b" else int(at[1]),
        "tex": e.latex(),
        "delta_i": float(e.delta_i),
        "z_j": float(e.z_j),
        "value": float(e.value),
        "value_forward": float(e.value_forward),
        "analytic": float(lc.analytic[at]),
        "numeric": float(lc.numeric[at]),
        "abs_error": float(lc.abs_error[at]),
        "rel_error": float(lc.rel_error[at]),
        "kink": bool(lc.kink[at]),
        "ok": bool(lc.kink[at] or lc.rel_error[at] <= lc.rtol),
    }
