"""The static figures of the finite-difference checks (matplotlib, Agg backend)."""

from __future__ import annotations

import io
import subprocess
import sys

import matplotlib
import numpy as np
import pytest

matplotlib.use("Agg")

from matplotlib.figure import Figure

from backprop_widgets import MLP, Activation, plots
from backprop_widgets.gradcheck import (
    frechet_remainder,
    gradcheck,
    step_sweep,
)


def _tanh_prime(u: np.ndarray) -> np.ndarray:
    return 1.0 - np.tanh(u) ** 2


@pytest.fixture
def kinked_report():
    """Layer 1 is relu with unit 0 exactly at its kink; layer 2 has a wrong σ′."""
    W1 = np.array([[1.0, -1.0], [0.5, 0.2], [-0.3, 0.8]])
    W2 = np.array([[0.4, -0.7, 0.2], [0.9, 0.1, -0.5], [0.3, 0.3, 0.6], [-0.2, 0.8, 0.1]])
    W3 = np.array([[0.5, -0.5, 0.25, 1.0], [0.1, 0.7, -0.3, 0.2]])
    bad = Activation("bad", np.tanh, lambda u: 2.0 * _tanh_prime(u))
    net = MLP([2, 3, 4, 2], ["relu", bad, "identity"], weights=[W1, W2, W3])
    return gradcheck(net, np.array([0.5, 0.5]), np.array([1.0, -1.0]))


def _images(fig: Figure) -> list:
    return [ax for ax in fig.axes if ax.images]


def test_gradcheck_figure_has_a_row_per_layer_with_shared_scales(kinked_report) -> None:
    fig = plots.plot_gradcheck(kinked_report)
    assert isinstance(fig, Figure)
    images = _images(fig)
    assert len(images) == 3 * 3  # analytic | numeric | difference, three layers
    # one colour bar for analytic+numeric and one for the difference, per layer
    assert len(fig.axes) == 3 * 3 + 2 * 3
    for row, c in zip(np.reshape(images, (3, 3)), kinked_report.layers, strict=True):
        a, n, d = (ax.images[0] for ax in row)
        assert a.get_clim() == n.get_clim()
        lo, hi = a.get_clim()
        assert lo == -hi > -np.inf
        assert hi >= np.max(np.abs(c.analytic))
        dlo, dhi = d.get_clim()
        assert dlo == -dhi
        assert a.get_cmap().name == n.get_cmap().name == d.get_cmap().name == "RdBu_r"
        np.testing.assert_array_equal(np.asarray(a.get_array()), c.analytic)
        np.testing.assert_array_equal(np.asarray(n.get_array()), c.numeric)
        # the same sign as the explorer's difference heatmap
        np.testing.assert_array_equal(np.asarray(d.get_array()), c.analytic - c.numeric)
        assert f"ℓ = {c.layer}" in row[0].get_title()
    fig.savefig(io.BytesIO(), format="png")  # renders without error


def test_heatmap_axes_count_i_and_j_from_1_as_the_text_does(kinked_report) -> None:
    fig = plots.plot_gradcheck(kinked_report, layers=[2])  # W(2) is 4 × 3
    for ax in _images(fig):
        rows = [t.get_text() for t in ax.get_yticklabels()]
        cols = [t.get_text() for t in ax.get_xticklabels()]
        assert rows == ["1", "2", "3", "4"] and cols == ["1", "2", "3"]
        assert list(ax.get_yticks()) == [0, 1, 2, 3]  # label k + 1 at numpy's row k
        assert "from 0" not in ax.get_xlabel() + ax.get_ylabel()


