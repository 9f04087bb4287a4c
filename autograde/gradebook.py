"""The master nbgrader gradebook of a class: the assignment's cells and every student's grades.

Re-grading updates each submission in place instead of replacing it, so what the
instructor typed in nbgrader's formgrader (manual scores, extra credit, comments)
is never lost. A manual grade whose answer text changed since it was given is
kept, and marked for review: ``needs_manual_grade`` is set again (formgrader lists
it as ungraded, the old score still in its box) and the result says so.
"""

from __future__ import annotations

import hashlib
import warnings
from pathlib import Path

import nbformat

from gdlab_autograde.results import Result


def use_in_process_alembic_version() -> None:
    """Have nbgrader read its schema's revision in this process instead of running ``alembic heads``.

    nbgrader stamps every new gradebook with the head revision of its own migration scripts,
    which it gets by starting the ``alembic`` command (a second Python, 1-5 s on a loaded
    machine, paid twice per run: the template and the master gradebook). Alembic's
    ``ScriptDirectory`` reads the same scripts and gives the same revision in milliseconds.
    """
    import nbgrader.api
    from alembic.script import ScriptDirectory
    from nbgrader.dbutil import ALEMBIC_DIR

    if getattr(nbgrader.api.get_alembic_version, "in_process", False):
        return
    heads = ScriptDirectory(ALEMBIC_DIR).get_heads()
    if len(heads) != 1:
        return  # not the layout nbgrader's own lookup expects: leave it to nbgrader

    def head_revision() -> str:
        return heads[0]

    head_revision.in_process = True  # type: ignore[attr-defined]
    nbgrader.api.get_alembic_version = head_revision


def answer_digests(notebook: nbformat.NotebookNode | None) -> dict[str, str]:
    """A checksum of the answer each grade cell grades, by grade id.

    A written answer (a grade cell that is also a solution cell) is graded on its
    own text; a test cell on the solution cells since the previous grade cell.
    """
    digests: dict[str, str] = {}
    if notebook is None:
        return digests
    pending: list[str] = []
    for cell in notebook.cells:
        meta = cell.get("metadata", {}).get("nbgrader", {}) or {}
        if meta.get("solution"):
            pending.append(cell.source)
        if meta.get("grade") and meta.get("grade_id"):
            text = cell.source if meta.get("solution") else "\n\0".join(pending)
            digests[meta["grade_id"]] = hashlib.sha256(text.encode()).hexdigest()
            pending = []
    return digests


def write_gradebook(
    master: Path,
    template_db: Path,
    assignment: str,
    results: list[Result],
    changed: dict[str, set[str]],
) -> None:
    """Record every result in the master gradebook, keeping what the instructor graded by hand.

    ``changed`` names, per student, the grade cells whose answer text differs from
    the one graded before (or cannot be compared). Everything is committed at once.
    """
    from nbgrader.api import Gradebook, MissingEntry

    # nbgrader's own add_submission triggers SQLAlchemy autoflush warnings; they are harmless.
    with warnings.catch_warnings(), Gradebook(f"sqlite:///{master}") as gb:
        warnings.filterwarnings("ignore", message=".*not in session.*")
        with Gradebook(f"sqlite:///{template_db}") as template:
            sync_assignment(template.find_assignment(assignment), gb)
        for result in results:
            gb.update_or_create_student(result.student_id)
            try:
                submission = gb.find_submission(assignment, result.student_id)
            except MissingEntry:
                submission = gb.add_submission(assignment, result.student_id)
            complete_submission(gb, submission)
            earned = {(g["notebook"], g["name"]): g for g in result.grades}
            for notebook in submission.notebooks:
                for grade in notebook.grades:
                    mine = earned.get((notebook.name, grade.name))
                    touched = grade.manual_score is not None or grade.extra_credit is not None
                    moved = touched and grade.name in changed.get(result.student_id, set())
                    if grade.cell.cell_type == "code":
                        grade.auto_score = (mine or {}).get("auto_score") or 0
                        grade.needs_manual_grade = moved or (touched and grade.needs_manual_grade)
                    else:
                        grade.auto_score = None
                        if grade.manual_score is None:
                            grade.needs_manual_grade = result.status == "ok"
                        elif moved:
                            grade.needs_manual_grade = True
                    if touched and grade.needs_manual_grade:
                        kept = grade.manual_score if grade.manual_score is not None else grade.auto_score
                        result.review.append(
                            f"{grade.name}: answer changed since it was graded by hand "
                            f"(kept {kept or 0:g}/{grade.max_score:g} for review)"
                        )
                for comment in notebook.comments:
                    if comment.manual_comment and comment.name in changed.get(result.student_id, set()):
                        result.review.append(f"{comment.name}: answer changed since it was commented on")
            for line in result.review:
                result.flag("answer changed", line)
        gb.db.commit()
        for result in results:
            result.manual_score, result.manual_complete = manual_totals(gb, assignment, result.student_id)


