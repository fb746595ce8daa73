"""backprop-widgets: backpropagation as a chain of Fréchet derivatives, in Jupyter widgets.

The numerical core (:mod:`~backprop_widgets.network`, :mod:`~backprop_widgets.activations`,
:mod:`~backprop_widgets.frechet`, :mod:`~backprop_widgets.gradcheck`) is plain numpy. The
widgets are imported lazily, so ``import backprop_widgets`` stays light outside Jupyter.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

from .activations import BUILTIN_NAMES, Activation
from .network import MLP

__version__ = "0.1.0"

__all__ = ["BUILTIN_NAMES", "MLP", "Activation", "__version__"]

# Public names that live in modules importing Jupyter or matplotlib: loaded on first use.
_LAZY: dict[str, str] = {}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        value = getattr(import_module(_LAZY[name], __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'backprop_widgets' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))
