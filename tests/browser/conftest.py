"""The real-browser harness: JupyterLab, Notebook 7, marimo and Voilà driven by headless Chromium.

One server of each kind and one Chromium per test session (the marimo and Voilà servers are
started by ``tests/browser/hosts.py``); one browser context and page per
test. Tests write their own notebooks from cell sources, open them, run them and then look at
the widgets' stable ``data-testid`` hooks. See ``tests/browser/README.md`` for how to use the
fixtures; in short::

    @pytest.mark.browser
    def test_something(jupyter_lab, open_notebook):
        nb = open_notebook(jupyter_lab, ["from backprop_widgets import MLP", "..."])
        nb.run_all()
        diagram = nb.wait_rendered("bw-diagram")
        ...

Without Chromium the tests skip and say why, unless ``CI=true`` (then they fail).
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import secrets
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from .hosts import (
    HostServer,
    find_chromium,
    free_port,
    keep_offline,
    server_env,
    start_marimo,
    start_voila,
    write_notebook,
)

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
ARTIFACTS = HERE / "artifacts"

#: Debian's Chromium: $BW_CHROMIUM, else `chromium` on PATH (its real binary), else
#: /usr/lib/chromium/chromium (see :func:`hosts.find_chromium`). Never Playwright's own download.
CHROMIUM = find_chromium() or "/usr/lib/chromium/chromium"
#: Flags that keep Chromium quiet and working as root on a machine with a closed network.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
#: Console errors that are known to be harmless. Notebook 7 logs this one on every page load.
ALLOWED_CONSOLE_ERRORS = ("Cannot read properties of undefined (reading 'schema')",)

#: Default timeout for every Playwright wait, in milliseconds.
TIMEOUT_MS = 60_000
VIEWPORT = {"width": 1280, "height": 900}

_PROMPT_NUMBER = re.compile(r"\[(\d+)\]")


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() == "true"


def skip_or_fail(reason: str) -> None:
    """Skip on a user's machine; fail under CI=true, where every browser test must run."""
    if in_ci():
        pytest.fail(f"{reason} (CI=true: the browser tests must run here)", pytrace=False)
    pytest.skip(reason)


