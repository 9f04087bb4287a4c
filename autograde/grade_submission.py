"""One submission's way through a worker: the grade job, what its outcome means, the feedback job.

:class:`SubmissionGrading` is the part of :class:`gdlab_autograde.grade.Grader` that
handles a single submission; each step's time is recorded in ``Result.timings``
(:mod:`gdlab_autograde.timings`).
"""

from __future__ import annotations

import json
import os
import shutil
import time
import traceback
from concurrent.futures import Future
from pathlib import Path

import nbformat

from gdlab_autograde.audit import compare_locked_cells, scan_code
from gdlab_autograde.coursedir import autograded_path
from gdlab_autograde.results import Result
from gdlab_autograde.sandbox import UID_BASE
from gdlab_autograde.submission import Submitted, parse_notebook, printable, read_submission, valid_student_id
from gdlab_autograde.workers import WorkerPool, WorkerSlot

REFERENCE = "reference"  # the nbgrader student id the solution is graded under, in a workspace of its own


class SubmissionGrading:
    """Grading one submission; the attributes are set by :class:`gdlab_autograde.grade.Grader`."""

    root: Path
    assignment: str
    out: Path
    folder: Path
    base: Path
    pool: WorkerPool
    timeout: float
    sandbox: bool
    cell_timeout: int | None
    limits: dict
    seeds: dict[str, int]
    known_ids: list[str]
    released: nbformat.NotebookNode
    template_db: Path
    font_list: Future[Path | None]

    def grade_one(
        self, student: str, path: Path | None = None, seeds: dict[str, int] | None = None
    ) -> Result:
        """Grade one student's submission (or the notebook at ``path``, for ``seeds``) in a private workspace.

        Never raises for a student: whatever goes wrong becomes the result's status and an
        audit line (the reference's failure is reported by ``check_reference``).
        """
        try:
            return self._grade_one(student, path, seeds)
        except Exception as error:  # noqa: BLE001 - one submission never stops the batch
            result = Result(student if valid_student_id(student) else printable(student), self.assignment)
            result.status = "grading error"
            result.message = printable(f"{type(error).__name__}: {error}")[:500]
            result.flag("grading error", result.message)
            detail = traceback.format_exc()[-4000:]
            if path is not None:
                result.message += f" ({detail})"[-1000:]
            return result

    def _grade_one(self, student: str, path: Path | None, seeds: dict[str, int] | None) -> Result:
        started = time.perf_counter()
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
        workspace = self.base / self.assignment / ("reference" if is_reference else f"students/{student}")
        submitted = workspace / "submitted" / student / self.assignment
        submitted.mkdir(parents=True)
        nbformat.write(notebook, submitted / f"{self.assignment}.ipynb")
        shutil.copytree(self.root / "solutions" / self.assignment, workspace / "solutions" / self.assignment)
        shutil.copy(self.template_db, workspace / "gradebook.db")
        job: dict = {
            "workspace": str(workspace),
            "assignment": self.assignment,
            "student_id": student,
            "config": {
                "ForgetUnknownCells.known_ids": self.known_ids,
                **({"Execute.timeout": self.cell_timeout} if self.cell_timeout else {}),
            },
            # The solution's phase 2 computes the probes for every student's seed; a student's
            # kernel gets only its own seed.
            "probe_seeds": seeds if is_reference else {student: self.seeds[student]},
        }
        result.timings["prepare"] = time.perf_counter() - started
        with self.pool.slot() as slot:
            if self.sandbox:
                # One sandbox user id per worker slot (when running as root), so that one
                # student's processes never count against another's process limit.
                uid = UID_BASE + slot.index if os.geteuid() == 0 else None
                fonts = self.font_list.result()
                job["sandbox"] = {
                    "uid": uid,
                    "limits": self.limits,
                    "font_list": str(fonts) if fonts else None,
                }
            outcome = self._run_job(slot, workspace, "grade", job, result.timings)
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
        if result.status == "kernel died" and not problems:  # before any cell ran, e.g. at its start
            result.flag("kernel died", outcome.get("message", "the kernel died"))
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
        timings: dict[str, float] = {}
        with self.pool.slot() as slot:
            outcome = self._run_job(slot, result.workspace or self.out, "feedback", job, timings)
        result.timings["feedback"] = timings.get("worker", 0.0)
        result.timings["hand-off"] = result.timings.get("hand-off", 0.0) + timings.get("hand-off", 0.0)
        if not outcome.get("feedback"):
            self._drop_feedback(result.student_id)
            result.flag("grading error", f"no feedback: {outcome.get('message', 'unknown error')}")

    def _graded_folder(self, result: Result) -> Path | None:
        """The folder of the student's graded notebook in the grading workspace, if grading made one."""
        if result.workspace is None:
            return None
        folder = result.workspace / "autograded" / result.student_id / self.assignment
        return folder if (folder / f"{self.assignment}.ipynb").is_file() else None

    def _run_job(self, slot: WorkerSlot, workspace: Path, kind: str, job: dict, timings: dict) -> dict:
        """Run a job on a worker; its result, or what went wrong. The worker's own stages go into
        ``timings``, and the rest of the round trip (protocol, JSON files, a restarted worker's
        imports) as "hand-off"."""
        job_file, result_file = workspace / f"{kind}-job.json", workspace / f"{kind}-result.json"
        job["result"] = str(result_file)
        job_file.write_text(json.dumps(job))
        started = time.perf_counter()
        ended = slot.run(job_file, self.timeout)
        round_trip = time.perf_counter() - started
        timings["hand-off"] = round_trip
        if ended == "timeout":
            return {"status": "timeout", "message": f"grading took longer than {self.timeout:g} s in all"}
        if not result_file.is_file():
            return {"status": "grading error", "message": f"the grading worker {ended}: see {slot.log}"}
        try:
            outcome = json.loads(result_file.read_text())
        except ValueError as error:
            return {"status": "grading error", "message": f"unreadable worker result: {error}"}
        if not isinstance(outcome, dict):
            return {"status": "grading error", "message": "bad worker result"}
        worker_seconds = outcome.get("worker seconds")
        if isinstance(worker_seconds, (int, float)):
            timings["hand-off"] = max(0.0, round_trip - worker_seconds)
            timings["worker"] = float(worker_seconds)
        stages = outcome.get("timings")
        if isinstance(stages, dict):
            timings.update({str(k): float(v) for k, v in stages.items() if isinstance(v, (int, float))})
        return outcome

    def _drop_feedback(self, student: str) -> None:
        if not valid_student_id(student):
            return
        stale = self.out / "feedback" / student / f"{self.assignment}.html"
        stale.unlink(missing_ok=True)
