"""BackpropExplorer, its stepper and heatmap payloads, without a browser.

Expected values come from the core (MLP.backward, gradcheck, frechet) computed here
independently of the widget, never from the widget's own output.
"""

from __future__ import annotations

import numpy as np
import pytest
import traitlets

from backprop_widgets import MLP, Activation, BackpropExplorer, gradcheck
from backprop_widgets.widgets import heatmaps, stepper
from backprop_widgets.widgets._buffers import unpack


def make(**kw):
    kw.setdefault("sizes", [3, 4, 2])
    kw.setdefault("seed", 1)
    return BackpropExplorer(**kw)


def shown(ex, key: str = "analytic", k: int = 0) -> np.ndarray:
    return unpack(ex._heat_view.heatmaps[k][key])


# ------------------------------------------------------------------ state and defaults


def test_default_explorer_matches_an_mlp_with_the_same_seed():
    ex = BackpropExplorer(seed=3)
    assert ex.sizes == [4, 8, 8, 3]
    assert ex.activations == ["tanh", "tanh", "identity"]
    net = MLP([4, 8, 8, 3], ["tanh", "tanh", "identity"], seed=3)
    for a, b in zip(ex.net.weights, net.weights, strict=True):
        np.testing.assert_array_equal(a, b)
    assert ex.layer == 2


def test_heatmaps_show_the_core_gradient_and_gradcheck():
    ex = make()
    ell = ex.layer
    expected = ex.net.backward(ex.x, ex.y).grad(ell)
    np.testing.assert_array_equal(shown(ex, "analytic"), expected)
    report = gradcheck(ex.net, ex.x, ex.y, layers=[ell])
    np.testing.assert_array_equal(shown(ex, "numeric"), report.layer(ell).numeric)
    np.testing.assert_array_equal(shown(ex, "difference"), expected - report.layer(ell).numeric)
    np.testing.assert_array_equal(shown(ex, "relative"), report.layer(ell).rel_error)
    payload = ex._heat_view.heatmaps[0]
    assert payload["layer"] == ell and payload["shape"] == list(expected.shape)
    limit = max(np.abs(expected).max(), np.abs(report.layer(ell).numeric).max())
    assert payload["scale"] == pytest.approx(limit)


def test_setting_sizes_alone_keeps_activations_that_fit():
    ex = make(activations=["relu", "sigmoid"])
    ex.sizes = [16, 32, 32, 32, 4]
    assert ex.activations == ["relu", "tanh", "tanh", "sigmoid"]
    assert ex.net.sizes == (16, 32, 32, 32, 4)
    assert ex.net.sigma(4).label == "sigmoid"
    ex.sizes = [2, 5]
    assert ex.activations == ["sigmoid"]
    assert ex.layer == 1


def test_per_unit_list_is_cut_or_padded_when_its_layer_changes_width():
    ex = make(activations=[["relu", "sin", "tanh", "tanh"], "identity"])
    assert ex.activations[0] == ["relu", "sin", "tanh", "tanh"]
    ex.sizes = [3, 2, 2]
    assert ex.activations[0] == ["relu", "sin"]
    ex.sizes = [3, 3, 2]
    assert ex.activations[0] == ["relu", "sin", "sin"]


@pytest.mark.parametrize(
    ("name", "value", "words"),
    [
        ("sizes", [3], "2 to 9"),
        ("sizes", [3, 0, 2], "1 to 32"),
        ("sizes", [3, 33, 2], "1 to 32"),
        ("sizes", [3, 4, 2] + [2] * 7, "1 to 8 layers"),
        ("sizes", [3, 2.5, 2], "integer"),
        ("sizes", "3, 4", "list"),
        ("activations", ["tanh"], "2 entries"),
        ("activations", ["tanh", "nope"], "unknown activation"),
        ("activations", [["relu"] * 3, "tanh"], "one entry per unit"),
        ("layer", 3, "1..2"),
        ("layer", 0, "1..2"),
        ("seed", -1, "non-negative"),
        ("heatmap_kind", "absolute", "difference, relative"),
        ("selected", (1, 4, 0), "row i must be in 0..3"),
        ("selected", (3, 0, 0), "1..2"),
        ("selected", (1, 0), "(ℓ, i, j)"),
        ("step", 99, "0.."),
    ],
)
def test_bad_values_are_refused_and_the_state_kept(name, value, words):
    ex = make()
    before = {k: getattr(ex, k) for k in ("sizes", "activations", "layer", "seed", "selected")}
    weights = ex.net.weights
    version = ex.version
    with pytest.raises(traitlets.TraitError, match=None) as info:
        setattr(ex, name, value)
    assert words in str(info.value)
    assert {k: getattr(ex, k) for k in before} == before
    for a, b in zip(ex.net.weights, weights, strict=True):
        np.testing.assert_array_equal(a, b)
    assert ex.version == version


