"""What the trainer draws, computed with the core and packed as binary buffers.

Every number here comes from the core's forward pass (:meth:`MLP.forward`) or from the run's
history; the front end (``js/trainer.js``) only paints them.
"""

from __future__ import annotations

import functools
from typing import Any

import numpy as np

from ..network import MLP
from ..training import GradientDescent, classes_of
from ._buffers import EMPTY, pack

__all__ = ["GRID", "MAX_CURVE", "boundary", "curve", "extent", "points"]

#: The decision boundary is evaluated on GRID × GRID points.
GRID = 64
#: The loss curve sends at most this many points (a longer history is thinned evenly); the
#: curve is about 300 px wide, so this is more than one point per pixel.
MAX_CURVE = 600


def extent(X: np.ndarray, X_test: np.ndarray) -> list[float]:
    """``[x_min, x_max, y_min, y_max]`` (2-D) or ``[x_min, x_max]`` (1-D) around the data."""
    both = np.hstack([X, X_test])
    lo, hi = both.min(axis=1), both.max(axis=1)
    pad = 0.1 * np.maximum(hi - lo, 1e-9)
    out: list[float] = []
    for a, b in zip(lo - pad, hi + pad, strict=True):
        out += [float(a), float(b)]
    return out


def boundary(net: MLP, box: list[float], targets: str) -> dict[str, Any]:
    """The network's prediction on a GRID × GRID grid over ``box`` (2-D inputs only).

    ``score`` (float32, row 0 at the top) lies in [−1, 1]: for two classes it is the output
    moved so that the decision threshold is 0; for several classes it is the confidence of
    the winning class, and ``cls`` (uint8) says which class wins.
    """
    P = _grid(tuple(box))
    with np.errstate(all="ignore"):  # one batched forward pass over the grid, no σ′ needed
        z = net._forward_arrays(P, need_dsigma=False)[1][-1]
    if z.shape[0] == 1:
        out = z[0]
        score = np.clip(out if targets == "signed" else 2.0 * out - 1.0, -1.0, 1.0)
        cls = (score > 0).astype(np.uint8)
    else:
        cls = np.argmax(z, axis=0).astype(np.uint8)
        top = np.max(z, axis=0)
        score = np.clip(top / max(float(np.max(np.abs(z))), 1e-12), 0.0, 1.0)
    score = np.nan_to_num(score, nan=0.0)
    return {
        "kind": "binary" if z.shape[0] == 1 else "classes",
        "score": pack(score.reshape(GRID, GRID), "float32"),
        "cls": pack(cls.reshape(GRID, GRID), "uint8"),
    }


@functools.lru_cache(maxsize=4)
def _grid(box: tuple[float, ...]) -> np.ndarray:
    """The GRID × GRID points over ``box`` as columns (built once per box; read-only)."""
    x0, x1, y0, y1 = box
    xs = np.linspace(x0, x1, GRID)
    ys = np.linspace(y1, y0, GRID)  # top row first, as an image
    gx, gy = np.meshgrid(xs, ys)
    P = np.ascontiguousarray(np.vstack([gx.ravel(), gy.ravel()]))
    P.flags.writeable = False
    return P


def curve(net: MLP, box: list[float]) -> dict[str, Any]:
    """The fitted function on 200 points across ``box`` (1-D inputs, one output)."""
    xs = np.linspace(box[0], box[1], 200)
    with np.errstate(all="ignore"):
        z = net.forward(xs[None, :]).output[0]
    return {"x": pack(xs, "float32"), "y": pack(np.nan_to_num(z), "float32")}


def points(gd: GradientDescent) -> dict[str, Any]:
    """The samples to draw: coordinates, and the class of each (or its target, regression)."""
    X, Y, X_test, Y_test = gd.data
    if gd.targets == "regression":
        c, c_test = Y[0], Y_test[0]
        dtype = "float32"
    else:
        c, c_test = classes_of(Y, gd.targets), classes_of(Y_test, gd.targets)
        dtype = "uint8"
    return {
        "X": pack(X[:2], "float32"),
        "X_test": pack(X_test[:2], "float32") if X_test.shape[1] else EMPTY,
        "c": pack(c, dtype),
        "c_test": pack(c_test, dtype) if X_test.shape[1] else EMPTY,
        "classes": int(np.max(c)) + 1 if dtype == "uint8" else 0,
    }


def history(gd: GradientDescent) -> dict[str, Any]:
    """The loss curve: steps and mean losses, thinned to at most MAX_CURVE points."""
    step, train, test = gd.curve(MAX_CURVE)
    return {
        "step": pack(step, "int32"),
        "train": pack(train, "float32"),
        "test": pack(test, "float32") if test.size else EMPTY,
    }
