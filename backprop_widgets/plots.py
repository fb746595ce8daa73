"""Static matplotlib figures of the finite-difference checks (for print, PDFs and ``to_figure()``).

Nothing in the numerical core imports this module; ``backprop_widgets.plots`` loads it (and
matplotlib) on first use. Every function returns a :class:`matplotlib.figure.Figure` made
without pyplot, so nothing is drawn twice in a notebook and no global state changes.

Colours: signed quantities use a diverging colour map centred on zero ("RdBu_r", readable with
the common colour-vision deficiencies); analytic and numeric gradients of a layer share one
symmetric colour scale, so equal colours mean equal numbers.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np
from matplotlib.figure import Figure

from ._colorscale import KINDS, shared_limits
from ._fd import EPS, check_layers

__all__ = ["plot_gradcheck", "plot_remainder", "plot_step_sweep"]

DIVERGING = "RdBu_r"
SEQUENTIAL = "viridis"
_METHOD_STYLE = {
    "forward": {"color": "#E69F00", "marker": "o", "ls": "-"},  # Okabe–Ito orange
    "central": {"color": "#0072B2", "marker": "s", "ls": "-"},  # blue
    "complex": {"color": "#009E73", "marker": "^", "ls": "-"},  # bluish green
}


def _new_figure(**kwargs: Any) -> Figure:
    """A pyplot-free Figure that a notebook still shows as a picture.

    IPython only knows how to draw a Figure once an inline backend registered its formatter,
    which happens when pyplot is imported, not when a bare ``Figure`` is made. So, inside
    IPython and only where nothing else claimed the type, register a PNG formatter for
    ``Figure``: the figure then appears in the notebook and in HTML/PDF exports.
    """
    _register_notebook_formatter()
    return Figure(**kwargs)


def _register_notebook_formatter() -> None:
    try:
        from IPython import get_ipython
        from IPython.core.pylabtools import print_figure
    except ImportError:  # pragma: no cover - IPython is a dependency of ipywidgets
        return
    shell = get_ipython()
    if shell is None:
        return
    png = shell.display_formatter.formatters["image/png"]
    if Figure in png.type_printers:
        return
    png.for_type(Figure, lambda fig: print_figure(fig, "png", bbox_inches="tight"))


def _pair_limits(*checks: Any) -> tuple[float, float, float]:
    """The colour limits (values, difference, relative) shared by W⁽ℓ⁾'s check and b⁽ℓ⁾'s:
    :func:`~backprop_widgets._colorscale.shared_limits`, the explorer's rule."""
    limits = shared_limits(*checks)
    return (limits.values, limits.difference, limits.relative)


def _integer_ticks(ax: Any, shape: tuple[int, ...]) -> None:
    """Row and column ticks labelled as the text counts them: i and j from 1."""
    for n, axis in zip(shape, (ax.yaxis, ax.xaxis), strict=True):
        step = max(1, int(np.ceil(n / 8)))
        positions = list(range(0, n, step))
        axis.set_ticks(positions)
        axis.set_ticklabels([str(k + 1) for k in positions])


def _mark(ax: Any, mask: np.ndarray, **style: Any) -> None:
    i, j = np.nonzero(mask)
    if i.size:
        ax.scatter(j, i, **style)


