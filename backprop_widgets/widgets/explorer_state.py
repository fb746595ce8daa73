"""The explorer's state rules: what a scene may be.

Plain functions used by :class:`~backprop_widgets.widgets.explorer.BackpropExplorer`'s trait
validators: each returns the normalised value or raises an :class:`ExplorerValueError` (a
``TraitError`` and a ``ValueError``) that names the trait and what is allowed.
:func:`fit_activations` says what ``sizes`` alone does to the activations. How a scene becomes
a network and a sample is :mod:`.explorer_scene`.
"""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np
from traitlets import TraitError

from .._checks import layer_number
from .._net_checks import check_activations as layer_activations
from ..activations import Activation, get_activation
from ..losses import LOSS_NAMES, get_loss
from ..network import MLP
from . import _selection
from .explorer_scene import draw_y

__all__ = [
    "DEFAULT_ACTIVATION",
    "MAX_LAYERS",
    "MAX_WIDTH",
    "ExplorerValueError",
    "check_activations",
    "check_bias",
    "check_layer",
    "check_loss",
    "check_seed",
    "check_selected",
    "check_sizes",
    "fit_activations",
    "selected_to_json",
    "specs_to_json",
]


class ExplorerValueError(TraitError, ValueError):
    """A refused explorer value: a ``ValueError`` for callers, and a ``TraitError`` so that
    traitlets keeps the old value when a validator raises it."""


#: The explorer shows 1..MAX_LAYERS layers of 1..MAX_WIDTH units.
MAX_LAYERS = 8
MAX_WIDTH = 64
#: What a new hidden layer gets when ``sizes`` grows.
DEFAULT_ACTIVATION = "tanh"


def check_seed(seed: object) -> int:
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral) or seed < 0:
        raise ExplorerValueError(f"seed: expected a non-negative integer, got {seed!r}")
    return int(seed)


def check_sizes(sizes: object, *, fields: bool = False) -> tuple[int, ...]:
    """``[n(0), …, n(L)]`` with 1 ≤ L ≤ 8 and 1 ≤ n(ℓ) ≤ 64 (nothing is clamped).

    ``fields=True`` words a refusal as the explorer's own fields ("n(1): …", "number of layers
    L: …") instead of the Python argument ("sizes[1]: …")."""
    if isinstance(sizes, (str, bytes)) or not isinstance(sizes, (list, tuple, np.ndarray)):
        raise ExplorerValueError(
            f"sizes: expected a list [n(0), …, n(L)] of widths, got {type(sizes).__name__}"
        )
    sizes = list(sizes)
    if fields and not 2 <= len(sizes) <= MAX_LAYERS + 1:
        raise ExplorerValueError(
            f"number of layers L: the explorer shows 1 to {MAX_LAYERS} layers, got {len(sizes) - 1}"
        )
    if not 2 <= len(sizes) <= MAX_LAYERS + 1:
        raise ExplorerValueError(
            f"sizes: the explorer shows 1 to {MAX_LAYERS} layers, so sizes needs 2 to "
            f"{MAX_LAYERS + 1} widths [n(0), …, n(L)], got {len(sizes)}"
        )
    for k, n in enumerate(sizes):
        name = f"n({k})" if fields else f"sizes[{k}]"
        if isinstance(n, bool) or not isinstance(n, numbers.Integral):
            raise ExplorerValueError(f"{name}: expected an integer width, got {n!r}")
        if not 1 <= n <= MAX_WIDTH:
            raise ExplorerValueError(f"{name}: the explorer shows widths 1 to {MAX_WIDTH}, got {n}")
    return tuple(int(n) for n in sizes)


