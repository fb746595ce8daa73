"""Control change → repainted heatmaps in JupyterLab: the explorer against ipywidgets.interact.

For each network size, two notebooks run in JupyterLab in headless Chromium:

* the explorer: ``BackpropExplorer(sizes=..., seed=0)``; a change of layer 1's activation in its
  dropdown (tanh ↔ sin) until the heatmaps of ∂E/∂W(ℓ) are repainted with the new version
  (``data-rendered`` of ``bw-explorer`` changes, not stale), then one animation frame;
* the usual way: an ``ipywidgets.interact`` cell with the same dropdown that rebuilds the MLP,
  runs the same ``gradcheck`` for the same layer and draws the same three heatmaps (analytic,
  finite difference, difference, with colour bars) with matplotlib's inline backend; timed until
  the new PNG is in the page and decoded, then one animation frame.

For scale, the same timer runs on the smallest possible round trip: a Dropdown whose observer
sets a Label's text (the floor any kernel-backed widget pays on this machine).

Each change is timed in the page (performance.now), from dispatching the control's ``change``
event; the median of ``CHANGES`` changes is reported (after two warm-up changes). Changes are
400 ms apart, so each one starts from an idle page, as a student's click would.

Run:

    .venv/bin/python benchmarks/bench_explorer.py
"""

from __future__ import annotations

import statistics
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "tests" / "browser"))

from _common import machine  # noqa: E402
from conftest import (  # noqa: E402
    CHROMIUM,
    CHROMIUM_ARGS,
    VIEWPORT,
    NotebookPage,
    _start_server,
    _stop_server,
)

SIZES = ([4, 8, 8, 3], [16, 32, 32, 32, 4])
GOALS_MS = {4: 50.0, 5: 150.0}  # by len(sizes)
CHANGES = 24
WARMUP = 2

SETUP = "import numpy as np\nfrom backprop_widgets import BackpropExplorer, MLP, gradcheck"


def explorer_cells(sizes: list[int]) -> list[str]:
    return [SETUP, f"ex = BackpropExplorer(sizes={sizes}, seed=0)\nex"]


def interact_cells(sizes: list[int]) -> list[str]:
    L = len(sizes) - 1
    ell = max(1, L - 1)
    rest = ["tanh"] * (L - 2) + ["identity"]
    return [
        SETUP + "\n%matplotlib inline\nimport matplotlib.pyplot as plt\nimport ipywidgets as w",
        f"""\
rng = np.random.default_rng(0)
x, y = rng.normal(size={sizes[0]}), rng.uniform(-1, 1, {sizes[-1]})

def heatmaps(act):
    net = MLP({sizes}, [act] + {rest}, seed=0)
    c = gradcheck(net, x, y, layers=[{ell}]).layer({ell})
    diff = c.analytic - c.numeric
    lim = max(np.abs(c.analytic).max(), np.abs(c.numeric).max())
    fig, axes = plt.subplots(1, 3, figsize=(9, 3))
    panels = [(c.analytic, "analytic", lim), (c.numeric, "finite difference", lim),
              (diff, "difference", np.abs(diff).max() or 1.0)]
    for ax, (data, title, v) in zip(axes, panels):
        im = ax.imshow(data, cmap="RdBu_r", vmin=-v, vmax=v)
        fig.colorbar(im, ax=ax, shrink=0.8)
        ax.set_title(title)
    plt.show()

w.interact(heatmaps, act=["tanh", "sin"]);""",
    ]


FLOOR_CELLS = [
    "import ipywidgets as w",
    "s = w.Dropdown(options=['tanh', 'sin'])\ns.add_class('bw-floor-select')\n"
    "label = w.Label('-')\nlabel.add_class('bw-floor-label')\n"
    "s.observe(lambda c: setattr(label, 'value', f\"{c['new']} {len(label.value)}\"), 'value')\n"
    "w.VBox([s, label])",
]

# Every timer: dispatch a committed change of a <select>, wait for the view's own signal that
# it has drawn the result, then one animation frame (the browser has painted it). The contenders
# differ only in which <select> they flip and in `arm`: called just before each change, it
# returns a promise that resolves once that view has drawn the change's result.
_TIMER = """async ({ n }) => {
  const select = document.querySelector(__SELECT__);
  const arm = __ARM__;
  const times = [];
  for (let k = 0; k < n; k++) {
    const done = arm();
    const t0 = performance.now();
    select.value = select.value === "tanh" ? "sin" : "tanh";
    select.dispatchEvent(new Event("change", { bubbles: true }));
    await done;
    await new Promise((r) => requestAnimationFrame(() => r()));
    times.push(performance.now() - t0);
    await new Promise((r) => setTimeout(r, 400));
  }
  return times;
}"""


