"""How long each solution notebook takes top to bottom in a fresh kernel (DESIGN §8).

    python benchmarks/notebooks.py [--mnist-dir ../shared/data/mnist]

Targets: each notebook under 20 s (06 under 30 s, on the embedded MNIST digits), all six
under 2 minutes together, on 2 cores. With ``--mnist-dir`` (full MNIST, as a student sets
``GDLAB_MNIST_DIR``) it runs notebook 06 once more on it and prints what its training
section reports: test accuracy at least 98.0% within 60 s of training.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
TARGETS = {"06_minibatch_mnist": 30.0}


def run(path: Path, env: dict[str, str] | None = None) -> tuple[float, dict]:
    """Run the notebook at ``path`` top to bottom in a fresh kernel; (seconds, what notebook 06's
    training section measured: its last test accuracy, seconds of training, training digits)."""
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(
        nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}
    )
    start = time.perf_counter()
    saved = dict(os.environ)
    os.environ.update(env or {})  # the kernel inherits this process's environment
    try:
        with client.setup_kernel(stderr=subprocess.DEVNULL):  # its start-up notices are noise here
            for index, cell in enumerate(nb.cells):
                client.execute_cell(cell, index)
            seconds = time.perf_counter() - start
            report = nbformat.v4.new_code_cell(
                "import json; print(json.dumps({'acc': float(history['test_acc'][-1]), 'seconds': seconds,"
                " 'digits': len(x_train)}))"
                if path.stem == "06_minibatch_mnist"
                else "print('{}')"
            )
            nb.cells.append(report)
            client.execute_cell(report, len(nb.cells) - 1)
            training = json.loads(report.outputs[0]["text"])
    finally:
        os.environ.clear()
        os.environ.update(saved)
    return seconds, training


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mnist-dir", help="full MNIST: also run notebook 06 on it (GDLAB_MNIST_DIR)")
    args = parser.parse_args()
    os.environ.setdefault("GDLAB_OFFLINE", "1")
    notebooks = sorted((ROOT / "solutions").glob("*/*.ipynb"))
    total, slow = 0.0, []
    print(f"{'notebook':<28}{'seconds':>9}{'target':>8}")
    for path in notebooks:
        seconds, _ = run(path)
        target = TARGETS.get(path.stem, 20.0)
        total += seconds
        if seconds > target:
            slow.append(path.stem)
        print(f"{path.stem:<28}{seconds:>9.1f}{target:>8.0f}")
    print(f"{'all together':<28}{total:>9.1f}{120:>8.0f}")
    print("all within target" if not slow and total <= 120 else f"over target: {slow or 'the total'}")
    if args.mnist_dir:
        path = ROOT / "solutions" / "06_minibatch_mnist" / "06_minibatch_mnist.ipynb"
        seconds, t = run(path, {"GDLAB_MNIST_DIR": str(Path(args.mnist_dir).resolve())})
        met = t["acc"] >= 0.98 and t["seconds"] <= 60
        print(
            f"06 on {args.mnist_dir} ({t['digits']:,} training digits): test accuracy {t['acc']:.2%} after "
            f"{t['seconds']:.1f} s of training, {seconds:.1f} s for the notebook "
            f"(target: at least 98.0% within 60 s of training: {'met' if met else 'NOT met'})"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
