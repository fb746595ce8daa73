"""The explorer beyond the derivation's network: bias, loss, softmax, the bias heatmaps and
the bias entry (Python side, no browser; tests/browser/test_explorer.py drives the front end)."""

from __future__ import annotations

import numpy as np
import pytest

import backprop_widgets as bw
from backprop_widgets import MLP
from backprop_widgets._colorscale import gradcheck_limits
from backprop_widgets.widgets._buffers import unpack
from backprop_widgets.widgets.explorer import BackpropExplorer


def _ask(ex: BackpropExplorer, name: str, value: object, layer: object = None) -> bool:
    return ex.handle_request({"type": "bw-request", "name": name, "layer": layer, "value": value})


def test_the_default_is_the_derivations_network() -> None:
    ex = BackpropExplorer(sizes=[3, 4, 2], seed=1)
    assert ex.bias is False and ex.loss == "squared_error" and not ex.net.has_bias
    assert ex.net.loss_name == "squared_error"
    assert all(p["bias"] is None for p in ex.heatmaps)
    assert [s.key for s in ex.steps] == [
        "forward", "C1", "C2", "C3", "chain-2", "chain-1", "delta", "gradient",
    ]  # fmt: skip
    assert all(s.note == "" for s in ex.steps)
    assert "softmax" not in ex.control_state["options"]
    assert ex.control_state["output_options"][-1] == "softmax"
    # y is still drawn as before: U(-1, 1) from (seed, 2, 0)
    np.testing.assert_array_equal(ex.y, np.random.default_rng([1, 2, 0]).uniform(-1, 1, 2))


def test_bias_from_the_front_end_shows_the_bias_column_on_ws_colour_scale() -> None:
    ex = BackpropExplorer(sizes=[3, 4, 2], seed=1)
    W_before = ex.net.W(1).copy()
    assert _ask(ex, "bias", True)
    assert ex.bias and ex.net.has_bias
    np.testing.assert_array_equal(ex.net.W(1), W_before)  # W kept, biases start at zero
    np.testing.assert_array_equal(ex.net.b(1), np.zeros(4))
    (p,) = ex.heatmaps
    b = p["bias"]
    assert b["param"] == "b" and b["shape"] == [4, 1] and p["param"] == "W"
    check_W, check_b = ex.report.layer(1), ex.report.bias_layer(1)
    np.testing.assert_allclose(unpack(b["analytic"]).ravel(), ex.net.backward(ex.x, ex.y).grad_b(1))
    limits = [gradcheck_limits(check_W), gradcheck_limits(check_b)]
    assert p["scale"] == b["scale"] == max(x.values for x in limits)
    assert p["difference_scale"] == b["difference_scale"] == max(x.difference for x in limits)
    keys = [s.key for s in ex.steps]
    assert keys.index("C3b") == keys.index("C3") + 1 and keys[-1] == "gradient-b"
    assert "b^{(\\ell)}" in ex.steps[0].formula
    assert not _ask(ex, "bias", "yes")
    assert ex.refusal["name"] == "bias" and "true or false" in ex.refusal["text"]
    assert _ask(ex, "bias", False) and not ex.net.has_bias


def test_selecting_a_bias_entry_gives_its_own_derivation() -> None:
    ex = BackpropExplorer(sizes=[3, 4, 2], seed=2, bias=True)
    assert _ask(ex, "select", ["b", 1, 3])
    assert ex.selected == ("b", 1, 3) and ex.layer == 1
    e = ex.entry
    delta = ex.net.backward(ex.x, ex.y).delta(1)
    assert e["param"] == "b" and e["i"] == 3 and e["j"] is None
    assert e["analytic"] == pytest.approx(delta[3]) and e["delta_i"] == pytest.approx(delta[3])
    assert e["numeric"] == pytest.approx(delta[3], rel=1e-6)
    assert e["ok"] and "b^{(1)}_{4}" in e["tex"]  # on screen from 1
    for bad in (["b", 1, 4], ["b", 3, 0], ["b", 1, "x"]):
        assert not _ask(ex, "select", bad)
        assert ex.refusal["name"] == "select" and ex.selected == ("b", 1, 3)
    ex.bias = False  # the bias entry no longer exists: the selection is cleared
    assert ex.selected is None
    with pytest.raises(ValueError, match="no biases"):
        ex.selected = ("b", 1, 0)


