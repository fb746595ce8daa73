"""The gradient-descent loop: the update is the network's own gradient, batch-mean scaled."""

from __future__ import annotations

import numpy as np
import pytest

from backprop_widgets import MLP, datasets
from backprop_widgets.training import GradientDescent, infer_targets


@pytest.fixture
def circles() -> datasets.Dataset:
    return datasets.make("circles", n=80, seed=1, targets="signed")


def _manual_step(net: MLP, X: np.ndarray, Y: np.ndarray, lr: float) -> list[np.ndarray]:
    g = net.backward(X, Y)
    B = X.shape[1] if net.reduction == "sum" else 1
    return [W - lr * gW / B for W, gW in zip(net.weights, g.grads, strict=True)]


def test_one_full_batch_step_is_the_mean_gradient(circles: datasets.Dataset) -> None:
    net = MLP([2, 5, 1], "tanh", seed=2)
    gd = GradientDescent(net, circles.X, circles.Y, lr=0.3)
    expected = _manual_step(net, circles.X, circles.Y, 0.3)
    gd.step()
    for a, b in zip(gd.net.weights, expected, strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-13, atol=1e-15)
    # the user's network is not touched: the trainer trains a copy
    assert not np.array_equal(net.W(1), gd.net.W(1))


def test_rate_means_the_same_for_sum_and_mean_reduction(circles: datasets.Dataset) -> None:
    runs = []
    for reduction in ("sum", "mean"):
        net = MLP([2, 5, 1], "tanh", seed=2, reduction=reduction)
        gd = GradientDescent(net, circles.X, circles.Y, lr=0.3)
        runs.append(gd.fit(20))
    np.testing.assert_allclose(runs[0].train, runs[1].train, rtol=1e-12)


def test_history_is_mean_loss_per_sample(circles: datasets.Dataset) -> None:
    net = MLP([2, 6, 1], "tanh", seed=0)
    gd = GradientDescent(net, *circles, lr=0.2)
    h = gd.fit(7)
    assert h.step == list(range(8))
    N, N_test = circles.X.shape[1], circles.X_test.shape[1]
    assert h.train[-1] == pytest.approx(gd.net.loss(circles.X, circles.Y) / N, rel=1e-12)
    assert h.test[-1] == pytest.approx(gd.net.loss(circles.X_test, circles.Y_test) / N_test)
    assert h.train[0] == pytest.approx(net.loss(circles.X, circles.Y) / N, rel=1e-12)
    assert gd.loss("train") == pytest.approx(h.train[-1])


def test_training_lowers_the_loss_and_learns(circles: datasets.Dataset) -> None:
    net = MLP([2, 8, 1], "tanh", bias=True, seed=0)
    gd = GradientDescent(net, *circles, lr=0.5)
    h = gd.fit(600)
    assert h.train[-1] < 0.2 * h.train[0]
    assert gd.accuracy("train") >= 0.95 and gd.accuracy("test") >= 0.85


def test_xor_needs_a_bias_when_sigma_is_odd() -> None:
    d = datasets.make("xor", n=120, seed=0, targets="signed")
    odd = GradientDescent(MLP([2, 8, 1], "tanh", seed=0), *d, lr=0.5)
    odd.fit(400)
    z = odd.net.forward(d.X).output
    np.testing.assert_allclose(odd.net.forward(-d.X).output, -z, atol=1e-14)  # f(−x) = −f(x)
    assert odd.accuracy("train") < 0.75
    biased = GradientDescent(MLP([2, 8, 1], "tanh", bias=True, seed=0), *d, lr=0.5)
    biased.fit(400)
    assert biased.accuracy("train") >= 0.95