@pytest.mark.parametrize(
    ("kwargs", "error", "words"),
    [
        ({"sizes": [3, 40, 2]}, traitlets.TraitError, "1 to 32"),
        ({"sizes": [3]}, traitlets.TraitError, "2 to 9"),
        ({"sizes": "3, 4"}, traitlets.TraitError, "list"),
        ({"sizes": [3, -1, 2]}, traitlets.TraitError, "sizes[1]"),
        ({"sizes": [3, 4, 2], "activations": ["tanh", "nope"]}, traitlets.TraitError, "unknown"),
        ({"sizes": [3, 4, 2], "activations": ["tanh"]}, traitlets.TraitError, "2 entries"),
        ({"sizes": [3, 4, 2], "activations": 7}, traitlets.TraitError, "one entry per layer"),
        ({"seed": -3}, traitlets.TraitError, "non-negative"),
        ({"seed": "7"}, traitlets.TraitError, "non-negative integer"),
        ({"seed": True}, traitlets.TraitError, "non-negative integer"),
        ({"layer": 9}, traitlets.TraitError, "1..3"),
        ({"layer": 1.5}, traitlets.TraitError, "integer"),
        ({"x": [1.0, 2.0]}, ValueError, "x: expected shape (4,)"),
        ({"x": [1.0, np.nan, 0.0, 0.0]}, ValueError, "x"),
        ({"x": "abcd"}, TypeError, "x"),
        ({"y": [1.0, 2.0]}, ValueError, "y: expected shape (3,)"),
        ({"y": [np.inf, 0.0, 0.0]}, ValueError, "y"),
        ({"net": "not a network"}, TypeError, "net: expected a backprop_widgets.MLP"),
        ({"x": np.ones((4, 2))}, ValueError, "one sample"),
    ],
)
def test_constructor_refuses_bad_input(kwargs, error, words):
    net = kwargs.pop("net", None)
    args = () if net is None else (net,)
    with pytest.raises(error) as info:
        BackpropExplorer(*args, **kwargs)
    assert words in str(info.value)


def test_net_and_sizes_together_are_refused():
    with pytest.raises(TypeError, match="either net or sizes"):
        BackpropExplorer(MLP([2, 3, 1], "tanh"), sizes=[2, 3, 1])


def test_an_mlp_can_be_passed_and_keeps_its_weights():
    net = MLP([2, 3, 1], ["sin", "identity"], seed=5)
    ex = BackpropExplorer(net, x=[0.5, -1.0], y=[0.25])
    np.testing.assert_array_equal(ex.net.W(1), net.W(1))
    np.testing.assert_array_equal(ex.x, [0.5, -1.0])
    expected = net.backward([0.5, -1.0], [0.25]).grad(ex.layer)
    np.testing.assert_array_equal(shown(ex), expected)


def test_seed_and_new_draws_change_exactly_what_they_say():
    ex = make()
    W, x, y = ex.net.weights, ex.x, ex.y
    ex.new_x()
    assert not np.array_equal(ex.x, x)
    np.testing.assert_array_equal(ex.y, y)
    np.testing.assert_array_equal(ex.net.W(1), W[0])
    x2 = ex.x
    ex.new_y()
    assert not np.array_equal(ex.y, y)
    np.testing.assert_array_equal(ex.x, x2)
    ex.new_W()
    assert not np.array_equal(ex.net.W(1), W[0])
    ex.activations = ["sin", "identity"]  # same sizes: weights kept
    np.testing.assert_array_equal(ex.net.W(2), ex.net.W(2))
    W_now = ex.net.weights
    ex.activations = ["relu", "identity"]
    np.testing.assert_array_equal(ex.net.W(1), W_now[0])
    ex.seed = 7
    np.testing.assert_array_equal(ex.net.W(1), MLP([3, 4, 2], "relu", seed=7).W(1))


def test_every_recompute_bumps_the_version_sent_with_the_data():
    ex = make()
    v = ex.version
    assert ex._heat_view.version == v == ex._stepper_view.version
    ex.sizes = [3, 5, 2]
    assert ex.version > v
    assert ex._heat_view.version == ex.version == ex._stepper_view.version


# ------------------------------------------------------------------ linked selection


