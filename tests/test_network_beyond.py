"""The MLP beyond the derivation: biases, softmax layers, the cross-entropy losses and the mean
over a batch — and that without asking for them nothing changes."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
from beyond_strategies import beyond_networks, central_differences, custom_softmax
from hypothesis import given, settings
from hypothesis import strategies as st
from mlp_strategies import networks

import backprop_widgets as bw
from backprop_widgets import MLP, VectorActivation
from backprop_widgets.activations import get_activation

# --------------------------------------------------------------------------- the default


def _todays_backward(net: MLP, x: np.ndarray, y: np.ndarray) -> tuple[float, list, list]:
    """The derivation's recursion exactly as the library computed it before biases and losses
    existed (the same numpy calls in the same order), to compare bit for bit."""
    zs, ds, z = [x], [], x
    for W, sigma in zip(net.weights, net.activations, strict=True):
        u = W.dot(z)
        z, d = sigma.sigma_and_dsigma(u)
        zs.append(z)
        ds.append(d)
    r = z - y
    deltas = [ds[-1] * r]
    for k in range(net.L - 2, -1, -1):
        deltas.insert(0, ds[k] * net.weights[k + 1].T.dot(deltas[0]))
    grads = [
        d[:, None] * zp[None, :] if d.ndim == 1 else d.dot(zp.T)
        for d, zp in zip(deltas, zs, strict=False)
    ]
    return 0.5 * float(np.vdot(r, r)), deltas, grads


@settings(max_examples=40, deadline=None)
@given(networks(max_layers=4, max_width=6))
def test_the_default_network_gives_exactly_the_derivations_numbers(case) -> None:
    net, x, y = case
    assert not net.has_bias and net.biases is None
    assert (net.loss_name, net.reduction) == ("squared_error", "sum")
    E, deltas, grads = _todays_backward(net, x, y)
    back = net.backward(x, y)
    assert back.E == E == net.loss(x, y)
    for a, b in zip(back.deltas, deltas, strict=True):
        np.testing.assert_array_equal(a, b)
    for a, b, c in zip(back.grads, grads, net.gradients(x, y), strict=True):
        np.testing.assert_array_equal(a, b)
        np.testing.assert_array_equal(c, b)


def test_the_default_repr_and_the_explicit_defaults_are_the_same_network() -> None:
    plain = MLP([2, 3, 1], ["tanh", "identity"], seed=4)
    spelled = MLP(
        [2, 3, 1], ["tanh", "identity"], seed=4, bias=False, loss="squared_error", reduction="sum"
    )
    assert repr(plain) == repr(spelled) == "MLP(sizes=[2, 3, 1], activations=['tanh', 'identity'])"
    x, y = np.array([0.4, -1.2]), np.array([0.3])
    np.testing.assert_array_equal(plain.gradients(x, y)[0], spelled.gradients(x, y)[0])


# --------------------------------------------------------------------------- biases


def test_bias_true_starts_at_zero_and_changes_nothing_until_the_biases_move() -> None:
    plain = MLP([3, 4, 2], "tanh", seed=2)
    net = MLP([3, 4, 2], "tanh", seed=2, bias=True)
    assert net.has_bias and [b.tolist() for b in net.biases] == [[0.0] * 4, [0.0] * 2]
    x, y = np.array([0.5, -1.0, 2.0]), np.array([0.1, -0.3])
    back = net.backward(x, y)
    np.testing.assert_allclose(back.grad(1), plain.backward(x, y).grad(1), rtol=0, atol=0)
    np.testing.assert_array_equal(back.grad_b(2), back.delta(2))
    assert len(net.gradients(x, y)) == 2  # the weight gradients only, as before


def test_biases_imply_bias_true_and_are_copied_read_only() -> None:
    given = [np.array([1.0, 2.0]), np.array([3.0])]
    net = MLP([1, 2, 1], "identity", biases=given, seed=0)
    given[0][0] = 99.0
    assert net.has_bias and net.b(1).tolist() == [1.0, 2.0] and net.b(2).tolist() == [3.0]
    with pytest.raises(ValueError):
        net.b(1)[0] = 5.0
    net.set_b(2, [-1.0])
    assert net.biases[1].tolist() == [-1.0]
    net.reinitialize(seed=1)
    assert net.b(1).tolist() == [0.0, 0.0]


def test_a_hand_worked_example_with_biases() -> None:
    # sizes [2, 2, 1], σ(1) = relu, σ(2) = identity, x = (2, 1), y = 4.
    #   W(1) = [[1, −1], [0.5, 2]], b(1) = (0.5, −1):
    #     u(1) = (2 − 1 + 0.5, 1 + 2 − 1) = (1.5, 2), both > 0, so z(1) = (1.5, 2), J(1) = I.
    #   W(2) = [[2, −1]], b(2) = (1):  u(2) = 3 − 2 + 1 = 2 = z(2).
    #   E = ½ (2 − 4)² = 2.
    #   Δ(2) = 1 · (2 − 4) = −2;  ∂E/∂W(2) = Δ(2) z(1)ᵀ = (−3, −4);  ∂E/∂b(2) = −2.
    #   Δ(1) = J(1) W(2)ᵀ Δ(2) = (2, −1)·(−2) = (−4, 2);
    #   ∂E/∂W(1) = Δ(1) xᵀ = [[−8, −4], [4, 2]];  ∂E/∂b(1) = (−4, 2).
    net = MLP(
        [2, 2, 1],
        ["relu", "identity"],
        weights=[[[1, -1], [0.5, 2]], [[2, -1]]],
        biases=[[0.5, -1], [1]],
    )
    back = net.backward([2.0, 1.0], [4.0])
    assert back.E == 2.0
    assert back.forward.u(1).tolist() == [1.5, 2.0]
    assert back.grad(2).tolist() == [[-3.0, -4.0]] and back.grad_b(2).tolist() == [-2.0]
    assert back.grad(1).tolist() == [[-8.0, -4.0], [4.0, 2.0]]
    assert back.grad_b(1).tolist() == [-4.0, 2.0]
    # The same sample twice as a batch: summed, every gradient doubles; averaged, it is as one.
    X, Y = np.array([[2.0, 2.0], [1.0, 1.0]]), np.array([[4.0, 4.0]])
    assert net.backward(X, Y).grad_b(1).tolist() == [-8.0, 4.0]
    mean = net.replace(reduction="mean").backward(X, Y)
    assert mean.E == 2.0 and mean.grad_b(1).tolist() == [-4.0, 2.0]
    assert mean.grad(1).tolist() == [[-8.0, -4.0], [4.0, 2.0]]


def test_a_wrong_bias_gradient_is_caught_by_finite_differences() -> None:
    net = MLP([2, 3, 2], ["tanh", "identity"], seed=3, biases=[[0.2, -0.1, 0.4], [0.3, 0.0]])
    x, y = np.array([0.7, -0.2]), np.array([0.5, -0.5])
    _, fd_b = central_differences(net, x, y)
    right = net.backward(x, y).grad_b(1)
    np.testing.assert_allclose(right, fd_b[0], rtol=1e-6, atol=1e-9)
    # A classic slip: ∂E/∂b(1) taken as W(2)ᵀ Δ(2), forgetting J(1).
    back = net.backward(x, y)
    slip = net.W(2).T @ back.delta(2)
    assert not np.allclose(slip, fd_b[0], rtol=1e-3, atol=1e-6)


# ------------------------------------------------------------ against finite differences


@settings(max_examples=60, deadline=None)
@given(beyond_networks())
def test_every_gradient_matches_central_differences(case) -> None:
    net, x, y = case
    back = net.backward(x, y)
    fd_W, fd_b = central_differences(net, x, y)
    for ell in range(1, net.L + 1):
        scale = max(1.0, float(np.max(np.abs(fd_W[ell - 1]))))
        np.testing.assert_allclose(back.grad(ell), fd_W[ell - 1], rtol=1e-5, atol=1e-7 * scale)
        if net.has_bias:
            np.testing.assert_allclose(back.grad_b(ell), fd_b[ell - 1], rtol=1e-5, atol=1e-7)
    assert back.E == pytest.approx(net.loss(x, y), rel=1e-12, abs=1e-14)


@settings(max_examples=30, deadline=None)
@given(beyond_networks(), st.integers(1, 3))
def test_mean_is_the_sum_divided_by_the_batch_size(case, copies) -> None:
    net, x, y = case
    X, Y = np.tile(x.reshape(x.shape[0], -1), copies), np.tile(y.reshape(y.shape[0], -1), copies)
    B = X.shape[1]
    total = net.replace(reduction="sum").backward(X, Y)
    mean = net.replace(reduction="mean").backward(X, Y)
    assert mean.E == pytest.approx(total.E / B, rel=1e-12)
    for ell in range(1, net.L + 1):
        np.testing.assert_allclose(mean.grad(ell), total.grad(ell) / B, rtol=1e-12, atol=1e-15)
        if net.has_bias:
            np.testing.assert_allclose(mean.grad_b(ell), total.grad_b(ell) / B, rtol=1e-12)


# --------------------------------------------------------------------------- softmax and the losses


@settings(max_examples=40, deadline=None)
@given(beyond_networks(loss="cross_entropy"))
def test_softmax_with_cross_entropy_starts_the_recursion_at_z_minus_y(case) -> None:
    net, x, y = case
    back = net.backward(x, y)
    B = 1 if y.ndim == 1 else y.shape[1]
    per_sample = 1.0 / B if net.reduction == "mean" else 1.0
    np.testing.assert_allclose(
        back.delta(net.L), (back.forward.output - y) * per_sample, rtol=1e-12, atol=1e-15
    )


def test_softmax_with_cross_entropy_by_hand() -> None:
    # u(1) = W x = (0, log 3) with x = 1: z = softmax(u) = (1/4, 3/4).
    # E = −log(3/4) = log(4/3) for y = (0, 1); Δ(1) = z − y = (1/4, −1/4) = ∂E/∂W(1) (x = 1).
    net = MLP([1, 2], "softmax", weights=[[[0.0], [math.log(3.0)]]], loss="cross_entropy")
    back = net.backward([1.0], [0.0, 1.0])
    assert back.E == pytest.approx(math.log(4 / 3), rel=1e-15)
    np.testing.assert_allclose(back.forward.output, [0.25, 0.75], rtol=1e-15)
    np.testing.assert_allclose(back.delta(1), [0.25, -0.25], rtol=1e-14)
    # (C2) is no longer diagonal: J = diag(z) − z zᵀ, still symmetric.
    J = back.forward.J(1)
    np.testing.assert_allclose(J, [[3 / 16, -3 / 16], [-3 / 16, 3 / 16]], rtol=1e-14)
    with pytest.raises(ValueError, match="not elementwise"):
        back.forward.dsigma(1)
    np.testing.assert_allclose(back.dE_dz, [0.0, -4 / 3], rtol=1e-14)  # −y ⊘ z


@pytest.mark.parametrize(
    ("loss", "output", "u", "y"),
    [
        ("cross_entropy", "softmax", [1e4, -1e4, 0.0], [0.0, 1.0, 0.0]),
        ("cross_entropy", "softmax", [-1e4, -1e4, -1e4], [0.2, 0.3, 0.5]),
        ("binary_cross_entropy", "sigmoid", [1e4, -1e4, 1e4], [0.0, 1.0, 0.5]),
    ],
)
def test_no_log_zero_and_no_warning_at_huge_pre_activations(loss, output, u, y) -> None:
    net = MLP([3, 3], output, weights=[np.eye(3)], bias=True, loss=loss)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        back = net.backward(u, y)
        grads = net.gradients(np.column_stack([u, u]), np.column_stack([y, y]))
    assert math.isfinite(back.E) and back.E > 0
    assert all(np.all(np.isfinite(g)) for g in (*back.grads, *back.grads_b, *grads))
    np.testing.assert_allclose(back.delta(1), back.forward.output - y, atol=1e-300)
    # u = (1e4, −1e4, 0) with one-hot y at unit 2: E = logsumexp(u) − u₂ = 1e4 + 1e4.
    if loss == "cross_entropy" and y == [0.0, 1.0, 0.0]:
        assert back.E == pytest.approx(2e4, rel=1e-15)


def test_binary_cross_entropy_by_hand() -> None:
    # One unit, u = log 3 so z = σ(u) = 3/4; y = 1/2.
    # E = −(½ log ¾ + ½ log ¼) = log 4 − ½ log 3;  Δ = z − y = 1/4.
    net = MLP([1, 1], "sigmoid", weights=[[[math.log(3.0)]]], loss="binary_cross_entropy")
    back = net.backward([1.0], [0.5])
    assert back.E == pytest.approx(math.log(4.0) - 0.5 * math.log(3.0), rel=1e-14)
    np.testing.assert_allclose(back.delta(1), [0.25], rtol=1e-14)


def test_softmax_with_squared_error_is_allowed_and_uses_the_full_jacobian() -> None:
    net = MLP([2, 3], "softmax", seed=5, bias=True)
    x, y = np.array([0.3, -0.8]), np.array([0.0, 1.0, 0.0])
    back = net.backward(x, y)
    J = back.forward.J(1)
    np.testing.assert_allclose(back.delta(1), J.T @ (back.forward.output - y), rtol=1e-13)
    fd_W, fd_b = central_differences(net, x, y)
    np.testing.assert_allclose(back.grad(1), fd_W[0], rtol=1e-6, atol=1e-10)
    np.testing.assert_allclose(back.grad_b(1), fd_b[0], rtol=1e-6, atol=1e-10)


def test_the_softmax_jacobian_matches_finite_differences_of_sigma() -> None:
    sm = get_activation("softmax")
    rng = np.random.default_rng(0)
    for n in (1, 2, 5):
        u = rng.normal(0.0, 2.0, n)
        h = 1e-6
        fd = np.column_stack(
            [(sm.f(u + h * e) - sm.f(u - h * e)) / (2 * h) for e in np.eye(n)]
        )  # column j = ∂z/∂u_j
        np.testing.assert_allclose(sm.jacobian(u), fd, rtol=1e-7, atol=1e-10)
        np.testing.assert_allclose(sm.jacobian(u), sm.jacobian(u).T, rtol=0, atol=1e-17)
        np.testing.assert_allclose(np.sum(sm.jacobian(u), axis=0), 0.0, atol=1e-15)


def test_a_custom_vector_activation_with_the_right_jacobian_agrees_with_softmax() -> None:
    def J(u: np.ndarray) -> np.ndarray:
        e = np.exp(u - np.max(u))
        z = e / np.sum(e)
        return np.diag(z) - np.outer(z, z)

    mine = MLP([3, 4, 3], ["tanh", custom_softmax(J)], seed=1, bias=True)
    ref = mine.replace(activations=["tanh", "softmax"])
    X = np.random.default_rng(2).normal(size=(3, 3))
    Y = np.eye(3)
    for a, b in zip(mine.gradients(X, Y), ref.gradients(X, Y), strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-13, atol=1e-15)
    assert "custom" in repr(mine.sigma(2).activation)


def test_a_wrong_custom_jacobian_is_caught() -> None:
    def transposed_wrong(u: np.ndarray) -> np.ndarray:
        e = np.exp(u - np.max(u))
        z = e / np.sum(e)
        return np.diag(z) - np.outer(z, np.ones_like(z)) * z[0]  # forgot the zⱼ in z zᵀ

    net = MLP([3, 3], custom_softmax(transposed_wrong), seed=1)
    x, y = np.array([0.5, -0.3, 1.0]), np.array([0.0, 0.0, 1.0])
    fd_W, _ = central_differences(net, x, y)
    assert not np.allclose(net.backward(x, y).grad(1), fd_W[0], rtol=1e-3, atol=1e-6)
    assert not bw.gradcheck(net, x, y).ok


def test_a_custom_jacobian_of_the_wrong_shape_or_a_scalar_f_is_refused() -> None:
    flat = VectorActivation("flat", lambda u: u, lambda u: np.ones(len(u)))
    with pytest.raises(ValueError, match=r"'flat': J must return an array of shape \(2, 2\)"):
        MLP([2, 2], flat, seed=0).backward([1.0, 0.0], [0.0, 1.0])
    scalar = VectorActivation("scalar", math.tanh, lambda u: np.eye(len(u)))
    with pytest.raises(TypeError, match="σ must take a numpy array"):
        MLP([2, 2], scalar, seed=0).forward([1.0, 0.0])


def test_replace_and_copy_keep_everything_asked_for() -> None:
    net = MLP([2, 3, 2], ["tanh", "softmax"], bias=True, loss="cross_entropy", seed=0)
    net.set_b(1, [1.0, 2.0, 3.0])
    twin = net.copy()
    assert (twin.loss_name, twin.reduction, twin.has_bias) == ("cross_entropy", "sum", True)
    assert twin.b(1).tolist() == [1.0, 2.0, 3.0]
    assert "bias=True, loss='cross_entropy'" in repr(twin)
    assert not net.replace(bias=False).has_bias
    assert net.replace(activations=["relu", "softmax"]).b(1).tolist() == [1.0, 2.0, 3.0]
    wider = net.replace(sizes=[2, 4, 2])
    assert wider.has_bias and wider.b(1).tolist() == [0.0] * 4
    with pytest.raises(TypeError, match="replace: unknown argument 'lr'"):
        net.replace(lr=0.1)
    # new sizes and a bias asked for by name, either way, from either kind of network
    assert not net.replace(sizes=[2, 4, 2], bias=False).has_bias
    plain = MLP([2, 3, 1], "tanh", seed=0)
    grown = plain.replace(sizes=[2, 4, 1], bias=True)
    assert grown.has_bias and grown.sizes == (2, 4, 1) and grown.b(1).tolist() == [0.0] * 4
    assert not plain.replace(sizes=[2, 4, 1], bias=False).has_bias


def test_softmax_in_a_hidden_layer_and_a_batch() -> None:
    net = MLP([3, 4, 2], ["softmax", "tanh"], seed=7, bias=True, reduction="mean")
    rng = np.random.default_rng(3)
    X, Y = rng.normal(size=(3, 5)), rng.normal(size=(2, 5))
    fd_W, fd_b = central_differences(net, X, Y)
    back = net.backward(X, Y)
    for ell in (1, 2):
        np.testing.assert_allclose(back.grad(ell), fd_W[ell - 1], rtol=1e-6, atol=1e-10)
        np.testing.assert_allclose(back.grad_b(ell), fd_b[ell - 1], rtol=1e-6, atol=1e-10)


@pytest.mark.parametrize("module", ["network", "activations", "losses"])
def test_the_docstring_examples_run(module) -> None:
    import doctest
    import importlib

    result = doctest.testmod(importlib.import_module(f"backprop_widgets.{module}"))
    assert result.failed == 0 and (module == "losses" or result.attempted > 0)
