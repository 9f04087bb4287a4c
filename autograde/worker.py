"""A grading worker: ``python -m gdlab_autograde.worker`` reads job files, one path per line.

The parent (``gdlab grade``) prepares a private course directory per submission
(a copy of the template gradebook, the source folder, the submitted notebook)
and keeps a worker process per parallel job, so the imports are paid once while a
hung or crashed worker costs only the submission it was grading (the parent
kills it and starts another). A "grade" job runs nbgrader's ``Autograde`` (the
kernel in the sandbox, the hidden checks and probes in phase 2 of
:class:`gdlab_autograde.execute.SafeExecute`, with only the seeds the job names);
a "feedback" job runs ``GenerateFeedback`` on the class's course directory, whose
gradebook the trusted side has written (:mod:`gdlab_autograde.handback`). Each job's
result is a JSON file; the worker answers "done" on its protocol stream. It never writes
the master gradebook.
"""

from __future__ import annotations

import json
import logging
import os
import re
import sys
import time
import traceback
from io import StringIO
from pathlib import Path


def read_grades(db_url: str, assignment: str, student: str) -> list[dict]:
    """Every grade cell of the student's submission as a dict (name, scores, kind)."""
    from nbgrader.api import Gradebook

    grades = []
    with Gradebook(db_url) as gb:
        submission = gb.find_submission(assignment, student)
        for notebook in submission.notebooks:
            for grade in notebook.grades:
                grades.append(
                    {
                        "notebook": notebook.name,
                        "name": grade.name,
                        "auto_score": grade.auto_score,
                        "max_score": grade.max_score,
                        "kind": grade.cell.cell_type,
                        "needs_manual_grade": grade.needs_manual_grade,
                    }
                )
    return grades


def execution_problems(notebook_path: Path) -> list[str]:
    """What went wrong while the graded notebook ran (timeouts, dead kernel), cell by cell."""
    import nbformat

    problems = []
    if not notebook_path.is_file():
        return problems
    nb = nbformat.read(notebook_path, as_version=4)
    for index, cell in enumerate(nb.cells):
        for output in cell.get("outputs", []):
            if output.get("output_type") != "error":
                continue
            name = output.get("ename", "")
            where = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id") or f"cell {index}"
            if name == "CellTimeoutError":
                problems.append(f"timeout in {where}")
            elif name == "DeadKernelError":
                problems.append(f"kernel died in {where}")
    return problems


