"""Grade one submission in its own workspace: ``python -m gdlab_autograde.worker JOB.json``.

The parent (``gdlab grade``) prepares a private course directory per submission
(a copy of the template gradebook, the source folder, the submitted notebook)
and runs this module in a separate process, so that a submission that kills
its kernel or hangs costs only its own result. The worker runs nbgrader's
``Autograde`` and ``GenerateFeedback`` there and writes a JSON result the
parent turns into grades; it never touches the master gradebook.
"""

from __future__ import annotations

import json
import logging
import os
import re
import sys
import traceback
from io import StringIO
from pathlib import Path

import nbformat


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
    """Autograde and generate feedback for the job's submission; return the result dict."""
    from nbgrader.converters import Autograde, GenerateFeedback
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
    config.GenerateFeedback.force = True
    for name, value in job.get("config", {}).items():
        section, trait = name.split(".")
        setattr(getattr(config, section), trait, value)
    if job.get("probe_seed") is not None:
        config.AddProbeCells.assignment = assignment
        config.AddProbeCells.seed = job["probe_seed"]
        config.CollectProbes.output_path = str(workspace / "probes.json")
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
    result: dict = {"status": "ok", "message": "", "grades": [], "problems": []}
    with keep_cwd():
        try:
            autograde = Autograde(coursedir=CourseDirectory(config=config), config=config)
            autograde.log.addHandler(handler)
            autograde.start()
        except Exception as error:  # noqa: BLE001 - reported as this submission's result
            result.update(
                status="grading error", message=_last_error(log.getvalue(), error), log=log.getvalue()[-4000:]
            )
            if "kernel" in result["message"].lower() and "died" in result["message"].lower():
                result["status"] = "kernel died"
            return result
        graded = workspace / "autograded" / student / assignment / f"{assignment}.ipynb"
        result["problems"] = execution_problems(graded)
        result["resources"] = resource_signs(graded.read_text(errors="replace")) if graded.is_file() else []
        result["grades"] = read_grades(db_url, assignment, student)
        probes = workspace / "probes.json"
        result["probes"] = json.loads(probes.read_text()) if probes.is_file() else {}
        try:
            feedback = GenerateFeedback(coursedir=CourseDirectory(config=config), config=config)
            feedback.start()
        except Exception as error:  # noqa: BLE001
            result["problems"].append(f"no feedback: {error}")
    return result


def _last_error(log: str, error: BaseException) -> str:
    """The most specific error line of nbgrader's log: the last exception line of a traceback."""
    exceptions = re.findall(r"^(?:[\w.]+(?:Error|Exception|Exit)\b.*)$", log, re.M)
    return (exceptions[-1] if exceptions else f"{type(error).__name__}: {error}").strip()[:300]


def main(argv: list[str] | None = None) -> int:
    """Run the job file given as the only argument; write its result file."""
    args = sys.argv[1:] if argv is None else argv
    job = json.loads(Path(args[0]).read_text())
    try:
        result = grade(job)
    except Exception as error:  # noqa: BLE001 - the parent needs a result, whatever happened
        result = {"status": "grading error", "message": f"{type(error).__name__}: {error}", "grades": []}
        result["traceback"] = traceback.format_exc()
    tmp = Path(job["result"]).with_suffix(".tmp")
    tmp.write_text(json.dumps(result))
    tmp.replace(job["result"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
