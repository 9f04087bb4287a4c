"""Feedback that never shows hidden tests.

nbgrader's autograded notebook carries each test cell's full source, hidden
tests included (they are restored from the gradebook before execution). This
preprocessor runs in ``GenerateFeedback`` and, in every test cell, removes the
hidden region and reduces an error to its name and message; an error raised
inside the hidden region is replaced by a neutral sentence, since its message
could quote the hidden inputs.
"""

from __future__ import annotations

import re

from nbconvert.exporters.exporter import ResourcesDict
from nbformat.notebooknode import NotebookNode
from nbgrader.preprocessors import NbGraderPreprocessor

BEGIN, END = "### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS"
HIDDEN_NOTE = "# (hidden tests ran here; they are not shown)"
ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
CELL_LINE = re.compile(r"(?:Cell In\s*\[[^\]]*\]|<ipython-input-[^>]*>|<cell[^>]*>), line (\d+)")


def hidden_line_range(source: str) -> range | None:
    """1-based line numbers of the hidden region of a test cell's source, markers included."""
    lines = source.splitlines()
    starts = [i for i, line in enumerate(lines, 1) if line.strip() == BEGIN]
    if not starts:
        return None
    ends = [i for i, line in enumerate(lines, 1) if line.strip() == END and i > starts[0]]
    return range(starts[0], (ends[-1] if ends else len(lines)) + 1)


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


def failing_line(traceback_lines: list[str]) -> int | None:
    """The line of the test cell where the error surfaced (the last frame that names a cell)."""
    numbers = [int(m.group(1)) for line in traceback_lines for m in CELL_LINE.finditer(ANSI.sub("", line))]
    return numbers[0] if numbers else None


class HideHiddenTests(NbGraderPreprocessor):
    """Remove hidden tests and their tracebacks from the feedback of every test cell."""

    def preprocess_cell(
        self, cell: NotebookNode, resources: ResourcesDict, cell_index: int
    ) -> tuple[NotebookNode, ResourcesDict]:
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if cell.cell_type != "code" or not meta.get("grade") or meta.get("solution"):
            return cell, resources
        hidden = hidden_line_range(cell.source)
        cell.source = without_hidden_tests(cell.source)
        outputs = []
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                line = failing_line(output.get("traceback", []))
                if hidden is not None and (line is None or line in hidden):
                    message = (
                        "a hidden test failed (its details are not shown): check the edge cases in the spec"
                    )
                else:
                    message = ANSI.sub("", str(output.get("evalue", "")))
                output.evalue = message
                output.traceback = [f"{output.get('ename', 'Error')}: {message}"]
            outputs.append(output)
        cell.outputs = outputs
        return cell, resources
