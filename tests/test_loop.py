"""The instructor's grading loop after `gdlab grade`: manual grades that survive re-grading,
truthful feedback, final grades (Canvas CSV, nbgrader's own export) and one run at a time.

Manual grades are written here as nbgrader's formgrader writes them (its API handlers set
``manual_score``/``extra_credit``/``manual_comment`` and ``needs_manual_grade``); the real
formgrader in a browser is tests/test_formgrader_browser.py.
"""

from __future__ import annotations

import csv
import re
import subprocess
import sys
from html import unescape
from pathlib import Path

import nbformat
import pytest

from tests.sandbox_flags import GRADE_FLAGS
from tests.toy_course import ASSIGNMENT, make_course, submission, write_submission

pytestmark = pytest.mark.slow
ACTIVE_OUTPUT = (
    "from IPython.display import HTML, Javascript, display\n"
    "display(HTML('<img src=x onerror=\"alert(1)\"><b>bold</b>'))\n"
    "display(Javascript('alert(2)'))"
)
GDLAB = [sys.executable, "-m", "gdlab.cli"]


def gdlab(*args: str) -> subprocess.CompletedProcess:
    """Run a `gdlab` command; its completed process."""
    return subprocess.run([*GDLAB, *args], capture_output=True, text=True, timeout=600)


