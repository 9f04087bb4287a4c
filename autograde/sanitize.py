"""Sanitizing a submission before nbgrader restores its cells.

A submission can carry nbgrader metadata that nbgrader itself trips over: a cell
whose metadata lost its ``grade_id`` (nbgrader's ``OverwriteCells`` raises a
``KeyError``), or a graded cell with an id the assignment does not have (renamed
or duplicated test cells). Such metadata is dropped, which makes the cell an
ordinary cell: it earns nothing, and the real test cells are restored from the
gradebook as if they had been deleted.
"""

from __future__ import annotations

from nbconvert.exporters.exporter import ResourcesDict
from nbformat.notebooknode import NotebookNode
from nbgrader.preprocessors import NbGraderPreprocessor
from traitlets import List


class ForgetUnknownCells(NbGraderPreprocessor):
    """Drop nbgrader metadata without a ``grade_id`` or with one the assignment does not know."""

    known_ids = List([], help="grade_ids of the released notebook (empty: keep every id)").tag(config=True)

    def preprocess(self, nb: NotebookNode, resources: ResourcesDict) -> tuple[NotebookNode, ResourcesDict]:
        known = set(self.known_ids)
        for cell in nb.cells:
            meta = cell.get("metadata", {}).get("nbgrader")
            if meta is None:
                continue
            grade_id = meta.get("grade_id") if isinstance(meta, dict) else None
            if not grade_id or (known and grade_id not in known):
                del cell.metadata["nbgrader"]
        return nb, resources
