"""Hosts other than JupyterLab for the browser tests: marimo (run and edit) and Voilà.

Each host is a real server process on 127.0.0.1 with a throwaway HOME / Jupyter config, started
once per test session by the fixtures in ``conftest.py`` (``marimo_app``, ``voila_server``) and
opened in the same headless Chromium as the JupyterLab tests.

Two things differ from JupyterLab and matter for tests:

* marimo puts each widget inside a shadow root. Playwright's CSS locators (``page.locator``)
  pierce open shadow roots; ``document.querySelector`` inside ``page.evaluate`` does not, and
  ``document.elementFromPoint`` answers with the shadow host. Use locators, and
  :func:`point_on_edge` for a click on one edge of a diagram.
* Voilà's page template links Font Awesome from a CDN (cdn.jsdelivr.net). With no internet the
  browser logs "Failed to load resource" for it. :func:`keep_offline` answers that one request
  with an empty style sheet and records any other request that would leave 127.0.0.1 as a page
  error, so a test also proves our own bundle (KaTeX and its fonts included) fetches nothing.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
APPS = HERE / "apps"
ARTIFACTS = HERE / "artifacts"

#: How long a server may take to answer its first request, in seconds.
START_TIMEOUT = 90.0


def find_chromium() -> str | None:
    """Debian's Chromium binary, or None.

    In order: ``$BW_CHROMIUM``; ``chromium`` on PATH (Debian's ``/usr/bin/chromium`` is a shell
    script that starts ``/usr/lib/chromium/chromium``; the real binary is returned when it sits
    there); ``/usr/lib/chromium/chromium``. Never Playwright's own browser download.
    """
    override = os.environ.get("BW_CHROMIUM", "").strip()
    if override:
        return override
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if not found:
            continue
        real = Path(os.path.realpath(found))
        if _is_script(real):
            binary = real.parent.parent / "lib" / "chromium" / "chromium"
            if binary.is_file() and os.access(binary, os.X_OK):
                return str(binary)
        return str(real)
    fallback = Path("/usr/lib/chromium/chromium")
    return str(fallback) if fallback.is_file() else None


def _is_script(path: Path) -> bool:
    try:
        with open(path, "rb") as f:
            return f.read(2) == b"#!"
    except OSError:
        return False


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def server_env(tmp: Path, **extra: str) -> dict[str, str]:
    """The environment of a server process: everything Jupyter, IPython, matplotlib and marimo
    write goes under ``tmp``; the kernel imports this repository's ``backprop_widgets``."""
    env = dict(os.environ)
    env.update(
        HOME=str(tmp / "home"),
        JUPYTER_CONFIG_DIR=str(tmp / "config"),
        JUPYTER_RUNTIME_DIR=str(tmp / "runtime"),
        IPYTHONDIR=str(tmp / "ipython"),
        MPLCONFIGDIR=str(tmp / "matplotlib"),
        MARIMO_SKIP_UPDATE_CHECK="1",
        PYTHONPATH=os.pathsep.join(p for p in (str(REPO), env.get("PYTHONPATH", "")) if p),
    )
    env.pop("ANYWIDGET_HMR", None)
    env.update(extra)
    (tmp / "home").mkdir(parents=True, exist_ok=True)
    return env


