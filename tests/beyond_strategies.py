"""Hypothesis strategies for networks beyond the derivation (biases, softmax, cross-entropy,
mean reduction), and a finite-difference gradient written independently of the library's own
engine, shared by test_network_beyond.py and test_losses.py."""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st

from backprop_widgets import MLP

#: Smooth activations only, so the plain central differences below need no kink handling.
SMOOTH = ["tanh", "sigmoid", "sin", "softplus", "silu", "identity"]


@st.composite
def beyond_networks(
    draw: st.DrawFn, *, loss: str | None = None, max_layers: int = 4, max_width: int = 5
) -> tuple[MLP, np.ndarray, np.ndarray]:
    """(net, x, y): biases on or off, a loss with its output layer, sum or mean, a batch or
    one sample. Hidden layers may use softmax too."""
    loss = loss or draw(st.sampled_from(["squared_error", "cross_entropy", "binary_cross_entropy"]))
    L = draw(st.integers(1, max_layers))
    sizes = draw(st.lists(st.integers(1, max_width), min_size=L + 1, max_size=L + 1))
    if loss == "cross_entropy":
        sizes[-1] = max(2, sizes[-1])
    hidden = [draw(st.sampled_from([*SMOOTH, "softmax"])) for _ in range(L - 1)]
    output = {
        "cross_entropy": "softmax",
        "binary_cross_entropy": "sigmoid",
        "squared_error": draw(st.sampled_from([*SMOOTH, "softmax"])),
    }[loss]
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    bias = draw(st.booleans())
    reduction = draw(st.sampled_from(["sum", "mean"]))
    B = draw(st.one_of(st.none(), st.integers(1, 4)))
    biases = [rng.normal(0.0, 0.5, n) for n in sizes[1:]] if bias else None
    net = MLP(sizes, [*hidden, output], seed=seed, biases=biases, loss=loss, reduction=reduction)
    cols = () if B is None else (B,)
    x = rng.uniform(-2.0, 2.0, (sizes[0], *cols))
    if loss == "cross_entropy":
        if draw(st.booleans()):  # one-hot
            y = np.eye(sizes[-1])[:, rng.integers(0, sizes[-1], size=cols or None)]
        else:
            y = rng.dirichlet(np.ones(sizes[-1]), size=cols or None).T
    elif loss == "binary_cross_entropy":
        y = rng.uniform(0.0, 1.0, (sizes[-1], *cols))
    else:
        y = rng.uniform(-1.0, 1.0, (sizes[-1], *cols))
    return net, x, np.asarray(y, dtype=float)


def central_differences(
    net: MLP, x: np.ndarray, y: np.ndarray, h: float = 1e-6
) -> tuple[list[np.ndarray], list[np.ndarray] | None]:
    """∂E/∂W⁽ℓ⁾ and ∂E/∂b⁽ℓ⁾ by (E(p + h) − E(p − h)) / 2h, one parameter at a time, each E
    from ``net.replace(...).loss`` (the forward pass only)."""
    Ws = [W.copy() for W in net.weights]
    bs = None if net.biases is None else [b.copy() for b in net.biases]

    def E(Wp: list[np.ndarray], bp: list[np.ndarray] | None) -> float:
        if bp is None:
            return net.replace(weights=Wp).loss(x, y)
        return net.replace(weights=Wp, biases=bp).loss(x, y)

    grads = []
    for k, W in enumerate(Ws):
        G = np.zeros_like(W)
        for idx in np.ndindex(W.shape):
            plus, minus = [w.copy() for w in Ws], [w.copy() for w in Ws]
            plus[k][idx] += h
            minus[k][idx] -= h
            G[idx] = (E(plus, bs) - E(minus, bs)) / (2 * h)
        grads.append(G)
    if bs is None:
        return grads, None
    grads_b = []
    for k, b in enumerate(bs):
        g = np.zeros_like(b)
        for i in range(b.size):
            plus, minus = [c.copy() for c in bs], [c.copy() for c in bs]
            plus[k][i] += h
            minus[k][i] -= h
            g[i] = (E(Ws, plus) - E(Ws, minus)) / (2 * h)
        grads_b.append(g)
    return grads, grads_b
