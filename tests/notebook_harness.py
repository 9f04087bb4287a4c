"""Run a solution notebook's cells in-process, optionally with a cell replaced.

Used by the mutant tests: a wrong implementation replaces the solution cell and
the harness reports which graded test cells fail. In-process execution keeps a
run to a fraction of a second; the real kernels are exercised by the grading and
notebook-execution tests. Cells tagged ``demo`` (plots, sliders, long training
runs that no graded test depends on) are skipped here.
"""

from __future__ import annotations

import contextlib
import io
import os
import traceback
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

os.environ.setdefault("MPLBACKEND", "Agg")

ROOT = Path(__file__).resolve().parents[1]
SOLUTIONS = ROOT / "solutions"


@dataclass
class CellRun:
    """What one executed cell did."""

    grade_id: str
    error: str = ""
    stderr: str = ""

    @property
    def failed(self) -> bool:
        """A cell fails on an exception or on any stderr output, as in nbgrader."""
        return bool(self.error or self.stderr)


@dataclass
class NotebookRun:
    """The outcome of running a notebook's cells."""

    cells: list[CellRun] = field(default_factory=list)
    namespace: dict = field(default_factory=dict)

    def test_cell(self, grade_id: str) -> CellRun:
        """The run of the graded test cell ``grade_id``."""
        for cell in self.cells:
            if cell.grade_id == grade_id:
                return cell
        raise KeyError(f"no executed cell with grade_id {grade_id!r}")

    def failures(self) -> dict[str, str]:
        """grade_id -> error text of every failed graded cell."""
        return {c.grade_id: c.error or c.stderr for c in self.cells if c.grade_id and c.failed}


def notebook_path(assignment: str) -> Path:
    """The solution notebook of an assignment."""
    return SOLUTIONS / assignment / f"{assignment}.ipynb"


def nbgrader_meta(cell: nbformat.NotebookNode) -> dict:
    """The cell's nbgrader metadata, or an empty dict."""
    return cell.get("metadata", {}).get("nbgrader", {}) or {}


def solution_source(assignment: str, grade_id: str) -> str:
    """The source of the cell ``grade_id`` of an assignment's solution notebook."""
    nb = nbformat.read(notebook_path(assignment), as_version=4)
    for cell in nb.cells:
        if nbgrader_meta(cell).get("grade_id") == grade_id:
            return cell.source
    raise KeyError(f"no cell with grade_id {grade_id!r} in {assignment}")


def code_source(source: str) -> str:
    """Drop IPython magics and shell escapes, which need a kernel."""
    return "\n".join("" if line.lstrip().startswith(("%", "!")) else line for line in source.splitlines())


def raised_in_note(error: BaseException, solution_ids: set[str], running: str) -> str:
    """Name the solution cells an exception came out of, as a student's report would.

    A test cell that fails because the student's code raised must point at the exercise that
    holds the mistake: the solution cells (frames compiled as ``<cell grade_id>``) on the
    traceback, outermost first, e.g. "(raised in your solution cell numerical_param_gradients,
    inside your numerical_gradient)". The outermost one is the function the test called.
    """
    chain: list[str] = []
    for frame, _ in traceback.walk_tb(error.__traceback__):
        name = frame.f_code.co_filename
        if name.startswith("<cell ") and name.endswith(">"):
            grade_id = name[len("<cell ") : -1]
            if grade_id in solution_ids and grade_id != running and grade_id not in chain:
                chain.append(grade_id)
    if not chain:
        return ""
    inside = "".join(f", inside your {grade_id}" for grade_id in chain[1:])
    return f"\n(raised in your solution cell {chain[0]}{inside})"


def run_notebook(
    assignment: str,
    replacements: dict[str, str] | None = None,
    stop_after: set[str] | None = None,
) -> NotebookRun:
    """Execute the solution notebook's code cells in one fresh namespace.

    ``replacements`` maps a cell's grade_id to the source that replaces it;
    execution stops once every grade_id in ``stop_after`` has run.
    """
    replacements = dict(replacements or {})
    pending = set(stop_after or ())
    nb = nbformat.read(notebook_path(assignment), as_version=4)
    solution_ids = {
        nbgrader_meta(c)["grade_id"]
        for c in nb.cells
        if c.cell_type == "code" and nbgrader_meta(c).get("solution")
    }
    run = NotebookRun(namespace={"__name__": "__main__"})
    namespace = run.namespace
    cwd = os.getcwd()
    os.chdir(notebook_path(assignment).parent)
    try:
        for cell in nb.cells:
            if cell.cell_type != "code" or "demo" in cell.get("metadata", {}).get("tags", []):
                continue
            grade_id = nbgrader_meta(cell).get("grade_id", "")
            source = replacements.pop(grade_id, cell.source)
            result = CellRun(grade_id=grade_id)
            stderr = io.StringIO()
            with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(stderr):
                try:
                    exec(compile(code_source(source), f"<cell {grade_id or '?'}>", "exec"), namespace)
                except BaseException as error:  # noqa: BLE001 - report every failure, like a kernel
                    result.error = "".join(traceback.format_exception_only(type(error), error)).strip()
                    result.error += raised_in_note(error, solution_ids, grade_id)
            result.stderr = stderr.getvalue()
            run.cells.append(result)
            pending.discard(grade_id)
            if stop_after and not pending:
                break
    finally:
        os.chdir(cwd)
        import matplotlib.pyplot as plt

        plt.close("all")
    if replacements:
        raise KeyError(f"no cells with grade_id {sorted(replacements)} in {assignment}")
    return run