def _timer(select: str, arm: str) -> str:
    return _TIMER.replace("__SELECT__", repr(select)).replace("__ARM__", arm)


# The explorer: its heatmaps carry a newer version, are drawn again, and are not stale.
TIME_EXPLORER = _timer(
    ".bw-ctl-act-1 select",
    """() => {
    const root = document.querySelector('[data-testid="bw-explorer"]');
    const before = root.dataset.rendered;
    const version = Number(root.dataset.version);
    return new Promise((resolve) => {
      const obs = new MutationObserver(() => {
        if (root.dataset.rendered !== before && Number(root.dataset.version) > version
            && root.dataset.stale === "false") { obs.disconnect(); resolve(); }
      });
      obs.observe(root, { attributes: true });
    });
  }""",
)

# interact + matplotlib: a new PNG is in the page and decoded.
TIME_INTERACT = _timer(
    ".widget-interact select",
    """() => {
    const box = document.querySelector('.widget-interact');
    const old = box.querySelector('img');
    return new Promise((resolve) => {
      const obs = new MutationObserver(() => {
        const img = box.querySelector('img');
        if (img && img !== old) { obs.disconnect(); img.decode().then(resolve, resolve); }
      });
      obs.observe(box, { childList: true, subtree: true });
    });
  }""",
)

# The floor: the Label shows the kernel's answer.
TIME_FLOOR = _timer(
    ".bw-floor-select select",
    """() => {
    const label = document.querySelector('.bw-floor-label');
    const before = label.textContent;
    return new Promise((resolve) => {
      const obs = new MutationObserver(() => {
        if (label.textContent !== before) { obs.disconnect(); resolve(); }
      });
      obs.observe(label, { subtree: true, childList: true, characterData: true });
    });
  }""",
)


def measure(page, server, name: str, cells: list[str], script: str, ready: str) -> list[float]:
    server.write_notebook(name, cells)
    nb = NotebookPage(page, server, name + ".ipynb", name).open()
    nb.run_all()
    page.locator(ready).first.wait_for()
    times = page.evaluate(script, {"n": CHANGES + WARMUP})
    server.shutdown_kernel(name + ".ipynb")
    return times[WARMUP:]


def main() -> None:
    from playwright.sync_api import sync_playwright

    rows = []
    floor: list[float] = []
    with tempfile.TemporaryDirectory() as tmp:
        server = _start_server("lab", Path(tmp))
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(
                    executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
                )
                page = browser.new_page(viewport=VIEWPORT)
                page.set_default_timeout(120_000)
                floor = measure(
                    page, server, "bench-floor", FLOOR_CELLS, TIME_FLOOR, ".bw-floor-label"
                )
                for sizes in SIZES:
                    tag = "x".join(map(str, sizes))
                    ex = measure(
                        page,
                        server,
                        f"bench-explorer-{tag}",
                        explorer_cells(sizes),
                        TIME_EXPLORER,
                        '[data-testid="bw-explorer"][data-rendered]',
                    )
                    mpl = measure(
                        page,
                        server,
                        f"bench-interact-{tag}",
                        interact_cells(sizes),
                        TIME_INTERACT,
                        ".widget-interact img",
                    )
                    rows.append((sizes, ex, mpl))
                browser.close()
        finally:
            _stop_server(server)

    print(machine())
    print(
        "\nfloor, a Dropdown -> observer -> Label round trip: median "
        f"{statistics.median(floor):.0f} ms ({min(floor):.0f}-{max(floor):.0f})"
    )
    print(f"\nmedian of {CHANGES} control changes (after {WARMUP} warm-up), milliseconds\n")
    print(
        "| sizes | explorer (median, min–max) | goal | interact + matplotlib (median, min–max) "
        "| ratio |"
    )
    print("| --- | --- | --- | --- | --- |")
    for sizes, ex, mpl in rows:
        me, mm = statistics.median(ex), statistics.median(mpl)
        print(
            f"| {sizes} | {me:.0f} ({min(ex):.0f}–{max(ex):.0f}) | < {GOALS_MS[len(sizes)]:.0f} "
            f"| {mm:.0f} ({min(mpl):.0f}–{max(mpl):.0f}) | {mm / me:.1f}× |"
        )


if __name__ == "__main__":
    main()
