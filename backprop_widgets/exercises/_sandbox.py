"""Calling a student's function safely: a time limit, input snapshots, and where it failed.

Used by :mod:`backprop_widgets.exercises`. Nothing here knows any mathematics, and it imports
numpy and the standard library only (a graded submission's process loads it).

Limits (documented for instructors)
-----------------------------------
* The student's function runs in a helper thread. After ``timeout`` seconds :class:`RanTooLong`
  is raised inside that thread (CPython's ``PyThreadState_SetAsyncExc``) at its next bytecode
  boundary, which stops a pure-Python runaway loop such as ``while True: pass``.
* Code that catches *every* exception (a bare ``except:`` around the loop) or that is stuck inside
  one long C call (a huge numpy operation) cannot be interrupted this way. The caller then
  gives up waiting after a short grace period, reports it, and returns: the kernel stays
  responsive, but the stuck thread keeps a CPU busy until the kernel restarts.
* The student's code runs at full speed (no tracing); while it runs, the calling thread waits.
* Where no thread can be started (Pyodide), the function is called directly, with no limit.
"""

from __future__ import annotations

import copy
import ctypes
import importlib
import linecache
import os
import threading
import time
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

__all__ = [
    "Call",
    "ForwardOnly",
    "RanTooLong",
    "call_with_deadline",
    "changed_inputs",
    "fresh_args",
    "snapshot",
    "where",
]

#: How long to wait, after the deadline, for an interrupted function to unwind.
GRACE_SECONDS = 1.0

_PACKAGE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))  # backprop_widgets/
_NUMPY_DIR = os.path.dirname(os.path.abspath(np.__file__))
_IMPORTLIB_DIR = os.path.dirname(os.path.abspath(importlib.__file__))


class RanTooLong(BaseException):
    """Raised inside the student's code when the time limit has passed.

    A ``BaseException``, so that an ``except Exception`` in the student's code does not catch it.
    """


@dataclass
class Call:
    """What happened when the student's function was called."""

    value: Any = None
    error: BaseException | None = None
    timed_out: bool = False
    stuck: bool = False  # timed out and did not stop when asked
    seconds: float = 0.0


def _interrupt(thread: threading.Thread) -> None:
    """Raise :class:`RanTooLong` in ``thread`` at its next bytecode boundary (CPython)."""
    if thread.ident is not None:
        ctypes.pythonapi.PyThreadState_SetAsyncExc(
            ctypes.c_ulong(thread.ident), ctypes.py_object(RanTooLong)
        )


def call_with_deadline(fn: Callable[..., Any], args: Sequence[Any], timeout: float) -> Call:
    """Call ``fn(*args)`` in a helper thread; stop it after ``timeout`` seconds.

    Never raises what ``fn`` raises: the exception is returned in :attr:`Call.error`.
    """
    outcome: list[tuple[str, Any]] = []
    done = [False]
    lock = threading.Lock()

    def target() -> None:
        # The retry loop absorbs an interruption that arrives after ``fn`` has returned but
        # before ``done`` is recorded; once ``done`` is set (under the lock) none is sent.
        while True:
            try:
                if not outcome:
                    try:
                        outcome.append(("value", fn(*args)))
                    except BaseException as exc:
                        outcome.append(("error", exc))
                with lock:
                    done[0] = True
                return
            except RanTooLong:
                continue

    start = time.monotonic()
    worker = threading.Thread(target=target, name="backprop-widgets-check", daemon=True)
    try:
        worker.start()
    except RuntimeError:  # no threads here (e.g. Pyodide): call it directly, without a limit
        target()
        return _result(outcome, time.monotonic() - start, timeout)
    try:
        worker.join(timeout)
    except KeyboardInterrupt:  # the user pressed stop: stop the function too, then pass it on
        with lock:
            if not done[0]:
                _interrupt(worker)
        raise
    if worker.is_alive():
        # Ask a few times during the grace period, in case one is swallowed.
        for _ in range(10):
            with lock:
                if not done[0]:
                    _interrupt(worker)
            worker.join(GRACE_SECONDS / 10)
            if not worker.is_alive():
                break
    if not done[0]:
        return Call(timed_out=True, stuck=True, seconds=time.monotonic() - start)
    return _result(outcome, time.monotonic() - start, timeout)


def _result(outcome: list[tuple[str, Any]], seconds: float, timeout: float) -> Call:
    result = Call(seconds=seconds)
    kind, payload = outcome[0]
    if kind == "value":
        result.value = payload
    else:
        result.error = payload
    result.timed_out = isinstance(payload, RanTooLong) or result.seconds > timeout
    return result


