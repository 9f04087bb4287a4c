"""Collect, grade with ``gdlab grade`` and return feedback for one assignment, as the instructor.

Run it in a terminal of your JupyterLab on the class server (``hub/README.md``)::

    python /opt/gdlab/course/hub/grade_class.py 01_loss_functions

1. ``nbgrader collect --update``: the newest submission of every student lands in
   ``COURSE/submitted/<student>/<assignment>/`` with its ``timestamp.txt`` (on the class server,
   only submissions their own student made: ``hub/gdlab_exchange.py``);
2. ``gdlab grade`` grades that folder (in the sandbox) into ``COURSE/gdlab-grades/<assignment>/``;
3. each student's ``feedback/<student>/<assignment>.html`` is copied into nbgrader's layout
   ``COURSE/feedback/<student>/<assignment>/`` with the submission's timestamp and secret, and
   ``nbgrader release_feedback`` puts it in the exchange, where only that student finds it;
4. submissions after the assignment's due date in the gradebook (``nbgrader db assignment add
   ASSIGNMENT --duedate=...``) are listed in ``late.csv`` beside ``grades.csv``.
"""

from __future__ import annotations

import argparse
import csv
import shutil
import subprocess
import sys
from datetime import datetime
from pathlib import Path

BIN = Path(sys.executable).parent


def course_directory() -> Path:
    """This instructor's nbgrader course directory (``CourseDirectory.root`` of their config)."""
    from nbgrader.apps import NbGrader

    app = NbGrader()
    app.initialize([])
    return Path(app.coursedir.root).resolve()


def due_date(course_dir: Path, assignment: str) -> datetime | None:
    """The assignment's due date in the course gradebook, if one was set."""
    from nbgrader.api import Gradebook, MissingEntry

    database = course_dir / "gradebook.db"
    if not database.is_file():
        return None
    with Gradebook(f"sqlite:///{database}") as gradebook:
        try:
            return gradebook.find_assignment(assignment).duedate
        except MissingEntry:
            return None


def submission_time(folder: Path) -> datetime:
    """When a collected submission was handed in (nbgrader's ``timestamp.txt``, UTC)."""
    from nbgrader.utils import parse_utc

    return parse_utc((folder / "timestamp.txt").read_text().strip()).replace(tzinfo=None)


def stage_feedback(course_dir: Path, assignment: str, out: Path) -> list[str]:
    """Copy gdlab's feedback files into nbgrader's layout; return the students who have one."""
    staged = []
    for html in sorted((out / "feedback").glob(f"*/{assignment}.html")):
        student = html.parent.name
        submitted = course_dir / "submitted" / student / assignment
        if not (submitted / "submission_secret.txt").is_file():
            continue  # not collected from the exchange: nowhere to return it to
        target = course_dir / "feedback" / student / assignment
        if target.exists():
            shutil.rmtree(target)  # a regrade replaces the previous feedback whole
        target.mkdir(parents=True)
        shutil.copy(html, target / f"{assignment}.html")
        for name in ("timestamp.txt", "submission_secret.txt"):
            shutil.copy(submitted / name, target / name)
        staged.append(student)
    return staged


def write_late_report(course_dir: Path, assignment: str, out: Path) -> list[tuple[str, float]]:
    """``late.csv``: each collected submission after the due date and by how many seconds."""
    due = due_date(course_dir, assignment)
    late = []
    for folder in sorted((course_dir / "submitted").glob(f"*/{assignment}")):
        if due is not None and (folder / "timestamp.txt").is_file():
            seconds = (submission_time(folder) - due).total_seconds()
            if seconds > 0:
                late.append((folder.parent.name, seconds))
    with open(out / "late.csv", "w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["student_id", "assignment", "due", "seconds_late"])
        writer.writerows([s, assignment, due.isoformat(sep=" "), f"{t:.0f}"] for s, t in late)
    return late


def run(command: list[str], cwd: Path) -> None:
    """Run one step, stopping the whole run with its output when it fails."""
    print("$", " ".join(command), flush=True)
    done = subprocess.run(command, cwd=cwd)
    if done.returncode != 0:
        sys.exit(f"grade_class.py: {Path(command[0]).name} failed with exit code {done.returncode}")


def main(argv: list[str] | None = None) -> int:
    """Entry point: collect, grade, stage and release the feedback of one assignment."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("assignment")
    parser.add_argument("--course-dir", help="nbgrader course directory (default: from your nbgrader config)")
    parser.add_argument("--no-release", action="store_true", help="grade, but do not return feedback yet")
    args = parser.parse_args(argv)
    course_dir = Path(args.course_dir).resolve() if args.course_dir else course_directory()
    out = course_dir / "gdlab-grades" / args.assignment
    run([str(BIN / "nbgrader"), "collect", args.assignment, "--update"], course_dir)
    submitted = course_dir / "submitted"
    if not any(submitted.glob(f"*/{args.assignment}")):
        print(f"no submission of {args.assignment} to grade yet")
        return 1
    run(
        [str(BIN / "gdlab"), "grade", args.assignment, str(submitted), "--out", str(out)],
        course_dir,
    )
    staged = stage_feedback(course_dir, args.assignment, out)
    late = write_late_report(course_dir, args.assignment, out)
    for student, seconds in late:
        print(f"late: {student} by {seconds / 3600:.1f} h")
    if not args.no_release and staged:
        run([str(BIN / "nbgrader"), "release_feedback", args.assignment], course_dir)
    print(f"graded {args.assignment}: {out / 'grades.csv'}; feedback for {len(staged)} student(s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
