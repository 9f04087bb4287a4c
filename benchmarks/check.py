"""How long `gdlab check` takes on each notebook, complete and untouched (issue 15).

    python benchmarks/check.py [--all-cells]

For every assignment it times the check of the solution notebook (every exercise
done) and of the released student notebook (nothing done yet), each in a fresh
kernel as a student runs it. Target: every notebook checked in under 15 s on 2 cores.
``--all-cells`` times the check without skipping the `demo` cells, for comparison.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET_SECONDS = 15.0


def main(argv: list[str] | None = None) -> int:
    """Print each notebook's check time and whether all are within the target."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--all-cells", action="store_true", help="run the demo cells too")
    args = parser.parse_args(argv)
    os.environ.setdefault("GDLAB_OFFLINE", "1")
    os.environ.setdefault("MPLBACKEND", "Agg")
    from gdlab.selfcheck import check

    slow = []
    print(f"{'notebook':<28}{'complete s':>12}{'untouched s':>13}{'target':>8}")
    for solution in sorted((ROOT / "solutions").glob("*/*.ipynb")):
        released = ROOT / "notebooks" / solution.parent.name / solution.name
        times = []
        for path in (solution, released):
            start = time.perf_counter()
            check(path, skip_demos=not args.all_cells)
            times.append(time.perf_counter() - start)
        if max(times) > TARGET_SECONDS:
            slow.append(solution.stem)
        print(f"{solution.stem:<28}{times[0]:>12.1f}{times[1]:>13.1f}{TARGET_SECONDS:>8.0f}")
    print("all within target" if not slow else f"over target: {', '.join(slow)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