def _safe_name(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", text).strip("_")[:120]


# --------------------------------------------------------------------------- the servers


@dataclass
class JupyterServer:
    """A running ``jupyter lab`` or ``jupyter notebook`` (Notebook 7) on 127.0.0.1.

    Attributes
    ----------
    kind : "lab" or "notebook"
    base : str
        ``http://127.0.0.1:<port>``.
    token : str
        The random token the server requires.
    root : Path
        The server's root directory (a temp dir); notebooks are written here.
    config_dir : Path
        ``JUPYTER_CONFIG_DIR`` of the server; user settings live under ``lab/user-settings``.
    """

    kind: str
    base: str
    token: str
    root: Path
    config_dir: Path
    process: subprocess.Popen[bytes] = field(repr=False)
    log: Path = field(repr=False)

    def write_notebook(self, name: str, cells: Sequence[str]) -> str:
        """Write a notebook of code cells (a markdown cell starts with ``"%%md\\n"``).

        Returns the notebook's path relative to the server root.
        """
        if not name.endswith(".ipynb"):
            name += ".ipynb"
        write_notebook(self.root / name, cells)
        return name

    def url(self, name: str) -> str:
        """The page that opens notebook ``name`` in this server's UI."""
        if self.kind == "lab":
            return f"{self.base}/lab/tree/{name}?reset&token={self.token}"
        return f"{self.base}/notebooks/{name}?token={self.token}"

    def api(self, path: str, method: str = "GET") -> Any:
        """Call a REST endpoint of the server (``/api/...``); the decoded JSON, or None."""
        req = urllib.request.Request(
            f"{self.base}{path}", method=method, headers={"Authorization": f"token {self.token}"}
        )
        with urllib.request.urlopen(req, timeout=10) as r:
            body = r.read()
        return json.loads(body) if body else None

    def shutdown_kernel(self, name: str) -> None:
        """End the session (and kernel) of notebook ``name``, if any."""
        for s in self.api("/api/sessions"):
            if s.get("path") == name:
                with contextlib.suppress(OSError):
                    self.api(f"/api/sessions/{s['id']}", method="DELETE")

    def wait_kernel_idle(self, name: str, timeout: float = 120.0) -> None:
        """Poll ``/api/sessions`` until notebook ``name`` has a kernel reporting ``idle``.

        The notebook's toolbar says "idle" before any kernel exists; only the server knows.
        """
        end = time.monotonic() + timeout
        last: list[Any] = []
        while time.monotonic() < end:
            self.check_alive()
            last = self.api("/api/sessions")
            for s in last:
                kernel = s.get("kernel") or {}
                if s.get("path") == name and kernel.get("execution_state") == "idle":
                    return
            time.sleep(0.2)
        raise TimeoutError(f"the kernel of {name} never became idle; sessions: {last}")

    def check_alive(self) -> None:
        if self.process.poll() is not None:
            raise RuntimeError(
                f"jupyter {self.kind} exited with {self.process.returncode}:\n"
                + self.log.read_text(errors="replace")[-4000:]
            )

    @contextlib.contextmanager
    def lab_theme(self, theme: str) -> Iterator[None]:
        """Use a JupyterLab theme (e.g. ``"JupyterLab Dark"``) for pages opened inside."""
        path = self.config_dir / "lab/user-settings/@jupyterlab/apputils-extension"
        path.mkdir(parents=True, exist_ok=True)
        settings = path / "themes.jupyterlab-settings"
        settings.write_text(json.dumps({"theme": theme}))
        try:
            yield
        finally:
            settings.unlink(missing_ok=True)


def _start_server(kind: str, tmp: Path) -> JupyterServer:
    root = tmp / "root"  # what the UI shows; logs and config stay outside it
    root.mkdir()
    config = tmp / "config"
    settings = config / "lab/user-settings/@jupyterlab/apputils-extension"
    settings.mkdir(parents=True)
    # No news / update toast over the screenshots.
    (settings / "notification.jupyterlab-settings").write_text(
        json.dumps({"fetchNews": "false", "checkForUpdates": False})
    )
    # Config, runtime, IPython and matplotlib dirs under tmp; the kernel imports the
    # repository's backprop_widgets, whatever is installed.
    env = server_env(tmp, JUPYTERLAB_WORKSPACES_DIR=str(tmp / "workspaces"))
    port, token = free_port(), secrets.token_hex(16)
    module = "jupyterlab" if kind == "lab" else "notebook"
    log = tmp / f"{kind}-server.log"
    with open(log, "wb") as out:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                module,
                "--no-browser",
                "--allow-root",
                "--ip=127.0.0.1",
                f"--port={port}",
                "--port-retries=0",
                f"--IdentityProvider.token={token}",
                f"--ServerApp.root_dir={root}",
            ],
            env=env,
            cwd=root,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    server = JupyterServer(kind, f"http://127.0.0.1:{port}", token, root, config, process, log)
    end = time.monotonic() + 90
    while True:
        server.check_alive()
        try:
            server.api("/api/status")
            return server
        except (OSError, urllib.error.URLError):
            if time.monotonic() > end:
                process.terminate()
                raise TimeoutError(f"jupyter {kind} did not answer in 90 s; see {log}") from None
            time.sleep(0.25)


def _stop_server(server: JupyterServer) -> None:
    server.process.terminate()
    try:
        server.process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.process.kill()
        server.process.wait(timeout=10)


@pytest.fixture(scope="session")
def _chromium_path() -> str:
    if not os.path.exists(CHROMIUM):
        skip_or_fail(
            f"no Chromium found (tried $BW_CHROMIUM, `chromium` on PATH, {CHROMIUM}): "
            "install Debian's chromium and fonts-dejavu-core "
            "(apt-get install chromium fonts-dejavu-core) or set BW_CHROMIUM"
        )
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        skip_or_fail("playwright is not installed (pip install -e '.[test]')")
    return CHROMIUM


