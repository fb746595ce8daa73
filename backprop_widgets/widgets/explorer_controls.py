"""The ipywidgets controls of :class:`~backprop_widgets.widgets.explorer.BackpropExplorer`.

The controls hold no state of their own: each change is turned into an assignment to one of
the explorer's traits (``sizes``, ``activations``, ``seed``, ``layer``, ``heatmap_kind``) or a
call of one of its methods (``new_x``, ``new_y``, ``new_W``). When the explorer refuses the
value, the message is shown here and every control is reset to the explorer's state, so a
control can never leave an invalid network behind.
"""

from __future__ import annotations

import html
import re
from collections import Counter
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import ipywidgets as w
import traitlets

from ..activations import BUILTIN_NAMES, Activation
from .explorer_state import MAX_LAYERS, MAX_WIDTH

if TYPE_CHECKING:  # pragma: no cover
    from .explorer import BackpropExplorer

__all__ = ["ExplorerControls", "parse_overrides", "split_spec"]


_OVERRIDE = re.compile(r"^\s*(\d+)\s*[=:]\s*(.+?)\s*$")


def spec_name(spec: str | Activation) -> str:
    return spec.name if isinstance(spec, Activation) else str(spec)


def split_spec(spec: Any) -> tuple[str, dict[int, str]]:
    """A layer's activation spec as (the most common name, {unit (1-based): other name})."""
    if not isinstance(spec, (list, tuple)):
        return spec_name(spec), {}
    names = [spec_name(s) for s in spec]
    base = Counter(names).most_common(1)[0][0]
    return base, {k + 1: n for k, n in enumerate(names) if n != base}


def format_overrides(overrides: dict[int, str]) -> str:
    return ", ".join(f"{k}={v}" for k, v in sorted(overrides.items()))


def parse_overrides(text: str, n: int, *, layer: int) -> dict[int, str]:
    """Parse ``"2=relu, 5=sin"`` (units counted from 1) for a layer of ``n`` units."""
    out: dict[int, str] = {}
    for part in filter(None, (p.strip() for p in re.split(r"[,;]", text or ""))):
        m = _OVERRIDE.match(part)
        if not m:
            raise ValueError(
                f"layer {layer} per-unit override: write 'unit=name' pairs such as "
                f"'1=relu, 3=sin', got {part!r}"
            )
        unit = int(m.group(1))
        if not 1 <= unit <= n:
            raise ValueError(
                f"layer {layer} per-unit override: unit must be in 1..{n} (units count from 1), "
                f"got {unit}"
            )
        out[unit] = m.group(2)
    return out


