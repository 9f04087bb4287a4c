"""The master nbgrader gradebook of a grading run: the assignment's cells and every student's grades."""

from __future__ import annotations

import warnings
from pathlib import Path

from gdlab_autograde.results import Result


def write_gradebook(master: Path, template_db: Path, assignment: str, results: list[Result]) -> None:
    """Record every result in the master gradebook, replacing earlier grades of these submissions."""
    from nbgrader.api import Gradebook, MissingEntry

    # nbgrader's own add_submission triggers SQLAlchemy autoflush warnings; they are harmless.
    with warnings.catch_warnings(), Gradebook(f"sqlite:///{master}") as gb:
        warnings.filterwarnings("ignore", message=".*not in session.*")
        with Gradebook(f"sqlite:///{template_db}") as template:
            source = template.find_assignment(assignment)
            copy_assignment(source, gb)
        for result in results:
            gb.update_or_create_student(result.student_id)
            try:
                gb.remove_submission(assignment, result.student_id)
            except MissingEntry:
                pass
            submission = gb.add_submission(assignment, result.student_id)
            earned = {(g["notebook"], g["name"]): g for g in result.grades}
            for notebook in submission.notebooks:
                for grade in notebook.grades:
                    mine = earned.get((notebook.name, grade.name))
                    if grade.cell.cell_type == "code":
                        grade.auto_score = (mine or {}).get("auto_score") or 0
                        grade.needs_manual_grade = False
                    else:
                        grade.auto_score = None
                        grade.needs_manual_grade = result.status == "ok"
            gb.db.commit()


def copy_assignment(source, gb) -> None:  # noqa: ANN001 - nbgrader ORM objects
    """Create the assignment, its notebooks and cells in gradebook ``gb`` as in ``source``."""
    from nbgrader.api import MissingEntry

    try:
        gb.find_assignment(source.name)
        return
    except MissingEntry:
        pass
    gb.add_assignment(source.name, duedate=source.duedate)
    for notebook in source.notebooks:
        gb.add_notebook(notebook.name, source.name)
        for cell in notebook.grade_cells:
            gb.add_grade_cell(
                cell.name, notebook.name, source.name, max_score=cell.max_score, cell_type=cell.cell_type
            )
        for cell in notebook.solution_cells:
            gb.add_solution_cell(cell.name, notebook.name, source.name)
        for cell in notebook.source_cells:
            gb.add_source_cell(
                cell.name,
                notebook.name,
                source.name,
                cell_type=cell.cell_type,
                locked=cell.locked,
                source=cell.source,
                checksum=cell.checksum,
            )


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