def test_bias_gradient_moves_the_biases() -> None:
    d = datasets.make("moons", n=60, seed=0)
    net = MLP([2, 4, 1], ["tanh", "sigmoid"], bias=True, loss="binary_cross_entropy", seed=1)
    net.biases = [np.full(4, 0.1), np.array([-0.2])]
    gd = GradientDescent(net, d.X, d.Y, lr=0.4)
    g = net.backward(d.X, d.Y)
    B = d.X.shape[1]
    gd.step()
    for k in (1, 2):
        np.testing.assert_allclose(gd.net.b(k), net.b(k) - 0.4 * g.grad_b(k) / B, rtol=1e-13)
        np.testing.assert_allclose(gd.net.W(k), net.W(k) - 0.4 * g.grad(k) / B, rtol=1e-13)


def test_softmax_cross_entropy_on_three_classes() -> None:
    d = datasets.make("gaussians", n=150, classes=3, noise=0.15, seed=0)
    net = MLP([2, 6, 3], ["tanh", "softmax"], bias=True, loss="cross_entropy", seed=0)
    gd = GradientDescent(net, *d, lr=0.5)
    assert gd.targets == "onehot"
    h = gd.fit(300)
    assert h.train[-1] < 0.5 * h.train[0]
    assert gd.accuracy("test") >= 0.9


def test_momentum_and_weight_decay_follow_their_formulas(circles: datasets.Dataset) -> None:
    net = MLP([2, 3, 1], "tanh", seed=5)
    gd = GradientDescent(net, circles.X, circles.Y, lr=0.1, momentum=0.9, weight_decay=0.01)
    B = circles.X.shape[1]
    Ws = net.weights
    vs = [np.zeros_like(W) for W in Ws]
    for _ in range(3):
        grads = net.with_weights(Ws).backward(circles.X, circles.Y).grads
        vs = [0.9 * v - 0.1 * (g / B + 0.01 * W) for v, g, W in zip(vs, grads, Ws, strict=True)]
        Ws = [W + v for W, v in zip(Ws, vs, strict=True)]
        gd.step()
    for a, b in zip(gd.net.weights, Ws, strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-12)


def test_minibatches_are_seeded_and_cover_an_epoch(circles: datasets.Dataset) -> None:
    net = MLP([2, 4, 1], "tanh", seed=0)
    a = GradientDescent(net, circles.X, circles.Y, lr=0.2, batch_size=10, seed=7).fit(25)
    b = GradientDescent(net, circles.X, circles.Y, lr=0.2, batch_size=10, seed=7).fit(25)
    c = GradientDescent(net, circles.X, circles.Y, lr=0.2, batch_size=10, seed=8).fit(25)
    assert a.train == b.train and a.train != c.train
    # a batch of every sample is the full batch, whatever the shuffling
    N = circles.X.shape[1]
    full = GradientDescent(net, circles.X, circles.Y, lr=0.2).fit(5)
    whole = GradientDescent(net, circles.X, circles.Y, lr=0.2, batch_size=N).fit(5)
    np.testing.assert_allclose(full.train, whole.train, rtol=1e-12)


def test_reset_gives_the_same_history_again(circles: datasets.Dataset) -> None:
    net = MLP([2, 4, 1], "tanh", seed=0)
    gd = GradientDescent(net, *circles, lr=0.2, batch_size=16, momentum=0.5, seed=3)
    first = gd.fit(30)
    gd.reset()
    assert gd.steps == 0 and len(gd.history) == 1
    np.testing.assert_array_equal(gd.net.W(1), net.W(1))
    second = gd.fit(30)
    assert first.train == second.train and first.test == second.test


def test_changing_lr_and_batch_size_midway(circles: datasets.Dataset) -> None:
    gd = GradientDescent(MLP([2, 4, 1], "tanh", seed=0), circles.X, circles.Y, lr=0.2)
    gd.fit(3)
    gd.lr = 0.05
    gd.batch_size = 8
    gd.fit(3)
    assert gd.steps == 6 and gd.history.step == list(range(7))
    with pytest.raises(ValueError, match="lr"):
        gd.lr = 0
    with pytest.raises(ValueError, match="batch_size"):
        gd.batch_size = 10_000
    assert gd.lr == 0.05 and gd.batch_size == 8


