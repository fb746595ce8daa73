"""Reading target encodings back: which encoding a target matrix uses (``"binary"``,
``"signed"``, ``"onehot"`` or ``"regression"``, see :mod:`backprop_widgets.datasets`), and the
class each column of outputs or targets stands for.

Plain numpy; re-exported from :mod:`backprop_widgets.training`, whose accuracy and predictions
use them.
"""

from __future__ import annotations

import numpy as np

__all__ = ["classes_of", "infer_targets"]


def infer_targets(Y: np.ndarray) -> str:
    """How a target matrix encodes classes: ``"binary"`` (one 0/1 row), ``"signed"`` (one ±1
    row), ``"onehot"`` (several rows, one 1 per column), else ``"regression"``."""
    if Y.shape[0] == 1:
        values = set(np.unique(Y).tolist())
        if values <= {0.0, 1.0}:
            return "binary"
        if values <= {-1.0, 1.0}:
            return "signed"
        return "regression"
    if np.all((Y == 0.0) | (Y == 1.0)) and np.all(Y.sum(axis=0) == 1.0):
        return "onehot"
    return "regression"


def classes_of(Z: np.ndarray, targets: str) -> np.ndarray:
    """The class (0-based) each column of outputs or targets stands for."""
    if targets == "onehot" or Z.shape[0] > 1:
        return np.argmax(Z, axis=0)
    threshold = 0.0 if targets == "signed" else 0.5
    return (Z[0] > threshold).astype(np.int64)
