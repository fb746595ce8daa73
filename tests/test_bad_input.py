"""Bad input at every public entry point: a clear error that names the argument, state kept.

One table for the whole public API, so a newcomer can see at a glance what each entry point
refuses. Each row: a call, the exception type, and words the message must contain (the
argument's name and, where it helps, what is allowed). Widgets are covered on the Python side
here; what a widget shows for bad control input is in tests/browser/.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
import traitlets

import backprop_widgets as bw
from backprop_widgets import frechet

NAN, INF = float("nan"), float("inf")


def _net() -> bw.MLP:
    return bw.MLP([2, 3, 1], ["tanh", "identity"], seed=0)


X, Y = np.array([0.3, -0.4]), np.array([0.2])


def _ok_f(u: np.ndarray) -> np.ndarray:
    return u


# (id, call, exception type, words the message must contain)
ROWS: list[tuple[str, Callable[[], Any], type[BaseException], tuple[str, ...]]] = [
    # --- MLP: sizes
    ("sizes zero", lambda: bw.MLP([2, 0, 1], "tanh"), ValueError, ("sizes[1]", "at least 1")),
    ("sizes negative", lambda: bw.MLP([-1, 2], "tanh"), ValueError, ("sizes[0]",)),
    ("sizes float", lambda: bw.MLP([2, 2.5], "tanh"), TypeError, ("sizes[1]", "integer")),
    ("sizes string entry", lambda: bw.MLP(["3", 2], "tanh"), TypeError, ("sizes[0]",)),
    ("sizes bool", lambda: bw.MLP([True, 2], "tanh"), TypeError, ("sizes[0]",)),
    ("sizes a string", lambda: bw.MLP("3,2", "tanh"), TypeError, ("sizes",)),
    ("sizes empty", lambda: bw.MLP([], "tanh"), ValueError, ("sizes", "at least two")),
    ("sizes one width", lambda: bw.MLP([3], "tanh"), ValueError, ("sizes",)),
    ("sizes None", lambda: bw.MLP(None, "tanh"), TypeError, ("sizes",)),
    ("sizes huge", lambda: bw.MLP([10**9, 2], "tanh"), ValueError, ("sizes[0]", "at most")),
    ("too many weights", lambda: bw.MLP([4000, 4000, 4000], "tanh"), ValueError, ("weights",)),
    # --- MLP: activations, seed, weights
    ("unknown activation", lambda: bw.MLP([2, 2], "relux"), ValueError, ("relux", "tanh")),
    ("activations count", lambda: bw.MLP([2, 2, 2], ["tanh"]), ValueError, ("activations",)),
    ("activation number", lambda: bw.MLP([2, 2], [5]), TypeError, ("activations[0]",)),
    ("per-unit count", lambda: bw.MLP([2, 3], [["tanh"] * 2]), ValueError, ("one entry per unit",)),
    ("seed negative", lambda: bw.MLP([2, 2], "tanh", seed=-1), ValueError, ("seed",)),
    ("seed float", lambda: bw.MLP([2, 2], "tanh", seed=1.5), TypeError, ("seed",)),
    ("weights count", lambda: bw.MLP([2, 2], "tanh", weights=[]), ValueError, ("weights",)),
    (
        "weights shape",
        lambda: bw.MLP([2, 3], "tanh", weights=[np.zeros((2, 3))]),
        ValueError,
        ("weights[0]", "(3, 2)"),
    ),
    (
        "weights NaN",
        lambda: bw.MLP([1, 1], "tanh", weights=[[[NAN]]]),
        ValueError,
        ("weights[0]", "finite"),
    ),
    (
        "weights strings",
        lambda: bw.MLP([1, 1], "tanh", weights=[[["a"]]]),
        TypeError,
        ("weights[0]", "numbers"),
    ),
    # --- Activation
    ("activation no name", lambda: bw.Activation("", _ok_f, _ok_f), TypeError, ("name",)),
    ("activation f", lambda: bw.Activation("a", 1, _ok_f), TypeError, ("f must be callable",)),
    # --- forward / loss / gradients
    ("x shape", lambda: _net().forward([1.0, 2.0, 3.0]), ValueError, ("x", "(2,)")),
    ("x NaN", lambda: _net().forward([NAN, 0.0]), ValueError, ("x", "finite")),
    ("x inf", lambda: _net().loss([INF, 0.0], Y), ValueError, ("x", "finite")),
    ("x string", lambda: _net().forward("12"), TypeError, ("x",)),
    ("x complex", lambda: _net().forward([1j, 0.0]), TypeError, ("x", "real")),
    ("x object", lambda: _net().forward([object(), 1.0]), TypeError, ("x",)),
    ("y shape", lambda: _net().loss(X, [0.1, 0.2]), ValueError, ("y", "(1,)")),
    ("y NaN", lambda: _net().gradients(X, [NAN]), ValueError, ("y", "finite")),
    (
        "y batch mismatch",
        lambda: _net().backward(np.zeros((2, 3)), np.zeros((1, 2))),
        ValueError,
        ("y",),
    ),
    ("layer 0", lambda: _net().W(0), ValueError, ("layer", "1..2")),
    ("layer too big", lambda: _net().W(3), ValueError, ("layer",)),
    ("layer float", lambda: _net().W(1.0), TypeError, ("layer",)),
    # --- gradcheck and the finite-difference studies
    (
        "gradcheck method",
        lambda: bw.gradcheck(_net(), X, Y, method="backward"),
        ValueError,
        ("method", "central"),
    ),
    ("gradcheck h zero", lambda: bw.gradcheck(_net(), X, Y, h=0.0), ValueError, ("h",)),
    ("gradcheck h NaN", lambda: bw.gradcheck(_net(), X, Y, h=NAN), ValueError, ("h",)),
    ("gradcheck h string", lambda: bw.gradcheck(_net(), X, Y, h="small"), TypeError, ("h",)),
    ("gradcheck layers", lambda: bw.gradcheck(_net(), X, Y, layers=[3]), ValueError, ("layer",)),
    ("gradcheck x", lambda: bw.gradcheck(_net(), [1.0], Y), ValueError, ("x",)),
    ("gradcheck net", lambda: bw.gradcheck("net", X, Y), TypeError, ("net",)),
    ("step sweep index", lambda: bw.step_sweep(_net(), X, Y, 1, 5, 0), ValueError, ("i",)),
    (
        "remainder direction",
        lambda: bw.frechet_remainder(_net(), X, Y, H=[np.zeros(2)]),
        ValueError,
        ("H",),
    ),
    # --- the Fréchet pieces
    ("C1 shapes", lambda: frechet.C1([1.0, 2.0], [1.0]), ValueError, ("y",)),
    ("C1 NaN", lambda: frechet.C1([NAN], [1.0]), ValueError, ("finite",)),
    ("C3 n_out", lambda: frechet.C3([1.0, 2.0], 0), ValueError, ("n_out",)),
    ("apply shape", lambda: frechet.C1([1.0, 2.0], [0.0, 0.0]).apply([1.0]), ValueError, ("h",)),
    ("chain layer", lambda: frechet.chain(_net(), X, Y, 0), ValueError, ("layer",)),
    (
        "pieces batch",
        lambda: frechet.pieces(_net(), np.zeros((2, 3)), np.zeros((1, 3))),
        ValueError,
        ("sample",),
    ),
    ("counts sizes", lambda: frechet.multiply_add_counts([2, 0]), ValueError, ("sizes",)),
    # --- exercises (the checker's own arguments; a student's function never raises out)
    ("exercise id", lambda: bw.exercises.check("q99", _ok_f), ValueError, ("q99", "q1")),
    (
        "exercise timeout",
        lambda: bw.exercises.check("q1", _ok_f, timeout=-1),
        ValueError,
        ("timeout",),
    ),
    # --- widgets (Python side)
    ("diagram net", lambda: bw.NetworkDiagram("net"), TypeError, ("net",)),
    (
        "diagram show",
        lambda: bw.NetworkDiagram(_net(), show="both"),
        ValueError,
        ("show", "weights"),
    ),
    (
        "diagram gradients need data",
        lambda: bw.NetworkDiagram(_net(), show="gradients"),
        ValueError,
        ("x",),
    ),
    ("explorer sizes zero", lambda: bw.BackpropExplorer(sizes=[2, 0, 1]), ValueError, ("sizes",)),
    ("explorer too deep", lambda: bw.BackpropExplorer(sizes=[2] * 10), ValueError, ("sizes", "8")),
    (
        "explorer too wide",
        lambda: bw.BackpropExplorer(sizes=[2, 65, 1]),
        ValueError,
        ("sizes", "64"),
    ),
    (
        "explorer activation",
        lambda: bw.BackpropExplorer(sizes=[2, 2], activations=["nope"]),
        ValueError,
        ("nope",),
    ),
    ("explorer x", lambda: bw.BackpropExplorer(sizes=[2, 2], x=[1.0]), ValueError, ("x",)),
    ("explorer net", lambda: bw.BackpropExplorer(net="net"), TypeError, ("net",)),
]


@pytest.mark.parametrize(("call", "kind", "words"), [r[1:] for r in ROWS], ids=[r[0] for r in ROWS])
def test_bad_input_is_refused_clearly(
    call: Callable[[], Any], kind: type[BaseException], words: tuple[str, ...]
) -> None:
    with pytest.raises(kind) as info:
        call()
    message = str(info.value)
    for word in words:
        assert word in message, f"{word!r} missing from: {message}"


# --------------------------------------------------------------------------- state is kept


def _snapshot(net: bw.MLP) -> tuple:
    return (net.sizes, net.activation_spec(), [w.copy() for w in net.weights])


def _same(a: tuple, b: tuple) -> bool:
    return (
        a[0] == b[0]
        and a[1] == b[1]
        and all(np.array_equal(p, q) for p, q in zip(a[2], b[2], strict=True))
    )


@pytest.mark.parametrize(
    "mutate",
    [
        lambda n: setattr(n, "weights", [np.zeros((3, 2)), np.full((1, 3), NAN)]),
        lambda n: setattr(n, "weights", [np.zeros((3, 2))]),
        lambda n: n.set_W(2, np.zeros((3, 1))),
        lambda n: setattr(n, "activations", ["tanh", "nope"]),
        lambda n: n.reinitialize(seed=-5),
    ],
    ids=["weights NaN", "weights count", "set_W shape", "activation name", "reinitialize seed"],
)
def test_a_failed_change_leaves_the_network_as_it_was(mutate: Callable[[bw.MLP], None]) -> None:
    net = _net()
    before = _snapshot(net)
    heard: list[int] = []
    net.subscribe(lambda _: heard.append(1))
    with pytest.raises((ValueError, TypeError)):
        mutate(net)
    assert _same(before, _snapshot(net))
    assert heard == []


@pytest.mark.parametrize(
    ("trait", "value"),
    [
        ("sizes", [2, 0, 1]),
        ("sizes", [2] * 10),
        ("sizes", "big"),
        ("layer", 0),
        ("layer", 7),
        ("selected", (1, 9, 9)),
        ("selected", "w11"),
        ("heatmap_kind", "ratio"),
        ("activations", ["tanh", "nope", "identity"]),
    ],
)
def test_a_refused_explorer_trait_keeps_the_old_state(trait: str, value: Any) -> None:
    ex = bw.BackpropExplorer(sizes=[2, 3, 3, 1], seed=1)
    before = {k: getattr(ex, k) for k in ("sizes", "activations", "layer", "selected")}
    grads = [g.copy() for g in ex.net.gradients(ex.x, ex.y)]
    with pytest.raises((traitlets.TraitError, ValueError, TypeError)) as info:
        setattr(ex, trait, value)
    assert trait in str(info.value) or trait.rstrip("s") in str(info.value)
    assert {k: getattr(ex, k) for k in before} == before
    assert all(
        np.array_equal(a, b) for a, b in zip(grads, ex.net.gradients(ex.x, ex.y), strict=True)
    )


@pytest.mark.parametrize(("trait", "value"), [("selected", (0, 0, 0)), ("show", "both")])
def test_a_refused_diagram_trait_keeps_the_old_value(trait: str, value: Any) -> None:
    d = bw.NetworkDiagram(_net())
    before = getattr(d, trait)
    with pytest.raises((traitlets.TraitError, ValueError)):
        setattr(d, trait, value)
    assert getattr(d, trait) == before


@pytest.mark.parametrize(
    "student",
    [
        lambda z, y: 1 / 0,
        lambda z, y: None,
        lambda z, y: "a string",
        lambda z, y: float("nan"),
        "not a function",
    ],
    ids=["raises", "returns None", "wrong type", "NaN", "not callable"],
)
def test_a_student_function_gets_feedback_never_an_exception(student: Any) -> None:
    result = bw.exercises.check("q1", student)
    assert not result.passed
    assert result.message
