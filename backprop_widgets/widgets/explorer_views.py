"""How BackpropExplorer feeds its drawn parts: the two anywidget parts and the pushes to them.

:class:`_Part` is the one anywidget class behind ``js/explorer.js``; the explorer shows two
instances, ``part="stepper"`` (the step bar) and ``part="heatmaps"`` (the maps and the selected
entry). :class:`ExplorerViews` is the explorer's half that recomputes what they show, from the
core, and sends it: the heatmaps first, each push stamped with a new version, and — when the
finite differences will take a while — the numeric maps marked stale first, with progress.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import anywidget
import numpy as np
from traitlets import Bool, Dict, Float, Int, List, Unicode

from . import heatmaps, stepper

__all__ = ["SLOW_ENTRIES", "ExplorerViews"]

STATIC = Path(__file__).resolve().parents[1] / "static"

#: Past this many weights to difference, the numeric maps are first sent as "stale" and the
#: check reports its progress while it runs.
SLOW_ENTRIES = 1500
#: Seconds between sending the heatmaps and sending the (slow to typeset) step formula.
FORMULA_DELAY = 0.05


def _same(a: np.ndarray | None, b: np.ndarray) -> bool:
    return a is not None and a.shape == b.shape and bool(np.array_equal(a, b))


class _Part(anywidget.AnyWidget):
    """One drawn part of the explorer (``part`` = "stepper" or "heatmaps"); see js/explorer.js."""

    _esm = STATIC / "explorer.js"
    _css = STATIC / "styles.css"

    part = Unicode("heatmaps").tag(sync=True)
    version = Int(0).tag(sync=True)
    # stepper
    steps = List().tag(sync=True)
    step = Int(0).tag(sync=True)
    #: "version:step" of the formula now in the HTMLMath beside the stepper. Sent after the
    #: formula (messages arrive in order), so the front end can dim a formula that lags.
    formula_key = Unicode("").tag(sync=True)
    # heatmaps
    heatmaps = List().tag(sync=True)
    kind = Unicode("difference").tag(sync=True)
    selected = List().tag(sync=True)
    entry = Dict().tag(sync=True)
    stale = Bool(False).tag(sync=True)
    progress = Float(1.0).tag(sync=True)
    message = Unicode("").tag(sync=True)


class ExplorerViews:
    """Mixin of :class:`~backprop_widgets.widgets.explorer.BackpropExplorer`: recompute, push."""

    _formula_pending = False

    def _recompute(self) -> None:
        """Recompute everything the views show, and push it with a new version number."""
        from ..gradcheck import gradcheck

        self.version += 1
        v = self.version
        net, x, y = self._net, self._x, self._y
        layers = self._layers_shown()
        heavy = sum(net.sizes[ell] * net.sizes[ell - 1] for ell in layers) > self.slow_entries
        try:
            progress = None
            if heavy:
                grads = net.backward(x, y)
                with self._heat_view.hold_sync():
                    self._heat_view.version = v
                    self._heat_view.heatmaps = [
                        heatmaps.stale_payload(ell, grads.grad(ell)) for ell in layers
                    ]
                    self._heat_view.stale = True
                    self._heat_view.progress = 0.0
                with self._stepper_view.hold_sync():
                    self._stepper_view.version = v
                    self._stepper_view.stale = True
                self.formula.add_class("bw-stale")
                self._update_diagram()  # W, z and E are current already
                progress = self._progress_reporter()
            self.report = gradcheck(net, x, y, layers=layers, progress=progress)
            payload = heatmaps.report_payload(self.report, layers)
            entry = self._entry_payload()
        except Exception as exc:
            self._show_message(f"{type(exc).__name__}: {exc}")
            self._heat_view.stale = True
            return
        # The heatmaps first (what the student is looking at), then the slower parts.
        with self._heat_view.hold_sync():
            self._heat_view.version = v
            self._heat_view.heatmaps = payload
            self._heat_view.kind = self.heatmap_kind
            self._heat_view.selected = [] if self.selected is None else list(self.selected)
            self._heat_view.entry = entry
            self._heat_view.stale = False
            self._heat_view.progress = 1.0
        try:
            self.steps = stepper.build_steps(net, x, y, int(self.layer), self.report)
            if self.step >= len(self.steps):
                self.set_trait("step", len(self.steps) - 1)
            with self._stepper_view.hold_sync():
                self._stepper_view.version = v
                self._stepper_view.steps = [s.meta() for s in self.steps]
                self._stepper_view.step = self.step
                self._stepper_view.stale = False
            self._show_step_soon()
            self._update_diagram()
        except Exception as exc:
            self._show_message(f"{type(exc).__name__}: {exc}")
        self.controls.refresh()

    def _progress_reporter(self) -> Any:
        last = [0.0]

        def report(fraction: float) -> None:
            if fraction - last[0] >= 0.05 or fraction >= 1.0:
                last[0] = fraction
                self._heat_view.progress = float(min(1.0, fraction))

        return report

    def _entry_payload(self) -> dict[str, Any]:
        if self.selected is None or self.report is None:
            return {}
        ell, i, j = self.selected
        if ell not in self._layers_shown():
            return {}
        return stepper.entry_payload(self._net, self._x, self._y, ell, i, j, self.report)

    def _show_step(self) -> None:
        if self.steps:
            self.formula.value = self.steps[self.step].html()
        self.formula.remove_class("bw-stale")
        self._stepper_view.formula_key = f"{self.version}:{self.step}"

    def _show_step_soon(self) -> None:
        """Show the step's formula a moment after the heatmaps went out.

        Typesetting (MathJax, in the browser) takes tens of milliseconds; sent together with
        the heatmaps it would hold back their repaint. Inside a running kernel the formula
        follows :data:`FORMULA_DELAY` later, showing whatever step is current by then (so the
        last change wins); without an event loop (plain Python) it is shown at once.
        """
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            self._show_step()
            return
        if not self._formula_pending:
            self._formula_pending = True
            loop.call_later(FORMULA_DELAY, self._flush_formula)

    def _flush_formula(self) -> None:
        self._formula_pending = False
        try:
            self._show_step()
        except Exception as exc:  # a callback's error would vanish: show it
            self._show_message(f"{type(exc).__name__}: {exc}")

    def _update_diagram(self) -> None:
        d = self.diagram
        with d.hold_sync():  # one message to the front end, however many steps below
            if d.net is not self._net:
                if d.net.sizes[0] != self._net.sizes[0] or d.net.sizes[-1] != self._net.sizes[-1]:
                    d.set_data(None, None)  # the old x, y do not fit the new network
                d.net = self._net
            if not (_same(d.x, self._x) and _same(d.y, self._y)):
                d.set_data(self._x, self._y)
            d.selected = self.selected
