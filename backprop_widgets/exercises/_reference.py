"""Process R of a graded check: the references and the verdict, in a fresh interpreter.

Started by :func:`backprop_widgets.exercises.grading.grade` as
``python -I -m backprop_widgets.exercises._reference``. It reads one JSON line (exercise id,
variant, the instructor's module, time limit) and then the serialised student function, which it
never unpickles: it hands those bytes to process S (:mod:`._worker`) together with the cases'
arguments, reads back S's plain-data outcomes, and judges them against expected answers that
exist only here. Its last line of output is ``BW-VERDICT {json}``.
"""

from __future__ import annotations

import importlib
import importlib.util
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import cloudpickle

VERDICT = "BW-VERDICT "
STARTUP_SECONDS = 60.0  # S's own start (imports) on a busy machine


def load_source(source: str) -> str:
    """Import the instructor's module from disk; return its module name (blocked in S)."""
    if source.endswith(".py"):
        path = Path(source).resolve()
        spec = importlib.util.spec_from_file_location(path.stem, path)
        if spec is None or spec.loader is None or not path.is_file():
            raise ValueError(f"source: no such file {source!r}")
        module = importlib.util.module_from_spec(spec)
        sys.modules[path.stem] = module
        spec.loader.exec_module(module)
        return path.stem
    # After the library and numpy are imported, so that the notebook's folder shadows neither.
    sys.path.append(os.getcwd())
    importlib.import_module(source)
    return source


def run(header: dict[str, Any], function: bytes) -> dict[str, Any]:
    from . import _bank  # noqa: F401  (the built-in exercises)
    from ._check import judge, not_a_function
    from ._plain import decode
    from ._registry import get_exercise
    from ._run import Outcome, outcome_from_dict
    from ._variants import resolve_variant

    modules = [] if header.get("source") is None else [load_source(str(header["source"]))]
    ex = get_exercise(header["id"])
    variant = resolve_variant(header.get("variant"))
    timeout = float(header["timeout"])
    cases = ex.make_cases(variant)
    with tempfile.TemporaryDirectory(prefix="bw-grade-") as tmp:
        job = {
            "function": function,
            "args": [c.args for c in cases],
            "arguments": list(ex.arguments),
            "signature": ex.signature,
            "timeout": timeout,
            "accepts_activation": ex.accepts_activation,
            "blocked": list(ex.blocked),
            "modules": modules,
        }
        # cloudpickle: a case's network may hold activations made of lambdas.
        (Path(tmp) / "job.pickle").write_bytes(cloudpickle.dumps(job))
        result = Path(tmp) / "result.json"
        limit = STARTUP_SECONDS + len(cases) * (timeout + 2.0)
        try:
            done = subprocess.run(
                [sys.executable, "-I", "-m", "backprop_widgets.exercises._worker", tmp],
                capture_output=True,
                stdin=subprocess.DEVNULL,
                timeout=limit,
                check=False,
            )
            code: int | None = done.returncode
        except subprocess.TimeoutExpired:
            code = None
        data = None
        if result.is_file():
            try:
                data = decode(result.read_text(encoding="utf-8"))
            except (ValueError, UnicodeDecodeError):
                data = None
    if not isinstance(data, dict):
        how = f"ran over {limit:g} s" if code is None else f"exited with code {code}"
        result_ = judge(
            ex,
            cases,
            [Outcome("error", text=f"stopped the grading process (it {how})")] * len(cases),
            timeout,
            variant,
        )
    elif data.get("callable") is False:
        result_ = not_a_function(ex, type(str(data.get("type", "object")), (), {})())
    elif data.get("load_error"):
        text = f"could not be loaded in the grader's fresh process: {data['load_error']}"
        result_ = judge(ex, cases, [Outcome("error", text=text)] * len(cases), timeout, variant)
    else:
        try:
            outcomes = [outcome_from_dict(o) for o in data.get("outcomes", [])]
        except ValueError:
            outcomes = [Outcome("error", text="sent back something that is not an answer")]
        result_ = judge(ex, cases, outcomes, timeout, variant)
    return {"passed": result_.passed, "status": result_.status, "text": str(result_)}


def main() -> None:
    stream = sys.stdin.buffer
    header = json.loads(stream.readline())
    function = stream.read()
    try:
        verdict = run(header, function)
    except (TypeError, ValueError, ImportError) as exc:
        verdict = {"error": f"{type(exc).__name__}: {exc}"}
    sys.stdout.write(VERDICT + json.dumps(verdict) + "\n")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
