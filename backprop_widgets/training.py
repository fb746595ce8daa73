"""The gradient put to work: gradient descent on an :class:`~backprop_widgets.MLP`.

Each step takes a batch (all the training samples, or a shuffled mini-batch), asks the network
for its gradient with its own Δ recursion (:meth:`MLP.backward`: Δ⁽ᴸ⁾, then
Δ⁽ℓ⁾ = J⁽ℓ⁾ W⁽ℓ+1⁾ᵀ Δ⁽ℓ+1⁾, then ∂E/∂W⁽ℓ⁾ = Δ⁽ℓ⁾ z⁽ℓ−1⁾ᵀ) and moves every weight against it:

    g⁽ℓ⁾ = (1/B) ∂E/∂W⁽ℓ⁾ + λ W⁽ℓ⁾            (the batch mean, plus weight decay λ)
    v⁽ℓ⁾ ← μ v⁽ℓ⁾ − η g⁽ℓ⁾,   W⁽ℓ⁾ ← W⁽ℓ⁾ + v⁽ℓ⁾   (momentum μ; μ = 0 is plain descent)

The learning rate η multiplies the batch *mean* of the gradient whatever the network's
reduction, so a rate means the same at every batch size; the losses kept in the history are
means per sample too. Biases, when the network has them, move the same way, without decay.

A run that diverges (a loss or a gradient that is inf or NaN, or a loss that grows past 10⁴
times where it started) stops with a message naming the step; the weights stay at the last
step whose loss was finite, and nothing non-finite enters the history.

This module holds the loop, :class:`GradientDescent`. Its :class:`History`, the classes read
back from targets (:func:`infer_targets`, :func:`classes_of`) and the checks of its settings
(:func:`check_lr`, :func:`check_batch_size`) live in private modules, imported here.

Plain numpy; imports nothing from Jupyter.
"""

from __future__ import annotations

import numbers
from collections.abc import Sequence

import numpy as np

from ._checks import check_seed
from ._history import History
from ._targets import classes_of, infer_targets
from ._training_checks import (
    _check_nonnegative,
    _check_part,
    _check_unit_interval,
    check_batch_size,
    check_lr,
)
from .datasets import Dataset
from .network import MLP

__all__ = ["BLOW_UP", "GradientDescent", "History", "infer_targets"]

#: A run stops when the training loss grows past this many times its start (and past 1).
BLOW_UP = 1e4