@pytest.fixture(scope="session")
def jupyter_lab(_chromium_path: str, tmp_path_factory: pytest.TempPathFactory):
    """A JupyterLab server for the whole session (see :class:`JupyterServer`)."""
    server = _start_server("lab", tmp_path_factory.mktemp("lab-root"))
    yield server
    _stop_server(server)


@pytest.fixture(scope="session")
def jupyter_notebook(_chromium_path: str, tmp_path_factory: pytest.TempPathFactory):
    """A Notebook 7 server for the whole session (see :class:`JupyterServer`)."""
    server = _start_server("notebook", tmp_path_factory.mktemp("nb7-root"))
    yield server
    _stop_server(server)


@pytest.fixture(scope="session")
def marimo_app(_chromium_path: str, tmp_path_factory: pytest.TempPathFactory):
    """``marimo_app(app, mode="run")``: a marimo server for the app file ``app`` (a Path),
    started once per session for each (app, mode); ``mode`` is ``"run"`` or ``"edit"``.
    Returns a :class:`hosts.HostServer`; its page is ``server.url()``."""
    try:
        import marimo  # noqa: F401
    except ImportError:
        skip_or_fail("marimo is not installed (pip install -e '.[test]')")
    servers: dict[tuple[Path, str], HostServer] = {}

    def _get(app: Path, mode: str = "run") -> HostServer:
        key = (Path(app).resolve(), mode)
        if key not in servers:
            tmp = tmp_path_factory.mktemp(f"marimo-{mode}-{_safe_name(Path(app).stem)}")
            servers[key] = start_marimo(key[0], tmp, mode)
        servers[key].check_alive()
        return servers[key]

    yield _get
    for server in servers.values():
        server.stop()


@pytest.fixture(scope="session")
def voila_server(_chromium_path: str, tmp_path_factory: pytest.TempPathFactory):
    """A Voilà server for the session, serving a temp dir (``server.root``): write a notebook
    there, then open ``server.url("<name>.ipynb")`` (see :func:`open_voila`)."""
    try:
        import voila  # noqa: F401
    except ImportError:
        skip_or_fail("voila is not installed (pip install -e '.[test]')")
    server = start_voila(tmp_path_factory.mktemp("voila"))
    yield server
    server.stop()


@pytest.fixture
def open_voila(page, page_errors: PageErrors) -> Callable[..., Any]:
    """``open_voila(server, name, theme=None)``: open notebook ``name`` of the Voilà server's
    root on this test's page (in Voilà's ``"dark"`` theme if asked), with no request leaving
    the machine (see :func:`hosts.keep_offline`); returns the page once Voilà shows the
    notebook."""

    def _open(server: HostServer, name: str, theme: str | None = None):
        keep_offline(page, page_errors.record)
        page.goto(server.url(name, theme), timeout=TIMEOUT_MS)
        # Voilà shows a spinner while the notebook runs, then the outputs.
        page.locator("#rendered_cells, .jp-Notebook").first.wait_for(timeout=TIMEOUT_MS)
        server.check_alive()
        return page

    return _open


@pytest.fixture(scope="session")
def browser(_chromium_path: str):
    """Debian's headless Chromium, driven by Playwright (one per session)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=_chromium_path, headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()


# --------------------------------------------------------------------------- one page per test


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]):
    report = yield
    setattr(item, f"_bw_report_{report.when}", report)
    return report


@dataclass
class PageErrors:
    """Console errors and uncaught page errors seen by one test's page."""

    messages: list[str] = field(default_factory=list)

    def record(self, kind: str, text: str) -> None:
        if any(allowed in text for allowed in ALLOWED_CONSOLE_ERRORS):
            return
        self.messages.append(f"{kind}: {text}")


