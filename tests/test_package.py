"""The package as users get it: built, installed in a fresh venv, its notebooks run there.

``python -m build`` makes the sdist and, from that sdist, the wheel (what an index serves); a
second wheel is built straight from the source tree (what ``pip install git+…`` and Colab's
setup cell get). Both must hold the same files. The wheel is installed into a new venv in a
temporary folder, with no repository around it and no Node.js on ``PATH``; there
``backprop-widgets notebooks`` copies the notebooks out of the installed package and every one
of them is executed top to bottom in a kernel of that venv.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tarfile
import textwrap
import venv
import zipfile
from pathlib import Path

import pytest

pytestmark = pytest.mark.package

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted(p.name for p in (ROOT / "notebooks").glob("*.ipynb"))
# Shipped and copied with them, not executed here: marimo's versions (tests/browser runs them).
SHIPPED = sorted([*NOTEBOOKS, *(p.name for p in (ROOT / "notebooks").glob("*_marimo.py"))])
BUNDLES = sorted(
    p.name for p in (ROOT / "backprop_widgets" / "static").iterdir() if p.suffix in {".js", ".css"}
)
# What executing a notebook needs besides the package itself.
RUNNER = ["ipykernel", "nbclient", "nbformat"]
# Extras for developers or for another program; every other extra is an optional feature of the
# package a notebook may use (e.g. data sets that need another library), so it is installed.
NOT_FOR_NOTEBOOKS = {"test", "docs", "bench", "lab"}


def user_extras() -> list[str]:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover
        import tomli as tomllib
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return sorted(set(project.get("optional-dependencies", {})) - NOT_FOR_NOTEBOOKS)


def run(args: list[str | Path], **kwargs) -> str:
    done = subprocess.run(
        [str(a) for a in args], capture_output=True, text=True, timeout=900, **kwargs
    )
    assert done.returncode == 0, f"{args}\n{done.stdout}\n{done.stderr}"
    return done.stdout


@pytest.fixture(scope="module")
def dists(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    from_sdist = tmp_path_factory.mktemp("dist")
    from_tree = tmp_path_factory.mktemp("dist-tree")
    run([sys.executable, "-m", "build", "--outdir", from_sdist, ROOT])
    run([sys.executable, "-m", "build", "--wheel", "--outdir", from_tree, ROOT])
    (sdist,) = from_sdist.glob("*.tar.gz")
    (wheel,) = from_sdist.glob("*.whl")
    (tree_wheel,) = from_tree.glob("*.whl")
    return {"sdist": sdist, "wheel": wheel, "tree_wheel": tree_wheel}


def wheel_files(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {name: z.read(name) for name in z.namelist()}


def test_the_wheel_from_the_sdist_equals_the_wheel_from_the_tree(dists) -> None:
    from_sdist, from_tree = wheel_files(dists["wheel"]), wheel_files(dists["tree_wheel"])
    assert sorted(from_sdist) == sorted(from_tree)
    assert [name for name in from_sdist if from_sdist[name] != from_tree[name]] == []


def test_the_wheel_carries_the_notebooks_the_bundles_and_the_command(dists) -> None:
    files = wheel_files(dists["wheel"])
    shipped = sorted(n.split("/")[-1] for n in files if n.startswith("backprop_widgets/notebooks/"))
    assert shipped == SHIPPED
    for name in BUNDLES:
        assert (
            files[f"backprop_widgets/static/{name}"]
            == (ROOT / "backprop_widgets" / "static" / name).read_bytes()
        )
    (entry_points,) = [v for n, v in files.items() if n.endswith(".dist-info/entry_points.txt")]
    assert "backprop-widgets = backprop_widgets._cli:main" in entry_points.decode()


def test_the_sdist_has_what_a_rebuild_needs(dists) -> None:
    with tarfile.open(dists["sdist"]) as tar:
        names = {n.split("/", 1)[1] for n in tar.getnames() if "/" in n}
    needed = ["pyproject.toml", "README.md", "CHANGELOG.md", "package.json", "package-lock.json"]
    needed += [f"notebooks/{n}" for n in NOTEBOOKS]
    needed += [f"backprop_widgets/static/{n}" for n in BUNDLES]
    needed += [p.relative_to(ROOT).as_posix() for p in (ROOT / "js").rglob("*.js")]
    needed += [p.relative_to(ROOT).as_posix() for p in (ROOT / "docs").glob("*.md")]
    assert not [n for n in needed if n not in names]
    assert not [n for n in names if n.startswith(("docs/_build/", "docs/_notebooks/", ".venv/"))]


@pytest.fixture(scope="module")
def installed(dists, tmp_path_factory: pytest.TempPathFactory) -> dict:
    """A fresh venv with the wheel (and a notebook runner) installed, away from the repository."""
    home = tmp_path_factory.mktemp("user")
    env_dir = home / "venv"
    venv.create(env_dir, with_pip=True)
    bindir = env_dir / "bin"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV"))}
    env.update(
        PATH=str(bindir),  # and nothing else: no node, no npm, no other Python
        JUPYTER_CONFIG_DIR=str(home / "jupyter-config"),
        JUPYTER_DATA_DIR=str(home / "jupyter-data"),
        IPYTHONDIR=str(home / "ipython"),
        MPLCONFIGDIR=str(home / "matplotlib"),
        PIP_DISABLE_PIP_VERSION_CHECK="1",
    )
    assert shutil.which("node", path=env["PATH"]) is None
    pip = [bindir / "python", "-m", "pip", "install", "-q"]
    extras = ",".join(user_extras())
    wheel = f"{dists['wheel']}[{extras}]" if extras else str(dists["wheel"])
    run([*pip, wheel, *RUNNER], env=env, cwd=home)
    return {"home": home, "bin": bindir, "env": env}


def test_the_installed_package_is_the_wheel_not_the_checkout(installed) -> None:
    code = "import backprop_widgets as bw; print(bw.__file__); print(bw.__version__)"
    where, version = run(
        [installed["bin"] / "python", "-c", code], env=installed["env"], cwd=installed["home"]
    ).split()
    assert Path(where).is_relative_to(installed["home"] / "venv")
    assert ROOT not in Path(where).parents
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert f'\nversion = "{version}"\n' in pyproject


def test_the_widget_bundles_are_in_the_installed_package(installed) -> None:
    code = textwrap.dedent(
        """
        import json
        from importlib.resources import files
        static = files("backprop_widgets") / "static"
        print(json.dumps({p.name: p.read_text(encoding="utf-8") for p in static.iterdir()}))
        """
    )
    found = json.loads(
        run([installed["bin"] / "python", "-c", code], env=installed["env"], cwd=installed["home"])
    )
    for name in BUNDLES:
        assert found.get(name) == (ROOT / "backprop_widgets" / "static" / name).read_text(
            encoding="utf-8"
        ), name


EXECUTE = textwrap.dedent(
    """
    import sys
    from pathlib import Path

    import nbclient
    import nbformat

    folder = Path(sys.argv[1])
    for path in sorted(folder.glob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        probe = "import backprop_widgets, sys; print(backprop_widgets.__file__, sys.executable)"
        nb.cells.append(nbformat.v4.new_code_cell(probe))
        client = nbclient.NotebookClient(
            nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(folder)}}
        )
        client.execute()  # raises CellExecutionError at the first failing cell
        print(path.name, nb.cells[-1].outputs[0]["text"].strip(), flush=True)
    """
)


def test_the_command_copies_the_notebooks_and_every_one_runs(installed) -> None:
    home, bindir, env = installed["home"], installed["bin"], installed["env"]
    out = run([bindir / "backprop-widgets", "notebooks", "course"], env=env, cwd=home)
    copies = home / "course"
    assert sorted(p.name for p in copies.iterdir() if not p.name.startswith(".")) == SHIPPED
    for name in SHIPPED:
        assert (copies / name).read_bytes() == (ROOT / "notebooks" / name).read_bytes()
        assert name in out
    ran = run([bindir / "python", "-c", EXECUTE, copies], env=env, cwd=home).splitlines()
    assert [line.split()[0] for line in ran] == NOTEBOOKS
    for line in ran:
        _, module, executable = line.split()
        assert Path(module).is_relative_to(home / "venv"), line
        assert Path(executable).parent == bindir, line
