"""Trainer: gradient descent you can watch, pause, and derive one step of.

A thin view over :class:`backprop_widgets.training.GradientDescent`: Python runs the loop and
computes every picture (loss curve, decision boundary, weights) with the core; ``js/trainer.js``
draws them and sends the buttons' clicks back.

Playing never blocks the kernel: :meth:`Trainer.play` starts an asyncio task on the kernel's
running event loop that takes a few steps, sends one repaint and then awaits (aiming at 30
repaints a second), so clicks, control changes and other cells run in between.

This module holds the widget: its traits, the run and its loop, the repaint and the explorer it
opens. Its ``data`` argument is resolved in ``_trainer_data``, what the page sends is done in
``_trainer_requests``, and the pictures are computed in ``trainer_views``.
"""

from __future__ import annotations

import asyncio
import threading
import time
import weakref
from pathlib import Path
from typing import Any

import anywidget
import ipywidgets
import traitlets

from ..network import MLP
from ..training import GradientDescent, History, check_batch_size, check_lr
from . import _trainer_requests
from . import trainer_views as views
from ._trainer_data import _resolve_data, pick_sample
from .diagram import diagram_state

__all__ = ["Trainer"]

STATIC = Path(__file__).resolve().parent.parent / "static"
#: Seconds from one repaint to the next while playing (30 per second): the loop steps for
#: what is left of this after the repaint and the wait, at least MIN_CHUNK_SECONDS.
FRAME_SECONDS = 1 / 30
MIN_CHUNK_SECONDS = 0.004
#: Seconds the loop awaits between chunks (the kernel handles messages meanwhile).
PAUSE_SECONDS = 0.005

#: The parts of the diagram's state that change at every step (the rest is sent once).
_MOVING = ("weights", "scales")

_LIVE: weakref.WeakSet[Trainer] = weakref.WeakSet()


class TrainerValueError(traitlets.TraitError, ValueError):
    """A refused value (a ValueError, and a TraitError so traitlets keeps the old value)."""


