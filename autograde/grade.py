"""``gdlab grade ASSIGNMENT SUBMISSIONS --out OUT_DIR``: grade a class.

``SUBMISSIONS`` is a folder of ``<student_id>/<ASSIGNMENT>/<ASSIGNMENT>.ipynb`` or
the zip an LMS exports. Each submission is checked, copied into a private
workspace and graded by a worker process (:mod:`gdlab_autograde.worker`) whose
kernel runs in the sandbox, several at once. The solution is graded the same
way beside them, as the reference for the trusted probes. Only this trusted side
writes the results: ``OUT_DIR/grades.csv``, ``OUT_DIR/audit.csv``, the master
gradebook ``OUT_DIR/gradebook.db``, ``OUT_DIR/final_grades.csv`` and feedback in
``OUT_DIR/feedback/<student_id>/``. ``OUT_DIR`` is an nbgrader course directory
(:mod:`gdlab_autograde.coursedir`), so the written answers are graded in nbgrader's
formgrader; a re-run keeps those grades (:mod:`gdlab_autograde.gradebook`). One run
at a time per ``OUT_DIR``. Submissions are never modified.
"""

from __future__ import annotations

import json
import os
import queue
import shutil
import tempfile
import traceback
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import nbformat
from tqdm import tqdm

from gdlab_autograde.audit import compare_locked_cells, scan_code
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
from gdlab_autograde.gradebook import answer_digests, write_gradebook, zero_grades
from gdlab_autograde.intake import Intake, collect_zip
from gdlab_autograde.probe_schema import is_malformed
from gdlab_autograde.probe_verdicts import apply_probes, probe_seed, secret_kept_from_children
from gdlab_autograde.probes import descriptions_of, probes_of
from gdlab_autograde.release import generate
from gdlab_autograde.results import (
    AUDIT_COLUMNS,
    CSV_COLUMNS,
    Result,
    merge_csv,
    write_audit_csv,
    write_grades_csv,
)
from gdlab_autograde.sandbox import UID_BASE, remove_socket_links, unavailable_reason
from gdlab_autograde.submission import Submitted, parse_notebook, printable, read_submission, valid_student_id
from gdlab_autograde.workers import WorkerSlot

REFERENCE = "reference"  # the nbgrader student id the solution is graded under, in a workspace of its own