@pytest.fixture
def page_errors() -> PageErrors:
    """The errors collected from the test's :func:`page` (a test may inspect them)."""
    return PageErrors()


@pytest.fixture
def _opened_notebooks() -> list[tuple[JupyterServer, str]]:
    return []


@pytest.fixture
def page(
    browser,
    request: pytest.FixtureRequest,
    page_errors: PageErrors,
    color_scheme: str,
    _opened_notebooks: list[tuple[JupyterServer, str]],
):
    """A fresh page (own browser context) for one test.

    Afterwards a screenshot is saved as ``tests/browser/artifacts/<test>.png`` (and
    ``<test>.FAILED.png`` when the test failed), and the test fails if the page logged a
    console error or threw an uncaught error (except :data:`ALLOWED_CONSOLE_ERRORS`).
    """
    context = browser.new_context(viewport=VIEWPORT, color_scheme=color_scheme)
    pg = context.new_page()
    pg.set_default_timeout(TIMEOUT_MS)
    pg.on(
        "console",
        lambda msg: page_errors.record("console error", msg.text) if msg.type == "error" else None,
    )
    pg.on("pageerror", lambda exc: page_errors.record("page error", str(exc)))
    yield pg
    ARTIFACTS.mkdir(exist_ok=True)
    name = _safe_name(request.node.name)
    call = getattr(request.node, "_bw_report_call", None)
    failed = call is None or call.failed
    with contextlib.suppress(Exception):
        pg.screenshot(path=str(ARTIFACTS / (f"{name}.FAILED.png" if failed else f"{name}.png")))
    context.close()
    # Two cores are shared: stop this test's kernels rather than let them pile up.
    for server, path in _opened_notebooks:
        with contextlib.suppress(Exception):
            server.shutdown_kernel(path)
    if page_errors.messages:
        print("page errors:", *page_errors.messages, sep="\n  ")
    if page_errors.messages and not failed:
        pytest.fail(
            "the page logged errors:\n  " + "\n  ".join(page_errors.messages), pytrace=False
        )


@pytest.fixture
def color_scheme() -> str:
    """The ``prefers-color-scheme`` the page emulates; override in a test module or with
    ``@pytest.mark.parametrize("color_scheme", ["dark"])``."""
    return "light"


