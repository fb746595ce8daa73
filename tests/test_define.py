"""An instructor's own exercise: define() with every kind of feedback, refusals, and variants.

The exercise used here (σ′ of tanh) is not in the bank, so nothing below leans on the bank's
own cases; the reference is written in this file.
"""

from __future__ import annotations

import time

import numpy as np
import pytest

import backprop_widgets as bw
from backprop_widgets import exercises


def _dtanh(u):
    return 1.0 - np.tanh(u) ** 2


def _tanh_cases(rng):
    return [(rng.normal(size=5),), (np.array([0.0]),), (rng.normal(size=(2, 3)),)]


@pytest.fixture(scope="module")
def dtanh_exercise():
    return exercises.define(
        "t_dtanh",
        _dtanh,
        _tanh_cases,
        title="σ′ for tanh",
        signature="dtanh(u) -> array like u",
        mistakes={"This is tanh itself, not its derivative.": np.tanh},
    )


def test_define_returns_the_exercise_and_check_uses_it(dtanh_exercise) -> None:
    ex = dtanh_exercise
    assert isinstance(ex, exercises.Exercise)
    assert (ex.id, ex.name, ex.arguments, ex.title) == ("t_dtanh", "dtanh", ("u",), "σ′ for tanh")
    assert exercises.get_exercise("T_DTANH") is ex
    assert exercises.check("t_dtanh", lambda u: 1 / np.cosh(u) ** 2).passed
    assert ex in exercises.list_exercises()


def _missing_return(u):
    1.0 - np.tanh(u) ** 2


def _raises(u):
    return u.reshape(7, 7)


def _in_place(u):
    u **= 2
    return 1.0 - np.tanh(u)


def _forever(u):
    while True:
        pass


FEEDBACK = [
    (lambda u: (1.0 - np.tanh(u) ** 2).ravel()[:1], ["should be an array of shape"]),
    (lambda u: _dtanh(u) + 0.5 * (u > 0.5), ["entries differ", "off by 5.0e-01"]),
    (lambda u: 2 * _dtanh(u), ["constant multiple", "2×"]),
    (lambda u: u * np.nan, ["NaN at index"]),
    (_raises, ["raised ValueError", "in _raises, line", "u.reshape(7, 7)"]),
    (_in_place, ["changed its input u in place"]),
    (_missing_return, ["returned None", "return"]),
    (np.tanh, ["This is tanh itself, not its derivative."]),
]


@pytest.mark.parametrize(("fn", "phrases"), FEEDBACK)
def test_every_kind_of_feedback_works_for_an_instructors_exercise(
    dtanh_exercise, fn, phrases
) -> None:
    result = exercises.check("t_dtanh", fn)
    assert not result.passed
    for phrase in phrases:
        assert phrase in str(result), f"{phrase!r} missing from\n{result}"


def test_a_runaway_loop_in_an_instructors_exercise_is_stopped(dtanh_exercise) -> None:
    start = time.monotonic()
    result = exercises.check("t_dtanh", _forever, timeout=0.2)
    assert "ran longer than 0.2 s" in str(result) and time.monotonic() - start < 5


def test_tolerances_are_the_exercises_own() -> None:
    exercises.define(
        "t_loose", lambda u: u.copy(), lambda rng: [(rng.normal(size=3),)], signature="f(u)"
    )
    exercises.define(
        "t_looser",
        lambda u: u.copy(),
        lambda rng: [(rng.normal(size=3),)],
        signature="f(u)",
        rtol=1e-2,
    )
    assert not exercises.check("t_loose", lambda u: u * 1.001).passed
    assert exercises.check("t_looser", lambda u: u * 1.001).passed


def _nan_reference(u):
    return np.log(u)  # NaN for the negative cases


REFUSED = [
    (lambda u: 1 / 0, _tanh_cases, "ZeroDivisionError"),
    (_nan_reference, lambda rng: [(np.array([-1.0, 2.0]),)], "NaN or inf"),
    (lambda u: None, _tanh_cases, "returned None"),
    (lambda u: "x", _tanh_cases, "returned a str"),
    (_dtanh, lambda rng: [(np.random.normal(size=3),)], "same seed"),  # noqa: NPY002
    (_dtanh, lambda rng: [rng.normal(size=3)], "not a tuple"),
    (_dtanh, lambda rng: [], "non-empty list"),
    (_dtanh, lambda rng: [(1.0, 2.0)], "has 2 arguments"),
]


@pytest.mark.parametrize(("reference", "cases", "phrase"), REFUSED)
def test_a_broken_exercise_is_refused_when_defined(reference, cases, phrase) -> None:
    with pytest.raises((ValueError, TypeError), match="t_broken") as info:
        exercises.define("t_broken", reference, cases, signature="f(u)")
    assert phrase in str(info.value)
    with pytest.raises(ValueError, match="unknown exercise"):
        exercises.check("t_broken", _dtanh)


