"""backprop-widgets: backpropagation as a chain of Fréchet derivatives, in Jupyter widgets.

The numerical core (:mod:`~backprop_widgets.network`, :mod:`~backprop_widgets.activations`,
:mod:`~backprop_widgets.losses`, :mod:`~backprop_widgets.frechet`,
:mod:`~backprop_widgets.gradcheck`) is plain numpy. The
widgets and the matplotlib helpers are imported on first use, so ``import backprop_widgets``
stays light outside Jupyter.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

from ._version import __version__
from .activations import BUILTIN_NAMES, VECTOR_NAMES, Activation, VectorActivation

# ``gradcheck`` the function shadows ``gradcheck`` the module on the package, so the module's
# other public names are re-exported here: ``bw.step_sweep(...)``, not ``bw.gradcheck.step_sweep``
# (``from backprop_widgets.gradcheck import step_sweep`` works as well).
from .gradcheck import (
    check_piece,
    directional_check,
    frechet_remainder,
    gradcheck,
    numeric_gradient,
    step_sweep,
)
from .losses import LOSS_NAMES, REDUCTIONS
from .network import MLP

# name -> (module, attribute); attribute None means the module itself.
_LAZY: dict[str, tuple[str, str | None]] = {
    "frechet": (".frechet", None),
    "losses": (".losses", None),
    "exercises": (".exercises", None),
    "plots": (".plots", None),
    "NetworkDiagram": (".widgets.diagram", "NetworkDiagram"),
    "BackpropExplorer": (".widgets.explorer", "BackpropExplorer"),
    "datasets": (".datasets", None),
    "Trainer": (".widgets.trainer", "Trainer"),
}

__all__ = [
    "BUILTIN_NAMES",
    "LOSS_NAMES",
    "MLP",
    "REDUCTIONS",
    "VECTOR_NAMES",
    "Activation",
    "VectorActivation",
    "__version__",
    "check_piece",
    "directional_check",
    "frechet_remainder",
    "gradcheck",
    "numeric_gradient",
    "step_sweep",
    *_LAZY,
]


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        module_name, attribute = _LAZY[name]
        module = import_module(module_name, __name__)
        value = module if attribute is None else getattr(module, attribute)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'backprop_widgets' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))
