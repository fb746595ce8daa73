"""What :func:`backprop_widgets.gradcheck` returns: one :class:`LayerCheck` per checked W⁽ℓ⁾ (and
b⁽ℓ⁾), gathered in a :class:`GradcheckReport` that prints as a table (text and HTML).

Re-exported by :mod:`backprop_widgets.gradcheck`; import them from there. Plain numpy.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field

import numpy as np

__all__ = ["GradcheckReport", "LayerCheck"]


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
