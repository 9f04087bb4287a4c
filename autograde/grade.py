"""``gdlab grade ASSIGNMENT SUBMISSIONS --out OUT_DIR``: grade a class.

``SUBMISSIONS`` is a folder of ``<student_id>/<ASSIGNMENT>/<ASSIGNMENT>.ipynb`` or
the zip an LMS exports. Each submission is checked, copied into a private
workspace and graded by a worker process (:mod:`gdlab_autograde.worker`) whose
kernel runs in the sandbox, several at once. The solution is graded the same
way beside them, as the reference for the trusted probes. Only this trusted side
writes the results: ``OUT_DIR/grades.csv``, ``OUT_DIR/audit.csv``, the master
gradebook ``OUT_DIR/gradebook.db`` and feedback in
``OUT_DIR/feedback/<student_id>/``. Submissions are never modified.
"""

from __future__ import annotations

import json
import os
import queue
import shutil
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import nbformat
from tqdm import tqdm

from gdlab_autograde.audit import compare_locked_cells, scan_code
from gdlab_autograde.course import CourseError, assignments
from gdlab_autograde.gradebook import write_gradebook, zero_grades
from gdlab_autograde.intake import collect_zip
from gdlab_autograde.probe_schema import is_malformed
from gdlab_autograde.probe_verdicts import apply_probes, probe_seed, secret_kept_from_children
from gdlab_autograde.probes import descriptions_of, probes_of
from gdlab_autograde.release import generate
from gdlab_autograde.results import Result, write_audit_csv, write_grades_csv
from gdlab_autograde.sandbox import UID_BASE, unavailable_reason
from gdlab_autograde.submission import STUDENT_ID, load_submission
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

    def students(self) -> list[str]:
        """The student folders of the submissions directory, sorted."""
        return sorted(p.name for p in self.folder.iterdir() if p.is_dir() and not p.name.startswith("."))

    def run(self, progress: bool = True) -> list[Result]:
        """Grade all submissions; write grades.csv, the gradebook and feedback; return the results."""
        if self.sandbox:
            reason = unavailable_reason()
            if reason:
                raise CourseError(
                    f"cannot set up the grading sandbox: {reason}. Student code would run as you, with your "
                    "files, the gradebook and the network in reach; install bubblewrap, or pass "
                    "--unsafe-no-sandbox to grade without it."
                )
        self.out.mkdir(parents=True, exist_ok=True)
        with secret_kept_from_children() as secret:  # workers and kernels only ever get seeds
            return self._run(secret, progress)

    def _run(self, secret: str, progress: bool) -> list[Result]:
        base = Path(tempfile.mkdtemp(prefix="gdlab-grade-"))
        slots = [WorkerSlot(i, base) for i in range(self.jobs)]
        for slot in slots:
            slot.start()  # the workers import nbgrader while the template is generated
            self.slots.put(slot)
        try:
            self.folder = self.submissions
            if self.submissions.is_file():
                self.folder = collect_zip(
                    self.root, self.assignment, self.submissions, base, self.name_pattern
                )
            released, self.template_db = generate(self.root, self.assignment, base / "template")
            self.released = nbformat.read(released / f"{self.assignment}.ipynb", as_version=4)
            self.zero_grades = zero_grades(self.template_db, self.assignment)
            self.known_ids = [
                c.metadata.nbgrader["grade_id"]
                for c in self.released.cells
                if c.metadata.get("nbgrader", {}).get("grade_id")
            ]
            students = self.students()
            self.seeds = {s: probe_seed(secret, self.assignment, s) for s in students if STUDENT_ID.match(s)}
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
            self.write_gradebook(results)
            self.write_csv(results)
            self.write_audit(results)
            with ThreadPoolExecutor(max_workers=self.jobs) as pool:
                list(pool.map(self.hand_back, results))
            return results
        finally:
            for slot in slots:
                slot.stop()
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
        """Grade one student's submission (or the notebook at ``path``) in a private workspace."""
        result = Result(student, self.assignment)
        is_reference = path is not None
        if not is_reference and not STUDENT_ID.match(student):
            result.status, result.message = "invalid student id", "use letters, digits and . _ @ + -"
            result.flag("malformed submission", f"folder name {student!r} is not a valid student id")
            return result
        path = path or self.folder / student / self.assignment / f"{self.assignment}.ipynb"
        if not path.exists():
            result.status, result.message = (
                "missing notebook",
                f"expected {student}/{self.assignment}/{path.name}",
            )
            self._drop_feedback(student)
            return result
        notebook, note = load_submission(path)
        if notebook is None:
            result.status, result.message = "malformed notebook", note
            result.flag("malformed notebook", note)
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
        if result.status not in ("ok", "timeout", "kernel died"):
            result.flag(result.status, outcome.get("message", ""))
        for sign in outcome.get("resources", []):
            result.flag("resource limit", sign)
        result.message = "; ".join(filter(None, [note, outcome.get("message", ""), *problems]))[:500]
        result.workspace = workspace
        return result

    def hand_back(self, result: Result) -> None:
        """Write the student's HTML feedback, with the final scores, to OUT/feedback/<student_id>/."""
        self._drop_feedback(result.student_id)
        graded = result.workspace and (result.workspace / "autograded" / result.student_id / self.assignment)
        if not graded or not graded.is_dir():
            return
        job = {
            "type": "feedback",
            "workspace": str(result.workspace),
            "assignment": self.assignment,
            "student_id": result.student_id,
            "scores": {g["name"]: g["auto_score"] for g in result.grades if g["kind"] == "code"},
            "probe_notes": {
                name: self.probe_descriptions.get(name, "")
                for name in self.probe_notes.get(result.student_id, [])
            },
        }
        slot = self.slots.get()
        try:
            outcome = self._run_job(slot, result.workspace, "feedback", job)
        finally:
            self.slots.put(slot)
        if outcome.get("feedback"):
            target = self.out / "feedback" / result.student_id
            target.mkdir(parents=True, exist_ok=True)
            shutil.copy(outcome["feedback"], target / f"{self.assignment}.html")
        else:
            result.flag("grading error", f"no feedback: {outcome.get('message', 'unknown error')}")

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
        return json.loads(result_file.read_text())

    def _drop_feedback(self, student: str) -> None:
        stale = self.out / "feedback" / student / f"{self.assignment}.html"
        stale.unlink(missing_ok=True)

    def write_gradebook(self, results: list[Result]) -> None:
        """Record every result in the master gradebook, replacing earlier grades of these submissions."""
        write_gradebook(self.out / "gradebook.db", self.template_db, self.assignment, results)

    def write_audit(self, results: list[Result]) -> None:
        """Write audit.csv: a line per flagged student, keeping the lines of other assignments."""
        write_audit_csv(self.out / "audit.csv", results, self.assignment)

    def write_csv(self, results: list[Result]) -> None:
        """Write grades.csv, keeping the rows of other assignments already there."""
        write_grades_csv(self.out / "grades.csv", results, self.assignment)


def _unusable(reference_result: object) -> bool:
    """Whether the solution's own probe result is an error, so no student can be compared with it."""
    return isinstance(reference_result, dict) and (
        "probe error" in reference_result or is_malformed(reference_result)
    )
