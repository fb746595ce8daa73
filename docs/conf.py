"""Sphinx configuration for the backprop-widgets documentation site.

Build it with ``.venv/bin/python -m sphinx -W --keep-going -b html docs docs/_build/html``
(``tests/test_docs.py`` does the same in a temporary folder). Three pages are filled in at build
time, so that nothing here is a hand-kept list that can fall behind the code:

- ``api.rst``: one entry for every name in ``backprop_widgets.__all__``;
- ``notebooks.md``: every ``notebooks/*.ipynb``, executed for the site into ``docs/_notebooks/``
  (ignored by git; the notebooks in the repository are never written to);
- ``instructors.md``: the README's section for instructors; the host pages list the browser
  tests found in ``tests/browser/``.
"""

from __future__ import annotations

import inspect
import json
import re
import sys
from pathlib import Path

DOCS = Path(__file__).resolve().parent
ROOT = DOCS.parent
sys.path.insert(0, str(DOCS))

from _hosts import host_status, host_tests  # noqa: E402
from _notebooks import prepare_notebooks  # noqa: E402

import backprop_widgets  # noqa: E402

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
REPOSITORY = PYPROJECT["project"]["urls"]["Repository"]

project = "backprop-widgets"
author = "backprop-widgets developers"
copyright = "backprop-widgets developers"
release = PYPROJECT["project"]["version"]
version = release

extensions = [
    "myst_nb",
    "sphinx.ext.autodoc",
    "sphinx.ext.napoleon",
    "sphinx.ext.mathjax",
    "sphinx.ext.viewcode",
]
exclude_patterns = ["_build", "**/.ipynb_checkpoints", "README.md"]
templates_path: list[str] = []

# Docstrings are numpy style; type hints go into the description, not the long signatures.
napoleon_google_docstring = False
napoleon_numpy_docstring = True
napoleon_use_rtype = False
napoleon_preprocess_types = False
autodoc_typehints = "description"
autodoc_member_order = "bysource"
autodoc_default_options = {"members": True}
# Traits carry their own long docstrings from traitlets; widgets are documented by their class.
autodoc_inherit_docstrings = False

myst_enable_extensions = ["dollarmath", "amsmath", "colon_fence", "deflist"]
myst_heading_anchors = 3
# The site is built from executed copies (see _notebooks.py); myst-nb only renders them.
nb_execution_mode = "off"
nb_merge_streams = True

html_theme = "furo"
html_title = f"backprop-widgets {release}"
html_static_path: list[str] = []
html_theme_options = {"source_repository": REPOSITORY, "source_branch": "main"}
# A type named in a docstring may resolve both to ``backprop_widgets.X`` and to the module that
# defines it; either target is right. Headings in notebooks may skip a level.
suppress_warnings = ["myst.header", "ref.python"]


# --------------------------------------------------------------------------- the API page


def _api_entry(name: str) -> str:
    obj = getattr(backprop_widgets, name)
    target = f"backprop_widgets.{name}"
    if inspect.ismodule(obj):
        return f".. automodule:: {obj.__name__}\n   :members:\n"
    if inspect.isclass(obj):
        return f".. autoclass:: {target}\n   :members:\n"
    if callable(obj):
        return f".. autofunction:: {target}\n"
    return f".. autodata:: {target}\n   :annotation: = {obj!r}\n"


def _kind(name: str) -> str:
    obj = getattr(backprop_widgets, name)
    if inspect.ismodule(obj):
        return "Modules"
    if inspect.isclass(obj):
        return "Widgets" if obj.__module__.startswith("backprop_widgets.widgets") else "Classes"
    return "Functions" if callable(obj) else "Constants"


