"""``gdlab grade --all SUBMISSIONS --out OUT``: every assignment of a class folder in one run.

``SUBMISSIONS`` holds ``<student_id>/<ASSIGNMENT>/<ASSIGNMENT>.ipynb`` for any of the
course's assignments. Each assignment found there is graded as ``gdlab grade
ASSIGNMENT`` would grade it (:class:`gdlab_autograde.grade.Grader`: same checks,
sandbox, probes, reports and feedback), but in one run: one lock on ``OUT``, one
set of worker processes whose imports are paid once, one queue of submissions (the
next assignment's template is generated while the workers grade the previous one's)
and one progress bar. An assignment whose grading fails (a broken solution) is
reported, and the others are still graded.
"""

from __future__ import annotations

import shutil
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from tqdm import tqdm

from gdlab_autograde.course import CourseError, assignments
from gdlab_autograde.coursedir import exclusive
from gdlab_autograde.grade import Grader, check_sandbox, stopping_at_once, threads_for
from gdlab_autograde.probe_verdicts import secret_kept_from_children
from gdlab_autograde.results import Result
from gdlab_autograde.sandbox import build_font_list, remove_socket_links
from gdlab_autograde.workers import WorkerPool


def assignments_submitted(root: Path, submissions: Path) -> list[str]:
    """The course's assignments that at least one student folder of ``submissions`` holds."""
    if not submissions.is_dir():
        raise CourseError(
            f"{submissions} is not a folder: --all grades a class folder of "
            "<student_id>/<ASSIGNMENT>/<ASSIGNMENT>.ipynb (grade an LMS zip one assignment at a time)"
        )
    found = {
        assignment.name
        for student in submissions.iterdir()
        if student.is_dir() and not student.is_symlink() and not student.name.startswith(".")
        for assignment in student.iterdir()
        if assignment.is_dir()
    }
    chosen = [a for a in assignments(root) if a in found]
    if not chosen:
        raise CourseError(
            f"{submissions} holds no submission of any assignment of the course ({assignments(root)}); "
            "expected <student_id>/<ASSIGNMENT>/<ASSIGNMENT>.ipynb"
        )
    return chosen


def grade_all(
    root: Path,
    submissions: Path,
    out: Path,
    jobs: int | None = None,
    progress: bool = True,
    **options: object,
) -> tuple[dict[str, list[Result]], list[str]]:
    """Grade every assignment found in ``submissions``: (assignment -> results, why each
    assignment that could not be graded was not; its earlier rows are set aside).

    ``options`` are :class:`Grader`'s (timeout, sandbox, cell_timeout, memory_mb,
    keep_workspace).
    """
    graders = [
        Grader(root, assignment, submissions, out, jobs=jobs, **options)  # type: ignore[arg-type]
        for assignment in assignments_submitted(root, submissions)
    ]
    first = graders[0]
    results: dict[str, list[Result]] = {}
    failures: list[str] = []
    with exclusive(out):
        first.guarded(check_sandbox, first.sandbox)
        base = Path(tempfile.mkdtemp(prefix="gdlab-grade-"))
        pool = WorkerPool(first.jobs, base)
        pool.start()
        bar = tqdm(total=0, desc="grading the class", unit="submission", disable=not progress)
        try:
            with (
                secret_kept_from_children() as secret,
                ThreadPoolExecutor(max_workers=threads_for(first.jobs)) as executor,
                stopping_at_once(executor, pool),
            ):
                started = []
                font_list = executor.submit(build_font_list, base / "matplotlib")
                for grader in graders:
                    try:
                        futures = grader.guarded(grader.start, secret, base, pool, executor, font_list)
                    except CourseError as error:
                        failures.append(str(error))
                        continue
                    bar.total += len(futures)
                    bar.refresh()
                    for future in futures:
                        future.add_done_callback(lambda _: bar.update())
                    started.append(grader)
                for grader in started:
                    try:
                        results[grader.assignment] = grader.guarded(grader.finish, executor)
                    except CourseError as error:
                        failures.append(str(error))
        finally:
            bar.close()
            pool.stop()
            remove_socket_links(base)
            if not first.keep_workspace:
                shutil.rmtree(base, ignore_errors=True)
    return results, failures
