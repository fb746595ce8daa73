"""NetworkDiagram, Python side: traits, validation, redraw triggers (no browser)."""

from __future__ import annotations

import numpy as np
import pytest
from ipywidgets.widgets.widget import _remove_buffers

from backprop_widgets import MLP, NetworkDiagram
from backprop_widgets.widgets._buffers import unpack


@pytest.fixture
def net() -> MLP:
    return MLP([2, 3, 1], ["tanh", "identity"], seed=0)


X = [1.0, -1.0]
Y = [0.5]


def weights_of(d: NetworkDiagram) -> list[np.ndarray]:
    return [unpack(p) for p in d.weights]


# --------------------------------------------------------------------------- traits


def test_traits_describe_the_network(net: MLP) -> None:
    d = NetworkDiagram(net)
    assert d.sizes == [2, 3, 1]
    assert d.activations == ["tanh", "identity"]
    assert d.unit_activations == [[], []]
    assert len(d.weights) == net.L
    for mine, W in zip(weights_of(d), net.weights, strict=True):
        assert mine.shape == W.shape
        np.testing.assert_array_equal(mine, W)
    assert d.gradients == [] and d.z == [] and d.loss is None and d.z_samples == 0
    assert d.show == "weights" and d.selected is None


def test_per_unit_activations_are_named_per_unit() -> None:
    net = MLP([2, 3, 1], [["tanh", "relu", "tanh"], "identity"], seed=0)
    d = NetworkDiagram(net)
    assert d.activations == ["mixed", "identity"]
    assert d.unit_activations == [["tanh", "relu", "tanh"], []]


def test_gradients_z_and_loss_come_from_the_core(net: MLP) -> None:
    d = NetworkDiagram(net, x=X, y=Y, show="gradients")
    bw = net.backward(X, Y)
    assert d.loss == pytest.approx(bw.E)
    for mine, g in zip([unpack(p) for p in d.gradients], bw.grads, strict=True):
        np.testing.assert_allclose(mine, g)
    assert [unpack(p).shape for p in d.z] == [(2,), (3,), (1,)]
    for layer in range(net.L + 1):
        np.testing.assert_allclose(unpack(d.z[layer]), bw.forward.z(layer))
    assert d.z_samples == 1


def test_a_batch_fills_nodes_with_the_mean_over_samples(net: MLP) -> None:
    x = np.array([[1.0, 0.0, -2.0], [0.5, 1.0, 0.0]])
    y = np.array([[0.0, 1.0, 0.5]])
    d = NetworkDiagram(net, x=x, y=y)
    fw = net.forward(x)
    np.testing.assert_allclose(unpack(d.z[1]), fw.z(1).mean(axis=1))
    assert d.z_samples == 3
    np.testing.assert_allclose(unpack(d.gradients[0]), net.gradients(x, y)[0])


def test_input_without_target_fills_nodes_but_has_no_gradients(net: MLP) -> None:
    d = NetworkDiagram(net, x=X)
    assert len(d.z) == 3 and d.gradients == [] and d.loss is None


def test_arrays_travel_as_binary_buffers_not_json(net: MLP) -> None:
    d = NetworkDiagram(net, x=X, y=Y)
    state, paths, buffers = _remove_buffers(d.get_state())
    # one buffer per W(ℓ), per ∂E/∂W(ℓ) and per z(ℓ)
    assert len(buffers) == net.L + net.L + (net.L + 1)
    assert ["weights", 0, "data"] in paths
    for packed in state["weights"]:
        assert set(packed) == {"shape", "dtype"}  # the data went to a buffer


# --------------------------------------------------------------------------- validation


def test_show_accepts_only_weights_or_gradients(net: MLP) -> None:
    d = NetworkDiagram(net, x=X, y=Y)
    with pytest.raises(ValueError, match="show: expected 'weights' or 'gradients'"):
        d.show = "grads"
    assert d.show == "weights"
    d.show = "gradients"
    assert d.show == "gradients"
    with pytest.raises(ValueError, match="show"):
        NetworkDiagram(net, show="everything")


