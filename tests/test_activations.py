"""σ and σ′ for every built-in activation, custom activations, and per-unit layers."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from backprop_widgets import MLP
from backprop_widgets.activations import (
    BUILTIN_NAMES,
    Activation,
    LayerActivation,
    get_activation,
)

EXPECTED_NAMES = {
    "identity",
    "sigmoid",
    "tanh",
    "relu",
    "leaky_relu",
    "softplus",
    "elu",
    "silu",
    "softsign",
    "sin",
}
#: Where σ is not smooth: a kink in σ (relu, leaky_relu) or in σ′ (elu, softsign).
NOT_SMOOTH_AT_ZERO = {"relu", "leaky_relu", "elu", "softsign"}

SWEEP = np.array(
    [-1e4, -1e3, -50.0, -1.0, -1e-8, -1e-300, 0.0, 1e-300, 1e-8, 1.0, 50.0, 1e3, 1e4],
)


def test_the_builtin_names_are_the_ten_of_the_issue() -> None:
    assert set(BUILTIN_NAMES) == EXPECTED_NAMES


@pytest.mark.parametrize("name", sorted(EXPECTED_NAMES))
def test_sigma_and_its_derivative_are_finite_and_silent_on_a_wide_sweep(name: str) -> None:
    act = get_activation(name)
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        s = np.asarray(act.f(SWEEP.copy()))
        d = np.asarray(act.df(SWEEP.copy()))
    assert s.shape == d.shape == SWEEP.shape
    assert np.all(np.isfinite(s)), s
    assert np.all(np.isfinite(d)), d
    assert s.dtype == np.float64 and d.dtype == np.float64


@pytest.mark.parametrize("name", sorted(EXPECTED_NAMES))
def test_far_beyond_1e4_nothing_overflows_either(name: str) -> None:
    u = np.array([-1e308, -1e200, -1e20, 1e20, 1e200, 1e308])
    act = get_activation(name)
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        assert np.all(np.isfinite(act.f(u))) and np.all(np.isfinite(act.df(u)))


@pytest.mark.parametrize("name", sorted(EXPECTED_NAMES))
def test_sigma_on_two_dimensional_input_keeps_the_shape(name: str) -> None:
    act = get_activation(name)
    u = np.linspace(-3, 3, 12).reshape(3, 4)
    assert act.f(u).shape == (3, 4)
    assert act.df(u).shape == (3, 4)


# Values worked out by hand from the definitions.
KNOWN = [
    ("identity", -2.5, -2.5, 1.0),
    ("sigmoid", 0.0, 0.5, 0.25),
    ("tanh", 0.0, 0.0, 1.0),
    ("relu", -3.0, 0.0, 0.0),
    ("relu", 2.0, 2.0, 1.0),
    ("leaky_relu", -2.0, -0.02, 0.01),
    ("leaky_relu", 3.0, 3.0, 1.0),
    ("softplus", 0.0, math.log(2.0), 0.5),
    ("elu", -1.0, math.exp(-1.0) - 1.0, math.exp(-1.0)),
    ("elu", 2.0, 2.0, 1.0),
    ("silu", 0.0, 0.0, 0.5),
    ("softsign", 1.0, 0.5, 0.25),  # 1/(1+1) and 1/(1+1)²
    ("softsign", -3.0, -0.75, 1.0 / 16.0),
    ("sin", math.pi / 2, 1.0, 0.0),
    # Saturation far out: exactly representable limits.
    ("sigmoid", 1e4, 1.0, 0.0),
    ("sigmoid", -1e4, 0.0, 0.0),
    ("tanh", -1e4, -1.0, 0.0),
    ("softplus", 1e4, 1e4, 1.0),
    ("softplus", -1e4, 0.0, 0.0),
    ("silu", -1e4, 0.0, 0.0),
    ("elu", -1e4, -1.0, 0.0),
]


@pytest.mark.parametrize(("name", "u", "sigma", "dsigma"), KNOWN)
def test_known_values(name: str, u: float, sigma: float, dsigma: float) -> None:
    act = get_activation(name)
    assert act.f(np.array([u]))[0] == pytest.approx(sigma, rel=1e-12, abs=1e-15)
    assert act.df(np.array([u]))[0] == pytest.approx(dsigma, rel=1e-12, abs=1e-15)


def _grid_away_from_zero() -> np.ndarray:
    u = np.linspace(-6.0, 6.0, 241)
    u = u[np.abs(u) > 1e-3]
    return np.concatenate([u, [-50.0, -20.0, 20.0, 50.0]])


@pytest.mark.parametrize("name", sorted(EXPECTED_NAMES))
def test_derivative_matches_a_central_difference_away_from_kinks(name: str) -> None:
    act = get_activation(name)
    u = _grid_away_from_zero()
    h = 1e-6
    numeric = (act.f(u + h) - act.f(u - h)) / (2 * h)
    analytic = act.df(u)
    # truncation ~ h²|σ‴| ≤ 1e-12; round-off ~ ε|σ(u)|/h ≤ 1e-10·50
    tol = 1e-8 * (1.0 + np.abs(act.f(u)))
    assert np.all(np.abs(numeric - analytic) <= tol), np.max(np.abs(numeric - analytic) / tol)


@pytest.mark.parametrize("name", sorted(EXPECTED_NAMES))
def test_complex_step_agrees_with_the_derivative(name: str) -> None:
    act = get_activation(name)
    assert act.complex_step
    u = _grid_away_from_zero()
    h = 1e-30
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        numeric = np.imag(act.f(u + 1j * h)) / h
    np.testing.assert_allclose(numeric, act.df(u), rtol=1e-13, atol=1e-15)


@pytest.mark.parametrize("name", sorted(EXPECTED_NAMES))
def test_kinks_are_declared_exactly_where_sigma_is_not_differentiable(name: str) -> None:
    # elu and softsign have a kink in σ′ only; σ itself is differentiable at 0.
    expected = (0.0,) if name in {"relu", "leaky_relu"} else ()
    assert get_activation(name).kinks == expected


@given(st.floats(min_value=-1e4, max_value=1e4, allow_nan=False), st.sampled_from(BUILTIN_NAMES))
@settings(max_examples=300, deadline=None)
def test_any_u_in_range_gives_finite_values_without_warnings(u: float, name: str) -> None:
    act = get_activation(name)
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        s = act.f(np.array([u]))[0]
        d = act.df(np.array([u]))[0]
    assert math.isfinite(s) and math.isfinite(d)
    if name in {"sigmoid"}:
        assert 0.0 <= s <= 1.0 and 0.0 <= d <= 0.25
    if name in {"tanh", "softsign", "sin"}:
        assert -1.0 <= s <= 1.0
    if name not in {"sin", "silu"}:  # the others are non-decreasing
        assert d >= 0.0


# --------------------------------------------------------------------------- custom activations


def test_a_custom_activation_is_used_as_given() -> None:
    cube = Activation("cube", lambda u: u**3, lambda u: 3 * u**2)
    assert cube.f(np.array([2.0]))[0] == 8.0
    assert cube.df(np.array([2.0]))[0] == 12.0
    assert cube(np.array([-1.0]))[0] == -1.0
    assert not cube.complex_step  # off unless the author says so
    assert cube.kinks == ()
    assert "cube" in cube.latex
    assert "custom" in repr(cube)
    assert get_activation(cube) is cube


@pytest.mark.parametrize(
    ("kwargs", "error", "words"),
    [
        ({"name": "", "f": np.sin, "df": np.cos}, TypeError, "name"),
        ({"name": "   ", "f": np.sin, "df": np.cos}, TypeError, "name"),
        ({"name": 3, "f": np.sin, "df": np.cos}, TypeError, "name"),
        ({"name": "mine", "f": 1.0, "df": np.cos}, TypeError, "f must be callable"),
        ({"name": "mine", "f": np.sin, "df": "cos"}, TypeError, "df must be callable"),
    ],
)
def test_custom_activation_validation(kwargs: dict, error: type, words: str) -> None:
    with pytest.raises(error, match=words):
        Activation(**kwargs)


def test_get_activation_unknown_name_lists_the_known_ones() -> None:
    with pytest.raises(ValueError, match="unknown activation 'relu6'") as info:
        get_activation("relu6")
    for name in BUILTIN_NAMES:
        assert name in str(info.value)


def test_get_activation_names_are_case_and_space_insensitive() -> None:
    assert get_activation(" TanH ") is get_activation("tanh")


def test_get_activation_rejects_other_types() -> None:
    with pytest.raises(TypeError, match="activation"):
        get_activation(3)  # type: ignore[arg-type]


def test_a_custom_sigma_returning_the_wrong_shape_is_caught() -> None:
    bad = Activation("bad", lambda u: u[:1], np.ones_like)
    layer = LayerActivation([bad] * 3)
    with pytest.raises(ValueError, match=r"'bad'.*shape"):
        layer.sigma(np.zeros(3))


def test_a_custom_sigma_or_derivative_returning_a_scalar_is_refused() -> None:
    const = Activation("const", lambda u: 1.0, lambda u: 0.0)
    layer = LayerActivation([const] * 3)
    with pytest.raises(ValueError, match=r"'const': σ returned a single number.*numpy array"):
        layer.sigma(np.zeros(3))
    flat = Activation("flat", np.tanh, lambda u: 1.0)  # σ′ forgot it gets an array
    with pytest.raises(ValueError, match=r"'flat': σ′ returned a single number.*shape \(3,\)"):
        LayerActivation([flat] * 3).dsigma(np.zeros(3))


def test_a_custom_sigma_that_only_takes_scalars_says_it_needs_arrays() -> None:
    scalar_only = Activation("math_tanh", math.tanh, lambda u: 1 - math.tanh(u) ** 2)
    with pytest.raises(TypeError, match=r"'math_tanh': σ must take a numpy array.*np\.tanh"):
        LayerActivation([scalar_only] * 2).sigma(np.zeros(2))
    net = MLP([2, 2, 1], [scalar_only, "identity"], seed=0)
    with pytest.raises(TypeError, match=r"σ must take a numpy array"):
        net.forward([0.5, -0.5])


def test_a_custom_derivative_returning_text_is_caught() -> None:
    wordy = Activation("wordy", np.sin, lambda u: np.array(["cos"] * len(u)))
    with pytest.raises(TypeError, match=r"'wordy'.*σ′.*non-numeric"):
        LayerActivation([wordy]).dsigma(np.zeros(1))


# --------------------------------------------------------------------------- per-unit layers


def test_a_per_unit_layer_applies_each_units_own_sigma() -> None:
    names = ["relu", "tanh", "relu", "sin"]
    layer = LayerActivation.build(names, 4, argument="activations[0]")
    assert not layer.uniform
    assert layer.label == "mixed"
    assert layer.spec() == names
    assert layer.names == names
    u = np.array([[-1.0, 2.0], [0.5, -0.5], [3.0, -3.0], [1.0, 2.0]])
    expected = np.array(
        [
            [0.0, 2.0],
            [math.tanh(0.5), math.tanh(-0.5)],
            [3.0, 0.0],
            [math.sin(1.0), math.sin(2.0)],
        ]
    )
    np.testing.assert_allclose(layer.sigma(u), expected, rtol=1e-15)
    d_expected = np.array(
        [
            [0.0, 1.0],
            [1 - math.tanh(0.5) ** 2, 1 - math.tanh(0.5) ** 2],
            [1.0, 0.0],
            [math.cos(1.0), math.cos(2.0)],
        ]
    )
    np.testing.assert_allclose(layer.dsigma(u), d_expected, rtol=1e-15)
    assert layer.kinks() == [(0.0,), (), (0.0,), ()]
    assert layer.complex_step


def test_a_uniform_layer_reports_its_name() -> None:
    layer = LayerActivation.build("softplus", 3, argument="activations[1]")
    assert layer.uniform and layer.label == "softplus" and layer.spec() == "softplus"
    assert layer == LayerActivation.build(["softplus"] * 3, 3, argument="a")


def test_a_layer_with_a_custom_unit_is_not_complex_step_safe() -> None:
    cube = Activation("cube", lambda u: u**3, lambda u: 3 * u**2)
    layer = LayerActivation.build(["tanh", cube], 2, argument="a")
    assert not layer.complex_step
    np.testing.assert_allclose(layer.dsigma(np.array([0.0, 2.0])), [1.0, 12.0])


@pytest.mark.parametrize(
    ("spec", "error", "words"),
    [
        (["relu", "tanh"], ValueError, r"activations\[2\].*one entry per unit \(3\), got 2"),
        (["relu", "tanh", "nope"], ValueError, r"activations\[2\]\[2\].*unknown activation"),
        (7, TypeError, r"activations\[2\].*expected a name"),
        (["relu", 1.5, "tanh"], TypeError, r"activations\[2\]\[1\]"),
    ],
)
def test_per_unit_layer_validation_names_the_argument(
    spec: object, error: type, words: str
) -> None:
    with pytest.raises(error, match=words):
        LayerActivation.build(spec, 3, argument="activations[2]")


def test_a_prebuilt_layer_of_the_wrong_width_is_refused() -> None:
    layer = LayerActivation.build("tanh", 2, argument="a")
    with pytest.raises(ValueError, match="has 2 units but the layer has 3"):
        LayerActivation.build(layer, 3, argument="a")
