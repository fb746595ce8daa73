"""Vectorised gradcheck against a per-entry Python loop and against torch.autograd.gradcheck.

The same float64 tanh network [32, 64, 64, 10] without biases, the same weights, x and y for
all three. Each must give the same verdict: pass for the true gradient, and fail when layer 2's
σ′ is wrong by a factor 1.5 (our custom Activation; a torch.autograd.Function whose backward
has the same mistake).

Run (torch is the ``bench`` extra, never needed by the tests):

    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE .venv/bin/python benchmarks/bench_gradcheck.py

(add ``--threads 1`` to pin numpy's BLAS and torch to one thread). The three are timed in
alternation and the ratios taken round by round (see ``_common.interleaved``).
"""

from __future__ import annotations

import sys
from itertools import pairwise
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import fmt_time, interleaved, limit_threads, machine, threads_argument

from backprop_widgets import MLP, Activation
from backprop_widgets.gradcheck import gradcheck

SIZES = [32, 64, 64, 10]
SEED = 0


def problem() -> tuple[list[np.ndarray], np.ndarray, np.ndarray]:
    rng = np.random.default_rng(SEED)
    weights = [
        rng.normal(0, 1 / np.sqrt(n_in), size=(n_out, n_in)) for n_in, n_out in pairwise(SIZES)
    ]
    return weights, rng.normal(size=SIZES[0]), rng.normal(size=SIZES[-1])


# --------------------------------------------------------------------------- the per-entry loop


def loop_gradcheck(
    weights: list[np.ndarray],
    x: np.ndarray,
    y: np.ndarray,
    dsigma2_factor: float = 1.0,
    h: float = 6e-6,
    rtol: float = 1e-5,
) -> bool:
    """The textbook check: one pair of forward passes per weight, in a Python loop.

    The forward pass is bare numpy (no validation) so the loop is not slowed by anything but
    the loop itself. The analytic gradient is the same Δ recursion, with σ′ of layer 2 scaled
    by ``dsigma2_factor`` to plant a mistake. Tolerance: as gradcheck's, rtol·max|g| per layer.
    """

    def loss(ws: list[np.ndarray]) -> float:
        z = x
        for W in ws:
            z = np.tanh(W @ z)
        r = z - y
        return 0.5 * float(r @ r)

    zs, z = [x], x
    for W in weights:
        z = np.tanh(W @ z)
        zs.append(z)
    factors = [1.0, dsigma2_factor, 1.0]
    delta = factors[-1] * (1 - zs[-1] ** 2) * (zs[-1] - y)
    grads = [np.outer(delta, zs[-2])]
    for k in range(len(weights) - 2, -1, -1):
        delta = factors[k] * (1 - zs[k + 1] ** 2) * (weights[k + 1].T @ delta)
        grads.insert(0, np.outer(delta, zs[k]))

    ws = [W.copy() for W in weights]
    ok = True
    for k, W in enumerate(ws):
        numeric = np.empty_like(W)
        for i in range(W.shape[0]):
            for j in range(W.shape[1]):
                keep = W[i, j]
                W[i, j] = keep + h
                plus = loss(ws)
                W[i, j] = keep - h
                minus = loss(ws)
                W[i, j] = keep
                numeric[i, j] = (plus - minus) / (2 * h)
        atol = rtol * np.max(np.abs(grads[k]))
        ok &= bool(np.all(np.abs(numeric - grads[k]) <= atol + rtol * np.abs(grads[k])))
    return ok


# --------------------------------------------------------------------------- torch


def torch_gradcheck(weights, x, y, dsigma2_factor: float = 1.0):
    import torch

    class WrongTanh(torch.autograd.Function):
        @staticmethod
        def forward(ctx, u):
            z = torch.tanh(u)
            ctx.save_for_backward(z)
            return z

        @staticmethod
        def backward(ctx, g):
            (z,) = ctx.saved_tensors
            return g * dsigma2_factor * (1 - z * z)

    ws = tuple(torch.tensor(W, dtype=torch.float64, requires_grad=True) for W in weights)
    tx = torch.tensor(x, dtype=torch.float64)
    ty = torch.tensor(y, dtype=torch.float64)

    def E(W1, W2, W3):
        z = torch.tanh(W1 @ tx)
        z = WrongTanh.apply(W2 @ z) if dsigma2_factor != 1.0 else torch.tanh(W2 @ z)
        z = torch.tanh(W3 @ z)
        return 0.5 * torch.sum((z - ty) ** 2)

    def run() -> bool:
        return bool(torch.autograd.gradcheck(E, ws, raise_exception=False))

    return run


def main() -> None:
    import torch

    limit_threads(threads_argument())

    weights, x, y = problem()
    net = MLP(SIZES, "tanh", weights=weights)
    wrong = Activation("tanh×1.5", np.tanh, lambda u: 1.5 * (1 - np.tanh(u) ** 2))
    bad_net = MLP(SIZES, ["tanh", wrong, "tanh"], weights=weights)

    verdicts = {
        "ours": (gradcheck(net, x, y).ok, gradcheck(bad_net, x, y).ok),
        "loop": (loop_gradcheck(weights, x, y), loop_gradcheck(weights, x, y, 1.5)),
        "torch": (torch_gradcheck(weights, x, y)(), torch_gradcheck(weights, x, y, 1.5)()),
    }
    times, ratios = interleaved(
        {
            "ours": lambda: gradcheck(net, x, y),
            "loop": lambda: loop_gradcheck(weights, x, y),
            "torch": torch_gradcheck(weights, x, y),
        },
        rounds=9,
    )
    n_weights = sum(W.size for W in weights)
    print(f"## gradcheck, tanh {SIZES}, {n_weights} weights, one sample, float64\n")
    print(machine())
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads\n")
    print(
        "| check | time (median) | faster by (median ratio) | true gradient | σ′ of layer 2 ×1.5 |"
    )
    print("| --- | --- | --- | --- | --- |")
    labels = {
        "ours": "backprop_widgets.gradcheck (vectorised, central)",
        "loop": "per-entry Python loop (central, bare numpy)",
        "torch": "torch.autograd.gradcheck (full, fast_mode=False)",
    }
    for key in ("ours", "loop", "torch"):
        ratio = "—" if key == "ours" else f"{ratios[key]:.0f}×"
        good, bad = verdicts[key]
        print(
            f"| {labels[key]} | {fmt_time(times[key])} | {ratio} | "
            f"{'pass' if good else 'FAIL'} | {'pass' if bad else 'FAIL'} |"
        )
    same = len(set(verdicts.values())) == 1
    print(f"\nsame verdicts: {same}")


if __name__ == "__main__":
    main()
