"""Grading speed: `gdlab grade` (sandbox, probes, feedback, parallel) against plain sequential
`nbgrader autograde`, on the same class of submissions, side by side in one run.

    python benchmarks/grading.py [--per-notebook 30] [ASSIGNMENT ...]

For each released notebook it builds a class of N submissions (a third complete, a third
half done, a third untouched), grades it both ways and prints the wall time of each, the
ratio gdlab / nbgrader (target: at most 0.6 on 2 cores) and the seconds per submission.
gdlab grades into a fresh output folder, so the release is generated and the solution
graded in the timed run (nothing cached: the first grading of a release); ``--rerun``
also times grading the same class again into the same folder, where the template and
the reference come from their caches (every later run of the same release).

Under each line: where a submission's time goes, from the timings ``gdlab grade``
records (``OUT/timings/<assignment>.json``, see ``gdlab_autograde.timings``): the
mean seconds per submission of each step in the workers (worker time, summed over
both workers, so the wall time is about their sum / the number of workers), the
per-run steps on the trusted side, and the reference solution's own cost.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from gdlab_autograde.course import assignments  # noqa: E402
from gdlab_autograde.samples import student_notebook  # noqa: E402
from gdlab_autograde.timings import read_timings  # noqa: E402

#: per-submission steps, in the order a submission goes through them
STEPS = [
    "prepare",
    "hand-off",
    "kernel start",
    "cells",
    "hidden checks and probes",
    "kernel shutdown",
    "nbgrader autograde",
    "reading grades",
    "feedback",
]
RUN_STEPS = ["template", "gradebook", "graded notebooks", "feedback (wall)", "final grades"]


def build_class(assignment: str, n: int, folder: Path) -> None:
    """SUBMISSIONS/<student>/<assignment>/<assignment>.ipynb for n students."""
    kinds = ["complete", "half", "untouched"]
    for i in range(n):
        path = folder / f"s{i:03d}" / assignment / f"{assignment}.ipynb"
        path.parent.mkdir(parents=True)
        nbformat.write(student_notebook(ROOT, assignment, kinds[i % 3]), path)


def time_gdlab(assignment: str, submissions: Path, out: Path) -> float:
    """Wall time of ``gdlab grade`` (sandbox, probes and feedback on)."""
    start = time.perf_counter()
    subprocess.run(
        [
            sys.executable,
            "-m",
            "gdlab.cli",
            "grade",
            assignment,
            str(submissions),
            "--out",
            str(out),
            "--quiet",
        ],
        check=True,
        stdout=subprocess.DEVNULL,
        env={**os.environ, "GDLAB_OFFLINE": "1"},
    )
    return time.perf_counter() - start


def time_nbgrader(assignment: str, submissions: Path, course: Path) -> float:
    """Plain nbgrader: a course folder with nbgrader's defaults, generate_assignment (untimed), autograde."""
    (course / "source").mkdir(parents=True)
    shutil.copytree(ROOT / "solutions" / assignment, course / "source" / assignment)
    shutil.copytree(submissions, course / "submitted")
    (course / "nbgrader_config.py").write_text('c = get_config()\nc.CourseDirectory.course_id = "bench"\n')
    env = {
        **os.environ,
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
        "GDLAB_OFFLINE": "1",
    }
    nbgrader = [sys.executable, "-m", "nbgrader"]
    subprocess.run(
        [*nbgrader, "generate_assignment", assignment, "--force"],
        cwd=course,
        env=env,
        check=True,
        capture_output=True,
    )
    start = time.perf_counter()
    subprocess.run(
        [*nbgrader, "autograde", assignment, "--force"], cwd=course, env=env, check=True, capture_output=True
    )
    return time.perf_counter() - start


def breakdown(out: Path, assignment: str) -> str:
    """Where the time went, from the timings the run recorded."""
    record = read_timings(out, assignment)
    subs = list(record["submissions"].values())

    def mean(step: str) -> float:
        return sum(t.get(step, 0.0) for t in subs) / max(len(subs), 1)

    per_sub = ", ".join(f"{step} {mean(step):.2f}" for step in STEPS)
    run = ", ".join(f"{step} {record['run'].get(step, 0.0):.1f}" for step in RUN_STEPS)
    if record["run"].get("template cached"):
        run = run.replace("template", "template (cached)", 1)
    ref = record["reference"]
    if ref.get("cached"):
        reference = "reference: cached (not graded)"
    else:
        cost = ref.get("worker", 0.0) + ref.get("hand-off", 0.0) + ref.get("prepare", 0.0)
        reference = (
            f"reference: {cost:.1f} s (kernel start {ref.get('kernel start', 0):.1f}, cells "
            f"{ref.get('cells', 0):.1f}, probes for every student {ref.get('hidden checks and probes', 0):.1f})"
        )
    return f"    per submission (s): {per_sub}\n    per run (s): {run}\n    {reference}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("assignments", nargs="*", help="default: every released notebook")
    parser.add_argument("--per-notebook", type=int, default=30, help="submissions per notebook (default 30)")
    parser.add_argument(
        "--rerun",
        action="store_true",
        help="also time a second gdlab run into the same folder (cached reference)",
    )
    args = parser.parse_args()
    chosen = args.assignments or [a for a in assignments(ROOT) if (ROOT / "notebooks" / a).is_dir()]
    print(
        f"{os.cpu_count()} cores; {args.per_notebook} submissions per notebook (complete / half / untouched)"
    )
    print(
        f"{'assignment':<26}{'gdlab s':>9}{'nbgrader s':>12}{'ratio':>8}{'gdlab s/sub':>13}{'nbgrader s/sub':>16}"
    )
    total_g = total_n = 0.0
    worst = 0.0
    for assignment in chosen:
        with tempfile.TemporaryDirectory(prefix="gdlab-bench-") as tmp:
            subs = Path(tmp) / "submissions"
            build_class(assignment, args.per_notebook, subs)
            g = time_gdlab(assignment, subs, Path(tmp) / "out")
            details = breakdown(Path(tmp) / "out", assignment)
            n = time_nbgrader(assignment, subs, Path(tmp) / "course")
            if args.rerun:
                again = time_gdlab(assignment, subs, Path(tmp) / "out")
                details += f"\n    re-run into the same folder: {again:.1f} s\n" + breakdown(
                    Path(tmp) / "out", assignment
                )
        total_g, total_n = total_g + g, total_n + n
        worst = max(worst, g / n)
        k = args.per_notebook
        print(f"{assignment:<26}{g:>9.1f}{n:>12.1f}{g / n:>8.2f}{g / k:>13.2f}{n / k:>16.2f}")
        print(details, flush=True)
    k = args.per_notebook * len(chosen)
    print(
        f"{'all':<26}{total_g:>9.1f}{total_n:>12.1f}{total_g / total_n:>8.2f}{total_g / k:>13.2f}{total_n / k:>16.2f}"
    )
    print(
        f"target: ratio at most 0.6 for every notebook (worst here {worst:.2f}; gdlab grade with sandbox, "
        "probes and feedback vs plain sequential nbgrader autograde)"
    )
    print(
        f"load: {Path('/proc/loadavg').read_text().strip() if Path('/proc/loadavg').exists() else 'unknown'}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