class GradientDescent:
    """Gradient descent on a network's own gradient, full batch or mini-batch.

    Trains a copy of ``net`` (so re-running a cell starts again from the same weights);
    :attr:`net` is the network being trained.

    Parameters
    ----------
    net : MLP
    X, Y : arrays, shapes (n(0), N) and (n(L), N)
        The training samples as columns.
    X_test, Y_test : arrays, optional
        A test part, measured at every recorded step.
    lr : float
        The learning rate η > 0; it multiplies the batch mean of the gradient.
    batch_size : int or None
        None: every step uses all N samples (full-batch gradient descent). Otherwise each epoch
        shuffles the samples (from ``seed``) and steps through batches of this size.
    momentum : float
        μ in [0, 1).
    weight_decay : float
        λ ≥ 0: adds λ W⁽ℓ⁾ to each weight gradient (not to biases).
    seed : int
        The shuffling seed (mini-batches only).
    targets : str, optional
        How ``Y`` encodes classes (see :mod:`backprop_widgets.datasets`); inferred if omitted.

    Examples
    --------
    >>> from backprop_widgets import MLP, datasets
    >>> from backprop_widgets.training import GradientDescent
    >>> X, Y, X_test, Y_test = datasets.make("circles", targets="signed")
    >>> gd = GradientDescent(MLP([2, 8, 1], "tanh", seed=0), X, Y, X_test, Y_test, lr=0.5)
    >>> history = gd.fit(200)
    >>> history.train[-1] < history.train[0]
    True
    """

    def __init__(
        self,
        net: MLP,
        X: object,
        Y: object,
        X_test: object = None,
        Y_test: object = None,
        *,
        lr: float = 0.1,
        batch_size: int | None = None,
        momentum: float = 0.0,
        weight_decay: float = 0.0,
        seed: int | None = 0,
        targets: str | None = None,
    ) -> None:
        if not isinstance(net, MLP):
            raise TypeError(f"net: expected an MLP, got {type(net).__name__}")
        self._X, self._Y = _check_part(net, X, Y, "X", "Y")
        if (X_test is None) != (Y_test is None):
            raise ValueError("X_test, Y_test: give both or neither")
        if X_test is None:
            self._X_test = np.empty((net.sizes[0], 0))
            self._Y_test = np.empty((net.sizes[-1], 0))
        else:
            self._X_test, self._Y_test = _check_part(net, X_test, Y_test, "X_test", "Y_test")
        self._targets = infer_targets(self._Y) if targets is None else str(targets)
        self._lr = check_lr(lr)
        self._batch_size = check_batch_size(batch_size, self._X.shape[1])
        self._momentum = _check_unit_interval(momentum, "momentum")
        self._weight_decay = _check_nonnegative(weight_decay, "weight_decay")
        self._seed = check_seed(seed)
        self._net = net.copy()
        self._initial = self._params()
        self.reset()

    @classmethod
    def from_dataset(cls, net: MLP, data: Dataset, **kwargs: object) -> GradientDescent:
        """Train on a :class:`~backprop_widgets.datasets.Dataset` (its encoding is kept)."""
        return cls(net, data.X, data.Y, data.X_test, data.Y_test, targets=data.targets, **kwargs)

    # ------------------------------------------------------------------ state

    @property
    def net(self) -> MLP:
        """The network being trained (the trainer's own copy)."""
        return self._net

    @property
    def steps(self) -> int:
        """The number of updates done since the start or the last :meth:`reset`."""
        return self._steps

    @property
    def history(self) -> History:
        """The losses so far (a copy), including the current step."""
        self._record()
        return self._history.copy()

    def curve(self, max_points: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """``(step, train, test)`` of the history including the current step, thinned to at
        most ``max_points`` entries (:meth:`History.thinned`): a loss curve to draw."""
        self._record()
        return self._history.thinned(max_points)

    @property
    def message(self) -> str:
        """Why the run stopped (divergence), or ``""``."""
        return self._message

    @property
    def diverged(self) -> bool:
        return bool(self._message)

    @property
    def targets(self) -> str:
        return self._targets

    @property
    def data(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """``(X, Y, X_test, Y_test)`` (read-only views)."""
        out = []
        for a in (self._X, self._Y, self._X_test, self._Y_test):
            v = a.view()
            v.flags.writeable = False
            out.append(v)
        return tuple(out)  # type: ignore[return-value]

    @property
    def lr(self) -> float:
        return self._lr

    @lr.setter
    def lr(self, value: float) -> None:
        self._lr = check_lr(value)

    @property
    def batch_size(self) -> int | None:
        return self._batch_size

    @batch_size.setter
    def batch_size(self, value: int | None) -> None:
        self._batch_size = check_batch_size(value, self._X.shape[1])
        self._order = np.empty(0, dtype=np.int64)  # a new size starts a new epoch

    @property
    def momentum(self) -> float:
        return self._momentum

    @property
    def weight_decay(self) -> float:
        return self._weight_decay

    def reset(self) -> None:
        """Back to the initial weights, the first batch and an empty history: two runs from a
        reset give the same history."""
        self._set_params(self._initial)
        self._velocity = [np.zeros_like(p) for p in self._initial]
        self._rng = np.random.default_rng(self._seed)
        self._order = np.empty(0, dtype=np.int64)
        self._cursor = 0
        self._steps = 0
        self._message = ""
        self._history = History()
        self._recorded_at = -1
        self._start_loss = float("nan")
        self._record()

    # ------------------------------------------------------------------ the loop

    def fit(self, steps: int) -> History:
        """Take up to ``steps`` updates (fewer if the run diverges); returns the history."""
        if isinstance(steps, bool) or not isinstance(steps, numbers.Integral) or steps < 0:
            raise ValueError(f"steps: expected a non-negative integer, got {steps!r}")
        with np.errstate(all="ignore"):  # an overflow is caught as divergence, not warned
            for _ in range(int(steps)):
                if not self._step():
                    break
        return self.history

    def step(self) -> bool:
        """One update. Returns False (and changes nothing) once the run has diverged."""
        with np.errstate(all="ignore"):
            return self._step()

    def _step(self) -> bool:
        if self._message:
            return False
        full = self._batch_size is None
        X, Y = (self._X, self._Y) if full else self._next_batch()
        # the network's backward pass on data checked once, at construction (no result
        # objects): E, ∂E/∂W⁽ℓ⁾ and, with biases, ∂E/∂b⁽ℓ⁾, by the Δ recursion
        E, grads, grads_b = self._net._backward_arrays(X, Y)
        scale = self._mean_factor(X.shape[1])
        if full and self._recorded_at != self._steps:
            # the full batch's E is the training loss at the current weights: record it
            if not self._accept_loss(float(E) * scale) or self._message:
                return False
        if not self._update(grads, grads_b, scale):
            self._stop(self._steps + 1, "a weight became inf or NaN")
            return False
        self._steps += 1
        if not full:
            self._record()
        return not self._message

    def _update(self, grads: list[np.ndarray], grads_b: tuple | None, scale: float) -> bool:
        """W ← W + v with v ← μ v − η (g/B + λ W); False (nothing changed) if not finite."""
        net, lr, mu, decay = self._net, self._lr, self._momentum, self._weight_decay
        params = net._weights if grads_b is None else net._weights + net._biases
        if grads_b is not None:
            grads = list(grads) + list(grads_b)
        L, velocity, rate = net.L, self._velocity, lr * scale
        new = []
        for k, (p, g) in enumerate(zip(params, grads, strict=True)):
            step = rate * g
            if decay and k < L:
                step += (lr * decay) * p
            if mu:
                v = velocity[k]
                v *= mu
                v -= step
                new.append(p + v)
            else:
                new.append(p - step)
        # fresh arrays of the right shapes: the network checks only that they are finite
        return net._set_trained(new[:L], new[L:] if grads_b is not None else None)

    # ------------------------------------------------------------------ measuring

    def loss(self, split: str = "train") -> float:
        """The mean loss per sample on ``"train"`` or ``"test"`` at the current weights."""
        X, Y = self._split(split)
        if X.shape[1] == 0:
            raise ValueError(f"split: {split!r} has no samples")
        with np.errstate(all="ignore"):
            return self._mean_loss(X, Y)

    def _mean_loss(self, X: np.ndarray, Y: np.ndarray) -> float:
        # X and Y were validated once, at construction: the network's own forward pass and
        # loss, without checking them again at every step
        us, zs, _ = self._net._forward_arrays(X, need_dsigma=False)
        return self._net.loss_function.value(us[-1], zs[-1], Y) / X.shape[1]

    def predict(self, X: object) -> np.ndarray:
        """The class of each column of ``X`` (0-based), as the targets encode it."""
        XX = self._net.check_x(X, argument="X")
        if XX.ndim == 1:
            XX = XX[:, None]
        z = self._net.forward(XX).output
        return classes_of(z, self._targets)

    def accuracy(self, split: str = "test") -> float:
        """The share of ``"train"`` or ``"test"`` samples whose class is predicted right."""
        if self._targets == "regression":
            raise ValueError(
                "accuracy: these targets are real numbers (regression); use loss(split) instead"
            )
        X, Y = self._split(split)
        if X.shape[1] == 0:
            raise ValueError(f"split: {split!r} has no samples")
        with np.errstate(all="ignore"):  # X was checked at construction: no check again
            z = self._net._forward_arrays(X, need_dsigma=False)[1][-1]
        return float(np.mean(classes_of(z, self._targets) == classes_of(Y, self._targets)))

    # ------------------------------------------------------------------ internals

    def _split(self, split: str) -> tuple[np.ndarray, np.ndarray]:
        if split == "train":
            return self._X, self._Y
        if split == "test":
            return self._X_test, self._Y_test
        raise ValueError(f"split: expected 'train' or 'test', got {split!r}")

    def _mean_factor(self, B: int) -> float:
        """What turns the network's E (and gradients) into a mean per sample."""
        return 1.0 if self._net.reduction == "mean" else 1.0 / B

    def _params(self) -> list[np.ndarray]:
        """[W⁽¹⁾, …, W⁽ᴸ⁾] and, with biases, [b⁽¹⁾, …, b⁽ᴸ⁾] after them."""
        biases = self._net.biases
        return list(self._net.weights) + (biases if biases is not None else [])

    def _set_params(self, params: Sequence[np.ndarray]) -> None:
        L, old = self._net.L, self._net.weights
        self._net.weights = params[:L]
        if self._net.has_bias:
            try:
                self._net.biases = params[L:]
            except ValueError:
                self._net.weights = old  # nothing half-updated
                raise

    def _next_batch(self) -> tuple[np.ndarray, np.ndarray]:
        assert self._batch_size is not None
        n = self._X.shape[1]
        if self._cursor >= self._order.size:
            self._order = self._rng.permutation(n)
            self._cursor = 0
        idx = self._order[self._cursor : self._cursor + self._batch_size]
        self._cursor += self._batch_size
        return self._X[:, idx], self._Y[:, idx]

    def _record(self) -> None:
        """Append the losses at the current weights, unless already recorded."""
        if self._recorded_at == self._steps or self._message:
            return
        with np.errstate(all="ignore"):
            self._accept_loss(self._mean_loss(self._X, self._Y))

    def _append(self, E: float) -> None:
        test = None
        if self._X_test.shape[1]:
            test = self._mean_loss(self._X_test, self._Y_test)
            if not np.isfinite(test):
                self._stop(self._steps, "the test loss became inf or NaN")
                return
        self._history.step.append(self._steps)
        self._history.train.append(E)
        if test is not None:
            self._history.test.append(test)
        self._recorded_at = self._steps
        self._last_good = self._params()
        if self._steps == 0:
            self._start_loss = E

    def _accept_loss(self, E: float) -> bool:
        """Record E as the training loss at the current step if it is acceptable; otherwise
        stop the run, back at the last good weights, and return False."""
        if not np.isfinite(E):
            self._stop(self._steps, "the loss became inf or NaN")
            return False
        if self._steps > 0 and E > BLOW_UP * max(self._start_loss, 1.0):
            self._stop(
                self._steps,
                f"the loss grew to {E:.3g}, more than {BLOW_UP:.0e} times its start "
                f"({self._start_loss:.3g})",
            )
            return False
        self._append(E)
        return True

    def _stop(self, step: int, why: str) -> None:
        # the weights of a step whose loss was not acceptable are not kept
        if self._history.step and self._history.step[-1] < self._steps:
            self._set_params(self._last_good)
            self._steps = self._history.step[-1]
        self._message = (
            f"Diverged at step {step}: {why} with learning rate η = {self._lr:g}. The weights "
            f"are those of step {self._steps}, the last with a finite loss. Try a smaller "
            f"learning rate (e.g. η = {self._lr / 10:g}) and reset."
        )