class Grader:
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
        self.jobs = jobs or os.cpu_count() or 1
        self.timeout = timeout
        self.keep_workspace = keep_workspace
        self.sandbox = sandbox
        self.cell_timeout = cell_timeout
        self.limits = {"memory_bytes": memory_mb * 1024**2} if memory_mb else {}
        self.slots: queue.Queue[WorkerSlot] = queue.Queue()
        self.intake = Intake(submissions)

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
        self._reports_written = False
        # The lock comes first: a run refused because another one is grading this class must
        # leave that run's files alone.
        with exclusive(self.out):
            try:
                return self._run(progress)
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

    def _run(self, progress: bool) -> list[Result]:
        if self.sandbox:
            reason = unavailable_reason()
            if reason:
                raise CourseError(
                    f"cannot set up the grading sandbox: {reason}. Student code would run as you, with your "
                    "files, the gradebook and the network in reach; install bubblewrap, or pass "
                    "--unsafe-no-sandbox to grade without it."
                )
        with secret_kept_from_children() as secret:  # workers and kernels only ever get seeds
            return self._grade_all(secret, progress)

    def _grade_all(self, secret: str, progress: bool) -> list[Result]:
        """Grade every submission and write the reports (``run`` holds the class's lock)."""
        base = Path(tempfile.mkdtemp(prefix="gdlab-grade-"))
        slots = [WorkerSlot(i, base) for i in range(self.jobs)]
        for slot in slots:
            slot.start()  # the workers import nbgrader while the template is generated
            self.slots.put(slot)
        try:
            self.folder = self.submissions
            if self.submissions.is_file():
                self.intake = collect_zip(
                    self.root, self.assignment, self.submissions, base, self.name_pattern
                )
                self.folder = self.intake.folder
            released, self.template_db = generate(self.root, self.assignment, base / "template")
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
            solution = self.root / "solutions" / self.assignment / f"{self.assignment}.ipynb"
            with ThreadPoolExecutor(max_workers=self.jobs) as pool:
                reference_future = pool.submit(self.grade_one, REFERENCE, base, solution)
                futures = [pool.submit(self.grade_one, student, base) for student in students]
                bar = tqdm(
                    total=len(futures),
                    desc=f"grading {self.assignment}",
                    unit="submission",
                    disable=not progress,
                )
                results = []
                for future in futures:
                    result = future.result()
                    # A submission that could not be graded scores 0 out of the assignment's points.
                    result.grades = result.grades or [dict(g) for g in self.zero_grades]
                    results.append(result)
                    bar.update()
                bar.close()
                reference = reference_future.result()
            self.check_reference(reference)
            for result in results:
                self.probe_notes[result.student_id] = apply_probes(
                    result, reference.probes.get(result.student_id, {})
                )
            for result in results:
                make_printable(result)
            write_course_config(self.out)
            install_assignment(self.out, self.root, self.assignment, released)
            self.write_gradebook(results)
            for result in results:
                install_autograded(
                    self.out,
                    result.student_id,
                    self.assignment,
                    self._graded_folder(result),
                    self.failed_probe_notes(result.student_id),
                )
            self.write_csv(results)
            self.write_audit(results)
            self._reports_written = True
            with ThreadPoolExecutor(max_workers=self.jobs) as pool:
                list(pool.map(self.hand_back, results))
            write_final_grades(self.out)
            return results
        finally:
            for slot in slots:
                slot.stop()
            remove_socket_links(base)
            if not self.keep_workspace:
                shutil.rmtree(base, ignore_errors=True)

    def check_reference(self, reference: Result) -> None:
        """The solution must earn every auto-graded point and pass every probe, or no grade can be trusted."""
        missing = [
            g["name"]
            for g in reference.grades
            if g["kind"] == "code" and (g["auto_score"] or 0) < g["max_score"]
        ]
        expected = set(probes_of(self.assignment))
        broken = sorted(
            {
                grade_id
                for owner in self.seeds
                for grade_id in expected
                if _unusable(reference.probes.get(owner, {}).get(grade_id, {"probe error": "missing"}))
            }
        )
        if reference.status != "ok" or missing or broken or not reference.grades:
            raise CourseError(
                f"the solution of {self.assignment} does not pass its own grading "
                f"(status {reference.status}: {reference.message}; failed cells {missing}; failed probes {broken}); "
                "no grades were written"
            )

    def grade_one(self, student: str, base: Path, path: Path | None = None) -> Result:
        """Grade one student's submission (or the notebook at ``path``) in a private workspace.

        Never raises for a student: whatever goes wrong becomes the result's status and an
        audit line (the reference's failure is reported by :meth:`check_reference`).
        """
        try:
            return self._grade_one(student, base, path)
        except Exception as error:  # noqa: BLE001 - one submission never stops the batch
            result = Result(student if valid_student_id(student) else printable(student), self.assignment)
            result.status = "grading error"
            result.message = printable(f"{type(error).__name__}: {error}")[:500]
            result.flag("grading error", result.message)
            detail = traceback.format_exc()[-4000:]
            if path is not None:
                result.message += f" ({detail})"[-1000:]
            return result

    def _grade_one(self, student: str, base: Path, path: Path | None = None) -> Result:
        result = Result(student, self.assignment)
        is_reference = path is not None
        if not is_reference and not valid_student_id(student):
            result.student_id = printable(student)
            result.status, result.message = "invalid student id", "use letters, digits and . _ @ + -"
            result.flag(
                "malformed submission", f"folder name {printable(repr(student))} is not a valid student id"
            )
            return result
        if not is_reference and student in self.intake.problems:
            result.status, result.message = self.intake.problems[student]
            result.flag(result.status, result.message)
            self._drop_feedback(student)
            return result
        for finding in self.intake.notes.get(student, []):
            result.flag("tamper attempt", finding)
        if is_reference:  # the instructor's own file: read as it is (it may have other names)
            notebook, why = parse_notebook(path.read_bytes())
            submitted_file = Submitted(notebook, "ok" if notebook else "malformed notebook", why)
        else:
            parts = [student, self.assignment, f"{self.assignment}.ipynb"]
            submitted_file = read_submission(self.folder, parts)
        notebook, note = submitted_file.notebook, submitted_file.message
        if notebook is None:
            result.status, result.message = submitted_file.status, note
            if submitted_file.status != "missing notebook":
                result.flag(submitted_file.status, note)
            self._drop_feedback(student)
            return result
        if note:
            result.flag("malformed notebook", note)
        for finding in scan_code(notebook):
            result.flag("tamper attempt", finding)
        for finding in compare_locked_cells(notebook, self.released):
            result.flag("tamper attempt", finding)
        workspace = base / "reference" if is_reference else base / "students" / student
        submitted = workspace / "submitted" / student / self.assignment
        submitted.mkdir(parents=True)
        nbformat.write(notebook, submitted / f"{self.assignment}.ipynb")
        shutil.copytree(self.root / "solutions" / self.assignment, workspace / "solutions" / self.assignment)
        shutil.copy(self.template_db, workspace / "gradebook.db")
        job: dict = {
            "workspace": str(workspace),
            "assignment": self.assignment,
            "student_id": student,
            "result": str(workspace / "result.json"),
            "config": {
                "ForgetUnknownCells.known_ids": self.known_ids,
                **({"Execute.timeout": self.cell_timeout} if self.cell_timeout else {}),
            },
            # The solution's phase 2 computes the probes for every student's seed; a student's
            # kernel gets only its own seed.
            "probe_seeds": self.seeds if is_reference else {student: self.seeds[student]},
        }
        slot = self.slots.get()
        try:
            if self.sandbox:
                # One sandbox user id per worker slot (when running as root), so that one
                # student's processes never count against another's process limit.
                uid = UID_BASE + slot.index if os.geteuid() == 0 else None
                job["sandbox"] = {"uid": uid, "limits": self.limits}
            outcome = self._run_job(slot, workspace, "grade", job)
        finally:
            self.slots.put(slot)
        result.status = outcome.get("status", "grading error")
        result.grades = outcome.get("grades", [])
        probes = outcome.get("probes") if isinstance(outcome.get("probes"), dict) else {}
        result.probes = probes if is_reference else probes.get(student) or {}
        problems = list(outcome.get("problems", []))
        if result.status == "ok" and problems:
            result.status = "timeout" if any(p.startswith("timeout") for p in problems) else "kernel died"
        for problem in problems:
            result.flag("timeout" if problem.startswith("timeout") else "kernel died", problem)
        if result.status == "timeout" and not problems:  # stopped by the per-submission --timeout
            result.flag("timeout", outcome.get("message", "stopped by --timeout"))
        if result.status not in ("ok", "timeout", "kernel died"):
            result.flag(result.status, outcome.get("message", ""))
        for sign in outcome.get("resources", []):
            result.flag("resource limit", sign)
        result.message = "; ".join(filter(None, [note, outcome.get("message", ""), *problems]))[:500]
        result.workspace = workspace
        return result

    def hand_back(self, result: Result) -> None:
        """Write the student's HTML feedback from the master gradebook to OUT/feedback/<student_id>/."""
        try:
            self._hand_back(result)
        except Exception as error:  # noqa: BLE001 - one student's feedback never stops the others'
            result.flag("grading error", printable(f"no feedback: {type(error).__name__}: {error}")[:500])

    def _hand_back(self, result: Result) -> None:
        if not valid_student_id(result.student_id):
            return
        if not autograded_path(self.out, result.student_id, self.assignment).is_file():
            self._drop_feedback(result.student_id)
            return
        job = {
            "type": "feedback",
            "course": str(self.out.resolve()),
            "assignment": self.assignment,
            "student_id": result.student_id,
        }
        slot = self.slots.get()
        try:
            outcome = self._run_job(slot, result.workspace or self.out, "feedback", job)
        finally:
            self.slots.put(slot)
        if not outcome.get("feedback"):
            self._drop_feedback(result.student_id)
            result.flag("grading error", f"no feedback: {outcome.get('message', 'unknown error')}")

    def failed_probe_notes(self, student: str) -> dict[str, str]:
        """grade_id -> what the grader's own check tests, for each test cell whose probe disagreed."""
        return {name: self.probe_descriptions.get(name, "") for name in self.probe_notes.get(student, [])}

    def _graded_folder(self, result: Result) -> Path | None:
        """The folder of the student's graded notebook in the grading workspace, if grading made one."""
        if result.workspace is None:
            return None
        folder = result.workspace / "autograded" / result.student_id / self.assignment
        return folder if (folder / f"{self.assignment}.ipynb").is_file() else None

    def _run_job(self, slot: WorkerSlot, workspace: Path, kind: str, job: dict) -> dict:
        """Run a job on a worker; its result, or what went wrong."""
        job_file, result_file = workspace / f"{kind}-job.json", workspace / f"{kind}-result.json"
        job["result"] = str(result_file)
        job_file.write_text(json.dumps(job))
        ended = slot.run(job_file, self.timeout)
        if ended == "timeout":
            return {"status": "timeout", "message": f"grading took longer than {self.timeout:g} s in all"}
        if not result_file.is_file():
            return {"status": "grading error", "message": f"the grading worker {ended}: see {slot.log}"}
        try:
            outcome = json.loads(result_file.read_text())
        except ValueError as error:
            return {"status": "grading error", "message": f"unreadable worker result: {error}"}
        return (
            outcome
            if isinstance(outcome, dict)
            else {"status": "grading error", "message": "bad worker result"}
        )

    def _drop_feedback(self, student: str) -> None:
        if not valid_student_id(student):
            return
        stale = self.out / "feedback" / student / f"{self.assignment}.html"
        stale.unlink(missing_ok=True)

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


def make_printable(result: Result) -> None:
    """Escape control characters (ANSI/OSC sequences) in what a submission put in a result's texts."""
    result.message = printable(result.message)
    result.flags = {
        printable(kind): [printable(d) for d in details] for kind, details in result.flags.items()
    }


def _unusable(reference_result: object) -> bool:
    """Whether the solution's own probe result is an error, so no student can be compared with it."""
    return isinstance(reference_result, dict) and (
        "probe error" in reference_result or is_malformed(reference_result)
    )
