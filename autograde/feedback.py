"""Feedback that never shows hidden tests, and says which hidden check failed.

nbgrader's autograded notebook carries each test cell's full source, hidden
tests included (they are restored from the gradebook before execution). Phase 1
of :class:`gdlab_autograde.execute.SafeExecute` ran only the visible part, so the
cell's outputs are the visible tests' plus one trusted "hidden check failed:
<description>" error per failed group. This preprocessor runs in
``GenerateFeedback`` and, in every test cell, removes the hidden region from the
source, reduces errors to their name and message, and adds the description of a
probe that disagreed (``probe_notes``, from the trusted side). As a last guard,
any output of any cell that quotes a line of a hidden test is removed.
"""

from __future__ import annotations

import re

from nbconvert.exporters.exporter import ResourcesDict
from nbformat.notebooknode import NotebookNode
from nbgrader.preprocessors import NbGraderPreprocessor
from traitlets import Dict

from gdlab_autograde.hidden_checks import BEGIN, END, is_test_cell, split_test_cell

HIDDEN_NOTE = "# (hidden checks run separately; a failed one is named below)"
PROBE_FAILED = "the grader's own check on unseen inputs failed"
GENERIC_PROBE = "this exercise's functions, called on inputs you have not seen, gave results that differ from the solution's"
QUOTED = "[output removed by the grader: it quoted a hidden test]"
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)")
MIN_QUOTED = 12  # hidden lines shorter than this (``else:``, ``)``) are too common to mean a leak


def without_hidden_tests(source: str) -> str:
    """The source with every hidden region replaced by a one-line note."""
    out, hiding = [], False
    for line in source.splitlines():
        if line.strip() == BEGIN:
            hiding = True
            out.append(line[: len(line) - len(line.lstrip())] + HIDDEN_NOTE)
        elif line.strip() == END and hiding:
            hiding = False
        elif not hiding:
            out.append(line)
    return "\n".join(out)


def hidden_lines(nb: NotebookNode) -> set[str]:
    """The distinctive lines of the notebook's hidden tests: long enough, and not part of any code or
    text a student can see (a line like ``check_raises(`` that visible code also holds is no leak)."""
    visible: list[str] = []
    hidden: set[str] = set()
    for cell in nb.cells:
        if is_test_cell(cell):
            parts = split_test_cell(cell.source)
            hidden |= {line.strip() for line in parts.hidden_lines}
            visible.append(parts.visible)
        else:
            visible.append(cell.source)
    seen = "\n".join(visible)
    return {
        line
        for line in hidden
        if len(line) >= MIN_QUOTED and not line.startswith("# check:") and line not in seen
    }


def _output_text(output: NotebookNode) -> str:
    parts = [
        str(output.get("text", "")),
        str(output.get("evalue", "")),
        *map(str, output.get("traceback", [])),
    ]
    parts += [str(v) for v in output.get("data", {}).values()]
    return "\n".join(parts)


class HideHiddenTests(NbGraderPreprocessor):
    """Remove hidden tests from the feedback; name failed probes; drop outputs that quote a hidden test."""

    probe_notes = Dict({}, help="grade_id -> description of the probe that disagreed ('' : generic)").tag(
        config=True
    )

    def preprocess(self, nb: NotebookNode, resources: ResourcesDict) -> tuple[NotebookNode, ResourcesDict]:
        self._hidden = hidden_lines(nb)
        return super().preprocess(nb, resources)

    def preprocess_cell(
        self, cell: NotebookNode, resources: ResourcesDict, cell_index: int
    ) -> tuple[NotebookNode, ResourcesDict]:
        if cell.cell_type != "code":
            return cell, resources
        outputs = []
        for output in cell.get("outputs", []):
            text = _output_text(output)
            if any(line in text for line in self._hidden):
                output = NotebookNode(output_type="stream", name="stdout", text=QUOTED + "\n")
            elif output.get("output_type") == "error" and is_test_cell(cell):
                message = ANSI.sub("", str(output.get("evalue", "")))
                output.evalue = message
                output.traceback = [f"{output.get('ename', 'Error')}: {message}"]
            outputs.append(output)
        if is_test_cell(cell):
            cell.source = without_hidden_tests(cell.source)
            grade_id = cell.metadata.get("nbgrader", {}).get("grade_id", "")
            if grade_id in self.probe_notes:
                note = f"{PROBE_FAILED}: {self.probe_notes[grade_id] or GENERIC_PROBE}"
                outputs.append(
                    NotebookNode(output_type="error", ename="ProbeCheckFailed", evalue=note, traceback=[note])
                )
        cell.outputs = outputs
        return cell, resources
