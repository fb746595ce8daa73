"""NetworkDiagram: the network drawn as columns of units joined by one edge per weight.

A thin view: Python computes the forward pass and the gradients with the core
(:meth:`MLP.forward`, :meth:`MLP.backward`) and sends the arrays as binary buffers; the
JavaScript module ``js/diagram.js`` only draws them.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from pathlib import Path
from typing import Any

import anywidget
import numpy as np
import traitlets

from .._colorscale import symmetric_limit
from ..network import MLP
from ._buffers import pack
from ._selection import SelectionTypeError, SelectionValueError, check_selected

__all__ = ["NetworkDiagram", "diagram_state"]

STATIC = Path(__file__).resolve().parent.parent / "static"
SHOW_CHOICES = ("weights", "gradients")


DiagramValueError = SelectionValueError  # a ValueError; a TraitError keeps the old value
DiagramTypeError = SelectionTypeError


def diagram_state(
    net: MLP, x: np.ndarray | None, y: np.ndarray | None, backprop: Any = None
) -> dict[str, Any]:
    """Everything the diagram draws, computed with the core: the traits of
    :class:`NetworkDiagram`, and the ``diagram`` part of the explorer's scene.

    ``scales`` holds the colour limits (``_colorscale.symmetric_limit``, the heatmaps' rule) of
    the weights, the gradients and the node values z, so the front end only maps to colours.
    ``backprop`` is ``net.backward(x, y)`` if the caller has it already.
    """
    z: list[dict[str, Any]] = []
    gradients: list[dict[str, Any]] = []
    loss = None
    samples = 0
    grads: list[np.ndarray] = []
    zs: list[np.ndarray] = []
    if x is not None:
        if y is not None:
            bw = net.backward(x, y) if backprop is None else backprop
            fw = bw.forward
            grads = list(bw.grads)
            gradients = [pack(g) for g in grads]
            loss = float(bw.E)
        else:
            fw = net.forward(x)
        samples = 1 if x.ndim == 1 else x.shape[1]
        zs = [zl if zl.ndim == 1 else zl.mean(axis=1) for zl in fw.zs]
        z = [pack(zl) for zl in zs]
    weights = list(net.weights)
    return {
        "sizes": list(net.sizes),
        "activations": [a.label for a in net.activations],
        "unit_activations": [[] if a.uniform else a.names for a in net.activations],
        "weights": [pack(W) for W in weights],
        "gradients": gradients,
        "z": z,
        "z_samples": samples,
        "loss": loss,
        "scales": {
            "weights": symmetric_limit(*weights),
            "gradients": symmetric_limit(*grads) if grads else 1.0,
            "z": symmetric_limit(*zs) if zs else 1.0,
        },
    }


class NetworkDiagram(anywidget.AnyWidget):
    """The network of an :class:`~backprop_widgets.MLP`, one column of units per layer.

    Each column is labelled with its width n(ℓ) and activation σ⁽ℓ⁾; each entry w_ij of
    W⁽ℓ⁾ is an edge from unit j of layer ℓ−1 to unit i of layer ℓ, coloured by its sign, its
    width proportional to its magnitude. With an input ``x`` the units are filled by their
    values z⁽ℓ⁾; with ``x`` and a target ``y``, ``show="gradients"`` draws ∂E/∂w_ij instead of
    the weights. Hovering shows a value; clicking an edge sets :attr:`selected`.

    Layers wider than :attr:`max_nodes` units show their first and last units and a
    "… (+k)" marker for the rest; only edges among drawn units are drawn.

    The diagram redraws when the network's weights or activations change
    (:meth:`MLP.set_W`, ``net.weights = ...``, ``net.activations = ...``), and when
    :attr:`net`, :attr:`x` or :attr:`y` are assigned.

    Parameters
    ----------
    net : MLP
        The network to draw.
    x : array, shape (n(0),) or (n(0), B), optional
        An input (or a batch of B inputs as columns) for the node fill; a batch is shown by
        the mean of z⁽ℓ⁾ over its samples.
    y : array, shape (n(L),) or (n(L), B), optional
        The target for ``x``; needed for ``show="gradients"`` and the loss E.
    show : {"weights", "gradients"}
        What the edges draw.

    Examples
    --------
    >>> from backprop_widgets import MLP, NetworkDiagram
    >>> net = MLP([2, 3, 1], ["tanh", "identity"], seed=0)
    >>> d = NetworkDiagram(net, x=[1.0, -1.0], y=[0.5], show="gradients")
    >>> d.selected = (2, 0, 1)   # highlights the edge of W(2)[0, 1]
    """

    _esm = STATIC / "diagram.js"
    _css = STATIC / "styles.css"

    sizes = traitlets.List(traitlets.Int(), help="[n(0), …, n(L)]").tag(sync=True)
    activations = traitlets.List(
        traitlets.Unicode(), help="σ⁽ℓ⁾'s name per layer ℓ = 1..L ('mixed' for per-unit layers)"
    ).tag(sync=True)
    unit_activations = traitlets.List(
        traitlets.List(traitlets.Unicode()),
        help="per layer ℓ = 1..L: the n(ℓ) unit names of a per-unit layer, [] otherwise",
    ).tag(sync=True)
    weights = traitlets.List(traitlets.Dict(), help="W⁽¹⁾..W⁽ᴸ⁾, packed").tag(sync=True)
    gradients = traitlets.List(
        traitlets.Dict(), help="∂E/∂W⁽¹⁾..∂E/∂W⁽ᴸ⁾, packed ([] without x and y)"
    ).tag(sync=True)
    z = traitlets.List(
        traitlets.Dict(), help="z⁽⁰⁾..z⁽ᴸ⁾ for the node fill, packed ([] without x)"
    ).tag(sync=True)
    z_samples = traitlets.Int(0, help="samples averaged in z (0 without x)").tag(sync=True)
    loss = traitlets.Float(None, allow_none=True, help="E at (x, y), or None").tag(sync=True)
    scales = traitlets.Dict(help="colour limits of weights, gradients and z").tag(sync=True)
    show = traitlets.Unicode("weights", help="'weights' or 'gradients'").tag(sync=True)
    selected = traitlets.Any(
        None,
        help="(ℓ, i, j): the selected entry W⁽ℓ⁾[i, j] (ℓ from 1, i and j from 0 as in numpy; "
        "on screen w⁽ℓ⁾ with i + 1, j + 1), or None",
    ).tag(sync=True)
    max_nodes = traitlets.Int(16, help="layers wider than this are collapsed").tag(sync=True)

    def __init__(
        self,
        net: MLP,
        *,
        x: object = None,
        y: object = None,
        show: str = "weights",
        **kwargs: Any,
    ) -> None:
        _check_net(net)
        xx, yy = _check_data(net, x, y)
        _check_show(show, xx, yy)
        self._net = net
        self._x = xx
        self._y = yy
        self._unsubscribe: Callable[[], None] | None = None
        super().__init__(**kwargs)
        self._refresh(show=show)
        self._subscribe(net)

    # ------------------------------------------------------------------ the inputs

    @property
    def net(self) -> MLP:
        """The network drawn. Assigning another one redraws; an (ℓ, i, j) selection that does
        not exist in the new network is cleared. The new network must fit ``x`` and ``y``."""
        return self._net

    @net.setter
    def net(self, value: MLP) -> None:
        _check_net(value)
        if self._x is not None:
            try:
                _check_data(value, self._x, self._y)
            except ValueError as exc:
                raise ValueError(
                    f"net: the new network does not fit the diagram's x / y ({exc}); use "
                    "diagram.set_data(x, y, net=new_net) to change them together"
                ) from None
        self.set_data(self._x, self._y, net=value)

    @property
    def x(self) -> np.ndarray | None:
        """The input (a copy), or None. Assigning redraws; use :meth:`set_data` to change
        ``x`` and ``y`` together (e.g. to another batch size)."""
        return None if self._x is None else self._x.copy()

    @x.setter
    def x(self, value: object) -> None:
        self.set_data(value, self._y if value is not None else None)

    @property
    def y(self) -> np.ndarray | None:
        """The target (a copy), or None. Needs :attr:`x`."""
        return None if self._y is None else self._y.copy()

    @y.setter
    def y(self, value: object) -> None:
        self.set_data(self._x, value)

    def set_data(self, x: object, y: object = None, *, net: MLP | None = None) -> None:
        """Set the input ``x`` and the target ``y`` together, and with ``net`` the network
        too: one redraw, and nothing changes if any of them is refused.

        Either of ``x``, ``y`` may be None, but ``y`` needs ``x``, and ``show="gradients"``
        needs both.
        """
        new_net = self._net if net is None else net
        _check_net(new_net)
        xx, yy = _check_data(new_net, x, y)
        _check_show(self.show, xx, yy)
        old = self._net, self._x, self._y
        self._net, self._x, self._y = new_net, xx, yy
        try:
            self._refresh()
        except Exception:
            self._net, self._x, self._y = old
            raise
        if new_net is not old[0]:
            self._subscribe(new_net)

    # ------------------------------------------------------------------ validation

    @traitlets.validate("show")
    def _validate_show(self, proposal: dict[str, Any]) -> str:
        value = proposal["value"]
        _check_show(value, self._x, self._y)
        return value

    @traitlets.validate("selected")
    def _validate_selected(self, proposal: dict[str, Any]) -> tuple[int, int, int] | None:
        return check_selected(proposal["value"], self._net.sizes)

    @traitlets.validate("max_nodes")
    def _validate_max_nodes(self, proposal: dict[str, Any]) -> int:
        value = proposal["value"]
        if value < 3:
            raise DiagramValueError(f"max_nodes: must be at least 3, got {value}")
        return value

    # ------------------------------------------------------------------ drawing data

    def _refresh(self, show: str | None = None) -> None:
        """Compute every array from the core, then update the traits in one message."""
        state = diagram_state(self._net, self._x, self._y)
        try:
            selected = check_selected(self.selected, self._net.sizes)
        except (TypeError, ValueError):
            selected = None
        with self.hold_sync():
            for name, value in state.items():
                setattr(self, name, value)
            self.selected = selected
            if show is not None:
                self.show = show

    def _subscribe(self, net: MLP) -> None:
        if self._unsubscribe is not None:
            self._unsubscribe()
        ref = weakref.ref(self)

        def on_change(_net: MLP) -> None:
            diagram = ref()
            if diagram is not None:
                diagram._refresh()

        self._unsubscribe = net.subscribe(on_change)

    def close(self) -> None:
        """Stop following the network and close the widget."""
        if getattr(self, "_unsubscribe", None) is not None:
            self._unsubscribe()
            self._unsubscribe = None
        super().close()


# --------------------------------------------------------------------------- checks


def _check_net(net: object) -> None:
    if not isinstance(net, MLP):
        raise TypeError(f"net: expected an MLP, got {type(net).__name__}")


def _check_data(net: MLP, x: object, y: object) -> tuple[np.ndarray | None, np.ndarray | None]:
    if x is None:
        if y is not None:
            raise ValueError("y: a target needs an input; pass x as well")
        return None, None
    if y is None:
        return net.check_x(x), None
    return net.check_xy(x, y)


def _check_show(show: object, x: np.ndarray | None, y: np.ndarray | None) -> None:
    if not isinstance(show, str) or show not in SHOW_CHOICES:
        raise DiagramValueError(f"show: expected 'weights' or 'gradients', got {show!r}")
    if show == "gradients" and (x is None or y is None):
        raise DiagramValueError(
            "show='gradients' needs an input x and a target y: pass NetworkDiagram(net, x=..., "
            "y=...) or call diagram.set_data(x, y) first"
        )
