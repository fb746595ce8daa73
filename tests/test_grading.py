"""The graded check in fresh processes: right answers pass; no cheat in this process earns a point.

Each cheat is done here, in the test's own process (standing in for the student's kernel),
with ``monkeypatch`` so that it is undone afterwards. Where the same cheat fools the in-process
``check``, the test shows that too: it is the reason ``grade`` exists.
"""

from __future__ import annotations

import runpy
import textwrap
from importlib.util import find_spec

import numpy as np
import pytest

import backprop_widgets as bw
from backprop_widgets import exercises

pytest.importorskip("cloudpickle")


def fresh_grade():
    """What a graded test cell does: load ``grade`` from disk, not from the imported package."""
    return runpy.run_path(find_spec("backprop_widgets.exercises.grading").origin)["grade"]


def dsoftplus(u):
    e = np.exp(-np.abs(u))
    return np.where(u >= 0, 1.0, e) / (1.0 + e)


def delta_L(z_L, y, dsigma_L):
    return dsigma_L * (z_L - y)


def delta_step(delta_next, W_next, dsigma):
    return dsigma * (W_next.T @ delta_next)


def gradients(net, x, y):
    fw = net.forward(x)
    delta = delta_L(fw.z(net.L), y, fw.dsigma(net.L))
    out = []
    for ell in range(net.L, 0, -1):
        z = fw.z(ell - 1)
        out.append(np.outer(delta, z) if delta.ndim == 1 else delta @ z.T)
        if ell > 1:
            delta = delta_step(delta, net.W(ell), fw.dsigma(ell - 1))
    return out[::-1]


def wrong_gradients(net, x, y):
    return [2 * g for g in gradients(net, x, y)]


def test_right_answers_pass_and_print_nothing(capsys) -> None:
    grade = fresh_grade()
    assert grade("q3", dsoftplus) is None
    assert grade("q7", gradients) is None
    act = bw.Activation(
        "fixed", exercises.mystery_activation().f, lambda u: 1 / (1 + np.exp(-3 * u))
    )
    assert grade("q9", act) is None  # an Activation is accepted where the exercise says so
    assert capsys.readouterr().out == ""


def test_a_wrong_answer_fails_with_the_same_feedback_as_check() -> None:
    with pytest.raises(AssertionError) as info:
        fresh_grade()("q7", wrong_gradients)
    assert str(info.value) == str(exercises.check("q7", wrong_gradients))
    with pytest.raises(AssertionError, match="not implemented yet"):
        fresh_grade()("q3", lambda u: (_ for _ in ()).throw(NotImplementedError()))
    with pytest.raises(AssertionError, match="expected your function dsoftplus, got int"):
        fresh_grade()("q3", 3)


def test_variants_reach_the_fresh_process() -> None:
    exercises.set_variant("carol")
    try:
        k = float(exercises.mystery_activation().name.removeprefix("soft"))
        fixed = lambda u: 1 / (1 + np.exp(-k * u))  # noqa: E731
        fresh_grade()("q9", fixed)  # the notebook's variant is the default
        fresh_grade()("q9", fixed, variant="carol")
        if k != 3.0:
            with pytest.raises(AssertionError):
                fresh_grade()("q9", fixed, variant=None)
    finally:
        exercises.set_variant(None)


# --------------------------------------------------------------------------- the cheats


def test_redefining_check_assert_passes_and_grade_earns_nothing(monkeypatch) -> None:
    passed = exercises.check("q3", dsoftplus)
    monkeypatch.setattr(exercises, "check", lambda *a, **k: passed)
    monkeypatch.setattr(exercises, "assert_passes", lambda *a, **k: passed)
    monkeypatch.setattr(exercises, "grade", lambda *a, **k: None)
    import backprop_widgets.exercises.grading as grading_module

    monkeypatch.setattr(grading_module, "grade", lambda *a, **k: None)
    assert exercises.assert_passes("q3", np.tanh) is passed  # fooled, in this process
    with pytest.raises(AssertionError, match="q3"):
        fresh_grade()("q3", np.tanh)


