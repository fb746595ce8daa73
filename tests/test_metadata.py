"""One home for each fact: the repository's address and the version live in pyproject.toml.

The README's links, the notebooks' setup cells, package.json, ``__version__`` and the
changelog are checked against it; the README's Quickstart is checked against ``.ci/run``.
"""

from __future__ import annotations

import json
import re
import sys
from functools import cache
from pathlib import Path
from urllib.parse import urlparse

import pytest

import backprop_widgets

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
URL = re.compile(r"https?://[^\s)\"'>`]+")


@cache
def pyproject() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def repository_url() -> str:
    return pyproject()["project"]["urls"]["Repository"]


def owner_and_name() -> str:
    parsed = urlparse(repository_url())
    assert parsed.netloc == "github.com", "Colab's links assume a GitHub repository"
    return parsed.path.strip("/")


def test_the_project_urls_all_point_into_the_repository() -> None:
    for name, url in pyproject()["project"]["urls"].items():
        assert url == repository_url() or url.startswith(repository_url() + "/"), name


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_the_setup_cell_installs_from_the_repository(path: Path) -> None:
    setup = "".join(json.loads(path.read_text(encoding="utf-8"))["cells"][0]["source"])
    assert f'"backprop-widgets @ git+{repository_url()}"' in setup
    assert URL.findall(setup) == [repository_url()]


def test_the_notebooks_readme_states_the_same_setup_cell() -> None:
    text = (ROOT / "notebooks" / "README.md").read_text(encoding="utf-8")
    found = [u for u in URL.findall(text) if "github.com" in u]
    assert found and set(found) == {repository_url()}


def test_every_link_in_the_readme_agrees_with_the_repository() -> None:
    repo = owner_and_name()
    links = URL.findall(README)
    assert links
    for url in links:
        parsed = urlparse(url)
        if parsed.netloc == "github.com":
            assert url == repository_url() or url.startswith(repository_url() + "/"), url
        elif parsed.netloc == "colab.research.google.com":
            prefix = f"/github/{repo}/blob/main/"
            assert parsed.path.startswith(prefix), url
            assert (ROOT / parsed.path.removeprefix(prefix)).is_file(), f"{url}: no such file"


def test_the_readme_links_to_files_that_exist() -> None:
    for target in re.findall(r"\]\(([^)\s]+)\)", README):
        if not urlparse(target).scheme and not target.startswith("#"):
            assert (ROOT / target.split("#")[0]).exists(), f"README links to missing {target}"


def quickstart_commands() -> list[str]:
    section = re.search(r"^## Quickstart\n(.*?)(?=^## )", README, re.M | re.S)
    assert section, "README.md has a Quickstart section"
    return re.findall(r"```bash\n(.*?)\n```", section.group(1), re.S)


def test_the_quickstart_is_two_commands_and_ci_runs_the_second() -> None:
    first, second = quickstart_commands()
    assert "\n" not in first and "\n" not in second
    assert first.endswith("backprop-widgets lab"), "the tour opens from copies of the notebooks"
    assert "jupyter lab notebooks/" not in README
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert ci.rstrip("\n").splitlines()[-1] == second


def test_one_version_everywhere() -> None:
    version = pyproject()["project"]["version"]
    assert backprop_widgets.__version__ == version, "reinstall: pip install -e '.[test]'"
    assert json.loads((ROOT / "package.json").read_text(encoding="utf-8"))["version"] == version
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    assert re.search(r"^## Unreleased$", changelog, re.M)
    assert re.search(rf"^## {re.escape(version)}\b", changelog, re.M)
