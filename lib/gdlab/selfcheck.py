"""``gdlab check PATH.ipynb``: a student's self-check.

Runs the notebook top to bottom in a fresh kernel (the file is not changed) and
prints, for each exercise, whether its visible tests pass and, if not, what the
test said; then the auto-graded points so far. Hidden tests run only when the
instructor grades, so a full score here is a good sign, not a promise.
"""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

import nbformat

ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


@dataclass
class Exercise:
    """The self-check result of one graded cell."""

    grade_id: str
    points: float
    kind: str  # "test" (auto-graded) or "written" (graded by hand)
    passed: bool
    message: str = ""


class NotebookError(Exception):
    """The notebook cannot be read or run."""


def _meta(cell: nbformat.NotebookNode) -> dict:
    return cell.get("metadata", {}).get("nbgrader", {}) or {}


def failure_message(cell: nbformat.NotebookNode) -> str:
    """What a failed test cell said: its error, or what it wrote to stderr."""
    for output in cell.get("outputs", []):
        if output.get("output_type") == "error":
            if output.get("ename") == "NotImplementedError":
                return "not done yet: the exercise still raises NotImplementedError (replace that line with your code)"
            value = ANSI.sub("", str(output.get("evalue", ""))).strip()
            return f"{output.get('ename', 'Error')}: {value}" if value else output.get("ename", "Error")
    for output in cell.get("outputs", []):
        if output.get("output_type") == "stream" and output.get("name") == "stderr":
            return (
                "wrote to stderr (counts as a failure): " + ANSI.sub("", output.get("text", "")).strip()[:300]
            )
    return ""


def run_notebook(path: Path, timeout: int = 120) -> nbformat.NotebookNode:
    """Execute a copy of the notebook at ``path`` in a fresh kernel, in the notebook's folder."""
    from nbclient import NotebookClient

    try:
        nb = nbformat.read(path, as_version=4)
    except FileNotFoundError as error:
        raise NotebookError(f"{path} does not exist") from error
    except Exception as error:  # noqa: BLE001 - any reader error means the file is unreadable
        raise NotebookError(f"{path} is not a readable notebook: {error}") from error
    client = NotebookClient(
        nb,
        timeout=timeout,
        allow_errors=True,
        kernel_name="python3",
        resources={"metadata": {"path": str(path.parent)}},
        extra_arguments=["--HistoryManager.hist_file=:memory:"],
    )
    # The kernel process's own log (start-up notices) is noise in a student's report;
    # what the notebook prints reaches its cells through the kernel protocol, not this stream.
    client.execute(stderr=subprocess.DEVNULL)
    return nb


def exercises(nb: nbformat.NotebookNode) -> list[Exercise]:
    """The graded cells of an executed notebook and whether each passed."""
    results = []
    for cell in nb.cells:
        meta = _meta(cell)
        if not meta.get("grade"):
            continue
        points = float(meta.get("points", 0) or 0)
        if cell.cell_type == "code" and not meta.get("solution"):
            message = failure_message(cell)
            results.append(Exercise(meta.get("grade_id", "?"), points, "test", not message, message))
        elif cell.cell_type == "markdown":
            answered = "YOUR ANSWER HERE" not in cell.source and cell.source.strip() != ""
            note = (
                "answered; graded by your instructor" if answered else "not answered yet (YOUR ANSWER HERE)"
            )
            results.append(Exercise(meta.get("grade_id", "?"), points, "written", answered, note))
    return results


def report(results: list[Exercise]) -> tuple[str, bool]:
    """The printed report and whether every visible test passed."""
    lines, earned, total = [], 0.0, 0.0
    tests = [r for r in results if r.kind == "test"]
    for r in tests:
        total += r.points
        earned += r.points if r.passed else 0
        mark = "PASS" if r.passed else "FAIL"
        lines.append(
            f"{mark}  {r.grade_id:<34} {r.points if r.passed else 0:g}/{r.points:g}  (so far {earned:g}/{total:g})"
        )
        if not r.passed:
            lines.extend("      " + line for line in r.message.splitlines()[:8])
    for r in results:
        if r.kind == "written":
            lines.append(f"TEXT  {r.grade_id:<34} {r.points:g} points, {r.message}")
    all_pass = bool(tests) and all(r.passed for r in tests)
    lines.append("")
    lines.append(
        f"Visible tests: {sum(r.passed for r in tests)}/{len(tests)} passed, {earned:g}/{total:g} auto-graded points."
        + (" Hidden tests run when your instructor grades." if all_pass else "")
    )
    return "\n".join(lines), all_pass


def check(path: Path, timeout: int = 120) -> tuple[str, bool]:
    """Run the notebook and return (report, all visible tests passed)."""
    nb = run_notebook(path, timeout=timeout)
    results = exercises(nb)
    if not any(r.kind == "test" for r in results):
        raise NotebookError(f"{path} has no graded test cells: is it a gdlab notebook?")
    return report(results)
