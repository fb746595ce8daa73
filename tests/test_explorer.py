"""BackpropExplorer, its stepper and heatmap payloads, without a browser.

Expected values come from the core (MLP.backward, gradcheck, frechet) computed here
independently of the widget, never from the widget's own output.
"""

from __future__ import annotations

import comm
import comm.base_comm
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
    return unpack(ex.heatmaps[k][key])


def ask(ex, name, value=None, layer=None) -> bool:
    """What a front-end control does: a request, handled as the comm handler would."""
    return ex.handle_request({"type": "bw-request", "name": name, "layer": layer, "value": value})


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
    payload = ex.heatmaps[0]
    assert payload["layer"] == ell and payload["shape"] == list(expected.shape)
    limit = max(np.abs(expected).max(), np.abs(report.layer(ell).numeric).max())
    assert payload["scale"] == pytest.approx(limit)  # no kinks here: every entry counts


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
        ("sizes", [3, 0, 2], "1 to 64"),
        ("sizes", [3, 65, 2], "1 to 64"),
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
        ({"sizes": [3, 65, 2]}, traitlets.TraitError, "1 to 64"),
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


def _scene_of(ex):
    net = ex.net
    return [*net.weights, *(net.biases or []), ex.x, ex.y]


@pytest.mark.parametrize(
    "history",
    [[], ["new_W"], ["new_W", "new_W", "new_x"], ["new_y", "bias"], ["set_data", "new_W"]],
)
def test_a_new_activation_keeps_the_scene_that_would_be_drawn_again(history):
    """Only σ changes: W, b, x and y are the ones a fresh explorer with the same history has."""

    def play(ex):
        for what in history:
            if what == "bias":
                ex.bias = True
            elif what == "set_data":
                ex.set_data(x=[0.5, -1.0, 2.0])
            else:
                getattr(ex, what)()
        return ex

    ex = play(make(activations=["tanh", "identity"]))
    ex.activations = ["sin", "identity"]
    ask(ex, "activation", "relu", layer=1)
    fresh = play(make(activations=["relu", "identity"]))
    assert ex.activations == fresh.activations
    for a, b in zip(_scene_of(ex), _scene_of(fresh), strict=True):
        np.testing.assert_array_equal(a, b)
    np.testing.assert_array_equal(shown(ex), shown(fresh))


def test_weights_set_on_the_explorers_network_are_drawn_again_by_a_new_activation():
    ex = make()
    drawn = ex.net.W(1)
    ex.net.set_W(1, np.zeros_like(drawn))
    ex.activations = ["sin", "identity"]
    np.testing.assert_array_equal(ex.net.W(1), drawn)


def test_every_recompute_bumps_the_version_sent_with_the_data():
    ex = make()
    v = ex.version
    seen = []
    ex.observe(lambda c: seen.append(c["new"]), names="version")
    ex.sizes = [3, 5, 2]
    assert ex.version > v and seen == [ex.version]  # one new version for one change
    assert ex.heatmaps[0]["shape"] == [5, 3] and ex.diagram["sizes"] == [3, 5, 2]


def test_a_numpy_array_of_sizes_is_accepted_like_mlp_accepts_it():
    ex = BackpropExplorer(sizes=np.array([2, 3, 1]))
    assert ex.sizes == [2, 3, 1] and ex.activations == ["tanh", "identity"]
    assert ex.net.sizes == MLP(np.array([2, 3, 1]), "tanh").sizes


def test_widths_up_to_64_are_drawn():
    ex = BackpropExplorer(sizes=[64, 32, 10], seed=0, layer=1)
    assert ex.heatmaps[0]["shape"] == [32, 64]
    assert ex.diagram["sizes"] == [64, 32, 10]


# ------------------------------------------------------------------ linked selection