class ExplorerControls:
    """Builds the control panel and keeps it in step with an explorer's traits."""

    def __init__(self, explorer: BackpropExplorer) -> None:
        self.ex = explorer
        self._quiet = False
        style = {"description_width": "initial"}
        self.n_layers = w.BoundedIntText(
            min=1, max=MAX_LAYERS, description="layers L", style=style, layout={"width": "120px"}
        )
        self.seed = w.BoundedIntText(
            min=0, max=2**31 - 1, description="seed", style=style, layout={"width": "150px"}
        )
        self.new_x = w.Button(description="new x", layout={"width": "72px"})
        self.new_y = w.Button(description="new y", layout={"width": "72px"})
        self.new_W = w.Button(description="new W", layout={"width": "72px"})
        self.layer = w.Dropdown(description="derive ∂E/∂W(ℓ), ℓ =", style=style)
        self.layer.layout.width = "210px"
        self.kind = w.ToggleButtons(
            options=[("difference", "difference"), ("relative error", "relative")],
            style={"button_width": "110px"},
        )
        self.all_layers = w.Checkbox(description="all layers", indent=False)
        self.all_layers.layout.width = "100px"
        self.message = w.HTML(layout={"min_height": "0px"})
        for widget, cls in (
            (self.n_layers, "bw-ctl-layers"),
            (self.seed, "bw-ctl-seed"),
            (self.new_x, "bw-ctl-new-x"),
            (self.new_y, "bw-ctl-new-y"),
            (self.new_W, "bw-ctl-new-w"),
            (self.layer, "bw-ctl-layer"),
            (self.kind, "bw-ctl-kind"),
            (self.all_layers, "bw-ctl-all-layers"),
            (self.message, "bw-explorer-message"),
        ):
            widget.add_class(cls)
        self.columns = w.HBox(layout={"flex_flow": "row wrap"})
        self.columns.add_class("bw-ctl-columns")
        self._widths: list[w.BoundedIntText] = []
        self._acts: list[w.Dropdown] = []
        self._overrides: list[w.Text] = []

        self.n_layers.observe(self._guard(self._on_n_layers), names="value")
        self.seed.observe(self._guard(lambda c: setattr(self.ex, "seed", c["new"])), names="value")
        self.new_x.on_click(self._guard_click(self.ex.new_x))
        self.new_y.on_click(self._guard_click(self.ex.new_y))
        self.new_W.on_click(self._guard_click(self.ex.new_W))
        self.layer.observe(self._guard(self._on_layer), names="value")
        self.kind.observe(
            self._guard(lambda c: setattr(self.ex, "heatmap_kind", c["new"])), names="value"
        )
        self.all_layers.observe(
            self._guard(lambda c: setattr(self.ex, "show_all_layers", c["new"])), names="value"
        )
        top = w.HBox(
            [self.n_layers, self.seed, self.new_x, self.new_y, self.new_W],
            layout={"flex_flow": "row wrap", "align_items": "center"},
        )
        bottom = w.HBox(
            [self.layer, self.all_layers, self.kind],
            layout={"flex_flow": "row wrap", "align_items": "center"},
        )
        self.box = w.VBox([top, self.columns, bottom, self.message])
        self.box.add_class("bw-explorer-controls")
        self.refresh()

    # ------------------------------------------------------------------ reading the explorer

    def refresh(self) -> None:
        """Set every control from the explorer's traits (without firing their handlers)."""
        ex = self.ex
        self._quiet = True
        try:
            sizes = list(ex.sizes)
            L = len(sizes) - 1
            if len(self._widths) != L + 1:
                self._build_columns(L)
            self.n_layers.value = L
            self.seed.value = int(ex.seed)
            names = list(BUILTIN_NAMES) + sorted(ex.custom_activation_names())
            for k, n in enumerate(sizes):
                self._widths[k].value = n
            for k, spec in enumerate(ex.activations):
                base, overrides = split_spec(spec)
                options = tuple(names if base in names else [*names, base])
                if tuple(self._acts[k].options) != options:
                    self._acts[k].options = options
                self._acts[k].value = base
                self._overrides[k].value = format_overrides(overrides)
            options = [(str(ell), ell) for ell in range(1, L + 1)]
            if list(self.layer.options) != options:
                self.layer.options = options
            self.layer.value = int(ex.layer)
            self.kind.value = ex.heatmap_kind
            self.all_layers.value = bool(ex.show_all_layers)
        finally:
            self._quiet = False

    def show_message(self, text: str) -> None:
        """Show a (plain-text) message under the controls; empty text hides it."""
        if text:
            self.message.value = (
                '<div class="bw-message" role="alert" data-testid="bw-explorer-message">'
                f"{html.escape(text)}</div>"
            )
        else:
            self.message.value = ""

    # ------------------------------------------------------------------ building

    def _build_columns(self, L: int) -> None:
        self._widths, self._acts, self._overrides = [], [], []
        cols = []
        for k in range(L + 1):
            title = w.HTML(
                f'<span class="bw-ctl-title">{"input n(0)" if k == 0 else f"layer {k}"}</span>'
            )
            width = w.BoundedIntText(min=1, max=MAX_WIDTH, layout={"width": "84px"})
            width.add_class(f"bw-ctl-n-{k}")
            width.tooltip = f"n({k}), the width of {'the input' if k == 0 else k}"
            width.observe(self._guard(self._on_width, k), names="value")
            self._widths.append(width)
            parts: list[w.Widget] = [title, width]
            if k >= 1:
                act = w.Dropdown(layout={"width": "84px"})
                act.add_class(f"bw-ctl-act-{k}")
                act.observe(self._guard(self._on_activation, k - 1), names="value")
                over = w.Text(placeholder="e.g. 1=relu", layout={"width": "84px"})
                over.add_class(f"bw-ctl-units-{k}")
                over.continuous_update = False
                over.observe(self._guard(self._on_activation, k - 1), names="value")
                self._acts.append(act)
                self._overrides.append(over)
                parts += [act, over]
            col = w.VBox(parts, layout={"width": "90px"})
            col.add_class("bw-ctl-column")
            cols.append(col)
        self.columns.children = cols

    # ------------------------------------------------------------------ handlers

    def _guard(self, handler: Callable[..., None], *args: Any) -> Callable[[dict], None]:
        """Wrap a handler: ignore our own refreshes, show a refusal and restore the controls."""

        def run(change: dict) -> None:
            if self._quiet:
                return
            try:
                handler(*args, change)
            except (traitlets.TraitError, ValueError, TypeError) as exc:
                self.show_message(str(exc))
                self.refresh()
            except Exception as exc:  # never let an observer swallow it silently
                self.show_message(f"{type(exc).__name__}: {exc}")
                self.refresh()
            else:
                self.ex._clear_message()

        return run

    def _guard_click(self, action: Callable[[], None]) -> Callable[[w.Button], None]:
        run = self._guard(lambda _change: action())
        return lambda _button: run({})

    def _on_n_layers(self, change: dict) -> None:
        L = int(change["new"])
        sizes = list(self.ex.sizes)
        if L < len(sizes) - 1:
            sizes = sizes[: L + 1]
        else:
            sizes = sizes + [sizes[-1]] * (L + 1 - len(sizes))
        self.ex.sizes = sizes

    def _on_width(self, k: int, change: dict) -> None:
        sizes = list(self.ex.sizes)
        sizes[k] = int(change["new"])
        self.ex.sizes = sizes

    def _on_activation(self, k: int, change: dict) -> None:
        """Layer ℓ = k + 1's dropdown or per-unit text changed."""
        n = self.ex.sizes[k + 1]
        base = self.ex.resolve_activation(self._acts[k].value)
        overrides = parse_overrides(self._overrides[k].value, n, layer=k + 1)
        acts = list(self.ex.activations)
        if overrides:
            units = [base] * n
            for unit, name in overrides.items():
                units[unit - 1] = self.ex.resolve_activation(name)
            acts[k] = units
        else:
            acts[k] = base
        self.ex.activations = acts

    def _on_layer(self, change: dict) -> None:
        if change["new"] is not None:
            self.ex.layer = int(change["new"])