@dataclass
class HostServer:
    """A running host server (``marimo run``, ``marimo edit`` or ``voila``) on 127.0.0.1.

    Attributes
    ----------
    kind : str
        ``"marimo run"``, ``"marimo edit"`` or ``"voila"``.
    base : str
        ``http://127.0.0.1:<port>``.
    root : Path
        The directory the server serves (a temp dir; the repository is never written to).
    """

    kind: str
    base: str
    root: Path
    process: subprocess.Popen[bytes] = field(repr=False)
    log: Path = field(repr=False)

    def url(self, name: str = "", theme: str | None = None) -> str:
        """The page of ``name``: a marimo server shows its one app at ``/``; Voilà renders
        notebook ``name`` of its root at ``/voila/render/<name>`` (``?theme=dark`` with
        ``theme="dark"``; marimo follows the browser's ``prefers-color-scheme``)."""
        if self.kind == "voila":
            return f"{self.base}/voila/render/{name}" + (f"?theme={theme}" if theme else "")
        return f"{self.base}/"

    def check_alive(self) -> None:
        if self.process.poll() is not None:
            raise RuntimeError(
                f"{self.kind} exited with {self.process.returncode}:\n" + self.tail_log()
            )

    def log_mark(self) -> int:
        """Where the server's log ends now (see :meth:`assert_no_tracebacks_since`)."""
        return self.log.stat().st_size

    def assert_no_tracebacks_since(self, mark: int, page=None) -> None:
        """Fail when the server logged a traceback after ``mark`` (a cell raised; ``marimo run``
        shows only "An internal error occurred" in the page), or the page shows one."""
        with open(self.log, "rb") as f:
            f.seek(mark)
            logged = f.read().decode(errors="replace")
        assert "Traceback" not in logged, f"{self.kind} logged an error:\n{logged[-4000:]}"
        if page is not None:
            text = page.locator("body").inner_text()
            for sign in ("Traceback", "An internal error occurred"):
                assert sign not in text, f"{self.kind} shows an error:\n{text[-3000:]}"

    def tail_log(self, chars: int = 4000) -> str:
        return self.log.read_text(errors="replace")[-chars:]

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)


def _launch(
    kind: str, argv: Sequence[str], env: Mapping[str, str], root: Path, log: Path, probe: str
) -> HostServer:
    """Start ``argv`` and poll ``probe`` (a path) until the server answers."""
    with open(log, "wb") as out:
        process = subprocess.Popen(
            list(argv), env=dict(env), cwd=root, stdout=out, stderr=subprocess.STDOUT
        )
    port = next(a.split("=", 1)[1] for a in argv if a.startswith("--port="))
    server = HostServer(kind, f"http://127.0.0.1:{port}", root, process, log)
    end = time.monotonic() + START_TIMEOUT
    while True:
        server.check_alive()
        try:
            with urllib.request.urlopen(server.base + probe, timeout=10) as r:
                r.read(1)
            return server
        except (OSError, urllib.error.URLError):
            if time.monotonic() > end:
                server.stop()
                raise TimeoutError(
                    f"{kind} did not answer in {START_TIMEOUT:.0f} s:\n{server.tail_log()}"
                ) from None
            time.sleep(0.25)


def start_marimo(app: Path, tmp: Path, mode: str = "run") -> HostServer:
    """Serve the marimo app file ``app`` with ``marimo run`` or ``marimo edit``.

    The app is copied into ``tmp`` first (``marimo edit`` saves the file and writes
    ``__marimo__/`` beside it). ``marimo edit`` gets no token and a user config that runs
    the notebook on open (``auto_instantiate``), as a student opening it would see it.
    """
    if mode not in ("run", "edit"):
        raise ValueError(f"mode: 'run' or 'edit', not {mode!r}")
    root = tmp / "root"
    root.mkdir(parents=True)
    target = root / app.name
    shutil.copyfile(app, target)
    env = server_env(tmp)
    config = Path(env["HOME"]) / ".config" / "marimo"
    config.mkdir(parents=True, exist_ok=True)
    # Run on open (edit); follow the browser's prefers-color-scheme (run and edit).
    (config / "marimo.toml").write_text(
        '[runtime]\nauto_instantiate = true\n\n[display]\ntheme = "system"\n'
    )
    argv = [
        sys.executable,
        "-m",
        "marimo",
        mode,
        str(target),
        "--headless",
        "--host",
        "127.0.0.1",
        f"--port={free_port()}",
    ]
    if mode == "edit":
        argv += ["--no-token", "--no-sandbox"]
    return _launch(f"marimo {mode}", argv, env, root, tmp / f"marimo-{mode}.log", "/")