@pytest.mark.parametrize("lr", [40.0, 1e200])
def test_divergence_stops_with_a_message_and_finite_state(lr: float) -> None:
    d = datasets.make("sine", n=80, seed=0)
    net = MLP([1, 8, 1], ["tanh", "identity"], seed=0)
    gd = GradientDescent(net, *d, lr=lr)
    h = gd.fit(200)
    assert gd.diverged and gd.steps < 200
    assert gd.message.startswith(f"Diverged at step {gd.steps + 1}:")
    assert "smaller learning rate" in gd.message
    assert all(np.isfinite(h.train)) and all(np.isfinite(h.test))
    assert all(np.all(np.isfinite(W)) for W in gd.net.weights)
    assert h.step[-1] == gd.steps
    assert gd.loss("train") == pytest.approx(h.train[-1])  # the weights of the last entry
    assert gd.step() is False and gd.steps == h.step[-1]  # stays stopped until reset
    gd.reset()
    assert not gd.diverged and gd.steps == 0


@pytest.mark.parametrize(
    ("change", "match"),
    [
        ({"X": np.array([[0.0, np.nan], [1.0, 2.0]])}, "X: must be finite"),
        ({"Y": np.array([[0.0, np.inf]])}, "Y: must be finite"),
        ({"Y": np.zeros((1, 3))}, r"Y: expected shape \(1, 2\)"),
        ({"X": np.zeros((3, 2))}, r"X: expected shape \(2, N\)"),
        ({"lr": 0.0}, "lr: the learning rate must be > 0"),
        ({"lr": -0.1}, "lr: the learning rate must be > 0"),
        ({"batch_size": 3}, "batch_size: must be from 1 to the 2 training samples"),
        ({"batch_size": 0}, "batch_size"),
        ({"momentum": 1.0}, "momentum"),
        ({"weight_decay": -1.0}, "weight_decay"),
        ({"X_test": np.zeros((2, 2))}, "X_test, Y_test: give both"),
        ({"X_test": np.zeros((2, 2)), "Y_test": np.zeros((1, 3))}, "Y_test: expected"),
    ],
)
def test_construction_errors_name_the_argument(change: dict, match: str) -> None:
    args = {"X": np.zeros((2, 2)), "Y": np.zeros((1, 2)), "lr": 0.1} | change
    with pytest.raises((ValueError, TypeError), match=match):
        GradientDescent(MLP([2, 3, 1], "tanh", seed=0), **args)


def test_accuracy_and_targets() -> None:
    assert infer_targets(np.array([[0.0, 1.0]])) == "binary"
    assert infer_targets(np.array([[-1.0, 1.0]])) == "signed"
    assert infer_targets(np.eye(3)) == "onehot"
    assert infer_targets(np.array([[0.3, 1.0]])) == "regression"
    d = datasets.make("sine", n=40)
    gd = GradientDescent(MLP([1, 4, 1], ["tanh", "identity"], seed=0), *d)
    with pytest.raises(ValueError, match="regression"):
        gd.accuracy("test")
    with pytest.raises(ValueError, match="split"):
        gd.loss("validation")
    with pytest.raises(ValueError, match="steps"):
        gd.fit(-1)