def plot_gradcheck(
    report_or_layercheck: Any,
    *,
    layers: Iterable[int] | None = None,
    kind: str = "difference",
) -> Figure:
    """Heatmaps of a gradient check: per layer ℓ a row analytic | numeric | difference.

    The static twin of the explorer's heatmaps (``BackpropExplorer.to_figure`` calls it).
    For a network with biases each panel of W⁽ℓ⁾ has b⁽ℓ⁾'s one-column heatmap beside it, on
    the same colour scale (one rule, :func:`_pair_limits`, over W's and b's entries).

    Parameters
    ----------
    report_or_layercheck : GradcheckReport or LayerCheck
    layers : iterable of int, optional
        The layers ℓ to draw (among the checked ones); all checked layers by default.
    kind : {"difference", "relative"}
        The third panel: analytic − numeric on a diverging scale, or the relative error on a
        sequential one (its colour bar is marked at rtol).

    Kink-flagged entries are marked ×; failing entries are outlined in black.
    """
    if kind not in KINDS:
        raise ValueError(f"kind: must be one of {', '.join(map(repr, KINDS))}, got {kind!r}")
    if hasattr(report_or_layercheck, "layers"):
        checks = list(report_or_layercheck.layers)
        method = report_or_layercheck.method
        biases = {c.layer: c for c in getattr(report_or_layercheck, "bias_layers", [])}
    elif hasattr(report_or_layercheck, "analytic") and hasattr(report_or_layercheck, "kink"):
        checks, method, biases = [report_or_layercheck], "", {}
    else:
        raise TypeError(
            "report_or_layercheck: expected a GradcheckReport or a LayerCheck, got "
            f"{type(report_or_layercheck).__name__}"
        )
    if layers is not None:
        available = [c.layer for c in checks]
        wanted = check_layers(layers, max(available))
        missing = [ell for ell in wanted if ell not in available]
        if missing:
            raise ValueError(
                f"layers: layer {missing[0]} was not checked; checked layers: "
                f"{', '.join(map(str, available))}"
            )
        checks = [c for c in checks if c.layer in wanted]

    rows = len(checks)
    with_b = bool(biases) and all(c.layer in biases for c in checks)
    width = 13 if with_b else 11
    fig = _new_figure(figsize=(width, 2.8 * rows + 0.4), layout="constrained")
    if with_b:
        ratios = [max(c.shape[1] for c in checks), 1] * 3
        grid = fig.subplots(rows, 6, squeeze=False, gridspec_kw={"width_ratios": ratios})
    else:
        grid = fig.subplots(rows, 3, squeeze=False)
    numeric_title = f"numeric ({method})" if method else "numeric"
    for row_axes, c in zip(grid, checks, strict=True):
        ell = c.layer
        cb = biases.get(ell) if with_b else None
        row = list(row_axes[::2]) if with_b else list(row_axes)
        brow = list(row_axes[1::2]) if with_b else []
        pairs = [(c, row)] + ([(cb, brow)] if cb is not None else [])
        both = [x for x in (c, cb) if x is not None]
        lim, dlim, top = _pair_limits(*both)
        shared = {"cmap": DIVERGING, "vmin": -lim, "vmax": lim, "aspect": "auto"}
        for x, axes in pairs:
            axes[0].imshow(x.analytic, **shared)
            im = axes[1].imshow(x.numeric, **shared)
        fig.colorbar(
            im,
            ax=list(row_axes[: 4 if with_b else 2]),
            label="∂E/∂w, ∂E/∂b" if with_b else "∂E/∂w",
            shrink=0.9,
        )
        row[0].set_title(f"ℓ = {ell}: analytic ∂E/∂W({ell})")
        row[1].set_title(f"ℓ = {ell}: {numeric_title}")
        third = list(row_axes[4:]) if with_b else [row[2]]
        if kind == "difference":
            diffs = [x.analytic - x.numeric for x in both]  # the explorer's heatmap's sign
            for (_x, axes), d in zip(pairs, diffs, strict=True):
                im = axes[2].imshow(d, cmap=DIVERGING, vmin=-dlim, vmax=dlim, aspect="auto")
            row[2].set_title(f"ℓ = {ell}: analytic − numeric")
            fig.colorbar(im, ax=third, label="difference", shrink=0.9)
        else:
            rels = [np.where(x.kink, np.nan, x.rel_error) for x in both]
            for (_x, axes), r in zip(pairs, rels, strict=True):
                im = axes[2].imshow(r, cmap=SEQUENTIAL, vmin=0.0, vmax=top, aspect="auto")
            row[2].set_title(f"ℓ = {ell}: relative error")
            bar = fig.colorbar(im, ax=third, label="relative error", shrink=0.9)
            bar.ax.axhline(c.rtol, color="red", lw=1.5)
        for x, axes in pairs:
            for ax in axes:
                _integer_ticks(ax, x.analytic.shape)
                if x.param == "b":
                    ax.set_title(f"b({ell})", fontsize="small")
                    ax.set_xticks([0], ["b"])
                else:
                    ax.set_xlabel("j (unit of layer ℓ − 1)")
                    ax.set_ylabel("i (unit of layer ℓ)")
                _mark(ax, x.kink, marker="x", color="black", s=40, linewidths=1.5, label="kink")
                _mark(ax, x.failures, marker="s", facecolors="none", edgecolors="black", s=90)
    verdict = ""
    if hasattr(report_or_layercheck, "ok"):
        verdict = "PASS" if report_or_layercheck.ok else "FAIL"
    fig.suptitle(f"Gradient check {verdict}  (× = kink, flagged; □ = failing entry)")
    return fig