# --------------------------------------------------------------------------- input snapshots


def fresh_args(args: tuple[Any, ...]) -> tuple[Any, ...]:
    """Copies of a case's arguments (writable arrays, copied networks), for one call."""
    out = []
    for a in args:
        if isinstance(a, np.ndarray):
            out.append(np.array(a, copy=True))
        elif callable(getattr(a, "copy", None)) and not isinstance(a, (list, dict, set)):
            out.append(a.copy())
        else:
            try:
                out.append(copy.deepcopy(a))
            except Exception:  # an uncopyable argument is passed as it is
                out.append(a)
    return tuple(out)


def _is_network(value: Any) -> bool:
    return hasattr(value, "weights") and callable(getattr(value, "activation_spec", None))


def snapshot(value: Any) -> Any:
    """A deep copy of an argument, to compare with after the call."""
    if _is_network(value):
        return ("MLP", [w.copy() for w in value.weights], value.activation_spec())
    if _is_network(getattr(value, "_net", None)):
        return snapshot(value._net)
    try:
        return copy.deepcopy(value)
    except Exception:  # pragma: no cover - uncopyable arguments are not ours
        return None


def _same(before: Any, after: Any) -> bool:
    if isinstance(before, np.ndarray):
        a = np.asarray(after)
        return a.shape == before.shape and bool(np.array_equal(a, before, equal_nan=True))
    if isinstance(before, tuple) and before and before[0] == "MLP":
        return (
            isinstance(after, tuple)
            and len(after[1]) == len(before[1])
            and all(_same(b, a) for b, a in zip(before[1], after[1], strict=True))
            and after[2] == before[2]
        )
    if isinstance(before, (list, tuple)):
        return (
            isinstance(after, (list, tuple))
            and len(after) == len(before)
            and all(_same(b, a) for b, a in zip(before, after, strict=True))
        )
    try:
        return bool(before == after)
    except Exception:  # pragma: no cover
        return True


def changed_inputs(names: Sequence[str], before: Sequence[Any], args: Sequence[Any]) -> list[str]:
    """The names of the arguments that differ from their snapshots."""
    return [
        name
        for name, old, arg in zip(names, before, args, strict=True)
        if old is not None and not _same(old, snapshot(arg))
    ]


# --------------------------------------------------------------------------- what a case passes


class ForwardOnly:
    """A network as an exercise may see it: weights, activations, the forward pass; no backward."""

    def __init__(self, net: Any):
        self._net = net
        self.L = net.L
        self.sizes = net.sizes
        self.n, self.W, self.sigma, self.forward = net.n, net.W, net.sigma, net.forward
        self.has_bias = bool(getattr(net, "has_bias", False))
        if self.has_bias:
            self.b = net.b

    @property
    def weights(self) -> list[np.ndarray]:
        return self._net.weights

    @property
    def biases(self) -> list[np.ndarray] | None:
        return self._net.biases if self.has_bias else None

    def activation_spec(self) -> Any:
        return self._net.activation_spec()

    def copy(self) -> ForwardOnly:
        return ForwardOnly(self._net.copy())

    def __getattr__(self, name: str) -> Any:
        if name in ("backward", "gradients", "grad"):
            raise AttributeError(
                f"net.{name} is switched off in this exercise: compute the gradients yourself "
                "from net.forward(x), net.W(ℓ) and the Δ recursion"
            )
        raise AttributeError(f"the network has no attribute {name!r}")

    def __reduce__(self) -> Any:
        return (ForwardOnly, (self._net,))

    def __repr__(self) -> str:
        return f"{self._net!r} (forward pass only)"


# --------------------------------------------------------------------------- where it failed


def _is_ours(filename: str) -> bool:
    path = os.path.abspath(filename)
    return (
        path.startswith(_PACKAGE_DIR + os.sep)
        or path.startswith(_NUMPY_DIR + os.sep)
        or path.startswith(_IMPORTLIB_DIR + os.sep)
        or filename.startswith("<frozen")
        or os.path.basename(path) == "threading.py"
    )


def where(exc: BaseException) -> str | None:
    """``"in dE, line 3: return z @ h"`` for the deepest frame of the student's own code."""
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if not _is_ours(f.filename)]
    if not frames:
        return None
    frame = frames[-1]
    line = (frame.line or linecache.getline(frame.filename, frame.lineno or 0)).strip()
    text = f"in {frame.name}, line {frame.lineno}"
    return f"{text}: `{line}`" if line else text
