"""The one colour-scale rule of every heatmap: the explorer's, the diagram's and ``plots.py``'s.

Signed maps use a diverging colour map centred on zero, from ``-limit`` to ``+limit``. The rule
for a gradient check of one layer (a ``gradcheck`` LayerCheck):

- the analytic and the numeric map share one limit: the largest finite |value| of the analytic
  gradient and of the numeric entries **not** flagged at a kink;
- the difference map (analytic − numeric): the largest finite |difference| of the unflagged
  entries;
- the relative-error map runs from 0 to the larger of ``rtol`` and the largest unflagged
  relative error, so errors well below the tolerance look pale.

Entries flagged at a kink say nothing about σ′ (the difference quotient straddles the kink), so
they never set a scale; they are drawn clamped and crossed out. A layer with a bias draws
∂E/∂W⁽ℓ⁾ and ∂E/∂b⁽ℓ⁾ on one scale: :func:`shared_limits` takes, for each map, the larger of
the two checks' limits. Plain numpy, no Jupyter.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

__all__ = ["KINDS", "Limits", "gradcheck_limits", "shared_limits", "symmetric_limit"]

#: What the third heatmap of a layer can show: analytic − numeric, or the relative error.
KINDS = ("difference", "relative")


def symmetric_limit(*arrays: np.ndarray | None) -> float:
    """The largest finite |value| over the arrays (1.0 when they are all zero or empty)."""
    best = 0.0
    for a in arrays:
        if a is None or np.size(a) == 0:
            continue
        finite = np.abs(np.asarray(a, dtype=np.float64))
        finite = finite[np.isfinite(finite)]
        if finite.size:
            best = max(best, float(finite.max()))
    return best if best > 0.0 else 1.0


def _unflagged(values: np.ndarray, kink: np.ndarray) -> np.ndarray:
    """The entries not flagged at a kink (all of them when every entry is flagged)."""
    return values[~kink] if (~kink).any() else values


@dataclass(frozen=True)
class Limits:
    """The colour limits of one layer's maps (see the module docstring)."""

    values: float
    difference: float
    relative: float


def gradcheck_limits(check: Any) -> Limits:
    """The colour limits of a LayerCheck's analytic | numeric | difference | relative maps."""
    analytic = np.asarray(check.analytic, dtype=np.float64)
    numeric = np.asarray(check.numeric, dtype=np.float64)
    kink = np.asarray(check.kink, dtype=bool)
    relative = _unflagged(np.asarray(check.rel_error, dtype=np.float64), kink)
    finite = relative[np.isfinite(relative)]
    top = max(float(check.rtol), float(finite.max()) if finite.size else 0.0)
    return Limits(
        values=symmetric_limit(analytic, _unflagged(numeric, kink)),
        difference=symmetric_limit(_unflagged(analytic - numeric, kink)),
        relative=top if top > 0.0 else 1.0,
    )


def shared_limits(*checks: Any) -> Limits:
    """One set of limits for several checks drawn side by side (W⁽ℓ⁾'s and b⁽ℓ⁾'s): for each
    map, the largest of the checks' :func:`gradcheck_limits`."""
    limits = [gradcheck_limits(c) for c in checks]
    return Limits(
        values=max(x.values for x in limits),
        difference=max(x.difference for x in limits),
        relative=max(x.relative for x in limits),
    )
