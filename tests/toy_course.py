"""A two-exercise course built on the fly, for fast tests of the grading pipeline itself."""

from __future__ import annotations

from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

ASSIGNMENT = "toy"
DOUBLE = (
    'def double(x):\n    """Return 2 * x."""\n    ### BEGIN SOLUTION\n    return 2 * x\n    ### END SOLUTION'
)
TRIPLE = (
    'def triple(x):\n    """Return 3 * x."""\n    ### BEGIN SOLUTION\n    return 3 * x\n    ### END SOLUTION'
)
SECRET = "check_close(triple(7), 21, 'secret_triple_seven')"
#: student-facing descriptions of the hidden check groups
NEGATIVE = "negative inputs"
LARGER = "a larger input"
ZERO = "zero"


def _meta(**fields: object) -> dict:
    return {"nbgrader": {"schema_version": 3, **fields}}


def source_notebook() -> nbformat.NotebookNode:
    """The instructor's source notebook of the toy assignment (5 auto-graded points, 1 by hand)."""
    nb = new_notebook()
    nb.metadata["kernelspec"] = {"display_name": "Python 3", "language": "python", "name": "python3"}
    nb.cells = [
        new_markdown_cell("# Toy"),
        new_code_cell(
            "from gdlab.checks import check_close",
            metadata=_meta(grade=False, solution=False, locked=True, grade_id="setup"),
        ),
        new_code_cell(DOUBLE, metadata=_meta(grade=False, solution=True, locked=False, grade_id="double")),
        new_code_cell(
            "check_close(double(2), 4, 'double(2)')\n### BEGIN HIDDEN TESTS\n_secret_input = -5\n"
            f"# check: {NEGATIVE}\ncheck_close(double(_secret_input), -10, 'secret_double_minus_five')\n"
            f"# check: {ZERO}\ncheck_close(double(0), 0, 'secret_double_zero')\n### END HIDDEN TESTS",
            metadata=_meta(grade=True, solution=False, locked=True, points=3, grade_id="test_double"),
        ),
        new_code_cell(TRIPLE, metadata=_meta(grade=False, solution=True, locked=False, grade_id="triple")),
        new_code_cell(
            f"check_close(triple(1), 3, 'triple(1)')\n### BEGIN HIDDEN TESTS\n# check: {LARGER}\n{SECRET}\n"
            "### END HIDDEN TESTS",
            metadata=_meta(grade=True, solution=False, locked=True, points=2, grade_id="test_triple"),
        ),
        new_markdown_cell(
            "Why?\n\n### BEGIN SOLUTION\nBecause.\n### END SOLUTION",
            metadata=_meta(grade=True, solution=True, locked=False, points=1, grade_id="explain_toy"),
        ),
    ]
    return nb


def make_course(root: Path) -> Path:
    """Write the toy course (solutions/toy/toy.ipynb) under ``root``; return ``root``."""
    folder = root / "solutions" / ASSIGNMENT
    folder.mkdir(parents=True)
    nbformat.write(source_notebook(), folder / f"{ASSIGNMENT}.ipynb")
    return root


def submission(double: str = "2 * x", triple: str = "3 * x", extra: str = "") -> nbformat.NotebookNode:
    """A student's notebook (as released: no hidden tests) whose functions return the given
    expressions; ``extra`` is a cell appended."""
    nb = source_notebook()
    for cell in nb.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if grade_id == "double":
            cell.source = f"def double(x):\n    return {double}"
        elif grade_id == "triple":
            cell.source = f"def triple(x):\n    return {triple}"
        elif grade_id == "explain_toy":
            cell.source = "Because it is."
        elif "### BEGIN HIDDEN TESTS" in cell.source:
            cell.source = cell.source.split("### BEGIN HIDDEN TESTS")[0].rstrip()
    if extra:
        nb.cells.append(new_code_cell(extra))
    return nb


def write_submission(submissions: Path, student: str, nb: nbformat.NotebookNode | str | bytes) -> Path:
    """Store a submission as SUBMISSIONS/<student>/toy/toy.ipynb (raw text or bytes are written as is)."""
    path = submissions / student / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(nb, bytes):
        path.write_bytes(nb)
    elif isinstance(nb, str):
        path.write_text(nb)
    else:
        nbformat.write(nb, path)
    return path
