"""Answers as plain data, and their JSON form: what may cross from a submission to the grader.

A graded submission runs in a process of its own. What it sends back is never unpickled: answers
travel as JSON, arrays as the base64 bytes of an allowed dtype with their shape. Anything else a
function may return (a dict, a function, an object of its own) travels as its type name only,
which is all the feedback needs. This module imports numpy and the standard library only.
"""

from __future__ import annotations

import base64
import json
import math
import numbers
from typing import Any

import numpy as np

__all__ = ["Foreign", "decode", "encode", "plain"]

_DTYPES = {
    "bool",
    "int8",
    "int16",
    "int32",
    "int64",
    "uint8",
    "uint16",
    "uint32",
    "uint64",
    "float16",
    "float32",
    "float64",
    "complex64",
    "complex128",
}
_MAX_ITEMS = 100_000
_MAX_DEPTH = 4


class Foreign:
    """Stands for an answer whose type does not travel: only its name (and callability) does."""

    def __init__(self, type_name: str, is_callable: bool = False) -> None:
        self.type_name = str(type_name)[:80]
        self.is_callable = bool(is_callable)

    def __call__(self) -> None:  # pragma: no cover - only callable() is asked
        raise TypeError("a stand-in for an answer")

    def __repr__(self) -> str:
        return f"<a {self.type_name}>"


def plain(value: Any, depth: int = 0) -> Any:
    """``value`` as None, bool, int, float, complex, str, ndarray, list, or :class:`Foreign`."""
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, np.bool_):
        return bool(value)
    if isinstance(value, str):
        return value[:200]
    if isinstance(value, np.ndarray):
        if value.dtype.name in _DTYPES and value.size <= _MAX_ITEMS:
            return np.array(value, copy=True)
        if value.dtype == object and value.size <= _MAX_ITEMS:
            return [plain(v, depth + 1) for v in value.tolist()] if depth < _MAX_DEPTH else None
        return Foreign(f"ndarray of dtype {value.dtype}")
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real):
        return float(value)
    if isinstance(value, numbers.Complex):
        return complex(value)
    if isinstance(value, (list, tuple)) and depth < _MAX_DEPTH and len(value) <= _MAX_ITEMS:
        return [plain(v, depth + 1) for v in value]
    return Foreign(type(value).__name__, callable(value))


def _to_json(value: Any) -> Any:
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else {"$float": repr(value)}
    if isinstance(value, complex):
        return {"$complex": [_to_json(value.real), _to_json(value.imag)]}
    if isinstance(value, np.ndarray):
        data = np.ascontiguousarray(value)
        return {
            "$array": base64.b64encode(data.tobytes()).decode("ascii"),
            "dtype": data.dtype.name,
            "shape": list(data.shape),
        }
    if isinstance(value, list):
        return [_to_json(v) for v in value]
    if isinstance(value, dict):
        return {"$dict": {str(k): _to_json(v) for k, v in value.items()}}
    if isinstance(value, Foreign):
        return {"$foreign": value.type_name, "callable": value.is_callable}
    return {"$foreign": type(value).__name__, "callable": callable(value)}


def _from_json(value: Any) -> Any:
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, list):
        return [_from_json(v) for v in value]
    if not isinstance(value, dict):
        raise ValueError("malformed answer")
    if "$float" in value:
        return float(value["$float"])
    if "$complex" in value:
        re_, im = (_from_json(v) for v in value["$complex"])
        return complex(float(re_), float(im))
    if "$array" in value:
        dtype = str(value["dtype"])
        if dtype not in _DTYPES:
            raise ValueError(f"answer of dtype {dtype!r} refused")
        shape = tuple(int(n) for n in value["shape"])
        raw = base64.b64decode(value["$array"], validate=True)
        count = math.prod(shape)
        if count > _MAX_ITEMS or len(raw) != count * np.dtype(dtype).itemsize:
            raise ValueError("malformed array answer")
        return np.frombuffer(raw, dtype=dtype).reshape(shape).copy()
    if "$dict" in value:
        return {str(k): _from_json(v) for k, v in dict(value["$dict"]).items()}
    if "$foreign" in value:
        return Foreign(str(value["$foreign"]), bool(value.get("callable")))
    raise ValueError("malformed answer")


def encode(value: Any) -> str:
    """JSON text for plain data (see :func:`plain`); dicts of plain data too."""
    return json.dumps(_to_json(value))


def decode(text: str) -> Any:
    """The plain data :func:`encode` wrote; refuses anything else."""
    return _from_json(json.loads(text))
