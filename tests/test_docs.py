"""The documentation site builds with warnings as errors and covers what it promises.

One Sphinx build per session (``docs/`` into a temporary folder); the notebooks are executed
for it into ``docs/_notebooks/`` (ignored by git), never into ``notebooks/``. The pages are
then read as HTML: every public name has an entry in the API reference, every notebook a page
with its figures, every host a page, and the instructors' page carries the README's section.
"""

from __future__ import annotations

import hashlib
import inspect
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

import backprop_widgets

pytestmark = pytest.mark.docs

pytest.importorskip("sphinx")
pytest.importorskip("myst_nb")

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
HOSTS = ["jupyterlab", "notebook7", "colab", "vscode", "marimo", "voila"]


def digests(paths: list[Path]) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in paths}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    before = digests(NOTEBOOKS)
    out = tmp_path_factory.mktemp("docs") / "html"
    done = subprocess.run(
        [sys.executable, "-m", "sphinx", "-W", "--keep-going", "-q", "-b", "html", "docs", out],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=1800,
    )
    assert done.returncode == 0, done.stdout[-5000:] + done.stderr[-10000:]
    assert digests(NOTEBOOKS) == before, "the docs build wrote into notebooks/"
    return out


def page_text(site: Path, name: str) -> str:
    return (site / name).read_text(encoding="utf-8")


@pytest.mark.parametrize("name", backprop_widgets.__all__)
def test_every_public_name_is_in_the_api_reference(site: Path, name: str) -> None:
    obj = getattr(backprop_widgets, name)
    anchor = f"module-{obj.__name__}" if inspect.ismodule(obj) else f"backprop_widgets.{name}"
    assert f'id="{anchor}"' in page_text(site, "api.html"), f"{name} is not in the API reference"
    if inspect.ismodule(obj) or inspect.isclass(obj) or callable(obj):
        assert (inspect.getdoc(obj) or "").strip(), f"{name} has no docstring"


def image_outputs(nb: dict) -> int:
    return sum(
        1
        for cell in nb["cells"]
        for out in cell.get("outputs", [])
        if "image/png" in out.get("data", {})
    )


def first_heading(nb: dict) -> str:
    for cell in nb["cells"]:
        m = re.search(r"^# (.+)$", "".join(cell["source"]), re.M)
        if cell["cell_type"] == "markdown" and m:
            return m.group(1)
    raise AssertionError("the notebook has no title")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_every_notebook_has_a_page_with_its_outputs(site: Path, path: Path) -> None:
    html = page_text(site, f"_notebooks/{path.stem}.html")
    executed = json.loads((ROOT / "docs" / "_notebooks" / path.name).read_text(encoding="utf-8"))
    code = [c for c in executed["cells"] if c["cell_type"] == "code"]
    assert any(c["outputs"] for c in code), f"{path.name} was rendered without being executed"
    # each figure the notebook draws is an image on its page (the explorer.png logo is not here)
    assert html.count("<img ") >= image_outputs(executed)
    assert "application/vnd.jupyter.widget-view+json" not in html
    title = next(
        m.group(1)
        for c in executed["cells"]
        if c["cell_type"] == "markdown"
        and (m := re.search(r"^# (.+)$", "".join(c["source"]), re.M))
    )
    assert path.stem in page_text(site, "notebooks.html")
    assert title.split("$")[0].strip()[:20] in html


def test_the_notebook_pages_show_figures(site: Path) -> None:
    drawn = {
        p.name: image_outputs(json.loads(p.read_text(encoding="utf-8")))
        for p in (ROOT / "docs" / "_notebooks").glob("*.ipynb")
    }
    # The tour shows the explorer (drawn for the site by its to_figure()) and ends with a figure.
    assert drawn.get("01_tour.ipynb", 0) >= 2, drawn
    tour = page_text(site, "_notebooks/01_tour.html")
    note = tour.index("interactive <code>BackpropExplorer</code>")
    assert "drawn by its <code>to_figure()</code>" in tour[note : note + 400]
    assert "<img " in tour[note : note + 3000]


def test_a_page_per_host_saying_what_is_tested(site: Path) -> None:
    for host in HOSTS:
        text = re.sub(r"<[^>]+>", "", page_text(site, f"hosts/{host}.html"))
        assert "Tested." in text or "Expected to work" in text, host
    for host in ("jupyterlab", "notebook7"):
        assert "tests/browser/test_tour.py" in page_text(site, f"hosts/{host}.html")


def test_the_instructors_page_carries_the_readme_section(site: Path) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = re.search(r"^## For instructors[^\n]*\n(.*?)(?=^## )", readme, re.M | re.S)
    assert section, "README.md has a section for instructors"
    words = re.findall(r"[A-Za-z]{6,}", section.group(1))
    text = page_text(site, "instructors.html")
    missing = [w for w in words if w not in text]
    assert not missing, missing[:10]


def test_getting_started_uses_the_repository_url(site: Path) -> None:
    from test_metadata import repository_url

    assert f"git+{repository_url()}" in page_text(site, "getting-started.html")
