"""bw.Trainer: a view over the training loop. Play runs on an asyncio loop and never blocks."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Coroutine
from typing import Any

import numpy as np
import pytest

import backprop_widgets as bw
from backprop_widgets import MLP, datasets
from backprop_widgets.widgets._buffers import unpack


def _send(tr: bw.Trainer, **content: object) -> None:
    """A message from the front end, through ipywidgets' own dispatch."""
    tr._handle_custom_msg(content, [])


def _in_fresh_thread(fn: Callable[[], Any]) -> Any:
    """Run ``fn`` in a thread of its own, with no event loop running in it, and re-raise.

    A test run that includes the browser tests keeps Playwright's event loop running in the main
    thread; these tests are about a thread with no loop, or with one they start themselves.
    """
    result: dict[str, Any] = {}

    def target() -> None:
        try:
            result["value"] = fn()
        except BaseException as exc:
            result["error"] = exc

    thread = threading.Thread(target=target)
    thread.start()
    thread.join()
    if "error" in result:
        raise result["error"]
    return result.get("value")


def _run(scenario: Callable[[], Coroutine[Any, Any, Any]]) -> Any:
    """``asyncio.run(scenario())`` on a loop of its own (see :func:`_in_fresh_thread`)."""
    return _in_fresh_thread(lambda: asyncio.run(scenario()))


def _net(**kw: object) -> MLP:
    return MLP([2, 6, 1], "tanh", bias=True, seed=0, **kw)


def test_fit_history_accuracy_reset() -> None:
    tr = bw.Trainer(_net(), "circles", lr=0.5)
    assert tr.steps == 0 and tr.version >= 1 and not tr.running
    h = tr.fit(100)
    assert tr.steps == 100 and h.step[-1] == 100 and tr.history.train == h.train
    assert h.train[-1] < h.train[0]
    assert 0.0 <= tr.accuracy("test") <= 1.0
    assert tr.accuracy_test == pytest.approx(tr.accuracy("test"))
    curve = unpack(tr.curve["train"])
    np.testing.assert_allclose(curve, h.train)
    tr.reset()
    assert tr.steps == 0 and len(tr.history) == 1
    assert tr.fit(100).train == h.train  # the same run again


def test_data_is_encoded_for_the_output_layer() -> None:
    assert bw.Trainer(MLP([2, 3, 1], "tanh", seed=0), "xor").run.targets == "signed"
    sig = MLP([2, 3, 1], ["tanh", "sigmoid"], seed=0)
    assert bw.Trainer(sig, "moons").run.targets == "binary"
    soft = MLP([2, 3, 4], ["tanh", "softmax"], loss="cross_entropy", seed=0)
    tr = bw.Trainer(soft, "gaussians")
    assert tr.run.targets == "onehot" and tr.run.data[1].shape[0] == 4
    assert tr.picture["kind"] == "classes"


def test_data_as_arrays_and_dataset() -> None:
    d = datasets.make("spirals", n=60, targets="signed")
    tr4 = bw.Trainer(_net(), (d.X, d.Y, d.X_test, d.Y_test))
    tr2 = bw.Trainer(_net(), (d.X, d.Y))
    trd = bw.Trainer(_net(), d)
    assert tr4.run.targets == tr2.run.targets == trd.run.targets == "signed"
    with pytest.raises(ValueError, match="split: 'test' has no samples"):
        tr2.accuracy("test")
    with pytest.raises(TypeError, match="data: expected"):
        bw.Trainer(_net(), [d.X, d.Y])
    with pytest.raises(ValueError, match="data: 'sine' has 1 input"):
        bw.Trainer(_net(), "sine")
    with pytest.raises(ValueError, match="data: expected one of"):
        bw.Trainer(_net(), "squares")
    with pytest.raises(ValueError, match="lr"):
        bw.Trainer(_net(), "xor", lr=-1)
    with pytest.raises(ValueError, match="batch_size"):
        bw.Trainer(_net(), "xor", batch_size=1000)


