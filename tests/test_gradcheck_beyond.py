"""gradcheck, the step sweep, the Fréchet remainder and the figures beyond the derivation: bias
gradients beside weight gradients, softmax with cross-entropy, binary cross-entropy, the mean."""

from __future__ import annotations

import dataclasses
import io

import numpy as np
import pytest
from beyond_strategies import beyond_networks
from hypothesis import given, settings

import backprop_widgets as bw
from backprop_widgets import MLP, plots


def _classifier(**kw) -> MLP:
    rng = np.random.default_rng(5)
    return MLP(
        [3, 4, 3],
        ["tanh", "softmax"],
        loss="cross_entropy",
        biases=[rng.normal(size=4), rng.normal(size=3)],
        seed=1,
        **kw,
    )


X = np.random.default_rng(6).normal(size=(3, 4))
Y = np.eye(3)[:, [0, 2, 1, 2]]


@settings(max_examples=40, deadline=None)
@given(beyond_networks())
def test_gradcheck_passes_beyond_the_derivation(case) -> None:
    net, x, y = case
    report = bw.gradcheck(net, x, y)
    assert report.ok, str(report)
    assert len(report.bias_layers) == (net.L if net.has_bias else 0)
    for c in report.bias_layers:
        assert c.param == "b" and c.shape == (net.n(c.layer), 1)
        np.testing.assert_array_equal(c.analytic[:, 0], net.backward(x, y).grad_b(c.layer))


@pytest.mark.parametrize("method", ["central", "forward", "complex"])
@pytest.mark.parametrize(
    "net",
    [
        _classifier(),
        _classifier(reduction="mean"),
        MLP([3, 4, 3], ["softmax", "sigmoid"], loss="binary_cross_entropy", bias=True, seed=2),
        MLP([3, 4, 3], ["sin", "softmax"], reduction="mean", seed=3),  # softmax + squared error
    ],
    ids=["ce", "ce-mean", "bce-hidden-softmax", "softmax-squared-error"],
)
def test_every_method_checks_weights_and_biases(method, net) -> None:
    y = Y if net.loss_name == "cross_entropy" else 0.5 * Y + 0.25
    report = bw.gradcheck(net, X, y, method=method)
    assert report.ok, str(report)
    assert report.max_rel_error < report.rtol / 10
    if net.has_bias:
        for ell in (1, 2):
            numeric = bw.numeric_gradient(net, X, y, ell, method=method, param="b")
            np.testing.assert_allclose(
                numeric, net.backward(X, y).grad_b(ell), rtol=report.rtol, atol=1e-9
            )


class _SlipNet(MLP):
    """A student's backward pass with one classic slip: ∂E/∂b(1) = W(2)ᵀ Δ(2), J(1) forgotten."""

    def backward(self, x, y):  # type: ignore[no-untyped-def]
        back = super().backward(x, y)
        wrong = (self.W(2).T @ back.delta(2), *back.grads_b[1:])
        return dataclasses.replace(back, grads_b=wrong)


def test_a_wrong_bias_gradient_is_caught_and_reported_as_the_bias() -> None:
    net = _SlipNet([2, 3, 2], ["tanh", "identity"], biases=[[0.3, -0.2, 0.5], [0.1, 0.0]], seed=4)
    x, y = np.array([0.8, -0.6]), np.array([0.2, -0.4])
    report = bw.gradcheck(net, x, y)
    assert not report.ok
    assert all(c.ok for c in report.layers)  # the weights are right
    assert not report.bias_layer(1).ok and report.bias_layer(2).ok
    assert report.failed_layers == [1]
    assert "FAIL in layer 1 (b)" in str(report)
    assert "1 b" in str(report) and "1 W" in str(report)
    html = report._repr_html_()
    assert "1 b" in html and "FAIL" in html


def test_the_default_report_looks_as_before() -> None:
    net = MLP([2, 3, 1], ["tanh", "identity"], seed=0)
    report = bw.gradcheck(net, [0.5, -0.5], [0.2])
    assert report.bias_layers == [] and [c.name for c in report.checks] == ["W(1)", "W(2)"]
    rows = str(report).splitlines()
    assert rows[1].split()[0] == "layer" and rows[3].split()[:3] == ["1", "tanh", "3×2"]
    with pytest.raises(ValueError, match="no biases were checked"):
        report.bias_layer(1)