def plot_step_sweep(sweep: Any) -> Figure:
    """Error against the step h on log-log axes, one line per method.

    Dotted reference lines: slope 1 through the forward errors and slope 2 through the central
    errors at the largest step ≤ 1e-2 (their truncation errors), and the round-off estimate
    ε·S/h. Zero errors (the complex step is often exact) are left out.
    """
    if not hasattr(sweep, "h") or not hasattr(sweep, "errors"):
        raise TypeError(f"sweep: expected a StepSweep, got {type(sweep).__name__}")
    h = np.asarray(sweep.h, dtype=float)
    fig = _new_figure(figsize=(6.5, 4.5), layout="constrained")
    ax = fig.subplots()
    positive: list[np.ndarray] = []
    for method, err in sweep.errors.items():
        e = np.asarray(err, dtype=float)
        e = np.where(e > 0, e, np.nan)
        positive.append(e[np.isfinite(e)])
        ax.loglog(h, e, label=method, **_METHOD_STYLE.get(method, {}))
    values = np.concatenate(positive) if positive else np.array([])
    small = np.flatnonzero(h <= 1e-2)
    k = int(small[np.argmax(h[small])]) if small.size else int(np.argmin(h))
    for method, power, text in (("forward", 1, "∝ h"), ("central", 2, "∝ h²")):
        e = np.asarray(sweep.errors.get(method, []), dtype=float)
        if e.size and e[k] > 0:
            color = _METHOD_STYLE[method]["color"]
            ax.loglog(h, e[k] * (h / h[k]) ** power, color=color, ls=":", lw=1, label=text)
    scale = float(getattr(sweep, "scale", 0.0))
    if scale > 0:
        ax.loglog(h, EPS * scale / h, color="grey", ls="--", lw=1, label="round-off ε·S/h")
    if values.size:
        ax.set_ylim(max(values.min() / 10, EPS**2), values.max() * 10)
    ax.set_xlabel("step h")
    ax.set_ylabel("|finite difference − analytic|")
    layer = getattr(sweep, "layer", None)
    where = f" for w_ij, ℓ = {layer}, (i, j) = ({sweep.i}, {sweep.j})" if layer else ""
    if layer and getattr(sweep, "param", "W") == "b":
        where = f" for b_i, ℓ = {layer}, i = {sweep.i}"
    ax.set_title(f"Truncation against round-off{where}")
    ax.legend(fontsize="small")
    ax.grid(True, which="major", alpha=0.3)
    return fig


def plot_remainder(remainder: Any) -> Figure:
    """The Fréchet remainder r(t) on log-log axes with a slope-1 reference line.

    Points used for the fitted slope are filled; the dashed line is the round-off estimate.
    """
    if not hasattr(remainder, "t") or not hasattr(remainder, "r"):
        raise TypeError(f"remainder: expected a Remainder, got {type(remainder).__name__}")
    t = np.asarray(remainder.t, dtype=float)
    r = np.asarray(remainder.r, dtype=float)
    shown = np.where(r > 0, r, np.nan)
    fit = np.asarray(getattr(remainder, "fit", np.zeros_like(t, dtype=bool)))
    fig = _new_figure(figsize=(6.5, 4.5), layout="constrained")
    ax = fig.subplots()
    ax.loglog(t, shown, color="#0072B2", marker="o", mfc="none", label="r(t)")
    if np.any(fit):
        ax.loglog(t[fit], r[fit], ls="none", marker="o", color="#0072B2", label="fitted")
        k = int(np.flatnonzero(fit)[len(np.flatnonzero(fit)) // 2])
        ax.loglog(t, r[k] * t / t[k], color="grey", ls=":", label="slope 1")
    floor = getattr(remainder, "floor", None)
    if floor is not None:
        ax.loglog(t, floor, color="#D55E00", ls="--", lw=1, label="round-off ε·S/‖tH‖")
    finite = shown[np.isfinite(shown)]
    if finite.size:
        ax.set_ylim(finite.min() / 10, finite.max() * 10)
    ax.set_xlabel("t")
    ax.set_ylabel("|E(W + tH) − E(W) − DE(W)(tH)| / ‖tH‖")
    ax.set_title(f"Fréchet remainder: fitted slope {remainder.slope:.2f}")
    ax.legend(fontsize="small")
    ax.grid(True, which="major", alpha=0.3)
    return fig
