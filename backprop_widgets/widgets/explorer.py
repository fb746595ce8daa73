"""BackpropExplorer: pick sizes and activations, step through (C1)/(C2)/(C3), compare heatmaps.

The explorer is an ipywidgets ``VBox`` holding

- the controls (:mod:`.explorer_controls`), which only assign the explorer's traits;
- a :class:`~backprop_widgets.widgets.diagram.NetworkDiagram` of the current network;
- the stepper: a bar drawn by ``js/explorer.js`` (Previous / Next, "step k of N", the title and
  the live check) over an ``HTMLMath`` with the step's formula and numbers, typeset by the
  host's MathJax;
- the heatmaps of ∂E/∂W⁽ℓ⁾ (analytic | finite difference | difference or relative error),
  drawn by ``js/explorer.js`` from binary buffers, with the selected entry's own derivation.

All state lives in traits (``sizes``, ``activations``, ``layer``, ``step``, ``selected``,
``seed``, ``heatmap_kind``, ``show_all_layers``), so a notebook cell can set up a scene and a
later cell can read what the student chose. Every recomputation bumps ``version``; the front
end ignores data older than what it has drawn.
"""

from __future__ import annotations

import numbers
from typing import Any

import ipywidgets as w
import numpy as np
import traitlets
from traitlets import Any as AnyTrait
from traitlets import Bool, Int, List, Unicode

from ..activations import Activation, get_activation
from ..network import MLP
from . import explorer_state as state
from . import heatmaps, stepper
from .explorer_controls import ExplorerControls
from .explorer_state import DEFAULT_ACTIVATION, ExplorerValueError
from .explorer_views import SLOW_ENTRIES, ExplorerViews, _Part

__all__ = ["DEFAULT_ACTIVATION", "BackpropExplorer"]


def _check_sample(net: MLP, x: Any, y: Any) -> dict[str, np.ndarray]:
    """Validated copies of whichever of x, y is given, as one sample of ``net``."""
    out: dict[str, np.ndarray] = {}
    if x is not None:
        out["x"] = net.check_x(x)
        if out["x"].ndim != 1:
            raise ValueError(
                f"x: the explorer follows one sample; expected shape ({net.sizes[0]},), "
                f"got {out['x'].shape}"
            )
    if y is not None:
        probe_x = out.get("x", np.zeros(net.sizes[0]))
        out["y"] = net.check_xy(probe_x, y)[1]
    return out