def test_kinks_are_flagged_for_bias_entries_too() -> None:
    # u(1)₁ = w·x + b = 1·0.5 + (−0.5) = 0: unit 1 of the relu layer sits on its kink, so
    # nudging b(1)₁ (or any w(1)₁ⱼ) straddles it.
    net = MLP(
        [1, 2, 1],
        ["relu", "identity"],
        weights=[[[1.0], [2.0]], [[1.0, -1.0]]],
        biases=[[-0.5, 0.3], [0.0]],
    )
    report = bw.gradcheck(net, [0.5], [0.1])
    b1 = report.bias_layer(1)
    assert b1.kink[:, 0].tolist() == [True, False]
    assert report.ok and report.layer(1).kink[:, 0].tolist() == [True, False]


def test_the_step_sweep_and_the_remainder_with_biases() -> None:
    net = _classifier()
    sweep = bw.step_sweep(net, X, Y, 2, 1, param="b")
    assert sweep.param == "b" and (sweep.i, sweep.j) == (1, 0)
    assert min(sweep.errors["central"]) < 1e-9 and min(sweep.errors["complex"]) < 1e-14
    assert sweep.analytic == pytest.approx(float(net.backward(X, Y).grad_b(2)[1]))
    rem = bw.frechet_remainder(net, X, Y)
    assert rem.K is not None and len(rem.K) == 2
    assert rem.slope == pytest.approx(1.0, abs=0.05)
    only_b = bw.frechet_remainder(
        net, X, Y, H=[np.zeros((4, 3)), np.zeros((3, 4))], K=[np.ones(4), np.ones(3)]
    )
    assert only_b.slope == pytest.approx(1.0, abs=0.05)
    fig = plots.plot_step_sweep(sweep)
    assert "b_i" in fig.axes[0].get_title()


@pytest.mark.parametrize(
    ("call", "words"),
    [
        (lambda: bw.step_sweep(_classifier(), X, Y, 1, 0, param="B"), "param"),
        (lambda: bw.step_sweep(MLP([3, 3], "tanh"), X, Y, 1, 0, param="b"), "biases"),
        (lambda: bw.step_sweep(MLP([3, 3], "tanh"), X, Y, 1, 0), "j"),
        (lambda: bw.numeric_gradient(MLP([3, 3], "tanh"), X, Y, 1, param="b"), "param"),
        (lambda: bw.frechet_remainder(MLP([3, 3], "tanh"), X, Y, K=[np.zeros(3)]), "K"),
        (lambda: bw.frechet_remainder(_classifier(), X, Y, K=[np.zeros(2)]), "K"),
        (lambda: bw.gradcheck(_classifier(), X, Y, biases="yes"), "biases"),
    ],
)
def test_bad_arguments_about_biases(call, words) -> None:
    with pytest.raises((ValueError, TypeError)) as info:
        call()
    assert words in str(info.value)


def test_the_figure_shows_bias_columns_beside_the_weights_on_one_scale() -> None:
    report = bw.gradcheck(_classifier(), X, Y)
    fig = plots.plot_gradcheck(report)
    images = [ax for ax in fig.axes if ax.images]
    assert len(images) == 2 * 6  # W and b for analytic | numeric | difference, two layers
    for row, ell in zip(np.reshape(images, (2, 6)), (1, 2), strict=True):
        aW, ab, nW, nb, dW, db = (ax.images[0] for ax in row)
        assert aW.get_clim() == ab.get_clim() == nW.get_clim() == nb.get_clim()
        assert dW.get_clim() == db.get_clim()
        check_b = report.bias_layer(ell)
        np.testing.assert_array_equal(np.asarray(ab.get_array()), check_b.analytic)
        np.testing.assert_array_equal(np.asarray(nb.get_array()), check_b.numeric)
        assert np.asarray(ab.get_array()).shape == (3 if ell == 2 else 4, 1)
        lo, hi = aW.get_clim()
        assert lo == -hi
        assert hi >= max(
            np.max(np.abs(report.layer(ell).analytic)), np.max(np.abs(check_b.analytic))
        )
        assert row[1].get_title() == f"b({ell})"
    fig.savefig(io.BytesIO(), format="png")
    rel = plots.plot_gradcheck(report, kind="relative", layers=[2])
    r_W, r_b = (ax.images[0] for ax in [ax for ax in rel.axes if ax.images][4:6])
    assert r_W.get_clim() == r_b.get_clim() and r_W.get_clim()[0] == 0
