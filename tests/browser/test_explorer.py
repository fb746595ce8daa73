"""BackpropExplorer in a real JupyterLab (and Notebook 7): controls, stepper, heatmaps, linking.

Every expected number is printed by a notebook cell from the core (net.backward, gradcheck),
never copied from the widget's own output.
"""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.browser

SETUP = "from backprop_widgets import BackpropExplorer, MLP, gradcheck\nimport numpy as np"


def explorer_cells(make: str = "BackpropExplorer(sizes=[3, 4, 2], seed=1)") -> list[str]:
    return [SETUP, f"ex = {make}\nex"]


def heatmap(nb, kind: str, layer: int | None = None):
    sel = f'[data-testid="bw-heatmap"][data-kind="{kind}"]'
    if layer is not None:
        sel += f'[data-layer="{layer}"]'
    return nb.page.locator(sel).first


def click_cell(nb, kind: str, layer: int, i: int, j: int) -> None:
    canvas = heatmap(nb, kind, layer)
    cell = float(canvas.get_attribute("data-cell"))
    canvas.click(position={"x": (j + 0.5) * cell, "y": (i + 0.5) * cell})


def rendered(nb) -> str:
    return nb.widget("bw-explorer").get_attribute("data-rendered")


def control(nb, name: str, layer: int | None = None):
    sel = f'[data-testid="bw-control"][data-name="{name}"]'
    if layer is not None:
        sel += f'[data-layer="{layer}"]'
    return nb.page.locator(sel).first


def message(nb, name: str, layer: int | None = None):
    sel = f'[data-testid="bw-message"][data-name="{name}"]'
    if layer is not None:
        sel += f'[data-layer="{layer}"]'
    return nb.page.locator(sel).first


def type_into(nb, name: str, value: str, layer: int | None = None) -> None:
    """Type into a control's field and commit it (Enter), as a student would."""
    box = control(nb, name, layer)
    box.fill(value)
    box.press("Enter")


def wait_python(nb, cell: int, pattern: str, tries: int = 40) -> str:
    """Re-run a printing cell until its output matches (the kernel may still be busy)."""
    out = ""
    for _ in range(tries):
        out = nb.run_cell(cell)
        if re.search(pattern, out):
            return out
        nb.page.wait_for_timeout(100)
    raise AssertionError(f"cell {cell} never printed {pattern!r}; last output: {out!r}")


def test_explorer_draws_and_walks_every_step(jupyter_lab, open_notebook):
    nb = open_notebook(
        jupyter_lab,
        [
            *explorer_cells(),
            "print('STEPS', len(ex.steps), [s.check['ok'] for s in ex.steps], 'AT', ex.step)",
        ],
    )
    nb.run_all()
    app = nb.page.locator('[data-testid="bw-explorer-app"][data-drawn="true"]')
    app.wait_for()
    root = nb.wait_rendered("bw-explorer")
    for kind in ("analytic", "numeric", "difference"):
        canvas = heatmap(nb, kind)
        assert canvas.get_attribute("data-layer") == "1"
        assert (canvas.get_attribute("data-rows"), canvas.get_attribute("data-cols")) == ("4", "3")
    assert root.get_attribute("data-stale") == "false"
    assert nb.widget("bw-diagram").locator('[data-testid="bw-node"]').count() == 3 + 4 + 2
    out = nb.output_text(2)
    m = re.search(r"STEPS (\d+) \[(.*)\]", out)
    assert m, out
    n_steps = int(m.group(1))
    oks = [s.strip() == "True" for s in m.group(2).split(",")]
    titles = []
    formula = nb.widget("bw-step-formula")
    for k in range(n_steps):
        # title, check and typeset formula repaint together, without waiting for the kernel
        assert nb.widget("bw-step-indicator").inner_text() == f"step {k + 1} of {n_steps}"
        titles.append(nb.widget("bw-step-title").inner_text())
        check = nb.widget("bw-step-check")
        assert check.get_attribute("data-ok") == ("true" if oks[k] else "false")
        assert formula.locator(".katex").count() >= 1, "the formula is typeset by KaTeX"
        assert formula.locator(".katex-error").count() == 0
        nb.screenshot(f"step-{k + 1}")
        if k < n_steps - 1:
            nb.widget("bw-step-next").click()
    assert nb.widget("bw-step-next").is_disabled()
    assert titles[0].startswith("Forward pass")
    assert titles[1].startswith("(C1)") and titles[2].startswith("(C2)")
    assert titles[3].startswith("(C3)")
    assert titles[-1].startswith("The gradient")
    assert len(set(titles)) == n_steps
    # KaTeX's own fonts are in use (bundled, never fetched): the document has their faces
    fonts = nb.page.evaluate(
        "() => document.fonts.check('16px KaTeX_Main') &&"
        " !!document.getElementById('bw-katex-fonts')"
    )
    assert fonts
    # Python saw the last step; the keyboard walks back.
    wait_python(nb, 2, rf"AT {n_steps - 1}$")
    nb.widget("bw-stepper").focus()
    nb.page.keyboard.press("ArrowLeft")
    assert nb.widget("bw-step-indicator").inner_text() == f"step {n_steps - 1} of {n_steps}"