def check_activations(
    spec: Any,
    sizes: tuple[int, ...],
    custom: dict[str, Activation],
    loss: str = "squared_error",
) -> list:
    """Normalise and validate activations for ``sizes``.

    Built-in names become their canonical lower-case name; custom ``Activation`` objects are
    kept (and recorded in ``custom`` by name, for the controls). A per-unit list whose units
    are all one activation becomes that activation. The network is evaluated once, so a σ
    that raises or returns the wrong shape is refused here, before anything changes, and so is
    an output layer the ``loss`` cannot use (cross-entropy needs softmax, binary
    cross-entropy sigmoid). Built-in activations are known to work on arrays, so a network of
    them only is checked as ``MLP`` checks it, without being evaluated.
    """
    L = len(sizes) - 1
    if isinstance(spec, (str, Activation)):
        spec = [spec] * L
    if not isinstance(spec, (list, tuple)):
        raise ExplorerValueError(
            f"activations: expected one entry per layer (a name, an Activation or a "
            f"per-unit list), got {type(spec).__name__}"
        )
    try:
        layers = layer_activations(sizes, list(spec))
        get_loss(loss).check_output(layers[-1])
        if not all(a.builtin for layer in layers for a in layer.units):
            net = MLP(sizes, list(layers), loss=loss)
            net.backward(np.linspace(-1.0, 1.0, sizes[0]), draw_y(loss, sizes[-1], (0, 2, 0)))
    except (ValueError, TypeError) as exc:
        raise ExplorerValueError(str(exc)) from exc
    except Exception as exc:
        raise ExplorerValueError(f"activations: evaluating the network failed: {exc}") from exc

    def canonical(s: Any) -> str | Activation:
        a = get_activation(s)
        if a.builtin:
            return a.name
        custom[a.name] = a
        return a

    out: list = []
    for entry in spec:
        if isinstance(entry, (list, tuple)):
            units = [canonical(s) for s in entry]
            out.append(units[0] if all(u is units[0] for u in units) else units)
        else:
            out.append(canonical(entry))
    return out


def check_layer(layer: object, L: int) -> int:
    try:
        return layer_number(layer, L)
    except (TypeError, ValueError) as exc:
        raise ExplorerValueError(str(exc)) from exc


def check_selected(value: object, sizes: list[int], bias: bool = False) -> tuple | None:
    """(ℓ, i, j) for w⁽ℓ⁾ᵢⱼ or ("b", ℓ, i) for b⁽ℓ⁾ᵢ (with ``bias``): the rules of
    :mod:`._selection` (ℓ from 1, i and j from 0)."""
    if isinstance(value, (list, tuple)) and len(value) > 0 and value[0] == "b":
        return _selection.check_bias_selected(value, sizes, bias)
    return _selection.check_selected(value, sizes)


def check_loss(loss: object) -> str:
    """One of :data:`backprop_widgets.losses.LOSS_NAMES` (the explorer takes a name)."""
    if not isinstance(loss, str) or loss not in LOSS_NAMES:
        raise ExplorerValueError(
            f"loss: expected one of {', '.join(map(repr, LOSS_NAMES))}, got {loss!r}"
        )
    return loss


def fit_activations(old: list, sizes: tuple[int, ...]) -> list:
    """Keep the activations that still fit new sizes.

    The output layer keeps its activation; hidden layers keep theirs by position and new
    hidden layers get :data:`DEFAULT_ACTIVATION`. A per-unit list whose layer changed width
    is cut, or padded with its last entry.
    """
    L = len(sizes) - 1
    if not old:
        return [DEFAULT_ACTIVATION] * (L - 1) + ["identity"]
    hidden = list(old[:-1][: L - 1])
    hidden += [DEFAULT_ACTIVATION] * (L - 1 - len(hidden))
    out: list = []
    for k, spec in enumerate([*hidden, old[-1]]):
        n = sizes[k + 1]
        if isinstance(spec, list) and len(spec) != n:
            spec = spec[:n] + [spec[-1]] * max(0, n - len(spec))
        out.append(spec)
    return out


def check_bias(bias: object) -> bool:
    if not isinstance(bias, (bool, np.bool_)):
        raise ExplorerValueError(f"bias: expected True or False, got {bias!r}")
    return bool(bias)


def specs_to_json(value: Any, _widget: Any = None) -> list:
    """Activations as names (JSON) for the synced ``activations`` trait."""

    def name(s: Any) -> Any:
        if isinstance(s, (list, tuple)):
            return [name(t) for t in s]
        return s.name if isinstance(s, Activation) else str(s)

    return [name(s) for s in value]


def selected_to_json(value: Any, _widget: Any = None) -> list | None:
    if value is None:
        return None
    return [v if isinstance(v, str) else int(v) for v in value]
