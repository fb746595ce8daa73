"""Seeded toy data for training: five 2-D classification sets, one 1-D regression, the digits.

Samples are columns, as everywhere in the core: ``X`` has shape ``(n(0), N)`` and ``Y`` shape
``(n(L), N)``. Every set is split into a training part and a test part, and its targets are
encoded to fit the output layer and the loss:

- ``"binary"``: one row of 0/1 (a sigmoid output, with squared error or binary cross-entropy);
- ``"signed"``: one row of −1/+1 (a tanh or identity output with squared error);
- ``"onehot"``: one row per class, a 1 in the row of the sample's class (a softmax output with
  cross-entropy, or any output with squared error);
- ``"regression"``: the ``sine`` set's real values.

The default for two classes is ``"binary"`` (0/1, the labels a reader expects), one-hot for more
than two classes. :class:`~backprop_widgets.Trainer` given a set by name picks the encoding that
fits its network (:func:`targets_for`).

The 2-D inputs lie in about [−1, 1]², centred on the origin; ``xor`` is even (the label of −x is
the label of x), which is why a network without biases and with an odd σ cannot learn it.

Plain numpy; imports nothing from Jupyter. :func:`digits` needs scikit-learn (the ``digits``
extra: ``pip install "backprop-widgets[digits]"``).
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from ._checks import check_seed

__all__ = ["CLASSIFICATION", "NAMES", "REGRESSION", "TARGETS", "Dataset", "digits", "make"]

CLASSIFICATION = ("xor", "circles", "moons", "spirals", "gaussians")
REGRESSION = ("sine",)
NAMES = CLASSIFICATION + REGRESSION
TARGETS = ("binary", "signed", "onehot")

#: The default noise of each set (its scale is that of the inputs, about 1).
DEFAULT_NOISE = {
    "xor": 0.05,
    "circles": 0.06,
    "moons": 0.08,
    "spirals": 0.04,
    "gaussians": 0.25,
    "sine": 0.1,
}


@dataclass(frozen=True)
class Dataset:
    """A training part and a test part, samples as columns, with how the targets are encoded.

    Unpacks as ``X, Y, X_test, Y_test = data``.

    Attributes
    ----------
    name : str
    X, Y : arrays, shapes (n(0), N) and (n(L), N)
        The training part.
    X_test, Y_test : arrays, shapes (n(0), N_test) and (n(L), N_test)
        The test part (N_test may be 0).
    targets : {"binary", "signed", "onehot", "regression"}
        How ``Y`` encodes the classes (see the module's docstring).
    classes : int
        The number of classes (0 for regression).
    labels, labels_test : int arrays or None
        The class of each sample (0-based), None for regression.
    """

    name: str
    X: np.ndarray
    Y: np.ndarray
    X_test: np.ndarray
    Y_test: np.ndarray
    targets: str
    classes: int
    labels: np.ndarray | None
    labels_test: np.ndarray | None

    def __iter__(self) -> Iterator[np.ndarray]:
        return iter((self.X, self.Y, self.X_test, self.Y_test))

    @property
    def n_inputs(self) -> int:
        """n(0), the width of an input."""
        return int(self.X.shape[0])

    @property
    def n_outputs(self) -> int:
        """n(L) that the targets need."""
        return int(self.Y.shape[0])

    def encoded(self, targets: str) -> Dataset:
        """The same samples with the targets encoded another way (see :data:`TARGETS`)."""
        if self.labels is None or self.labels_test is None:
            raise ValueError(f"targets: {self.name!r} is a regression set; it has no classes")
        check_targets(targets, self.classes)
        return Dataset(
            self.name,
            self.X,
            encode(self.labels, self.classes, targets),
            self.X_test,
            encode(self.labels_test, self.classes, targets),
            targets,
            self.classes,
            self.labels,
            self.labels_test,
        )

    def __repr__(self) -> str:
        return (
            f"Dataset({self.name!r}: X {self.X.shape}, Y {self.Y.shape}, X_test "
            f"{self.X_test.shape}, targets={self.targets!r}, classes={self.classes})"
        )


# --------------------------------------------------------------------------- encoding


def check_targets(targets: object, classes: int) -> str:
    """A target encoding allowed for ``classes`` classes."""
    if not isinstance(targets, str) or targets not in TARGETS:
        raise ValueError(f"targets: expected one of {list(TARGETS)}, got {targets!r}")
    if targets != "onehot" and classes != 2:
        raise ValueError(
            f"targets: {targets!r} encodes two classes in one row; this set has {classes} "
            "classes, use targets='onehot'"
        )
    return targets


def encode(labels: np.ndarray, classes: int, targets: str) -> np.ndarray:
    """Class labels 0..classes−1 as a target matrix with one column per sample."""
    labels = np.asarray(labels, dtype=np.int64)
    if targets == "binary":
        return labels[None, :].astype(np.float64)
    if targets == "signed":
        return (2.0 * labels - 1.0)[None, :]
    return np.eye(classes)[:, labels]


def targets_for(output_activation: str, n_outputs: int, loss: str = "squared_error") -> str:
    """The encoding that fits an output layer: one-hot for softmax, cross-entropy or several
    outputs; ±1 for an output that ranges over [−1, 1] (tanh and the like); 0/1 otherwise."""
    if n_outputs > 1 or output_activation == "softmax" or loss == "cross_entropy":
        return "onehot"
    if output_activation in ("tanh", "identity", "softsign", "linear"):
        return "signed"
    return "binary"


# --------------------------------------------------------------------------- the generators


def _xor(rng: np.random.Generator, n: int, noise: float) -> tuple[np.ndarray, np.ndarray]:
    # Uniform in the four quadrants, away from the axes; class 1 where the signs differ.
    labels = np.arange(n) % 2
    sx = rng.choice([-1.0, 1.0], size=n)
    sy = np.where(labels == 1, -sx, sx)
    X = np.vstack([sx * rng.uniform(0.1, 1.0, n), sy * rng.uniform(0.1, 1.0, n)])
    return X + noise * rng.standard_normal(X.shape), labels


def _circles(rng: np.random.Generator, n: int, noise: float) -> tuple[np.ndarray, np.ndarray]:
    # Class 1 is a disc of radius 0.45, class 0 a ring from 0.7 to 1.0 around it.
    labels = np.arange(n) % 2
    r = np.where(labels == 1, 0.45 * np.sqrt(rng.uniform(0, 1, n)), rng.uniform(0.7, 1.0, n))
    t = rng.uniform(0, 2 * math.pi, n)
    X = np.vstack([r * np.cos(t), r * np.sin(t)])
    return X + noise * rng.standard_normal(X.shape), labels


def _moons(rng: np.random.Generator, n: int, noise: float) -> tuple[np.ndarray, np.ndarray]:
    # Two interleaved half circles of radius 0.6, centred so that the set sits around 0.
    labels = np.arange(n) % 2
    t = rng.uniform(0, math.pi, n)
    x = np.where(labels == 0, np.cos(t), 1.0 - np.cos(t)) - 0.5
    y = np.where(labels == 0, np.sin(t), 0.5 - np.sin(t)) - 0.25
    X = 0.6 * np.vstack([x, y])
    return X + noise * rng.standard_normal(X.shape), labels


def _spirals(rng: np.random.Generator, n: int, noise: float) -> tuple[np.ndarray, np.ndarray]:
    # Two arms of 1.5 turns each, the second the first turned by π.
    labels = np.arange(n) % 2
    s = np.sqrt(rng.uniform(0.02, 1.0, n))
    angle = 3 * math.pi * s + math.pi * labels
    X = 0.95 * s * np.vstack([np.cos(angle), np.sin(angle)])
    return X + noise * rng.standard_normal(X.shape), labels


def _gaussians(
    rng: np.random.Generator, n: int, noise: float, classes: int
) -> tuple[np.ndarray, np.ndarray]:
    # One round blob per class, the centres evenly spaced on a circle of radius 0.55.
    labels = np.arange(n) % classes
    angle = 2 * math.pi * labels / classes + math.pi / 4
    X = 0.55 * np.vstack([np.cos(angle), np.sin(angle)])
    return X + noise * rng.standard_normal(X.shape), labels


def _sine(rng: np.random.Generator, n: int, noise: float) -> np.ndarray:
    return rng.uniform(-1.0, 1.0, (1, n))


# --------------------------------------------------------------------------- make


def make(
    name: str,
    n: int = 200,
    *,
    noise: float | None = None,
    seed: int | None = 0,
    test_fraction: float = 0.25,
    targets: str | None = None,
    classes: int | None = None,
) -> Dataset:
    """A seeded toy data set, split into training and test parts.

    Parameters
    ----------
    name : {"xor", "circles", "moons", "spirals", "gaussians", "sine"}
        The first five are 2-D classification (n(0) = 2), ``"sine"`` is 1-D regression:
        y = sin(πx) + noise for x in [−1, 1].
    n : int
        The number of samples, training and test together (at least 4).
    noise : float, optional
        The standard deviation of the Gaussian noise added to the inputs (to y for ``sine``).
        Defaults differ per set (:data:`DEFAULT_NOISE`).
    seed : int or None
        The same seed gives the same samples and the same split.
    test_fraction : float
        The share of the samples held out for testing, in [0, 1).
    targets : {"binary", "signed", "onehot"}, optional
        How the classes are encoded (classification only). Default: ``"binary"`` (one 0/1 row)
        for two classes, ``"onehot"`` for more.
    classes : int, optional
        The number of blobs of ``"gaussians"`` (default 2); the other sets have two classes.

    Returns
    -------
    Dataset
        Unpacks as ``X, Y, X_test, Y_test``; ``.targets`` says how ``Y`` is encoded.

    Examples
    --------
    >>> from backprop_widgets import datasets
    >>> X, Y, X_test, Y_test = datasets.make("xor", n=100, seed=1)
    >>> X.shape, Y.shape, X_test.shape
    ((2, 75), (1, 75), (2, 25))
    """
    if not isinstance(name, str) or name not in NAMES:
        raise ValueError(f"name: expected one of {list(NAMES)}, got {name!r}")
    if isinstance(n, bool) or not isinstance(n, numbers.Integral) or n < 4:
        raise ValueError(f"n: the number of samples must be an integer ≥ 4, got {n!r}")
    if n > 1_000_000:
        raise ValueError(f"n: at most 1,000,000 samples, got {n}")
    n = int(n)
    if noise is None:
        noise = DEFAULT_NOISE[name]
    if isinstance(noise, bool) or not isinstance(noise, numbers.Real) or not 0 <= noise < 10:
        raise ValueError(f"noise: expected a number in [0, 10), got {noise!r}")
    seed = check_seed(seed)
    test_fraction = _check_fraction(test_fraction)
    if classes is not None and name != "gaussians":
        raise ValueError(f"classes: only 'gaussians' takes a number of classes, not {name!r}")
    k = 2 if classes is None else classes
    if isinstance(k, bool) or not isinstance(k, numbers.Integral) or not 2 <= k <= 10:
        raise ValueError(f"classes: expected an integer from 2 to 10, got {classes!r}")
    k = int(k)

    rng = np.random.default_rng(seed)
    if name in REGRESSION:
        if targets is not None:
            raise ValueError("targets: 'sine' is a regression set; its targets are real numbers")
        X = _sine(rng, n, float(noise))
        Y = np.sin(math.pi * X) + float(noise) * rng.standard_normal(X.shape)
        labels = None
    else:
        if name == "gaussians":
            X, labels = _gaussians(rng, n, float(noise), k)
        else:
            X, labels = {"xor": _xor, "circles": _circles, "moons": _moons, "spirals": _spirals}[
                name
            ](rng, n, float(noise))
        if targets is None:
            targets = "binary" if k == 2 else "onehot"
        targets = check_targets(targets, k)
        Y = encode(labels, k, targets)
    order = rng.permutation(n)
    n_test = round(test_fraction * n)
    train, test = order[n_test:], order[:n_test]
    return Dataset(
        name,
        np.ascontiguousarray(X[:, train]),
        np.ascontiguousarray(Y[:, train]),
        np.ascontiguousarray(X[:, test]),
        np.ascontiguousarray(Y[:, test]),
        "regression" if labels is None else targets,
        0 if labels is None else k,
        None if labels is None else labels[train],
        None if labels is None else labels[test],
    )


def digits(
    *, seed: int | None = 0, test_fraction: float = 0.25, targets: str = "onehot"
) -> Dataset:
    """The 8×8 handwritten digits scikit-learn ships (1797 samples, 10 classes).

    Each column of ``X`` is one image, its 64 pixels row by row, scaled from 0..16 to [0, 1];
    ``Y`` is one-hot (10 rows), for a softmax output with cross-entropy. Shuffled and split with
    ``seed``. Needs scikit-learn: ``pip install "backprop-widgets[digits]"``.
    """
    try:
        from sklearn.datasets import load_digits
    except ImportError as exc:
        raise ImportError(
            "bw.datasets.digits() needs scikit-learn, which ships the digits; install it with "
            'pip install "backprop-widgets[digits]" (or pip install scikit-learn)'
        ) from exc
    seed = check_seed(seed)
    test_fraction = _check_fraction(test_fraction)
    check_targets(targets, 10)
    raw = load_digits()
    X = np.asarray(raw.data, dtype=np.float64).T / 16.0
    labels = np.asarray(raw.target, dtype=np.int64)
    n = labels.size
    order = np.random.default_rng(seed).permutation(n)
    n_test = round(test_fraction * n)
    train, test = order[n_test:], order[:n_test]
    return Dataset(
        "digits",
        np.ascontiguousarray(X[:, train]),
        encode(labels[train], 10, targets),
        np.ascontiguousarray(X[:, test]),
        encode(labels[test], 10, targets),
        targets,
        10,
        labels[train],
        labels[test],
    )


def _check_fraction(value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not 0 <= value < 1:
        raise ValueError(f"test_fraction: expected a number in [0, 1), got {value!r}")
    return float(value)
