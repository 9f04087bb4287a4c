"""``gdlab grade ASSIGNMENT SUBMISSIONS --out OUT_DIR``: grade a class.

``SUBMISSIONS`` is a folder of ``<student_id>/<ASSIGNMENT>/<ASSIGNMENT>.ipynb`` or
the zip an LMS exports. Each submission is checked, copied into a private
workspace and graded by a worker process (:mod:`gdlab_autograde.worker`) whose
kernel runs in the sandbox, several at once (:mod:`gdlab_autograde.grade_submission`).
The solution is graded the same way beside them, as the reference for the trusted
probes, once per release (:mod:`gdlab_autograde.reference` caches it; the template, the
released notebook and its gradebook, is cached too: :mod:`gdlab_autograde.template_cache`). Only this
trusted side writes the results: ``OUT_DIR/grades.csv``, ``OUT_DIR/audit.csv``, the
master gradebook ``OUT_DIR/gradebook.db``, ``OUT_DIR/final_grades.csv``, feedback in
``OUT_DIR/feedback/<student_id>/`` and the time each step took in
``OUT_DIR/timings/<ASSIGNMENT>.json``. ``OUT_DIR`` is an nbgrader course directory
(:mod:`gdlab_autograde.coursedir`), so the written answers are graded in nbgrader's
formgrader; a re-run keeps those grades (:mod:`gdlab_autograde.gradebook`). One run
at a time per ``OUT_DIR``. Submissions are never modified. ``gdlab grade --all``
grades every assignment of a class folder in one run (:mod:`gdlab_autograde.grade_class`).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from concurrent.futures import Executor, Future, ThreadPoolExecutor
from pathlib import Path

import nbformat
from tqdm import tqdm

from gdlab_autograde.course import CourseError, assignments
from gdlab_autograde.coursedir import (
    autograded_path,
    exclusive,
    install_assignment,
    install_autograded,
    read_autograded,
    safe_to_view,
    write_course_config,
)
from gdlab_autograde.export import write_final_grades
from gdlab_autograde.grade_submission import REFERENCE, SubmissionGrading
from gdlab_autograde.gradebook import (
    answer_digests,
    use_in_process_alembic_version,
    write_gradebook,
    zero_grades,
)
from gdlab_autograde.intake import Intake, collect_zip
from gdlab_autograde.probe_verdicts import apply_probes, probe_seed, secret_kept_from_children
from gdlab_autograde.probes import descriptions_of
from gdlab_autograde.reference import ReferenceCache, cache_key, check_reference
from gdlab_autograde.results import (
    AUDIT_COLUMNS,
    CSV_COLUMNS,
    Result,
    merge_csv,
    write_audit_csv,
    write_grades_csv,
)
from gdlab_autograde.sandbox import build_font_list, remove_socket_links, unavailable_reason
from gdlab_autograde.submission import printable, valid_student_id
from gdlab_autograde.template_cache import template
from gdlab_autograde.timings import write_timings
from gdlab_autograde.workers import WorkerPool


def default_jobs() -> int:
    """Submissions graded at once: one more than the cores. A worker's kernel waits while the worker
    runs nbgrader's own steps (starting the kernel, saving the grades, the feedback page), and the
    extra worker fills those gaps (2 cores: 3 workers grade a class 8% faster than 2, 4 no faster
    than 3; see benchmarks/grading.py)."""
    return (os.cpu_count() or 1) + 1


@contextlib.contextmanager
def stopping_at_once(executor: ThreadPoolExecutor, pool: WorkerPool) -> Iterator[None]:
    """On Ctrl-C (or any error) in the run: drop the queued jobs and kill the workers, so that the
    executor's exit waits for nothing but threads that end at once (not for the whole class)."""
    try:
        yield
    except BaseException:
        executor.shutdown(wait=False, cancel_futures=True)
        pool.stop()
        raise


def threads_for(jobs: int) -> int:
    """Threads handing submissions to ``jobs`` workers: one more per worker, so the next
    submission's workspace is ready when a worker becomes free."""
    return 2 * jobs