def test_selection_is_shared_between_explorer_diagram_and_heatmap_view():
    ex = make(layer=2)
    ex.selected = (2, 1, 3)
    assert ex.diagram.selected == (2, 1, 3)
    assert ex._heat_view.selected == [2, 1, 3]
    entry = ex._heat_view.entry
    bp = ex.net.backward(ex.x, ex.y)
    assert entry["delta_i"] == bp.delta(2)[1]
    assert entry["z_j"] == bp.forward.z(1)[3]
    assert entry["analytic"] == bp.grad(2)[1, 3]
    # from the diagram: the heatmap follows and switches to that layer
    ex.diagram.selected = (1, 2, 0)
    assert ex.selected == (1, 2, 0)
    assert ex.layer == 1
    assert ex._heat_view.heatmaps[0]["layer"] == 1
    # from the front end of the heatmaps
    ex._heat_view.selected = [1, 0, 2]
    assert ex.selected == (1, 0, 2) and ex.diagram.selected == (1, 0, 2)
    ex.selected = None
    assert ex.diagram.selected is None and ex._heat_view.entry == {}


def test_a_selection_that_no_longer_exists_is_cleared():
    ex = make()
    ex.selected = (2, 1, 3)
    ex.sizes = [3, 4, 1]
    assert ex.selected is None
    assert ex.diagram.selected is None


def test_a_refused_value_from_the_front_end_is_shown_not_raised():
    ex = make()
    ex._heat_view.selected = [2, 9, 9]
    assert "row i must be in" in ex._heat_view.message
    assert ex.selected is None


# ------------------------------------------------------------------ controls


def test_controls_change_the_traits_and_refusals_are_visible():
    ex = make()
    c = ex.controls
    c.n_layers.value = 3
    assert ex.sizes == [3, 4, 2, 2]
    c._widths[1].value = 6
    assert ex.sizes == [3, 6, 2, 2]
    c._acts[0].value = "relu"
    assert ex.activations[0] == "relu"
    c._overrides[0].value = "2=sin, 6=sigmoid"
    assert ex.activations[0] == ["relu", "sin", "relu", "relu", "relu", "sigmoid"]
    c._overrides[0].value = "9=sin"
    assert "unit must be in 1..6" in c.message.value
    assert ex.activations[0] == ["relu", "sin", "relu", "relu", "relu", "sigmoid"]
    assert c._overrides[0].value == "2=sin, 6=sigmoid"  # the control shows the kept state
    c._overrides[0].value = "hello"
    assert "unit=name" in c.message.value
    c.layer.value = 3
    assert ex.layer == 3
    c.kind.value = "relative"
    assert ex.heatmap_kind == "relative" and ex._heat_view.kind == "relative"
    c.seed.value = 4
    assert ex.seed == 4 and c.message.value == ""
    c.all_layers.value = True
    assert [p["layer"] for p in ex._heat_view.heatmaps] == [1, 2, 3]


def test_control_storm_ends_with_the_last_change():
    ex = make()
    c = ex.controls
    rng = np.random.default_rng(0)
    for _ in range(50):
        c._widths[1].value = int(rng.integers(1, 33))
    last = c._widths[1].value
    assert ex.sizes[1] == last == ex.net.sizes[1]
    assert ex._heat_view.heatmaps[0]["shape"] == [last, 3]
    assert ex._heat_view.version == ex.version


def test_custom_activation_names_are_escaped_in_the_formula_html():
    evil = Activation("<img src=x onerror=alert(1)>", np.tanh, lambda u: 1 - np.tanh(u) ** 2)
    ex = make(activations=[evil, "identity"], layer=1)
    assert ex.activations[0] is evil
    assert evil.name in ex.controls._acts[0].options
    for k in range(len(ex.steps)):
        ex.step = k
        assert "<img" not in ex.formula.value
    assert ex._heat_view.heatmaps[0]["ok"] is True


def test_an_activation_that_raises_is_refused_with_a_message():
    def broken(u):
        raise RuntimeError("boom")

    bad = Activation("broken", broken, broken)
    ex = make()
    with pytest.raises(traitlets.TraitError, match="boom"):
        ex.activations = [bad, "identity"]
    assert ex.activations == ["tanh", "identity"]


# ------------------------------------------------------------------ the stepper


def test_steps_follow_the_derivation_and_check_every_piece():
    ex = make(sizes=[3, 4, 4, 2], layer=1)
    keys = [s.key for s in ex.steps]
    assert keys == ["forward", "C1", "C2", "C3", "chain-3", "chain-2", "delta", "gradient"]
    assert all(s.check["ok"] for s in ex.steps)
    assert all(s.numbers is not None for s in ex.steps)  # everything is small here
    one = make(sizes=[2, 3])
    assert "chain-0" not in [s.key for s in one.steps] and len(one.steps) == 7


def test_big_steps_point_at_the_heatmap_instead_of_numbers():
    ex = make(sizes=[12, 10, 3])
    c3 = next(s for s in ex.steps if s.key == "C3")
    assert c3.numbers is None and "heatmap" in c3.too_big
    assert "see the heatmap" in c3.html().lower()


