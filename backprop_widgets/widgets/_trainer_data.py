"""What the trainer trains on: its ``data`` argument resolved to the parts of the run, and one
sample picked from them (the one the explorer opens on).

A data set's name is made with the seed, its targets encoded to fit the network's output; a
:class:`~backprop_widgets.datasets.Dataset` keeps its encoding; arrays ``(X, Y)`` or
``(X, Y, X_test, Y_test)`` are passed on as they are (the core checks them).

Plain numpy and the core's data sets; internal (:class:`~backprop_widgets.Trainer` calls these).
"""

from __future__ import annotations

import numbers

import numpy as np

from .. import datasets
from ..network import MLP

__all__ = ["pick_sample"]


def _resolve_data(
    net: MLP, data: object, seed: int
) -> tuple[object, object, object, object, str | None]:
    if isinstance(data, str):
        if data not in datasets.NAMES:
            raise ValueError(f"data: expected one of {list(datasets.NAMES)}, got {data!r}")
        n0, nL = net.sizes[0], net.sizes[-1]
        need = 1 if data in datasets.REGRESSION else 2
        if n0 != need:
            raise ValueError(f"data: {data!r} has {need} input(s); the network has n(0) = {n0}")
        if data in datasets.REGRESSION:
            d = datasets.make(data, seed=seed)
        else:
            targets = datasets.targets_for(net.activations[-1].label, nL, net.loss_name)
            more = {"classes": max(nL, 2)} if data == "gaussians" and targets == "onehot" else {}
            d = datasets.make(data, seed=seed, targets=targets, **more)
        data = d
    if isinstance(data, datasets.Dataset):
        return data.X, data.Y, data.X_test, data.Y_test, data.targets
    if isinstance(data, tuple) and len(data) in (2, 4):
        X, Y, *rest = data
        Xt, Yt = rest if rest else (None, None)
        return X, Y, Xt, Yt, None
    raise TypeError(
        "data: expected a data set's name, a Dataset, (X, Y) or (X, Y, X_test, Y_test), got "
        f"{type(data).__name__}"
    )


def pick_sample(
    data: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray], index: int, split: str
) -> tuple[np.ndarray, np.ndarray]:
    """Sample ``index`` (a column, from 0) of the ``"train"`` or ``"test"`` part of ``data``,
    ``(X, Y, X_test, Y_test)``: its ``(x, y)``."""
    X, Y, X_test, Y_test = data
    XX, YY = (X, Y) if split == "train" else (X_test, Y_test) if split == "test" else (None, None)
    if XX is None:
        raise ValueError(f"split: expected 'train' or 'test', got {split!r}")
    if (
        isinstance(index, bool)
        or not isinstance(index, numbers.Integral)
        or not (0 <= index < XX.shape[1])
    ):
        raise ValueError(f"index: expected 0..{XX.shape[1] - 1} for {split!r}, got {index!r}")
    return XX[:, index], YY[:, index]
