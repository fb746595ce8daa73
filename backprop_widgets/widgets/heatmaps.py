"""The analytic | numeric | difference heatmaps of ∂E/∂W⁽ℓ⁾, packed for the front end.

Nothing here computes a derivative: the analytic gradient comes from the Δ recursion
(:meth:`backprop_widgets.MLP.backward`), the finite differences, their errors and the kink
flags from :func:`backprop_widgets.gradcheck`. This module only arranges those arrays, layer by
layer, as binary buffers (:func:`~backprop_widgets.widgets._buffers.pack`) together with the
colour limits the front end draws them with, so that ``js/explorer.js`` does no arithmetic
beyond mapping a value to a colour.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np

from .._colorscale import KINDS, shared_limits, symmetric_limit
from ._buffers import pack

__all__ = ["KINDS", "layer_payload", "report_payload", "stale_payload", "symmetric_limit"]


def layer_payload(layer: int, check: Any, bias_check: Any = None) -> dict[str, Any]:
    """One layer's heatmaps from a ``gradcheck`` LayerCheck (and its bias's, if any).

    Parameters
    ----------
    layer : int
        ℓ (1..L).
    check : LayerCheck
        ``report.layer(ℓ)``: ``.analytic``, ``.numeric``, ``.abs_error``, ``.rel_error``,
        ``.kink`` (bool mask), ``.ok``, ``.max_rel_error``.
    bias_check : LayerCheck, optional
        ``report.bias_layer(ℓ)`` for a network with biases: its maps, one column (n(ℓ), 1),
        go under ``"bias"`` with the same keys, drawn on the SAME colour limits as W's
        (:func:`~backprop_widgets._colorscale.shared_limits` over both checks).

    Returns
    -------
    dict
        ``layer``, ``shape`` [n(ℓ), n(ℓ−1)], ``stale`` (False), packed ``analytic``,
        ``numeric``, ``difference`` (analytic − numeric), ``relative``, ``kink`` (uint8), the
        limits ``scale`` (shared by analytic and numeric), ``difference_scale``,
        ``relative_scale`` (the rule of :mod:`backprop_widgets._colorscale`, also used by
        ``plots.py``: entries flagged at a kink never set a scale), and the summary ``ok``,
        ``max_rel_error``, ``max_abs_error``, ``kinks`` (how many entries were flagged);
        ``bias``: None, or b⁽ℓ⁾'s payload (its ``shape`` [n(ℓ), 1], ``param`` "b").
    """
    checks = (check,) if bias_check is None else (check, bias_check)
    out = _maps(layer, check, shared_limits(*checks))
    out["bias"] = None if bias_check is None else _maps(layer, bias_check, shared_limits(*checks))
    if bias_check is not None:
        out["bias"]["param"] = "b"
    return out


def _maps(layer: int, check: Any, limits: Any) -> dict[str, Any]:
    """The packed maps of one check, drawn with the given limits."""
    analytic = np.asarray(check.analytic, dtype=np.float64)
    numeric = np.asarray(check.numeric, dtype=np.float64)
    difference = analytic - numeric
    relative = np.asarray(check.rel_error, dtype=np.float64)
    kink = np.asarray(check.kink, dtype=bool)
    abs_error = np.asarray(check.abs_error, dtype=np.float64)
    return {
        "layer": int(layer),
        "shape": [int(s) for s in analytic.shape],
        "stale": False,
        "analytic": pack(analytic),
        "numeric": pack(numeric),
        "difference": pack(difference),
        "relative": pack(relative),
        "kink": pack(kink, "uint8"),
        "scale": limits.values,
        "difference_scale": limits.difference,
        "relative_scale": limits.relative,
        "ok": bool(check.ok),
        "max_rel_error": _finite_or_none(check.max_rel_error),
        "max_abs_error": _finite_or_none(abs_error.max() if abs_error.size else 0.0),
        "kinks": int(kink.sum()),
        "param": "W",
    }


def stale_payload(
    layer: int, analytic: np.ndarray, bias_analytic: np.ndarray | None = None
) -> dict[str, Any]:
    """A layer whose finite differences are still being computed.

    The analytic heatmap is current; the numeric and difference heatmaps carry no numbers at
    all (``stale`` is True), so nothing old can be mistaken for a fresh result.
    """
    a = np.asarray(analytic, dtype=np.float64)
    b = None if bias_analytic is None else np.asarray(bias_analytic, dtype=np.float64)
    out = _stale_maps(layer, a, symmetric_limit(a, b))
    out["bias"] = None if b is None else {**_stale_maps(layer, b.reshape(-1, 1), out["scale"])}
    if b is not None:
        out["bias"]["param"] = "b"
    return out


def _stale_maps(layer: int, a: np.ndarray, scale: float) -> dict[str, Any]:
    empty = pack(np.zeros((0,)))
    return {
        "layer": int(layer),
        "shape": [int(s) for s in a.shape],
        "stale": True,
        "analytic": pack(a),
        "numeric": empty,
        "difference": empty,
        "relative": empty,
        "kink": pack(np.zeros((0,)), "uint8"),
        "scale": scale,
        "difference_scale": 1.0,
        "relative_scale": 1.0,
        "ok": None,
        "max_rel_error": None,
        "max_abs_error": None,
        "kinks": 0,
        "param": "W",
    }


def report_payload(report: Any, layers: Iterable[int]) -> list[dict[str, Any]]:
    """:func:`layer_payload` for each of ``layers`` of a gradcheck report."""
    biases = {c.layer: c for c in getattr(report, "bias_layers", [])}
    return [layer_payload(ell, report.layer(ell), biases.get(ell)) for ell in layers]


def _finite_or_none(value: object) -> float | None:
    v = float(value)  # type: ignore[arg-type]
    return v if np.isfinite(v) else None
