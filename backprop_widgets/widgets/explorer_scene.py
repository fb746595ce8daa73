"""What the explorer derives: its network and its one sample (x, y), and where they come from.

W is drawn from the seed (``MLP(sizes, activations, seed=seed)``) or given (a network passed to
the explorer); x and y are drawn from the seed or given (``set_data``). Given ones are kept
while their shapes fit; "new x", "new y" and "new W" draw again, counting the draws, so that one
seed and one count always give the same scene. :class:`Scene` keeps this for one explorer (it
reads the explorer's traits, composition as in :mod:`.explorer_views`); the functions are
plain numpy.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from ..losses import get_loss
from ..network import MLP

if TYPE_CHECKING:  # pragma: no cover
    from .explorer import BackpropExplorer

__all__ = ["Scene", "check_sample", "draw_scene", "draw_y"]


class Scene:
    """The explorer's network and sample, and what they were drawn or given from.

    ``given_weights`` is ``(sizes, weights, biases)`` of a network the explorer was given;
    ``given_xy`` the x and/or y given with ``set_data`` (validated copies).
    """

    def __init__(self) -> None:
        self.draws = {"x": 0, "y": 0, "W": 0}
        self.given_weights: tuple[tuple[int, ...], list, list | None] | None = None
        self.given_xy: dict[str, np.ndarray] = {}
        self.net: MLP | None = None
        self.x: np.ndarray | None = None
        self.y: np.ndarray | None = None
        self._built: tuple | None = None
        self._drawn: tuple | None = None
        self._drawn_arrays: tuple[int, ...] = ()

    def start_from(
        self, net: Any, sizes: Any, activations: Any, seed: Any, bias: Any, loss: Any
    ) -> tuple[Any, Any, Any, Any, Any]:
        """Start from a given network: its weights are kept while the sizes fit them; returns
        its sizes, activations, seed, bias and loss (``bias`` and ``loss`` unless given)."""
        if not isinstance(net, MLP):
            raise TypeError(f"net: expected a backprop_widgets.MLP, got {type(net).__name__}")
        if sizes is not None or activations is not None:
            raise TypeError("net: pass either net or sizes/activations, not both")
        self.given_weights = (tuple(net.sizes), list(net.weights), net.biases)
        return (
            list(net.sizes),
            [a.units[0] if a.uniform else list(a.units) for a in net.activations],
            net.seed if net.seed is not None else seed,
            net.has_bias if bias is None else bias,
            net.loss_name if loss is None else loss,
        )

    @staticmethod
    def key(ex: BackpropExplorer) -> tuple:
        """What the scene is made from, as the explorer's traits say now."""
        acts = list(ex.activations)
        return (
            tuple(ex.sizes),
            tuple(map(id, acts)),
            repr(acts),
            int(ex.seed),
            bool(ex.bias),
            str(ex.loss),
        )

    def is_current(self, ex: BackpropExplorer) -> bool:
        """Whether the network was built from the explorer's traits and draws as they are."""
        return self._built == (self.key(ex), tuple(self.draws.values()))

    def build(self, ex: BackpropExplorer) -> None:
        """Make the network, x and y from the explorer's traits (:func:`draw_scene`).

        When only the activations changed, W, b, x and y are the ones drawn last time (the
        same arrays :func:`draw_scene` would draw again), so they are kept: the network is
        the last one with the new σ (``MLP.replace``). Weights set on that network from
        Python are not kept: they are drawn again, as before."""
        drawn = self._drawn_from(ex)
        net = self.net
        if net is not None and drawn == self._drawn and self._drawn_arrays == _arrays(net):
            self.net = net.replace(activations=list(ex.activations))
        else:
            self.net, self.x, self.y = draw_scene(
                tuple(ex.sizes),
                list(ex.activations),
                int(ex.seed),
                self.draws,
                self.given_weights,
                self.given_xy,
                bias=bool(ex.bias),
                loss=str(ex.loss),
            )
        self._drawn, self._drawn_arrays = drawn, _arrays(self.net)
        self._built = (self.key(ex), tuple(self.draws.values()))

    def _drawn_from(self, ex: BackpropExplorer) -> tuple:
        """What W, b, x and y are drawn (or given) from: everything but the activations."""
        given = sorted((k, id(v)) for k, v in self.given_xy.items())
        return (
            tuple(ex.sizes),
            int(ex.seed),
            bool(ex.bias),
            str(ex.loss),
            tuple(self.draws.values()),
            id(self.given_weights),
            tuple(given),
        )

    def reseed(self) -> None:
        """A new seed: W, x and y as drawn from it (nothing given is kept)."""
        self.given_weights = None
        self.given_xy.clear()
        self.draws = dict.fromkeys(self.draws, 0)

    def redraw(self, what: str) -> None:
        """Draw ``"x"``, ``"y"`` or ``"W"`` again (a given one is dropped)."""
        if what == "W":
            self.given_weights = None
        else:
            self.given_xy.pop(what, None)
        self.draws[what] += 1

    def give(self, x: Any = None, y: Any = None) -> None:
        """Use this x and/or y from now on (validated as one sample of the current network)."""
        given = check_sample(self.net, self.x if x is None else x, self.y if y is None else y)
        if x is not None:
            self.given_xy["x"] = given["x"]
        if y is not None:
            self.given_xy["y"] = given["y"]


