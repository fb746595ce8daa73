"""Shared helpers for the benchmark scripts: timing and a description of the machine."""

from __future__ import annotations

import os
import platform
import statistics
import sys
import time
from collections.abc import Callable

import numpy as np


def interleaved(
    fns: dict[str, Callable[[], object]],
    *,
    rounds: int = 15,
    min_time: float = 0.05,
    pause: float = 0.1,
) -> tuple[dict[str, float], dict[str, float]]:
    """Time several functions in alternation: returns (median times, median ratios to the first).

    Each round times every function once (as many calls as fit in about ``min_time`` seconds,
    at least one), in the same order. The ratio of each function to the first is taken within
    a round, then the median over rounds: on a machine shared with other jobs, load changes
    from second to second, and comparing inside a round cancels most of it. Before each
    contender the process sleeps ``pause`` seconds, so that the worker threads of the previous
    one (torch's OpenMP pool, OpenBLAS) have stopped spinning and leave both cores free.
    """
    numbers = {}
    for name, fn in fns.items():
        fn()  # warm up
        start = time.perf_counter()
        fn()
        one = max(time.perf_counter() - start, 1e-7)
        numbers[name] = max(1, int(min_time / one))
    samples: dict[str, list[float]] = {name: [] for name in fns}
    for _ in range(rounds):
        for name, fn in fns.items():
            time.sleep(pause)
            start = time.perf_counter()
            for _ in range(numbers[name]):
                fn()
            samples[name].append((time.perf_counter() - start) / numbers[name])
    first = next(iter(fns))
    times = {name: statistics.median(v) for name, v in samples.items()}
    ratios = {
        name: statistics.median(a / b for a, b in zip(v, samples[first], strict=True))
        for name, v in samples.items()
    }
    return times, ratios


def limit_threads(n: int | None) -> None:
    """Limit BLAS/OpenMP (threadpoolctl) and torch to ``n`` threads; ``None`` leaves them."""
    if n is None:
        return
    try:
        from threadpoolctl import threadpool_limits

        threadpool_limits(n)
    except ImportError:  # pragma: no cover
        pass
    try:
        import torch

        torch.set_num_threads(n)
    except ImportError:  # pragma: no cover
        pass


def threads_argument() -> int | None:
    """``--threads N`` on the command line, else None."""
    args = sys.argv[1:]
    if "--threads" in args:
        return int(args[args.index("--threads") + 1])
    return None


def machine() -> str:
    """CPU, cores, Python, numpy, BLAS kernel (threadpoolctl) and OPENBLAS_* variables."""
    lines = [
        f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, numpy {np.__version__}",
    ]
    try:
        from threadpoolctl import threadpool_info

        for info in threadpool_info():
            lines.append(
                f"{info.get('internal_api')} {info.get('version')} "
                f"({info.get('prefix')}): kernel {info.get('architecture')}, "
                f"{info.get('num_threads')} threads"
            )
    except ImportError:  # pragma: no cover - threadpoolctl is optional
        lines.append("threadpoolctl not installed: BLAS kernel unknown")
    env = {k: v for k, v in os.environ.items() if k.startswith("OPENBLAS")}
    lines.append(f"OPENBLAS_* in environment: {env or 'none'}")
    return "\n".join(lines)


def fmt_time(seconds: float) -> str:
    if seconds < 1e-3:
        return f"{seconds * 1e6:.1f} µs"
    if seconds < 1:
        return f"{seconds * 1e3:.2f} ms"
    return f"{seconds:.2f} s"
