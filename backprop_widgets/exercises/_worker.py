"""Process S of a graded check: the student's function, in a fresh interpreter, without answers.

Started by process R (:mod:`._reference`) as
``python -I -m backprop_widgets.exercises._worker DIR``. ``DIR/job.pickle`` (written by R) holds
the cases' arguments and the serialised function. Before the function is loaded, imports of the
exercises (their references, the registry, the bank, the check) and of the instructor's module
are refused, and the exercise's ``blocked`` names are switched off. The outcomes go to
``DIR/result.json`` as plain data (:mod:`._plain`). This module imports only numpy, the core and
the three helpers it needs; no expected answer ever exists in this process.
"""

from __future__ import annotations

import importlib
import importlib.abc
import os
import pickle
import sys
from pathlib import Path
from typing import Any

from ._plain import encode
from ._run import describe_error, run_cases

PACKAGE = "backprop_widgets.exercises"
#: The parts of the exercises package a submission's process may load.
ALLOWED = {f"{PACKAGE}.{m}" for m in ("_worker", "_sandbox", "_plain", "_run")}


class RefuseImports(importlib.abc.MetaPathFinder):
    """Refuse to import the exercises' references and the instructor's modules."""

    def __init__(self, modules: list[str]) -> None:
        self.modules = set(modules)

    def refused(self, name: str) -> bool:
        inside = name.startswith(PACKAGE + ".") and name not in ALLOWED
        return inside or name in self.modules or name.split(".")[0] in self.modules

    def find_spec(self, name: str, path: Any = None, target: Any = None) -> None:
        if self.refused(name):
            raise ImportError(f"{name} is not available to a submission while it is graded")
        return None


def _switch_off(dotted: str) -> None:
    """Replace the attribute ``dotted`` (module.Class.attr or module.attr) by a refusal."""
    parts = dotted.split(".")
    for cut in range(len(parts) - 1, 0, -1):
        try:
            owner: Any = importlib.import_module(".".join(parts[:cut]))
        except ImportError:
            continue
        for attr in parts[cut:-1]:
            owner = getattr(owner, attr)

        def refusal(*args: Any, _name: str = ".".join(parts[-2:]), **kwargs: Any) -> Any:
            raise AttributeError(
                f"{_name} is switched off in this exercise: compute it yourself (see the "
                "exercise's statement)"
            )

        setattr(owner, parts[-1], refusal)
        return


def main(folder: str) -> None:
    here = Path(folder)
    job = pickle.loads((here / "job.pickle").read_bytes())  # written by R, never by a student
    guard = RefuseImports(list(job["modules"]))
    sys.meta_path.insert(0, guard)
    for name in [n for n in sys.modules if guard.refused(n)]:
        del sys.modules[name]
    for dotted in job["blocked"]:
        _switch_off(dotted)
    result: dict[str, Any]
    try:
        fn = pickle.loads(job["function"])
    except BaseException as exc:
        result = {"load_error": describe_error(exc, job["signature"])}
    else:
        if job["accepts_activation"] and callable(getattr(fn, "df", None)):
            fn = fn.df
        if not callable(fn):
            result = {"callable": False, "type": type(fn).__name__}
        else:
            outcomes = run_cases(
                fn, job["arguments"], job["args"], job["timeout"], job["signature"]
            )
            result = {"outcomes": [o.to_dict() for o in outcomes]}
    (here / "result.json").write_text(encode(result), encoding="utf-8")
    sys.stdout.flush()
    os._exit(0)  # a stuck thread of the student's must not keep this process alive


if __name__ == "__main__":
    main(sys.argv[1])
