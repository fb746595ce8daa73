"""bw.datasets: seeded toy data, samples as columns, targets that fit the loss."""

from __future__ import annotations

import importlib.util

import numpy as np
import pytest

import backprop_widgets as bw
from backprop_widgets import datasets


@pytest.mark.parametrize("name", datasets.NAMES)
def test_shapes_split_and_determinism(name: str) -> None:
    d = datasets.make(name, n=120, seed=3, test_fraction=0.25)
    X, Y, X_test, Y_test = d
    n0 = 1 if name == "sine" else 2
    assert X.shape == (n0, 90) and X_test.shape == (n0, 30)
    assert Y.shape == (1, 90) and Y_test.shape == (1, 30)
    assert X.dtype == np.float64 and np.all(np.isfinite(X)) and np.all(np.isfinite(Y))
    again = datasets.make(name, n=120, seed=3, test_fraction=0.25)
    for a, b in zip(d, again, strict=True):
        np.testing.assert_array_equal(a, b)
    other = datasets.make(name, n=120, seed=4, test_fraction=0.25)
    assert not np.array_equal(X, other.X)
    # the train and test parts are disjoint samples
    both = np.hstack([X, X_test])
    assert np.unique(both.round(12), axis=1).shape[1] == 120


@pytest.mark.parametrize("name", datasets.CLASSIFICATION)
def test_classification_targets_are_balanced_and_encoded(name: str) -> None:
    d = datasets.make(name, n=200, seed=0, test_fraction=0.0)
    assert d.targets == "binary" and d.classes == 2
    assert set(np.unique(d.Y)) == {0.0, 1.0}
    np.testing.assert_array_equal(d.Y[0], d.labels)
    assert abs(int(d.labels.sum()) - 100) == 0  # n/2 of each class
    signed = d.encoded("signed")
    np.testing.assert_array_equal(signed.Y, 2 * d.Y - 1)
    onehot = d.encoded("onehot")
    assert onehot.Y.shape == (2, 200)
    np.testing.assert_array_equal(onehot.Y.argmax(axis=0), d.labels)
    np.testing.assert_array_equal(onehot.Y.sum(axis=0), np.ones(200))


def test_inputs_are_centred_in_the_unit_square() -> None:
    for name in datasets.CLASSIFICATION:
        X = datasets.make(name, n=400, noise=0.0).X
        assert np.all(np.abs(X) <= 1.0 + 1e-12), name
        assert np.all(np.abs(X.mean(axis=1)) < 0.2), name


def test_xor_labels_are_even_and_spirals_odd() -> None:
    # the label of -x is the label of x for xor (so an odd network cannot fit it); for the
    # spirals -x lies on the other arm
    d = datasets.make("xor", n=400, noise=0.0, test_fraction=0.0)
    sign = np.sign(d.X[0] * d.X[1])
    np.testing.assert_array_equal(d.labels, (sign < 0).astype(int))
    circles = datasets.make("circles", n=400, noise=0.0, test_fraction=0.0)
    r = np.hypot(*circles.X)
    assert np.all(r[circles.labels == 1] < 0.46) and np.all(r[circles.labels == 0] > 0.69)


def test_gaussians_with_more_classes_are_onehot() -> None:
    d = datasets.make("gaussians", n=90, classes=3, test_fraction=0.0)
    assert d.targets == "onehot" and d.Y.shape == (3, 90) and d.classes == 3
    assert np.bincount(d.labels).tolist() == [30, 30, 30]
    with pytest.raises(ValueError, match="has 3 classes"):
        datasets.make("gaussians", classes=3, targets="binary")


def test_sine_is_regression() -> None:
    d = datasets.make("sine", n=100, noise=0.0, test_fraction=0.0)
    assert d.targets == "regression" and d.classes == 0 and d.labels is None
    np.testing.assert_allclose(d.Y, np.sin(np.pi * d.X))
    with pytest.raises(ValueError, match="regression"):
        d.encoded("binary")


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"name": "squares"}, "name: expected one of"),
        ({"name": "xor", "n": 2}, "n: "),
        ({"name": "xor", "n": 10.5}, "n: "),
        ({"name": "xor", "noise": -1}, "noise: "),
        ({"name": "xor", "seed": -1}, "seed: "),
        ({"name": "xor", "test_fraction": 1.0}, "test_fraction: "),
        ({"name": "xor", "targets": "probabilities"}, "targets: expected one of"),
        ({"name": "xor", "classes": 3}, "classes: only 'gaussians'"),
        ({"name": "gaussians", "classes": 1}, "classes: expected"),
        ({"name": "sine", "targets": "binary"}, "targets: 'sine' is a regression"),
    ],
)
def test_bad_arguments_name_themselves(kwargs: dict, match: str) -> None:
    with pytest.raises((ValueError, TypeError), match=match):
        datasets.make(**kwargs)


def test_targets_for_fits_the_output_layer() -> None:
    assert datasets.targets_for("softmax", 3) == "onehot"
    assert datasets.targets_for("sigmoid", 1, "binary_cross_entropy") == "binary"
    assert datasets.targets_for("sigmoid", 1) == "binary"
    assert datasets.targets_for("tanh", 1) == "signed"
    assert datasets.targets_for("identity", 2) == "onehot"


def test_package_exposes_datasets_lazily() -> None:
    assert bw.datasets is datasets


@pytest.mark.skipif(importlib.util.find_spec("sklearn") is None, reason="scikit-learn missing")
def test_digits() -> None:
    d = datasets.digits(seed=0)
    assert d.X.shape[0] == 64 and d.Y.shape[0] == 10
    assert d.X.shape[1] + d.X_test.shape[1] == 1797
    assert 0.0 <= d.X.min() and d.X.max() <= 1.0
    np.testing.assert_array_equal(d.Y.argmax(axis=0), d.labels)
    again = datasets.digits(seed=0)
    np.testing.assert_array_equal(d.X, again.X)


def test_digits_without_scikit_learn_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    import builtins

    real_import = builtins.__import__

    def no_sklearn(name: str, *args: object, **kwargs: object) -> object:
        if name.startswith("sklearn"):
            raise ImportError("No module named 'sklearn'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_sklearn)
    with pytest.raises(ImportError, match=r"backprop-widgets\[digits\]"):
        datasets.digits()