class NotebookPage:
    """One open notebook in JupyterLab or Notebook 7, with the steps every test needs."""

    def __init__(self, page, server: JupyterServer, name: str, test_name: str):
        self.page = page
        self.server = server
        self.name = name
        self._test_name = test_name

    # -- opening and running

    def open(self) -> NotebookPage:
        """Load the notebook's page and wait until its kernel is idle."""
        self.page.goto(self.server.url(self.name))
        self.page.locator(".jp-Notebook .jp-Cell").first.wait_for()
        self.server.wait_kernel_idle(self.name)
        return self

    @property
    def code_cells(self):
        return self.page.locator(".jp-Notebook .jp-CodeCell")

    def _prompt(self, index: int):
        return self.code_cells.nth(index).locator(".jp-InputPrompt")

    def run_all(self, tries: int = 3) -> None:
        """Run > Run All Cells, retried when the click found no kernel yet; then wait until
        the last code cell has finished."""
        from playwright.sync_api import expect

        first = self._prompt(0)
        for _ in range(tries):
            dialog = self.page.locator(".jp-Dialog")
            if dialog.count():
                dialog.locator("button.jp-mod-reject").first.click()
                dialog.wait_for(state="detached")
            self.page.get_by_role("menuitem", name="Run", exact=True).click()
            self.page.locator('li[data-command="runmenu:run-all"]').click()
            try:
                expect(first).not_to_have_text(re.compile(r"\[\s*\]"), timeout=10_000)
                break
            except AssertionError:
                self.page.keyboard.press("Escape")
        else:
            raise AssertionError(f"Run All never started executing {self.name}")
        self.wait_cell_done(self.code_cells.count() - 1)
        # a retried Run All may run the cells after a failing one: its traceback still fails
        self.raise_on_traceback()

    def wait_cell_done(self, index: int, after: int | None = None) -> int:
        """Wait until code cell ``index`` shows an execution count (greater than ``after``).

        Returns the execution count.
        """
        prompt = self._prompt(index)
        end = time.monotonic() + TIMEOUT_MS / 1000
        while time.monotonic() < end:
            m = _PROMPT_NUMBER.search(prompt.inner_text())
            if m and (after is None or int(m.group(1)) > after):
                return int(m.group(1))
            self.raise_on_traceback()
            self.page.wait_for_timeout(100)
        raise AssertionError(f"cell {index} of {self.name} did not finish: {prompt.inner_text()}")

    def raise_on_traceback(self) -> None:
        """Fail at once, with the traceback, when a cell's output shows an exception (Run All
        stops at a failing cell, so waiting for later cells would only time out)."""
        errors = self.page.locator('.jp-OutputArea-output[data-mime-type*="stderr"]')
        for k in range(errors.count()):
            text = errors.nth(k).inner_text()
            if "Traceback" in text:
                raise AssertionError(f"a cell of {self.name} raised:\n{text[-3000:]}")

    def run_cell(self, index: int) -> str:
        """Execute code cell ``index`` again (Shift+Enter) and return its output text."""
        m = _PROMPT_NUMBER.search(self._prompt(index).inner_text())
        before = int(m.group(1)) if m else 0
        self._prompt(index).click()
        self.page.keyboard.press("Escape")  # command mode, whatever the click did
        self.page.keyboard.press("Control+Enter")  # run in place: no new cell at the end
        self.wait_cell_done(index, after=before)
        return self.output_text(index)

    def output_text(self, index: int) -> str:
        """The text of code cell ``index``'s outputs."""
        outputs = self.code_cells.nth(index).locator(".jp-OutputArea-output")
        return "\n".join(outputs.nth(k).inner_text() for k in range(outputs.count()))

    # -- widgets

    def widget(self, testid: str, nth: int = 0):
        """The ``nth`` element with ``data-testid=testid`` on the page (a Locator)."""
        return self.page.locator(f'[data-testid="{testid}"]').nth(nth)

    def wait_rendered(self, testid: str, nth: int = 0, *, changed_from: str | None = None):
        """Wait for a widget root that sets ``data-rendered`` after each draw.

        With ``changed_from``, wait until the value differs from it (a redraw happened).
        Returns the widget's Locator.
        """
        root = self.widget(testid, nth)
        root.wait_for()
        end = time.monotonic() + TIMEOUT_MS / 1000
        while time.monotonic() < end:
            value = root.get_attribute("data-rendered")
            if value is not None and value != changed_from:
                return root
            self.page.wait_for_timeout(50)
        raise AssertionError(f"{testid}[{nth}] was not (re)drawn: data-rendered={value!r}")

    def screenshot(self, label: str) -> Path:
        """Save a screenshot now, as ``artifacts/<test>.<label>.png``; returns the path."""
        ARTIFACTS.mkdir(exist_ok=True)
        path = ARTIFACTS / f"{_safe_name(self._test_name)}.{_safe_name(label)}.png"
        self.page.screenshot(path=str(path))
        return path


@pytest.fixture
def open_notebook(
    page, request: pytest.FixtureRequest, _opened_notebooks: list[tuple[JupyterServer, str]]
) -> Callable[..., NotebookPage]:
    """``open_notebook(server, cells, name=None)``: write a notebook of ``cells`` into the
    server's root, open it on this test's page and wait for an idle kernel."""
    counter = iter(range(1000))

    def _open(server: JupyterServer, cells: Sequence[str], name: str | None = None):
        stem = name or f"{_safe_name(request.node.name)}-{next(counter)}"
        path = server.write_notebook(stem, cells)
        _opened_notebooks.append((server, path))
        return NotebookPage(page, server, path, request.node.name).open()

    return _open
