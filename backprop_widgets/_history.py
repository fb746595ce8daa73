"""The record of a training run: its losses, one entry per recorded step, as mean loss per
sample, and the same thinned evenly for a plot.

Plain numpy; :class:`~backprop_widgets.training.GradientDescent` keeps one (re-exported from
:mod:`backprop_widgets.training`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

__all__ = ["History"]


@dataclass
class History:
    """The losses of a run, one entry per recorded step: mean loss per sample.

    ``step[k]`` is the number of updates done when ``train[k]`` and ``test[k]`` were measured
    (every value is finite; ``test`` is empty when there is no test part).
    """

    step: list[int] = field(default_factory=list)
    train: list[float] = field(default_factory=list)
    test: list[float] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.step)

    def as_arrays(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """``(step, train, test)`` as numpy arrays."""
        return (
            np.asarray(self.step, dtype=np.int64),
            np.asarray(self.train, dtype=np.float64),
            np.asarray(self.test, dtype=np.float64),
        )

    def thinned(self, max_points: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """:meth:`as_arrays` thinned evenly to at most ``max_points`` entries (the first and
        the last always kept), without copying the whole history: what a plot needs."""
        n = len(self.step)
        if n <= max_points:
            return self.as_arrays()
        keep = np.unique(np.linspace(0, n - 1, max_points).astype(np.int64)).tolist()
        step, train, test = self.step, self.train, self.test
        return (
            np.array([step[k] for k in keep], dtype=np.int64),
            np.array([train[k] for k in keep], dtype=np.float64),
            np.array([test[k] for k in keep] if test else [], dtype=np.float64),
        )

    def copy(self) -> History:
        return History(list(self.step), list(self.train), list(self.test))

    def __repr__(self) -> str:
        if not self.step:
            return "History(empty)"
        last = f"train {self.train[-1]:.4g}"
        if self.test:
            last += f", test {self.test[-1]:.4g}"
        return f"History({len(self)} entries, steps {self.step[0]}..{self.step[-1]}; {last})"
