"""gdlab: the helper package the course notebooks import.

It holds checks for the test cells (``gdlab.checks``), interactive sliders
(``gdlab.sliders``), data loading (``gdlab.data``) and the command line
(``gdlab.cli``). It holds no answer to any graded exercise.

In a notebook, ``import gdlab; gdlab.check()`` prints the self-check report of
that notebook, the same as ``gdlab check`` in a terminal.
"""

from __future__ import annotations

import os

__version__ = "0.1.0"


def check(path: str | os.PathLike | None = None, timeout: int = 120, all_cells: bool = False) -> None:
    """Print ``gdlab check``'s report for the notebook this kernel runs (or ``path``).

    Checks the saved file in a fresh kernel: save the notebook first (Ctrl+S).
    """
    from gdlab.selfcheck import in_notebook

    in_notebook(path, timeout=timeout, all_cells=all_cells)
