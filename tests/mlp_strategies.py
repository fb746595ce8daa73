"""Hypothesis strategies for random networks, shared by test_network.py and test_frechet.py."""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st

from backprop_widgets import MLP
from backprop_widgets.activations import BUILTIN_NAMES

#: Activations that are not twice differentiable at 0: a kink in σ (relu, leaky_relu) or in σ′
#: (elu, softsign). Finite differences must keep their pre-activations away from 0.
NOT_SMOOTH = {"relu", "leaky_relu", "elu", "softsign"}


@st.composite
def layer_activations(draw: st.DrawFn, widths: list[int]) -> list[str | list[str]]:
    """One entry per layer: a single name, or (about half the time) one name per unit."""
    out: list[str | list[str]] = []
    for n in widths:
        if draw(st.booleans()):
            out.append(draw(st.sampled_from(BUILTIN_NAMES)))
        else:
            out.append(draw(st.lists(st.sampled_from(BUILTIN_NAMES), min_size=n, max_size=n)))
    return out


@st.composite
def networks(
    draw: st.DrawFn, *, max_layers: int = 6, max_width: int = 8, batch: bool = True
) -> tuple[MLP, np.ndarray, np.ndarray]:
    """(net, x, y): a random architecture, activations and weights, one sample or a batch."""
    L = draw(st.integers(1, max_layers))
    sizes = draw(st.lists(st.integers(1, max_width), min_size=L + 1, max_size=L + 1))
    acts = draw(layer_activations(sizes[1:]))
    seed = draw(st.integers(0, 2**32 - 1))
    scale = draw(st.sampled_from([0.5, 1.0, 1.5]))
    B = draw(st.one_of(st.none(), st.integers(1, 4))) if batch else None
    rng = np.random.default_rng(seed)
    net = MLP(sizes, acts, seed=seed)
    net = net.with_weights([scale * W for W in net.weights])
    x_shape = (sizes[0],) if B is None else (sizes[0], B)
    y_shape = (sizes[-1],) if B is None else (sizes[-1], B)
    return net, rng.uniform(-2.0, 2.0, x_shape), rng.uniform(-1.0, 1.0, y_shape)


def min_distance_to_non_smooth_points(net: MLP, x: np.ndarray) -> float:
    """The smallest |uᵢ⁽ℓ⁾| over the units whose σ is not smooth at 0 (inf if there are none)."""
    fw = net.forward(x)
    smallest = np.inf
    for layer in range(1, net.L + 1):
        rows = [i for i, a in enumerate(net.sigma(layer).units) if a.name in NOT_SMOOTH]
        if rows:
            smallest = min(smallest, float(np.min(np.abs(fw.u(layer)[rows]))))
    return smallest