#: JupyterLab extensions Voilà must not load. Notebook 7's lab extension is installed beside
#: JupyterLab; Voilà 0.5 bundles an older JupyterLab core, and loading it there logs
#: "The getter for the shared module is not a function" (@jupyterlab/docregistry).
# Lab extensions that come with other test tools (Notebook 7, nbgrader, jupytext, ipylab) and
# log console errors when Voilà loads them; none of them is part of a lecture app.
VOILA_DENYLIST = [
    "@jupyter-notebook/lab-extension",
    "@jupyter/nbgrader",
    "jupyterlab-jupytext",
    "ipylab",
]


def start_voila(tmp: Path) -> HostServer:
    """Serve the directory ``tmp/root`` with Voilà (notebooks are written there later).

    Each notebook runs in its own kernel when its page is opened; only outputs are shown.
    """
    root = tmp / "root"
    root.mkdir(parents=True)
    denylist = "[" + ",".join(f'"{name}"' for name in VOILA_DENYLIST) + "]"
    argv = [
        sys.executable,
        "-m",
        "voila",
        str(root),
        "--no-browser",
        f"--port={free_port()}",
        "--Voila.ip=127.0.0.1",
        # A cell that raises shows its traceback (by default Voilà hides it), so a test can
        # fail with it.
        "--VoilaConfiguration.show_tracebacks=True",
        f"--VoilaConfiguration.extension_denylist={denylist}",
    ]
    return _launch("voila", argv, server_env(tmp), root, tmp / "voila.log", "/")


def write_notebook(path: Path, cells: Sequence[str]) -> Path:
    """Write a notebook of code cells to ``path`` (a markdown cell starts with ``"%%md\\n"``)."""
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    for source in cells:
        if source.startswith("%%md\n"):
            nb.cells.append(nbformat.v4.new_markdown_cell(source[len("%%md\n") :]))
        else:
            nb.cells.append(nbformat.v4.new_code_cell(source))
    nbformat.write(nb, str(path))
    return path


# --------------------------------------------------------------------------- in the page

#: Voilà's template links these from a CDN; they are answered with an empty style sheet.
_HOST_CDN = re.compile(r"^https://cdn\.jsdelivr\.net/npm/@fortawesome/")
_LOCAL = re.compile(r"^(https?|wss?)://(127\.0\.0\.1|localhost)(:\d+)?/")


def keep_offline(page, record: Callable[[str, str], None]) -> None:
    """Answer Voilà's Font Awesome links with empty CSS; record every other request that
    would leave this machine as an error (via ``record(kind, text)``) and abort it."""

    def handle(route) -> None:
        url = route.request.url
        if _HOST_CDN.match(url):
            route.fulfill(status=200, content_type="text/css", body="/* offline */")
            return
        record("request off this machine", url)
        route.abort()

    page.route(lambda url: not _LOCAL.match(url) and not url.startswith(("data:", "blob:")), handle)


def point_on_edge(root, layer: int, i: int, j: int) -> tuple[float, float]:
    """Page coordinates of a point on the diagram's edge W(ℓ)[i, j] that no other edge
    covers, found inside the edge's own root (a shadow root in marimo)."""
    line = root.locator(
        f'[data-testid="bw-edge"][data-layer="{layer}"][data-i="{i}"][data-j="{j}"] .bw-edge-line'
    )
    for t in (0.35, 0.25, 0.45, 0.2, 0.55, 0.65, 0.15, 0.75):
        found = line.evaluate(
            """(line, t) => {
                 const p = line.getPointAtLength(t * line.getTotalLength())
                   .matrixTransform(line.getScreenCTM());
                 const e = line.getRootNode().elementFromPoint(p.x, p.y);
                 const g = e && e.closest('[data-testid="bw-edge"]');
                 return [p.x, p.y, g ? [g.dataset.layer, g.dataset.i, g.dataset.j].join() : ""];
               }""",
            t,
        )
        if found[2] == f"{layer},{i},{j}":
            return found[0], found[1]
    raise AssertionError(f"no point of edge {(layer, i, j)} is free of other edges")