def manual_totals(gb, assignment: str, student: str) -> tuple[float, bool]:  # noqa: ANN001 - nbgrader Gradebook
    """The points given by hand (written answers) and whether nothing awaits the instructor."""
    submission = gb.find_submission(assignment, student)
    manual = sum(
        (g.manual_score or 0) + (g.extra_credit or 0)
        for nb in submission.notebooks
        for g in nb.grades
        if g.cell.cell_type != "code"
    )
    return manual, not submission.needs_manual_grade


def sync_assignment(source, gb) -> None:  # noqa: ANN001 - nbgrader ORM objects
    """Create or update the assignment, its notebooks and cells in ``gb`` as in ``source``.

    Cells are added or updated (a fixed test, new points), never removed: grades
    given on them stay in the gradebook.
    """
    from nbgrader.api import MissingEntry

    try:
        gb.find_assignment(source.name)
    except MissingEntry:
        gb.add_assignment(source.name, duedate=source.duedate)
    for notebook in source.notebooks:
        try:
            gb.find_notebook(notebook.name, source.name)
        except MissingEntry:
            gb.add_notebook(notebook.name, source.name)
        for cell in notebook.grade_cells:
            gb.update_or_create_grade_cell(
                cell.name, notebook.name, source.name, max_score=cell.max_score, cell_type=cell.cell_type
            )
        for cell in notebook.solution_cells:
            gb.update_or_create_solution_cell(cell.name, notebook.name, source.name)
        for cell in notebook.source_cells:
            gb.update_or_create_source_cell(
                cell.name,
                notebook.name,
                source.name,
                cell_type=cell.cell_type,
                locked=cell.locked,
                source=cell.source,
                checksum=cell.checksum,
            )


def complete_submission(gb, submission) -> None:  # noqa: ANN001 - nbgrader ORM objects
    """Give an existing submission a grade and comment row for every cell added since it was made."""
    from nbgrader.api import Comment, Grade, SubmittedNotebook

    for notebook in submission.assignment.notebooks:
        mine = next((nb for nb in submission.notebooks if nb.notebook_id == notebook.id), None)
        if mine is None:
            mine = SubmittedNotebook(notebook=notebook, assignment=submission)
        graded = {g.cell_id for g in mine.grades}
        commented = {c.cell_id for c in mine.comments}
        for cell in notebook.grade_cells:
            if cell.id not in graded:
                Grade(cell_id=cell.id, notebook=mine)
        for cell in notebook.solution_cells:
            if cell.id not in commented:
                Comment(cell_id=cell.id, notebook=mine)
    gb.db.flush()


def zero_grades(db: Path, assignment: str) -> list[dict]:
    """Every grade cell of the assignment with no points earned."""
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{db}") as gb:
        return [
            {
                "notebook": nb.name,
                "name": cell.name,
                "auto_score": 0,
                "max_score": cell.max_score,
                "kind": cell.cell_type,
            }
            for nb in gb.find_assignment(assignment).notebooks
            for cell in nb.grade_cells
        ]