def test_selection_is_shared_between_explorer_diagram_and_heatmap_view():
    ex = make(layer=2)
    ex.selected = (2, 1, 3)
    assert ex.entry["layer"] == 2 and (ex.entry["i"], ex.entry["j"]) == (1, 3)
    bp = ex.net.backward(ex.x, ex.y)
    assert ex.entry["delta_i"] == bp.delta(2)[1]
    assert ex.entry["z_j"] == bp.forward.z(1)[3]
    assert ex.entry["analytic"] == bp.grad(2)[1, 3]
    # a click in the diagram or a heatmap: the explorer follows and switches layer
    assert ask(ex, "select", [1, 2, 0])
    assert ex.selected == (1, 2, 0)
    assert ex.layer == 1
    assert ex.heatmaps[0]["layer"] == 1
    assert ex.entry["layer"] == 1
    ex.selected = None
    assert ex.entry == {}


def test_a_selection_that_no_longer_exists_is_cleared():
    ex = make()
    ex.selected = (2, 1, 3)
    ex.sizes = [3, 4, 1]
    assert ex.selected is None


def test_a_refused_selection_from_the_front_end_is_shown_not_raised():
    ex = make()
    assert not ask(ex, "select", [2, 9, 9])
    assert "row i must be in" in ex.refusal["text"] and ex.refusal["name"] == "select"
    assert ex.selected is None


# ------------------------------------------------------------------ requests from the controls


def test_controls_change_the_traits_and_refusals_are_keyed_by_the_control():
    ex = make()
    assert ask(ex, "L", "3")
    assert ex.sizes == [3, 4, 2, 2]
    assert ask(ex, "n", "6", layer=1)
    assert ex.sizes == [3, 6, 2, 2]
    assert ask(ex, "activation", "relu", layer=1)
    assert ex.activations[0] == "relu"
    assert ask(ex, "units", "2=sin, 6=sigmoid", layer=1)
    assert ex.activations[0] == ["relu", "sin", "relu", "relu", "relu", "sigmoid"]
    assert ex.control_state["units"][0] == "2=sin, 6=sigmoid"
    assert ex.control_state["activation"][0] == "relu"
    assert not ask(ex, "units", "9=sin", layer=1)
    assert ex.refusal["name"] == "units" and ex.refusal["layer"] == 1
    assert "unit must be in 1..6" in ex.refusal["text"]
    assert ex.refusal["value"] == "9=sin"  # what was typed, for the field to keep
    assert ex.activations[0] == ["relu", "sin", "relu", "relu", "relu", "sigmoid"]
    assert not ask(ex, "units", "hello", layer=1)
    assert "unit=name" in ex.refusal["text"]
    assert ask(ex, "layer", "3")
    assert ex.layer == 3 and ex.refusal == {}
    assert ask(ex, "kind", "relative")
    assert ex.heatmap_kind == "relative"
    assert ask(ex, "seed", "4")
    assert ex.seed == 4
    assert ask(ex, "all-layers", True)
    assert [p["layer"] for p in ex.heatmaps] == [1, 2, 3]
    x = ex.x
    assert ask(ex, "new-x")
    assert not np.array_equal(ex.x, x)


