"""Run every code cell of a solution notebook in-process, demonstrations included, and keep what each printed.

The facts tests compare what a lesson's text states with what its code computes and prints, so unlike
the mutant harness this runs the ``demo`` cells too (matplotlib draws to the Agg backend).
"""

from __future__ import annotations

import contextlib
import io
import os
from dataclasses import dataclass, field

import nbformat

from tests.notebook_harness import code_source, notebook_path

os.environ.setdefault("MPLBACKEND", "Agg")


@dataclass
class LessonRun:
    """The printed output of each code cell (by cell id), the markdown of each cell, and the namespace."""

    printed: dict[str, str] = field(default_factory=dict)
    markdown: dict[str, str] = field(default_factory=dict)
    namespace: dict = field(default_factory=dict)

    def text(self) -> str:
        """All markdown of the lesson, in order."""
        return "\n\n".join(self.markdown.values())


def run_lesson(assignment: str) -> LessonRun:
    """Execute every code cell of the solution notebook in one namespace; a raising cell fails the caller."""
    nb = nbformat.read(notebook_path(assignment), as_version=4)
    run = LessonRun(namespace={"__name__": "__main__"})
    cwd = os.getcwd()
    os.chdir(notebook_path(assignment).parent)
    try:
        for cell in nb.cells:
            if cell.cell_type == "markdown":
                run.markdown[cell.id] = cell.source
                continue
            if cell.cell_type != "code":
                continue
            out = io.StringIO()
            with contextlib.redirect_stdout(out):
                exec(compile(code_source(cell.source), f"<cell {cell.id}>", "exec"), run.namespace)
            run.printed[cell.id] = out.getvalue()
    finally:
        os.chdir(cwd)
        import matplotlib.pyplot as plt

        plt.close("all")
    return run