def test_a_wrong_derivative_fails_the_live_checks():
    wrong = Activation("wrong_tanh", np.tanh, lambda u: 2 * (1 - np.tanh(u) ** 2))
    ex = make(activations=["tanh", wrong], layer=1)
    by_key = {s.key: s for s in ex.steps}
    assert not by_key["C2"].check["ok"]
    assert not by_key["gradient"].check["ok"]
    assert by_key["C1"].check["ok"] and by_key["C3"].check["ok"]
    assert ex._heat_view.heatmaps[0]["ok"] is False


def test_step_trait_drives_the_formula_and_the_step_bar():
    ex = make()
    ex.step = 2
    assert ex._stepper_view.step == 2
    assert 'data-step="C2"' in ex.formula.value
    ex._stepper_view.step = 4  # Next pressed in the front end
    assert ex.step == 4
    assert 'data-step="chain-2"' in ex.formula.value


def test_entry_payload_is_the_cores_entry():
    net = MLP([3, 4, 2], ["relu", "identity"], seed=2)
    x, y = np.array([1.0, -0.5, 0.3]), np.array([0.2, -0.1])
    report = gradcheck(net, x, y)
    e = stepper.entry_payload(net, x, y, 1, 2, 1, report)
    bp = net.backward(x, y)
    assert e["delta_i"] == bp.delta(1)[2] and e["z_j"] == x[1]
    assert e["numeric"] == report.layer(1).numeric[2, 1]
    assert e["value_forward"] == pytest.approx(bp.grad(1)[2, 1], rel=1e-12, abs=1e-15)


# ------------------------------------------------------------------ heatmap payloads


def test_layer_payload_packs_every_map_and_marks_kinks():
    net = MLP([2, 3, 1], ["relu", "identity"], weights=[np.eye(3, 2), np.ones((1, 3))])
    x, y = np.array([0.0, 1.0]), np.array([0.5])  # u1 = 0 sits on relu's kink
    report = gradcheck(net, x, y)
    p = heatmaps.layer_payload(1, report.layer(1))
    assert unpack(p["kink"]).dtype == np.uint8
    np.testing.assert_array_equal(unpack(p["kink"]).astype(bool), report.layer(1).kink)
    assert p["kinks"] == int(report.layer(1).kink.sum()) > 0
    unflagged = report.layer(1).rel_error[~report.layer(1).kink]
    assert p["relative_scale"] == pytest.approx(unflagged.max())  # kinks do not set the scale
    assert p["relative_scale"] < report.layer(1).rel_error.max()
    s = heatmaps.stale_payload(1, report.layer(1).analytic)
    assert s["stale"] and unpack(s["numeric"]).size == 0


def test_symmetric_limit_ignores_nonfinite_and_defaults_to_one():
    assert heatmaps.symmetric_limit(np.array([-3.0, 2.0]), np.array([np.nan, 1.0])) == 3.0
    assert heatmaps.symmetric_limit(np.zeros(3), None) == 1.0


def test_large_networks_report_progress_and_end_fresh():
    ex = make(sizes=[16, 32, 32, 32, 4], layer=2)
    ex.slow_entries = 100  # the default threshold is above what these small sizes need
    seen = []
    ex._heat_view.observe(lambda c: seen.append((c["name"], c["new"])), names=["stale", "progress"])
    ex.new_x()
    assert ("stale", True) in seen
    assert ("progress", 0.0) in seen  # then the check's chunks report their fractions
    assert ex._heat_view.stale is False and ex._heat_view.progress == 1.0
    assert ex._heat_view.heatmaps[0]["stale"] is False


def test_to_figure_returns_a_matplotlib_figure():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    ex = make()
    fig = ex.to_figure()
    assert isinstance(fig, matplotlib.figure.Figure)
    plt.close(fig)


def test_set_data_uses_the_sample_and_refuses_bad_ones():
    ex = make()
    x, y = np.array([0.5, -1.0, 2.0]), np.array([0.1, -0.2])
    ex.set_data(x, y)
    np.testing.assert_array_equal(ex.x, x)
    np.testing.assert_array_equal(shown(ex), ex.net.backward(x, y).grad(ex.layer))
    version = ex.version
    with pytest.raises(ValueError, match="y: expected shape"):
        ex.set_data(y=[1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match="one sample"):
        ex.set_data(np.ones((3, 2)))
    assert ex.version == version
    np.testing.assert_array_equal(ex.y, y)
    ex.seed = 5  # a new scene: drawn data again
    assert not np.array_equal(ex.x, x)


def test_a_refused_constructor_opens_no_widget():
    from ipywidgets.widgets.widget import _instances  # every live widget, by model id

    before = len(_instances)
    for bad in ({"sizes": [3, 40, 2]}, {"seed": -1}, {"layer": 7}, {"x": [1.0]}):
        with pytest.raises((traitlets.TraitError, ValueError)):
            BackpropExplorer(**bad)
    assert len(_instances) == before
