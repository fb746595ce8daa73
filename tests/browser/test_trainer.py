"""bw.Trainer in a real JupyterLab: it draws, plays, pauses, steps, resets, and a click on a
data point opens the explorer on the current weights."""

from __future__ import annotations

import re
import time

import pytest

pytestmark = pytest.mark.browser

CELLS = [
    "import backprop_widgets as bw\n"
    "net = bw.MLP([2, 8, 1], 'tanh', bias=True, seed=0)\n"
    "tr = bw.Trainer(net, 'circles', lr=0.5)\n"
    "tr",
    "print('STATE', tr.steps, tr.running, tr.history.step[-1])",
    "print('EXPLORER', type(tr.explorer).__name__, tr.picked)",
]
EXPLORER = '[data-testid="bw-explorer-app"], [data-testid="bw-explorer"]'


def steps(root) -> int:
    return int(root.get_attribute("data-steps") or -1)


def wait_attr(nb, root, name: str, ok, what: str, timeout: float = 20.0) -> str:
    end = time.monotonic() + timeout
    value = None
    while time.monotonic() < end:
        value = root.get_attribute(name)
        if value is not None and ok(value):
            return value
        nb.page.wait_for_timeout(30)
    raise AssertionError(f"{what}: {name}={value!r}")


def distinct_colours(canvas) -> int:
    return canvas.evaluate(
        """(c) => {
             const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
             const seen = new Set();
             for (let k = 0; k < d.length; k += 16) seen.add(d[k] << 16 | d[k+1] << 8 | d[k+2]);
             return seen.size;
           }"""
    )


def kernel_state(nb) -> tuple[int, bool, int]:
    m = re.search(r"STATE (\d+) (True|False) (\d+)", nb.run_cell(1))
    assert m, nb.output_text(1)
    return int(m.group(1)), m.group(2) == "True", int(m.group(3))


def test_trainer_plays_pauses_steps_resets_and_opens_the_explorer(jupyter_lab, open_notebook):
    nb = open_notebook(jupyter_lab, CELLS)
    nb.run_all()
    root = nb.widget("bw-trainer")
    wait_attr(nb, root, "data-drawn", lambda v: v == "true", "the trainer never drew")
    assert steps(root) == 0
    boundary = nb.widget("bw-boundary")
    assert int(boundary.get_attribute("data-samples")) == 200  # 150 train + 50 test
    assert distinct_colours(boundary) > 20
    assert distinct_colours(nb.widget("bw-loss-curve")) > 2
    assert nb.widget("bw-diagram").locator('[data-testid="bw-edge"]').count() == 2 * 8 + 8
    nb.screenshot("drawn")

    # play: data-steps grows at every repaint
    nb.widget("bw-train-play").click()
    first = int(wait_attr(nb, root, "data-steps", lambda v: int(v) > 0, "play did not step"))
    wait_attr(nb, root, "data-steps", lambda v: int(v) > first, "play stopped repainting")
    assert root.get_attribute("data-running") == "true"
    nb.screenshot("playing")

    # pause: it stops, and the page and the kernel agree on where
    nb.widget("bw-train-pause").click()
    wait_attr(nb, root, "data-running", lambda v: v == "false", "pause did not stop it")
    paused = steps(root)
    nb.page.wait_for_timeout(400)
    assert steps(root) == paused
    assert kernel_state(nb) == (paused, False, paused)

    nb.widget("bw-train-step").click()
    wait_attr(nb, root, "data-steps", lambda v: int(v) == paused + 1, "step did not step")

    # pause, click a data point: the explorer opens on that sample
    rect = boundary.bounding_box()
    x, y = (float(v) for v in boundary.get_attribute("data-first-sample").split(","))
    nb.page.mouse.click(rect["x"] + x, rect["y"] + y)
    nb.page.locator(EXPLORER).first.wait_for(timeout=30_000)
    out = nb.run_cell(2)
    assert "EXPLORER BackpropExplorer" in out and "'train'" in out, out
    nb.screenshot("explorer")

    nb.widget("bw-train-reset").click()
    wait_attr(nb, root, "data-steps", lambda v: v == "0", "reset did not reset")
    assert nb.page.locator(EXPLORER).count() == 0  # reset closes the explorer
    assert kernel_state(nb) == (0, False, 0)