def test_front_end_controls_ask_and_python_applies_or_refuses(jupyter_lab, open_notebook):
    nb = open_notebook(
        jupyter_lab,
        [
            *explorer_cells(),
            "print('STATE', ex.sizes, ex.activations, ex.net.sizes, 'V', ex.version)",
        ],
    )
    nb.run_all()
    nb.wait_rendered("bw-explorer")
    before = rendered(nb)
    old_formula = nb.widget("bw-step-formula").inner_text()
    type_into(nb, "n", "6", layer=1)
    nb.wait_rendered("bw-explorer", changed_from=before)
    assert heatmap(nb, "analytic").get_attribute("data-rows") == "6"
    wait_python(nb, 2, r"STATE \[3, 6, 2\] \['tanh', 'identity'\] \(3, 6, 2\)")
    assert nb.widget("bw-diagram").locator('[data-testid="bw-node"][data-layer="1"]').count() == 6
    assert nb.widget("bw-step-formula").inner_text() != "" and old_formula != ""
    control(nb, "activation", 1).select_option("relu")
    wait_python(nb, 2, r"STATE \[3, 6, 2\] \['relu', 'identity'\]")
    # a per-unit override; then one that is refused: a message next to that field, the typed
    # text kept, the network as it was
    units = control(nb, "units", 1)
    assert units.get_attribute("placeholder") == "e.g. 2=relu, 3=sin"
    type_into(nb, "units", "2=sin", layer=1)
    wait_python(nb, 2, r"\['relu', 'sin', 'relu', 'relu', 'relu', 'relu'\]")
    type_into(nb, "units", "9=sin", layer=1)
    refusal = message(nb, "units", 1)
    refusal.wait_for()
    assert "unit must be in 1..6" in refusal.inner_text()
    assert units.input_value() == "9=sin"
    wait_python(nb, 2, r"\['relu', 'sin', 'relu', 'relu', 'relu', 'relu'\]")
    # widths are never clamped: 0 and 65 are refused beside the width field
    version = re.search(r"V (\d+)", nb.output_text(2)).group(1)
    drawn = rendered(nb)
    for bad in ("0", "65"):
        type_into(nb, "n", bad, layer=1)
        nb.page.wait_for_function(
            "(bad) => { const m = document.querySelector("
            '\'[data-testid="bw-message"][data-name="n"][data-layer="1"]\');'
            " return m && !m.hidden && m.textContent.includes('1 to 64') &&"
            ' document.querySelector(\'[data-testid="bw-control"][data-name="n"]'
            '[data-layer="1"]\').value === bad; }',
            arg=bad,
        )
        assert message(nb, "units", 1).is_hidden()  # one refusal at a time, at its control
    assert heatmap(nb, "analytic").get_attribute("data-rows") == "6"
    assert rendered(nb) == drawn  # the old pictures stay
    wait_python(nb, 2, rf"STATE \[3, 6, 2\] .* V {version}$")
    assert nb.widget("bw-explorer-app").get_attribute("data-version") == version
    nb.screenshot("refused-width")
    # a good value clears the message
    type_into(nb, "L", "3")
    wait_python(nb, 2, r"STATE \[3, 6, 2, 2\]")
    message(nb, "n", 1).wait_for(state="hidden")
    assert control(nb, "n", 3).input_value() == "2"
    nb.screenshot("after-controls")


