"""The explorer in a real JupyterLab: control change and Next click against the bare round trip.

One notebook runs in JupyterLab in headless Chromium (the browser tests' harness) and shows,
in one kernel:

* the floor: a bare anywidget whose ``<select>``, when changed, sets a trait; the kernel's
  observer echoes it into a second trait, and the page shows the echo. No widget that asks the
  kernel can answer faster than this round trip;
* ``BackpropExplorer(sizes=..., seed=0)`` for each size; timed twice:
  - a control change: layer 1's activation in its dropdown (tanh ↔ sin) until the heatmaps
    carry a newer version, are drawn again and are not stale;
  - a Next click: until the step panel shows the next step, its title, check and KaTeX-typeset
    formula and numbers repainted (every step of the scene is in the front end already);
* the usual way, for comparison: an ``ipywidgets.interact`` cell with the same dropdown that
  rebuilds the MLP, runs the same ``gradcheck`` for the same layer and draws the same three
  heatmaps with colour bars in matplotlib (inline backend), until the new PNG is decoded.

Each change is timed in the page (``performance.now``) from dispatching the event to the view's
own signal that it has drawn, plus one animation frame. The contenders take turns, one change
each per round, 400 ms apart (each change starts from an idle page, as a student's click would),
so that a slow minute on this shared machine hits all of them alike. Each pause is 400 ms plus
a random part of one frame (seeded): a measurement ends on a frame, and 400 ms is exactly 24
frames at 60 Hz, so with fixed pauses every change of a run would start at the same moment of
the frame and the frame's wait would add a fixed 0–16 ms that differs from run to run (the
floor's median moved between 16 and 24 ms). A click comes at any moment of a frame. The median
of ``CHANGES`` changes (after ``WARMUP``) is reported, with its ratio to the floor's median.

It also reports the explorer's bundle (backprop_widgets/static: JavaScript, CSS, and the KaTeX
fonts inlined in the JavaScript as woff2 data URLs).

Run:

    .venv/bin/python benchmarks/bench_explorer.py
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import re
import statistics
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(REPO / "tests"))

from _common import machine  # noqa: E402
from browser.conftest import (  # noqa: E402
    CHROMIUM,
    CHROMIUM_ARGS,
    NotebookPage,
    _start_server,
    _stop_server,
)

SIZES = ([4, 8, 8, 3], [16, 32, 32, 32, 4])
#: Goals from issue 9, as multiples of the floor's median.
GOALS = {"change": {4: 1.3, 5: 2.0}, "next": {4: 1.3, 5: 1.3}}
CHANGES = 48  # the issue asks for at least 24; 48 halves the spread of the medians
WARMUP = 2
PAUSE_MS = 400
FRAME_MS = 1000 / 60  # a random part of one frame is added to each pause (see above)
BUNDLE_LIMIT = 1_000_000  # bytes: "under 1 MB"

SETUP = (
    "import numpy as np\nimport anywidget, traitlets\nimport ipywidgets as w\n"
    "%matplotlib inline\nimport matplotlib.pyplot as plt\n"
    "from backprop_widgets import BackpropExplorer, MLP, gradcheck"
)

FLOOR = '''
class Echo(anywidget.AnyWidget):
    _esm = """
    export default { render({ model, el }) {
      const s = document.createElement("select");
      s.className = "bw-floor-select";
      for (const v of ["tanh", "sin"]) s.append(new Option(v, v));
      const out = document.createElement("span");
      out.className = "bw-floor-echo";
      let n = 0;
      s.addEventListener("change", () => {
        n += 1; model.set("ask", s.value + " " + n); model.save_changes();
      });
      model.on("change:echo", () => { out.textContent = model.get("echo"); });
      el.append(s, out);
    } };
    """
    ask = traitlets.Unicode("").tag(sync=True)
    echo = traitlets.Unicode("").tag(sync=True)

    @traitlets.observe("ask")
    def _answer(self, change):
        self.echo = change["new"]

Echo()'''


def explorer_cell(k: int, sizes: list[int]) -> str:
    return f"ex{k} = BackpropExplorer(sizes={sizes}, seed=0)\nex{k}"


def interact_cell(k: int, sizes: list[int]) -> str:
    L = len(sizes) - 1
    ell = max(1, L - 1)
    rest = ["tanh"] * (L - 2) + ["identity"]
    return f"""\
