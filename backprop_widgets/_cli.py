"""The ``backprop-widgets`` command (also ``python -m backprop_widgets``).

``backprop-widgets notebooks [DIR]`` copies the notebooks that ship with the package into
``DIR``; ``backprop-widgets lab [DIR]`` does the same and opens the tour in JupyterLab there.
A copy a student has changed is never overwritten unless ``--force`` is given: each copy's
fingerprint is kept in ``DIR/.backprop-widgets.json``, so a copy nobody touched is refreshed
when the package brings a newer version of it, and any other difference is kept and reported.

This module imports nothing from Jupyter; JupyterLab is started as a separate program.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from importlib.util import find_spec
from pathlib import Path

from ._version import __version__

DEFAULT_DIR = "backprop-widgets-notebooks"
MANIFEST = ".backprop-widgets.json"
TOUR = "01_tour.ipynb"
# What is copied: the Jupyter notebooks, and the marimo versions of them (plain .py files).
PATTERNS = ("*.ipynb", "*_marimo.py")

PACKAGE_DIR = Path(__file__).resolve().parent


class CommandError(Exception):
    """A problem the user can fix; printed as one line, exit status 2."""


def shipped_notebooks() -> Path:
    """The folder holding the notebooks that came with the package.

    A wheel carries them in ``backprop_widgets/notebooks/``; an editable install from a
    checkout finds them in the repository's top-level ``notebooks/``.
    """
    for candidate in (PACKAGE_DIR / "notebooks", PACKAGE_DIR.parent / "notebooks"):
        if any(candidate.glob("*.ipynb")):
            return candidate
    raise CommandError(
        f"no notebooks found next to the package ({PACKAGE_DIR}); reinstall backprop-widgets"
    )


def notebook_files(folder: Path) -> list[Path]:
    """The notebooks in ``folder`` (see :data:`PATTERNS`), in name order."""
    return sorted({p for pattern in PATTERNS for p in folder.glob(pattern) if p.is_file()})


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@dataclass(frozen=True)
class Copied:
    """What happened to one notebook: ``status`` is one of :data:`STATUSES`."""

    name: str
    status: str


STATUSES = {
    "copied": "copied",
    "refreshed": "refreshed (a newer version came with the package)",
    "unchanged": "already up to date",
    "kept": "kept: you changed it (--force replaces it with the original)",
    "replaced": "replaced with the original (--force)",
}


def _target_dir(directory: str | os.PathLike[str]) -> Path:
    target = Path(directory).expanduser()
    if target.exists() and not target.is_dir():
        raise CommandError(f"DIR must be a folder, but {str(target)!r} is a file")
    return target


def _read_manifest(target: Path) -> dict[str, str]:
    try:
        data = json.loads((target / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    files = data.get("files") if isinstance(data, dict) else None
    if not isinstance(files, dict):
        return {}
    return {str(k): str(v) for k, v in files.items()}


def copy_notebooks(directory: str | os.PathLike[str], *, force: bool = False) -> list[Copied]:
    """Copy every shipped notebook into ``directory`` (created if missing).

    Parameters
    ----------
    directory
        The folder to copy into. It must not be a file.
    force
        Replace copies that differ from the shipped notebook, even those a student changed.

    Returns
    -------
    list of Copied
        One entry per notebook, in name order.

    Raises
    ------
    CommandError
        When ``directory`` is a file or cannot be written.
    """
    target = _target_dir(directory)
    source = shipped_notebooks()
    try:
        target.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise CommandError(f"cannot create the folder {str(target)!r}: {err.strerror}") from err
    written = _read_manifest(target)
    plan = []  # decide for every notebook first, so that a refusal leaves the folder untouched
    for original in notebook_files(source):
        copy = target / original.name
        if copy.is_dir():
            raise CommandError(f"{str(copy)!r} is a folder; move it away to get the notebook")
        new = _digest(original)
        if not copy.exists():
            status = "copied"
        elif (old := _digest(copy)) == new:
            status = "unchanged"
        elif written.get(original.name) == old:
            status = "refreshed"  # the copy is exactly what this command wrote last time
        else:
            status = "replaced" if force else "kept"
        plan.append((original, copy, new, status))
    results = []
    for original, copy, new, status in plan:
        if status in ("copied", "refreshed", "replaced"):
            try:
                shutil.copyfile(original, copy)
            except OSError as err:
                raise CommandError(f"cannot write {str(copy)!r}: {err.strerror}") from err
        if status != "kept":
            written[original.name] = new
        results.append(Copied(original.name, status))
    manifest = {"backprop-widgets": __version__, "files": dict(sorted(written.items()))}
    try:
        (target / MANIFEST).write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
    except OSError as err:
        raise CommandError(f"cannot write in {str(target)!r}: {err.strerror}") from err
    return results


def _report(target: Path, results: Sequence[Copied]) -> None:
    width = max(len(r.name) for r in results)
    for r in results:
        print(f"  {r.name:<{width}}  {STATUSES[r.status]}")
    print(f"The notebooks are in {target.resolve()}")


def _notebooks(args: argparse.Namespace) -> int:
    results = copy_notebooks(args.dir, force=args.force)
    _report(Path(args.dir), results)
    print(f"Open the tour with: backprop-widgets lab {args.dir}")
    return 0


def _lab(args: argparse.Namespace, extra: list[str]) -> int:
    if find_spec("jupyterlab") is None:
        raise CommandError(
            "JupyterLab is not installed in this Python; install it with "
            "pip install 'backprop-widgets[lab]' (or pip install jupyterlab)"
        )
    target = Path(args.dir)
    _report(target, copy_notebooks(target, force=args.force))
    tour = TOUR if (target / TOUR).exists() else sorted(p.name for p in target.glob("*.ipynb"))[0]
    command = [sys.executable, "-m", "jupyterlab", tour, *extra]
    print("Starting JupyterLab:", " ".join(command[2:]), flush=True)
    os.chdir(target)
    if os.name == "posix":  # become JupyterLab, so that Ctrl+C and signals reach it directly
        os.execv(sys.executable, command)
    return subprocess.call(command)  # pragma: no cover - Windows


def _refuse_a_value_taken_for_dir(argv: list[str], args: argparse.Namespace) -> None:
    """``lab --port 8890`` would make a folder called 8890: say how to write it instead."""
    if args.dir == DEFAULT_DIR or not re.fullmatch(r"[\d.:]+", args.dir):
        return
    at = argv.index(args.dir) if args.dir in argv else 0
    before = argv[at - 1] if at > 0 else ""
    if before.startswith("-") and "=" not in before and before != "--force":
        raise CommandError(
            f"{before} {args.dir}: write {before}={args.dir}, or {args.dir!r} is taken for DIR"
        )


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="backprop-widgets",
        description="Copy the backprop-widgets notebooks into a folder of your own and open them.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, text in (
        ("notebooks", "copy the notebooks into DIR"),
        ("lab", "copy the notebooks into DIR if needed and open the tour in JupyterLab"),
    ):
        sub = commands.add_parser(name, help=text, description=text[0].upper() + text[1:] + ".")
        sub.add_argument(
            "dir",
            nargs="?",
            default=DEFAULT_DIR,
            metavar="DIR",
            help=f"the folder for your copies (default: ./{DEFAULT_DIR})",
        )
        sub.add_argument(
            "--force",
            action="store_true",
            help="replace copies you changed with the original notebooks (your changes are lost)",
        )
    commands.choices["lab"].epilog = (
        "Other options are passed on to JupyterLab, e.g. --no-browser or --port=8890 (write an "
        "option's value with '=', so that it is not taken for DIR); running as root (in a "
        "container) needs --allow-root."
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    parser = _parser()
    args, extra = parser.parse_known_args(argv)
    if args.command is None:
        parser.print_help(sys.stderr)
        parser.exit(2, "\nbackprop-widgets: error: choose a command: notebooks or lab\n")
    if extra and args.command != "lab":
        parser.error(f"unrecognized arguments: {' '.join(extra)}")
    try:
        if args.command == "lab":
            _refuse_a_value_taken_for_dir(list(argv if argv is not None else sys.argv[1:]), args)
            return _lab(args, extra)
        return _notebooks(args)
    except CommandError as err:
        print(f"backprop-widgets: error: {err}", file=sys.stderr)
        return 2
