"""Grading speed: `gdlab grade` (sandbox, probes, feedback, parallel) against plain sequential
`nbgrader autograde`, on the same class of submissions, side by side in one run.

    python benchmarks/grading.py [--per-notebook 30] [ASSIGNMENT ...]

For each released notebook it builds a class of N submissions (a third complete, a third
half done, a third untouched), grades it both ways and prints the wall time of each, the
ratio gdlab / nbgrader (target: at most 1.0) and the seconds per submission.
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


def build_class(assignment: str, n: int, folder: Path) -> None:
    """SUBMISSIONS/<student>/<assignment>/<assignment>.ipynb for n students."""
    kinds = ["complete", "half", "untouched"]
    for i in range(n):
        path = folder / f"s{i:03d}" / assignment / f"{assignment}.ipynb"
        path.parent.mkdir(parents=True)
        nbformat.write(student_notebook(ROOT, assignment, kinds[i % 3]), path)


def time_gdlab(assignment: str, submissions: Path, out: Path) -> float:
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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("assignments", nargs="*", help="default: every released notebook")
    parser.add_argument("--per-notebook", type=int, default=30, help="submissions per notebook (default 30)")
    args = parser.parse_args()
    chosen = args.assignments or [a for a in assignments(ROOT) if (ROOT / "notebooks" / a).is_dir()]
    print(
        f"{os.cpu_count()} cores; {args.per_notebook} submissions per notebook (complete / half / untouched)"
    )
    print(
        f"{'assignment':<26}{'gdlab s':>9}{'nbgrader s':>12}{'ratio':>8}{'gdlab s/sub':>13}{'nbgrader s/sub':>16}"
    )
    total_g = total_n = 0.0
    for assignment in chosen:
        with tempfile.TemporaryDirectory(prefix="gdlab-bench-") as tmp:
            subs = Path(tmp) / "submissions"
            build_class(assignment, args.per_notebook, subs)
            g = time_gdlab(assignment, subs, Path(tmp) / "out")
            n = time_nbgrader(assignment, subs, Path(tmp) / "course")
        total_g, total_n = total_g + g, total_n + n
        k = args.per_notebook
        print(f"{assignment:<26}{g:>9.1f}{n:>12.1f}{g / n:>8.2f}{g / k:>13.2f}{n / k:>16.2f}")
    k = args.per_notebook * len(chosen)
    print(
        f"{'all':<26}{total_g:>9.1f}{total_n:>12.1f}{total_g / total_n:>8.2f}{total_g / k:>13.2f}{total_n / k:>16.2f}"
    )
    print(
        "target: ratio at most 1.0 (gdlab grade with sandbox, probes and feedback vs plain sequential autograde)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