def test_traits_set_from_python_repaint_the_front_end(jupyter_lab, open_notebook):
    nb = open_notebook(
        jupyter_lab,
        [*explorer_cells(), "ex.sizes = [3, 5, 5, 2]\nex.layer = 1\nex.heatmap_kind = 'relative'"],
    )
    nb.run_all()
    nb.page.wait_for_function(
        "() => document.querySelector('[data-testid=\"bw-heatmap\"]')?.dataset.rows === '5'"
    )
    assert control(nb, "L").input_value() == "3"
    assert control(nb, "n", 2).input_value() == "5"
    assert control(nb, "layer").input_value() == "1"
    assert control(nb, "kind").input_value() == "relative"
    assert heatmap(nb, "difference").get_attribute("data-measure") == "relative"


def test_clicked_entry_shows_the_cores_numbers(jupyter_lab, open_notebook):
    nb = open_notebook(
        jupyter_lab,
        [
            SETUP,
            "ex = BackpropExplorer(sizes=[3, 4, 2], activations=['sin', 'identity'], seed=2,"
            " layer=1)\nex",
            "bp = ex.net.backward(ex.x, ex.y)\nrep = gradcheck(ex.net, ex.x, ex.y, layers=[1])\n"
            "print('CORE', *(repr(float(v)) for v in (bp.grad(1)[1, 2], rep.layer(1).numeric[1, 2],"
            " bp.delta(1)[1], ex.x[2])))\nprint('SEL', ex.selected)",
        ],
    )
    nb.run_all()
    nb.wait_rendered("bw-explorer")
    before = rendered(nb)
    click_cell(nb, "numeric", 1, 1, 2)
    root = nb.wait_rendered("bw-explorer", changed_from=before)
    entry = nb.widget("bw-entry")
    entry.wait_for()
    nb.page.wait_for_function(
        "() => document.querySelector('[data-testid=\"bw-entry\"]')?.dataset.i === '1'"
    )
    # shown from 1, with the Python index labelled as such
    assert "row 2, column 3 of W(1)" in entry.inner_text()
    assert "Python index [1, 2]" in entry.inner_text()
    assert entry.locator(".katex").count() >= 1
    m = re.search(r"CORE (\S+) (\S+) (\S+) (\S+)", nb.run_cell(2))
    assert m, nb.output_text(2)
    analytic, numeric, delta, z = (float(g) for g in m.groups())
    # the exact float in data-value; on screen 6 significant digits with a true minus sign
    for testid, want in [
        ("bw-entry-analytic", analytic),
        ("bw-entry-numeric", numeric),
        ("bw-entry-delta", delta),
        ("bw-entry-z", z),
    ]:
        number = nb.widget(testid)
        assert float(number.get_attribute("data-value")) == want
        shown = number.inner_text()
        assert "-" not in shown and len(shown.lstrip("\u2212").replace(".", "")) <= 12, shown
        assert float(shown.replace("\u2212", "-")) == pytest.approx(want, rel=1e-5), shown
    assert (entry.get_attribute("data-layer"), entry.get_attribute("data-j")) == ("1", "2")
    assert root.get_attribute("data-selected") == "1,1,2"
    assert "SEL (1, 1, 2)" in nb.output_text(2)
    # hovering shows (i, j) and the exact values
    canvas = heatmap(nb, "analytic", 1)
    cell = float(canvas.get_attribute("data-cell"))
    canvas.hover(position={"x": 2.5 * cell, "y": 1.5 * cell})
    tip = nb.widget("bw-tooltip")
    tip.wait_for()
    text = tip.inner_text()
    assert "w⁽¹⁾₂,₃" in text and "Python index [1, 2]" in text
    # the exact float, with a true minus sign for reading (no ASCII "-" on screen)
    assert repr(analytic).replace("-", "\u2212") in text and "-" not in text.split("\n", 1)[1]
    nb.screenshot("entry")