def grade(course: Path, submissions: Path, out: Path) -> subprocess.CompletedProcess:
    """`gdlab grade` the toy class; fails the test when grading fails."""
    run = gdlab(
        "grade", ASSIGNMENT, str(submissions), "--out", str(out), "--course-dir", str(course), "--quiet",
        *GRADE_FLAGS,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    return run


def table(path: Path) -> list[dict]:
    """The rows of a CSV file."""
    with path.open(newline="") as f:
        return list(csv.DictReader(f))


def by_student(path: Path) -> dict[str, dict]:
    """The rows of a per-student CSV file, by student id."""
    return {r["student_id"]: r for r in table(path)}


def page_text(path: Path) -> str:
    """The visible text of an HTML page, whitespace collapsed."""
    html = re.sub(r"<(style|script)\b.*?</\1>", "", path.read_text(), flags=re.S)
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


def grade_by_hand(
    out: Path, student: str, cell: str, score: float | None = None, comment: str | None = None,
    extra_credit: float | None = None, comment_cell: str | None = None,
) -> None:  # fmt: skip
    """Score a cell and comment on an answer as nbgrader's formgrader does."""
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{out / 'gradebook.db'}") as gb:
        grade = gb.find_grade(cell, ASSIGNMENT, ASSIGNMENT, student)
        grade.manual_score, grade.extra_credit = score, extra_credit
        grade.needs_manual_grade = grade.manual_score is None and grade.auto_score is None
        if comment is not None:
            gb.find_comment(comment_cell or cell, ASSIGNMENT, ASSIGNMENT, student).manual_comment = comment
        gb.db.commit()


def stored(out: Path, student: str, cell: str) -> tuple[float | None, bool, str | None]:
    """(manual score, needs manual grade, comment) of a cell in the class's gradebook."""
    from nbgrader.api import Gradebook, MissingEntry

    with Gradebook(f"sqlite:///{out / 'gradebook.db'}") as gb:
        grade = gb.find_grade(cell, ASSIGNMENT, ASSIGNMENT, student)
        try:
            comment = gb.find_comment(cell, ASSIGNMENT, ASSIGNMENT, student).manual_comment
        except MissingEntry:
            comment = None
        return grade.manual_score, grade.needs_manual_grade, comment


def with_answer(text: str, **functions: str) -> nbformat.NotebookNode:
    """A toy submission whose written answer reads ``text``."""
    nb = submission(**functions)
    for cell in nb.cells:
        if cell.metadata.get("nbgrader", {}).get("grade_id") == "explain_toy":
            cell.source = text
    return nb


@pytest.fixture
def course(tmp_path: Path) -> Path:
    return make_course(tmp_path / "course")


def test_manual_grades_survive_regrading_and_changed_answers_are_flagged(
    course: Path, tmp_path: Path
) -> None:
    subs, out = tmp_path / "subs", tmp_path / "out"
    write_submission(subs, "ann", with_answer("Because doubling is linear. <script>alert('ann')</script>"))
    write_submission(subs, "ben", submission(triple="x", extra=ACTIVE_OUTPUT))
    grade(course, subs, out)
    # What formgrader shows the instructor cannot run a student's script in their session.
    for student in ("ann", "ben"):
        shown = nbformat.read(out / "autograded" / student / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", as_version=4)
        rendered = [c.source for c in shown.cells if c.cell_type != "code"]
        rendered += [str(o.get("data", {})) for c in shown.cells for o in c.get("outputs", [])]
        assert not [r for r in rendered if "<script" in r or "<img" in r or "application/javascript" in r]
    assert "<b>bold</b>" in str(shown.cells[-1].outputs)
    assert (
        "&lt;script&gt;alert('ann')"
        in (out / "autograded" / "ann" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb").read_text()
    )
    # OUT is an nbgrader course directory: config, source, release, one graded notebook each.
    assert (out / "nbgrader_config.py").is_file() and (
        out / "source" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    ).is_file()
    assert (out / "release" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb").is_file()
    assert {
        p.parent.parent.name for p in (out / "autograded").glob(f"*/{ASSIGNMENT}/{ASSIGNMENT}.ipynb")
    } == {
        "ann",
        "ben",
    }
    # Before anyone read the written answer, the feedback says so instead of "0 / 1".
    before = page_text(out / "feedback" / "ann" / f"{ASSIGNMENT}.html")
    assert "5/5 auto-graded; 1 point of written answers not graded yet" in before
    assert "not graded yet, worth 1 point" in before and "Score: 0 / 1" not in before
    assert by_student(out / "final_grades.csv")["ann"]["manual_grading_complete"] == "no"

    grade_by_hand(out, "ann", "explain_toy", score=1, comment="Right: 2(x+y) = 2x + 2y.")
    grade_by_hand(
        out, "ben", "test_triple", score=1, comment="Half marks: x is a start.", comment_cell="triple"
    )
    regenerated = gdlab("feedback", str(out))
    assert regenerated.returncode == 0, regenerated.stderr
    after = page_text(out / "feedback" / "ann" / f"{ASSIGNMENT}.html")
    assert "Total: 6/6 (5/5 auto-graded, 1/1 for written answers)" in after
    assert "Right: 2(x+y) = 2x + 2y." in after and "not graded yet" not in after
    assert "Half marks: x is a start." in page_text(out / "feedback" / "ben" / f"{ASSIGNMENT}.html")
    assert "secret_" not in after

    # The same class again: every manual score and comment kept.
    grade(course, subs, out)
    assert stored(out, "ann", "explain_toy") == (1, False, "Right: 2(x+y) = 2x + 2y.")
    assert stored(out, "ben", "test_triple")[:2] == (1, False)
    rows = by_student(out / "grades.csv")
    assert (rows["ann"]["manual_score"], rows["ann"]["manual_complete"], rows["ann"]["review"]) == (
        "1",
        "yes",
        "",
    )
    finals = by_student(out / "final_grades.csv")
    assert (finals["ann"]["total"], finals["ben"]["total"]) == ("6", "4")

    # A fixed test (the course changed, the answers did not) keeps them too.
    source = course / "solutions" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    nb = nbformat.read(source, as_version=4)
    test_cell = next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "test_triple")
    test_cell.source = test_cell.source.replace("'triple(1)')", "'triple(1) is 3')")
    nbformat.write(nb, source)
    grade(course, subs, out)
    assert stored(out, "ben", "test_triple")[:2] == (1, False)
    assert stored(out, "ann", "explain_toy") == (1, False, "Right: 2(x+y) = 2x + 2y.")

    # Ann rewrites her answer: the old score is kept, marked for review, and flagged everywhere.
    write_submission(subs, "ann", with_answer("Because I said so."))
    run = grade(course, subs, out)
    assert stored(out, "ann", "explain_toy") == (1, True, "Right: 2(x+y) = 2x + 2y.")
    assert re.search(r"REVIEW explain_toy: answer changed since it was graded by hand \(kept 1/1", run.stdout)
    assert "explain_toy: answer changed" in by_student(out / "grades.csv")["ann"]["review"]
    audit = {r["student_id"]: r for r in table(out / "audit.csv")}
    assert "answer changed" in audit["ann"]["flags"] and "answer changed" not in audit["ben"]["flags"]
    assert by_student(out / "final_grades.csv")["ann"]["manual_grading_complete"] == "no"
    assert "not graded yet" in page_text(out / "feedback" / "ann" / f"{ASSIGNMENT}.html")
    assert stored(out, "ben", "test_triple")[:2] == (1, False)


def test_final_grades_agree_with_nbgrader_export_and_canvas_layout(course: Path, tmp_path: Path) -> None:
    subs, out = tmp_path / "subs", tmp_path / "out"
    write_submission(subs, "ann", submission())
    write_submission(subs, "ben", submission(triple="x"))
    write_submission(subs, "cat", "{not json")
    grade(course, subs, out)
    grade_by_hand(out, "ann", "explain_toy", score=0.5)
    grade_by_hand(out, "ben", "test_double", extra_credit=1)
    exported = gdlab("export", str(out))
    assert exported.returncode == 0, exported.stderr
    finals = by_student(out / "final_grades.csv")
    assert {
        s: (r["auto_score"], r["manual_score"], r["total"], r["max_score"]) for s, r in finals.items()
    } == {
        "ann": ("5", "0.5", "5.5", "6"),
        "ben": ("4", "0", "4", "6"),
        "cat": ("0", "0", "0", "6"),
    }
    assert (finals["ann"]["manual_grading_complete"], finals["ben"]["manual_grading_complete"]) == (
        "yes",
        "no",
    )
    assert (finals["ann"]["status"], finals["cat"]["status"]) == ("ok", "malformed notebook")
    # nbgrader's own export, run in the course directory, reads the same gradebook.
    nbgrader = subprocess.run(
        [sys.executable, "-m", "nbgrader", "export"], cwd=out, capture_output=True, text=True, timeout=300
    )
    assert nbgrader.returncode == 0, nbgrader.stderr
    theirs = {r["student_id"]: float(r["score"]) for r in table(out / "nbgrader_grades.csv")}
    assert theirs == {s: float(r["total"]) for s, r in finals.items()}
    assert by_student(out / "grades.csv")["ann"]["score"] == "5"  # gdlab's grades.csv untouched
    with (out / "canvas_grades.csv").open(newline="") as f:
        canvas = list(csv.reader(f))
    assert canvas[0] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", ASSIGNMENT]
    assert canvas[1] == ["Points Possible", "", "", "", "", "6"]
    assert {row[2]: row[5] for row in canvas[2:]} == {"ann": "5.5", "ben": "4", "cat": "0"}


def test_a_second_run_on_the_same_class_refuses(course: Path, tmp_path: Path) -> None:
    from gdlab_autograde.coursedir import exclusive

    subs, out = tmp_path / "subs", tmp_path / "out"
    write_submission(subs, "ann", submission())
    with exclusive(out):
        run = gdlab(
            "grade", ASSIGNMENT, str(subs), "--out", str(out), "--course-dir", str(course), "--quiet",
            "--unsafe-no-sandbox",
        )  # fmt: skip
    assert run.returncode == 2 and "is being graded by gdlab grade (pid" in run.stderr
    assert not (out / "grades.csv").exists() and not (out / "gradebook.db").exists()


def test_every_csv_cell_a_spreadsheet_would_run_is_escaped(tmp_path: Path) -> None:
    from gdlab_autograde.results import Result, spreadsheet_safe, write_audit_csv, write_grades_csv

    assert [spreadsheet_safe(v) for v in ["=1+1", "+cmd", "-2+3", "@SUM(A1)", "\tx", "\rx"]] == [
        "'=1+1", "'+cmd", "'-2+3", "'@SUM(A1)", "'\tx", "'\rx",
    ]  # fmt: skip
    assert [spreadsheet_safe(v) for v in ["-2", "-0.5", "ann", "a=b", 3]] == ["-2", "-0.5", "ann", "a=b", 3]
    result = Result("ann", "toy", status="ok", message='=HYPERLINK("http://evil","x")')
    result.flag("=cmd|' /C calc'!A0", "@SUM(1)")
    write_grades_csv(tmp_path / "grades.csv", [result], "toy")
    write_audit_csv(tmp_path / "audit.csv", [result], "toy")
    assert by_student(tmp_path / "grades.csv")["ann"]["message"] == '\'=HYPERLINK("http://evil","x")'
    assert by_student(tmp_path / "audit.csv")["ann"]["flags"].startswith("'=cmd")
    # Re-writing keeps other assignments' rows, escaped once, not twice.
    write_grades_csv(tmp_path / "grades.csv", [Result("ben", "other")], "other")
    assert by_student(tmp_path / "grades.csv")["ann"]["message"].startswith("'=HYPER")