@pytest.mark.parametrize(
    ("name", "layer", "value", "words"),
    [
        ("n", 1, "0", "n(1): the explorer shows widths 1 to 64, got 0"),
        ("n", 1, "65", "n(1): the explorer shows widths 1 to 64, got 65"),
        ("n", 1, "abc", "whole number"),
        ("n", 1, "", "whole number"),
        ("n", 7, "3", "no layer in 0..2"),
        ("L", None, "0", "at least 1"),
        ("L", None, "9", "number of layers L: the explorer shows 1 to 8 layers, got 9"),
        ("seed", None, "-2", "non-negative"),
        ("activation", 1, "nope", "unknown activation"),
        ("layer", None, "5", "1..2"),
        ("kind", None, "ratio", "difference, relative"),
        ("all-layers", None, "yes", "true or false"),
        ("step", None, "99", "0.."),
        ("launch", None, 1, "unknown control"),
    ],
)
def test_a_refused_request_keeps_the_network_and_says_why_next_to_the_control(
    name, layer, value, words
):
    ex = make()
    before = {k: getattr(ex, k) for k in ("sizes", "activations", "layer", "seed", "step")}
    weights, version = ex.net.weights, ex.version
    assert ask(ex, name, value, layer=layer) is False
    assert ex.refusal["name"] == name and ex.refusal["layer"] == layer
    assert words in ex.refusal["text"], ex.refusal["text"]
    assert ex.refusal["value"] == value
    assert {k: getattr(ex, k) for k in before} == before
    for a, b in zip(ex.net.weights, weights, strict=True):
        np.testing.assert_array_equal(a, b)
    assert ex.version == version  # nothing was pushed: the old pictures stay


def test_a_change_from_python_clears_the_refusal_and_repaints():
    ex = make()
    assert not ask(ex, "n", "65", layer=1)
    version = ex.version
    ex.sizes = [3, 5, 2]
    assert ex.refusal == {} and ex.version > version


def test_messages_that_are_not_requests_are_ignored():
    ex = make()
    version = ex.version
    ex._on_message(ex, {"type": "something else", "name": "n", "layer": 1, "value": "9"}, [])
    ex._on_message(ex, "text", [])
    assert ex.version == version and ex.sizes == [3, 4, 2]
    ex._on_message(ex, {"type": "bw-request", "name": "n", "layer": 1, "value": "9"}, [])
    assert ex.sizes == [3, 9, 2]


def test_control_storm_ends_with_the_last_change():
    ex = make()
    rng = np.random.default_rng(0)
    for _ in range(50):
        last = int(rng.integers(1, 65))
        ask(ex, "n", str(last), layer=1)
    assert ex.sizes[1] == last == ex.net.sizes[1]
    assert ex.heatmaps[0]["shape"] == [last, 3]


def test_custom_activation_names_reach_the_menus_as_names():
    evil = Activation("<img src=x onerror=alert(1)>", np.tanh, lambda u: 1 - np.tanh(u) ** 2)
    ex = make(activations=[evil, "identity"], layer=1)
    assert ex.activations[0] is evil
    assert evil.name in ex.control_state["options"]
    assert ex.control_state["activation"][0] == evil.name
    assert ask(ex, "activation", "sin", layer=1) and ex.activations[0] == "sin"
    assert ask(ex, "activation", evil.name, layer=1) and ex.activations[0] is evil
    assert ex.heatmaps[0]["ok"] is True


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
    c3 = next(s for s in ex.step_data if s["key"] == "C3")
    assert c3["numbers"] is None and "heatmap" in c3["too_big"]


def test_a_wrong_derivative_fails_the_live_checks():
    wrong = Activation("wrong_tanh", np.tanh, lambda u: 2 * (1 - np.tanh(u) ** 2))
    ex = make(activations=["tanh", wrong], layer=1)
    by_key = {s.key: s for s in ex.steps}
    assert not by_key["C2"].check["ok"]
    assert not by_key["gradient"].check["ok"]
    assert by_key["C1"].check["ok"] and by_key["C3"].check["ok"]
    assert ex.heatmaps[0]["ok"] is False


def test_every_step_of_the_scene_is_sent_with_its_latex():
    ex = make()
    data = ex.step_data
    assert [d["key"] for d in data] == [s.key for s in ex.steps]
    for d, s in zip(data, ex.steps, strict=True):
        assert d["title"] == s.title and d["formula"] == s.formula and d["numbers"] == s.numbers
        assert d["check"] == s.check
    assert "W^{(" in data[0]["formula"]