def test_selection_from_python_shows_in_diagram_and_heatmap(jupyter_lab, open_notebook):
    nb = open_notebook(
        jupyter_lab,
        [
            *explorer_cells("BackpropExplorer(sizes=[3, 4, 4, 2], seed=0)"),
            "ex.selected = (1, 3, 2)",
            "print('LAYER', ex.layer)",
        ],
    )
    nb.run_all()
    root = nb.wait_rendered("bw-explorer")
    nb.page.wait_for_function(
        "() => document.querySelector('[data-testid=\"bw-explorer\"]')?.dataset.selected"
        " === '1,3,2'"
    )
    assert heatmap(nb, "analytic").get_attribute("data-layer") == "1"
    diagram = nb.widget("bw-diagram")
    assert diagram.get_attribute("data-selected") == "1,3,2"
    edge = diagram.locator('[data-testid="bw-edge"][data-selected="true"]')
    assert (edge.get_attribute("data-i"), edge.get_attribute("data-j")) == ("3", "2")
    assert root.locator('[data-testid="bw-entry"]').get_attribute("data-i") == "3"
    assert "LAYER 1" in nb.output_text(3)


def test_a_storm_of_control_changes_ends_consistent(jupyter_lab, open_notebook):
    nb = open_notebook(
        jupyter_lab,
        [
            *explorer_cells("BackpropExplorer(sizes=[4, 8, 8, 3], seed=0, layer=1)"),
            "print('FINAL', ex.sizes, ex.version, ex.net.sizes)",
        ],
    )
    nb.run_all()
    nb.wait_rendered("bw-explorer")
    values = [(7 * k) % 63 + 1 for k in range(50)]
    # 50 committed edits of n(1), one every 40 ms: the whole storm takes two seconds.
    nb.page.evaluate(
        """async (values) => {
            const box = document.querySelector(
                '[data-testid="bw-control"][data-name="n"][data-layer="1"]');
            const t0 = performance.now();
            for (const v of values) {
                box.value = String(v);
                box.dispatchEvent(new Event('input', { bubbles: true }));
                box.dispatchEvent(new Event('change', { bubbles: true }));
                await new Promise((r) => setTimeout(r, 40));
            }
            return performance.now() - t0;
        }""",
        values,
    )
    last = values[-1]
    out = wait_python(nb, 2, rf"FINAL \[4, {last}, 8, 3\]")
    version = re.search(r"FINAL \[.*?\] (\d+)", out).group(1)
    root = nb.widget("bw-explorer")
    nb.page.wait_for_function(
        f"() => document.querySelector('[data-testid=\"bw-explorer\"]')?.dataset.version"
        f" === '{version}'"
    )
    assert root.get_attribute("data-stale") == "false"
    for kind in ("analytic", "numeric", "difference"):
        assert heatmap(nb, kind).get_attribute("data-rows") == str(last)
    assert control(nb, "n", 1).input_value() == str(last)
    assert nb.widget("bw-diagram").locator('[data-testid="bw-node"]').count() > 0


def test_custom_activation_names_show_as_text(jupyter_lab, open_notebook, page):
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    nb = open_notebook(
        jupyter_lab,
        [
            SETUP + "\nfrom backprop_widgets import Activation",
            "evil = Activation('<img src=x onerror=alert(1)>', np.tanh,"
            " lambda u: 1 - np.tanh(u) ** 2)\n"
            "ex = BackpropExplorer(sizes=[2, 3, 1], activations=[evil, 'identity'], seed=0,"
            " layer=1)\nex",
        ],
    )
    nb.run_all()
    nb.wait_rendered("bw-explorer")
    nb.wait_rendered("bw-stepper")
    for _ in range(2):  # the (C2) step shows σ's name in its formula
        nb.widget("bw-step-next").click()
    nb.page.wait_for_timeout(500)
    assert nb.page.locator('img[src="x"]').count() == 0
    assert dialogs == []
    options = control(nb, "activation", 1).locator("option")
    assert "<img src=x onerror=alert(1)>" in options.all_inner_texts()
    assert control(nb, "activation", 1).input_value() == "<img src=x onerror=alert(1)>"
    assert nb.widget("bw-step-title").inner_text().startswith("(C2)")
    nb.screenshot("evil-name")


