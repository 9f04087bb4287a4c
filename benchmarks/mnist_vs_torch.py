"""Notebook 06's two-layer network on full MNIST against the same network in PyTorch (CPU).

    python benchmarks/mnist_vs_torch.py [--data-dir ../shared/data/mnist] [--epochs 10]

The numpy side is the solution notebook's own code (`TwoLayerNet` and the provided `Adam`,
taken by executing the notebook's code cells, not a copy). Both sides get the same sizes
(784-256-10, ReLU), the same initialisation scheme (normal weights, zero biases), the same
batches in the same order, Adam (torch's betas and eps) with the same learning-rate schedule
(constant, then exponential decay as in notebook 04) and float32; their epochs alternate,
so both see the same machine. It prints each side's test accuracy and the ratio of seconds
per epoch, numpy / PyTorch. Targets: test accuracy at least 98.0%, ratio at most 1.0.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

ASSIGNMENT = "06_minibatch_mnist"


def notebook_namespace() -> dict:
    """The solution notebook's definitions (its non-demo cells, executed in-process)."""
    from tests.notebook_harness import run_notebook

    run = run_notebook(ASSIGNMENT)
    if run.failures():
        raise SystemExit(f"the solution notebook fails its own tests: {run.failures()}")
    return run.namespace


def settle() -> None:
    """Let the other side's worker threads (OpenMP and OpenBLAS spin-wait after work) go idle,
    so that neither side's timing pays for the other's threads."""
    time.sleep(1.0)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", default=str(ROOT.parent / "shared" / "data" / "mnist"))
    parser.add_argument("--epochs", type=int, default=10)
    parser.add_argument("--hidden", type=int, default=256)
    parser.add_argument("--batch-size", type=int, default=100)
    parser.add_argument("--lr", type=float, default=2e-3)
    parser.add_argument("--hold", type=int, default=4, help="epochs at the full learning rate")
    parser.add_argument(
        "--decay", type=float, default=0.5, help="then the learning rate shrinks by this per epoch"
    )
    parser.add_argument("--init-std", type=float, default=0.05, help="std of the normal initial weights")
    args = parser.parse_args()
    try:
        import torch
    except ImportError:
        print("PyTorch is not installed: pip install torch==2.13.0 (the CPU build) to run this benchmark")
        return 2

    from gdlab.data import load_mnist, mnist_source

    (x_train, t_train), (x_test, t_test) = load_mnist(data_dir=args.data_dir, download=False)
    print(mnist_source())
    if len(x_train) < 60_000:
        print(f"warning: only {len(x_train)} training digits: point --data-dir at the full MNIST files")
    x_train, x_test = x_train.astype(np.float32), x_test.astype(np.float32)

    ns = notebook_namespace()
    threads = os.cpu_count() or 1
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    rng = np.random.default_rng(0)

    # numpy: the notebook's network, in float32
    net = ns["TwoLayerNet"](784, args.hidden, 10, weight_init_std=args.init_std, rng=np.random.default_rng(1))
    for key in net.params:
        net.params[key] = net.params[key].astype(np.float32)
    numpy_opt = ns["Adam"](lr=args.lr)

    # PyTorch: the same network, initialisation scheme and optimizer
    model = torch.nn.Sequential(
        torch.nn.Linear(784, args.hidden), torch.nn.ReLU(), torch.nn.Linear(args.hidden, 10)
    )
    with torch.no_grad():
        for layer in (model[0], model[2]):
            layer.weight.normal_(0.0, args.init_std)
            layer.bias.zero_()
    torch_opt = torch.optim.Adam(model.parameters(), lr=args.lr)
    loss_fn = torch.nn.CrossEntropyLoss()
    xt_train, tt_train = torch.from_numpy(x_train), torch.from_numpy(t_train.astype(np.int64))

    numpy_seconds, torch_seconds = [], []
    for epoch in range(1, args.epochs + 1):
        # exponential decay (notebook 04): the same schedule on both sides settles the final accuracy
        numpy_opt.lr = args.lr * args.decay ** max(0, epoch - 1 - args.hold)
        for group in torch_opt.param_groups:
            group["lr"] = numpy_opt.lr
        order = rng.permutation(len(x_train))
        batches = [order[i : i + args.batch_size] for i in range(0, len(order), args.batch_size)]

        settle()
        start = time.perf_counter()
        for idx in batches:
            numpy_opt.update(net.params, net.gradient(x_train[idx], t_train[idx]))
        numpy_seconds.append(time.perf_counter() - start)

        settle()
        start = time.perf_counter()
        model.train()
        for idx in batches:
            index = torch.from_numpy(idx)
            torch_opt.zero_grad(set_to_none=True)
            loss_fn(model(xt_train[index]), tt_train[index]).backward()
            torch_opt.step()
        torch_seconds.append(time.perf_counter() - start)

        numpy_acc = float(net.accuracy(x_test, t_test))
        with torch.no_grad():
            torch_acc = float((model(torch.from_numpy(x_test)).argmax(1).numpy() == t_test).mean())
        print(
            f"epoch {epoch}: numpy {numpy_seconds[-1]:.2f} s, test {numpy_acc:.2%} | "
            f"PyTorch {torch_seconds[-1]:.2f} s, test {torch_acc:.2%}"
        )

    numpy_epoch, torch_epoch = float(np.median(numpy_seconds)), float(np.median(torch_seconds))
    ratio = numpy_epoch / torch_epoch
    print(
        f"\n{threads} threads each; {args.hidden} hidden units, batch {args.batch_size}, "
        f"Adam lr {args.lr}, x {args.decay} per epoch after epoch {args.hold}"
    )
    print(f"test accuracy: numpy {numpy_acc:.2%}, PyTorch {torch_acc:.2%}   (target: numpy >= 98.0%)")
    print(f"seconds per epoch (median): numpy {numpy_epoch:.2f}, PyTorch {torch_epoch:.2f}")
    print(f"ratio numpy / PyTorch: {ratio:.2f}   (target: <= 1.0)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
