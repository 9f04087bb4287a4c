"""The parts of a test cell: what the student sees, and the hidden checks the grader runs apart.

A test cell is its visible tests, then optionally a block between
``### BEGIN HIDDEN TESTS`` and ``### END HIDDEN TESTS``. Inside the block, each
``# check: <description>`` line starts a group of checks; lines before the first
one are setup, run before each group. The grader runs the visible part with the
notebook and each group on its own, later (see :mod:`gdlab_autograde.execute`),
and tells the student only the description of a group that failed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

BEGIN, END = "### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS"
CHECK = re.compile(r"^# check:\s*(.*?)\s*$")  # at the start of a line: a group is top-level code
#: what a student reads for a failed group whose author wrote no ``# check:`` description
UNDESCRIBED = "a hidden check of this exercise (its author gave it no description)"


@dataclass
class HiddenGroup:
    """One group of hidden checks: its student-facing description and its code (setup included)."""

    description: str
    code: str


@dataclass
class TestCellParts:
    """A test cell split into the source students see and the groups of hidden checks."""

    visible: str
    groups: list[HiddenGroup] = field(default_factory=list)
    hidden_lines: list[str] = field(default_factory=list)


def split_test_cell(source: str) -> TestCellParts:
    """Split a test cell's source; hidden blocks may repeat, text after a block is visible again."""
    visible: list[str] = []
    blocks: list[list[str]] = []
    inside = False
    for line in source.splitlines():
        if line.strip() == BEGIN and not inside:
            inside = True
            blocks.append([])
        elif line.strip() == END and inside:
            inside = False
        elif inside:
            blocks[-1].append(line)
        else:
            visible.append(line)
    parts = TestCellParts("\n".join(visible).rstrip() + ("\n" if visible else ""))
    for block in blocks:
        parts.hidden_lines += block
        setup: list[str] = []
        groups: list[tuple[str, list[str]]] = []
        for line in block:
            described = CHECK.match(line)
            if described:
                groups.append((described.group(1) or UNDESCRIBED, []))
            elif groups:
                groups[-1][1].append(line)
            else:
                setup.append(line)
        if not groups:  # no description at all: the whole block is one group
            groups = [(UNDESCRIBED, [])]
        for description, lines in groups:
            parts.groups.append(HiddenGroup(description, "\n".join(setup + lines) + "\n"))
    return parts


def is_test_cell(cell: dict) -> bool:
    """Whether a cell is an auto-graded test cell (graded code that is not a solution)."""
    meta = cell.get("metadata", {}).get("nbgrader", {})
    return (
        cell.get("cell_type") == "code"
        and isinstance(meta, dict)
        and bool(meta.get("grade"))
        and not meta.get("solution")
    )