def test_a_hundred_play_pause_clicks_end_consistent(jupyter_lab, open_notebook):
    nb = open_notebook(jupyter_lab, CELLS[:2])
    nb.run_all()
    root = nb.widget("bw-trainer")
    wait_attr(nb, root, "data-drawn", lambda v: v == "true", "the trainer never drew")
    play, pause = nb.widget("bw-train-play"), nb.widget("bw-train-pause")
    # The page itself clicks, one toggle due every 40 ms (the buttons are enabled by the state the
    # kernel sends back, so the click events are dispatched directly): 100 toggles in 4 s of
    # the page's clock, whatever Playwright's own round trips cost on a loaded machine.
    elapsed = nb.page.evaluate(
        """() => new Promise((done) => {
            const play = document.querySelector('[data-testid="bw-train-play"]');
            const pause = document.querySelector('[data-testid="bw-train-pause"]');
            const start = performance.now();
            let k = 0;
            // toggle k is due at start + 40k ms; a late timer fires every toggle that is due
            const tick = () => {
                while (k < 100 && performance.now() - start >= 40 * k) {
                    (k % 2 === 0 ? play : pause).dispatchEvent(new MouseEvent("click"));
                    k += 1;
                }
                if (k < 100) setTimeout(tick, 10); else done(performance.now() - start);
            };
            tick();
        })"""
    )
    assert elapsed < 5000, f"the 100 toggles took {elapsed:.0f} ms in the page"
    wait_attr(nb, root, "data-running", lambda v: v == "false", "not paused after the toggles")
    nb.page.wait_for_timeout(300)
    settled = steps(root)
    assert settled > 0
    nb.page.wait_for_timeout(300)
    assert steps(root) == settled
    assert kernel_state(nb) == (settled, False, settled)
    # and it still plays afterwards
    play.click()
    wait_attr(nb, root, "data-steps", lambda v: int(v) > settled, "no play after the toggles")
    pause.click()
    wait_attr(nb, root, "data-running", lambda v: v == "false", "pause did not stop it")


def test_controls_while_playing_and_rerunning_the_cell_stops_its_loop(jupyter_lab, open_notebook):
    cells = [
        CELLS[0],
        "old = tr",
        "print('OLD', old.running, old.steps, old.lr, old.batch_size)",
    ]
    nb = open_notebook(jupyter_lab, cells)
    nb.run_all()
    root = nb.widget("bw-trainer")
    wait_attr(nb, root, "data-drawn", lambda v: v == "true", "the trainer never drew")
    nb.widget("bw-train-play").click()
    wait_attr(nb, root, "data-running", lambda v: v == "true", "play did not start")

    # η and the batch size change while it plays; a refused value is explained beside its field
    lr = root.locator('[data-testid="bw-control"][data-name="lr"]')
    lr.fill("0.05")
    lr.press("Enter")
    batch = root.locator('[data-testid="bw-control"][data-name="batch_size"]')
    batch.fill("32")
    batch.press("Enter")
    lr.fill("-1")
    lr.press("Enter")
    refusal = root.locator('[data-testid="bw-message"][data-name="lr"]')
    refusal.wait_for(state="visible")
    assert "must be > 0" in refusal.inner_text()
    assert lr.input_value() == "-1"  # the field keeps what was typed
    m = re.search(r"OLD True \d+ 0.05 32", nb.run_cell(2))
    assert m, nb.output_text(2)

    # the log-scale switch redraws the loss curve
    root.locator('[data-testid="bw-control"][data-name="log_scale"]').check()
    legend = root.locator("figcaption").nth(1)
    end = time.monotonic() + 10
    while "(log scale)" not in legend.inner_text() and time.monotonic() < end:
        nb.page.wait_for_timeout(50)
    assert "(log scale)" in legend.inner_text()
    nb.screenshot("log-scale")

    # running the cell again makes a new trainer; the old one stops playing
    nb.run_cell(0)
    nb.page.wait_for_timeout(300)
    first = re.search(r"OLD (True|False) (\d+)", nb.run_cell(2))
    assert first and first.group(1) == "False", nb.output_text(2)
    nb.page.wait_for_timeout(400)
    second = re.search(r"OLD (True|False) (\d+)", nb.run_cell(2))
    assert second and second.group(2) == first.group(2)
    assert steps(nb.widget("bw-trainer")) == 0  # the new trainer, not playing
