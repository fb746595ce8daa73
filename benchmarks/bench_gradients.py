"""``net.gradients`` (the Δ recursion in numpy) against a bare numpy recursion and torch autograd.

Three networks, each with its own bare recursion (the same mathematics with no checks and no
result objects) and its own torch twin, float64:

* the derivation's: tanh layers, no biases, squared error;
* with biases: the same with u⁽ℓ⁾ = W⁽ℓ⁾ z⁽ℓ−1⁾ + b⁽ℓ⁾;
* softmax + cross-entropy: tanh hidden layers, a softmax output layer, E = −Σ y log z with
  one-hot y (the bare recursion starts at Δ⁽ᴸ⁾ = z − y; torch uses ``log_softmax``).

Sizes [4, 8, 8, 3] and [256, 256, 256, 10], one sample (the widgets' case) and a batch of 64
columns. The torch side keeps its parameter tensors (``requires_grad=True``) and input tensors
between calls and times forward + E + backward and reading the ``.grad`` arrays; ours times
``net.gradients(x, y)`` including its input checks. All results are compared before timing.

Run (torch is the ``bench`` extra, never needed by the tests):

    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE .venv/bin/python benchmarks/bench_gradients.py

(add ``--threads 1`` to pin numpy's BLAS and torch to one thread). The three contenders are
timed in alternation and the ratios taken round by round (see ``_common.interleaved``).
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import fmt_time, interleaved, limit_threads, machine, threads_argument

from backprop_widgets import MLP

CASES = [([4, 8, 8, 3], None), ([4, 8, 8, 3], 64), ([256, 256, 256, 10], None)]
CASES += [([256, 256, 256, 10], 64)]
VARIANTS = ("derivation", "biases", "softmax + cross-entropy")


def _net(variant: str, sizes: list[int]) -> MLP:
    if variant == "derivation":
        return MLP(sizes, "tanh", seed=0)
    rng = np.random.default_rng(2)
    if variant == "biases":
        return MLP(sizes, "tanh", seed=0, biases=[rng.normal(0, 0.1, n) for n in sizes[1:]])
    acts = ["tanh"] * (len(sizes) - 2) + ["softmax"]
    return MLP(sizes, acts, seed=0, loss="cross_entropy")


def _bare(variant: str, net: MLP) -> Callable[[np.ndarray, np.ndarray], list[np.ndarray]]:
    """The variant's Δ recursion in bare numpy: no checks, no result objects."""
    Ws = net.weights
    bs = net.biases
    L = len(Ws)

    def outer(delta: np.ndarray, z: np.ndarray) -> np.ndarray:
        return delta @ z.T if delta.ndim == 2 else np.outer(delta, z)

    def tanh_layers(x: np.ndarray, y: np.ndarray) -> list[np.ndarray]:
        zs, ds, z = [x], [], x
        for k, W in enumerate(Ws):
            u = W @ z
            if bs is not None:  # the "biases" network
                u += bs[k] if z.ndim == 1 else bs[k][:, None]
            z = np.tanh(u)
            zs.append(z)
            ds.append(1.0 - z * z)
        delta = ds[-1] * (z - y)
        grads = [outer(delta, zs[-2])]
        for k in range(L - 2, -1, -1):
            delta = ds[k] * (Ws[k + 1].T @ delta)
            grads.insert(0, outer(delta, zs[k]))
        return grads

    def softmax_ce(x: np.ndarray, y: np.ndarray) -> list[np.ndarray]:
        zs, ds, z = [x], [], x
        for W in Ws[:-1]:
            z = np.tanh(W @ z)
            zs.append(z)
            ds.append(1.0 - z * z)
        u = Ws[-1] @ z
        e = np.exp(u - np.max(u, axis=0))
        z = e / np.sum(e, axis=0)
        delta = z - y  # Jᵀ(−y ⊘ z) for softmax, y one-hot
        grads = [outer(delta, zs[-1])]
        for k in range(L - 2, -1, -1):
            delta = ds[k] * (Ws[k + 1].T @ delta)
            grads.insert(0, outer(delta, zs[k]))
        return grads

    return softmax_ce if variant == "softmax + cross-entropy" else tanh_layers


def _torch(variant: str, net: MLP, x: np.ndarray, y: np.ndarray):  # type: ignore[no-untyped-def]
    import torch

    ws = [torch.tensor(W, dtype=torch.float64, requires_grad=True) for W in net.weights]
    bs = None
    if net.biases is not None:
        shape = (-1,) if x.ndim == 1 else (-1, 1)
        bs = [
            torch.tensor(b.reshape(shape), dtype=torch.float64, requires_grad=True)
            for b in net.biases
        ]
    tx = torch.tensor(x, dtype=torch.float64)
    ty = torch.tensor(y, dtype=torch.float64)

    def gradients() -> list[np.ndarray]:
        for W in ws:
            W.grad = None
        z = tx
        for k, W in enumerate(ws):
            u = W @ z if bs is None else W @ z + bs[k]
            if variant == "softmax + cross-entropy" and k == len(ws) - 1:
                E = -torch.sum(ty * torch.log_softmax(u, dim=0))
                break
            z = torch.tanh(u)
        else:
            E = 0.5 * torch.sum((z - ty) ** 2)
        E.backward()
        return [W.grad.numpy() for W in ws]

    return gradients


def main() -> None:
    import torch

    limit_threads(threads_argument())

    print("## net.gradients against a bare numpy recursion and torch autograd, float64\n")
    print(machine())
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads\n")
    print(
        "| network | sizes | batch | ours: net.gradients | bare numpy | ours / bare "
        "| torch autograd | ours faster than torch by |"
    )
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    for variant in VARIANTS:
        for sizes, batch in CASES:
            net = _net(variant, sizes)
            rng = np.random.default_rng(1)
            shape = () if batch is None else (batch,)
            x = rng.normal(size=(sizes[0], *shape))
            if variant == "softmax + cross-entropy":
                y = np.eye(sizes[-1])[:, rng.integers(0, sizes[-1], size=batch or None)]
            else:
                y = rng.normal(size=(sizes[-1], *shape))
            bare_fn = _bare(variant, net)
            torch_fn = _torch(variant, net, x, y)

            def ours(net=net, x=x, y=y) -> list[np.ndarray]:
                return net.gradients(x, y)

            def bare(f=bare_fn, x=x, y=y) -> list[np.ndarray]:
                return f(x, y)

            for a, b, c in zip(ours(), bare(), torch_fn(), strict=True):
                np.testing.assert_allclose(a, b, rtol=1e-11, atol=1e-14)
                np.testing.assert_allclose(a, c, rtol=1e-10, atol=1e-13)
            funcs = {"ours": ours, "bare": bare, "torch": torch_fn}
            times, ratios = interleaved(funcs, rounds=21)
            print(
                f"| {variant} | {sizes} | {batch or 1} | {fmt_time(times['ours'])} | "
                f"{fmt_time(times['bare'])} | {1 / ratios['bare']:.2f}× | "
                f"{fmt_time(times['torch'])} | {ratios['torch']:.1f}× |",
                flush=True,
            )


if __name__ == "__main__":
    main()