class BackpropExplorer(ExplorerViews, w.VBox):
    """The explorer widget: controls, diagram, stepper and gradient heatmaps, linked.

    Parameters
    ----------
    net : MLP, optional
        A network to start from (its sizes, activations and weights). Otherwise ``sizes``
        and ``activations`` describe one and ``seed`` draws its weights.
    sizes : list of int
        ``[n(0), …, n(L)]`` with 1 ≤ L ≤ 8 and 1 ≤ n(ℓ) ≤ 32. Default ``[4, 8, 8, 3]``.
    activations : name, Activation, or list
        One entry per layer (a per-unit list allowed). Default ``"tanh"`` for hidden layers
        and ``"identity"`` for the output.
    seed : int
        Draws W (as ``MLP(sizes, activations, seed=seed)`` does), x and y.
    x, y : arrays, optional
        One input and its target; drawn from ``seed`` when omitted.
    layer : int, optional
        ℓ, the layer whose gradient is derived; default L − 1 (or 1 when L = 1).

    Examples
    --------
    >>> ex = BackpropExplorer(sizes=[2, 3, 1], seed=0)
    >>> ex.sizes = [16, 32, 32, 32, 4]          # activations that fit are kept
    >>> ex.selected = (2, 0, 1)                 # ∂E/∂w⁽²⁾ at row 0, column 1 (0-based)
    """

    sizes = AnyTrait([4, 8, 8, 3]).tag(sync=True)
    activations = List(AnyTrait()).tag(sync=True, to_json=state.specs_to_json)
    layer = Int(1).tag(sync=True)
    step = Int(0).tag(sync=True)
    selected = AnyTrait(None, allow_none=True).tag(sync=True, to_json=state.selected_to_json)
    seed = Int(0).tag(sync=True)
    heatmap_kind = Unicode("difference").tag(sync=True)
    show_all_layers = Bool(False).tag(sync=True)
    version = Int(0).tag(sync=True)

    #: Past this many weights to difference, the numeric maps are first sent as "stale"
    #: and the check reports its progress while it runs.
    slow_entries: int = SLOW_ENTRIES

    def __init__(
        self,
        net: MLP | None = None,
        *,
        sizes: list[int] | None = None,
        activations: Any = None,
        seed: int = 0,
        x: Any = None,
        y: Any = None,
        layer: int | None = None,
        **kwargs: Any,
    ) -> None:
        self._ready = False
        self._draws = {"x": 0, "y": 0, "W": 0}
        self._custom: dict[str, Activation] = {}
        self._given_weights: tuple[tuple[int, ...], list[np.ndarray]] | None = None
        self._given_xy: dict[str, np.ndarray] = {}
        self._built: tuple | None = None
        self.report: Any = None
        self.steps: list[stepper.Step] = []
        if net is not None:
            if not isinstance(net, MLP):
                raise TypeError(f"net: expected a backprop_widgets.MLP, got {type(net).__name__}")
            if sizes is not None or activations is not None:
                raise TypeError("net: pass either net or sizes/activations, not both")
            sizes = list(net.sizes)
            activations = [a.units[0] if a.uniform else list(a.units) for a in net.activations]
            self._given_weights = (tuple(net.sizes), list(net.weights))
            seed = net.seed if net.seed is not None else seed
        if sizes is None:
            sizes = [4, 8, 8, 3]
        if activations is None:
            L = len(sizes) - 1 if isinstance(sizes, (list, tuple)) else 1
            activations = [DEFAULT_ACTIVATION] * max(L - 1, 0) + ["identity"]
        # Validate everything before the widget (and its comm) exists.
        seed = state.check_seed(seed)
        sizes_ok = state.check_sizes(sizes)
        acts_ok = self._check_activations(activations, sizes_ok)
        self._given_xy.update(_check_sample(MLP(sizes_ok, acts_ok), x, y))
        if layer is not None:
            state.check_layer(layer, len(sizes_ok) - 1)
        super().__init__(**kwargs)
        self.set_trait("seed", seed)
        self.set_trait("sizes", list(sizes_ok))
        self.set_trait("activations", acts_ok)
        L = len(sizes_ok) - 1
        self.set_trait("layer", max(1, L - 1) if layer is None else state.check_layer(layer, L))

        from .diagram import NetworkDiagram

        self._build_network()
        self.diagram = NetworkDiagram(self.net, x=self.x, y=self.y)
        self.diagram.observe(self._on_diagram_selected, names="selected")
        self._stepper_view = _Part(part="stepper")
        self._heat_view = _Part(part="heatmaps")
        self._stepper_view.observe(self._on_view_step, names="step")
        self._heat_view.observe(self._on_view_selected, names="selected")
        self._heat_view.observe(self._on_view_kind, names="kind")
        self.formula = w.HTMLMath()
        self.formula.add_class("bw-step-formula")
        self.controls = ExplorerControls(self)
        stepper_box = w.VBox([self._stepper_view, self.formula], layout={"flex": "1 1 380px"})
        stepper_box.add_class("bw-explorer-stepper")
        middle = w.HBox([self.diagram, stepper_box], layout={"flex_flow": "row wrap"})
        self.children = [self.controls.box, middle, self._heat_view]
        self.add_class("bw-explorer-root")
        self._ready = True
        self._recompute()

    # ------------------------------------------------------------------ public read-only state

    @property
    def net(self) -> MLP:
        """The current network (a fresh MLP after each change of sizes or activations)."""
        return self._net

    @property
    def x(self) -> np.ndarray:
        return self._x.copy()

    @property
    def y(self) -> np.ndarray:
        return self._y.copy()

    def custom_activation_names(self) -> list[str]:
        return list(self._custom)

    def resolve_activation(self, name: str | Activation) -> str | Activation:
        """A control's activation name: a custom one in use, or a built-in name."""
        if isinstance(name, Activation):
            return name
        if name in self._custom:
            return self._custom[name]
        get_activation(name, argument="activation")
        return str(name).strip().lower()

    # ------------------------------------------------------------------ actions

    def set_data(self, x: Any = None, y: Any = None) -> None:
        """Use this input ``x`` and/or target ``y`` (one sample each) and recompute.

        They are kept while the input and output widths stay the same. Nothing changes if
        either is refused (wrong shape, a batch, NaN, …).
        """
        given = _check_sample(
            self._net,
            self._x if x is None else x,
            self._y if y is None else y,
        )
        if x is not None:
            self._given_xy["x"] = given["x"]
        if y is not None:
            self._given_xy["y"] = given["y"]
        self._rebuild(force=True)

    def new_x(self) -> None:
        """Draw a new input x (and recompute)."""
        self._given_xy.pop("x", None)
        self._draws["x"] += 1
        self._rebuild(force=True)

    def new_y(self) -> None:
        """Draw a new target y (and recompute)."""
        self._given_xy.pop("y", None)
        self._draws["y"] += 1
        self._rebuild(force=True)

    def new_W(self) -> None:
        """Draw new weights (and recompute)."""
        self._given_weights = None
        self._draws["W"] += 1
        self._rebuild(force=True)

    def to_figure(self, layers: list[int] | None = None) -> Any:
        """The current heatmaps as a matplotlib Figure (for nbconvert / PDF export)."""
        from .. import plots

        if layers is None:
            layers = list(range(1, self.net.L + 1)) if self.show_all_layers else [self.layer]
        return plots.plot_gradcheck(self.report, layers=layers, kind=self.heatmap_kind)

    # ------------------------------------------------------------------ validation

    def _check_activations(self, spec: Any, sizes: tuple[int, ...]) -> list:
        return state.check_activations(spec, sizes, self._custom)

    @traitlets.validate("sizes")
    def _valid_sizes(self, proposal: dict) -> list[int]:
        sizes = state.check_sizes(proposal["value"])
        if self._ready:
            self._check_activations(state.fit_activations(self.activations, sizes), sizes)
        return list(sizes)

    @traitlets.validate("activations")
    def _valid_activations(self, proposal: dict) -> list:
        return self._check_activations(proposal["value"], tuple(self.sizes))

    @traitlets.validate("seed")
    def _valid_seed(self, proposal: dict) -> int:
        return state.check_seed(proposal["value"])

    @traitlets.validate("layer")
    def _valid_layer(self, proposal: dict) -> int:
        return state.check_layer(proposal["value"], len(self.sizes) - 1)

    @traitlets.validate("step")
    def _valid_step(self, proposal: dict) -> int:
        s = proposal["value"]
        n = max(1, len(self.steps))
        if isinstance(s, bool) or not isinstance(s, numbers.Integral) or not 0 <= s < n:
            raise ExplorerValueError(f"step: expected an integer in 0..{n - 1}, got {s!r}")
        return int(s)

    @traitlets.validate("heatmap_kind")
    def _valid_kind(self, proposal: dict) -> str:
        if proposal["value"] not in heatmaps.KINDS:
            raise ExplorerValueError(
                f"heatmap_kind: expected one of {', '.join(heatmaps.KINDS)}, "
                f"got {proposal['value']!r}"
            )
        return proposal["value"]

    @traitlets.validate("selected")
    def _valid_selected(self, proposal: dict) -> tuple[int, int, int] | None:
        return state.check_selected(proposal["value"], self.sizes)

    # ------------------------------------------------------------------ reacting

    @traitlets.observe("sizes")
    def _on_sizes(self, change: dict) -> None:
        if not self._ready:
            return
        fitted = state.fit_activations(self.activations, tuple(self.sizes))
        if fitted != list(self.activations):
            self.activations = fitted  # its observer rebuilds
        self._rebuild()

    @traitlets.observe("activations", "seed", "show_all_layers")
    def _on_structure(self, change: dict) -> None:
        if self._ready:
            if change["name"] == "seed":  # a new scene: W, x and y as drawn from the seed
                self._given_weights = None
                self._given_xy.clear()
                self._draws = dict.fromkeys(self._draws, 0)
            self._rebuild(force=change["name"] == "show_all_layers")

    @traitlets.observe("layer")
    def _on_layer(self, change: dict) -> None:
        if self._ready:
            self._recompute()

    @traitlets.observe("step")
    def _on_step(self, change: dict) -> None:
        if self._ready:
            self._stepper_view.step = self.step
            self._show_step()

    @traitlets.observe("heatmap_kind")
    def _on_kind(self, change: dict) -> None:
        if self._ready:
            self._heat_view.kind = self.heatmap_kind
            self.controls.refresh()

    @traitlets.observe("selected")
    def _on_selected(self, change: dict) -> None:
        if not self._ready:
            return
        sel = self.selected
        self.diagram.selected = sel
        if sel is not None and sel[0] != self.layer and not self.show_all_layers:
            self.layer = sel[0]  # recomputes, entry included
            return
        with self._heat_view.hold_sync():
            self._heat_view.selected = [] if sel is None else list(sel)
            self._heat_view.entry = self._entry_payload()

    # from the views (JS) and the diagram
    def _on_view_step(self, change: dict) -> None:
        self._from_view("step", change["new"])

    def _on_view_selected(self, change: dict) -> None:
        self._from_view("selected", tuple(change["new"]) if change["new"] else None)

    def _on_view_kind(self, change: dict) -> None:
        self._from_view("heatmap_kind", change["new"])

    def _on_diagram_selected(self, change: dict) -> None:
        v = change["new"]
        self._from_view("selected", tuple(v) if v else None)

    def _from_view(self, name: str, value: Any) -> None:
        try:
            setattr(self, name, value)
        except Exception as exc:  # a view sent something we refuse: show it, keep state
            self._show_message(str(exc))

    # ------------------------------------------------------------------ computing

    def _build_network(self) -> None:
        sizes, acts, seed = tuple(self.sizes), list(self.activations), int(self.seed)
        self._net, self._x, self._y = state.draw_scene(
            sizes, acts, seed, self._draws, self._given_weights, self._given_xy
        )
        self._built = (sizes, tuple(map(id, acts)), repr(acts), seed, tuple(self._draws.values()))

    def _rebuild(self, force: bool = False) -> None:
        acts = list(self.activations)
        key = (tuple(self.sizes), tuple(map(id, acts)), repr(acts), int(self.seed))
        key = (*key, tuple(self._draws.values()))
        if key == self._built and not force:
            return
        self._build_network()
        L = self._net.L
        if self.layer > L:
            self.set_trait("layer", L)
        sel = self.selected
        if sel is not None and (
            sel[0] > L or sel[1] >= self.sizes[sel[0]] or sel[2] >= self.sizes[sel[0] - 1]
        ):
            self.set_trait("selected", None)
            self.diagram.selected = None
        self._recompute()

    def _layers_shown(self) -> list[int]:
        return list(range(1, self._net.L + 1)) if self.show_all_layers else [int(self.layer)]

    # ------------------------------------------------------------------ messages

    def _show_message(self, text: str) -> None:
        self.controls.show_message(text)
        self._heat_view.message = text

    def _clear_message(self) -> None:
        self.controls.show_message("")
        self._heat_view.message = ""
