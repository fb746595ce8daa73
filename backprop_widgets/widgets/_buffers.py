"""numpy arrays <-> binary widget state: the one place arrays are packed for the front end.

An array travels as ``{"shape": [...], "dtype": "float64", "data": memoryview}``. ipywidgets
lifts every memoryview out of the state into a binary buffer of the comm message, so no float
is ever written as JSON text; the JavaScript side reads it with ``js/lib/buffers.js``.
"""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = ["EMPTY", "pack", "unpack"]

_DTYPES = {"float64": np.float64, "float32": np.float32, "int32": np.int32, "uint8": np.uint8}


def pack(array: object, dtype: str = "float64") -> dict[str, Any]:
    """Pack an array (any shape) as little-endian, C-ordered bytes with its shape and dtype."""
    if dtype not in _DTYPES:
        raise ValueError(f"dtype: expected one of {sorted(_DTYPES)}, got {dtype!r}")
    a = np.ascontiguousarray(array, dtype=np.dtype(_DTYPES[dtype]).newbyteorder("<"))
    return {"shape": [int(s) for s in a.shape], "dtype": dtype, "data": memoryview(a.tobytes())}


def unpack(packed: dict[str, Any]) -> np.ndarray:
    """The inverse of :func:`pack` (accepts bytes or memoryview data)."""
    dtype = np.dtype(_DTYPES[packed["dtype"]]).newbyteorder("<")
    flat = np.frombuffer(bytes(packed["data"]), dtype=dtype)
    return flat.reshape(packed["shape"]).astype(dtype.newbyteorder("="))


EMPTY: dict[str, Any] = {"shape": [0], "dtype": "float64", "data": memoryview(b"")}
