"""The front end: the JS helpers' unit tests pass, and the committed bundle is a fresh build.

``backprop_widgets/static/`` is committed so that ``pip install`` from git needs no Node. These
tests prove it is not stale: ``js/`` is built again into a temporary directory with the pinned
esbuild of ``package-lock.json`` and compared byte for byte.

Without node/npm the tests skip and say why; with ``CI=true`` they fail instead. The build
reuses ``./node_modules`` when it holds the locked esbuild; otherwise (or with
``BW_FRESH_NPM=1``) it runs ``npm ci`` in the temporary copy, never touching the repository.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
JS = ROOT / "js"
STATIC = ROOT / "backprop_widgets" / "static"


def _need(tool: str) -> str:
    path = shutil.which(tool)
    if path is None:
        reason = f"{tool} is not installed: the front-end tests need Node.js and npm"
        if os.environ.get("CI", "").strip().lower() == "true":
            pytest.fail(f"{reason} (CI=true: they must run here)", pytrace=False)
        pytest.skip(reason)
    return path


def _run(cmd: list[str], cwd: Path, env: dict[str, str] | None = None):
    return subprocess.run(
        cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=300, check=False
    )


def test_js_unit_tests_pass() -> None:
    node = _need("node")
    files = sorted(str(p.relative_to(ROOT)) for p in (JS / "test").glob("*.test.js"))
    assert files, "no js/test/*.test.js found"
    result = _run([node, "--test", *files], ROOT)
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
    assert "# fail 0" in result.stdout


def _locked_esbuild_version() -> str:
    lock = json.loads((ROOT / "package-lock.json").read_text())
    return lock["packages"]["node_modules/esbuild"]["version"]


def _usable_node_modules() -> Path | None:
    if os.environ.get("BW_FRESH_NPM"):
        return None
    pkg = ROOT / "node_modules" / "esbuild" / "package.json"
    if not pkg.exists():
        return None
    installed = json.loads(pkg.read_text())["version"]
    return ROOT / "node_modules" if installed == _locked_esbuild_version() else None


def test_committed_bundle_is_a_fresh_build_of_js(tmp_path: Path) -> None:
    node = _need("node")
    npm = _need("npm")
    work = tmp_path / "frontend"
    work.mkdir()
    for name in ("package.json", "package-lock.json"):
        shutil.copy2(ROOT / name, work / name)
    shutil.copytree(JS, work / "js", ignore=shutil.ignore_patterns("node_modules"))
    modules = _usable_node_modules()
    if modules is not None:
        (work / "node_modules").symlink_to(modules, target_is_directory=True)
    else:
        result = _run([npm, "ci", "--no-audit", "--no-fund"], work)
        assert result.returncode == 0, f"npm ci failed:\n{result.stdout}\n{result.stderr}"
    out = tmp_path / "static"
    env = dict(os.environ, BW_OUTDIR=str(out))
    result = _run([node, "js/build.mjs"], work, env)
    assert result.returncode == 0, f"the build failed:\n{result.stdout}\n{result.stderr}"

    built = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    committed = {p.name: p.read_bytes() for p in STATIC.iterdir() if p.is_file()}
    assert built, "the build produced nothing"
    assert sorted(built) == sorted(committed), (
        "backprop_widgets/static/ does not hold exactly the build's files; run `npm run build`"
    )
    stale = [name for name in built if built[name] != committed[name]]
    assert not stale, f"stale bundle(s) {stale}: run `npm run build` and commit static/"