def test_the_boundary_is_the_core_forward_pass_on_a_grid() -> None:
    tr = bw.Trainer(_net(), "circles", lr=0.5)
    tr.fit(50)
    score = unpack(tr.picture["score"])
    assert score.shape == (64, 64) and score.dtype == np.float32
    x0, x1, y0, y1 = tr.box
    # the top-left cell is (x0, y1); the targets are ±1, so the score is the output itself
    z = tr.net.forward(np.array([x0, y1])).output[0]
    assert score[0, 0] == pytest.approx(np.clip(z, -1, 1), abs=1e-6)
    z = tr.net.forward(np.array([x1, y0])).output[0]
    assert score[-1, -1] == pytest.approx(np.clip(z, -1, 1), abs=1e-6)
    sine = bw.Trainer(MLP([1, 8, 1], ["tanh", "identity"], bias=True, seed=0), "sine")
    assert set(sine.picture) == {"x", "y"} and sine.task == "regression"


def test_controls_from_the_page_apply_or_explain() -> None:
    tr = bw.Trainer(_net(), "circles")
    _send(tr, action="set", name="lr", value="0.25")
    assert tr.lr == 0.25 and tr.run.lr == 0.25 and tr.control_error == {}
    _send(tr, action="set", name="lr", value="-3")
    assert tr.lr == 0.25 and tr.control_error["name"] == "lr"
    assert "must be > 0" in tr.control_error["text"]
    _send(tr, action="set", name="batch_size", value="16")
    assert tr.batch_size == 16 and tr.run.batch_size == 16 and tr.control_error == {}
    _send(tr, action="set", name="batch_size", value="1e9")
    assert tr.batch_size == 16 and tr.control_error["name"] == "batch_size"
    _send(tr, action="set", name="batch_size", value="full")
    assert tr.batch_size is None and tr.run.batch_size is None
    _send(tr, action="step")
    assert tr.steps == 1
    _send(tr, action="reset")
    assert tr.steps == 0
    with pytest.raises(ValueError, match="lr"):
        tr.lr = 0


def test_divergence_is_shown() -> None:
    net = MLP([1, 8, 1], ["tanh", "identity"], seed=0)
    tr = bw.Trainer(net, "sine", lr=60)
    tr.fit(100)
    assert tr.message.startswith("Diverged at step") and "smaller learning rate" in tr.message
    assert np.all(np.isfinite(unpack(tr.curve["train"])))
    tr.reset()
    assert tr.message == ""


def test_play_needs_an_event_loop() -> None:
    tr = bw.Trainer(_net(), "xor")
    with pytest.raises(RuntimeError, match="fit"):
        _in_fresh_thread(tr.play)
    assert not tr.running


def test_play_yields_to_the_event_loop_and_pause_stops_it() -> None:
    async def scenario() -> None:
        tr = bw.Trainer(_net(), "spirals", lr=0.3)
        ticks = 0

        async def other_cell() -> None:
            nonlocal ticks
            while True:
                ticks += 1
                await asyncio.sleep(0.01)

        other = asyncio.get_running_loop().create_task(other_cell())
        version = tr.version
        tr.play()
        assert tr.running
        await asyncio.sleep(0.4)
        assert tr.steps > 0 and tr.version > version + 2  # repainted several times
        assert ticks >= 5  # the rest of the loop kept running meanwhile
        tr.pause()
        assert not tr.running
        frozen = tr.steps
        await asyncio.sleep(0.1)
        assert tr.steps == frozen
        assert tr.history.step[-1] == frozen
        other.cancel()

    _run(scenario)


