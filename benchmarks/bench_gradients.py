"""``net.gradients`` (the Δ recursion in numpy) against torch autograd, float64 tanh networks.

Sizes [4, 8, 8, 3] and [256, 256, 256, 10], no biases, the same weights, x and y for both, one
sample (the widgets' case) and a batch of 64 columns. The torch side keeps its weight tensors
(``requires_grad=True``) and input tensors between calls and times forward + E + backward and
reading the ``.grad`` arrays; ours times ``net.gradients(x, y)`` including its input checks.
Both results are compared before timing.

Run (torch is the ``bench`` extra, never needed by the tests):

    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE .venv/bin/python benchmarks/bench_gradients.py

(add ``--threads 1`` to pin numpy's BLAS and torch to one thread). Both are timed in
alternation and the ratio taken round by round (see ``_common.interleaved``).
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import fmt_time, interleaved, limit_threads, machine, threads_argument

from backprop_widgets import MLP

CASES = [([4, 8, 8, 3], None), ([4, 8, 8, 3], 64), ([256, 256, 256, 10], None)]
CASES += [([256, 256, 256, 10], 64)]


def main() -> None:
    import torch

    limit_threads(threads_argument())

    print("## net.gradients against torch autograd, tanh, float64\n")
    print(machine())
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads\n")
    print(
        "| sizes | batch | ours: net.gradients | torch autograd | ours faster by (median ratio) "
        "| bare numpy (its ratio to torch) |"
    )
    print("| --- | --- | --- | --- | --- | --- |")
    for sizes, batch in CASES:
        net = MLP(sizes, "tanh", seed=0)
        rng = np.random.default_rng(1)
        shape = () if batch is None else (batch,)
        x = rng.normal(size=(sizes[0], *shape))
        y = rng.normal(size=(sizes[-1], *shape))

        ws = [torch.tensor(W, dtype=torch.float64, requires_grad=True) for W in net.weights]
        tx = torch.tensor(x, dtype=torch.float64)
        ty = torch.tensor(y, dtype=torch.float64)

        def torch_gradients(ws=ws, tx=tx, ty=ty) -> list[np.ndarray]:
            for W in ws:
                W.grad = None
            z = tx
            for W in ws:
                z = torch.tanh(W @ z)
            E = 0.5 * torch.sum((z - ty) ** 2)
            E.backward()
            return [W.grad.numpy() for W in ws]

        def ours(net=net, x=x, y=y) -> list[np.ndarray]:
            return net.gradients(x, y)

        def bare(Ws=net.weights, x=x, y=y) -> list[np.ndarray]:
            """The same Δ recursion in bare numpy: no checks, no result objects."""
            zs, ds, z = [x], [], x
            for W in Ws:
                u = W @ z
                z = np.tanh(u)
                zs.append(z)
                ds.append(1.0 - np.tanh(u) ** 2)
            delta = ds[-1] * (z - y)
            grads = [delta @ zs[-2].T if delta.ndim == 2 else np.outer(delta, zs[-2])]
            for k in range(len(Ws) - 2, -1, -1):
                delta = ds[k] * (Ws[k + 1].T @ delta)
                grads.insert(0, delta @ zs[k].T if delta.ndim == 2 else np.outer(delta, zs[k]))
            return grads

        for a, b in zip(ours(), torch_gradients(), strict=True):
            np.testing.assert_allclose(a, b, rtol=1e-10, atol=1e-13)
        for a, b in zip(ours(), bare(), strict=True):
            np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-15)
        funcs = {"ours": ours, "torch": torch_gradients, "bare": bare}
        times, ratios = interleaved(funcs, rounds=21)
        print(
            f"| {sizes} | {batch or 1} | {fmt_time(times['ours'])} | "
            f"{fmt_time(times['torch'])} | {ratios['torch']:.1f}× | "
            f"{fmt_time(times['bare'])} ({ratios['torch'] / ratios['bare']:.1f}×) |"
        )


if __name__ == "__main__":
    main()
