"""Final grades from the class's gradebook: auto + manual, per student and across the course.

- ``OUT/final_grades.csv``: a row per student and assignment: auto, manual, total,
  max and whether manual grading is complete (nothing left for the instructor);
- ``OUT/canvas_grades.csv``: the course-wide table in the layout Canvas's gradebook
  import reads (Student, ID, SIS User ID, SIS Login ID, Section, then one column per
  assignment; the row under the header gives each assignment's "Points Possible").
  The student id goes in "SIS User ID" (Canvas matches on it); "ID" stays empty.

Totals are nbgrader's own (``SubmittedAssignment.score``: manual scores where given,
auto scores otherwise, plus extra credit), so they agree with ``nbgrader export``.
"""

from __future__ import annotations

import csv
from pathlib import Path

from gdlab_autograde.results import number, write_csv

FINAL_COLUMNS = [
    "student_id",
    "assignment",
    "auto_score",
    "manual_score",
    "total",
    "max_score",
    "manual_grading_complete",
    "status",
]
CANVAS_ID_COLUMNS = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]


def final_grades(db: Path) -> tuple[list[dict], dict[str, float]]:
    """Rows of final grades (every student × every assignment) and each assignment's max score."""
    from nbgrader.api import Gradebook, MissingEntry

    rows, maxima = [], {}
    with Gradebook(f"sqlite:///{db}") as gb:
        for assignment in sorted(gb.assignments, key=lambda a: a.name):
            maxima[assignment.name] = assignment.max_score
            for student in sorted(gb.students, key=lambda s: s.id):
                try:
                    submission = gb.find_submission(assignment.name, student.id)
                except MissingEntry:
                    rows.append(
                        {
                            "student_id": student.id,
                            "assignment": assignment.name,
                            "auto_score": "0",
                            "manual_score": "0",
                            "total": "0",
                            "max_score": number(assignment.max_score),
                            "manual_grading_complete": "yes",
                            "status": "no submission",
                            "name": student_name(student),
                        }
                    )
                    continue
                grades = [g for nb in submission.notebooks for g in nb.grades]
                auto = sum(g.score for g in grades if g.cell.cell_type == "code")
                manual = sum(g.score for g in grades if g.cell.cell_type != "code")
                rows.append(
                    {
                        "student_id": student.id,
                        "assignment": assignment.name,
                        "auto_score": number(auto),
                        "manual_score": number(manual),
                        "total": number(submission.score),
                        "max_score": number(submission.max_score),
                        "manual_grading_complete": "no" if submission.needs_manual_grade else "yes",
                        "status": "ok",
                        "name": student_name(student),
                    }
                )
    return rows, maxima


def student_name(student) -> str:  # noqa: ANN001 - nbgrader Student
    """'Last, First' as Canvas writes it, or the student id when the gradebook has no name."""
    names = [n for n in (student.last_name, student.first_name) if n]
    return ", ".join(names) if names else student.id


def grading_statuses(out: Path) -> dict[tuple[str, str], str]:
    """What ``gdlab grade`` said of each submission (``ok``, ``malformed notebook``, ...), from grades.csv."""
    path = out / "grades.csv"
    if not path.is_file():
        return {}
    with path.open(newline="") as f:
        return {(r["student_id"], r["assignment"]): r["status"] for r in csv.DictReader(f)}


def write_final_grades(out: Path) -> tuple[Path, Path]:
    """Write ``OUT/final_grades.csv`` and ``OUT/canvas_grades.csv`` from ``OUT/gradebook.db``."""
    rows, maxima = final_grades(out / "gradebook.db")
    statuses = grading_statuses(out)
    for row in rows:
        row["status"] = statuses.get((row["student_id"], row["assignment"]), row["status"])
    final = out / "final_grades.csv"
    write_csv(final, FINAL_COLUMNS, rows)
    by_student: dict[str, dict] = {}
    for row in rows:
        line = by_student.setdefault(
            row["student_id"],
            {
                "Student": row["name"],
                "ID": "",
                "SIS User ID": row["student_id"],
                "SIS Login ID": "",
                "Section": "",
            },
        )
        line[row["assignment"]] = row["total"]
    points = {"Student": "Points Possible", **{a: number(m) for a, m in maxima.items()}}
    canvas = out / "canvas_grades.csv"
    write_csv(canvas, CANVAS_ID_COLUMNS + list(maxima), [points, *by_student.values()])
    return final, canvas


def export(out: Path) -> tuple[Path, Path]:
    """``gdlab export OUT``: write the final-grade tables of a graded class."""
    from gdlab_autograde.coursedir import exclusive
    from gdlab_autograde.formgrade import check_graded_class

    check_graded_class(out)
    with exclusive(out):
        return write_final_grades(out)