def grade(job: dict) -> dict:
    """Autograde the job's submission (its kernel in the sandbox when asked); return the result dict."""
    from nbgrader.converters import Autograde
    from nbgrader.coursedir import CourseDirectory

    from gdlab_autograde.audit import resource_signs
    from gdlab_autograde.course import keep_cwd, load_config, prepare_environment

    prepare_environment()
    workspace = Path(job["workspace"])
    assignment, student = job["assignment"], job["student_id"]
    db_url = f"sqlite:///{workspace / 'gradebook.db'}"
    log = StringIO()
    handler = logging.StreamHandler(log)
    handler.setLevel(logging.WARNING)
    config = load_config(root=str(workspace), db_url=db_url, assignment_id=assignment, student_id=student)
    config.Autograde.force = True
    for name, value in job.get("config", {}).items():
        section, trait = name.split(".")
        setattr(getattr(config, section), trait, value)
    if job.get("probe_seeds"):
        # Phase 2 runs the probes once per seed: the student's own, or (the solution) everyone's.
        config.SafeExecute.probe_assignment = assignment
        config.SafeExecute.probe_seeds = {str(k): int(v) for k, v in job["probe_seeds"].items()}
        config.SafeExecute.probe_results_path = str(workspace / "probes.json")
    sandbox = job.get("sandbox")
    if sandbox:
        private = workspace / "sandbox" / "private"
        private.mkdir(parents=True)
        if sandbox.get("uid") is not None:
            os.chown(private, sandbox["uid"], sandbox["uid"])
        config.SafeExecute.sandbox = True
        config.SandboxedKernelManager.private_dir = str(private)
        config.SandboxedKernelManager.sandbox_uid = sandbox["uid"] if sandbox.get("uid") is not None else -1
        config.SandboxedKernelManager.limits = sandbox.get("limits", {})
        config.SandboxedKernelManager.font_list = sandbox.get("font_list") or ""
    from gdlab_autograde.execute import TIMINGS

    result: dict = {"status": "ok", "message": "", "grades": [], "problems": [], "timings": {}}
    started = time.perf_counter()
    with keep_cwd():
        try:
            autograde = Autograde(coursedir=CourseDirectory(config=config), config=config)
            autograde.log.addHandler(handler)
            autograde.start()
            result["timings"].update(TIMINGS)
        except Exception as error:  # noqa: BLE001 - reported as this submission's result
            result.update(
                status="grading error", message=_last_error(log.getvalue(), error), log=log.getvalue()[-4000:]
            )
            if "kernel" in result["message"].lower() and "died" in result["message"].lower():
                result["status"] = "kernel died"
            return result
        executed = time.perf_counter()
        graded = workspace / "autograded" / student / assignment / f"{assignment}.ipynb"
        result["problems"] = execution_problems(graded)
        result["resources"] = resource_signs(graded.read_text(errors="replace")) if graded.is_file() else []
        result["grades"] = read_grades(db_url, assignment, student)
        probes = workspace / "probes.json"
        result["probes"] = json.loads(probes.read_text()) if probes.is_file() else {}
    timings = result["timings"]
    # What nbgrader's Autograde spends around the execution (its app, sanitizing, saving grades).
    timings["nbgrader autograde"] = executed - started - sum(timings.values())
    timings["reading grades"] = time.perf_counter() - executed
    return result


def feedback(job: dict) -> dict:
    """Generate the student's HTML feedback from the class's course directory (its master gradebook)."""
    from gdlab_autograde.handback import generate_feedback

    html = generate_feedback(Path(job["course"]), job["assignment"], job["student_id"])
    return {"feedback": str(html) if html else None}


def _last_error(log: str, error: BaseException) -> str:
    """The most specific error line of nbgrader's log: the last exception line of a traceback."""
    exceptions = re.findall(r"^(?:[\w.]+(?:Error|Exception|Exit)\b.*)$", log, re.M)
    return (exceptions[-1] if exceptions else f"{type(error).__name__}: {error}").strip()[:300]


def run_job(path: Path) -> None:
    """Run the job in the file at ``path``; write its result file (whatever happens)."""
    started = time.perf_counter()
    job = json.loads(path.read_text())
    try:
        result = feedback(job) if job.get("type") == "feedback" else grade(job)
    except Exception as error:  # noqa: BLE001 - the parent needs a result, whatever happened
        result = {"status": "grading error", "message": f"{type(error).__name__}: {error}", "grades": []}
        result["traceback"] = traceback.format_exc()
    # The parent subtracts this from the round trip: what is left is the hand-off.
    result["worker seconds"] = time.perf_counter() - started
    tmp = Path(job["result"]).with_suffix(".tmp")
    tmp.write_text(json.dumps(result))
    tmp.replace(job["result"])


def main() -> int:
    """Serve jobs: read a job file path per line on stdin, answer "done" per job on stdout."""
    # Kernels and libraries inherit file descriptor 1: point it at the log (stderr) and keep
    # a private copy of the real stdout for the protocol, so nothing else can write to it.
    protocol = os.fdopen(os.dup(1), "w", buffering=1)
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    from gdlab_autograde.speedups import skip_iri_format_checker

    skip_iri_format_checker()
    # Import the heavy parts now, while the parent is still preparing the first job.
    import nbgrader.converters  # noqa: F401
    import nbgrader.preprocessors  # noqa: F401

    import gdlab_autograde.execute  # noqa: F401

    for line in sys.stdin:
        if line.strip():
            run_job(Path(line.strip()))
            protocol.write("done\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
