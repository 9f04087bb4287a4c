"""The grading pipeline (`gdlab grade`) on a small course: statuses, idempotence, no stale grades."""

from __future__ import annotations

import csv
import hashlib
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from tests.sandbox_flags import GRADE_FLAGS
from tests.toy_course import ASSIGNMENT, NEGATIVE, ZERO, make_course, submission, write_submission

pytestmark = pytest.mark.slow
GDLAB = [sys.executable, "-m", "gdlab.cli"]


def grade(course: Path, submissions: Path, out: Path, *extra: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [
            *GDLAB,
            "grade",
            ASSIGNMENT,
            str(submissions),
            "--out",
            str(out),
            "--course-dir",
            str(course),
            "--quiet",
            *GRADE_FLAGS,
            *extra,
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )


def rows(out: Path) -> dict[str, dict]:
    with (out / "grades.csv").open() as f:
        return {r["student_id"]: r for r in csv.DictReader(f)}


def digest(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in folder.rglob("*")
        if p.is_file()
    }


@pytest.fixture
def course(tmp_path: Path) -> Path:
    return make_course(tmp_path / "course")


def test_a_mixed_class_is_graded_with_a_status_each(course: Path, tmp_path: Path) -> None:
    subs = tmp_path / "subs"
    write_submission(subs, "full", submission())
    write_submission(subs, "partial", submission(triple="3 + x"))
    write_submission(subs, "hidden_only", submission(double="abs(2 * x)"))
    write_submission(subs, "broken_json", "{not json")
    write_submission(subs, "not_a_notebook", '{"cells": []}')
    write_submission(
        subs, "nbformat3", nbformat.writes(nbformat.v3.convert.downgrade(submission()), version=3)
    )
    write_submission(subs, "crash", submission(extra="import os\nos._exit(1)"))
    (subs / "no_notebook" / ASSIGNMENT).mkdir(parents=True)
    before = digest(subs)
    out = tmp_path / "out"
    run = grade(course, subs, out)
    assert run.returncode == 0, run.stderr
    got = rows(out)
    assert {s: (r["score"], r["status"]) for s, r in got.items()} == {
        "full": ("5", "ok"),
        "partial": ("3", "ok"),
        "hidden_only": ("2", "ok"),
        "broken_json": ("0", "malformed notebook"),
        "not_a_notebook": ("0", "malformed notebook"),
        "nbformat3": ("5", "ok"),
        "crash": ("5", "kernel died"),  # the points earned before the crash are kept
        "no_notebook": ("0", "missing notebook"),
    }
    assert all(r["max_score"] == "5" and r["manual_max_score"] == "1" for r in got.values())
    assert "converted from nbformat 3" in got["nbformat3"]["message"]
    assert digest(subs) == before, "grading modified a submission"
    # Feedback: visible tests shown, hidden ones never; a failed hidden group is named by its
    # description only (the group that passed is not named, the code and inputs never shown).
    page = (out / "feedback" / "hidden_only" / f"{ASSIGNMENT}.html").read_text()
    assert "double(2)" in page and "secret_" not in page
    assert f"hidden check failed: {NEGATIVE}" in page and f"hidden check failed: {ZERO}" not in page
    assert "hidden check failed" not in (out / "feedback" / "full" / f"{ASSIGNMENT}.html").read_text()
    assert "secret_" not in (out / "feedback" / "full" / f"{ASSIGNMENT}.html").read_text()
    assert not (out / "feedback" / "broken_json").exists()


def test_regrading_is_idempotent_and_leaves_no_stale_grade(course: Path, tmp_path: Path) -> None:
    subs, out = tmp_path / "subs", tmp_path / "out"
    write_submission(subs, "ann", submission())
    write_submission(subs, "ben", submission(triple="x"))
    assert grade(course, subs, out).returncode == 0
    first = (out / "grades.csv").read_text()
    assert grade(course, subs, out).returncode == 0
    assert (out / "grades.csv").read_text() == first
    # ann's notebook is replaced by a broken one: her old 5 points must not survive.
    write_submission(subs, "ann", b"\x00garbage")
    assert grade(course, subs, out).returncode == 0
    assert rows(out)["ann"]["score"] == "0" and rows(out)["ann"]["status"] == "malformed notebook"
    assert not (out / "feedback" / "ann" / f"{ASSIGNMENT}.html").exists()
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{out / 'gradebook.db'}") as gb:
        assert gb.find_submission(ASSIGNMENT, "ann").score == 0
        assert gb.find_submission(ASSIGNMENT, "ben").score == 3


def test_rows_of_other_assignments_are_kept(course: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "grades.csv").write_text(
        "student_id,assignment,score,max_score,manual_max_score,status,message\nzoe,other,7,9,1,ok,\n"
    )
    subs = tmp_path / "subs"
    write_submission(subs, "ann", submission())
    assert grade(course, subs, out).returncode == 0
    assert (rows(out)["zoe"]["assignment"], rows(out)["zoe"]["score"]) == ("other", "7")


def test_grading_that_cannot_run_exits_non_zero_with_a_clear_message(course: Path, tmp_path: Path) -> None:
    run = grade(course, tmp_path / "does-not-exist", tmp_path / "out")
    assert run.returncode == 2 and "does not exist" in run.stderr
    run = subprocess.run(
        [*GDLAB, "grade", "nope", str(tmp_path), "--out", str(tmp_path / "o"), "--course-dir", str(course)],
        capture_output=True,
        text=True,
    )
    assert run.returncode == 2 and "unknown assignment 'nope'" in run.stderr


def test_an_lms_zip_is_collected_with_zip_collect(course: Path, tmp_path: Path) -> None:
    import zipfile

    archive = tmp_path / "export.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr(f"kim_1234_5678_{ASSIGNMENT}.ipynb", nbformat.writes(submission()))
        zf.writestr(f"lee_2345_6789_{ASSIGNMENT}.ipynb", nbformat.writes(submission(triple="x")))
        zf.writestr("readme.txt", "not a submission")
    out = tmp_path / "out"
    run = grade(course, archive, out)
    assert run.returncode == 0, run.stderr
    got = rows(out)
    assert {s: r["score"] for s, r in got.items()} == {"kim": "5", "lee": "3"}
    assert (out / "feedback" / "kim" / f"{ASSIGNMENT}.html").is_file()
    run = grade(course, archive, tmp_path / "out2", "--name-pattern", r"^nobody_(?P<student_id>\w+)")
    assert run.returncode == 2 and "matching" in run.stderr


def test_grading_refuses_to_run_without_a_sandbox_unless_told(course: Path, tmp_path: Path) -> None:
    subs, out = tmp_path / "subs", tmp_path / "out"
    write_submission(subs, "ann", submission())
    no_tools = {"PATH": str(Path(sys.executable).parent), "HOME": str(tmp_path)}
    command = [
        *GDLAB,
        "grade",
        ASSIGNMENT,
        str(subs),
        "--out",
        str(out),
        "--course-dir",
        str(course),
        "--quiet",
    ]
    run = subprocess.run(command, capture_output=True, text=True, env=no_tools, timeout=600)
    assert run.returncode == 2
    assert "cannot set up the grading sandbox" in run.stderr and "--unsafe-no-sandbox" in run.stderr
    assert not (out / "grades.csv").exists()
    run = subprocess.run(
        [*command, "--unsafe-no-sandbox"], capture_output=True, text=True, env=no_tools, timeout=600
    )
    assert run.returncode == 0, run.stderr
    assert rows(out)["ann"]["score"] == "5"