@pytest.mark.parametrize("theme", ["JupyterLab Light", "JupyterLab Dark"])
def test_explorer_fits_the_column_and_reads_in_both_themes(jupyter_lab, open_notebook, theme):
    with jupyter_lab.lab_theme(theme):
        nb = open_notebook(
            jupyter_lab,
            [*explorer_cells("BackpropExplorer(seed=0)"), "ex.selected = (2, 3, 5)"],
        )
        nb.page.set_viewport_size({"width": 1280, "height": 2400})  # the whole output at once
        nb.run_all()
        root = nb.wait_rendered("bw-explorer")
        nb.page.wait_for_function(
            "() => document.querySelector('[data-testid=\"bw-explorer\"]')?.dataset.selected"
            " === '2,3,5'"
        )
        output = nb.page.locator(".jp-OutputArea-output").nth(0)
        overflow = output.evaluate("(e) => e.scrollWidth - e.clientWidth")
        assert overflow <= 0, f"the explorer overflows its output area by {overflow}px"
        assert root.evaluate("(e) => e.scrollWidth - e.clientWidth") <= 0
        name = theme.split()[-1].lower()
        output.screenshot(path=str(nb.screenshot(name).with_name(f"test_explorer_{name}.png")))


def test_explorer_in_notebook_7(jupyter_notebook, open_notebook):
    nb = open_notebook(jupyter_notebook, explorer_cells())
    nb.run_all()
    nb.wait_rendered("bw-explorer")
    nb.wait_rendered("bw-stepper")
    nb.widget("bw-step-next").click()
    assert nb.widget("bw-step-indicator").inner_text().startswith("step 2 of")
    assert nb.page.locator('[data-testid="bw-heatmap"]').count() == 3
    # re-running the cell gives a fresh, working explorer in place of the old one
    nb.run_cell(1)
    nb.page.wait_for_function(
        "() => document.querySelectorAll('[data-testid=\"bw-explorer\"]').length === 1"
        " && document.querySelector('[data-testid=\"bw-step-indicator\"]')?.textContent"
        " === 'step 1 of 8'"
    )
    nb.widget("bw-step-next").click()
    assert nb.widget("bw-step-indicator").inner_text() == "step 2 of 8"


def test_a_slow_check_marks_the_numeric_maps_stale_until_fresh(jupyter_lab, open_notebook):
    # σ sleeps only on the wide blocks that gradcheck's batched perturbations use, so the
    # finite-difference check takes about a second and everything else stays quick.
    nb = open_notebook(
        jupyter_lab,
        [
            SETUP + "\nimport time\nfrom backprop_widgets import Activation",
            "def slow_tanh(u):\n    if np.size(u) >= 20:\n        time.sleep(1.0)\n"
            "    return np.tanh(u)\n"
            "slow = Activation('slow tanh', slow_tanh, lambda u: 1 - np.tanh(u) ** 2)\n"
            "ex = BackpropExplorer(sizes=[3, 4, 2], activations=[slow, 'identity'], seed=0,"
            " layer=1)\nex.slow_entries = 0\nex",
            "print('VERSION', ex.version)",
        ],
    )
    nb.run_all()
    root = nb.wait_rendered("bw-explorer")
    control(nb, "new-x").click()
    stale = nb.page.locator('[data-testid="bw-heatmap"][data-kind="numeric"][data-stale="true"]')
    stale.wait_for()
    assert root.get_attribute("data-stale") == "true"
    assert heatmap(nb, "analytic").get_attribute("data-stale") == "false"
    assert "stale" in nb.widget("bw-explorer-status").inner_text()
    assert nb.widget("bw-step-check").get_attribute("data-ok") == ""  # no old ✓ shown
    root.scroll_into_view_if_needed()
    nb.screenshot("stale")
    version = re.search(r"VERSION (\d+)", wait_python(nb, 2, r"VERSION \d+")).group(1)
    nb.page.wait_for_function(
        "(v) => document.querySelector('[data-testid=\"bw-explorer\"]')?.dataset.version === v"
        " && document.querySelector('[data-testid=\"bw-explorer\"]').dataset.stale === 'false'",
        arg=version,
    )
    assert heatmap(nb, "numeric").get_attribute("data-stale") == "false"


