"""Finite-difference checks of the gradients ∂E/∂W⁽ℓ⁾ that the Δ recursion computes.

:func:`gradcheck` compares, entry by entry, the analytic gradient Δ⁽ℓ⁾ z⁽ℓ−1⁾ᵀ with a
finite-difference quotient of E, for three methods:

========  =========================================  ================  ======  =====
method    quotient                                   error             h       rtol
========  =========================================  ================  ======  =====
forward   (E(w + h) − E(w)) / h                      O(h) + O(ε/h)     √ε/s    1e-4
central   (E(w + h) − E(w − h)) / 2h                 O(h²) + O(ε/h)    ε^⅓/s   1e-5
complex   Im E(w + ih) / h                           O(h²) + O(ε)      1e-20   1e-8
========  =========================================  ================  ======  =====

(ε is the float64 machine epsilon, s = max(1, max |z⁽ℓ−1⁾|) over the checked layers: a step h
in w_ij moves u_i⁽ℓ⁾ by h·z_j⁽ℓ−1⁾, so dividing by s keeps that move at most √ε or ε^⅓.)

Tolerances, from the error model. An entry passes when ``|numeric − analytic| ≤ atol +
rtol·|analytic|``. The default ``rtol`` is the method's typical relative error (ε^⅔ ≈ 4e-11,
√ε ≈ 1.5e-8, a few ε) times a wide margin for badly scaled curvature: on 400 random networks
(L ≤ 5, every activation, weights and inputs up to 3× their usual size) the largest error was
1/1000 of ``rtol`` for central, 1/160 for forward and 1/500 for complex. A wrong σ′ (off by a
factor, a sign, or on one side of 0) gives relative errors of order 1 and fails.

Because a finite difference of E has the same *absolute* error for a small entry as for a
large one, the default ``atol`` of layer ℓ is

    atol⁽ℓ⁾ = rtol · G⁽ℓ⁾ + c·ε·S/h      (c·ε·S for the complex step),

the relative tolerance scaled by the layer's gradient G⁽ℓ⁾ (the largest |analytic| or
unflagged |numeric| entry of the layer) plus the round-off floor, where
S = E + Σ|z⁽ᴸ⁾ − y||z⁽ᴸ⁾| is the size of the terms whose rounding reaches E and c = 10³.
The reported relative error is ``|numeric − analytic| / (|analytic| + atol/rtol)``, so an entry
passes exactly when its relative error is at most ``rtol``.

Kinks. An entry whose stencil moves a pre-activation of a relu/leaky_relu unit (any
activation with ``kinks``), in layer ℓ or above, onto or across the kink is *flagged*: the
quotient then mixes two one-sided slopes, so it says nothing about σ′. Flagged entries are
shown but neither fail the check nor count in ``max_rel_error``.

All of one layer's perturbations run as one batched pass (see :mod:`backprop_widgets._fd`).
The directional check of the pieces (C1)–(C3), the Fréchet remainder and the step-size sweep
live in :mod:`backprop_widgets._fd_studies` and are re-exported here.

Plain numpy: nothing here imports Jupyter or matplotlib.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import numpy as np

from . import _fd
from ._checks import layer_number
from ._fd_studies import (
    DirectionalCheck,
    Remainder,
    StepSweep,
    check_piece,
    directional_check,
    frechet_remainder,
    step_sweep,
)
from .network import MLP

__all__ = [
    "DirectionalCheck",
    "GradcheckReport",
    "LayerCheck",
    "Remainder",
    "StepSweep",
    "check_piece",
    "directional_check",
    "frechet_remainder",
    "gradcheck",
    "numeric_gradient",
    "step_sweep",
]


@dataclass(frozen=True, eq=False)
class LayerCheck:
    """The comparison for one layer ℓ: arrays of the shape of W⁽ℓ⁾ (0-based indices).

    For a bias (``param == "b"``) the arrays are one column, shape (n(ℓ), 1), so that b⁽ℓ⁾'s
    check draws as a one-column heatmap beside W⁽ℓ⁾'s; ``worst`` is then (i, 0).
    """

    layer: int
    activation: str  # σ⁽ℓ⁾'s name, or "mixed"
    analytic: np.ndarray
    numeric: np.ndarray
    abs_error: np.ndarray
    rel_error: np.ndarray
    kink: np.ndarray
    rtol: float
    atol: float
    param: str = "W"  # "W" for ∂E/∂W⁽ℓ⁾, "b" for ∂E/∂b⁽ℓ⁾

    @property
    def name(self) -> str:
        """``"W(ℓ)"`` or ``"b(ℓ)"``."""
        return f"{self.param}({self.layer})"

    @property
    def shape(self) -> tuple[int, int]:
        return self.analytic.shape  # type: ignore[return-value]

    @property
    def n_kinks(self) -> int:
        return int(np.count_nonzero(self.kink))

    @property
    def max_abs_error(self) -> float:
        """The largest |numeric − analytic| over the entries that are not flagged as kinks."""
        return _masked_max(self.abs_error, ~self.kink)

    @property
    def max_rel_error(self) -> float:
        """The largest relative error over the entries that are not flagged as kinks."""
        return _masked_max(self.rel_error, ~self.kink)

    @property
    def failures(self) -> np.ndarray:
        """Boolean mask of the failing entries (not flagged, relative error above rtol)."""
        return ~self.kink & ~(self.rel_error <= self.rtol)

    @property
    def ok(self) -> bool:
        return not bool(np.any(self.failures))

    @property
    def worst(self) -> tuple[int, int] | None:
        """(i, j), 0-based, of the unflagged entry with the largest relative error."""
        if np.all(self.kink):
            return None
        masked = np.where(self.kink, -np.inf, np.nan_to_num(self.rel_error, nan=np.inf))
        i, j = np.unravel_index(int(np.argmax(masked)), self.shape)
        return int(i), int(j)


def _masked_max(values: np.ndarray, mask: np.ndarray) -> float:
    if not np.any(mask):
        return 0.0
    v = values[mask]
    return float("nan") if np.any(np.isnan(v)) else float(np.max(v))


@dataclass(frozen=True, eq=False)
class GradcheckReport:
    """What :func:`gradcheck` found: one :class:`LayerCheck` per checked layer, in order, for
    the weights (``layers``) and, for a network with biases, for the biases
    (``bias_layers``, empty otherwise)."""

    method: str
    h: float
    rtol: float
    atol: float  # the largest absolute tolerance used (each layer's is in LayerCheck.atol)
    layers: list[LayerCheck]
    bias_layers: list[LayerCheck] = field(default_factory=list)

    @property
    def checks(self) -> list[LayerCheck]:
        """Every check: W⁽ℓ⁾ then b⁽ℓ⁾ for each checked layer ℓ."""
        out = []
        biases = {c.layer: c for c in self.bias_layers}
        for c in self.layers:
            out.append(c)
            if c.layer in biases:
                out.append(biases[c.layer])
        return out

    @property
    def ok(self) -> bool:
        return all(c.ok for c in self.checks)

    @property
    def max_rel_error(self) -> float:
        return max(c.max_rel_error for c in self.checks)

    def layer(self, ell: int) -> LayerCheck:
        """The check of layer ℓ (must be one of the checked layers)."""
        for c in self.layers:
            if c.layer == ell:
                return c
        checked = ", ".join(str(c.layer) for c in self.layers)
        raise ValueError(f"ell: layer {ell!r} was not checked; checked layers: {checked}")

    def bias_layer(self, ell: int) -> LayerCheck:
        """The check of b⁽ℓ⁾ (the network must have biases, and ℓ must have been checked)."""
        for c in self.bias_layers:
            if c.layer == ell:
                return c
        if not self.bias_layers:
            raise ValueError("ell: no biases were checked (the network has none)")
        checked = ", ".join(str(c.layer) for c in self.bias_layers)
        raise ValueError(f"ell: b({ell!r}) was not checked; checked layers: {checked}")

    @property
    def failed_layers(self) -> list[int]:
        """The layer numbers ℓ where W⁽ℓ⁾'s or b⁽ℓ⁾'s check failed."""
        return sorted({c.layer for c in self.checks if not c.ok})

    def _rows(self) -> list[list[str]]:
        rows = []
        with_b = bool(self.bias_layers)
        for c in self.checks:
            rows.append(
                [
                    f"{c.layer} {c.param}" if with_b else str(c.layer),
                    c.activation,
                    f"{c.shape[0]}×{c.shape[1]}" if c.param == "W" else f"{c.shape[0]}",
                    f"{c.max_abs_error:.2e}",
                    f"{c.max_rel_error:.2e}",
                    str(c.n_kinks),
                    "PASS" if c.ok else "FAIL",
                ]
            )
        return rows

    def _summary(self) -> str:
        failed = [c for c in self.checks if not c.ok]
        names = [str(c.layer) if c.param == "W" else f"{c.layer} (b)" for c in failed]
        verdict = "PASS" if self.ok else "FAIL in layer " + ", ".join(names)
        return (
            f"gradcheck ({self.method}, h = {self.h:.1e}, rtol = {self.rtol:.0e}): {verdict}; "
            f"max relative error {self.max_rel_error:.2e}"
        )

    def __str__(self) -> str:
        header = ["layer", "σ", "shape", "max abs err", "max rel err", "kinks", "result"]
        rows = [header, *self._rows()]
        widths = [max(len(r[k]) for r in rows) for k in range(len(header))]
        lines = [self._summary()]
        for n, r in enumerate(rows):
            lines.append("  ".join(cell.ljust(w) for cell, w in zip(r, widths, strict=True)))
            if n == 0:
                lines.append("  ".join("-" * w for w in widths))
        if any(c.n_kinks for c in self.checks):
            lines.append("kinks: entries whose stencil crosses a kink; flagged, not failed")
        return "\n".join(lines)

    def __repr__(self) -> str:
        return f"<GradcheckReport {self._summary()}>"

    def _repr_html_(self) -> str:
        esc = html.escape
        head = "".join(
            f"<th>{esc(h)}</th>"
            for h in ["layer ℓ", "σ", "shape", "max abs err", "max rel err", "kinks", "result"]
        )
        body = []
        for row in self._rows():
            color = "#1a7f37" if row[-1] == "PASS" else "#cf222e"
            cells = "".join(f"<td>{esc(cell)}</td>" for cell in row[:-1])
            cells += f'<td style="color:{color};font-weight:bold">{esc(row[-1])}</td>'
            body.append(f"<tr>{cells}</tr>")
        return (
            f'<div class="bpw-gradcheck"><p>{esc(self._summary())}</p>'
            f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table></div>"
        )


def gradcheck(
    net: MLP,
    x: object,
    y: object,
    *,
    method: str = "central",
    h: float | None = None,
    rtol: float | None = None,
    atol: float | None = None,
    layers: Iterable[int] | None = None,
    progress: Callable[[float], None] | None = None,
    biases: bool = True,
) -> GradcheckReport:
    """Check every ∂E/∂W⁽ℓ⁾ = Δ⁽ℓ⁾ z⁽ℓ−1⁾ᵀ (and ∂E/∂b⁽ℓ⁾ = Δ⁽ℓ⁾) against finite differences
    of E — of the network's own loss and reduction.

    Parameters
    ----------
    net : MLP
    x, y : arrays
        One sample (shapes (n(0),), (n(L),)) or a batch of B columns.
    method : {"central", "forward", "complex"}
        The quotient (see the module docstring). "complex" needs every activation from the
        first checked layer on to have ``complex_step=True``.
    h : float, optional
        The step; by default √ε/s (forward), ε^⅓/s (central) or 1e-20 (complex).
    rtol, atol : float, optional
        Tolerances; by default from the error model (module docstring).
    layers : iterable of int, optional
        The layer numbers ℓ (1..L) to check; all by default.
    progress : callable, optional
        Called with the fraction done (0..1) as chunks of perturbations finish.
    biases : bool
        For a network with biases, also check ∂E/∂b⁽ℓ⁾ (the default); the report's
        ``bias_layers`` hold those checks. Ignored without biases.

    Returns
    -------
    GradcheckReport

    Examples
    --------
    >>> from backprop_widgets import MLP
    >>> net = MLP([3, 4, 2], "tanh", seed=0)
    >>> gradcheck(net, [1.0, -0.5, 2.0], [0.1, 0.2]).ok
    True
    """
    net = _fd.check_net(net)
    method = _fd.check_method(method)
    checked = _fd.check_layers(layers, net.L)
    if h is not None:
        h = _fd.check_positive(h, argument="h")
    rtol = _fd.RTOL[method] if rtol is None else _fd.check_positive(rtol, argument="rtol")
    if atol is not None:
        atol = _fd.check_positive(atol, argument="atol", allow_zero=True)
    if progress is not None and not callable(progress):
        raise TypeError(f"progress: expected a callable(fraction) or None, got {progress!r}")
    if method == "complex":
        _fd.check_complex_safe(net, min(checked))
    if not isinstance(biases, (bool, np.bool_)):
        raise TypeError(f"biases: expected True or False, got {biases!r}")
    xx, yy = net.check_xy(x, y)

    back = net.backward(xx, yy)
    grads = back.grads
    with_b = bool(biases) and net.has_bias
    point = _fd.base_point(net, xx, yy)
    if h is None:
        h = _fd.default_step(point, method, checked)
    noise = _fd.noise_floor(point, method, h)
    total = sum(net.sizes[ell] * (net.sizes[ell - 1] + with_b) for ell in checked)
    done = 0

    def tick(k: int) -> None:
        nonlocal done
        done += k
        if progress is not None:
            progress(done / total)

    checks, bias_checks = [], []
    for ell in checked:
        label = net.sigma(ell).label
        analytic = np.array(grads[ell - 1])
        numeric, kink = _fd.numeric_layer(point, ell, method, h, tick)
        checks.append(_compare(ell, label, analytic, numeric, kink, rtol, atol, noise))
        if with_b:
            analytic_b = np.array(back.grad_b(ell)).reshape(-1, 1)
            numeric_b, kink_b = _fd.numeric_layer(point, ell, method, h, tick, bias=True)
            bias_checks.append(
                _compare(
                    ell,
                    label,
                    analytic_b,
                    numeric_b.reshape(-1, 1),
                    kink_b.reshape(-1, 1),
                    rtol,
                    atol,
                    noise,
                    param="b",
                )
            )
    largest = max(c.atol for c in checks + bias_checks)
    return GradcheckReport(method, h, rtol, largest, checks, bias_checks)


def _compare(
    ell: int,
    label: str,
    analytic: np.ndarray,
    numeric: np.ndarray,
    kink: np.ndarray,
    rtol: float,
    atol: float | None,
    noise: float,
    *,
    param: str = "W",
) -> LayerCheck:
    if atol is None:
        smooth = numeric[~kink]
        scale = max(
            float(np.max(np.abs(analytic))),
            float(np.max(np.abs(smooth))) if smooth.size and np.all(np.isfinite(smooth)) else 0.0,
        )
        atol = rtol * scale + noise
    abs_error = np.abs(numeric - analytic)
    denom = np.abs(analytic) + atol / rtol
    with np.errstate(divide="ignore", invalid="ignore"):
        rel_error = np.where(denom > 0, abs_error / np.where(denom > 0, denom, 1.0), 0.0)
    rel_error = np.where((denom == 0) & (abs_error > 0), np.inf, rel_error)
    rel_error = np.where(np.isnan(abs_error), np.nan, rel_error)
    for a in (analytic, numeric, abs_error, rel_error, kink):
        a.flags.writeable = False
    return LayerCheck(ell, label, analytic, numeric, abs_error, rel_error, kink, rtol, atol, param)


def numeric_gradient(
    net: MLP,
    x: object,
    y: object,
    layer: int,
    *,
    method: str = "central",
    h: float | None = None,
    param: str = "W",
) -> np.ndarray:
    """∂E/∂W⁽ℓ⁾ (or, with ``param="b"``, ∂E/∂b⁽ℓ⁾) by finite differences alone (the
    vectorised pass of :func:`gradcheck`).

    Returns an array of the shape of W⁽ℓ⁾ (or of b⁽ℓ⁾, (n(ℓ),)).
    """
    net = _fd.check_net(net)
    method = _fd.check_method(method)
    ell = layer_number(layer, net.L)
    bias = _fd.check_param(param, net)
    if h is not None:
        h = _fd.check_positive(h, argument="h")
    if method == "complex":
        _fd.check_complex_safe(net, ell)
    xx, yy = net.check_xy(x, y)
    point = _fd.base_point(net, xx, yy)
    if h is None:
        h = _fd.default_step(point, method, [ell])
    numeric, _ = _fd.numeric_layer(point, ell, method, h, bias=bias)
    return numeric
