"""Sample submissions made from the current release: a demo class to try ``gdlab grade`` on.

``gdlab samples ASSIGNMENT FOLDER`` writes ``FOLDER/<student>/<ASSIGNMENT>/<ASSIGNMENT>.ipynb``
for a student who answered everything, one who answered every other exercise, one who
handed in the untouched notebook, and one who answered half and tried to pass the other
tests with wrong answers and a patched numpy (the grader's trusted probes catch that).
They are generated, not stored, so they always match ``notebooks/``.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell

from gdlab_autograde.course import CourseError

KINDS = ("complete", "half", "untouched")
TAMPER = "import numpy as np\nnp.allclose = lambda *args, **kwargs: True  # 'passes' every check_close"


def _grade_id(cell: nbformat.NotebookNode) -> str:
    return (cell.get("metadata", {}).get("nbgrader", {}) or {}).get("grade_id", "")


def student_notebook(root: Path, assignment: str, kind: str) -> nbformat.NotebookNode:
    """The released notebook as a student of ``kind`` hands it in: 'complete' (every answer from
    the solution), 'half' (every other exercise answered) or 'untouched'."""
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}, not {kind!r}")
    released = root / "notebooks" / assignment / f"{assignment}.ipynb"
    if not released.is_file():
        raise CourseError(f"{released} does not exist: run `gdlab release {assignment}` first")
    solution = nbformat.read(root / "solutions" / assignment / f"{assignment}.ipynb", as_version=4)
    answers = {
        _grade_id(c): c.source for c in solution.cells if (c.metadata.get("nbgrader") or {}).get("solution")
    }
    nb = nbformat.read(released, as_version=4)
    exercises = [c for c in nb.cells if (c.metadata.get("nbgrader") or {}).get("solution")]
    for i, cell in enumerate(exercises):
        if kind == "complete" or (kind == "half" and i % 2 == 0):
            cell.source = answers[_grade_id(cell)]
    return nb


def write_samples(root: Path, assignment: str, folder: Path) -> list[Path]:
    """Write the demo class into ``folder``; return the notebooks written."""
    notebooks = {f"{kind}_student": student_notebook(root, assignment, kind) for kind in KINDS}
    tampered = student_notebook(root, assignment, "half")
    for cell in tampered.cells:  # wrong answers the patched numpy is meant to hide
        if cell.cell_type == "code" and "raise NotImplementedError()" in cell.source:
            cell.source = cell.source.replace("raise NotImplementedError()", "return 0")
    setup = next((i for i, c in enumerate(tampered.cells) if _grade_id(c) == "setup"), 0)
    tampered.cells.insert(setup + 1, new_code_cell(TAMPER))
    notebooks["numpy_patcher"] = tampered
    written = []
    for student, nb in notebooks.items():
        path = folder / student / assignment / f"{assignment}.ipynb"
        if path.exists():
            raise CourseError(f"{path} exists: choose an empty folder (nothing is overwritten)")
        path.parent.mkdir(parents=True)
        nbformat.write(nb, path)
        written.append(path)
    return written
