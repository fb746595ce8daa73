"""The MLP: hand-worked numbers, shapes, batches, bad input, change notification, and gradients
against finite differences for a thousand random networks."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from mlp_strategies import min_distance_to_non_smooth_points, networks

from backprop_widgets import MLP, Activation
from backprop_widgets.activations import BUILTIN_NAMES

# --------------------------------------------------------------------------- worked by hand


def test_hand_worked_relu_identity_with_a_dead_unit() -> None:
    # sizes [2, 2, 1], σ(1) = relu, σ(2) = identity, x = (1, 2), y = 0.5
    # W(1) = [[0.5, -1], [2, 0.5]]       W(2) = [[1, -0.5]]
    # u(1) = (0.5·1 − 1·2, 2·1 + 0.5·2) = (−1.5, 3)     z(1) = relu(u(1)) = (0, 3)
    # u(2) = 1·0 − 0.5·3 = −1.5                           z(2) = −1.5
    # z(2) − y = −2,  E = ½·(−2)² = 2
    # J(2) = [1]: Δ(2) = 1·(−2) = −2;   ∂E/∂W(2) = Δ(2) z(1)ᵀ = −2·(0, 3) = (0, −6)
    # W(2)ᵀ Δ(2) = (1·(−2), −0.5·(−2)) = (−2, 1);  J(1) = diag(0, 1):  Δ(1) = (0, 1)
    # ∂E/∂W(1) = Δ(1) xᵀ = [[0·1, 0·2], [1·1, 1·2]] = [[0, 0], [1, 2]]
    net = MLP([2, 2, 1], ["relu", "identity"], weights=[[[0.5, -1], [2, 0.5]], [[1, -0.5]]])
    x, y = [1.0, 2.0], [0.5]
    fw = net.forward(x)
    np.testing.assert_array_equal(fw.z(0), [1.0, 2.0])
    np.testing.assert_array_equal(fw.u(1), [-1.5, 3.0])
    np.testing.assert_array_equal(fw.z(1), [0.0, 3.0])
    np.testing.assert_array_equal(fw.u(2), [-1.5])
    np.testing.assert_array_equal(fw.output, [-1.5])
    np.testing.assert_array_equal(fw.J(1), [[0.0, 0.0], [0.0, 1.0]])
    assert net.loss(x, y) == 2.0
    bw = net.backward(x, y)
    assert bw.E == 2.0
    np.testing.assert_array_equal(bw.residual, [-2.0])
    np.testing.assert_array_equal(bw.delta(2), [-2.0])
    np.testing.assert_array_equal(bw.delta(1), [0.0, 1.0])
    np.testing.assert_array_equal(bw.grad(2), [[0.0, -6.0]])
    np.testing.assert_array_equal(bw.grad(1), [[0.0, 0.0], [1.0, 2.0]])
    grads = net.gradients(x, y)
    np.testing.assert_array_equal(grads[0], [[0.0, 0.0], [1.0, 2.0]])
    np.testing.assert_array_equal(grads[1], [[0.0, -6.0]])


def test_hand_worked_relu_identity_all_units_active() -> None:
    # x = (1, 2), y = −0.5, W(1) = [[0.5, 1], [2, −0.5]], W(2) = [[1, −2]]
    # u(1) = (0.5 + 2, 2 − 1) = (2.5, 1) = z(1);  u(2) = 2.5 − 2 = 0.5 = z(2)
    # z(2) − y = 1, E = ½;  Δ(2) = 1;  ∂E/∂W(2) = (2.5, 1)
    # Δ(1) = diag(1, 1)·W(2)ᵀ·1 = (1, −2);  ∂E/∂W(1) = [[1, 2], [−2, −4]]
    net = MLP([2, 2, 1], ["relu", "identity"], weights=[[[0.5, 1], [2, -0.5]], [[1, -2]]])
    bw = net.backward([1.0, 2.0], [-0.5])
    assert bw.E == 0.5
    np.testing.assert_array_equal(bw.forward.z(1), [2.5, 1.0])
    np.testing.assert_array_equal(bw.delta(1), [1.0, -2.0])
    np.testing.assert_array_equal(bw.grad(2), [[2.5, 1.0]])
    np.testing.assert_array_equal(bw.grad(1), [[1.0, 2.0], [-2.0, -4.0]])


def test_hand_worked_tanh_identity() -> None:
    # x = (1, 1), y = 0, W(1) = [[0.5, −1], [−1, 2]], W(2) = [[2, 1]]
    # u(1) = (0.5 − 1, −1 + 2) = (−0.5, 1);  z(1) = (−tanh ½, tanh 1)   (tanh is odd)
    # u(2) = 2·(−tanh ½) + tanh 1 = z(2);  E = ½ u(2)²;  Δ(2) = u(2)
    # ∂E/∂W(2) = u(2)·(−tanh ½, tanh 1)
    # Δ(1) = J(1) W(2)ᵀ Δ(2) = ((1 − tanh²½)·2·u(2), (1 − tanh²1)·1·u(2))
    # ∂E/∂W(1) = Δ(1) (1, 1): both columns equal Δ(1)
    a, b = math.tanh(0.5), math.tanh(1.0)
    u2 = -2 * a + b
    delta1 = [(1 - a * a) * 2 * u2, (1 - b * b) * u2]
    net = MLP([2, 2, 1], ["tanh", "identity"], weights=[[[0.5, -1], [-1, 2]], [[2, 1]]])
    bw = net.backward([1.0, 1.0], [0.0])
    assert bw.E == pytest.approx(0.5 * u2 * u2, rel=1e-14)
    np.testing.assert_allclose(bw.forward.z(1), [-a, b], rtol=1e-15)
    np.testing.assert_allclose(bw.delta(2), [u2], rtol=1e-14)
    np.testing.assert_allclose(bw.grad(2), [[-a * u2, b * u2]], rtol=1e-14)
    np.testing.assert_allclose(bw.delta(1), delta1, rtol=1e-14)
    np.testing.assert_allclose(bw.grad(1), [[delta1[0]] * 2, [delta1[1]] * 2], rtol=1e-14)


def test_hand_worked_batch_sums_the_two_samples() -> None:
    # The dead-unit network on two samples (columns).
    # Sample 1 is the case above: E = 2, ∂E/∂W(1) = [[0, 0], [1, 2]], ∂E/∂W(2) = (0, −6).
    # Sample 2: x = (2, 0), y = 0:  u(1) = (0.5·2 − 1·0, 2·2 + 0.5·0) = (1, 4) = z(1)
    #   u(2) = 1 − 0.5·4 = −1, E = ½;  Δ(2) = −1;  ∂E/∂W(2) = −1·(1, 4) = (−1, −4)
    #   W(2)ᵀΔ(2) = (−1, 0.5), J(1) = I:  Δ(1) = (−1, 0.5);  ∂E/∂W(1) = [[−2, 0], [1, 0]]
    # Batch: E = 2.5, ∂E/∂W(2) = (−1, −10), ∂E/∂W(1) = [[−2, 0], [2, 2]]
    net = MLP([2, 2, 1], ["relu", "identity"], weights=[[[0.5, -1], [2, 0.5]], [[1, -0.5]]])
    X = np.array([[1.0, 2.0], [2.0, 0.0]])  # columns are the samples
    Y = np.array([[0.5, 0.0]])
    bw = net.backward(X, Y)
    assert bw.E == 2.5
    np.testing.assert_array_equal(bw.delta(1), [[0.0, -1.0], [1.0, 0.5]])
    np.testing.assert_array_equal(bw.grad(2), [[-1.0, -10.0]])
    np.testing.assert_array_equal(bw.grad(1), [[-2.0, 0.0], [2.0, 2.0]])


# --------------------------------------------------------------------------- shapes and batches


@pytest.mark.parametrize("B", [None, 1, 5])
def test_shapes_follow_the_layer_widths(B: int | None) -> None:
    sizes = [3, 5, 4, 2]
    net = MLP(sizes, ["tanh", "relu", "sigmoid"], seed=0)
    x = np.ones(3) if B is None else np.ones((3, B))
    y = np.zeros(2) if B is None else np.zeros((2, B))
    fw = net.forward(x)
    tail = () if B is None else (B,)
    for layer in range(1, 4):
        assert fw.u(layer).shape == (sizes[layer], *tail)
        assert fw.z(layer).shape == (sizes[layer], *tail)
        assert fw.dsigma(layer).shape == (sizes[layer], *tail)
        assert net.W(layer).shape == (sizes[layer], sizes[layer - 1])
    bw = net.backward(x, y)
    for layer in range(1, 4):
        assert bw.delta(layer).shape == (sizes[layer], *tail)
        assert bw.grad(layer).shape == net.W(layer).shape
    assert [g.shape for g in net.gradients(x, y)] == [W.shape for W in net.weights]
    assert isinstance(net.loss(x, y), float)


def test_J_is_refused_for_a_batch() -> None:
    net = MLP([2, 2], "tanh", seed=0)
    with pytest.raises(ValueError, match="per sample"):
        net.forward(np.ones((2, 3))).J(1)


@given(networks(max_layers=4, batch=False), st.integers(2, 5), st.integers(0, 2**32 - 1))
@settings(max_examples=60, deadline=None)
def test_a_batch_gradient_is_the_sum_of_per_sample_gradients(case, B: int, seed: int) -> None:
    net, _, _ = case
    rng = np.random.default_rng(seed)
    X = rng.uniform(-2, 2, (net.sizes[0], B))
    Y = rng.uniform(-1, 1, (net.sizes[-1], B))
    batch = net.backward(X, Y)
    per_sample = [net.backward(X[:, b], Y[:, b]) for b in range(B)]
    assert batch.E == pytest.approx(sum(p.E for p in per_sample), rel=1e-12, abs=1e-300)
    for layer in range(1, net.L + 1):
        total = sum(p.grad(layer) for p in per_sample)
        np.testing.assert_allclose(batch.grad(layer), total, rtol=1e-10, atol=1e-13)
        for b in range(B):
            np.testing.assert_allclose(
                batch.delta(layer)[:, b], per_sample[b].delta(layer), rtol=1e-12, atol=1e-15
            )


def test_a_one_column_target_is_accepted_for_a_one_column_batch() -> None:
    net = MLP([2, 3], "tanh", seed=1)
    bw = net.backward(np.ones((2, 1)), np.zeros(3))
    assert bw.delta(1).shape == (3, 1)


# --------------------------------------------------------------------------- bad input


GOOD_W = [[[0.5, -1], [2, 0.5]], [[1, -0.5]]]


@pytest.mark.parametrize(
    ("sizes", "error", "words"),
    [
        ([2, 0, 1], ValueError, r"sizes\[1\].*at least 1, got 0"),
        ([2, -1, 1], ValueError, r"sizes\[1\].*at least 1, got -1"),
        ([2, 2.5, 1], TypeError, r"sizes\[1\].*positive integer.*2\.5"),
        ([2, "3", 1], TypeError, r"sizes\[1\].*positive integer.*'3'"),
        ([2, True, 1], TypeError, r"sizes\[1\].*positive integer.*True"),
        ([], ValueError, r"sizes: need at least two widths"),
        ([4], ValueError, r"sizes: need at least two widths"),
        ("23", TypeError, r"sizes: expected a list"),
        (3, TypeError, r"sizes: expected a list"),
        ([2, 10**6], ValueError, r"sizes\[1\].*at most"),
    ],
)
def test_bad_sizes(sizes: object, error: type, words: str) -> None:
    with pytest.raises(error, match=words):
        MLP(sizes, "tanh")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("activations", "error", "words"),
    [
        (["tanh"], ValueError, r"activations: need one entry per layer .*2 entries\), got 1"),
        (["tanh", "relu", "sin"], ValueError, r"activations: .*got 3"),
        (["tanh", "gelu"], ValueError, r"activations\[1\] \(layer 2\): unknown activation"),
        ([["tanh"], "relu"], ValueError, r"activations\[0\].*one entry per unit \(2\), got 1"),
        (5, TypeError, r"activations: expected one entry per layer"),
        (["tanh", None], TypeError, r"activations\[1\]"),
    ],
)
def test_bad_activations(activations: object, error: type, words: str) -> None:
    with pytest.raises(error, match=words):
        MLP([2, 2, 1], activations)  # type: ignore[arg-type]


def test_an_unknown_activation_name_lists_every_known_one() -> None:
    with pytest.raises(ValueError) as info:
        MLP([2, 2, 1], ["tanh", "gelu"])
    for name in BUILTIN_NAMES:
        assert name in str(info.value)


@pytest.mark.parametrize(
    ("weights", "error", "words"),
    [
        ([GOOD_W[0]], ValueError, r"weights: expected 2 matrices"),
        (
            [GOOD_W[0], [[1, -0.5, 3]]],
            ValueError,
            r"weights\[1\] \(W\(2\)\): expected shape \(1, 2\)",
        ),
        ([GOOD_W[1], GOOD_W[0]], ValueError, r"weights\[0\] \(W\(1\)\): expected shape \(2, 2\)"),
        (
            [[[np.nan, 0], [0, 0]], GOOD_W[1]],
            ValueError,
            r"weights\[0\] \(W\(1\)\): must be finite",
        ),
        ([GOOD_W[0], [[np.inf, 0]]], ValueError, r"weights\[1\] \(W\(2\)\): must be finite"),
        ([GOOD_W[0], "[[1, 2]]"], TypeError, r"weights\[1\] \(W\(2\)\).*string"),
        ([GOOD_W[0], [["a", "b"]]], TypeError, r"weights\[1\] \(W\(2\)\).*numbers"),
        ([GOOD_W[0], [[1j, 0]]], TypeError, r"weights\[1\] \(W\(2\)\).*real"),
        (np.zeros((2, 2)), TypeError, r"weights: expected a list"),
    ],
)
def test_bad_weights(weights: object, error: type, words: str) -> None:
    with pytest.raises(error, match=words):
        MLP([2, 2, 1], "tanh", weights=weights)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("x", "y", "error", "words"),
    [
        ([1.0, 2.0, 3.0], [0.0], ValueError, r"x: expected shape \(2,\) .*got shape \(3,\)"),
        (np.ones((3, 2)), np.ones((1, 2)), ValueError, r"x: expected shape"),
        (np.ones((2, 2, 2)), [0.0], ValueError, r"x: expected shape"),
        (np.ones((2, 0)), np.ones((1, 0)), ValueError, r"x: expected shape"),
        ([1.0, np.nan], [0.0], ValueError, r"x: must be finite"),
        ([1.0, -np.inf], [0.0], ValueError, r"x: must be finite"),
        ("12", [0.0], TypeError, r"x: expected an array of numbers, got a string"),
        ([1.0, 2.0], [0.0, 1.0], ValueError, r"y: expected shape \(1,\)"),
        (np.ones((2, 3)), np.ones((1, 2)), ValueError, r"y: expected shape \(1, 3\)"),
        (np.ones((2, 3)), [0.0], ValueError, r"y: expected shape \(1, 3\)"),
        ([1.0, 2.0], [np.inf], ValueError, r"y: must be finite"),
        ([1.0, 2.0], "0", TypeError, r"y: expected an array of numbers"),
        ([1.0, 2.0], [None], TypeError, r"y: expected an array of numbers"),
    ],
)
def test_bad_x_and_y(x: object, y: object, error: type, words: str) -> None:
    net = MLP([2, 2, 1], "tanh", weights=GOOD_W)
    with pytest.raises(error, match=words):
        net.backward(x, y)
    with pytest.raises(error, match=words):
        net.loss(x, y)


@pytest.mark.parametrize(
    ("layer", "error"),
    [(0, ValueError), (3, ValueError), (-1, ValueError), (1.0, TypeError), (True, TypeError)],
)
def test_bad_layer_numbers(layer: object, error: type) -> None:
    net = MLP([2, 2, 1], "tanh", weights=GOOD_W)
    with pytest.raises(error, match="layer"):
        net.W(layer)  # type: ignore[arg-type]
    with pytest.raises(error, match="layer"):
        net.forward([1.0, 2.0]).u(layer)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("seed", "error"), [(-1, ValueError), (1.5, TypeError), ("1", TypeError), (True, TypeError)]
)
def test_bad_seed(seed: object, error: type) -> None:
    with pytest.raises(error, match="seed"):
        MLP([2, 2], "tanh", seed=seed)  # type: ignore[arg-type]
    net = MLP([2, 2], "tanh", seed=4)
    before = net.W(1).copy()
    with pytest.raises(error, match="seed"):
        net.reinitialize(seed)  # type: ignore[arg-type]
    assert net.seed == 4
    np.testing.assert_array_equal(net.W(1), before)


def _state(net: MLP) -> tuple:
    return [W.copy() for W in net.weights], net.activation_spec()


@pytest.mark.parametrize(
    "bad_change",
    [
        lambda net: net.set_W(1, np.zeros((3, 2))),
        lambda net: net.set_W(2, [[np.nan, 1.0]]),
        lambda net: net.set_W(3, np.zeros((1, 2))),
        lambda net: setattr(net, "weights", [np.zeros((2, 2))]),
        lambda net: setattr(net, "weights", [np.zeros((2, 2)), np.zeros((1, 2)), np.zeros(1)]),
        lambda net: setattr(net, "weights", [np.zeros((2, 2)), "W"]),
        lambda net: setattr(net, "activations", ["tanh", "gelu"]),
        lambda net: setattr(net, "activations", ["tanh"]),
        lambda net: setattr(net, "activations", [["relu", "bad"], "tanh"]),
    ],
)
def test_a_failing_change_leaves_the_network_as_it_was_and_notifies_no_one(bad_change) -> None:
    net = MLP([2, 2, 1], ["relu", "identity"], weights=GOOD_W)
    before = _state(net)
    calls: list[MLP] = []
    net.subscribe(calls.append)
    with pytest.raises((ValueError, TypeError)):
        bad_change(net)
    after = _state(net)
    assert after[1] == before[1]
    for a, b in zip(after[0], before[0], strict=True):
        np.testing.assert_array_equal(a, b)
    assert calls == []
    assert net.loss([1.0, 2.0], [0.5]) == 2.0  # the hand-worked value still holds


def test_weights_are_copied_and_read_only() -> None:
    W1 = np.array(GOOD_W[0], dtype=float)
    net = MLP([2, 2, 1], "tanh", weights=[W1, GOOD_W[1]])
    W1[0, 0] = 99.0
    assert net.W(1)[0, 0] == 0.5
    with pytest.raises(ValueError):
        net.W(1)[0, 0] = 3.0
    net.weights.append(np.zeros(1))  # a fresh list each time: the network is not touched
    assert len(net.weights) == 2


def test_integer_weights_and_inputs_become_float64() -> None:
    net = MLP([2, 1], "identity", weights=[[[1, 2]]])
    assert net.W(1).dtype == np.float64
    assert net.forward([1, 1]).output.dtype == np.float64


# --------------------------------------------------------------------------- notification


def test_subscribers_hear_every_change_until_they_unsubscribe() -> None:
    net = MLP([2, 2, 1], ["relu", "identity"], weights=GOOD_W)
    calls: list[MLP] = []
    unsubscribe = net.subscribe(calls.append)
    net.set_W(1, np.eye(2))
    assert len(calls) == 1 and calls[0] is net
    np.testing.assert_array_equal(net.W(1), np.eye(2))
    net.weights = [np.ones((2, 2)), np.ones((1, 2))]
    net.activations = ["tanh", "sigmoid"]
    assert net.activation_spec() == ["tanh", "sigmoid"]
    net.reinitialize(seed=3)
    assert net.seed == 3
    assert len(calls) == 4
    unsubscribe()
    net.set_W(2, np.zeros((1, 2)))
    assert len(calls) == 4
    unsubscribe()  # a second call is harmless


def test_reinitialize_is_reproducible_and_copies_are_independent() -> None:
    a = MLP([3, 4, 2], "tanh", seed=7)
    b = MLP([3, 4, 2], "tanh", seed=8)
    b.reinitialize(7)
    for Wa, Wb in zip(a.weights, b.weights, strict=True):
        np.testing.assert_array_equal(Wa, Wb)
    c = a.copy()
    c.set_W(1, np.zeros((4, 3)))
    assert np.any(a.W(1) != 0)
    d = a.with_weights([np.ones((4, 3)), np.ones((2, 4))])
    assert d.activation_spec() == a.activation_spec() and np.all(d.W(2) == 1)


def test_fan_in_scaling_of_the_initial_weights() -> None:
    net = MLP([400, 300, 2], "tanh", seed=0)
    # N(0, 1/n(ℓ−1)): the sample variance of 120,000 entries is within a few percent of 1/400.
    assert net.W(1).var() * 400 == pytest.approx(1.0, rel=0.03)


# --------------------------------------------------------------------------- finite differences


def central_differences(net: MLP, x: np.ndarray, y: np.ndarray, h: float) -> list[np.ndarray]:
    """∂E/∂w for every weight by (E(w + h) − E(w − h)) / 2h, all weights at once.

    Written independently of MLP.forward: the 2P perturbed networks (P weights) are stacked
    along a leading axis and run through one batched forward pass of our own.
    """
    x2 = x.reshape(x.shape[0], -1)
    y2 = y.reshape(y.shape[0], -1)
    shapes = [W.shape for W in net.weights]
    P = sum(n * m for n, m in shapes)
    K = 2 * P
    stacks, offset = [], 0
    for W in net.weights:
        n, m = W.shape
        S = np.broadcast_to(W, (K, n, m)).copy()
        k = np.arange(n * m)
        S[offset + k, k // m, k % m] += h
        S[P + offset + k, k // m, k % m] -= h
        stacks.append(S)
        offset += n * m
    z = np.broadcast_to(x2, (K, *x2.shape))
    for S, sigma in zip(stacks, net.activations, strict=True):
        u = S @ z  # (K, n(ℓ), B)
        z = np.moveaxis(sigma.sigma(np.moveaxis(u, 1, 0)), 0, 1)
    r = z - y2
    E = 0.5 * np.sum(r * r, axis=(1, 2))
    fd = (E[:P] - E[P:]) / (2 * h)
    out, offset = [], 0
    for n, m in shapes:
        out.append(fd[offset : offset + n * m].reshape(n, m))
        offset += n * m
    return out


FD_STEP = 1e-5
#: |analytic − numeric| ≤ FD_ATOL·(1 + E) + FD_RTOL·|analytic|. Central differences with
#: h = 1e-5 have truncation error ~h²|∂³E|/6 ≈ 1e-10·|∂³E| and round-off ~ε·E/h ≈ 1e-11·E;
#: over 10⁴ random cases of the test below the largest error was 2% of this bound.
FD_ATOL = 1e-6
FD_RTOL = 1e-6


def _fd_agrees(net: MLP, x: np.ndarray, y: np.ndarray) -> tuple[bool, float]:
    bw = net.backward(x, y)
    numeric = central_differences(net, x, y, FD_STEP)
    worst = 0.0
    for g, fd in zip(bw.grads, numeric, strict=True):
        tol = FD_ATOL * (1.0 + bw.E) + FD_RTOL * np.abs(g)
        worst = max(worst, float(np.max(np.abs(g - fd) / tol)))
    return worst <= 1.0, worst


@given(networks(max_layers=6, max_width=8, batch=True))
@settings(
    max_examples=1000,
    deadline=None,
    suppress_health_check=[HealthCheck.filter_too_much, HealthCheck.too_slow],
)
def test_gradients_agree_with_central_differences_for_a_thousand_networks(case) -> None:
    net, x, y = case
    # Keep relu/leaky_relu (and the σ′ kinks of elu/softsign) out of reach of the step:
    # a step of h in one weight moves any u by far less than 1e-3 here.
    assume(min_distance_to_non_smooth_points(net, x) > 1e-3)
    ok, worst = _fd_agrees(net, x, y)
    assert ok, f"worst |error|/tolerance = {worst:.3g} for {net!r}"


def test_the_finite_difference_check_catches_a_wrong_custom_derivative() -> None:
    # σ = tanh with the common slip σ′ = 1 − tanh (the square forgotten).
    slip = Activation("tanh_slip", np.tanh, lambda u: 1.0 - np.tanh(u))
    right = Activation("tanh_mine", np.tanh, lambda u: 1.0 - np.tanh(u) ** 2)
    weights = MLP([3, 4, 2], "tanh", seed=5).weights
    x, y = np.array([0.3, -1.2, 0.8]), np.array([0.5, -0.25])
    assert _fd_agrees(MLP([3, 4, 2], [right, "identity"], weights=weights), x, y)[0]
    ok, worst = _fd_agrees(MLP([3, 4, 2], [slip, "identity"], weights=weights), x, y)
    assert not ok and worst > 1e3