def test_a_kernel_restart_shows_the_explorer_as_disconnected(jupyter_lab, open_notebook):
    nb = open_notebook(jupyter_lab, explorer_cells())
    nb.run_all()
    root = nb.wait_rendered("bw-explorer")
    nb.wait_rendered("bw-stepper")
    assert root.get_attribute("data-disconnected") is None
    nb.page.get_by_role("menuitem", name="Kernel", exact=True).click()
    nb.page.locator('li[data-command="kernelmenu:restart"]').click()
    nb.page.locator(".jp-Dialog button.jp-mod-accept").click()
    for testid in ("bw-explorer", "bw-stepper"):
        nb.page.locator(f'[data-testid="{testid}"][data-disconnected="true"]').wait_for()
    assert "disconnected" in nb.widget("bw-explorer-status").inner_text()
    assert nb.widget("bw-step-next").is_disabled()
    assert nb.widget("bw-step-check").get_attribute("data-ok") == ""
    root.scroll_into_view_if_needed()
    nb.screenshot("disconnected")


def test_two_views_of_one_explorer_stay_in_sync(jupyter_lab, open_notebook):
    nb = open_notebook(jupyter_lab, [*explorer_cells(), "ex"])
    nb.run_all()
    for k in (0, 1):
        nb.wait_rendered("bw-explorer", nth=k)
        nb.wait_rendered("bw-stepper", nth=k)
    nb.widget("bw-step-next", nth=0).click()
    nb.widget("bw-step-next", nth=0).click()
    for k in (0, 1):  # the second view repaints when the step comes back from the kernel
        nb.page.wait_for_function(
            "(k) => document.querySelectorAll('[data-testid=\"bw-step-indicator\"]')[k]"
            "?.textContent.startsWith('step 3 of')",
            arg=k,
        )
    click_cell(nb, "analytic", 1, 2, 1)  # in the first view
    for k in (0, 1):
        nb.page.wait_for_function(
            "(k) => document.querySelectorAll('[data-testid=\"bw-explorer\"]')[k]"
            "?.dataset.selected === '1,2,1'",
            arg=k,
        )


def test_kinks_are_marked_and_the_measure_switches(jupyter_lab, open_notebook):
    # u(1) = W(1) x = (0, 1, 0): two relu units sit exactly on the kink.
    nb = open_notebook(
        jupyter_lab,
        [
            SETUP,
            "net = MLP([2, 3, 1], ['relu', 'identity'], weights=[np.eye(3, 2), np.ones((1, 3))])\n"
            "ex = BackpropExplorer(net, x=[0.0, 1.0], y=[0.5], layer=1)\nex",
            "rep = gradcheck(ex.net, ex.x, ex.y, layers=[1])\n"
            "print('KINKS', int(rep.layer(1).kink.sum()), [list(map(int, ij)) for ij in "
            "np.argwhere(rep.layer(1).kink)])\nprint('KIND', ex.heatmap_kind)",
        ],
    )
    nb.run_all()
    root = nb.wait_rendered("bw-explorer")
    m = re.search(r"KINKS (\d+) (\[.*\])", nb.output_text(2))
    assert m and int(m.group(1)) > 0, nb.output_text(2)
    group = root.locator('.bw-hm-layer[data-layer="1"]')
    assert group.get_attribute("data-kinks") == m.group(1)
    i, j = eval(m.group(2))[0]  # the first flagged entry, as the core reports it
    canvas = heatmap(nb, "numeric", 1)
    cell = float(canvas.get_attribute("data-cell"))
    canvas.hover(position={"x": (j + 0.5) * cell, "y": (i + 0.5) * cell})
    assert "kink" in nb.widget("bw-tooltip").inner_text()
    before = rendered(nb)
    control(nb, "kind").select_option("relative")
    nb.wait_rendered("bw-explorer", changed_from=before)
    assert heatmap(nb, "difference", 1).get_attribute("data-measure") == "relative"
    assert "KIND relative" in wait_python(nb, 2, "KIND relative")
    root.scroll_into_view_if_needed()
    nb.screenshot("kinks")