def _arrays(net: MLP) -> tuple[int, ...]:
    """The identities of a network's W and b arrays: they change when either is set."""
    return tuple(map(id, net.weights + (net.biases or [])))


def draw_y(loss: str, n: int, key: tuple[int, ...]) -> np.ndarray:
    """A target y of width ``n`` that fits the loss, drawn from the seed sequence ``key``.

    Squared error: y ~ U(−1, 1). Cross-entropy: a one-hot vector (a class drawn uniformly;
    a probability vector, as the loss needs). Binary cross-entropy: labels in {0, 1}.
    """
    rng = np.random.default_rng(list(key))
    if loss == "cross_entropy":
        y = np.zeros(n)
        y[int(rng.integers(n))] = 1.0
        return y
    if loss == "binary_cross_entropy":
        return rng.integers(0, 2, n).astype(np.float64)
    return rng.uniform(-1, 1, n)


def draw_scene(
    sizes: tuple[int, ...],
    activations: list,
    seed: int,
    draws: dict[str, int],
    given_weights: tuple[tuple[int, ...], list[np.ndarray], list[np.ndarray] | None] | None,
    given_xy: dict[str, np.ndarray],
    *,
    bias: bool = False,
    loss: str = "squared_error",
) -> tuple[MLP, np.ndarray, np.ndarray]:
    """The network, x and y of a scene.

    W is ``MLP(sizes, activations, seed=seed)`` until "new W" is pressed (then a seed drawn
    from (seed, draw count)), or the weights the explorer was given while the sizes fit them
    (and their biases, while ``bias`` is on; otherwise biases start at zero, as ``MLP`` draws
    them). x ~ N(0, 1) is drawn from (seed, draw count) unless given and fitting; y is drawn
    by :func:`draw_y` to fit the loss unless a given y fits the width and the loss.
    """
    kw = {"bias": bias, "loss": loss}
    if given_weights is not None and given_weights[0] == sizes:
        biases = given_weights[2] if bias else None
        net = MLP(sizes, activations, weights=given_weights[1], biases=biases, seed=seed, **kw)
    elif draws["W"] == 0:
        net = MLP(sizes, activations, seed=seed, **kw)
    else:
        rng = np.random.default_rng([seed, 3, draws["W"]])
        net = MLP(sizes, activations, seed=int(rng.integers(2**31)), **kw)
    x = given_xy.get("x")
    if x is None or x.shape != (sizes[0],):
        x = np.random.default_rng([seed, 1, draws["x"]]).normal(size=sizes[0])
    y = given_xy.get("y")
    if y is not None and y.shape == (sizes[-1],):
        try:
            get_loss(loss).check_y(y)
        except ValueError:
            y = None
    if y is None or y.shape != (sizes[-1],):
        y = draw_y(loss, sizes[-1], (seed, 2, draws["y"]))
    return net, x, y


def check_sample(net: MLP, x: Any, y: Any) -> dict[str, np.ndarray]:
    """Validated copies of whichever of x, y is given, as one sample of ``net``."""
    out: dict[str, np.ndarray] = {}
    if x is not None:
        out["x"] = net.check_x(x)
        if out["x"].ndim != 1:
            raise ValueError(
                f"x: the explorer follows one sample; expected shape ({net.sizes[0]},), "
                f"got {out['x'].shape}"
            )
    if y is not None:
        probe_x = out.get("x", np.zeros(net.sizes[0]))
        out["y"] = net.check_xy(probe_x, y)[1]
    return out
