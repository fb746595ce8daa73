"""The homework checks: right answers pass, wrong ones get the right feedback, nothing escapes.

The reference solutions below are written here, independently of the exercise bank, so a
passing check means two separate computations agree.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

import backprop_widgets as bw
from backprop_widgets import exercises

# --------------------------------------------------------------------------- reference solutions


def loss(z, y):
    return 0.5 * float(np.sum((z - y) ** 2))


def dE(z, y, h):
    return float(np.sum((z - y) * h))


def dsoftplus(u):
    e = np.exp(-np.abs(u))  # never e^u for a large u: the cases go to |u| = 800
    return np.where(u >= 0, 1.0, e) / (1.0 + e)


def apply_C3(H, z):
    return H @ z


def delta_L(z_L, y, dsigma_L):
    return dsigma_L * (z_L - y)


def delta_step(delta_next, W_next, dsigma):
    return dsigma * (W_next.T @ delta_next)


def _outer(d, z):
    return np.outer(d, z) if d.ndim == 1 else d @ z.T


def gradients(net, x, y):
    fw = net.forward(x)
    delta = delta_L(fw.z(net.L), y, fw.dsigma(net.L))
    out = []
    for ell in range(net.L, 0, -1):
        out.append(_outer(delta, fw.z(ell - 1)))
        if ell > 1:
            delta = delta_step(delta, net.W(ell), fw.dsigma(ell - 1))
    return out[::-1]


def directional_derivative(net, x, y, layer, H):
    return float(np.trace(net.gradients(x, y)[layer - 1].T @ H))


def fixed_dsigma(u):
    return 1.0 / (1.0 + np.exp(-3.0 * u))


def bias_gradients(net, x, y):
    fw = net.forward(x)
    delta = delta_L(fw.z(net.L), y, fw.dsigma(net.L))
    out = []
    for ell in range(net.L, 0, -1):
        out.append(delta if delta.ndim == 1 else delta.sum(axis=1))
        if ell > 1:
            delta = delta_step(delta, net.W(ell), fw.dsigma(ell - 1))
    return out[::-1]


def delta_L_softmax(u_L, y):
    e = np.exp(u_L - u_L.max(axis=0))
    return e / e.sum(axis=0) - y


SOLUTIONS: dict[str, Callable[..., Any]] = {
    "q1": loss,
    "q2": dE,
    "q3": dsoftplus,
    "q4": apply_C3,
    "q5": delta_L,
    "q6": delta_step,
    "q7": gradients,
    "q8": directional_derivative,
    "q9": fixed_dsigma,
    "q10": bias_gradients,
    "q11": delta_L_softmax,
}


def _case_count(exercise_id: str) -> int:
    n = 0
    while True:
        try:
            exercises.example_inputs(exercise_id, n)
        except ValueError:
            return n
        n += 1


def _reference_strings(exercise_id: str) -> set[str]:
    """String forms of every expected number of every case of an exercise."""
    forms: set[str] = set()
    for k in range(_case_count(exercise_id)):
        args = exercises.example_inputs(exercise_id, k)
        value = SOLUTIONS[exercise_id](**args)
        for v in np.ravel(
            np.concatenate([np.ravel(a) for a in value]) if isinstance(value, list) else value
        ):
            v = float(v)
            if abs(v) < 1e-3 or abs(v - round(v)) < 1e-9:
                continue  # 0, ±1 and the like are not secrets
            forms |= {repr(v), f"{v:.6g}", f"{v:.4f}", f"{v:.3e}"}
    return forms


def _assert_secret(result: exercises.CheckResult, exercise_id: str) -> None:
    text, page = str(result), result._repr_html_()
    leaked = [s for s in _reference_strings(exercise_id) if s in text or s in page]
    assert not leaked, f"feedback shows expected values {leaked[:3]}: {text}"


# --------------------------------------------------------------------------- the catalogue


def test_there_are_at_least_seven_exercises_with_everything_a_student_needs() -> None:
    # the bank (other tests define exercises of their own, which list_exercises() lists too)
    listed = [e for e in exercises.list_exercises() if e.builtin]
    assert len(listed) >= 7
    assert len({e.id for e in listed}) == len({e.name for e in listed}) == len(listed)
    for e in listed:
        assert e.title and e.statement and e.signature.startswith(e.name + "(")
    assert {e.id for e in listed} == set(SOLUTIONS)


@pytest.mark.parametrize("exercise_id", sorted(SOLUTIONS))
def test_the_reference_solution_passes(exercise_id: str) -> None:
    result = exercises.check(exercise_id, SOLUTIONS[exercise_id])
    assert result.passed, str(result)
    assert result and result.status == "pass" and "PASS" in str(result)
    assert 'data-status="pass"' in result._repr_html_()


@pytest.mark.parametrize("exercise_id", sorted(SOLUTIONS))
def test_cases_cover_a_batch_or_a_single_unit(exercise_id: str) -> None:
    shapes = []
    for k in range(_case_count(exercise_id)):
        for a in exercises.example_inputs(exercise_id, k).values():
            if isinstance(a, np.ndarray):
                shapes.append(a.shape)
    assert (1,) in shapes or any(len(s) == 2 for s in shapes)
    assert _case_count(exercise_id) >= 3


# --------------------------------------------------------------------------- typical wrong answers

WRONG: list[tuple[str, Callable[..., Any], list[str]]] = [
    ("q1", lambda z, y: float(np.sum((z - y) ** 2)), ["constant multiple", "2×", "½"]),
    ("q1", lambda z, y: 0.5 * float(np.linalg.norm(z - y)), ["off by"]),
    ("q2", lambda z, y, h: float(np.sum((y - z) * h)), ["wrong sign"]),
    ("q2", lambda z, y, h: np.dot(z - y, h), ["raised ValueError", "batch"]),
    ("q3", lambda u: np.exp(u) / (1.0 + np.exp(u)) ** 2, ["entries differ", "index"]),
    ("q3", lambda u: np.log1p(np.exp(u)), ["entries differ", "σ itself, not its derivative"]),
    ("q3", lambda u: np.exp(u) / (1.0 + np.exp(u)), ["NaN at index 4", "overflow", "710"]),
    ("q4", lambda H, z: H.T @ z, ["raised ValueError", "in <lambda>", "entries differ"]),
    ("q4", lambda H, z: 2 * (H @ z), ["constant multiple", "2×"]),
    ("q5", lambda z_L, y, dsigma_L: dsigma_L * (y - z_L), ["wrong sign"]),
    ("q5", lambda z_L, y, dsigma_L: z_L - y, ["entries differ"]),
    ("q5", lambda z_L, y, dsigma_L: np.diag(dsigma_L) @ (z_L - y), ["shape", "batch"]),
    ("q6", lambda delta_next, W_next, dsigma: dsigma * (W_next @ delta_next), ["raised"]),
    ("q6", lambda delta_next, W_next, dsigma: W_next.T @ delta_next, ["entries differ"]),
    ("q7", lambda net, x, y: [g.T for g in gradients(net, x, y)], ["transposed"]),
    ("q7", lambda net, x, y: gradients(net, x, y)[::-1], ["reverse order"]),
    ("q7", lambda net, x, y: gradients(net, x, y)[-1:], ["should be a list of"]),
    ("q7", lambda net, x, y: net.gradients(x, y), ["switched off"]),
    ("q7", lambda net, x, y: np.concatenate([g.ravel() for g in gradients(net, x, y)]), ["list"]),
    ("q8", lambda net, x, y, layer, H: net.gradients(x, y)[layer - 1] * H, ["single number"]),
    ("q8", lambda net, x, y, layer, H: -directional_derivative(net, x, y, layer, H), ["sign"]),
    ("q9", exercises.mystery_activation().df, ["constant multiple", "3×"]),
    ("q9", exercises.mystery_activation().f, ["σ itself, not its derivative"]),
    ("q10", lambda net, x, y: [g.sum(axis=1) for g in gradients(net, x, y)], ["entries differ"]),
    ("q10", lambda net, x, y: bias_gradients(net, x, y)[::-1], ["reverse order"]),
    ("q10", lambda net, x, y: net.backward(x, y).grads_b, ["switched off"]),
    ("q11", lambda u_L, y: np.exp(u_L) / np.exp(u_L).sum(axis=0), ["softmax(u) itself"]),
    ("q11", lambda u_L, y: -delta_L_softmax(u_L, y), ["wrong sign"]),
    (
        "q11",
        lambda u_L, y: np.exp(u_L) / np.exp(u_L).sum(axis=0) - y,
        ["NaN", "overflow", "case 3 of 5"],
    ),
]


@pytest.mark.parametrize(("exercise_id", "fn", "phrases"), WRONG)
def test_a_typical_wrong_answer_fails_with_the_right_feedback(
    exercise_id: str, fn: Callable[..., Any], phrases: list[str]
) -> None:
    result = exercises.check(exercise_id, fn)
    assert not result and not result.passed and result.status == "fail"
    text = str(result)
    assert "FAIL" in text
    for phrase in phrases:
        assert phrase in text, f"{phrase!r} missing from:\n{text}"
    page = result._repr_html_()
    assert 'data-status="fail"' in page
    _assert_secret(result, exercise_id)


def test_wrong_shape_says_expected_and_got() -> None:
    result = exercises.check("q4", lambda H, z: (H @ z).reshape(1, -1))
    assert "should be an array of shape (4,), got an array of shape (1, 4)" in str(result)


def test_a_transposed_gradient_is_named() -> None:
    result = exercises.check("q7", lambda net, x, y: [g.T for g in gradients(net, x, y)])
    assert "looks transposed" in str(result)
    _assert_secret(result, "q7")


def test_a_few_wrong_entries_are_listed_and_shown_in_a_heatmap_without_numbers() -> None:
    result = exercises.check("q3", lambda u: dsoftplus(u) + 0.25 * (u > 1))
    text, page = str(result), result._repr_html_()
    assert "entries differ" in text and "off by 2.5e-01" in text
    assert "<table" in page and "differs" in page
    _assert_secret(result, "q3")


# --------------------------------------------------------------------------- what a student may do


def _raises(u):
    return 1.0 / 0


def _returns_none(u):
    np.exp(u)


def _mutates(u):
    u *= 0.5
    return u


def _infinite(u):
    while True:
        pass


GENERIC: list[tuple[Callable[..., Any], list[str]]] = [
    (_raises, ["raised ZeroDivisionError", "division by zero", "in _raises, line", "1.0 / 0"]),
    (_returns_none, ["returned None", "return"]),
    (lambda u: u * np.nan, ["NaN at index"]),
    (lambda u: np.where(u > 0, np.inf, np.nan), ["NaN or inf"]),
    (lambda u: np.log(u), ["NaN", "numpy reported", "invalid value"]),
    (_mutates, ["changed its input u in place"]),
    (lambda u: "0.5", ["numpy array, got str"]),
    (lambda u: {"answer": u}, ["numpy array, got dict"]),
    (lambda u: u + 0j, ["complex"]),
    (lambda u: u > 0, ["booleans"]),
    (lambda u: [[1, 2], [3]], ["numpy array"]),
    (lambda u: 0.5, ["should be an array of shape"]),
    (lambda u: (_ for _ in ()).throw(SystemExit(3)), ["raised SystemExit"]),
    (lambda u: (_ for _ in ()).throw(KeyboardInterrupt()), ["raised KeyboardInterrupt"]),
]


@pytest.mark.parametrize(("fn", "phrases"), GENERIC)
def test_any_misbehaviour_becomes_feedback_and_never_escapes(
    fn: Callable[..., Any], phrases: list[str]
) -> None:
    result = exercises.check("q3", fn)
    assert not result.passed
    for phrase in phrases:
        assert phrase in str(result), f"{phrase!r} missing from:\n{result}"
    _assert_secret(result, "q3")


def test_changing_the_network_counts_as_changing_an_input() -> None:
    def sneaky(net, x, y, layer, H):
        value = directional_derivative(net, x, y, layer, H)
        net.set_W(layer, H)
        return value

    result = exercises.check("q8", sneaky)
    assert "changed its input net in place" in str(result)


def test_a_wrong_signature_is_explained() -> None:
    result = exercises.check("q2", lambda z, y: 0.0)
    assert "takes 2 positional arguments but 3 were given" in str(result)
    assert "should be dE(z, y, h)" in str(result)


def test_an_answer_as_a_list_of_numbers_is_accepted() -> None:
    assert exercises.check("q3", lambda u: dsoftplus(u).tolist()).passed


def test_a_number_where_an_array_is_expected_and_back() -> None:
    assert "single number" in str(exercises.check("q1", lambda z, y: np.array([loss(z, y)])))
    assert "bool" in str(exercises.check("q1", lambda z, y: True))
    assert "got str" in str(exercises.check("q1", lambda z, y: "1.0"))
    assert "NaN" in str(exercises.check("q1", lambda z, y: float("nan")))


def test_not_implemented_yet_is_a_kind_message() -> None:
    def loss(z, y):
        raise NotImplementedError("your code here")

    result = exercises.check("q1", loss)
    assert not result.passed and result.status == "todo"
    assert "not implemented yet" in result.message
    assert 'data-status="todo"' in result._repr_html_()


def test_a_runaway_loop_is_stopped_and_the_next_check_works() -> None:
    result = exercises.check("q3", _infinite, timeout=0.2)
    assert not result.passed
    assert "ran longer than 0.2 s" in str(result) and "case 1 of" in str(result)
    assert "_infinite" in str(result)  # where it was running
    assert exercises.check("q3", dsoftplus).passed


def test_pressing_stop_during_a_check_also_stops_the_function() -> None:
    import os
    import signal
    import threading

    before = set(threading.enumerate())
    timer = threading.Timer(0.3, os.kill, (os.getpid(), signal.SIGINT))
    timer.start()
    with pytest.raises(KeyboardInterrupt):
        exercises.check("q3", _infinite, timeout=30)
    timer.join()
    time.sleep(1.0)  # the interrupted loop needs a moment to unwind
    still_running = [
        t
        for t in set(threading.enumerate()) - before
        if t.name == "backprop-widgets-check" and t.is_alive()
    ]
    assert not still_running


def test_a_loop_that_swallows_the_interruption_is_given_up_on() -> None:
    def stubborn(u):
        end = time.monotonic() + 3.0
        while time.monotonic() < end:
            try:
                time.sleep(0.01)
            except BaseException:
                pass
        return u

    result = exercises.check("q3", stubborn, timeout=0.2)
    assert not result.passed
    assert "could not be stopped" in str(result)


def test_a_non_function_gets_a_clear_message() -> None:
    for thing in [42, None, "dsoftplus", np.zeros(3)]:
        result = exercises.check("q3", thing)
        assert not result.passed
        assert "expected your function dsoftplus" in result.message
        assert "without ( )" in result.message


def test_unknown_exercise_lists_the_known_ones() -> None:
    with pytest.raises(ValueError, match=r"exercise_id: .*q1, q2"):
        exercises.check("q99", dsoftplus)
    with pytest.raises(TypeError, match="exercise_id"):
        exercises.check(3, dsoftplus)  # type: ignore[arg-type]
    assert exercises.check(" Q3 ", dsoftplus).passed


@pytest.mark.parametrize(
    ("timeout", "error"),
    [(0, ValueError), (-1, ValueError), (float("nan"), ValueError), ("5", TypeError)],
)
def test_a_bad_timeout_is_refused(timeout: Any, error: type[Exception]) -> None:
    with pytest.raises(error, match="timeout"):
        exercises.check("q3", dsoftplus, timeout=timeout)


def test_html_escapes_everything_the_student_controls() -> None:
    def evil(u):
        raise ValueError("<img src=x onerror=alert(1)>")

    evil.__name__ = "<script>alert(2)</script>"
    evil.__code__ = evil.__code__.replace(co_name="<script>alert(2)</script>")
    result = exercises.check("q3", evil)
    page = result._repr_html_()
    assert "<img" not in page and "<script" not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page


def test_example_inputs_are_fresh_copies() -> None:
    first = exercises.example_inputs("q3")
    first["u"][...] = np.nan
    assert np.all(np.isfinite(exercises.example_inputs("q3")["u"]))
    assert exercises.check("q3", dsoftplus).passed
    with pytest.raises(ValueError, match="case"):
        exercises.example_inputs("q3", 99)
    with pytest.raises(TypeError, match="case"):
        exercises.example_inputs("q3", 1.5)  # type: ignore[arg-type]


# --------------------------------------------------------------------------- check_all


def test_check_all_reports_pass_fail_missing_and_not_done() -> None:
    def dE(z, y, h):
        raise NotImplementedError

    namespace = {"loss": loss, "dsoftplus": lambda u: u, "dE": dE}
    summary = exercises.check_all(namespace)
    status = {ex.id: summary._status(r) for ex, r in summary.rows}
    assert status["q1"] == "pass" and status["q3"] == "fail" and status["q2"] == "not done yet"
    assert status["q4"] == "missing"
    assert summary.passed == 1 and summary.total == len(SOLUTIONS) and not summary
    assert str(summary).startswith(f"1 of {len(SOLUTIONS)} exercises pass")
    assert 'data-exercise="q4"' in summary._repr_html_()


def test_check_all_with_every_solution_passes() -> None:
    summary = exercises.check_all(
        {exercises.list_exercises()[k].name: fn for k, fn in enumerate(SOLUTIONS.values())}
    )
    assert summary and summary.passed == summary.total


def test_check_all_without_a_namespace_reads_main(monkeypatch: pytest.MonkeyPatch) -> None:
    import __main__

    monkeypatch.setattr(__main__, "apply_C3", apply_C3, raising=False)
    summary = exercises.check_all()
    assert dict((ex.id, r) for ex, r in summary.rows)["q4"].passed
    with pytest.raises(TypeError, match="namespace"):
        exercises.check_all([apply_C3])  # type: ignore[arg-type]


# --------------------------------------------------------------------------- the mystery exercise


def test_the_mystery_reference_is_the_derivative_of_the_mystery_sigma() -> None:
    act = exercises.mystery_activation()
    u = np.linspace(-4, 4, 17)
    h = 1e-6
    central = (act.f(u + h) - act.f(u - h)) / (2 * h)
    np.testing.assert_allclose(fixed_dsigma(u), central, rtol=1e-6, atol=1e-9)
    assert not np.allclose(act.df(u), central)  # the bug is real


def test_the_fix_may_be_an_activation_whose_derivative_is_checked() -> None:
    act = exercises.mystery_activation()
    fixed = bw.Activation("soft3", act.f, fixed_dsigma)
    assert exercises.check("q9", fixed).passed
    result = exercises.check("q9", act)
    assert not result.passed and "3×" in str(result)


def test_gradcheck_finds_the_mystery_layer_and_passes_once_fixed() -> None:
    x, y = np.array([0.5, -1.0]), np.array([0.3])
    report = bw.gradcheck(exercises.mystery_network(), x, y)
    assert report.failed_layers == [1, 2]
    assert bw.gradcheck(exercises.mystery_network(dsigma=fixed_dsigma), x, y).ok
    with pytest.raises(TypeError, match="dsigma"):
        exercises.mystery_network(dsigma=3)  # type: ignore[arg-type]


def test_the_core_stays_jupyter_free() -> None:
    import subprocess
    import sys

    code = (
        "import sys, backprop_widgets.exercises\n"
        "print('matplotlib' in sys.modules, 'IPython' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False False"
