"""Per-student variants: the notebook's variant and the seeds it gives.

A *variant* (a student id, say) seeds the :class:`numpy.random.Generator` each exercise's
``cases(rng)`` receives, and the mystery network: one variant always gives the same cases, in
any process and on any platform, and two variants give different ones. ``None`` is the shared
variant. This module holds the notebook's variant (:func:`set_variant`) and nothing else.
"""

from __future__ import annotations

import hashlib
import numbers
from typing import Any

import numpy as np

__all__ = [
    "UNSET",
    "Variant",
    "get_variant",
    "resolve_variant",
    "set_variant",
    "variant_rng",
    "variant_seed",
]

Variant = int | str | None


class _Unset:
    def __repr__(self) -> str:
        return "<the notebook's variant>"


#: The default of every ``variant=`` keyword: the notebook's variant (see :func:`set_variant`).
UNSET: Any = _Unset()

_variant: Variant = None


def _check_variant(variant: object) -> Variant:
    if variant is None or isinstance(variant, str):
        return variant
    if isinstance(variant, numbers.Integral) and not isinstance(variant, bool):
        return int(variant)
    raise TypeError(
        "variant: expected a student id (a string or an integer) or None, "
        f"got {type(variant).__name__}"
    )


def set_variant(variant: Variant) -> None:
    """Make ``variant`` the default of every check in this notebook (``None``: the shared one).

    A variant changes the cases of every exercise and the mystery network, never what is
    checked. The same variant always gives the same cases, in any process.
    """
    global _variant
    _variant = _check_variant(variant)


def get_variant() -> Variant:
    """The notebook's variant, as set by :func:`set_variant` (``None`` until then)."""
    return _variant


def resolve_variant(variant: object) -> Variant:
    """``variant`` itself, or the notebook's when it is :data:`UNSET`."""
    return _variant if variant is UNSET else _check_variant(variant)


def variant_seed(key: str, variant: Variant) -> int:
    """A 64-bit seed from ``key`` and the variant; the same in every process and platform."""
    tag = "shared" if variant is None else f"v:{variant}"
    digest = hashlib.sha256(f"backprop-widgets/{key}/{tag}".encode()).digest()
    return int.from_bytes(digest[:8], "little")


def variant_rng(key: str, variant: Variant) -> np.random.Generator:
    """The generator ``cases(rng)`` receives for exercise ``key`` and ``variant``."""
    return np.random.default_rng(variant_seed(key, variant))
