"""Grading at class scale: the cached reference, `gdlab grade --all`, the recorded timings."""

from __future__ import annotations

import csv
import json
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from tests.sandbox_flags import GRADE_FLAGS
from tests.toy_course import ASSIGNMENT, make_course, source_notebook, submission, write_submission

pytestmark = pytest.mark.slow
GDLAB = [sys.executable, "-m", "gdlab.cli"]
SECOND = "toy2"  # a second assignment of the course, for --all


def gdlab_grade(course: Path, out: Path, *args: str, quiet: bool = True) -> subprocess.CompletedProcess:
    return subprocess.run(
        [*GDLAB, "grade", *args, "--out", str(out), "--course-dir", str(course), *GRADE_FLAGS]
        + (["--quiet"] if quiet else []),
        capture_output=True,
        text=True,
        timeout=900,
    )


def reference_timings(out: Path, assignment: str = ASSIGNMENT) -> dict:
    return json.loads((out / "timings" / f"{assignment}.json").read_text())["reference"]


def rows(out: Path) -> dict[tuple[str, str], dict]:
    with (out / "grades.csv").open() as f:
        return {(r["student_id"], r["assignment"]): r for r in csv.DictReader(f)}


def test_the_reference_is_graded_once_and_again_when_what_it_depends_on_changes(tmp_path: Path) -> None:
    course = make_course(tmp_path / "course")
    subs, out = tmp_path / "subs", tmp_path / "out"
    write_submission(subs, "ada", submission())
    write_submission(subs, "bob", submission(double="x + x + 1"))

    first = gdlab_grade(course, out, ASSIGNMENT, str(subs))
    assert first.returncode == 0, first.stderr
    assert "cached" not in reference_timings(out)
    assert reference_timings(out)["kernel start"] > 0  # the solution ran in a kernel
    cache = out / ".gdlab-cache" / "reference" / f"{ASSIGNMENT}.json"
    assert stat.S_IMODE(cache.stat().st_mode) == 0o600  # it holds results for the students' secret seeds
    assert len(json.loads(cache.read_text())["probes_by_seed"]) == 2

    second = gdlab_grade(course, out, ASSIGNMENT, str(subs))
    assert second.returncode == 0, second.stderr
    assert reference_timings(out) == {"cached": 1.0}  # not graded again
    assert rows(out)[("ada", ASSIGNMENT)]["score"] == "5"
    assert rows(out)[("bob", ASSIGNMENT)]["score"] == "2"

    # A new student: the solution is graded again, for the new student's seed only.
    write_submission(subs, "cleo", submission())
    third = gdlab_grade(course, out, ASSIGNMENT, str(subs))
    assert third.returncode == 0, third.stderr
    assert "cached" not in reference_timings(out)
    assert len(json.loads(cache.read_text())["probes_by_seed"]) == 3
    assert rows(out)[("cleo", ASSIGNMENT)]["score"] == "5"

    # A solution that no longer passes its own tests must be noticed, not hidden by the cache.
    path = course / "solutions" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    broken = nbformat.read(path, as_version=4)
    for cell in broken.cells:
        cell.source = cell.source.replace("return 2 * x", "return 2 * x + 1")
    nbformat.write(broken, path)
    fourth = gdlab_grade(course, out, ASSIGNMENT, str(subs))
    assert fourth.returncode == 2
    assert "does not pass its own grading" in fourth.stderr

    # Fixed again (same cells, a changed text): the release changed, so the solution is graded again.
    fixed = source_notebook()
    fixed.cells[0].source = "# Toy, second edition"
    nbformat.write(fixed, path)
    fifth = gdlab_grade(course, out, ASSIGNMENT, str(subs))
    assert fifth.returncode == 0, fifth.stderr
    assert "cached" not in reference_timings(out)


