"""Time one learning-rate slider update of the gdlab explorers (DESIGN §8: median under 50 ms).

One update = what the browser triggers when the slider moves: the callback recomputes the
run, classifies it (with notebook 04's ``classify_run``), updates the lines, renders the figure
to PNG and puts it into the Image widget. Run: ``.venv/bin/python benchmarks/slider_update.py [--updates 50]``.
"""

from __future__ import annotations

import argparse
import os
import sys
import time

os.environ["MPLBACKEND"] = "Agg"

import numpy as np

from gdlab.sliders import lr_explorer_1d, lr_explorer_2d

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

TARGET_MS = 50.0


def notebook_classify_run():
    """Notebook 04's own ``classify_run`` (its solution cells run in-process), so the timing includes
    the classifier a student's slider calls, not a copy of it."""
    from tests.notebook_harness import run_notebook

    return run_notebook("04_learning_rate").namespace["classify_run"]


def time_updates(explorer, updates: int) -> np.ndarray:
    """Move the learning-rate slider across its whole range ``updates`` times; seconds per update."""
    exponents = np.linspace(explorer.lr_slider.min, explorer.lr_slider.max, updates)
    times = []
    for exponent in exponents:
        started = time.perf_counter()
        explorer.lr_slider.value = 10.0**exponent  # fires the callback synchronously
        times.append(time.perf_counter() - started)
    return np.array(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--updates", type=int, default=50)
    args = parser.parse_args(argv)
    classify = notebook_classify_run()
    devnull = open(os.devnull, "w")  # noqa: SIM115 - display() prints a repr outside a kernel
    real_stdout, sys.stdout = sys.stdout, devnull
    try:
        cases = {
            "1-D  x², 100 steps": lr_explorer_1d(
                lambda x: x**2, lambda x: 2 * x, x0=3.0, steps=100, classify=classify
            ),
            "2-D  0.1x²+2y², 100 steps (contours)": lr_explorer_2d(steps=100, classify=classify),
        }
        results = {name: time_updates(explorer, args.updates) * 1000 for name, explorer in cases.items()}
    finally:
        sys.stdout = real_stdout
        devnull.close()
    worst = 0.0
    print(f"slider update, {args.updates} updates each (target: median < {TARGET_MS:.0f} ms)")
    for name, ms in results.items():
        median, p90 = float(np.median(ms)), float(np.percentile(ms, 90))
        worst = max(worst, median)
        print(f"  {name:40s} median {median:6.1f} ms   p90 {p90:6.1f} ms   max {ms.max():6.1f} ms")
    verdict = "OK" if worst < TARGET_MS else "TOO SLOW"
    print(f"median slider update: {worst:.1f} ms ({verdict})")
    return 0 if worst < TARGET_MS else 1


if __name__ == "__main__":
    raise SystemExit(main())
