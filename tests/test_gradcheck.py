"""Finite-difference checks: correct gradients pass, wrong σ′ fail, kinks are flagged."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import backprop_widgets as bw
from backprop_widgets import BUILTIN_NAMES, MLP, Activation
from backprop_widgets.gradcheck import (
    GradcheckReport,
    check_piece,
    directional_check,
    frechet_remainder,
    gradcheck,
    numeric_gradient,
    step_sweep,
)

RNG = np.random.default_rng(20240611)


def _data(net: MLP, batch: int | None, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    n0, nL = net.sizes[0], net.sizes[-1]
    shape_x = (n0,) if batch is None else (n0, batch)
    shape_y = (nL,) if batch is None else (nL, batch)
    return rng.normal(size=shape_x), rng.normal(size=shape_y)


def _tanh_prime(u: np.ndarray) -> np.ndarray:
    return 1.0 - np.tanh(u) ** 2


# --------------------------------------------------------------------------- correct gradients


@pytest.mark.parametrize("name", BUILTIN_NAMES)
@pytest.mark.parametrize("batch", [None, 5])
@pytest.mark.parametrize("method", ["central", "forward", "complex"])
def test_every_builtin_activation_passes(name: str, batch: int | None, method: str) -> None:
    net = MLP([3, 4, 5, 2], [name, name, "identity"], seed=3)
    x, y = _data(net, batch, seed=1)
    report = gradcheck(net, x, y, method=method)
    assert report.ok, str(report)
    assert [c.layer for c in report.layers] == [1, 2, 3]
    assert report.method == method
    for c in report.layers:
        assert c.numeric.shape == c.analytic.shape == net.W(c.layer).shape
        # The numbers compared are the network's own gradient, not a copy of the numeric one.
        np.testing.assert_array_equal(c.analytic, net.gradients(x, y)[c.layer - 1])


@settings(max_examples=25, deadline=None)
@given(
    sizes=st.lists(st.integers(1, 6), min_size=2, max_size=5),
    names=st.lists(st.sampled_from(BUILTIN_NAMES), min_size=4, max_size=4),
    batch=st.sampled_from([None, 1, 3]),
    seed=st.integers(0, 10_000),
)
def test_random_architectures_pass(
    sizes: list[int], names: list[str], batch: int | None, seed: int
) -> None:
    L = len(sizes) - 1
    rng = np.random.default_rng(seed)
    # Per-unit mixes in some layers, single names in the others.
    acts: list[object] = [
        [names[int(k)] for k in rng.integers(0, 4, size=sizes[ell + 1])] if ell % 2 else names[ell]
        for ell in range(L)
    ]
    net = MLP(sizes, acts, seed=seed)
    x, y = _data(net, batch, seed=seed + 1)
    report = gradcheck(net, x, y)
    assert report.ok, str(report)


def test_a_correct_custom_activation_passes() -> None:
    cube = Activation("cube", lambda u: u**3 / 3, lambda u: u**2)
    net = MLP([2, 3, 2], [cube, "tanh"], seed=0)
    x, y = _data(net, 4)
    assert gradcheck(net, x, y).ok


# --------------------------------------------------------------------------- wrong σ′ fails


WRONG_PRIMES = {
    "off by a factor": lambda u: 1.5 * _tanh_prime(u),
    "wrong sign": lambda u: -_tanh_prime(u),
    "off for u < 0 only": lambda u: np.where(u < 0, 0.5, 1.0) * _tanh_prime(u),
}


@pytest.mark.parametrize("kind", list(WRONG_PRIMES))
@pytest.mark.parametrize("method", ["central", "forward"])
def test_a_wrong_derivative_fails_and_names_its_layer(kind: str, method: str) -> None:
    bad = Activation("my_tanh", np.tanh, WRONG_PRIMES[kind])
    net = MLP([3, 4, 4, 2], ["tanh", bad, "identity"], seed=5)
    x, y = _data(net, 6, seed=2)  # a batch, so layer 2 sees u of both signs
    assert np.any(net.forward(x).u(2) < 0) and np.any(net.forward(x).u(2) > 0)
    report = gradcheck(net, x, y, method=method)
    assert not report.ok
    # σ′ of layer 2 enters the gradients of layers 1 and 2, never that of layer 3.
    assert not report.layer(2).ok and not report.layer(1).ok
    assert report.layer(3).ok
    assert report.max_rel_error > 100 * report.rtol
    text = str(report)
    assert "FAIL in layer 1, 2" in text
    assert "my_tanh" in text


def test_the_same_network_with_the_right_derivative_passes() -> None:
    good = Activation("my_tanh", np.tanh, _tanh_prime)
    net = MLP([3, 4, 4, 2], ["tanh", good, "identity"], seed=5)
    x, y = _data(net, 6, seed=2)
    assert gradcheck(net, x, y).ok
    assert gradcheck(net, x, y, method="forward").ok


def test_user_tolerances_are_the_ones_used() -> None:
    bad = Activation("bad", np.tanh, WRONG_PRIMES["off by a factor"])
    net = MLP([2, 3, 1], [bad, "identity"], seed=1)
    x, y = _data(net, None)
    assert not gradcheck(net, x, y).ok
    loose = gradcheck(net, x, y, rtol=10.0, atol=10.0)
    assert loose.ok and loose.rtol == 10.0 and loose.atol == 10.0
    assert all(c.atol == 10.0 for c in loose.layers)


# --------------------------------------------------------------------------- complex step


def test_complex_step_matches_central() -> None:
    net = MLP([4, 5, 3], [["sin", "softplus", "elu", "silu", "sigmoid"], "softsign"], seed=7)
    x, y = _data(net, 3)
    for ell in (1, 2):
        c = numeric_gradient(net, x, y, ell, method="complex")
        d = numeric_gradient(net, x, y, ell, method="central")
        np.testing.assert_allclose(c, d, rtol=1e-7, atol=1e-9)
        # and the complex step is nearly exact
        np.testing.assert_allclose(c, net.gradients(x, y)[ell - 1], rtol=1e-12, atol=1e-14)


def test_complex_step_on_an_unsafe_activation_says_what_to_do() -> None:
    mine = Activation("my_sigma", np.tanh, _tanh_prime)  # complex_step defaults to False
    net = MLP([2, 3, 3, 1], ["tanh", mine, "identity"], seed=0)
    x, y = _data(net, None)
    with pytest.raises(ValueError, match=r"layer 2.*'my_sigma'.*central"):
        gradcheck(net, x, y, method="complex")
    with pytest.raises(ValueError, match="my_sigma"):
        numeric_gradient(net, x, y, 1, method="complex")
    # Layer 3's perturbations never pass through layer 2, so that check is allowed.
    assert gradcheck(net, x, y, method="complex", layers=[3]).ok


# --------------------------------------------------------------------------- kinks


def _relu_at_kink(offset: float) -> tuple[MLP, np.ndarray, np.ndarray]:
    """u₁⁽¹⁾ = offset: unit 1 of a relu layer sits at (or near) its kink."""
    W1 = np.array([[1.0, -1.0 + 2 * offset], [0.5, 0.2], [-0.3, 0.8]])
    W2 = np.array([[0.7, -0.4, 0.9]])
    net = MLP([2, 3, 1], ["relu", "identity"], weights=[W1, W2])
    return net, np.array([0.5, 0.5]), np.array([2.0])


@pytest.mark.parametrize("method", ["central", "forward", "complex"])
def test_a_preactivation_exactly_at_the_kink_is_flagged_not_failed(method: str) -> None:
    net, x, y = _relu_at_kink(0.0)
    assert net.forward(x).u(1)[0] == 0.0
    report = gradcheck(net, x, y, method=method)
    c1 = report.layer(1)
    expected = np.zeros((3, 2), dtype=bool)
    expected[0] = True
    np.testing.assert_array_equal(c1.kink, expected)
    assert not report.layer(2).kink.any()
    if method != "forward":
        # The quotient really is off there (so the flag is what saves the check) ...
        assert np.all(c1.rel_error[0] > c1.rtol)
    # ... and yet the check passes, counting the flagged entries out.
    assert report.ok
    assert c1.max_rel_error <= c1.rtol
    assert "kink" in str(report)


def test_a_preactivation_within_reach_of_the_kink_is_flagged() -> None:
    net, x, y = _relu_at_kink(1e-7)
    assert 0 < net.forward(x).u(1)[0] < 1e-6
    report = gradcheck(net, x, y)  # h ≈ 6e-6 reaches across u = 0
    assert report.layer(1).kink[0].all()
    assert report.ok
    # A step too small to reach the kink leaves nothing to flag, and the entry passes.
    small = gradcheck(net, x, y, h=1e-9, rtol=1e-4)
    assert not small.layer(1).kink.any()
    assert small.ok


def test_a_kink_in_a_later_layer_flags_the_entries_that_move_it() -> None:
    W1 = np.eye(2)
    W2 = np.array([[1.0, -1.0], [0.3, 0.4]])
    W3 = np.array([[0.8, -0.6]])
    net = MLP([2, 2, 2, 1], ["identity", "leaky_relu", "identity"], weights=[W1, W2, W3])
    x, y = np.array([0.5, 0.5]), np.array([1.0])
    assert net.forward(x).u(2)[0] == 0.0
    report = gradcheck(net, x, y)
    assert report.layer(1).kink.all()
    np.testing.assert_array_equal(report.layer(2).kink, [[True, True], [False, False]])
    assert not report.layer(3).kink.any()
    assert report.ok


def test_generic_relu_networks_have_no_flags() -> None:
    net = MLP([4, 6, 6, 2], "relu", seed=11)
    x, y = _data(net, 3)
    report = gradcheck(net, x, y)
    assert report.ok
    assert sum(c.n_kinks for c in report.layers) == 0


# --------------------------------------------------------------------------- vectorised = loop


def _loop_numeric(net: MLP, x: np.ndarray, y: np.ndarray, ell: int, h: float) -> np.ndarray:
    out = np.zeros(net.W(ell).shape)
    for i in range(out.shape[0]):
        for j in range(out.shape[1]):
            ws_plus, ws_minus = list(net.weights), list(net.weights)
            step = np.zeros_like(out)
            step[i, j] = h
            ws_plus[ell - 1] = net.W(ell) + step
            ws_minus[ell - 1] = net.W(ell) - step
            e_plus = net.with_weights(ws_plus).loss(x, y)
            e_minus = net.with_weights(ws_minus).loss(x, y)
            out[i, j] = (e_plus - e_minus) / (2 * h)
    return out


@pytest.mark.parametrize("batch", [None, 4])
def test_vectorised_numeric_gradient_equals_a_plain_loop(batch: int | None) -> None:
    net = MLP([3, 4, 3, 2], ["sigmoid", ["tanh", "relu", "sin"], "elu"], seed=2)
    x, y = _data(net, batch, seed=4)
    for ell in (1, 2, 3):
        fast = numeric_gradient(net, x, y, ell, h=1e-5)
        slow = _loop_numeric(net, x, y, ell, 1e-5)
        # Same quotient, different rounding: agree to round-off ε·E/h.
        np.testing.assert_allclose(fast, slow, rtol=0, atol=1e-9)


def test_chunking_does_not_change_the_result(monkeypatch: pytest.MonkeyPatch) -> None:
    from backprop_widgets import _fd

    net = MLP([5, 7, 3], ["tanh", "softplus"], seed=1)
    x, y = _data(net, 2)
    whole = numeric_gradient(net, x, y, 1)
    monkeypatch.setattr(_fd, "CHUNK_ELEMENTS", 1)  # one entry per chunk
    seen: list[float] = []
    pieces = gradcheck(net, x, y, progress=seen.append)
    np.testing.assert_array_equal(pieces.layer(1).numeric, whole)
    assert len(seen) == 5 * 7 + 3 * 7
    assert seen == sorted(seen) and seen[-1] == pytest.approx(1.0)


def test_gradcheck_leaves_the_network_alone() -> None:
    net = MLP([3, 4, 2], "tanh", seed=0)
    before = [w.copy() for w in net.weights]
    calls: list[MLP] = []
    net.subscribe(calls.append)
    gradcheck(net, *_data(net, 2))
    for a, b in zip(before, net.weights, strict=True):
        np.testing.assert_array_equal(a, b)
    assert calls == []


# --------------------------------------------------------------------------- remainder, sweep


def test_the_frechet_remainder_falls_with_slope_one_for_tanh() -> None:
    net = MLP([3, 5, 4, 2], ["tanh", "tanh", "identity"], seed=8)
    x, y = _data(net, 3, seed=3)
    rem = frechet_remainder(net, x, y)
    assert rem.t.shape == rem.r.shape == (33,)
    assert abs(rem.slope - 1.0) < 0.05
    assert rem.fit.sum() >= 5
    # r(t) → 0: from t = 1e-2 down to t = 1e-5 it shrinks by about 1000.
    r = dict(zip(np.round(np.log10(rem.t), 2), rem.r, strict=True))
    assert r[-5.0] < 2e-3 * r[-2.0]


def test_the_remainder_with_a_wrong_gradient_does_not_vanish() -> None:
    bad = Activation("bad", np.tanh, WRONG_PRIMES["off by a factor"])
    net = MLP([3, 5, 2], [bad, "identity"], seed=8)
    x, y = _data(net, 3, seed=3)
    rem = frechet_remainder(net, x, y)
    # A wrong DE leaves r(t) near a constant |DE_true(H) − DE_claimed(H)|: slope ≈ 0.
    assert abs(rem.slope) < 0.1
    assert rem.r[rem.t <= 1e-4].min() > 1e-3


def test_a_given_direction_is_used() -> None:
    net = MLP([2, 3, 1], "tanh", seed=1)
    x, y = _data(net, None)
    H = [np.zeros((3, 2)), np.ones((1, 3))]
    rem = frechet_remainder(net, x, y, H=H, ts=[1e-3, 1e-2])
    assert rem.H_norm == pytest.approx(np.sqrt(3))
    # Along H only W(2) moves; the remainder still grows like t.
    assert rem.r[1] > rem.r[0]


def test_step_sweep_shows_the_v_of_the_central_difference() -> None:
    net = MLP([3, 4, 2], ["tanh", "sigmoid"], seed=4)
    x, y = _data(net, 2)
    sweep = step_sweep(net, x, y, 1, 2, 1)
    err = dict(zip(np.round(np.log10(sweep.h), 2), sweep.errors["central"], strict=True))
    assert err[-5.0] < err[-1.0] and err[-5.0] < err[-13.0]
    assert err[-5.0] < 1e-8
    assert set(sweep.errors) == {"forward", "central", "complex"}
    # The complex step has no subtraction: tiny steps are exact.
    assert sweep.errors["complex"][sweep.h <= 1e-10].max() < 1e-14
    assert sweep.analytic == net.gradients(x, y)[0][2, 1]


def test_step_sweep_leaves_out_complex_only_by_default() -> None:
    mine = Activation("mine", np.tanh, _tanh_prime)
    net = MLP([2, 2, 1], [mine, "identity"], seed=0)
    x, y = _data(net, None)
    assert set(step_sweep(net, x, y, 1, 0, 0).errors) == {"forward", "central"}
    with pytest.raises(ValueError, match="complex_step"):
        step_sweep(net, x, y, 1, 0, 0, methods=["complex"])


# --------------------------------------------------------------------------- directional checks


class _Map:
    """A hand-built piece: f(p) = sin(p) ⊙ a with a claimed derivative h ↦ claim(p, h)."""

    def __init__(self, point: np.ndarray, claim) -> None:
        self.point = point
        self.in_shape = point.shape
        self.a = np.arange(1.0, point.size + 1).reshape(point.shape)
        self._claim = claim

    def f(self, p: np.ndarray) -> np.ndarray:
        return np.sin(p) * self.a

    def apply(self, h: np.ndarray) -> np.ndarray:
        return self._claim(self, h)


def test_check_piece_passes_a_right_derivative_and_fails_a_wrong_one() -> None:
    p = RNG.normal(size=(2, 3))
    right = _Map(p, lambda m, h: np.cos(m.point) * m.a * h)
    wrong = _Map(p, lambda m, h: np.cos(m.point) * h)  # forgot the factor a
    transposed = _Map(p, lambda m, h: (np.cos(m.point) * m.a * h)[::-1])
    assert check_piece(right).ok
    assert check_piece(right, np.ones((2, 3))).ok
    assert not check_piece(wrong).ok
    assert not check_piece(transposed, seed=3).ok


def test_check_piece_on_the_frechet_pieces() -> None:
    from backprop_widgets import frechet

    net = MLP([3, 4, 2], ["softplus", "tanh"], seed=1)
    x, y = _data(net, None)
    fw = net.forward(x)
    pieces = [frechet.C1(fw.output, y), frechet.C2(net.sigma(1), fw.u(1)), frechet.C3(x, 4)]
    for piece in pieces:
        assert check_piece(piece).ok, piece


def test_directional_check_of_a_scalar_function() -> None:
    def f(p: np.ndarray) -> float:
        return float(np.sum(p**3))

    p, d = np.array([1.0, -2.0]), np.array([0.5, 1.0])
    right = directional_check(f, float(np.sum(3 * p**2 * d)), p, d)
    assert right.ok and isinstance(right.analytic, float)
    assert right.rel_error < 1e-8
    assert not directional_check(f, float(np.sum(p**2 * d)), p, d).ok


# --------------------------------------------------------------------------- the report


def test_report_text_and_html_show_every_layer_and_escape_names() -> None:
    odd = Activation("<b>x</b>", np.tanh, _tanh_prime)
    net = MLP([2, 3, 3, 1], ["tanh", odd, "identity"], seed=0)
    report = gradcheck(net, *_data(net, 2))
    assert isinstance(report, GradcheckReport)
    text = str(report)
    lines = text.splitlines()
    for ell, shape in ((1, "3×2"), (2, "3×3"), (3, "1×3")):
        assert any(line.startswith(f"{ell} ") and shape in line for line in lines), text
    assert "<b>x</b>" in text and "PASS" in text
    page = report._repr_html_()
    assert "<b>x</b>" not in page
    assert "&lt;b&gt;x&lt;/b&gt;" in page
    assert page.count("<tr>") == 4  # header + 3 layers


def test_layers_selects_and_orders_the_checks() -> None:
    net = MLP([2, 3, 3, 2], "tanh", seed=0)
    x, y = _data(net, None)
    report = gradcheck(net, x, y, layers=(3, 1, 3))
    assert [c.layer for c in report.layers] == [1, 3]
    assert report.layer(3).layer == 3
    with pytest.raises(ValueError, match="ell"):
        report.layer(2)


# --------------------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    ("kwargs", "error", "argument"),
    [
        ({"method": "foo"}, ValueError, "method"),
        ({"h": 0.0}, ValueError, "h"),
        ({"h": -1e-3}, ValueError, "h"),
        ({"h": float("nan")}, ValueError, "h"),
        ({"h": "small"}, TypeError, "h"),
        ({"rtol": 0.0}, ValueError, "rtol"),
        ({"atol": -1.0}, ValueError, "atol"),
        ({"layers": [0]}, ValueError, "layers"),
        ({"layers": [4]}, ValueError, "layers"),
        ({"layers": []}, ValueError, "layers"),
        ({"layers": ["1"]}, TypeError, "layers"),
        ({"progress": 3}, TypeError, "progress"),
    ],
)
def test_bad_options_name_the_argument(kwargs: dict, error: type, argument: str) -> None:
    net = MLP([2, 3, 3, 1], "tanh", seed=0)
    x, y = _data(net, None)
    with pytest.raises(error, match=rf"^{argument}:"):
        gradcheck(net, x, y, **kwargs)


def test_bad_shapes_and_arguments_name_them() -> None:
    net = MLP([2, 3, 1], "tanh", seed=0)
    with pytest.raises(ValueError, match=r"^x:"):
        gradcheck(net, np.zeros(3), np.zeros(1))
    with pytest.raises(ValueError, match=r"^y:"):
        gradcheck(net, np.zeros((2, 4)), np.zeros((1, 3)))
    with pytest.raises(TypeError, match=r"^net:"):
        gradcheck("net", np.zeros(2), np.zeros(1))  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=r"^layer:"):
        numeric_gradient(net, np.zeros(2), np.zeros(1), 3)
    with pytest.raises(ValueError, match=r"^i:"):
        step_sweep(net, np.zeros(2), np.zeros(1), 1, 3, 0)
    with pytest.raises(ValueError, match=r"^method:"):
        step_sweep(net, np.zeros(2), np.zeros(1), 1, 0, 0, methods=["central", "bar"])
    with pytest.raises(ValueError, match=r"^H:"):
        frechet_remainder(net, np.zeros(2), np.zeros(1), H=[np.zeros((3, 2)), np.zeros((1, 3))])
    with pytest.raises(ValueError, match=r"^H\[1\]:"):
        frechet_remainder(net, np.zeros(2), np.zeros(1), H=[np.ones((3, 2)), np.ones((3, 1))])
    with pytest.raises(ValueError, match=r"^direction:"):
        directional_check(np.sin, np.zeros(2), np.zeros(2), np.zeros(2))


# --------------------------------------------------------------------------- the package name


def test_package_gradcheck_is_the_function_even_after_importing_the_module() -> None:
    code = (
        "import sys\n"
        "import backprop_widgets.gradcheck\n"
        "from backprop_widgets.gradcheck import GradcheckReport\n"
        "import backprop_widgets as bw\n"
        "mod = sys.modules['backprop_widgets.gradcheck']\n"
        "assert bw.gradcheck is mod.gradcheck, bw.gradcheck\n"
        "assert 'gradcheck' in bw.__all__\n"
        "print('ok')\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "ok"
    assert bw.gradcheck is gradcheck