def test_the_timings_of_every_submission_are_recorded(tmp_path: Path) -> None:
    course = make_course(tmp_path / "course")
    subs, out = tmp_path / "subs", tmp_path / "out"
    write_submission(subs, "ada", submission())
    write_submission(subs, "bob", submission(triple="0"))
    result = gdlab_grade(course, out, ASSIGNMENT, str(subs))
    assert result.returncode == 0, result.stderr
    record = json.loads((out / "timings" / f"{ASSIGNMENT}.json").read_text())
    assert sorted(record["submissions"]) == ["ada", "bob"]
    for timings in record["submissions"].values():
        for step in ("prepare", "hand-off", "kernel start", "cells", "hidden checks and probes", "feedback"):
            assert timings[step] >= 0, step
        # The worker's stages add up to no more than the time the worker reported for the job.
        stages = [
            "kernel start",
            "cells",
            "hidden checks and probes",
            "kernel shutdown",
            "nbgrader autograde",
        ]
        assert sum(timings[s] for s in stages) <= timings["worker"] + 1e-6
        assert timings["kernel start"] > 0.05  # a real kernel, in the sandbox
    for step in ("template", "gradebook", "feedback (wall)", "total"):
        assert record["run"][step] > 0, step
    assert record["run"]["total"] >= record["run"]["template"] + record["run"]["gradebook"]


def test_grade_all_grades_every_assignment_of_a_class_folder_in_one_run(tmp_path: Path) -> None:
    course = make_course(tmp_path / "course")
    second = course / "solutions" / SECOND
    second.mkdir()
    shutil.copy(course / "solutions" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", second / f"{SECOND}.ipynb")
    subs, out = tmp_path / "subs", tmp_path / "out"
    write_submission(subs, "ada", submission())
    write_submission(subs, "bob", submission(double="0"))
    nb2 = subs / "ada" / SECOND / f"{SECOND}.ipynb"
    nb2.parent.mkdir(parents=True)
    nbformat.write(submission(triple="0"), nb2)  # bob has not handed in toy2

    result = gdlab_grade(course, out, "--all", str(subs), quiet=False)
    assert result.returncode == 0, result.stderr
    graded = rows(out)
    assert set(graded) == {("ada", ASSIGNMENT), ("bob", ASSIGNMENT), ("ada", SECOND), ("bob", SECOND)}
    assert graded[("ada", ASSIGNMENT)]["score"] == "5"
    assert graded[("bob", ASSIGNMENT)]["score"] == "2"
    assert graded[("ada", SECOND)]["score"] == "3"
    assert graded[("bob", SECOND)]["status"] == "missing notebook"
    assert (out / "feedback" / "ada" / f"{SECOND}.html").is_file()
    assert (out / "feedback" / "bob" / f"{ASSIGNMENT}.html").is_file()
    assert not (out / "feedback" / "bob" / f"{SECOND}.html").exists()
    # One progress bar for the whole class, counting every submission of every assignment.
    assert result.stderr.count("grading the class") >= 1
    assert "grading toy" not in result.stderr
    assert "4/4" in result.stderr
    # The master gradebook holds both assignments.
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{out / 'gradebook.db'}") as gb:
        assert sorted(a.name for a in gb.assignments) == [ASSIGNMENT, SECOND]
        assert gb.find_submission(SECOND, "ada").score == 3


def test_grade_all_refuses_a_zip_and_an_assignment_beside_it(tmp_path: Path) -> None:
    course = make_course(tmp_path / "course")
    archive = tmp_path / "class.zip"
    archive.write_bytes(b"PK\x05\x06" + bytes(18))  # an empty zip
    refused = gdlab_grade(course, tmp_path / "out", "--all", str(archive))
    assert refused.returncode == 2
    assert "is not a folder" in refused.stderr
    both = gdlab_grade(course, tmp_path / "out", "--all", ASSIGNMENT, str(tmp_path))
    assert both.returncode == 2
    assert "with --all, give only the class folder" in both.stderr
    assert not os.path.exists(tmp_path / "out" / "grades.csv")