class Trainer(anywidget.AnyWidget):
    """Train a network by gradient descent, and watch it: loss curve, decision boundary, weights.

    Parameters
    ----------
    net : MLP
        The network to train. The trainer trains its own copy (:attr:`net`), so running the
        cell again starts from the same weights.
    data : str, Dataset, (X, Y) or (X, Y, X_test, Y_test)
        A name from :data:`backprop_widgets.datasets.NAMES` (made with ``seed``, its targets
        encoded to fit the network's output: one-hot for softmax or several outputs, ±1 for a
        tanh or identity output, 0/1 otherwise), a :class:`~backprop_widgets.datasets.Dataset`,
        or arrays with samples as columns.
    lr : float
        The learning rate η > 0; it multiplies the batch *mean* of the gradient.
    batch_size : int or None
        None: full-batch gradient descent; otherwise shuffled mini-batches drawn from ``seed``.
    momentum, weight_decay : float
        μ in [0, 1) and λ ≥ 0 (see :mod:`backprop_widgets.training`).
    seed : int
        Seeds the data set (by name) and the mini-batch order.

    Examples
    --------
    >>> import backprop_widgets as bw
    >>> net = bw.MLP([2, 8, 1], "tanh", seed=0)
    >>> tr = bw.Trainer(net, "spirals", lr=0.5)
    >>> history = tr.fit(100)        # synchronous; tr.play() runs in the background
    >>> tr.accuracy("test") >= 0
    True
    """

    _esm = STATIC / "trainer.js"
    # the shared sheet (colours, the diagram), then the trainer's own
    _css = (STATIC / "styles.css").read_text("utf-8") + (STATIC / "trainer.css").read_text("utf-8")

    running = traitlets.Bool(False, help="True while the loop plays").tag(sync=True)
    steps = traitlets.Int(0, help="updates done since the start or the last reset").tag(sync=True)
    lr = traitlets.Float(0.1, help="the learning rate η").tag(sync=True)
    batch_size = traitlets.Int(None, allow_none=True, help="None: full batch").tag(sync=True)
    log_scale = traitlets.Bool(False, help="loss curve on a log scale").tag(sync=True)

    task = traitlets.Unicode("classification", help="'classification' or 'regression'").tag(
        sync=True
    )
    box = traitlets.List(traitlets.Float(), help="the drawn input region").tag(sync=True)
    samples = traitlets.Dict(help="the data points, packed").tag(sync=True)
    curve = traitlets.Dict(help="the loss history, packed").tag(sync=True)
    picture = traitlets.Dict(help="the decision boundary or the fitted curve, packed").tag(
        sync=True
    )
    diagram = traitlets.Dict(help="the network diagram's structure (sent when it changes)").tag(
        sync=True
    )
    diagram_weights = traitlets.Dict(help="the diagram's weights and their scale").tag(sync=True)
    accuracy_test = traitlets.Float(None, allow_none=True).tag(sync=True)
    accuracy_train = traitlets.Float(None, allow_none=True).tag(sync=True)
    message = traitlets.Unicode("", help="why the run stopped, or an error").tag(sync=True)
    control_error = traitlets.Dict(help="{'name': control, 'text': why it was refused}").tag(
        sync=True
    )
    picked = traitlets.List(help="[split, index] of the sample opened in the explorer").tag(
        sync=True
    )
    version = traitlets.Int(0, help="repaint counter").tag(sync=True)

    def __init__(
        self,
        net: MLP,
        data: object = "circles",
        *,
        lr: float = 0.1,
        batch_size: int | None = None,
        momentum: float = 0.0,
        weight_decay: float = 0.0,
        seed: int = 0,
        **kwargs: Any,
    ) -> None:
        self._task: asyncio.Task[None] | None = None
        self._generation = 0
        self._pause_requested = False
        self.explorer: Any = None
        if not isinstance(net, MLP):
            raise TypeError(f"net: expected an MLP, got {type(net).__name__}")
        X, Y, X_test, Y_test, targets = _resolve_data(net, data, seed)
        self._gd = GradientDescent(
            net,
            X,
            Y,
            X_test,
            Y_test,
            lr=lr,
            batch_size=batch_size,
            momentum=momentum,
            weight_decay=weight_decay,
            seed=seed,
            targets=targets,
        )
        self._views = 0
        self._cell = _current_cell()
        try:  # the kernel's loop: the one thread that steps, paints and handles clicks
            self._event_loop: asyncio.AbstractEventLoop | None = asyncio.get_running_loop()
        except RuntimeError:
            self._event_loop = None
        self._thread = threading.get_ident()
        self._below = ipywidgets.VBox([])
        super().__init__(lr=float(lr), batch_size=batch_size, **kwargs)
        n0 = net.sizes[0]
        self.task = "regression" if self._gd.targets == "regression" else "classification"
        XX, _, XX_test, _ = self._gd.data
        self.box = views.extent(XX[:2], XX_test[:2])
        self.samples = views.points(self._gd) if n0 <= 2 else {}
        self.on_msg(self._on_message)
        self._repaint()
        for other in list(_LIVE):  # the same cell run again: its old trainer stops playing
            if other._cell is not None and other._cell == self._cell:
                other.pause()
        _LIVE.add(self)

    # ------------------------------------------------------------------ the run

    @property
    def net(self) -> MLP:
        """The network being trained (the trainer's own copy; its weights are the current)."""
        return self._gd.net

    @property
    def history(self) -> History:
        """(step, train loss, test loss) per recorded step, as mean loss per sample."""
        return self._gd.history

    @property
    def run(self) -> GradientDescent:
        """The core loop this widget shows."""
        return self._gd

    def fit(self, steps: int) -> History:
        """Take ``steps`` updates now (synchronous; stops early if the run diverges)."""
        self.pause()
        history = self._gd.fit(steps)
        self._repaint()
        return history

    def step(self) -> None:
        """One update, then a repaint."""
        self.pause()
        self._gd.step()
        self._repaint()

    def accuracy(self, split: str = "test") -> float:
        """The share of ``"train"`` or ``"test"`` samples classified right."""
        return self._gd.accuracy(split)

    def reset(self) -> None:
        """Back to the initial weights and an empty history (the same run again)."""
        self.pause()
        self._gd.reset()
        self._close_explorer()
        self._repaint()

    def play(self) -> None:
        """Train in the background until :meth:`pause` (or divergence)."""
        if self.running:
            return
        if self._gd.diverged:
            self.message = self._gd.message
            return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            raise RuntimeError(
                "play() needs a running event loop (a Jupyter kernel has one); in a script "
                "use tr.fit(steps)"
            ) from None
        self._event_loop, self._thread = loop, threading.get_ident()
        self._generation += 1
        self._pause_requested = False
        self._close_explorer()
        self.running = True
        self._task = loop.create_task(self._loop(self._generation))

    def pause(self) -> None:
        """Stop the background loop (at once: it is cancelled where it awaits)."""
        self._generation += 1
        if self._task is not None and not self._task.done():
            self._task.cancel()
        self._task = None
        if self.running:
            self.running = False
            self._repaint()

    async def _loop(self, generation: int) -> None:
        try:
            chunk = FRAME_SECONDS / 2
            while generation == self._generation:
                start = time.perf_counter()
                while time.perf_counter() - start < chunk and not self._pause_requested:
                    if not self._gd.step():
                        break
                stepped = time.perf_counter()
                self._repaint()
                if self._gd.diverged:
                    break
                await asyncio.sleep(PAUSE_SECONDS)
                # what the repaint and the wait took is not left for stepping
                chunk = max(MIN_CHUNK_SECONDS, FRAME_SECONDS - (time.perf_counter() - stepped))
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # shown in the widget: never lost in a background task
            self.message = f"The training loop stopped: {type(exc).__name__}: {exc}"
        finally:
            if generation == self._generation:
                self._task = None
                self.running = False

    # ------------------------------------------------------------------ drawing

    def _repaint(self) -> None:
        gd = self._gd
        net = gd.net
        with self.hold_sync():
            self.steps = gd.steps
            self.curve = views.history(gd)
            if net.sizes[0] == 2 and gd.targets != "regression":
                self.picture = views.boundary(net, list(self.box), gd.targets)
            elif net.sizes[0] == 1 and net.sizes[-1] == 1:
                self.picture = views.curve(net, list(self.box))
            state = diagram_state(net, None, None)
            moving = {key: state.pop(key) for key in _MOVING}
            self.diagram = state  # unchanged while training, so not sent again
            self.diagram_weights = moving
            if gd.targets != "regression":
                self.accuracy_train = gd.accuracy("train")
                self.accuracy_test = gd.accuracy("test") if gd.data[2].shape[1] else None
            if gd.message:
                self.message = gd.message
            elif self.message.startswith("Diverged"):
                self.message = ""
            self.version += 1

    # ------------------------------------------------------------------ controls

    @traitlets.validate("lr")
    def _validate_lr(self, proposal: dict[str, Any]) -> float:
        try:
            return check_lr(proposal["value"])
        except (TypeError, ValueError) as exc:
            raise TrainerValueError(str(exc)) from None

    @traitlets.validate("batch_size")
    def _validate_batch_size(self, proposal: dict[str, Any]) -> int | None:
        try:
            return check_batch_size(proposal["value"], self._gd.data[0].shape[1])
        except (TypeError, ValueError) as exc:
            raise TrainerValueError(str(exc)) from None

    @traitlets.observe("lr")
    def _on_lr(self, change: dict[str, Any]) -> None:
        self._gd.lr = change["new"]

    @traitlets.observe("batch_size")
    def _on_batch_size(self, change: dict[str, Any]) -> None:
        self._gd.batch_size = change["new"]

    def _on_message(self, _widget: object, content: dict[str, Any], _buffers: object) -> None:
        # ipykernel 7 may deliver a widget message on another thread than the one whose event
        # loop runs the training: hand it over, so that one thread does all the work
        loop = self._event_loop
        if loop is not None and threading.get_ident() != self._thread and not loop.is_closed():
            if content.get("action") == "pause":
                self._pause_requested = True  # the chunk being stepped ends at its next step
            loop.call_soon_threadsafe(_trainer_requests.handle, self, content)
        else:
            _trainer_requests.handle(self, content)

    # ------------------------------------------------------------------ one step's gradient

    def open_explorer(self, index: int, split: str = "train") -> Any:
        """Pause and open the explorer on the current weights with one sample as (x, y).

        Parameters
        ----------
        index : int
            The sample's column in the training (or test) part, counted from 0 (Python).
        split : {"train", "test"}
        """
        from .explorer import BackpropExplorer

        self.pause()
        x, y = pick_sample(self._gd.data, index, split)
        try:
            explorer = BackpropExplorer(net=self.net.copy(), x=x, y=y)
        except (TypeError, ValueError) as exc:
            self.message = f"The explorer cannot show this network: {exc}"
            raise
        self._close_explorer()
        self.explorer = explorer
        self.picked = [split, int(index)]
        self._below.children = (explorer,)
        self.message = ""  # the explorer derives this very network (biases and loss kept)
        return explorer

    def _close_explorer(self) -> None:
        if self.explorer is not None:
            self._below.children = ()
            self.explorer.close()
            self.explorer = None
        self.picked = []

    # ------------------------------------------------------------------ display and closing

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        # the trainer, and under it the area where the explorer opens
        return ipywidgets.VBox([self, self._below])._repr_mimebundle_(**kwargs)

    def close(self) -> None:
        """Stop the loop and close the widget (and the explorer it opened)."""
        if hasattr(self, "_gd"):  # (not when the constructor refused its arguments)
            self.pause()
            if self.explorer is not None:
                self._close_explorer()
        super().close()


# --------------------------------------------------------------------------- helpers


def _current_cell() -> str | None:
    """The id of the notebook cell running now (JupyterLab sends it), or None."""
    try:
        from IPython import get_ipython

        shell = get_ipython()
        kernel = getattr(shell, "kernel", None)
        parent = kernel.get_parent() if kernel is not None else None
        cell = (parent or {}).get("metadata", {}).get("cellId")
        return str(cell) if cell else None
    except Exception:
        return None
