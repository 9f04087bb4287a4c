"""Grading at class scale: how `gdlab grade`'s time and memory grow with the class.

    python benchmarks/grading_scale.py [--sizes 30 100 300] [--assignment 01_loss_functions]

For each size N it builds a class of N submissions of one notebook: complete, half done
and untouched ones in turn, and a few hostile ones (an infinite loop, a memory bomb;
one of each per 50 students, at least one of each), grades it with every safeguard on
(sandbox, probes, feedback) and prints the wall time, the seconds per submission, the
peak memory of the whole run (the summed resident memory of gdlab and every process it
started: workers, sandboxes, kernels; sampled every 0.25 s) and the checks: every
student has exactly one row in grades.csv, every hostile one is flagged in audit.csv.
Then how the time grows: the seconds per submission at each size against the smallest
(linear growth keeps it flat; a super-linear term in the gradebook, the CSV merge or
the feedback would make it rise), and the per-run steps from ``OUT/timings``.

Hostile cells stop at a short per-cell timeout and a 1 GB memory limit (``--cell-timeout``,
``--memory-mb``), so that they cost seconds, not the default minute.
"""

from __future__ import annotations

import argparse
import csv
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import nbformat
import psutil
from nbformat.v4 import new_code_cell

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from gdlab_autograde.samples import student_notebook  # noqa: E402
from gdlab_autograde.timings import read_timings  # noqa: E402

HOSTILE = {
    "loop": "while True:\n    pass",
    "bomb": "blocks = []\nwhile True:\n    blocks.append(b'x' * (50 * 1024**2))",
}


def build_class(assignment: str, n: int, folder: Path) -> dict[str, str]:
    """SUBMISSIONS/<student>/<assignment>/<assignment>.ipynb for n students; student -> kind."""
    hostile_every = 50
    kinds: dict[str, str] = {}
    for i in range(n):
        if i % hostile_every == 7:
            kind = "loop"
        elif i % hostile_every == 23:
            kind = "bomb"
        else:
            kind = ("complete", "half", "untouched")[i % 3]
        kinds[f"s{i:04d}"] = kind
    notebooks = {k: student_notebook(ROOT, assignment, k) for k in ("complete", "half", "untouched")}
    for kind, code in HOSTILE.items():
        nb = student_notebook(ROOT, assignment, "complete")
        nb.cells.insert(len(nb.cells) // 2, new_code_cell(code))
        notebooks[kind] = nb
    for student, kind in kinds.items():
        path = folder / student / assignment / f"{assignment}.ipynb"
        path.parent.mkdir(parents=True)
        nbformat.write(notebooks[kind], path)
    return kinds


class PeakMemory:
    """The peak summed resident memory of a process and all its descendants, sampled."""

    def __init__(self, pid: int, every: float = 0.25) -> None:
        self.root, self.every, self.peak = psutil.Process(pid), every, 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()

    def _sample(self) -> None:
        while not self._stop.is_set():
            total = 0
            try:
                processes = [self.root, *self.root.children(recursive=True)]
            except psutil.NoSuchProcess:
                return
            for process in processes:
                try:
                    total += process.memory_info().rss
                except (psutil.NoSuchProcess, psutil.AccessDenied):
                    pass
            self.peak = max(self.peak, total)
            self._stop.wait(self.every)

    def stop(self) -> int:
        """Stop sampling; the peak in bytes."""
        self._stop.set()
        self._thread.join()
        return self.peak


def grade(
    assignment: str, submissions: Path, out: Path, cell_timeout: int, memory_mb: int
) -> tuple[float, int]:
    """Run `gdlab grade` (sandbox, probes and feedback on); (wall seconds, peak bytes)."""
    command = [sys.executable, "-m", "gdlab.cli", "grade", assignment, str(submissions), "--out", str(out)]
    command += ["--quiet", "--cell-timeout", str(cell_timeout), "--memory-mb", str(memory_mb)]
    start = time.perf_counter()
    process = subprocess.Popen(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env={**os.environ, "GDLAB_OFFLINE": "1"}
    )
    memory = PeakMemory(process.pid)
    _, stderr = process.communicate()
    wall = time.perf_counter() - start
    peak = memory.stop()
    if process.returncode != 0:
        raise SystemExit(f"gdlab grade failed ({process.returncode}): {stderr.decode()[-2000:]}")
    return wall, peak


def check(out: Path, assignment: str, kinds: dict[str, str]) -> str:
    """Every student exactly one row; every hostile one flagged. A line saying so (or what is wrong)."""
    with (out / "grades.csv").open(newline="") as f:
        students = [r["student_id"] for r in csv.DictReader(f) if r["assignment"] == assignment]
    with (out / "audit.csv").open(newline="") as f:
        flags = {r["student_id"]: r["flags"] for r in csv.DictReader(f) if r["assignment"] == assignment}
    problems = []
    if sorted(students) != sorted(kinds):
        problems.append(f"{len(students)} rows for {len(kinds)} students ({len(set(students))} distinct)")
    hostile = [s for s, k in kinds.items() if k in HOSTILE]
    unflagged = [s for s in hostile if not flags.get(s)]
    if unflagged:
        problems.append(f"hostile submissions not flagged: {unflagged}")
    seen = ", ".join(sorted({f"{kinds[s]}: {flags.get(s, '')}" for s in hostile}))
    verdict = "FAIL " + "; ".join(problems) if problems else "ok"
    return (
        f"{verdict}: {len(students)} rows for {len(kinds)} students; {len(hostile)} hostile flagged ({seen})"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[30, 100, 300])
    parser.add_argument("--assignment", default="01_loss_functions")
    parser.add_argument("--cell-timeout", type=int, default=10, help="seconds a cell may run (default 10)")
    parser.add_argument("--memory-mb", type=int, default=1024, help="memory limit of a kernel (default 1024)")
    args = parser.parse_args()
    if min(args.sizes) < 24:
        parser.error("every size must be at least 24 (one infinite loop and one memory bomb per 50 students)")
    print(f"{os.cpu_count()} cores; {args.assignment}; load {os.getloadavg()[0]:.1f}", flush=True)
    print(f"{'students':>9}{'wall s':>9}{'s/sub':>8}{'peak MB':>9}  checks", flush=True)
    measured = []
    failed = False
    for n in args.sizes:
        with tempfile.TemporaryDirectory(prefix="gdlab-scale-") as tmp:
            subs, out = Path(tmp) / "submissions", Path(tmp) / "out"
            kinds = build_class(args.assignment, n, subs)
            wall, peak = grade(args.assignment, subs, out, args.cell_timeout, args.memory_mb)
            verdict = check(out, args.assignment, kinds)
            run = read_timings(out, args.assignment)["run"]
        failed = failed or verdict.startswith("FAIL")
        measured.append((n, wall, run))
        print(f"{n:>9}{wall:>9.1f}{wall / n:>8.2f}{peak / 1e6:>9.0f}  {verdict}", flush=True)
    n0, wall0, _ = measured[0]
    print("growth (s/submission relative to the smallest class; linear = 1.00):")
    for n, wall, run in measured:
        steps = ", ".join(
            f"{step} {run.get(step, 0) / n * 1000:.0f}"
            for step in ("gradebook", "graded notebooks", "feedback (wall)", "final grades")
        )
        print(f"  {n:>5}: {(wall / n) / (wall0 / n0):.2f}   per-run steps in ms/submission: {steps}")
    print(f"load at the end: {os.getloadavg()[0]:.1f}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
