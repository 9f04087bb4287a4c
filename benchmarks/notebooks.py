"""How long each solution notebook takes top to bottom in a fresh kernel (DESIGN §8).

    python benchmarks/notebooks.py

Targets: each notebook under 20 s (06 under 30 s, on the embedded MNIST digits), all six
under 2 minutes together, on 2 cores.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
TARGETS = {"06_minibatch_mnist": 30.0}


def main() -> int:
    os.environ.setdefault("GDLAB_OFFLINE", "1")
    notebooks = sorted((ROOT / "solutions").glob("*/*.ipynb"))
    total, slow = 0.0, []
    print(f"{'notebook':<28}{'seconds':>9}{'target':>8}")
    for path in notebooks:
        nb = nbformat.read(path, as_version=4)
        start = time.perf_counter()
        client = NotebookClient(
            nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}
        )
        client.execute(stderr=subprocess.DEVNULL)  # the kernel's start-up notices are noise here
        seconds = time.perf_counter() - start
        target = TARGETS.get(path.stem, 20.0)
        total += seconds
        if seconds > target:
            slow.append(path.stem)
        print(f"{path.stem:<28}{seconds:>9.1f}{target:>8.0f}")
    print(f"{'all together':<28}{total:>9.1f}{120:>8.0f}")
    print("all within target" if not slow and total <= 120 else f"over target: {slow or 'the total'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