@pytest.mark.parametrize(
    "make",
    [
        lambda: MLP([2, 5, 4, 1], "tanh", seed=3),
        lambda: MLP([2, 5, 1], ["relu", "sigmoid"], bias=True, seed=4, reduction="mean"),
        lambda: MLP(
            [2, 4, 1],
            [["tanh", "sin", "relu", "identity"], "sigmoid"],
            bias=True,
            loss="binary_cross_entropy",
            seed=5,
        ),
        lambda: MLP([2, 6, 3], ["tanh", "softmax"], bias=True, loss="cross_entropy", seed=6),
        lambda: MLP([2, 6, 3], ["tanh", "softmax"], seed=7),  # softmax with squared error
    ],
)
def test_the_training_fast_path_is_backward(make) -> None:
    """The loop's lean path (data checked once, no result objects) gives exactly what
    ``backward`` gives: the same E and the same gradients, bit for bit."""
    net = make()
    rng = np.random.default_rng(8)
    X = rng.normal(size=(2, 9))
    nL = net.sizes[-1]
    if nL == 1:
        Y = (rng.random((1, 9)) > 0.5).astype(float)
    else:
        Y = np.eye(nL)[:, rng.integers(0, nL, 9)]
    xx, yy = net.check_xy(X, Y)
    E, grads, grads_b = net._backward_arrays(xx, yy)
    back = net.backward(X, Y)
    assert E == back.E
    for a, b in zip(grads, back.grads, strict=True):
        np.testing.assert_array_equal(a, b)
    if net.has_bias:
        for a, b in zip(grads_b, back.grads_b, strict=True):
            np.testing.assert_array_equal(a, b)
    else:
        assert grads_b is None and back.grads_b is None
    # the loss-only forward pass (no σ′) gives the same outputs as the full one
    _, zs, ds = net._forward_arrays(xx, need_dsigma=False)
    assert all(d is None for d in ds)
    for a, b in zip(zs, back.forward.zs, strict=True):
        np.testing.assert_array_equal(a, b)
    assert net.loss(X, Y) == pytest.approx(back.E, rel=1e-14)


def test_training_step_equals_the_manual_step_with_biases_and_momentum() -> None:
    net = MLP([2, 4, 1], "tanh", bias=True, seed=9)
    data = datasets.make("moons", n=40, seed=2, targets="signed")
    gd = GradientDescent(net, data.X, data.Y, lr=0.2, momentum=0.5, weight_decay=0.01)
    Ws, bs = net.weights, net.biases
    vW = [np.zeros_like(W) for W in Ws]
    vb = [np.zeros_like(b) for b in bs]
    for _ in range(3):
        back = MLP([2, 4, 1], "tanh", weights=Ws, biases=bs).backward(data.X, data.Y)
        B = data.X.shape[1]
        vW = [
            0.5 * v - 0.2 * (g / B + 0.01 * W) for v, g, W in zip(vW, back.grads, Ws, strict=True)
        ]
        vb = [0.5 * v - 0.2 * g / B for v, g in zip(vb, back.grads_b, strict=True)]
        Ws = [W + v for W, v in zip(Ws, vW, strict=True)]
        bs = [b + v for b, v in zip(bs, vb, strict=True)]
        gd.step()
    for a, b in zip(gd.net.weights + gd.net.biases, Ws + bs, strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-15)
    # the trained network's arrays are read-only, like any network's
    assert not gd.net.W(1).flags.writeable and not gd.net.b(1).flags.writeable


def test_training_notifies_the_networks_listeners_and_refuses_nan() -> None:
    net = MLP([2, 3, 1], "tanh", seed=1)
    gd = GradientDescent(net, [[1.0, 0.0], [0.0, 1.0]], [[1.0, -1.0]], lr=0.1)
    seen = []
    gd.net.subscribe(lambda n: seen.append(n.W(1).copy()))
    gd.fit(2)
    assert len(seen) == 2
    np.testing.assert_array_equal(seen[-1], gd.net.W(1))
    before = gd.net.weights
    bad = [W.copy() for W in before]
    bad[1][0, 0] = np.nan
    assert not gd.net._set_trained(bad, None)
    for a, b in zip(gd.net.weights, before, strict=True):
        assert a is b  # nothing half-updated


def test_the_loss_curve_is_the_history_thinned_evenly(circles: datasets.Dataset) -> None:
    gd = GradientDescent(MLP([2, 4, 1], "tanh", seed=1), *circles, lr=0.1)
    gd.fit(50)
    step, train, test = gd.curve(1000)  # short: all of it
    full = gd.history.as_arrays()
    for a, b in zip((step, train, test), full, strict=True):
        np.testing.assert_array_equal(a, b)
    step, train, test = gd.curve(10)
    assert step.size == 10 and step[0] == 0 and step[-1] == 50
    np.testing.assert_array_equal(train, full[1][step])
    np.testing.assert_array_equal(test, full[2][step])