class RecordingComm(comm.base_comm.BaseComm):
    """A comm that keeps what it would send to the front end (the comm package lets a kernel
    supply its own through ``comm.create_comm``)."""

    def __init__(self, *args, **kwargs):
        self.sent: list[dict] = []
        super().__init__(*args, **kwargs)

    def publish_msg(self, msg_type, data=None, metadata=None, buffers=None, **keys):
        if msg_type == "comm_msg":
            self.sent.append(data)


@pytest.fixture
def recording(monkeypatch):
    monkeypatch.setattr(comm, "create_comm", RecordingComm)


def steps_asked(ex) -> None:
    """What the page sends once it has drawn a change whose other steps are still to come."""
    ex._on_message(ex, {"type": "bw-steps"}, [])


def test_what_is_on_screen_is_sent_first_and_the_other_steps_when_the_page_asks(recording):
    """A change asked for by the page sends one message with the request's own trait and
    everything the front end shows (the step on screen among the steps, None for the others);
    once the page has drawn it, it asks, and one message brings every step; nothing else."""
    ex = make(sizes=[4, 8, 8, 3])
    ex.step, ex.selected = 3, (2, 0, 1)
    ex.comm.sent.clear()
    assert ask(ex, "activation", "sin", layer=1)
    assert len(ex.comm.sent) == 1
    first = ex.comm.sent[0]["state"]
    assert {"activations", "version", "heatmaps", "step_data", "diagram", "entry"} <= set(first)
    assert first["activations"][0] == "sin"
    assert first["version"] == ex.version
    assert first["entry"] == ex.entry and first["entry"]["value"] != 0
    assert [k for k, d in enumerate(first["step_data"]) if d is not None] == [3]
    assert ex.step_data == first["step_data"]
    steps_asked(ex)
    assert len(ex.comm.sent) == 2
    second = ex.comm.sent[1]["state"]
    assert set(second) == {"step_data"} and second["step_data"] == ex.step_data
    assert first["step_data"][3] == ex.step_data[3] == ex.steps[3].payload()
    assert [d["key"] for d in ex.step_data] == [s.key for s in ex.steps]
    assert all(d is not None for d in ex.step_data)
    steps_asked(ex)  # a second view asking too: they have come already
    assert len(ex.comm.sent) == 2
    # a scene with fewer steps: the step on screen is the last one, sent first
    ex.step = len(ex.steps) - 1
    ex.comm.sent.clear()
    assert ask(ex, "L", "1")
    first = next(m["state"] for m in ex.comm.sent if "step_data" in m.get("state", {}))
    assert ex.step == len(ex.steps) - 1 == first["step"]
    assert first["step_data"][ex.step]["key"] == ex.steps[-1].key
    # Python asking for the steps (ex.steps) makes them at once, and sends them
    assert all(d is not None for d in ex.step_data)


def test_a_change_made_in_python_sends_every_step_at_once(recording):
    """No page asked, so none will ask for the rest: the steps follow at once."""
    ex = make(sizes=[4, 8, 8, 3])
    ex.comm.sent.clear()
    ex.activations = ["sin", "tanh", "identity"]
    assert all(d is not None for d in ex.step_data)
    assert [set(m["state"]) for m in ex.comm.sent][-1] == {"step_data"}
    # a step set from Python before the page asked for the rest: it is made first
    assert ask(ex, "activation", "tanh", layer=1)
    assert ex.step_data[4] is None
    ex.step = 4
    assert ex.step_data[4] is not None and all(d is not None for d in ex.step_data)


def test_step_requests_set_the_step_trait_and_bump_the_version():
    ex = make()
    v = ex.version
    assert ask(ex, "step", 4)
    assert ex.step == 4 and ex.version == v + 1