def test_bias_and_loss_from_the_front_end(jupyter_lab, open_notebook):
    """Beyond the derivation: bias on from its checkbox, the bias column beside W's maps, a
    click on a bias cell opens its own derivation, cross-entropy from the loss menu changes
    the steps (and sets a softmax output, said next to the loss menu)."""
    nb = open_notebook(
        jupyter_lab,
        [
            *explorer_cells(),
            "print('STATE', ex.bias, ex.loss, ex.activations, ex.selected, ex.net.has_bias)",
            "bp = ex.net.backward(ex.x, ex.y)\n"
            "print('DELTA1', ' '.join(repr(float(v)) for v in bp.delta(1)))",
        ],
    )
    nb.run_all()
    nb.wait_rendered("bw-explorer")
    assert nb.page.locator('[data-testid="bw-heatmap"][data-param="b"]').count() == 0
    assert control(nb, "loss").input_value() == "squared_error"
    assert control(nb, "bias").is_checked() is False
    # softmax is offered for the output layer only
    out_options = control(nb, "activation", 2).locator("option").all_inner_texts()
    hidden_options = control(nb, "activation", 1).locator("option").all_inner_texts()
    assert "softmax" in out_options and "softmax" not in hidden_options
    before = rendered(nb)
    control(nb, "bias").check()
    nb.wait_rendered("bw-explorer", changed_from=before)
    bias_map = nb.page.locator('[data-testid="bw-heatmap"][data-kind="analytic"][data-param="b"]')
    bias_map.wait_for()
    assert (bias_map.get_attribute("data-rows"), bias_map.get_attribute("data-cols")) == ("4", "1")
    for kind in ("numeric", "difference"):
        twin = f'[data-testid="bw-heatmap"][data-kind="{kind}"][data-param="b"]'
        assert nb.page.locator(twin).count() == 1
    wait_python(nb, 2, r"STATE True squared_error .* True$")
    formula = nb.widget("bw-step-formula").inner_text()
    # click b(1) entry 3 (Python index [2])
    cell = float(bias_map.get_attribute("data-cell"))
    bias_map.click(position={"x": 0.5 * cell, "y": 2.5 * cell})
    entry = nb.page.locator('[data-testid="bw-entry"][data-param="b"]')
    entry.wait_for()
    assert entry.get_attribute("data-i") == "2" and entry.get_attribute("data-layer") == "1"
    assert "entry 3 of b(1)" in entry.inner_text() and "Python index [2]" in entry.inner_text()
    assert entry.locator(".katex").count() >= 1
    wait_python(nb, 2, r"\('b', 1, 2\) True$")
    delta = [float(v) for v in nb.run_cell(3).split()[1:]]
    shown = float(entry.locator('[data-testid="bw-entry-analytic"]').get_attribute("data-value"))
    numeric = float(entry.locator('[data-testid="bw-entry-numeric"]').get_attribute("data-value"))
    assert shown == pytest.approx(delta[2], rel=1e-12)
    assert numeric == pytest.approx(delta[2], rel=1e-6)
    assert nb.widget("bw-explorer").get_attribute("data-selected") == "b,1,2"
    nb.screenshot("bias-entry")
    # cross-entropy from the loss menu: the output becomes softmax, and the notice says so
    control(nb, "loss").select_option("cross_entropy")
    notice = message(nb, "loss")
    notice.wait_for()
    assert notice.get_attribute("data-kind") == "notice" and "softmax" in notice.inner_text()
    wait_python(nb, 2, r"STATE True cross_entropy \['tanh', 'softmax'\]")
    assert control(nb, "activation", 2).input_value() == "softmax"
    nb.page.wait_for_function(
        "(old) => { const f = document.querySelector('[data-testid=\"bw-step-formula\"]');"
        " return f && f.innerText !== old && f.innerText.includes('log'); }",
        arg=formula,
    )
    # the (C2) step of softmax: the full Jacobian and its note on J = Jᵀ
    nb.widget("bw-step-next").click()
    nb.widget("bw-step-next").click()
    assert nb.widget("bw-step-title").inner_text().startswith("(C2)")
    note = nb.widget("bw-step-note")
    assert note.is_visible() and "symmetric" in note.inner_text()
    assert notice.is_visible()  # stepping on keeps the notice
    note.scroll_into_view_if_needed()
    nb.screenshot("cross-entropy-C2")
    # an output the loss cannot use is refused next to that menu
    control(nb, "activation", 2).select_option("tanh")
    refusal = message(nb, "activation", 2)
    refusal.wait_for()
    assert "softmax" in refusal.inner_text()
    wait_python(nb, 2, r"\['tanh', 'softmax'\]")
