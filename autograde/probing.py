"""nbgrader preprocessors that run the trusted probes (``gdlab_autograde.probes``) during grading.

``AddProbeCells`` puts a probe cell right after each test cell that has a probe,
so a probe runs even when a later cell kills the kernel; ``CollectProbes`` takes
the probe results out of those cells after execution, writes them to a file for
the trusted side, and removes the cells so they appear neither in the graded
notebook nor in the feedback. Results are only read from the probe cells this
side inserted; anything a submission displays elsewhere is ignored.
"""

from __future__ import annotations

import json
from pathlib import Path

from nbconvert.exporters.exporter import ResourcesDict
from nbformat.notebooknode import NotebookNode
from nbformat.v4 import new_code_cell
from nbgrader.preprocessors import NbGraderPreprocessor
from traitlets import Int, Unicode

from gdlab_autograde.probes import PROBE_MIME, probes_of

MARK = "gdlab_probe"


class AddProbeCells(NbGraderPreprocessor):
    """Insert a probe cell after every test cell that has a probe."""

    assignment = Unicode("", help="assignment whose probes to run").tag(config=True)
    seed = Int(0, help="secret seed of the probes' inputs").tag(config=True)

    def preprocess(self, nb: NotebookNode, resources: ResourcesDict) -> tuple[NotebookNode, ResourcesDict]:
        probes = probes_of(self.assignment)
        cells = []
        for cell in nb.cells:
            cells.append(cell)
            grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
            if cell.cell_type == "code" and grade_id in probes:
                source = (
                    f"__import__('gdlab_autograde.probes', fromlist=['emit']).emit("
                    f"{self.assignment!r}, {grade_id!r}, {self.seed}, globals())"
                )
                cells.append(new_code_cell(source, metadata={MARK: grade_id}))
        nb.cells = cells
        return nb, resources


class CollectProbes(NbGraderPreprocessor):
    """Write the probe cells' results to ``output_path`` and remove the probe cells."""

    output_path = Unicode("", help="JSON file for the probe results").tag(config=True)

    def preprocess(self, nb: NotebookNode, resources: ResourcesDict) -> tuple[NotebookNode, ResourcesDict]:
        results, kept = {}, []
        for cell in nb.cells:
            grade_id = cell.get("metadata", {}).get(MARK)
            if grade_id is None:
                kept.append(cell)
                continue
            for output in cell.get("outputs", []):
                data = output.get("data", {}).get(PROBE_MIME)
                if isinstance(data, dict) and data.get("grade_id") == grade_id and grade_id not in results:
                    results[grade_id] = data.get("result")
        nb.cells = kept
        if self.output_path:
            Path(self.output_path).write_text(json.dumps(results))
        return nb, resources
