"""``backprop-widgets notebooks [DIR]`` and ``backprop-widgets lab [DIR]``.

The copies a student works in are theirs: a changed copy is kept (and said so) unless
``--force``; a copy nobody touched is refreshed when the package brings a newer notebook.
``lab`` is tested by starting a real JupyterLab and asking it for the tour.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from backprop_widgets import __version__, _cli
from backprop_widgets._cli import MANIFEST, copy_notebooks, main

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted(p.name for p in (ROOT / "notebooks").glob("*.ipynb"))
# Also shipped and copied: marimo's versions of the notebooks.
SHIPPED = sorted([*NOTEBOOKS, *(p.name for p in (ROOT / "notebooks").glob("*_marimo.py"))])


def statuses(folder: Path, **kwargs) -> dict[str, str]:
    return {c.name: c.status for c in copy_notebooks(folder, **kwargs)}


def test_the_notebooks_come_from_the_repository_in_a_checkout() -> None:
    # An editable install has no backprop_widgets/notebooks/; a wheel has (tests/test_package.py).
    assert _cli.shipped_notebooks() == ROOT / "notebooks"


def test_copies_every_notebook_into_a_new_folder(tmp_path: Path, capsys) -> None:
    target = tmp_path / "course" / "week1"
    assert main(["notebooks", str(target)]) == 0
    assert sorted(p.name for p in target.iterdir() if p.name != MANIFEST) == SHIPPED
    for name in SHIPPED:
        assert (target / name).read_bytes() == (ROOT / "notebooks" / name).read_bytes()
    out = capsys.readouterr().out
    assert out.count(" copied") == len(SHIPPED)
    assert str(target.resolve()) in out and "backprop-widgets lab" in out


def test_the_default_folder_is_in_the_current_directory(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["notebooks"]) == 0
    assert sorted(p.name for p in (tmp_path / _cli.DEFAULT_DIR).glob("*.ipynb")) == NOTEBOOKS


def test_a_changed_copy_is_kept_unless_forced(tmp_path: Path, capsys) -> None:
    copy_notebooks(tmp_path)
    tour = tmp_path / "01_tour.ipynb"
    mine = tour.read_text(encoding="utf-8").replace("five minutes", "five minutes (my notes)")
    tour.write_text(mine, encoding="utf-8")

    assert main(["notebooks", str(tmp_path)]) == 0
    assert tour.read_text(encoding="utf-8") == mine
    out = capsys.readouterr().out
    assert "01_tour.ipynb" in out and "kept: you changed it" in out and "--force" in out
    rest = statuses(tmp_path)
    assert rest.pop("01_tour.ipynb") == "kept"
    assert set(rest.values()) == {"unchanged"}

    assert statuses(tmp_path, force=True)["01_tour.ipynb"] == "replaced"
    assert tour.read_bytes() == (ROOT / "notebooks" / "01_tour.ipynb").read_bytes()
    assert set(statuses(tmp_path).values()) == {"unchanged"}


def test_an_untouched_copy_is_refreshed_when_the_package_brings_a_new_one(
    tmp_path: Path, monkeypatch
) -> None:
    old = tmp_path / "shipped-before"
    old.mkdir()
    for name in SHIPPED:
        (old / name).write_text('{"an": "older version"}\n', encoding="utf-8")
    monkeypatch.setattr(_cli, "shipped_notebooks", lambda: old)
    copies = tmp_path / "copies"
    assert set(statuses(copies).values()) == {"copied"}
    monkeypatch.undo()  # the package is upgraded: its notebooks are the repository's again

    assert set(statuses(copies).values()) == {"refreshed"}
    for name in SHIPPED:
        assert (copies / name).read_bytes() == (ROOT / "notebooks" / name).read_bytes()
    manifest = json.loads((copies / MANIFEST).read_text(encoding="utf-8"))
    assert sorted(manifest["files"]) == SHIPPED


def test_a_copy_of_unknown_origin_is_kept(tmp_path: Path) -> None:
    # No manifest: the file was not written by this command, so it is never replaced.
    (tmp_path / "01_tour.ipynb").write_text("{}", encoding="utf-8")
    assert statuses(tmp_path)["01_tour.ipynb"] == "kept"
    assert (tmp_path / "01_tour.ipynb").read_text(encoding="utf-8") == "{}"


def test_dir_that_is_a_file_is_refused(tmp_path: Path, capsys) -> None:
    a_file = tmp_path / "notes.txt"
    a_file.write_text("mine", encoding="utf-8")
    assert main(["notebooks", str(a_file)]) == 2
    err = capsys.readouterr().err
    assert "DIR must be a folder" in err and "notes.txt" in err and "is a file" in err
    assert a_file.read_text(encoding="utf-8") == "mine"


def test_a_folder_where_a_notebook_should_go_is_refused(tmp_path: Path, capsys) -> None:
    (tmp_path / NOTEBOOKS[-1]).mkdir()
    assert main(["notebooks", str(tmp_path)]) == 2
    assert "is a folder" in capsys.readouterr().err
    assert list(tmp_path.glob("*.ipynb")) == [tmp_path / NOTEBOOKS[-1]]  # nothing half-copied


def command(*args: str, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "backprop_widgets", *args],
        capture_output=True,
        text=True,
        timeout=120,
        **kwargs,
    )


def test_unknown_command_and_no_command_are_clear_errors() -> None:
    done = command("notebook")
    assert done.returncode == 2
    assert "invalid choice: 'notebook'" in done.stderr and "'notebooks'" in done.stderr
    done = command()
    assert done.returncode == 2 and "choose a command: notebooks or lab" in done.stderr
    done = command("notebooks", "a", "b")
    assert done.returncode == 2 and "unrecognized arguments: b" in done.stderr


def test_version_is_the_package_metadata() -> None:
    done = command("--version")
    assert done.returncode == 0 and done.stdout.split() == ["backprop-widgets", __version__]
    assert __version__ != "0+unknown"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_lab_copies_the_notebooks_and_serves_the_tour_from_the_copies(tmp_path: Path) -> None:
    pytest.importorskip("jupyterlab")
    port, token = free_port(), "bw-test-token"
    target = tmp_path / "lab-copies"
    env = dict(os.environ, JUPYTER_RUNTIME_DIR=str(tmp_path / "runtime"))
    server = subprocess.Popen(
        [
            sys.executable, "-m", "backprop_widgets", "lab", str(target),
            "--no-browser", f"--port={port}", "--ServerApp.ip=127.0.0.1",
            f"--IdentityProvider.token={token}", "--allow-root",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
    )  # fmt: skip
    try:
        url = f"http://127.0.0.1:{port}/api/contents/01_tour.ipynb?token={token}"
        deadline = time.monotonic() + 120
        while True:
            assert server.poll() is None, server.stdout.read()
            try:
                with urllib.request.urlopen(url, timeout=5) as response:
                    model = json.load(response)
                break
            except OSError:
                assert time.monotonic() < deadline, "JupyterLab did not answer within 120 s"
                time.sleep(0.5)
        assert model["type"] == "notebook"
        tour = json.loads((ROOT / "notebooks" / "01_tour.ipynb").read_text(encoding="utf-8"))
        assert model["content"]["cells"][1]["source"] == "".join(tour["cells"][1]["source"])
        assert sorted(p.name for p in target.glob("*.ipynb")) == NOTEBOOKS
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/lab?token={token}") as response:
            assert response.status == 200 and "JupyterLab" in response.read().decode()
    finally:
        server.terminate()
        try:
            out, _ = server.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            out, _ = server.communicate()
    # The server ran in the copies' folder and was told to open the tour (its root is the copy).
    assert "01_tour.ipynb" in out and str(target.resolve()) in out


def test_lab_without_jupyterlab_says_how_to_get_it(tmp_path: Path, monkeypatch, capsys) -> None:
    monkeypatch.setattr(_cli, "find_spec", lambda name: None)
    assert main(["lab", str(tmp_path / "copies")]) == 2
    err = capsys.readouterr().err
    assert "JupyterLab is not installed" in err and "backprop-widgets[lab]" in err
    assert not (tmp_path / "copies").exists()


def test_lab_refuses_an_option_value_that_would_become_dir(
    tmp_path: Path, monkeypatch, capsys
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(_cli, "_lab", lambda *a: pytest.fail("lab started with DIR=8890"))
    assert main(["lab", "--port", "8890"]) == 2
    err = capsys.readouterr().err
    assert "--port 8890: write --port=8890" in err
    assert not (tmp_path / "8890").exists()