def test_kinks_and_failures_are_marked(kinked_report) -> None:
    fig = plots.plot_gradcheck(kinked_report, layers=[1, 2])
    images = _images(fig)
    assert len(images) == 6
    first_row = images[:3]
    kinks = kinked_report.layer(1).kink
    for ax in first_row:
        marked = [c for c in ax.collections if c.get_label() == "kink"]
        assert len(marked) == 1
        # × at (column j, row i) of every flagged entry
        offsets = {tuple(p) for p in np.asarray(marked[0].get_offsets()).tolist()}
        assert offsets == {(float(j), float(i)) for i, j in zip(*np.nonzero(kinks), strict=True)}
    # layer 2 fails everywhere its σ′ is used: failing entries are outlined
    second_row = images[3:]
    assert any(len(c.get_offsets()) for c in second_row[0].collections)


def test_relative_kind_uses_a_sequential_scale_from_zero(kinked_report) -> None:
    fig = plots.plot_gradcheck(kinked_report, kind="relative", layers=[2])
    *_, r = (ax.images[0] for ax in _images(fig))
    lo, hi = r.get_clim()
    assert lo == 0 and hi >= kinked_report.layer(2).max_rel_error
    assert r.get_cmap().name == "viridis"


def test_a_single_layer_check_is_accepted(kinked_report) -> None:
    fig = plots.plot_gradcheck(kinked_report.layer(3))
    assert len(_images(fig)) == 3


def test_plot_gradcheck_rejects_bad_arguments(kinked_report) -> None:
    with pytest.raises(ValueError, match=r"^kind:"):
        plots.plot_gradcheck(kinked_report, kind="ratio")
    with pytest.raises(TypeError, match=r"^report_or_layercheck:"):
        plots.plot_gradcheck(np.zeros((2, 2)))
    partial = gradcheck(MLP([2, 2, 1], "tanh", seed=0), np.ones(2), np.zeros(1), layers=[2])
    with pytest.raises(ValueError, match=r"^layers:"):
        plots.plot_gradcheck(partial, layers=[1])


def test_step_sweep_figure_is_log_log_with_a_line_per_method() -> None:
    net = MLP([3, 4, 2], ["tanh", "sigmoid"], seed=4)
    sweep = step_sweep(net, np.ones(3), np.zeros(2), 1, 2, 1)
    fig = plots.plot_step_sweep(sweep)
    (ax,) = fig.axes
    assert ax.get_xscale() == ax.get_yscale() == "log"
    labels = [line.get_label() for line in ax.get_lines()]
    for method in ("forward", "central", "complex"):
        assert method in labels
    assert "∝ h" in labels and "∝ h²" in labels
    central = next(line for line in ax.get_lines() if line.get_label() == "central")
    np.testing.assert_array_equal(central.get_xdata(), sweep.h)
    fig.savefig(io.BytesIO(), format="png")


def test_remainder_figure_has_the_data_and_a_slope_one_reference() -> None:
    net = MLP([3, 4, 2], "tanh", seed=4)
    rem = frechet_remainder(net, np.ones(3), np.zeros(2))
    fig = plots.plot_remainder(rem)
    (ax,) = fig.axes
    assert ax.get_xscale() == ax.get_yscale() == "log"
    lines = {line.get_label(): line for line in ax.get_lines()}
    np.testing.assert_array_equal(lines["r(t)"].get_ydata(), rem.r)
    ref = lines["slope 1"]
    x, y = np.asarray(ref.get_xdata()), np.asarray(ref.get_ydata())
    slope = np.polyfit(np.log(x), np.log(y), 1)[0]
    assert slope == pytest.approx(1.0)
    assert f"{rem.slope:.2f}" in ax.get_title()
    fig.savefig(io.BytesIO(), format="png")


def test_bad_objects_are_refused() -> None:
    with pytest.raises(TypeError, match=r"^sweep:"):
        plots.plot_step_sweep(object())
    with pytest.raises(TypeError, match=r"^remainder:"):
        plots.plot_remainder(object())


def test_the_core_does_not_import_matplotlib() -> None:
    code = (
        "import sys, numpy as np\n"
        "import backprop_widgets as bw\n"
        "net = bw.MLP([2, 2, 1], 'tanh', seed=0)\n"
        "bw.gradcheck(net, np.ones(2), np.zeros(1))\n"
        "print('matplotlib' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
