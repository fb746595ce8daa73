"""BackpropExplorer: pick sizes and activations, step through (C1)/(C2)/(C3), compare heatmaps.

One anywidget model, drawn entirely by its own front end (``js/explorer.js`` with the helpers
of ``js/lib/``): the controls, the network diagram, the stepper with its formulas typeset by a
bundled KaTeX, the heatmaps of ∂E/∂W⁽ℓ⁾ (analytic | finite difference | difference or relative
error) and the selected entry's own derivation.

Why one model drawing every part, and not anywidget 0.11's composition of several widgets:

- one comm and one ``version``: everything a change puts on screen arrives in one message and
  every part repaints together from the same state, so the diagram, a step's formula and the
  heatmaps never show two different networks (the steps not on screen come in a second
  message, :mod:`.explorer_views`);
- it renders wherever an anywidget renders — JupyterLab, Notebook 7, VS Code, Colab and
  marimo's ``mo.ui.anywidget`` — while ipywidgets containers (and so composition through them)
  are not drawn by marimo at all and have known bugs in Colab;
- the parts share one style sheet and one set of helpers, and a test can drive them all through
  one set of ``data-testid`` hooks.

:class:`~backprop_widgets.widgets.diagram.NetworkDiagram` stays a widget of its own; it draws
with the same ``js/lib/network.js`` from the same :func:`~.diagram.diagram_state` payload.

The front end only *asks*: a control sends a request naming itself (``data-name``,
``data-layer``) and what was typed (:mod:`.explorer_requests`). Python validates it with the
rules of :mod:`.explorer_state` and either applies it — the traits change, everything is
recomputed and pushed with one new ``version`` (:class:`.explorer_views.ExplorerViews`) — or
refuses it: the ``refusal`` trait names the control and says why, the front end shows that text
next to the control, keeps what was typed, and the old network stays. Nothing is clamped.

All state lives in traits (``sizes``, ``activations``, ``bias``, ``loss``, ``layer``,
``step``, ``selected``, ``seed``, ``heatmap_kind``, ``show_all_layers``, ``version``): a
notebook cell can set up a scene, the front end repaints, and a later cell can read what the
student chose.

Beyond the derivation's network (only when asked for; the default is the derivation's: no
bias, squared error): ``bias=True`` gives every layer a bias b⁽ℓ⁾ (zeros when drawn) and the
heatmaps show ∂E/∂b⁽ℓ⁾ as a one-column map beside W⁽ℓ⁾'s, on the same colour scale;
``loss="cross_entropy"`` (a softmax output) or ``"binary_cross_entropy"`` (a sigmoid output).
Choosing such a loss while the output layer has another activation sets the output layer to
the activation the loss needs and says so next to the loss control (``notice``); choosing an
output activation the current loss cannot use is refused. ``y`` is drawn to fit the loss (a
one-hot vector for cross-entropy, labels in {0, 1} for binary cross-entropy). The explorer
follows one sample, so a batch's ``reduction`` (sum or mean) makes no difference here and is
not a trait: a network given with ``reduction="mean"`` is derived as one sample.
"""

from __future__ import annotations

import numbers
from pathlib import Path
from typing import Any

import anywidget
import numpy as np
import traitlets
from traitlets import Any as AnyTrait
from traitlets import Bool, Dict, Float, Int, List, Unicode

from .._colorscale import KINDS
from ..activations import Activation, get_activation
from ..losses import get_loss
from ..network import MLP
from . import explorer_state as state
from .explorer_requests import handle, split_spec
from .explorer_scene import Scene, check_sample
from .explorer_state import DEFAULT_ACTIVATION, ExplorerValueError
from .explorer_views import SLOW_ENTRIES, ExplorerViews

__all__ = ["DEFAULT_ACTIVATION", "BackpropExplorer"]

STATIC = Path(__file__).resolve().parents[1] / "static"


