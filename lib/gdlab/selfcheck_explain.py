"""Turning what a checked cell did into a sentence a student can act on.

The kernel's tracebacks say which cells ran ("Cell In[7], line 3, in step_decay(...)");
with the map from execution counts to cells, a failure is told as the call in the
test that went wrong, the student function it went wrong in, and the line there.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass

from gdlab.selfcheck_cells import CellInfo, python_source
from gdlab.selfcheck_kernel import CellRun, NotebookRun

ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
_CELL_FRAME = re.compile(r"^Cell In\[(\d+)\], line (\d+)(?:, in (\w+)\()?")
_FILE_FRAME = re.compile(r"^File (.+?):(\d+), in (\w+)")
_CURRENT_LINE = re.compile(r"^-+> ?(\d+) (.*)$")
NOT_DONE = "not done yet"
_CHECK_ERRORS = ("CheckFailure", "AssertionError")


@dataclass
class Frame:
    """One traceback frame inside a notebook cell."""

    cell: CellInfo
    line: int
    function: str  # "" at a cell's top level
    text: str  # the source line it was on


def plain(text: str) -> str:
    """Text without terminal colour codes."""
    return ANSI.sub("", str(text))


def _frames(error: dict, session: int, result: NotebookRun, cells: list[CellInfo]) -> list[Frame]:
    by_index = {c.index: c for c in cells}
    frames: list[Frame] = []
    for chunk in error.get("traceback", []):
        current: Frame | None = None
        for raw in plain(chunk).splitlines():
            line = raw.strip()
            match = _CELL_FRAME.match(line)
            if match:
                index = result.executions.get((session, int(match.group(1))))
                current = None
                if index is not None and index in by_index:
                    current = Frame(by_index[index], int(match.group(2)), match.group(3) or "", "")
                    frames.append(current)
                continue
            if _FILE_FRAME.match(line):
                current = None
                continue
            number = _CURRENT_LINE.match(line)
            if number and current is not None and not current.text:
                current.text = number.group(2).strip()
    return frames


def student_frames(error: dict, session: int, result: NotebookRun, cells: list[CellInfo]) -> list[Frame]:
    """Frames of the traceback that ran inside a student function (a solution cell)."""
    return [
        f
        for f in _frames(error, session, result, cells)
        if f.cell.role == "solution" and f.function and f.function != "<lambda>"
    ]


def shown_name(frame: Frame) -> str:
    """How a student function is named: ``step_decay``, ``Adam.update``."""
    return frame.cell.functions.get(frame.function, frame.function)


def _call_text(test: CellInfo, line: int, function: str) -> str:
    """The call of ``function`` written on ``line`` of the test cell, as written there."""
    code = python_source(test.cell.source)
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return ""
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or not (node.lineno <= line <= (node.end_lineno or node.lineno)):
            continue
        callee = node.func
        name = callee.id if isinstance(callee, ast.Name) else getattr(callee, "attr", "")
        if name == function or (function == "__init__" and name and name[0].isupper()):
            found.append(node)
    if not found:
        return ""
    innermost = min(found, key=lambda n: ((n.end_lineno or n.lineno) - n.lineno, n.end_col_offset or 0))
    text = " ".join((ast.get_source_segment(code, innermost) or "").split())
    return text if len(text) <= 140 else text[:137] + "..."


def solution_problem(
    solution: CellInfo, run: CellRun | None, result: NotebookRun, cells: list[CellInfo]
) -> str:
    """What went wrong when the solution cell itself ran, or ``""``."""
    if run is None:
        return ""
    where = f"your solution cell for {solution.grade_id}"
    if solution.syntax_error is not None:
        error = solution.syntax_error
        text = (error.text or "").rstrip()
        return f"{type(error).__name__} in {where}, line {error.lineno}: {error.msg}" + (
            f"\n    {text.strip()}" if text else ""
        )
    if run.status == "timeout":
        return f"{where} ran past the {result.timeout} s time limit: an endless loop at its top level?"
    if run.status == "died":
        return f"the kernel died while running {where}: {run.reason}."
    if run.status == "not run":
        return f"{where} was not run: {run.reason}."
    error = run.error
    if error is None:
        return ""
    own = [f for f in _frames(error, run.session, result, cells) if f.cell.index == solution.index]
    line = f", line {own[0].line}" if own else ""
    return f"{where} raised {error.get('ename')}{line}: {plain(error.get('evalue', '')).strip()}"


def explain_test_error(test: CellInfo, run: CellRun, result: NotebookRun, cells: list[CellInfo]) -> str:
    """What a failed test cell says: the check's message, or the call that raised and where."""
    error = run.error or {}
    ename = error.get("ename", "Error")
    evalue = plain(error.get("evalue", "")).strip()
    students = student_frames(error, run.session, result, cells)
    if ename == "NotImplementedError":
        if students and students[-1].cell.index != test.exercise:  # raised in another exercise
            return (
                f"{NOT_DONE}: this test calls your `{shown_name(students[-1])}`, which still raises "
                "NotImplementedError (write that exercise first)"
            )
        return f"{NOT_DONE}: the exercise still raises NotImplementedError (replace that line with your code)"
    if ename in _CHECK_ERRORS:
        return evalue if ename == "CheckFailure" else f"{ename}: {evalue}" if evalue else ename
    frames = _frames(error, run.session, result, cells)
    in_test = [f for f in frames if f.cell.index == test.index]
    raised = f"{ename}: {evalue}" if evalue else ename
    if students:
        first, last = students[0], students[-1]
        call = _call_text(test, in_test[-1].line, first.function) if in_test else ""
        head = f"`{call}` raised {raised}" if call else f"your `{shown_name(first)}` raised {raised}"
        place = f"in your {shown_name(last)}, line {last.line}" + (f": `{last.text}`" if last.text else "")
        return f"{head}\n  ({place})"
    if in_test:
        spot = in_test[-1]
        return (
            f"{raised}\n  (in the test, line {spot.line}: `{spot.text}`: look at what your function returned)"
        )
    return raised


def explain_timeout(test: CellInfo, run: CellRun, result: NotebookRun, cells: list[CellInfo]) -> str:
    """A test cell that ran past the time limit: where it was when it was stopped."""
    students = student_frames(run.error or {}, run.session, result, cells)
    where = ""
    if students:
        last = students[-1]
        where = f", inside your `{shown_name(last)}` at line {last.line}" + (
            f": `{last.text}`" if last.text else ""
        )
    text = (
        f"timed out after {result.timeout} s in {test.grade_id}{where}: an infinite loop? "
        "Check that every loop ends (a step limit such as max_iter, a condition that becomes false)."
    )
    if run.reason:
        text += f"\n  ({run.reason}; the cells above were run again in a new kernel.)"
    return text


def explain_death(test: CellInfo, run: CellRun) -> str:
    """A test cell during which the kernel died."""
    return (
        f"the kernel died while running {test.grade_id}: {run.reason}. Code such as os._exit(), "
        "a crash in compiled code or an array too big for memory does this.\n"
        "  (gdlab check started a new kernel, ran the cells above again and went on.)"
    )
