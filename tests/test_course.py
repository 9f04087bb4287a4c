"""Every lesson, end to end with real kernels and real nbgrader (slow).

Per assignment: the solution notebook runs clean; `gdlab grade` gives the solution
full auto-graded marks, a half-done notebook part of them and the untouched
student notebook 0, with feedback that shows no hidden test; `gdlab check`
reports every exercise of the untouched notebook as failing.
"""

from __future__ import annotations

import csv
import html
import os
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from gdlab_autograde.course import assignments
from tests.notebook_harness import ROOT, nbgrader_meta
from tests.sandbox_flags import GRADE_FLAGS

ASSIGNMENTS = assignments(ROOT)
GDLAB = [sys.executable, "-m", "gdlab.cli"]
pytestmark = pytest.mark.slow


def solution(assignment: str) -> Path:
    return ROOT / "solutions" / assignment / f"{assignment}.ipynb"


def released(assignment: str) -> Path:
    return ROOT / "notebooks" / assignment / f"{assignment}.ipynb"


def offline_env() -> dict:
    return {**os.environ, "GDLAB_OFFLINE": "1", "MPLBACKEND": "Agg"}


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_solution_runs_clean_in_a_fresh_kernel(assignment: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GDLAB_OFFLINE", "1")
    nb = nbformat.read(solution(assignment), as_version=4)
    NotebookClient(
        nb,
        timeout=300,
        kernel_name="python3",
        resources={"metadata": {"path": str(solution(assignment).parent)}},
    ).execute()
    problems = [
        (i, o.get("name") or o.get("ename"))
        for i, cell in enumerate(nb.cells)
        for o in cell.get("outputs", [])
        if o.output_type == "error" or (o.output_type == "stream" and o.name == "stderr")
    ]
    assert problems == [], f"cells with errors or stderr output: {problems}"


def completed(assignment: str, skip_first: bool = False) -> nbformat.NotebookNode:
    """The released notebook as a student hands it in: every answer filled in from the
    solution (all but the first auto-graded exercise with ``skip_first``)."""
    answers = {
        nbgrader_meta(c)["grade_id"]: c.source
        for c in nbformat.read(solution(assignment), as_version=4).cells
        if nbgrader_meta(c).get("solution")
    }
    nb = nbformat.read(released(assignment), as_version=4)
    exercises = [c for c in nb.cells if nbgrader_meta(c).get("solution")]
    skipped = next(c for c in exercises if c.cell_type == "code") if skip_first else None
    for cell in exercises:
        if cell is not skipped:
            cell.source = answers[nbgrader_meta(cell)["grade_id"]]
    assert skipped is None or "NotImplementedError" in skipped.source
    return nb


def hidden_test_lines(assignment: str) -> list[str]:
    """Distinctive lines of the hidden tests, to look for in feedback."""
    lines = []
    for cell in nbformat.read(solution(assignment), as_version=4).cells:
        inside = False
        for line in cell.source.splitlines():
            if line.strip() == "### BEGIN HIDDEN TESTS":
                inside = True
            elif line.strip() == "### END HIDDEN TESTS":
                inside = False
            elif inside and len(line.strip()) > 25 and not line.strip().startswith("#"):
                lines.append(line.strip())
    return lines


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_grading_gives_full_partial_and_zero(assignment: str, tmp_path: Path) -> None:
    subs = tmp_path / "submissions"
    for student, nb in {
        "correct": completed(assignment),
        "half": completed(assignment, skip_first=True),
        "untouched": nbformat.read(released(assignment), as_version=4),
    }.items():
        (subs / student / assignment).mkdir(parents=True)
        nbformat.write(nb, subs / student / assignment / f"{assignment}.ipynb")
    out = tmp_path / "out"
    run = subprocess.run(
        [*GDLAB, "grade", assignment, str(subs), "--out", str(out), "--quiet", *GRADE_FLAGS],
        capture_output=True,
        text=True,
        env=offline_env(),
        timeout=900,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    with (out / "grades.csv").open() as f:
        rows = {r["student_id"]: r for r in csv.DictReader(f)}
    assert set(rows) == {"correct", "half", "untouched"}
    assert all(r["status"] == "ok" for r in rows.values()), rows
    top = float(rows["correct"]["max_score"])
    assert top > 0 and float(rows["correct"]["score"]) == top, rows["correct"]
    assert 0 < float(rows["half"]["score"]) < top, rows["half"]
    assert float(rows["untouched"]["score"]) == 0, rows["untouched"]
    assert float(rows["correct"]["manual_max_score"]) > 0, "no written answer graded by hand"
    secrets = hidden_test_lines(assignment)
    assert secrets, f"{assignment} has no hidden tests"
    for student in rows:
        page = html.unescape((out / "feedback" / student / f"{assignment}.html").read_text())
        leaked = [line for line in secrets if line in page]
        assert leaked == [], f"feedback of {student} shows hidden tests: {leaked[:3]}"


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_self_check_reports_each_unfinished_exercise(assignment: str) -> None:
    run = subprocess.run(
        [*GDLAB, "check", str(released(assignment))],
        capture_output=True,
        text=True,
        env=offline_env(),
        timeout=600,
    )
    assert run.returncode == 1, run.stdout + run.stderr
    tests = [
        nbgrader_meta(c)["grade_id"]
        for c in nbformat.read(released(assignment), as_version=4).cells
        if nbgrader_meta(c).get("grade") and c.cell_type == "code"
    ]
    for grade_id in tests:
        assert f"FAIL  {grade_id}" in run.stdout, run.stdout
    assert "not done yet" in run.stdout
    assert f"0/{len(tests)} passed" in run.stdout


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_self_check_passes_the_solution(assignment: str) -> None:
    run = subprocess.run(
        [*GDLAB, "check", str(solution(assignment))],
        capture_output=True,
        text=True,
        env=offline_env(),
        timeout=600,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "FAIL" not in run.stdout