rng = np.random.default_rng(0)
x{k}, y{k} = rng.normal(size={sizes[0]}), rng.uniform(-1, 1, {sizes[-1]})

def heatmaps{k}(act):
    net = MLP({sizes}, [act] + {rest}, seed=0)
    c = gradcheck(net, x{k}, y{k}, layers=[{ell}]).layer({ell})
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

w.interact(heatmaps{k}, act=["tanh", "sin"]);"""


CELLS = [
    SETUP,
    FLOOR,
    *(explorer_cell(k, s) for k, s in enumerate(SIZES)),
    *(interact_cell(k, s) for k, s in enumerate(SIZES)),
]

# One change of one contender, timed in the page. `spec.kind` says which view and how to know
# it has drawn; `spec.k` which of the explorers / interact cells. Resolves to milliseconds.
MEASURE = """async (spec) => {
  const frame = () => new Promise((r) => requestAnimationFrame(() => r()));
  const until = (target, ok, options) => new Promise((resolve) => {
    if (ok()) return resolve();
    const obs = new MutationObserver(() => { if (ok()) { obs.disconnect(); resolve(); } });
    obs.observe(target, options);
  });
  const flip = (select) => {
    select.value = select.value === "tanh" ? "sin" : "tanh";
    select.dispatchEvent(new Event("change", { bubbles: true }));
  };
  let t0, done;
  if (spec.kind === "floor") {
    const select = document.querySelector(".bw-floor-select");
    const echo = document.querySelector(".bw-floor-echo");
    const before = echo.textContent;
    t0 = performance.now();
    flip(select);
    done = until(echo, () => echo.textContent !== before,
                 { childList: true, subtree: true, characterData: true });
  } else if (spec.kind === "change") {
    const app = document.querySelectorAll('[data-testid="bw-explorer-app"]')[spec.k];
    const heat = app.querySelector('[data-testid="bw-explorer"]');
    const select = app.querySelector(
      '[data-testid="bw-control"][data-name="activation"][data-layer="1"]');
    const drawn = heat.dataset.rendered, version = Number(heat.dataset.version);
    t0 = performance.now();
    flip(select);
    done = until(heat, () => heat.dataset.rendered !== drawn
      && Number(heat.dataset.version) > version && heat.dataset.stale === "false",
      { attributes: true });
  } else if (spec.kind === "next") {
    const app = document.querySelectorAll('[data-testid="bw-explorer-app"]')[spec.k];
    const stepper = app.querySelector('[data-testid="bw-stepper"]');
    const next = stepper.querySelector('[data-testid="bw-step-next"]');
    const prev = stepper.querySelector('[data-testid="bw-step-prev"]');
    // At the last step: walk back to the first (not timed) and let the kernel settle.
    if (next.disabled) {
      while (!prev.disabled) { prev.click(); await frame(); }
      await new Promise((r) => setTimeout(r, 400));
    }
    const step = Number(stepper.dataset.step);
    const title = stepper.querySelector('[data-testid="bw-step-title"]');
    const formula = stepper.querySelector('[data-testid="bw-step-formula"]');
    const oldTitle = title.textContent, oldFormula = formula.innerHTML;
    t0 = performance.now();
    next.click();
    done = until(stepper, () => Number(stepper.dataset.step) === step + 1
      && title.textContent !== oldTitle && formula.innerHTML !== oldFormula
      && formula.querySelector(".katex") !== null,
      { attributes: true, childList: true, subtree: true, characterData: true });
  } else if (spec.kind === "interact") {
    const box = document.querySelectorAll(".widget-interact")[spec.k];
    const select = box.querySelector("select");
    const old = box.querySelector("img");
    t0 = performance.now();
    flip(select);
    done = until(box, () => { const img = box.querySelector("img"); return img && img !== old; },
                 { childList: true, subtree: true })
      .then(() => box.querySelector("img").decode().catch(() => {}));
  }
  await done;
  const painted = performance.now();
  await frame();
  const end = performance.now();
  // The kernel's messages that arrived between the change and the repaint (see WS_SPY).
  const msgs = (window.__bwWs || []).filter(([t]) => t >= t0 && t <= painted);
  return {
    ms: end - t0,
    lastMessage: msgs.length ? msgs[msgs.length - 1][0] - t0 : null,
    messages: msgs.length,
    bytes: msgs.reduce((sum, [, b]) => sum + b, 0),
  };
}"""

# Installed before the page loads: timestamps every message the kernel sends the page (over
# JupyterLab's WebSocket), before JupyterLab handles it. It splits a change's time into the
# kernel's part (until its last message before the repaint) and the front end's (the rest).
WS_SPY = """(() => {
  window.__bwWs = [];
  const Native = window.WebSocket;
  window.WebSocket = class extends Native {
    constructor(...args) {
      super(...args);
      this.addEventListener("message", (e) => {
        const d = e.data;
        window.__bwWs.push([performance.now(), d.byteLength ?? d.size ?? d.length ?? 0]);
        if (window.__bwWs.length > 20000) window.__bwWs.splice(0, 10000);
      });
    }
  };
})();"""


def contenders() -> list[tuple[str, dict]]:
    out = [("floor", {"kind": "floor"})]
    for k, _ in enumerate(SIZES):
        out += [
            (f"change{k}", {"kind": "change", "k": k}),
            (f"next{k}", {"kind": "next", "k": k}),
            (f"interact{k}", {"kind": "interact", "k": k}),
        ]
    return out


def run_browser() -> dict[str, list[dict]]:
    from playwright.sync_api import sync_playwright

    times: dict[str, list[dict]] = {name: [] for name, _ in contenders()}
    with tempfile.TemporaryDirectory() as tmp:
        server = _start_server("lab", Path(tmp))
        # Every cell's output stays in the page (no windowing of off-screen cells).
        tracker = server.config_dir / "lab/user-settings/@jupyterlab/notebook-extension"
        tracker.mkdir(parents=True, exist_ok=True)
        (tracker / "tracker.jupyterlab-settings").write_text(json.dumps({"windowingMode": "none"}))
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(
                    executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
                )
                page = browser.new_page(viewport={"width": 1280, "height": 1000})
                page.add_init_script(WS_SPY)
                page.set_default_timeout(120_000)
                name = server.write_notebook("bench-explorer", CELLS)
                nb = NotebookPage(page, server, name, "bench-explorer").open()
                nb.run_all()
                page.locator(".bw-floor-select").wait_for()
                page.locator('[data-testid="bw-explorer-app"][data-drawn="true"]').nth(
                    len(SIZES) - 1
                ).wait_for()
                page.locator(".widget-interact img").nth(len(SIZES) - 1).wait_for()
                rng = random.Random(0)
                for _ in range(WARMUP + CHANGES):
                    for label, spec in contenders():
                        times[label].append(page.evaluate(MEASURE, spec))
                        page.wait_for_timeout(PAUSE_MS + rng.uniform(0, FRAME_MS))
                server.shutdown_kernel(name)
                browser.close()
        finally:
            _stop_server(server)
    return {k: v[WARMUP:] for k, v in times.items()}


def bundle() -> list[tuple[str, int, int]]:
    """(part, bytes, gzipped bytes) of the explorer's bundle in backprop_widgets/static."""
    static = REPO / "backprop_widgets" / "static"
    js = (static / "explorer.js").read_bytes()
    css = (static / "styles.css").read_bytes()
    fonts = b"".join(re.findall(rb"url\(data:font/woff2;base64,[A-Za-z0-9+/=]+\)", js))
    rows = [
        ("explorer.js, of which KaTeX's fonts (woff2, inlined)", len(fonts), 0),
        ("explorer.js, the rest (explorer, KaTeX)", len(js) - len(fonts), 0),
        ("styles.css (all widgets, KaTeX's rules)", len(css), len(gzip.compress(css, 9))),
        ("total", len(js) + len(css), len(gzip.compress(js, 9)) + len(gzip.compress(css, 9))),
    ]
    return rows


