"""What a control of the explorer's front end asks for, turned into the explorer's traits.

The controls are drawn by ``js/explorer.js``; they hold no state. A change sends a request
``{"type": "bw-request", "name": ..., "layer": ..., "value": ...}`` naming the control (its
``data-name`` and ``data-layer``) and what was typed or picked, as text. :func:`apply_request`
reads the text and assigns one of the explorer's traits (``sizes``, ``activations``, ``seed``,
``layer``, ``step``, ``selected``, ``heatmap_kind``, ``show_all_layers``, ``bias``, ``loss``)
or calls one of its methods (``new_x``, ``new_y``, ``new_W``). The explorer's validators
decide; a refusal raises a ``ValueError``/``TypeError``, and :func:`handle` (what the
explorer's ``handle_request`` does) sets the explorer's ``refusal`` trait to its text, which
the front end shows next to the control. Nothing here clamps a value, and the explorer never
calls into this module's caller.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from typing import TYPE_CHECKING, Any

from traitlets import TraitError

from ..activations import Activation
from .explorer_state import check_sizes

if TYPE_CHECKING:  # pragma: no cover
    from .explorer import BackpropExplorer

__all__ = [
    "CONTROL_NAMES",
    "RequestError",
    "apply_request",
    "format_overrides",
    "handle",
    "parse_overrides",
    "split_spec",
]

#: Every control of the front end, by its ``data-name`` (see tests/browser and CONTRACTS).
CONTROL_NAMES = (
    "L",
    "n",
    "activation",
    "units",
    "seed",
    "new-x",
    "new-y",
    "new-W",
    "layer",
    "kind",
    "all-layers",
    "bias",
    "loss",
    "step",
    "select",
)

_OVERRIDE = re.compile(r"^\s*(\d+)\s*[=:]\s*(.+?)\s*$")


#: Each refusal's id, so that the same refusal twice is two changes of the trait (both shown).
_REFUSALS = itertools.count(1)


class RequestError(ValueError):
    """A request the explorer refuses for what it is, before any trait is touched."""


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
            raise RequestError(
                f"layer {layer} per-unit override: write 'unit=name' pairs such as "
                f"'1=relu, 3=sin', got {part!r}"
            )
        unit = int(m.group(1))
        if not 1 <= unit <= n:
            raise RequestError(
                f"layer {layer} per-unit override: unit must be in 1..{n} (units count from 1), "
                f"got {unit}"
            )
        out[unit] = m.group(2)
    return out


def _whole(value: object, what: str) -> int:
    """A whole number typed into a field (text or a number), or a RequestError."""
    if isinstance(value, bool):
        raise RequestError(f"{what}: expected a whole number, got {value!r}")
    if isinstance(value, int):
        return value
    text = str(value).strip()
    if not re.fullmatch(r"[+-]?\d+", text):
        raise RequestError(f"{what}: expected a whole number, got {text!r}")
    return int(text)


def _layer_of(layer: object, ex: BackpropExplorer, lowest: int) -> int:
    L = len(ex.sizes) - 1
    if isinstance(layer, bool) or not isinstance(layer, int) or not lowest <= layer <= L:
        raise RequestError(f"layer: this control belongs to no layer in {lowest}..{L}: {layer!r}")
    return layer


def _activations_with(ex: BackpropExplorer, ell: int, base: Any, units_text: str) -> list:
    """The explorer's activations with layer ℓ's base σ and per-unit overrides replaced."""
    n = ex.sizes[ell]
    base = ex.resolve_activation(base)
    overrides = parse_overrides(units_text, n, layer=ell)
    acts = list(ex.activations)
    if overrides:
        units: list = [base] * n
        for unit, name in overrides.items():
            units[unit - 1] = ex.resolve_activation(name)
        acts[ell - 1] = units
    else:
        acts[ell - 1] = base
    return acts


def apply_request(ex: BackpropExplorer, name: str, layer: object, value: object) -> None:
    """Apply one control's request to the explorer, or raise what to show next to it.

    Parameters
    ----------
    ex : BackpropExplorer
    name : str
        The control's ``data-name`` (one of :data:`CONTROL_NAMES`).
    layer : int or None
        Its ``data-layer``: k in 0..L for ``n``; ℓ in 1..L for ``activation`` and ``units``.
    value : str, bool, list or None
        What was typed or picked.

    Raises
    ------
    ValueError, TypeError
        The refusal, naming what is allowed; the explorer's state is unchanged.
    """
    if name == "L":
        L = _whole(value, "number of layers L")
        sizes = list(ex.sizes)
        if L < 1:
            raise RequestError(f"number of layers L: expected at least 1, got {L}")
        sizes = sizes[: L + 1] if L < len(sizes) - 1 else sizes + [sizes[-1]] * (L + 1 - len(sizes))
        ex.sizes = check_sizes(sizes, fields=True)  # refused in the fields' words
    elif name == "n":
        k = _layer_of(layer, ex, 0)
        sizes = list(ex.sizes)
        sizes[k] = _whole(value, f"n({k})")
        ex.sizes = check_sizes(sizes, fields=True)
    elif name in ("activation", "units"):
        ell = _layer_of(layer, ex, 1)
        base, overrides = split_spec(ex.activations[ell - 1])
        if name == "activation":
            base, text = str(value), format_overrides(overrides)
        else:
            text = str(value or "")
        ex.activations = _activations_with(ex, ell, base, text)
    elif name == "seed":
        ex.seed = _whole(value, "seed")
    elif name in ("new-x", "new-y", "new-W"):
        {"new-x": ex.new_x, "new-y": ex.new_y, "new-W": ex.new_W}[name]()
    elif name == "layer":
        ex.layer = _whole(value, "layer ℓ")
    elif name == "kind":
        ex.heatmap_kind = str(value)
    elif name == "all-layers":
        if not isinstance(value, bool):
            raise RequestError(f"all layers: expected true or false, got {value!r}")
        ex.show_all_layers = value
    elif name == "bias":
        if not isinstance(value, bool):
            raise RequestError(f"bias: expected true or false, got {value!r}")
        ex.bias = value
    elif name == "loss":
        ex.loss = str(value)
    elif name == "step":
        ex.step = _whole(value, "step")
    elif name == "select":
        # [ℓ, i, j] for a weight, ["b", ℓ, i] for a bias entry
        ex.selected = None if value is None else tuple(value)  # type: ignore[arg-type]
    else:
        raise RequestError(f"unknown control {name!r}; known: {', '.join(CONTROL_NAMES)}")


def handle(ex: BackpropExplorer, content: dict[str, Any]) -> bool:
    """:meth:`BackpropExplorer.handle_request`: apply the request, or set ``ex.refusal``."""
    name, layer, value = content.get("name"), content.get("layer"), content.get("value")
    # The traits the request sets (the control's own, say `activations`) go out with what
    # they make the views draw: one message, sent by the views (`send_held`) as soon as what
    # is on screen is ready; whatever follows goes out when the request is done.
    with ex.hold_sync():
        if ex.notice and name not in ("step", "select"):  # stays while the student reads
            ex.notice = {}
        try:
            apply_request(ex, str(name), layer, value)
        except (TraitError, ValueError, TypeError) as exc:
            text = str(exc)
        except Exception as exc:  # never lost in an observer: shown next to the control
            text = f"{type(exc).__name__}: {exc}"
        else:
            if ex.refusal:
                ex.refusal = {}
            return True
        ex.refusal = {
            "id": next(_REFUSALS),
            "name": name,
            "layer": layer,
            "text": text,
            "value": value,
        }
        return False