class BackpropExplorer(anywidget.AnyWidget):
    """The explorer widget: controls, diagram, stepper and gradient heatmaps, in one view.

    Parameters
    ----------
    net : MLP, optional
        A network to start from (its sizes, activations, weights, biases and loss).
        Otherwise ``sizes`` and ``activations`` describe one and ``seed`` draws its weights.
    sizes : sequence of int
        ``[n(0), …, n(L)]`` with 1 ≤ L ≤ 8 and 1 ≤ n(ℓ) ≤ 64. Default ``[4, 8, 8, 3]``.
    activations : name, Activation, or list
        One entry per layer (a per-unit list allowed). Default ``"tanh"`` for hidden layers
        and ``"identity"`` for the output.
    bias : bool
        Give every layer a bias b⁽ℓ⁾ (default False: the derivation's network).
    loss : {"squared_error", "cross_entropy", "binary_cross_entropy"}
        The loss E (default squared error). Cross-entropy needs a softmax output layer and
        binary cross-entropy a sigmoid one: with ``activations`` not given, the output layer
        gets it.
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
    >>> ex.selected = (2, 0, 1)                 # w(2) row 1, column 2 (Python index [0, 1])
    >>> ex.bias = True
    >>> ex.selected = ("b", 2, 0)               # b(2) entry 1 (Python index [0])
    >>> ex.loss = "cross_entropy"               # the output layer becomes softmax (ex.notice)

    ``selected`` is ``(ℓ, i, j)`` for the weight w⁽ℓ⁾ᵢⱼ or ``("b", ℓ, i)`` for the bias
    b⁽ℓ⁾ᵢ, with ℓ from 1 and i, j from 0 (Python indices); on screen i + 1 and j + 1.
    """

    _esm = STATIC / "explorer.js"
    _css = STATIC / "styles.css"

    # the public state
    sizes = AnyTrait([4, 8, 8, 3]).tag(sync=True)
    activations = List(AnyTrait()).tag(sync=True, to_json=state.specs_to_json)
    bias = AnyTrait(False, help="every layer has a bias b(ℓ) (True or False)").tag(sync=True)
    loss = Unicode("squared_error", help="one of losses.LOSS_NAMES").tag(sync=True)
    layer = Int(1).tag(sync=True)
    step = Int(0).tag(sync=True)
    selected = AnyTrait(None, allow_none=True).tag(sync=True, to_json=state.selected_to_json)
    seed = Int(0).tag(sync=True)
    heatmap_kind = Unicode("difference").tag(sync=True)
    show_all_layers = Bool(False).tag(sync=True)
    version = Int(0).tag(sync=True)

    # what the front end draws (written by ExplorerViews; read-only for users)
    heatmaps = List().tag(sync=True)
    step_data = List(
        help="every step of the scene: title, check and LaTeX (for a moment after a change "
        "the page asked for, None for the steps not on screen: they come when it asks)"
    ).tag(sync=True)
    entry = Dict().tag(sync=True)
    diagram = Dict(help="diagram_state() of the current network and sample").tag(sync=True)
    control_state = Dict(help="activation menus and per-unit texts per layer").tag(sync=True)
    stale = Bool(False).tag(sync=True)
    progress = Float(1.0).tag(sync=True)
    status = Unicode("").tag(sync=True)
    refusal = Dict(help="{name, layer, text, value} of the last refused request").tag(sync=True)
    notice = Dict(help="{name, layer, text}: what a control also changed").tag(sync=True)

    #: Past this many weights to difference, the numeric maps are first sent as "stale"
    #: and the check reports its progress while it runs.
    slow_entries: int = SLOW_ENTRIES

    def __init__(
        self,
        net: MLP | None = None,
        *,
        sizes: Any = None,
        activations: Any = None,
        seed: int = 0,
        bias: bool | None = None,
        loss: str | None = None,
        x: Any = None,
        y: Any = None,
        layer: int | None = None,
        **kwargs: Any,
    ) -> None:
        self._ready = False
        self._scene = Scene()
        self._custom: dict[str, Activation] = {}
        self._views = ExplorerViews(self)
        if net is not None:
            sizes, activations, seed, bias, loss = self._scene.start_from(
                net, sizes, activations, seed, bias, loss
            )
        # Validate everything before the widget (and its comm) exists.
        sizes_ok = state.check_sizes([4, 8, 8, 3] if sizes is None else sizes)
        L = len(sizes_ok) - 1
        loss = state.check_loss("squared_error" if loss is None else loss)
        if activations is None:
            output = get_loss(loss).output or "identity"
            activations = [DEFAULT_ACTIVATION] * (L - 1) + [output]
        seed = state.check_seed(seed)
        bias = state.check_bias(False if bias is None else bias)
        acts_ok = state.check_activations(activations, sizes_ok, self._custom, loss)
        self._scene.given_xy.update(check_sample(MLP(sizes_ok, acts_ok, loss=loss), x, y))
        if layer is not None:
            state.check_layer(layer, L)
        super().__init__(**kwargs)
        self.set_trait("seed", seed)
        self.set_trait("sizes", list(sizes_ok))
        self.set_trait("loss", loss)
        self.set_trait("bias", bias)
        self.set_trait("activations", acts_ok)
        self.set_trait("layer", max(1, L - 1) if layer is None else state.check_layer(layer, L))
        self.on_msg(self._on_message)
        self._scene.build(self)
        self._ready = True
        self._views.push()

    # ------------------------------------------------------------------ public read-only state

    @property
    def net(self) -> MLP:
        """The current network (a fresh MLP after each change of sizes or activations)."""
        return self._scene.net

    @property
    def x(self) -> np.ndarray:
        return self._scene.x.copy()

    @property
    def y(self) -> np.ndarray:
        return self._scene.y.copy()

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
        self._scene.give(x, y)
        self._rebuild(force=True)

    def new_x(self) -> None:
        """Draw a new input x (and recompute)."""
        self._scene.redraw("x")
        self._rebuild(force=True)

    def new_y(self) -> None:
        """Draw a new target y (and recompute)."""
        self._scene.redraw("y")
        self._rebuild(force=True)

    def new_W(self) -> None:
        """Draw new weights (and recompute)."""
        self._scene.redraw("W")
        self._rebuild(force=True)

    def to_figure(self, layers: list[int] | None = None) -> Any:
        """The current heatmaps as a matplotlib Figure (for nbconvert / PDF export)."""
        from .. import plots

        if layers is None:
            layers = list(range(1, self.net.L + 1)) if self.show_all_layers else [self.layer]
        return plots.plot_gradcheck(self.report, layers=layers, kind=self.heatmap_kind)

    # ------------------------------------------------------------------ what the views computed

    @property
    def report(self) -> Any:
        """The gradient check of the layers shown (a ``gradcheck`` report)."""
        return self._views.report

    @property
    def steps(self) -> list:
        """The steps of the stepper for the current scene (``.title``, ``.check``, LaTeX)."""
        return self._views.all_steps()

    # ------------------------------------------------------------------ requests from the front end

    def _on_message(self, _widget: Any, content: Any, _buffers: Any) -> None:
        kind = content.get("type") if isinstance(content, dict) else None
        if kind == "bw-request":
            self.handle_request(content)
        elif kind == "bw-steps":  # the page has drawn a change: now the steps not on screen
            self._views.send_rest()

    def handle_request(self, content: dict[str, Any]) -> bool:
        """Apply a control's request ``{"name", "layer", "value"}``, or refuse it.

        Returns True when applied. A refusal sets :attr:`refusal` to the control's name and
        layer, the text to show next to it and the value that was typed; nothing else changes.
        This is what the front end's controls call (through a custom message); tests may call
        it directly.
        """
        self._views.page_asks = True  # the page asks for the steps not on screen once drawn
        try:
            return handle(self, content)
        finally:
            self._views.page_asks = False

    def send_held(self) -> None:
        """Send what an enclosing ``hold_sync`` has gathered so far, now, in one message.

        The views call it when what is on screen is ready (and for each progress report of a
        long check), so that a request's own traits travel with it and nothing waits for the
        rest of the request. Outside a ``hold_sync`` every trait has gone out already.
        """
        if self._holding_sync and self._states_to_send:
            self.send_state(self._states_to_send)
            self._states_to_send.clear()

    # ------------------------------------------------------------------ validation

    def _check_activations(self, spec: Any, sizes: tuple[int, ...]) -> list:
        return state.check_activations(spec, sizes, self._custom, self.loss)

    @traitlets.validate("sizes")
    def _valid_sizes(self, proposal: dict) -> list[int]:
        sizes = state.check_sizes(proposal["value"])
        if self._ready:
            self._check_activations(state.fit_activations(self.activations, sizes), sizes)
        return list(sizes)

    @traitlets.validate("activations")
    def _valid_activations(self, proposal: dict) -> list:
        return self._check_activations(proposal["value"], tuple(self.sizes))

    @traitlets.validate("loss")
    def _valid_loss(self, proposal: dict) -> str:
        return state.check_loss(proposal["value"])

    @traitlets.validate("bias")
    def _valid_bias(self, proposal: dict) -> bool:
        return state.check_bias(proposal["value"])

    @traitlets.validate("seed")
    def _valid_seed(self, proposal: dict) -> int:
        return state.check_seed(proposal["value"])

    @traitlets.validate("layer")
    def _valid_layer(self, proposal: dict) -> int:
        return state.check_layer(proposal["value"], len(self.sizes) - 1)

    @traitlets.validate("step")
    def _valid_step(self, proposal: dict) -> int:
        s = proposal["value"]
        n = max(1, len(self.step_data))  # the steps of the scene, made or still to come
        if isinstance(s, bool) or not isinstance(s, numbers.Integral) or not 0 <= s < n:
            raise ExplorerValueError(f"step: expected an integer in 0..{n - 1}, got {s!r}")
        return int(s)

    @traitlets.validate("heatmap_kind")
    def _valid_kind(self, proposal: dict) -> str:
        if proposal["value"] not in KINDS:
            raise ExplorerValueError(
                f"heatmap_kind: expected one of {', '.join(KINDS)}, got {proposal['value']!r}"
            )
        return proposal["value"]

    @traitlets.validate("selected")
    def _valid_selected(self, proposal: dict) -> tuple | None:
        return state.check_selected(proposal["value"], self.sizes, bool(self.bias))

    # ------------------------------------------------------------------ reacting

    @traitlets.observe("sizes")
    def _on_sizes(self, change: dict) -> None:
        if not self._ready:
            return
        fitted = state.fit_activations(self.activations, tuple(self.sizes))
        if fitted != list(self.activations):
            self.activations = fitted  # its observer rebuilds
        self._rebuild()

    @traitlets.observe("loss")
    def _on_loss(self, change: dict) -> None:
        """A loss whose output layer differs: the output layer gets what the loss needs."""
        if not self._ready:
            return
        need = get_loss(self.loss).output
        L = len(self.sizes) - 1
        if need is not None and split_spec(self.activations[-1]) != (need, {}):
            acts = [*self.activations[:-1], need]
            try:
                self.activations = acts  # validated with the new loss; its observer rebuilds
            except (traitlets.TraitError, ValueError, TypeError):
                self.set_trait("loss", change["old"])  # nothing half-updated
                raise
            self.notice = {
                "name": "loss",
                "layer": None,
                "text": f"{self.loss.replace('_', ' ')} needs a {need} output layer: "
                f"σ({L}) was set to {need}",
            }
        else:
            self._rebuild()

    @traitlets.observe("bias")
    def _on_bias(self, change: dict) -> None:
        if self._ready:
            self._rebuild()

    @traitlets.observe("activations", "seed", "show_all_layers")
    def _on_structure(self, change: dict) -> None:
        if self._ready:
            if change["name"] == "seed":  # a new scene: W, x and y as drawn from the seed
                self._scene.reseed()
            self._rebuild(force=change["name"] == "show_all_layers")

    @traitlets.observe("layer")
    def _on_layer(self, change: dict) -> None:
        if self._ready:
            self._views.push()

    @traitlets.observe("step", "heatmap_kind")
    def _on_shown(self, change: dict) -> None:
        if self._ready:
            self._views.bump()

    @traitlets.observe("selected")
    def _on_selected(self, change: dict) -> None:
        if not self._ready:
            return
        sel = self.selected
        ell = None if sel is None else sel[1] if sel[0] == "b" else sel[0]
        if ell is not None and ell != self.layer and not self.show_all_layers:
            self.layer = ell  # recomputes, entry included
            return
        self._views.push_entry()

    # ------------------------------------------------------------------ computing

    def _rebuild(self, force: bool = False) -> None:
        if self._scene.is_current(self) and not force:
            return
        self._scene.build(self)
        L = self._scene.net.L
        if self.layer > L:
            self.set_trait("layer", L)
        try:
            state.check_selected(self.selected, self.sizes, bool(self.bias))
        except ValueError:
            self.set_trait("selected", None)
        self._views.push()
