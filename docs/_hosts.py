"""Which browser tests drive which host: read from ``tests/browser/*.py`` when the site builds.

A test counts for a host when it asks for that host's fixture (``jupyter_lab``,
``jupyter_notebook``, ``server_name`` for both), or when the host's name is in the test's
file name, function name or fixtures (``marimo``, ``voila``). ``plain`` lists the tests of the
bundles in a bare page, without Jupyter and without JupyterLab's CSS variables.
"""

from __future__ import annotations

import ast
from pathlib import Path

SERVERS = {"jupyter_lab", "jupyter_notebook", "server_name"}
FIXTURES = {
    "jupyterlab": {"jupyter_lab", "server_name"},
    "notebook7": {"jupyter_notebook", "server_name"},
}


def _tests(path: Path) -> list[tuple[str, set[str]]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name.startswith(
            "test"
        ):
            found.append((node.name, {a.arg for a in node.args.args}))
    return found


def _counts(host: str, path: Path, name: str, args: set[str]) -> bool:
    if host in FIXTURES:
        return bool(args & FIXTURES[host])
    if host == "plain":
        return not (args & SERVERS) and bool(args & {"page", "plain"}) and not _other(path, name)
    return any(host in text for text in (path.stem, name, *args))


def _other(path: Path, name: str) -> bool:
    return any(h in path.stem or h in name for h in ("marimo", "voila"))


def host_tests(browser_dir: Path, host: str) -> str:
    """A Markdown list of the browser tests that drive ``host``, by file."""
    lines = []
    for path in sorted(browser_dir.glob("test_*.py")):
        names = [n for n, args in _tests(path) if _counts(host, path, n, args)]
        if names:
            lines.append(f"- `tests/browser/{path.name}`: " + ", ".join(f"`{n}`" for n in names))
    if not lines:
        return "*No test in `tests/browser/` drives this host yet.*\n"
    return "\n".join(lines) + "\n"


def host_status(browser_dir: Path, host: str) -> str:
    """``Tested.`` when a browser test drives ``host``, else that it is only expected to work."""
    found = not host_tests(browser_dir, host).startswith("*No test")
    return "**Tested.**" if found else "**Expected to work; not tested here yet.**"