def test_cross_entropy_sets_a_softmax_output_and_says_so() -> None:
    ex = BackpropExplorer(sizes=[3, 4, 3], seed=0)
    formula_before = [s.formula for s in ex.steps]
    assert _ask(ex, "loss", "cross_entropy")
    assert ex.loss == "cross_entropy" and ex.net.loss_name == "cross_entropy"
    assert ex.activations[-1] == "softmax"
    assert ex.notice["name"] == "loss" and "softmax" in ex.notice["text"]
    assert sorted(ex.y) == [0.0, 0.0, 1.0]  # y drawn to fit: one-hot
    steps = {s.key: s for s in ex.steps}
    assert steps["forward"].formula != formula_before[0] and r"\log" in steps["forward"].formula
    assert "oslash" in steps["C1"].formula and "z − y" in steps["C1"].note
    assert "diag" in steps["C2"].formula and "Jᵀ" in steps["C2"].note
    assert steps["C2"].numbers is not None and "pmatrix" in steps["C2"].numbers  # 3 × 3 J
    assert r"{}^\top" in steps["delta"].formula and "= z^{(2)} - y" in steps["delta"].formula
    assert all(s.check["ok"] for s in ex.steps)
    # stepping keeps the notice; the next control's request clears it
    assert _ask(ex, "step", 2) and ex.notice["name"] == "loss"
    assert _ask(ex, "new-x", None) and ex.notice == {}
    # an output the loss cannot use is refused, with the reason, and nothing changes
    assert not _ask(ex, "activation", "tanh", layer=2)
    assert ex.refusal["name"] == "activation" and "softmax" in ex.refusal["text"]
    assert ex.activations[-1] == "softmax"
    # softmax belongs to the output layer's menu only
    assert "softmax" not in ex.control_state["options"]


def test_binary_cross_entropy_gets_a_sigmoid_output_and_labels() -> None:
    ex = BackpropExplorer(sizes=[2, 3, 2], seed=4, bias=True)
    ex.loss = "binary_cross_entropy"
    assert ex.activations[-1] == "sigmoid" and set(ex.y) <= {0.0, 1.0}
    assert ex.report.ok
    assert not _ask(ex, "loss", "hinge")
    assert "loss" in ex.refusal["text"] and ex.loss == "binary_cross_entropy"
    with pytest.raises(ValueError, match="loss: expected one of"):
        BackpropExplorer(sizes=[2, 2], loss="mse")


def test_back_to_squared_error_keeps_the_softmax_output() -> None:
    ex = BackpropExplorer(sizes=[2, 3], seed=0, loss="cross_entropy")
    assert ex.activations == ["softmax"]
    assert _ask(ex, "loss", "squared_error") and ex.activations == ["softmax"]
    assert ex.notice == {} and ex.report.ok  # softmax with squared error is allowed
    assert _ask(ex, "activation", "identity", layer=1)


def test_a_given_network_keeps_its_biases_loss_and_weights() -> None:
    b = [np.array([0.5, -1.0, 2.0]), np.array([0.25, -0.25])]
    net = MLP([2, 3, 2], ["tanh", "softmax"], biases=b, loss="cross_entropy", seed=5)
    y = np.array([0.3, 0.7])
    ex = BackpropExplorer(net=net, x=np.array([1.0, -1.0]), y=y)
    assert ex.bias and ex.loss == "cross_entropy"
    for ell in (1, 2):
        np.testing.assert_array_equal(ex.net.W(ell), net.W(ell))
        np.testing.assert_array_equal(ex.net.b(ell), b[ell - 1])
    np.testing.assert_array_equal(ex.y, y)
    assert ex.report.bias_layer(ex.layer).ok
    # a y that does not fit the loss is refused
    with pytest.raises(ValueError, match="probability"):
        ex.set_data(y=np.array([2.0, 0.0]))
    ex.bias = False  # the derivation's network again, W kept
    np.testing.assert_array_equal(ex.net.W(1), net.W(1))
    assert not ex.net.has_bias


def test_to_figure_draws_the_bias_column() -> None:
    pytest.importorskip("matplotlib")
    ex = BackpropExplorer(sizes=[2, 3, 1], seed=0, bias=True)
    fig = ex.to_figure()
    assert len(fig.axes) > 3
    import matplotlib.pyplot as plt

    plt.close(fig)


def test_the_bias_trait_takes_only_a_bool() -> None:
    with pytest.raises(ValueError, match="bias: expected True or False"):
        BackpropExplorer(sizes=[2, 2], bias="yes")  # type: ignore[arg-type]
    ex = BackpropExplorer(sizes=[2, 2])
    with pytest.raises(ValueError, match="bias"):
        ex.bias = "yes"
    assert ex.bias is False
    assert bw.BackpropExplorer is BackpropExplorer