def plain_bars() -> str:
    """Substitution definitions that turn ``|u|`` back into ``|u|``.

    The docstrings are plain text with mathematics in it, and reStructuredText reads ``|u|``
    (an absolute value) as a substitution reference. Defining each such ``|…|`` found in the
    package's sources as itself lets the docstrings stay as they are.
    """
    names: dict[str, str] = {}
    bars = re.compile(r"(?<![\w|\\])\|([^|\s`*]|[^|\s`*][^|\n`*]{0,38}[^|\s`*])\|(?![\w|])")
    for path in sorted((ROOT / "backprop_widgets").rglob("*.py")):
        for name in bars.findall(path.read_text(encoding="utf-8")):
            names.setdefault(" ".join(name.lower().split()), name)
    lines = []
    for name in names.values():
        escaped = re.sub(r"([\\`*_|])", r"\\\1", name)
        lines.append(f".. |{name}| replace:: \\|{escaped}\\|")
    return "\n".join(lines) + "\n"


def api_reference() -> str:
    groups: dict[str, list[str]] = {}
    for name in backprop_widgets.__all__:
        groups.setdefault(_kind(name), []).append(name)
    parts = [plain_bars()]
    for kind in ("Classes", "Functions", "Widgets", "Modules", "Constants"):
        if kind not in groups:
            continue
        parts.append(f"{kind}\n{'-' * len(kind)}\n")
        for name in groups[kind]:
            title = f"``{name}``"
            parts.append(f"{title}\n{'~' * len(title)}\n\n{_api_entry(name)}")
    return "\n".join(parts)


# --------------------------------------------------------------------------- other pages


def readme_section(title: str) -> str:
    """The README's ``## <title>…`` section without its heading (the page has its own title)."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    m = re.search(rf"^## {re.escape(title)}[^\n]*\n(.*?)(?=^## |\Z)", readme, re.M | re.S)
    if not m:
        raise ValueError(f"README.md has no section starting '## {title}'")
    body = re.sub(r"^#(#+) ", r"\1 ", m.group(1), flags=re.M)
    # Links relative to the README point into the repository, not into this site.
    body = re.sub(
        r"(\]\()(?![a-z][a-z0-9+.-]*:|#)([^)\s]+)\)", rf"\1{REPOSITORY}/blob/main/\2)", body
    )
    return body.strip() + "\n"


def _notebook_title(path: Path) -> str:
    """The notebook's first heading; the solutions of a homework say so (same heading)."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    title = path.stem
    for cell in nb["cells"]:
        m = re.search(r"^# (.+)$", "".join(cell["source"]), re.M)
        if cell["cell_type"] == "markdown" and m:
            title = m.group(1).strip()
            break
    if path.stem.endswith("_solutions"):
        title += " (solutions)"
    return title.replace("<", "\\<")


def notebook_list() -> str:
    lines = ["```{toctree}", ":maxdepth: 1", ""]
    for path in sorted((DOCS / "_notebooks").glob("*.ipynb")):
        lines.append(f"{_notebook_title(path)} <_notebooks/{path.stem}>")
    return "\n".join([*lines, "```", ""])


def _fill(app, docname: str, source: list[str]) -> None:
    text = source[0]
    if "{{ api_reference }}" in text:
        text = text.replace("{{ api_reference }}", api_reference())
    if "{{ notebook_list }}" in text:
        text = text.replace("{{ notebook_list }}", notebook_list())
    if "{{ readme_instructors }}" in text:
        text = text.replace("{{ readme_instructors }}", readme_section("For instructors"))
    for m in re.finditer(r"\{\{ host_tests (\w+) \}\}", text):
        text = text.replace(m.group(0), host_tests(ROOT / "tests" / "browser", m.group(1)))
    for m in re.finditer(r"\{\{ host_status (\w+) \}\}", text):
        text = text.replace(m.group(0), host_status(ROOT / "tests" / "browser", m.group(1)))
    text = text.replace("{{ repository }}", REPOSITORY)
    source[0] = text


def _prepare(app) -> None:
    prepare_notebooks(ROOT / "notebooks", DOCS / "_notebooks")


def setup(app):
    app.connect("builder-inited", _prepare)
    app.connect("source-read", _fill)
    return {"parallel_read_safe": True}