def wait_attribute(
    locator, name: str, accept: Callable[[str | None], bool], timeout: float = 60.0
) -> str | None:
    """Poll attribute ``name`` of ``locator`` until ``accept(value)``; return the value."""
    end = time.monotonic() + timeout
    value = None
    while time.monotonic() < end:
        with contextlib.suppress(Exception):
            value = locator.get_attribute(name, timeout=1000)
            if accept(value):
                return value
        time.sleep(0.05)
    raise AssertionError(f"{name} never became acceptable; last value {value!r}")


def wait_text(locator, accept: Callable[[str], bool], timeout: float = 60.0) -> str:
    """Poll the text of ``locator`` until ``accept(text)``; return the text."""
    end = time.monotonic() + timeout
    text = ""
    while time.monotonic() < end:
        with contextlib.suppress(Exception):
            text = locator.inner_text(timeout=1000)
            if accept(text):
                return text
        time.sleep(0.05)
    raise AssertionError(f"the text never became acceptable; last text {text!r}")


# --------------------------------------------------------------------------- the explorer

#: What a host page shows of the kernel's state, written by the app or notebook under test:
#: ``<pre data-testid="bw-py-state">sizes = [3, 4, 4, 2]\nselected = None ...</pre>``.
PY_STATE = '[data-testid="bw-py-state"]'


#: A notebook (its code cells) showing the explorer and, below it, what Python holds
#: (:data:`PY_STATE`), kept up to date by an observer of the explorer's traits.
EXPLORER_CELLS = [
    "import ipywidgets as widgets\n"
    "from IPython.display import display\n\n"
    "from backprop_widgets import BackpropExplorer\n\n"
    "ex = BackpropExplorer(sizes=[3, 4, 4, 2], seed=0)\n"
    "state = widgets.HTML()\n\n\n"
    "def show(change=None):\n"
    "    state.value = (\n"
    "        \"<pre data-testid='bw-py-state'>\"\n"
    '        f"sizes = {list(ex.sizes)}\\nselected = {ex.selected}</pre>"\n'
    "    )\n\n\n"
    "ex.observe(show, names=['sizes', 'selected'])\n"
    "show()\n"
    "display(ex, state)",
]


def py_state(page) -> dict[str, str]:
    """The lines ``name = value`` of the page's Python-state output, as a dict of strings."""
    text = page.locator(PY_STATE).first.inner_text(timeout=60_000)
    return dict(
        (part.strip() for part in line.split("=", 1)) for line in text.splitlines() if "=" in line
    )


def wait_py_state(page, name: str, value: str, timeout: float = 60.0) -> None:
    """Wait until the Python-state output says ``name = value``."""
    end = time.monotonic() + timeout
    last: dict[str, str] = {}
    while time.monotonic() < end:
        with contextlib.suppress(Exception):
            last = py_state(page)
            if last.get(name) == value:
                return
        time.sleep(0.05)
    raise AssertionError(f"Python never said {name} = {value}; it says {last}")


def control(page, name: str, layer: int | None = None):
    """The explorer's control ``data-name=name`` (and ``data-layer``), a Locator."""
    where = f'[data-testid="bw-control"][data-name="{name}"]'
    if layer is not None:
        where += f'[data-layer="{layer}"]'
    return page.locator(where).first


def wait_explorer_drawn(page):
    """Wait until the one-anywidget explorer has painted; returns its outermost Locator."""
    app = page.locator('[data-testid="bw-explorer-app"][data-drawn="true"]').first
    app.wait_for(timeout=90_000)
    page.locator('[data-testid="bw-explorer"][data-rendered]').first.wait_for()
    return app


