"""Shared helpers for the benchmark scripts: timing and a description of the machine."""

from __future__ import annotations

import os
import platform
import statistics
import time
from collections.abc import Callable

import numpy as np


def median_time(fn: Callable[[], object], *, repeats: int = 7, min_time: float = 0.2) -> float:
    """Median over ``repeats`` of the mean time of one call (seconds).

    Each repeat runs ``fn`` as many times as fit in about ``min_time`` seconds (at least once),
    so fast calls are not dominated by timer resolution.
    """
    fn()  # warm up
    start = time.perf_counter()
    fn()
    one = max(time.perf_counter() - start, 1e-7)
    number = max(1, int(min_time / one))
    samples = []
    for _ in range(repeats):
        start = time.perf_counter()
        for _ in range(number):
            fn()
        samples.append((time.perf_counter() - start) / number)
    return statistics.median(samples)


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