def test_a_request_and_what_it_changes_go_out_in_one_message(recording):
    """A Next click's step and new version travel together; so do a refused request's
    refusal and nothing else."""
    ex = make()
    ex.comm.sent.clear()
    assert ask(ex, "step", 2)
    assert [m["state"] for m in ex.comm.sent] == [{"step": 2, "version": ex.version}]
    ex.comm.sent.clear()
    assert not ask(ex, "n", "0", layer=1)
    assert [set(m["state"]) for m in ex.comm.sent] == [{"refusal"}]
    # set from Python (no request): each trait goes out as it is set, as ipywidgets does
    ex.comm.sent.clear()
    ex.step = 3
    assert [m["state"] for m in ex.comm.sent][:1] == [{"step": 3}]
    ex.step = 2  # from Python: the front end repaints from the trait
    assert ex.step_data[ex.step]["key"] == "C2"


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
    # kinks do not set the scale; errors below rtol are drawn on a 0..rtol scale
    assert p["relative_scale"] == pytest.approx(max(unflagged.max(), report.layer(1).rtol))
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
    ex.observe(lambda c: seen.append((c["name"], c["new"])), names=["stale", "progress"])
    ex.new_x()
    assert ("stale", True) in seen
    assert ("progress", 0.0) in seen  # then the check's chunks report their fractions
    assert ex.stale is False and ex.progress == 1.0
    assert ex.heatmaps[0]["stale"] is False


def test_a_slow_check_asked_for_by_the_page_is_not_held_back(recording):
    """A request is handled in one hold_sync, but a slow check's stale maps and its progress
    still go out while it runs, each in a message of its own, before the fresh maps."""
    ex = make(sizes=[16, 64, 64, 4], layer=2)  # 4096 weights to difference, in chunks
    ex.slow_entries = 100
    ex.comm.sent.clear()
    assert ask(ex, "new-x")
    states = [m["state"] for m in ex.comm.sent]
    assert states[0]["stale"] is True and states[0]["progress"] == 0.0
    assert all(set(s) == {"progress"} for s in states[1:-1])
    fractions = [s["progress"] for s in states[1:-1]]
    assert len(fractions) >= 2 and fractions == sorted(fractions) and fractions[-1] == 1.0
    assert states[-1]["stale"] is False and "heatmaps" in states[-1]


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
    for bad in ({"sizes": [3, 65, 2]}, {"seed": -1}, {"layer": 7}, {"x": [1.0]}):
        with pytest.raises((traitlets.TraitError, ValueError)):
            BackpropExplorer(**bad)
    assert len(_instances) == before


def test_one_colour_rule_and_one_list_of_kinds_for_explorer_and_plots():
    from backprop_widgets import _colorscale, plots

    assert heatmaps.KINDS is _colorscale.KINDS is plots.KINDS
    net = MLP([2, 3, 1], ["relu", "identity"], weights=[np.eye(3, 2), np.ones((1, 3))])
    report = gradcheck(net, np.array([0.0, 1.0]), np.array([0.5]))
    c = report.layer(1)
    p = heatmaps.layer_payload(1, c)
    expected = max(np.abs(c.analytic).max(), np.abs(c.numeric[~c.kink]).max())
    assert p["scale"] == pytest.approx(expected)
    assert p["difference_scale"] == pytest.approx(np.abs((c.analytic - c.numeric)[~c.kink]).max())


def test_the_bundle_carries_katex_and_its_fonts_and_stays_under_1_mb():
    from pathlib import Path

    static = Path(__file__).resolve().parents[1] / "backprop_widgets" / "static"
    js = (static / "explorer.js").read_text(encoding="utf-8")
    css = (static / "styles.css").read_text(encoding="utf-8")
    total = (static / "explorer.js").stat().st_size + (static / "styles.css").stat().st_size
    assert total < 1_000_000, f"explorer bundle is {total} bytes"
    assert js.count("data:font/woff2;base64,") >= 15  # KaTeX's faces, inlined
    assert "KaTeX_Main" in js and ".katex" in css
    for fetched in ("url(fonts/", ".woff)", ".ttf", "http://", "https://cdn"):
        assert fetched not in css, fetched
    assert "@font-face" not in css  # the faces are added to the document head by JS