def test_a_hundred_play_pause_toggles_end_consistent() -> None:
    async def scenario() -> None:
        tr = bw.Trainer(_net(), "moons", lr=0.3)
        seen = []
        loop = asyncio.get_running_loop()
        start = loop.time()
        for k in range(100):
            _send(tr, action="play" if k % 2 == 0 else "pause")
            await asyncio.sleep(0.02)
            seen.append(tr.steps)
        assert loop.time() - start < 5.0
        assert not tr.running and tr._task is None  # the last toggle was a pause
        assert seen == sorted(seen) and seen[-1] > 0
        await asyncio.sleep(0.05)
        assert tr.steps == seen[-1] == tr.history.step[-1]
        tr.play()
        await asyncio.sleep(0.05)
        tr.play()  # playing twice runs one loop
        await asyncio.sleep(0.05)
        tasks = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
        assert len(tasks) == 1
        tr.pause()
        await asyncio.sleep(0)

    _run(scenario)


def test_an_exception_in_the_loop_is_shown_and_stops_it() -> None:
    async def scenario() -> None:
        tr = bw.Trainer(_net(), "xor", lr=0.3)

        def broken() -> bool:
            raise RuntimeError("the step failed")

        tr.run.step = broken  # type: ignore[method-assign]
        tr.play()
        await asyncio.sleep(0.1)
        assert not tr.running
        assert "RuntimeError: the step failed" in tr.message

    _run(scenario)


def test_closing_or_losing_the_last_view_stops_the_loop() -> None:
    async def scenario() -> None:
        tr = bw.Trainer(_net(), "xor", lr=0.3)
        _send(tr, action="view", alive=True)
        tr.play()
        await asyncio.sleep(0.05)
        _send(tr, action="view", alive=False)  # the cell was run again / its output cleared
        assert not tr.running
        other = bw.Trainer(_net(), "xor", lr=0.3)
        other.play()
        await asyncio.sleep(0.05)
        other.close()
        assert not other.running
        frozen = other.steps
        await asyncio.sleep(0.05)
        assert other.steps == frozen

    _run(scenario)


def test_clicking_a_sample_opens_the_explorer_on_the_current_weights() -> None:
    tr = bw.Trainer(_net(), "circles", lr=0.5)
    tr.fit(20)
    _send(tr, action="pick", split="train", index=3)
    ex = tr.explorer
    assert isinstance(ex, bw.BackpropExplorer) and tr.picked == ["train", 3]
    X, Y, _, _ = tr.run.data
    np.testing.assert_array_equal(ex.x, X[:, 3])
    np.testing.assert_array_equal(ex.y, Y[:, 3])
    for a, b in zip(ex.net.weights, tr.net.weights, strict=True):
        np.testing.assert_array_equal(a, b)
    assert ex.net is not tr.net  # a copy: training on does not change what it derives
    assert tr._below.children == (ex,)
    tr.step()
    assert tr.explorer is ex  # a step keeps it; play or reset closes it
    tr.reset()
    assert tr.explorer is None and tr.picked == [] and tr._below.children == ()
    _send(tr, action="pick", split="test", index=10_000)
    assert "index: expected" in tr.message


def test_the_explorer_derives_the_trainers_network_biases_and_loss_included() -> None:
    plain = bw.Trainer(MLP([2, 6, 1], "tanh", seed=0), "spirals", lr=0.5)
    plain.fit(10)
    ex = plain.open_explorer(5)
    assert plain.message == ""
    np.testing.assert_allclose(ex.net.forward(ex.x).output, plain.net.forward(ex.x).output)
    biased = bw.Trainer(_net(), "circles", lr=0.5)
    biased.fit(10)
    ex = biased.open_explorer(5)
    assert biased.message == ""
    assert ex.net.has_bias and ex.bias and ex.loss == biased.net.loss_name
    for ell in (1, 2):
        np.testing.assert_array_equal(ex.net.W(ell), biased.net.W(ell))
        np.testing.assert_array_equal(ex.net.b(ell), biased.net.b(ell))
    np.testing.assert_allclose(ex.net.forward(ex.x).output, biased.net.forward(ex.x).output)
    # the explorer's gradient is this step's gradient of this network at (x, y)
    bp = biased.net.backward(ex.x, ex.y)
    np.testing.assert_allclose(ex.report.bias_layer(ex.layer).analytic[:, 0], bp.grad_b(ex.layer))