class Grader(SubmissionGrading):
    """Grades every submission of one assignment; see the module docstring."""

    def __init__(
        self,
        root: Path,
        assignment: str,
        submissions: Path,
        out: Path,
        jobs: int | None = None,
        timeout: float = 600.0,
        keep_workspace: bool = False,
        sandbox: bool = True,
        cell_timeout: int | None = None,
        memory_mb: int | None = None,
        name_pattern: str | None = None,
    ) -> None:
        if assignment not in assignments(root):
            raise CourseError(f"unknown assignment {assignment!r}; the course has {assignments(root)}")
        if not submissions.exists():
            raise CourseError(f"submissions folder {submissions} does not exist")
        if submissions.is_file() and submissions.suffix.lower() != ".zip":
            raise CourseError(f"{submissions} is neither a folder of submissions nor a .zip archive")
        self.name_pattern = name_pattern
        self.root, self.assignment, self.submissions, self.out = root, assignment, submissions, out
        self.jobs = jobs or default_jobs()
        self.timeout = timeout
        self.keep_workspace = keep_workspace
        self.sandbox = sandbox
        self.cell_timeout = cell_timeout
        self.limits = {"memory_bytes": memory_mb * 1024**2} if memory_mb else {}
        self.intake = Intake(submissions)
        self._reports_written = False

    def students(self) -> list[str]:
        """The student folders of the submissions directory (links too, to be refused), and the
        students whose archive entries were refused, sorted."""
        folders = []
        with os.scandir(self.folder) as entries:
            for entry in entries:
                if not entry.name.startswith(".") and (
                    entry.is_dir(follow_symlinks=False) or entry.is_symlink()
                ):
                    folders.append(entry.name)
        return sorted(set(folders) | set(self.intake.problems))

    def run(self, progress: bool = True) -> list[Result]:
        """Grade all submissions; write grades.csv, the gradebook and feedback; return the results.

        Whatever one submission does becomes its own row. When grading itself fails (the
        instructor's mistake: a broken solution, an unreadable archive), this assignment's rows
        of grades.csv and audit.csv are set aside (see :meth:`set_aside_stale_reports`).
        """
        # The lock comes first: a run refused because another one is grading this class must
        # leave that run's files alone.
        with exclusive(self.out):
            self.guarded(check_sandbox, self.sandbox)
            base = Path(tempfile.mkdtemp(prefix="gdlab-grade-"))
            pool = WorkerPool(self.jobs, base)
            pool.start()  # the workers import nbgrader while the template is generated
            try:
                with (
                    secret_kept_from_children() as secret,  # workers and kernels only ever get seeds
                    ThreadPoolExecutor(max_workers=threads_for(self.jobs)) as executor,
                    stopping_at_once(executor, pool),
                ):
                    futures = self.guarded(self.start, secret, base, pool, executor)
                    bar = tqdm(
                        total=len(futures),
                        desc=f"grading {self.assignment}",
                        unit="submission",
                        disable=not progress,
                    )
                    for future in futures:
                        future.add_done_callback(lambda _: bar.update())
                    try:
                        return self.guarded(self.finish, executor)
                    finally:
                        bar.close()
            finally:
                pool.stop()
                remove_socket_links(base)
                if not self.keep_workspace:
                    shutil.rmtree(base, ignore_errors=True)

    def guarded(self, step, *args):  # noqa: ANN001, ANN201 - any step of the run
        """Run a step of the run; when grading itself fails, set this assignment's old reports aside."""
        try:
            return step(*args)
        except CourseError as error:
            raise CourseError(f"{error}{self.set_aside_stale_reports()}") from error
        except BaseException:
            self.set_aside_stale_reports()
            raise

    def set_aside_stale_reports(self) -> str:
        """Move this assignment's rows out of grades.csv and audit.csv (into ``*.previous.csv``),
        unless this run wrote them; say what was done."""
        if self._reports_written:
            return ""
        moved = []
        for name, columns in (("grades.csv", CSV_COLUMNS), ("audit.csv", AUDIT_COLUMNS)):
            path = self.out / name
            if not path.is_file():
                continue
            text = path.read_text(errors="replace")
            if f",{self.assignment}," not in text:
                continue
            previous = path.with_name(name.replace(".csv", ".previous.csv"))
            previous.write_text(text)
            merge_csv(path, columns, [], self.assignment)
            moved.append(f"{path} (kept in {previous.name})")
        if not moved:
            return ""
        return f"; the earlier rows of {self.assignment} were removed from " + " and ".join(moved)

    def start(
        self,
        secret: str,
        base: Path,
        pool: WorkerPool,
        executor: Executor,
        font_list: Future[Path | None] | None = None,
    ) -> list[Future]:
        """Generate the template, then hand the reference (unless cached) and every submission to
        ``executor``; return the submissions' futures, in student order. ``font_list`` is the
        sandboxes' font list of a run that grades several assignments (built here otherwise)."""
        self.started = time.perf_counter()
        self.base, self.pool = base, pool
        self.run_timings: dict[str, float] = {}
        self.folder = self.submissions
        if self.submissions.is_file():
            self.intake = collect_zip(self.root, self.assignment, self.submissions, base, self.name_pattern)
            self.folder = self.intake.folder
        # Built while the template is generated; the first job waits for it.
        self.font_list = font_list or executor.submit(build_font_list, base / "matplotlib")
        use_in_process_alembic_version()
        workdir = base / self.assignment / "template"
        released, self.template_db, cached = template(self.root, self.assignment, self.out, workdir)
        self.run_timings["template cached"] = float(cached)
        self.released_folder = released
        self.released = nbformat.read(released / f"{self.assignment}.ipynb", as_version=4)
        self.zero_grades = zero_grades(self.template_db, self.assignment)
        self.known_ids = [
            c.metadata.nbgrader["grade_id"]
            for c in self.released.cells
            if c.metadata.get("nbgrader", {}).get("grade_id")
        ]
        students = self.students()
        self.seeds = {s: probe_seed(secret, self.assignment, s) for s in students if valid_student_id(s)}
        self.probe_notes: dict[str, list[str]] = {}
        self.probe_descriptions = descriptions_of(self.assignment)
        settings = {"sandbox": self.sandbox, "cell_timeout": self.cell_timeout, "limits": self.limits}
        self.reference_cache = ReferenceCache(
            self.out, self.assignment, cache_key(self.root, self.assignment, released, settings)
        )
        self.run_timings["template"] = time.perf_counter() - self.started
        self.reference_future: Future | None = None
        if not self.reference_cache.usable_without_grading(self.seeds):
            solution = self.root / "solutions" / self.assignment / f"{self.assignment}.ipynb"
            # Submitted first: with every new student's probes to compute, it is the longest job.
            missing = self.reference_cache.missing_seeds(self.seeds)
            self.reference_future = executor.submit(self.grade_one, REFERENCE, solution, missing)
        self.futures = [executor.submit(self.grade_one, student) for student in students]
        return self.futures

    def finish(self, executor: Executor) -> list[Result]:
        """Wait for every grade job, then write the gradebook, reports and feedback (holding the lock)."""
        results = []
        for future in self.futures:
            result = future.result()
            # A submission that could not be graded scores 0 out of the assignment's points.
            result.grades = result.grades or [dict(g) for g in self.zero_grades]
            results.append(result)
        reference = self.reference()
        for result in results:
            self.probe_notes[result.student_id] = apply_probes(
                result, reference.probes.get(result.student_id, {})
            )
            make_printable(result)
        step = time.perf_counter()
        write_course_config(self.out)
        install_assignment(self.out, self.root, self.assignment, self.released_folder)
        self.write_gradebook(results)
        self.run_timings["gradebook"] = (now := time.perf_counter()) - step
        for result in results:
            install_autograded(
                self.out,
                result.student_id,
                self.assignment,
                self._graded_folder(result),
                self.failed_probe_notes(result.student_id),
            )
        self.run_timings["graded notebooks"] = (step := time.perf_counter()) - now
        self.write_csv(results)
        self.write_audit(results)
        self._reports_written = True
        list(executor.map(self.hand_back, results))
        self.run_timings["feedback (wall)"] = (now := time.perf_counter()) - step
        write_final_grades(self.out)
        self.run_timings["final grades"] = time.perf_counter() - now
        self.run_timings["total"] = time.perf_counter() - self.started
        write_timings(self.out, self.assignment, self.run_timings, reference, results)
        return results

    def reference(self) -> Result:
        """The solution's result (graded now for the new seeds, the rest from the cache), checked."""
        if self.reference_future is None:
            reference = self.reference_cache.result(self.assignment, self.seeds)
            reference.timings["cached"] = 1.0
        else:
            reference = self.reference_cache.merge(self.reference_future.result(), self.seeds)
        check_reference(reference, self.assignment, self.seeds)
        if self.reference_future is not None:
            self.reference_cache.store(reference, self.seeds)
        return reference

    def failed_probe_notes(self, student: str) -> dict[str, str]:
        """grade_id -> what the grader's own check tests, for each test cell whose probe disagreed."""
        return {name: self.probe_descriptions.get(name, "") for name in self.probe_notes.get(student, [])}

    def write_gradebook(self, results: list[Result]) -> None:
        """Record every result in the master gradebook, keeping the grades given by hand.

        A grade given by hand whose answer text changed since (compared with the graded
        notebook already in the course directory) is kept and marked for review.
        """
        changed = {}
        for result in results:
            before = answer_digests(
                read_autograded(autograded_path(self.out, result.student_id, self.assignment))
            )
            folder = self._graded_folder(result)
            graded = read_autograded(folder / f"{self.assignment}.ipynb") if folder else None
            # Compared as stored in the course directory, i.e. made safe to view.
            now = answer_digests(safe_to_view(graded) if graded is not None else None)
            changed[result.student_id] = {
                k for k in before.keys() | now.keys() if before.get(k) != now.get(k)
            }
        write_gradebook(self.out / "gradebook.db", self.template_db, self.assignment, results, changed)

    def write_audit(self, results: list[Result]) -> None:
        """Write audit.csv: a line per flagged student, keeping the lines of other assignments."""
        write_audit_csv(self.out / "audit.csv", results, self.assignment)

    def write_csv(self, results: list[Result]) -> None:
        """Write grades.csv, keeping the rows of other assignments already there."""
        write_grades_csv(self.out / "grades.csv", results, self.assignment)


def check_sandbox(sandbox: bool) -> None:
    """Refuse to grade when the sandbox was asked for and cannot be set up."""
    if not sandbox:
        return
    reason = unavailable_reason()
    if reason:
        raise CourseError(
            f"cannot set up the grading sandbox: {reason}. Student code would run as you, with your "
            "files, the gradebook and the network in reach; install bubblewrap, or pass "
            "--unsafe-no-sandbox to grade without it."
        )


def make_printable(result: Result) -> None:
    """Escape control characters (ANSI/OSC sequences) in what a submission put in a result's texts."""
    result.message = printable(result.message)
    result.flags = {
        printable(kind): [printable(d) for d in details] for kind, details in result.flags.items()
    }