def test_gradients_need_x_and_y(net: MLP) -> None:
    with pytest.raises(ValueError, match="needs an input x and a target y"):
        NetworkDiagram(net, show="gradients")
    d = NetworkDiagram(net, x=X)
    with pytest.raises(ValueError, match="needs an input x and a target y"):
        d.show = "gradients"
    assert d.show == "weights"
    d = NetworkDiagram(net, x=X, y=Y, show="gradients")
    with pytest.raises(ValueError, match="needs an input x and a target y"):
        d.x = None
    assert d.x is not None and d.y is not None and d.show == "gradients"


@pytest.mark.parametrize(
    ("value", "error", "match"),
    [
        ((3, 0, 0), ValueError, "layer ℓ=3 does not exist"),
        ((0, 0, 0), ValueError, "layer ℓ=0 does not exist"),
        ((1, 3, 0), ValueError, r"W\(1\) has shape \(3, 2\)"),
        ((2, 0, 3), ValueError, r"W\(2\) has shape \(1, 3\)"),
        ((1, -1, 0), ValueError, "has shape"),
        ((1, 0), TypeError, "expected None or"),
        ("abc", TypeError, "expected None or"),
        ((1, 0, True), TypeError, "expected None or"),
        ((1.0, 0, 0), TypeError, "expected None or"),
    ],
)
def test_selected_refuses_what_the_network_does_not_have(net, value, error, match) -> None:
    d = NetworkDiagram(net)
    d.selected = (2, 0, 1)
    with pytest.raises(error, match=match) as info:
        d.selected = value
    assert "ℓ in 1..2" in str(info.value)  # the message names what is allowed
    assert d.selected == (2, 0, 1)


def test_selected_accepts_lists_and_numpy_integers(net: MLP) -> None:
    d = NetworkDiagram(net)
    d.selected = [1, 2, 1]  # what the front end sends
    assert d.selected == (1, 2, 1)
    d.selected = (np.int64(2), np.int32(0), np.int8(2))
    assert d.selected == (2, 0, 2) and all(type(v) is int for v in d.selected)
    d.selected = None
    assert d.selected is None


