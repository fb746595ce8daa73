"""What the explorer's front end draws, recomputed from the core and pushed in one message.

:class:`ExplorerViews` is owned by a :class:`~backprop_widgets.widgets.explorer.BackpropExplorer`
(composition: it reads the explorer's network, sample and traits and writes only the explorer's
drawing traits). :meth:`ExplorerViews.push` computes the gradient check, the heatmap payloads,
the step on screen, the selected entry and the diagram, and assigns them all with one new
``version`` inside one ``hold_sync``: one comm message, so every part of the front end repaints
together. When a front-end control asked for the change, the traits it set (``activations``,
say) join that message: the request is handled inside a ``hold_sync`` and :meth:`push` sends
what it holds (``send_held``) once what is on screen is ready. The other steps of the stepper
(each with its LaTeX, so Previous / Next repaint without the kernel) come in a second message:
at once for a change made in Python, and, for a change the page asked for, when the page has
drawn it and asks (``{"type": "bw-steps"}``, :meth:`ExplorerViews.send_rest`), so that making
and sending them never competes with that repaint. Until then ``step_data`` holds ``None`` for
them and the front end's Previous / Next wait; :attr:`BackpropExplorer.steps` and a step set
from Python make them first.

When the finite differences will take a while (more than ``slow_entries`` weights), a first
message carries the new diagram and the analytic maps with the numeric ones marked stale, then
the check reports its progress, then the full push follows.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .._colorscale import KINDS
from ..activations import BUILTIN_NAMES, VECTOR_NAMES
from ..losses import LOSS_NAMES
from . import heatmaps, stepper
from .diagram import diagram_state
from .explorer_requests import format_overrides, split_spec
from .explorer_state import MAX_LAYERS, MAX_WIDTH

if TYPE_CHECKING:  # pragma: no cover
    from .explorer import BackpropExplorer

__all__ = ["SLOW_ENTRIES", "ExplorerViews"]

#: Past this many weights to difference, the numeric maps are first sent as "stale" and the
#: check reports its progress while it runs.
SLOW_ENTRIES = 1500


class ExplorerViews:
    """Recompute and push the explorer's drawn parts (see the module docstring)."""

    def __init__(self, explorer: BackpropExplorer) -> None:
        self.ex = explorer
        self.report: Any = None
        self.steps: list[stepper.Step] = []
        #: True while a request from the page is applied: the page asks for the steps not on
        #: screen once it has drawn the change (``{"type": "bw-steps"}``), so that making and
        #: sending them never competes with that repaint.
        self.page_asks = False
        self._rest: stepper.StepMaker | None = None

    def layers_shown(self) -> list[int]:
        ex = self.ex
        return list(range(1, ex.net.L + 1)) if ex.show_all_layers else [int(ex.layer)]

    def push(self) -> None:
        """Recompute everything the front end shows and send it with a new version."""
        from ..gradcheck import gradcheck

        ex = self.ex
        net, x, y = ex.net, ex.x, ex.y
        layers = self.layers_shown()
        heavy = sum(net.sizes[ell] * net.sizes[ell - 1] for ell in layers) > ex.slow_entries
        progress = None
        if heavy:
            grads = net.backward(x, y)
            with ex.hold_sync():
                ex.version += 1
                ex.heatmaps = [
                    heatmaps.stale_payload(
                        ell, grads.grad(ell), grads.grad_b(ell) if net.has_bias else None
                    )
                    for ell in layers
                ]
                ex.diagram = diagram_state(net, x, y)
                ex.control_state = self.control_state()
                ex.refusal = {}
                ex.entry = {}
                ex.stale = True
                ex.progress = 0.0
            ex.send_held()
            progress = self._progress_reporter()
        try:
            self.report = gradcheck(net, x, y, layers=layers, progress=progress)
            payload = heatmaps.report_payload(self.report, layers)
            bp = net.backward(x, y)  # one sample's u, z and Δ: for the steps and the diagram
            maker = stepper.StepMaker(net, x, y, int(ex.layer), self.report, backprop=bp)
            k = min(int(ex.step), len(maker) - 1)
            shown = maker.step(k)
            entry = self.entry_payload()
            diagram = diagram_state(net, x, y, backprop=bp)
        except Exception as exc:  # shown, never swallowed: the old pictures stay
            ex.status = f"{type(exc).__name__}: {exc}"
            return
        with ex.hold_sync():  # everything on screen, in one message
            ex.version += 1
            ex.step_data = [shown.payload() if i == k else None for i in range(len(maker))]
            if ex.step != k:
                ex.set_trait("step", k)  # validated against the new step_data's length
            ex.heatmaps = payload
            ex.entry = entry
            ex.diagram = diagram
            ex.control_state = self.control_state()
            ex.refusal = {}
            ex.stale = False
            ex.progress = 1.0
            ex.status = ""
        ex.send_held()  # with a request's own traits, when one is being applied
        # The steps not on screen: at once, or when the page that asked for the change has
        # drawn it and asks for them (send_rest); Previous / Next wait for them.
        self.steps, self._rest = [], maker
        if not self.page_asks:
            self.send_rest()

    def send_rest(self) -> None:
        """Make and send the steps not on screen, if they are still to come (else nothing)."""
        maker, self._rest = self._rest, None
        if maker is None:
            return
        ex = self.ex
        try:
            self.steps = maker.all()
        except Exception as exc:  # shown; the step on screen stays, the others stay missing
            self.steps = []
            ex.status = f"{type(exc).__name__}: {exc}"
            return
        ex.step_data = [s.payload() for s in self.steps]

    def all_steps(self) -> list[stepper.Step]:
        """Every step of the scene, made now if the page has not asked for them yet."""
        self.send_rest()
        return self.steps

    def push_entry(self) -> None:
        """The selection changed within the layers shown: only the entry and a new version."""
        ex = self.ex
        with ex.hold_sync():
            ex.version += 1
            ex.entry = self.entry_payload()

    def bump(self) -> None:
        """A change the front end draws from the traits alone (step, kind): a new version.

        A step still to come (set from Python before the page asked for the rest) is made
        first: the page draws it from ``step_data``."""
        ex = self.ex
        if self._rest is not None and ex.step_data[ex.step] is None:
            self.send_rest()
        ex.version += 1

    def entry_payload(self) -> dict[str, Any]:
        ex = self.ex
        if ex.selected is None or self.report is None:
            return {}
        sel = ex.selected
        if sel[0] == "b":  # ("b", ℓ, i): the bias entry b(ℓ)ᵢ
            _, ell, i = sel
            if ell not in self.layers_shown():
                return {}
            return stepper.entry_payload(ex.net, ex.x, ex.y, ell, i, None, self.report, wrt="b")
        ell, i, j = sel
        if ell not in self.layers_shown():
            return {}
        return stepper.entry_payload(ex.net, ex.x, ex.y, ell, i, j, self.report)

    def control_state(self) -> dict[str, Any]:
        """The activation menu and per-unit text of each layer, as the controls show them, and
        the loss menu: softmax is offered to the output layer only (``output_options``)."""
        ex = self.ex
        names = list(BUILTIN_NAMES) + sorted(ex._custom)
        output = [*names, *VECTOR_NAMES]  # softmax: the output layer's menu only
        bases, units = [], []
        L = len(ex.activations)
        for ell, spec in enumerate(ex.activations, start=1):
            base, overrides = split_spec(spec)
            bases.append(base)
            units.append(format_overrides(overrides))
            if base not in names and ell < L:
                names.append(base)
            if base not in output:
                output.append(base)
        return {
            "activation": bases,
            "units": units,
            "options": names,
            "output_options": output,
            "losses": list(LOSS_NAMES),
            "loss": ex.loss,
            "bias": bool(ex.bias),
            "kinds": list(KINDS),
            "max_layers": MAX_LAYERS,
            "max_width": MAX_WIDTH,
        }

    def _progress_reporter(self) -> Any:
        last = [0.0]

        def report(fraction: float) -> None:
            if fraction - last[0] >= 0.05 or fraction >= 1.0:
                last[0] = fraction
                self.ex.progress = float(min(1.0, fraction))
                self.ex.send_held()

        return report