def test_define_names_the_argument_it_refuses() -> None:
    with pytest.raises(ValueError, match="built-in"):
        exercises.define("q3", _dtanh, _tanh_cases)
    with pytest.raises(ValueError, match="signature"):
        exercises.define("t_lambda", lambda u: u, _tanh_cases)
    with pytest.raises(TypeError, match="reference"):
        exercises.define("t_x", 3, _tanh_cases)
    with pytest.raises(TypeError, match="cases"):
        exercises.define("t_x", _dtanh, [(1.0,)])
    with pytest.raises(ValueError, match="rtol"):
        exercises.define("t_x", _dtanh, _tanh_cases, rtol=-1)
    with pytest.raises(ValueError, match="id"):
        exercises.define("two words", _dtanh, _tanh_cases)


def test_the_bank_is_made_with_define() -> None:
    import inspect

    from backprop_widgets.exercises import _bank

    source = inspect.getsource(_bank)
    assert source.count("\ndefine(") == len([e for e in exercises.list_exercises() if e.builtin])


# --------------------------------------------------------------------------- variants


def _all_args(exercise_id, variant):
    ex = exercises.get_exercise(exercise_id)
    return [a for c in ex.make_cases(variant) for a in c.args if isinstance(a, np.ndarray)]


@pytest.mark.parametrize("exercise_id", ["q1", "q3", "q7", "q11", "t_dtanh"])
def test_a_variant_changes_the_cases_and_the_same_variant_repeats_them(
    dtanh_exercise, exercise_id
) -> None:
    a, again = _all_args(exercise_id, "s1234567"), _all_args(exercise_id, "s1234567")
    b = _all_args(exercise_id, "s7654321")
    assert all(np.array_equal(x, y) for x, y in zip(a, again, strict=True))
    assert any(x.shape != y.shape or not np.array_equal(x, y) for x, y in zip(a, b, strict=True))


def test_the_same_variant_gives_the_same_cases_in_a_fresh_process() -> None:
    import subprocess
    import sys

    code = (
        "from backprop_widgets import exercises\n"
        "print(exercises.example_inputs('q3', 0, variant='alice')['u'].tolist())"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    here = exercises.example_inputs("q3", 0, variant="alice")["u"].tolist()
    assert out.stdout.strip() == str(here)


def test_check_passes_for_every_variant_with_a_right_answer() -> None:
    for variant in [None, 0, "alice", "s1234567"]:
        assert exercises.check("q4", lambda H, z: H @ z, variant=variant).passed


def test_set_variant_is_the_notebooks_default() -> None:
    try:
        exercises.set_variant("bob")
        assert exercises.get_variant() == "bob"
        bob = exercises.example_inputs("q1")["z"]
        assert np.array_equal(bob, exercises.example_inputs("q1", variant="bob")["z"])
        assert not np.array_equal(bob, exercises.example_inputs("q1", variant=None)["z"])
        assert exercises.mystery_network().sizes == exercises.mystery_network(variant="bob").sizes
    finally:
        exercises.set_variant(None)
    with pytest.raises(TypeError, match="variant"):
        exercises.set_variant(1.5)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="variant"):
        exercises.check("q1", lambda z, y: 0.0, variant=[1])


def _mystery_layer(net):
    return next(ell for ell in range(1, net.L + 1) if net.sigma(ell).units[0].name != "tanh")


def test_the_mystery_network_depends_on_the_variant_and_gradcheck_finds_its_layer() -> None:
    x, y = np.array([0.5, -1.0]), np.array([0.3])
    layers, factors = set(), set()
    for variant in [None, "a", "b", "c", "d", "e", "f", 17]:
        net = exercises.mystery_network(variant=variant)
        layer = _mystery_layer(net)
        layers.add(layer)
        factors.add(net.sigma(layer).units[0].name)
        assert bw.gradcheck(net, x, y).failed_layers == list(range(1, layer + 1)), variant
        act = exercises.mystery_activation(variant=variant)
        k = float(act.name.removeprefix("soft"))

        def fixed(u, k=k):
            return 1 / (1 + np.exp(-k * u))

        assert bw.gradcheck(exercises.mystery_network(fixed, variant=variant), x, y).ok
        assert exercises.check("q9", fixed, variant=variant).passed
        wrong = exercises.check("q9", act.df, variant=variant)
        assert not wrong.passed and f"about {k:g}×" in str(wrong)
    assert layers == {1, 2} and len(factors) > 1


# --------------------------------------------------------------------------- assert_passes


def test_assert_passes_raises_with_the_feedback_and_never_the_answer(dtanh_exercise) -> None:
    assert exercises.assert_passes("t_dtanh", _dtanh).passed
    with pytest.raises(AssertionError) as info:
        exercises.assert_passes("t_dtanh", lambda u: 2 * _dtanh(u), variant="zoe")
    text = str(info.value)
    assert "FAIL" in text and "2×" in text
    for case in exercises.get_exercise("t_dtanh").make_cases("zoe"):
        for v in np.ravel(case.expected):
            if abs(v) > 1e-3 and abs(v - 1) > 1e-9:
                assert f"{v:.4f}" not in text and repr(float(v)) not in text