def test_bad_constructor_arguments(net: MLP) -> None:
    with pytest.raises(TypeError, match="net: expected an MLP"):
        NetworkDiagram([2, 3, 1])  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="x: expected shape"):
        NetworkDiagram(net, x=[1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match="y: a target needs an input"):
        NetworkDiagram(net, y=Y)
    with pytest.raises(ValueError, match="max_nodes"):
        NetworkDiagram(net, max_nodes=2)


# --------------------------------------------------------------------------- redraw triggers


def test_changing_weights_in_the_network_updates_the_diagram(net: MLP) -> None:
    d = NetworkDiagram(net, x=X, y=Y)
    old_grad = unpack(d.gradients[0])
    net.set_W(1, 2 * net.W(1))
    np.testing.assert_array_equal(weights_of(d)[0], net.W(1))
    assert not np.allclose(unpack(d.gradients[0]), old_grad)
    np.testing.assert_allclose(unpack(d.gradients[0]), net.gradients(X, Y)[0])
    net.weights = [np.zeros((3, 2)), np.ones((1, 3))]
    np.testing.assert_array_equal(weights_of(d)[1], np.ones((1, 3)))
    net.reinitialize(7)
    np.testing.assert_array_equal(weights_of(d)[0], net.W(1))


def test_changing_activations_in_the_network_updates_the_diagram(net: MLP) -> None:
    d = NetworkDiagram(net, x=X)
    net.activations = ["relu", "sigmoid"]
    assert d.activations == ["relu", "sigmoid"]
    np.testing.assert_allclose(unpack(d.z[2]), net.forward(X).z(2))


def test_assigning_another_network_redraws_and_follows_it(net: MLP) -> None:
    d = NetworkDiagram(net)
    d.selected = (2, 0, 2)
    other = MLP([3, 2, 4, 2], "tanh", seed=1)
    d.net = other
    assert d.net is other
    assert d.sizes == [3, 2, 4, 2]
    assert d.activations == ["tanh"] * 3
    assert d.selected is None  # W(2) of the new network is 4 × 2: there is no [0, 2]
    other.set_W(3, np.zeros((2, 4)))
    np.testing.assert_array_equal(weights_of(d)[2], np.zeros((2, 4)))
    net.set_W(1, np.ones((3, 2)))  # the old network no longer drives the diagram
    assert d.sizes == [3, 2, 4, 2]
    np.testing.assert_array_equal(weights_of(d)[0], other.W(1))


def test_a_selection_valid_in_the_new_network_is_kept(net: MLP) -> None:
    d = NetworkDiagram(net)
    d.selected = (1, 0, 1)
    d.net = MLP([4, 4, 4], "tanh", seed=2)
    assert d.selected == (1, 0, 1)


def test_a_network_that_does_not_fit_the_data_is_refused(net: MLP) -> None:
    d = NetworkDiagram(net, x=X, y=Y)
    other = MLP([3, 2, 1], "tanh", seed=0)
    with pytest.raises(ValueError, match="net: the new network does not fit"):
        d.net = other
    assert d.net is net and d.sizes == [2, 3, 1]
    d.set_data(None, None)
    d.net = other
    assert d.sizes == [3, 2, 1]


def test_assigning_x_and_y_redraws(net: MLP) -> None:
    d = NetworkDiagram(net)
    d.x = X
    np.testing.assert_allclose(unpack(d.z[0]), X)
    assert d.gradients == []
    d.y = Y
    assert d.loss == pytest.approx(net.loss(X, Y))
    d.set_data(np.ones((2, 4)), np.zeros((1, 4)))
    assert d.z_samples == 4
    with pytest.raises(ValueError, match="y: expected shape"):
        d.y = [0.0]  # one sample against a batch of four
    assert d.z_samples == 4 and d.y.shape == (1, 4)
    d.x = None
    assert d.x is None and d.y is None and d.z == [] and d.loss is None


def test_x_and_y_are_copies(net: MLP) -> None:
    x = np.array(X)
    d = NetworkDiagram(net, x=x)
    x[0] = 100.0
    assert d.x[0] == 1.0


def test_closing_stops_following_the_network(net: MLP) -> None:
    d = NetworkDiagram(net)
    before = weights_of(d)[0]
    d.close()
    net.set_W(1, np.ones((3, 2)))
    np.testing.assert_array_equal(weights_of(d)[0], before)


def test_set_data_changes_network_and_data_at_once(net: MLP) -> None:
    d = NetworkDiagram(net, x=X, y=Y, show="gradients")
    other = MLP([3, 2, 2], "tanh", seed=4)
    x3, y2 = [1.0, 0.0, -1.0], [0.5, -0.5]
    d.set_data(x3, y2, net=other)
    assert d.net is other and d.sizes == [3, 2, 2]
    np.testing.assert_allclose(unpack(d.gradients[1]), other.gradients(x3, y2)[1])
    other.set_W(1, np.zeros((2, 3)))  # the diagram follows the new network
    np.testing.assert_array_equal(weights_of(d)[0], np.zeros((2, 3)))


def test_set_data_refused_leaves_everything_as_it_was(net: MLP) -> None:
    d = NetworkDiagram(net, x=X, y=Y, show="gradients")
    other = MLP([3, 2, 2], "tanh", seed=4)
    with pytest.raises(ValueError, match="x: expected shape"):
        d.set_data(X, Y, net=other)  # X has n(0) = 2, the new network wants 3
    with pytest.raises(ValueError, match="needs an input x and a target y"):
        d.set_data(None, None, net=other)  # show='gradients' needs data
    with pytest.raises(TypeError, match="net: expected an MLP"):
        d.set_data(X, Y, net="net")  # type: ignore[arg-type]
    assert d.net is net and d.sizes == [2, 3, 1] and d.show == "gradients"
    np.testing.assert_array_equal(d.x, X)
    other.set_W(1, np.zeros((2, 3)))  # never subscribed to the refused network
    assert d.sizes == [2, 3, 1]
