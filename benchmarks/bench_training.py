"""``GradientDescent.fit(1000)`` (what ``bw.Trainer.fit`` runs) against the same loop in torch
and in bare numpy.

tanh [2, 8, 8, 1], no biases, squared error, 200 training samples of ``circles`` (±1 targets)
and 50 test samples, full batch, η = 0.5, float64. Each contender does, per step, what ours does:
forward and backward on the 200 samples, the batch-mean update, the mean training loss (from
that forward pass) and the mean test loss (one more forward pass) kept in a history. All three
start from the same weights; their histories are compared before timing.

Run (torch is the ``bench`` extra, never needed by the tests):

    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE .venv/bin/python benchmarks/bench_training.py

(add ``--threads 1`` to pin numpy's BLAS and torch to one thread).

With ``--browser`` it measures the widget instead, in JupyterLab in headless Chromium (Debian's,
as the browser tests): a Trainer on ``circles`` at [2, 8, 8, 1] plays for ``PLAY_SECONDS``, and
the page counts its repaints (each one draws the loss curve, the 64×64 decision boundary with
the data and the diagram: ``data-version`` of ``bw-trainer`` changes); then ``PAUSES`` times:
play for 0.5 s, click Pause, and time (in the page) until the trainer reports it stopped
(``data-running="false"``), checking that ``data-steps`` does not move afterwards.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import fmt_time, interleaved, limit_threads, machine, threads_argument

from backprop_widgets import MLP, datasets
from backprop_widgets.training import GradientDescent

SIZES = [2, 8, 8, 1]
STEPS = 1000
LR = 0.5


def main() -> None:
    import torch

    limit_threads(threads_argument())
    data = datasets.make("circles", n=250, test_fraction=0.2, targets="signed", seed=0)
    X, Y, X_test, Y_test = data
    assert X.shape == (2, 200)
    net = MLP(SIZES, "tanh", seed=0)
    N, N_test = X.shape[1], X_test.shape[1]

    def ours() -> list[float]:
        gd = GradientDescent(net, X, Y, X_test, Y_test, lr=LR)
        return gd.fit(STEPS).train

    def bare() -> list[float]:
        Ws = [W.copy() for W in net.weights]
        train: list[float] = []
        test: list[float] = []
        for step in range(STEPS + 1):
            zs, ds, z = [X], [], X
            for W in Ws:
                z = np.tanh(W @ z)
                zs.append(z)
                ds.append(1.0 - z * z)
            r = z - Y
            train.append(0.5 * float(np.vdot(r, r)) / N)
            zt = X_test
            for W in Ws:
                zt = np.tanh(W @ zt)
            rt = zt - Y_test
            test.append(0.5 * float(np.vdot(rt, rt)) / N_test)
            if step == STEPS:
                break
            delta = ds[-1] * r
            grads = [delta @ zs[-2].T]
            for k in range(len(Ws) - 2, -1, -1):
                delta = ds[k] * (Ws[k + 1].T @ delta)
                grads.insert(0, delta @ zs[k].T)
            Ws = [W - (LR / N) * g for W, g in zip(Ws, grads, strict=True)]
        return train

    tX, tY = torch.tensor(X), torch.tensor(Y)
    tXt, tYt = torch.tensor(X_test), torch.tensor(Y_test)

    def torch_loop() -> list[float]:
        ws = [torch.tensor(W, dtype=torch.float64, requires_grad=True) for W in net.weights]
        opt = torch.optim.SGD(ws, lr=LR)
        train: list[float] = []
        test: list[float] = []
        for step in range(STEPS + 1):
            opt.zero_grad()
            z = tX
            for W in ws:
                z = torch.tanh(W @ z)
            E = 0.5 * torch.sum((z - tY) ** 2) / N
            with torch.no_grad():
                zt = tXt
                for W in ws:
                    zt = torch.tanh(W @ zt)
                test.append(float(0.5 * torch.sum((zt - tYt) ** 2) / N_test))
            train.append(float(E))
            if step == STEPS:
                break
            E.backward()
            opt.step()
        return train

    a, b, c = ours(), bare(), torch_loop()
    np.testing.assert_allclose(a, b, rtol=1e-9)
    np.testing.assert_allclose(a, c, rtol=1e-9)
    print(f"## fit({STEPS}) at {SIZES}, {N} samples full batch (+ {N_test} test), float64\n")
    print(machine())
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads\n")
    times, ratios = interleaved({"ours": ours, "torch": torch_loop, "bare": bare}, rounds=7)
    print("| contender | time for fit(1000) | ratio to ours (median per round) |")
    print("| --- | --- | --- |")
    print(f"| ours: GradientDescent.fit | {fmt_time(times['ours'])} | 1 |")
    print(f"| torch (autograd + optim.SGD) | {fmt_time(times['torch'])} | {ratios['torch']:.2f}× |")
    print(f"| bare numpy loop | {fmt_time(times['bare'])} | {ratios['bare']:.2f}× |")
    print(
        f"\nours is {ratios['torch']:.1f}× faster than torch and takes "
        f"{1 / ratios['bare']:.2f}× the time of the bare numpy loop."
    )


PLAY_SECONDS = 5.0
PAUSES = 10

COUNT_REPAINTS = """async (seconds) => {
  const root = document.querySelector('[data-testid="bw-trainer"]');
  let repaints = 0;
  const paints = [];
  const obs = new MutationObserver(() => {
    repaints += 1;
    paints.push(Number(root.dataset.paintMs));
  });
  obs.observe(root, { attributes: true, attributeFilter: ["data-version"] });
  root.querySelector('[data-testid="bw-train-play"]').click();
  await new Promise((r) => setTimeout(r, 1000)); // the first repaints (warm-up) are not counted
  repaints = 0;
  paints.length = 0;
  const t0 = performance.now();
  await new Promise((r) => setTimeout(r, seconds * 1000));
  const elapsed = (performance.now() - t0) / 1000;
  obs.disconnect();
  root.querySelector('[data-testid="bw-train-pause"]').click();
  paints.sort((a, b) => a - b);
  const paint = paints[paints.length >> 1];
  return { repaints, elapsed, steps: Number(root.dataset.steps), paint };
}"""

TIME_PAUSE = """async () => {
  const root = document.querySelector('[data-testid="bw-trainer"]');
  const until = (ok) => new Promise((resolve) => {
    if (ok()) return resolve();
    const obs = new MutationObserver(() => { if (ok()) { obs.disconnect(); resolve(); } });
    obs.observe(root, { attributes: true });
  });
  await until(() => root.dataset.running === "false");
  root.querySelector('[data-testid="bw-train-play"]').click();
  await until(() => root.dataset.running === "true");
  await new Promise((r) => setTimeout(r, 500));
  const t0 = performance.now();
  root.querySelector('[data-testid="bw-train-pause"]').click();
  await until(() => root.dataset.running === "false");
  const ms = performance.now() - t0;
  const steps = root.dataset.steps;
  await new Promise((r) => setTimeout(r, 300));
  return { ms, moved: root.dataset.steps !== steps };
}"""


def browser_main() -> None:
    import statistics
    import tempfile

    from playwright.sync_api import sync_playwright

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
    from browser.conftest import (
        CHROMIUM,
        CHROMIUM_ARGS,
        VIEWPORT,
        NotebookPage,
        _start_server,
        _stop_server,
    )

    cells = [
        "import backprop_widgets as bw\n"
        f"tr = bw.Trainer(bw.MLP({SIZES}, 'tanh', bias=True, seed=0), 'circles', lr=0.3)\ntr"
    ]
    with tempfile.TemporaryDirectory() as tmp:
        server = _start_server("lab", Path(tmp))
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(
                    executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
                )
                page = browser.new_page(viewport=VIEWPORT)
                page.set_default_timeout(120_000)
                server.write_notebook("bench-trainer", cells)
                nb = NotebookPage(page, server, "bench-trainer.ipynb", "bench").open()
                nb.run_all()
                page.locator('[data-testid="bw-trainer"][data-drawn="true"]').wait_for()
                played = page.evaluate(COUNT_REPAINTS, PLAY_SECONDS)
                pauses = [page.evaluate(TIME_PAUSE) for _ in range(PAUSES)]
                server.shutdown_kernel("bench-trainer.ipynb")
                browser.close()
        finally:
            _stop_server(server)
    print(machine())
    print(f"load average {os.getloadavg()[0]:.1f} (1 min) at the end")
    rate = played["repaints"] / played["elapsed"]
    ms = [p["ms"] for p in pauses]
    print(f"\n## Trainer in JupyterLab (headless Chromium), {SIZES}, circles, 64×64 boundary\n")
    print("| measure | result | goal |")
    print("| --- | --- | --- |")
    print(
        f"| repaints per second while playing ({played['elapsed']:.1f} s; loss curve + "
        f"boundary + diagram each) | {rate:.1f} | ≥ 20 |"
    )
    print(
        f"| Pause click → stopped (median of {PAUSES}, min–max) | {statistics.median(ms):.0f} ms "
        f"({min(ms):.0f}–{max(ms):.0f}) | ≤ 150 ms |"
    )
    moved = "moved!" if any(p["moved"] for p in pauses) else "none"
    print(f"| steps after the stop | {moved} | none |")
    print(f"| one repaint in the page (median) | {played['paint']:.1f} ms | |")
    print(f"| training steps done in {played['elapsed']:.1f} s of play | {played['steps']} | |")


if __name__ == "__main__":
    if "--browser" in sys.argv[1:]:
        browser_main()
    else:
        main()