def test_monkeypatching_MLP_gradients_earns_nothing(monkeypatch) -> None:
    monkeypatch.setattr(bw.MLP, "gradients", _patched)
    assert exercises.check("q7", wrong_gradients).passed  # the in-process reference is fooled
    with pytest.raises(AssertionError, match=r"entries differ|constant multiple"):
        fresh_grade()("q7", wrong_gradients)


def _patched(self, x, y):
    # What a cheat installs: MLP.gradients now agrees with the wrong answer below.
    from backprop_widgets.network import MLP

    return [2 * g for g in MLP.backward(self, x, y).grads]


def test_monkeypatching_the_reference_earns_nothing() -> None:
    ex = exercises.get_exercise("q3")
    object.__setattr__(ex, "reference", np.tanh)  # the exercise is frozen; a cheat does not care
    try:
        assert exercises.check("q3", np.tanh).passed  # fooled, in this process
        with pytest.raises(AssertionError, match="q3"):
            fresh_grade()("q3", np.tanh)
    finally:
        object.__setattr__(ex, "reference", bw.activations.get_activation("softplus").df)
    assert exercises.check("q3", dsoftplus).passed


def _imports_the_reference(u):
    from backprop_widgets.exercises import get_exercise

    return get_exercise("q3").reference(u)


def _imports_the_bank(net, x, y):
    from backprop_widgets.exercises._bank import _gradients

    return _gradients(net, x, y)


def _uses_the_module_global(u):
    return exercises.get_exercise("q3").reference(u)


def _builds_a_full_network(net, x, y):
    return bw.MLP(list(net.sizes), net.activation_spec(), weights=net.weights).gradients(x, y)


@pytest.mark.parametrize(
    ("exercise_id", "cheat", "phrase"),
    [
        ("q3", _imports_the_reference, "not available to a submission"),
        ("q7", _imports_the_bank, "not available to a submission"),
        ("q3", _uses_the_module_global, "not available to a submission"),
        ("q7", _builds_a_full_network, "MLP.gradients is switched off"),
    ],
)
def test_returning_the_references_answer_by_importing_it_earns_nothing(
    exercise_id, cheat, phrase
) -> None:
    assert exercises.check(exercise_id, cheat).passed  # in this process the import works
    with pytest.raises(AssertionError) as info:
        fresh_grade()(exercise_id, cheat)
    assert phrase in str(info.value)


# --------------------------------------------------------------------------- an instructor's own


COURSE = textwrap.dedent(
    """
    import numpy as np
    from backprop_widgets import exercises

    def dtanh(u):
        return 1.0 - np.tanh(u) ** 2

    exercises.define(
        "c_dtanh", dtanh, lambda rng: [(rng.normal(size=4),), (np.array([0.0]),)],
        title="σ′ for tanh",
    )
    """
)


def _imports_the_course(u):
    import course_exercises

    return course_exercises.dtanh(u)


def test_an_instructors_exercise_is_graded_from_its_own_file(tmp_path, monkeypatch) -> None:
    (tmp_path / "course_exercises.py").write_text(COURSE, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.syspath_prepend(str(tmp_path))
    import course_exercises  # noqa: F401  (defines c_dtanh here too, as a notebook would)

    grade = fresh_grade()
    grade("c_dtanh", lambda u: 1 / np.cosh(u) ** 2, source="course_exercises")
    grade("c_dtanh", lambda u: 1 / np.cosh(u) ** 2, source="course_exercises.py")
    with pytest.raises(AssertionError, match="constant multiple"):
        grade("c_dtanh", lambda u: 2 / np.cosh(u) ** 2, source="course_exercises")
    assert exercises.check("c_dtanh", _imports_the_course).passed
    with pytest.raises(AssertionError, match="not available to a submission"):
        grade("c_dtanh", _imports_the_course, source="course_exercises")
    with pytest.raises(RuntimeError, match="unknown exercise"):
        grade("c_nope", np.tanh, source="course_exercises")


def _exits(u):
    import os

    os._exit(3)


def _chatty(u):
    print("hello from the submission " * 100)
    return dsoftplus(u)


def test_a_submission_that_kills_its_process_or_prints_is_judged_calmly() -> None:
    with pytest.raises(AssertionError, match="stopped the grading process"):
        fresh_grade()("q3", _exits)
    fresh_grade()("q3", _chatty)