def main() -> None:
    global CHANGES
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--changes", type=int, default=CHANGES, help="timed changes each")
    CHANGES = parser.parse_args().changes
    parts = bundle()
    runs = run_browser()
    times = {k: [r["ms"] for r in v] for k, v in runs.items()}
    floor = statistics.median(times["floor"])

    print(machine())
    print(
        f"\nmedian of {CHANGES} changes each (after {WARMUP} warm-up), contenders in turn, "
        f"{PAUSE_MS}–{PAUSE_MS + FRAME_MS:.0f} ms apart; milliseconds\n"
    )
    print(
        f"floor, a bare anywidget round trip (front end sets a trait, the kernel echoes it): "
        f"**{floor:.0f} ms** ({min(times['floor']):.0f}–{max(times['floor']):.0f})\n"
    )
    print(
        "| sizes | control change → heatmaps | × floor (goal) | Next → step repainted "
        "| × floor (goal) | interact + matplotlib | × floor |"
    )
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for k, sizes in enumerate(SIZES):
        ch, nx, mpl = (times[f"{kind}{k}"] for kind in ("change", "next", "interact"))
        mc, mn, mm = statistics.median(ch), statistics.median(nx), statistics.median(mpl)
        gc, gn = GOALS["change"][len(sizes)], GOALS["next"][len(sizes)]
        print(
            f"| {sizes} | {mc:.0f} ({min(ch):.0f}–{max(ch):.0f}) | **{mc / floor:.2f}×** (≤ {gc}) "
            f"| {mn:.0f} ({min(nx):.0f}–{max(nx):.0f}) | **{mn / floor:.2f}×** (≤ {gn}) "
            f"| {mm:.0f} ({min(mpl):.0f}–{max(mpl):.0f}) | {mm / floor:.1f}× |"
        )
    print(
        "\nwhere the time goes (medians): the kernel's last message before the repaint arrived "
        "after … ms; the front end took the rest\n"
    )
    print("| contender | total | last kernel message | front end after it | messages | bytes |")
    print("| --- | --- | --- | --- | --- | --- |")
    for label, _ in contenders():
        if label.startswith("next"):
            continue
        rs = runs[label]
        last = [r["lastMessage"] for r in rs if r["lastMessage"] is not None]
        total = statistics.median(times[label])
        arrived = statistics.median(last) if last else float("nan")
        print(
            f"| {label} | {total:.0f} | {arrived:.0f} | {total - arrived:.0f} "
            f"| {statistics.median(r['messages'] for r in rs):.0f} "
            f"| {statistics.median(r['bytes'] for r in rs):,.0f} |"
        )
    print("\nthe explorer's bundle (backprop_widgets/static)\n")
    print("| part | bytes | gzipped |")
    print("| --- | --- | --- |")
    for name, size, packed in parts:
        print(f"| {name} | {size:,} | {f'{packed:,}' if packed else '—'} |")
    total = parts[-1][1]
    verdict = "under" if total < BUNDLE_LIMIT else "OVER"
    print(f"\n{total:,} bytes: {verdict} 1 MB ({BUNDLE_LIMIT:,} bytes)")


if __name__ == "__main__":
    main()