def check_explorer_round_trips(page) -> None:
    """The explorer's front end and the kernel, as a student uses them, in any host.

    The page must show the explorer and a Python-state output (:data:`PY_STATE`) with
    ``sizes = [...]`` and ``selected = ...`` lines. Steps: widen the layer whose heatmap is
    shown by one unit in its n(ℓ) field (Enter): the new width reaches Python and the heatmaps
    get one more row, and Next shows the new scene's next step; type 0 there: refused next to
    the field, which keeps the 0, and Python keeps its sizes; click the entry in row 1, column
    2 of the analytic heatmap: the explorer marks it selected and Python's ``selected`` is
    (ℓ, 0, 1).
    """
    wait_explorer_drawn(page)
    analytic = page.locator('[data-testid="bw-heatmap"][data-kind="analytic"]').first
    ell = int(analytic.get_attribute("data-layer"))
    sizes = [int(n) for n in py_state(page)["sizes"].strip("[]").split(",")]
    assert int(analytic.get_attribute("data-rows")) == sizes[ell]
    assert int(analytic.get_attribute("data-cols")) == sizes[ell - 1]

    width = control(page, "n", ell)
    assert int(width.input_value()) == sizes[ell]
    wider = [*sizes[:ell], sizes[ell] + 1, *sizes[ell + 1 :]]
    width.fill(str(wider[ell]))
    width.press("Enter")
    wait_py_state(page, "sizes", str(wider))
    wait_attribute(analytic, "data-rows", lambda v: v == str(wider[ell]))
    assert int(analytic.get_attribute("data-cols")) == wider[ell - 1]
    # the steps not on screen come when the page, having drawn the change, asks: Next works
    stepper = page.locator('[data-testid="bw-stepper"]').first
    wait_attribute(stepper, "data-pending", lambda v: v == "false")
    k = int(stepper.get_attribute("data-step"))
    stepper.locator('[data-testid="bw-step-next"]').click()
    wait_attribute(stepper, "data-step", lambda v: v == str(k + 1))

    width.fill("0")
    width.press("Enter")
    message = page.locator(f'[data-testid="bw-message"][data-name="n"][data-layer="{ell}"]')
    message.first.wait_for()
    assert message.first.inner_text().strip(), "the refusal says nothing"
    assert width.input_value() == "0", "the refused field lost what was typed"
    assert py_state(page)["sizes"] == str(wider)
    assert analytic.get_attribute("data-rows") == str(wider[ell])

    heat = page.locator('[data-testid="bw-explorer"]').first
    cell = float(analytic.get_attribute("data-cell"))
    analytic.click(position={"x": 1.5 * cell, "y": 0.5 * cell})
    wait_attribute(heat, "data-selected", lambda v: v == f"{ell},0,1")
    wait_py_state(page, "selected", f"({ell}, 0, 1)")


def screenshot_explorer(page, label: str) -> Path:
    """Save a picture of the explorer alone as ``artifacts/explorer-<label>.png``.

    The page is made tall enough first: marimo scrolls inside its own container, and a
    screenshot of an element taller than the window comes out blank above the fold.
    """
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"explorer-{label}.png"
    size = page.viewport_size or {"width": 1280, "height": 900}
    page.set_viewport_size({"width": size["width"], "height": 2400})
    try:
        app = page.locator('[data-testid="bw-explorer-app"]').first
        app.scroll_into_view_if_needed()
        page.evaluate("() => new Promise((r) => requestAnimationFrame(() => r()))")
        app.screenshot(path=str(path))
    finally:
        page.set_viewport_size(size)
    return path


def text_luminance(locator) -> float:
    """Relative luminance (0 black .. 1 white) of the text colour of ``locator``'s element:
    above 0.5 means light text, i.e. a dark theme."""
    return locator.evaluate(
        """(el) => {
             const [r, g, b] = getComputedStyle(el).color.match(/[\\d.]+/g).map(Number);
             const lin = (c) => { c /= 255; return c <= 0.03928 ? c / 12.92
                                  : Math.pow((c + 0.055) / 1.055, 2.4); };
             return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
           }"""
    )
