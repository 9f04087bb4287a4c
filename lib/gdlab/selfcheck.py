"""``gdlab check PATH.ipynb``: a student's self-check.

Runs the notebook top to bottom in a fresh kernel (the file is not changed) and
prints, for each exercise, whether its visible tests pass and, if not, what the
test said; then the auto-graded points so far. Hidden tests run only when the
instructor grades, so a full score here is a good sign, not a promise.

Cells tagged ``demo`` and cells after the last test are skipped: they cannot change
a verdict and they are most of the run time. A cell past its timeout, a dead kernel,
a SyntaxError or an exception in a solution cell are named at the exercise they
belong to, and the check goes on with the rest of the notebook. From inside
JupyterLab, ``import gdlab; gdlab.check()`` prints the same report (see ``in_notebook``).
"""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import nbformat

from gdlab.selfcheck_cells import (
    CellInfo,
    analyse,
    dependencies,
    nbgrader_meta,
    skipped_cells,
    student_functions,
)
from gdlab.selfcheck_explain import (
    NOT_DONE,
    explain_death,
    explain_test_error,
    explain_timeout,
    plain,
    solution_problem,
)
from gdlab.selfcheck_kernel import NESTED_CHECK_ENV, CellRun, NotebookRun, run_cells

MESSAGE_LINES = 12  # lines of a failure message shown per exercise


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


def _stderr_message(outputs: list) -> str:
    for output in outputs:
        if output.get("output_type") == "stream" and output.get("name") == "stderr":
            return "wrote to stderr (counts as a failure): " + plain(output.get("text", "")).strip()[:300]
    return ""


def _test_message(test: CellInfo, run: CellRun, result: NotebookRun, cells: list[CellInfo]) -> str:
    """Why a test cell failed, or ``""`` when it passed."""
    if run.status == "timeout":
        return explain_timeout(test, run, result, cells)
    if run.status == "died":
        return explain_death(test, run)
    if run.status == "not run":
        return f"not run: {run.reason}. Fix that first, then check again."
    if run.status == "error":
        return explain_test_error(test, run, result, cells)
    return _stderr_message(run.outputs)


def _exercise_results(cells: list[CellInfo], result: NotebookRun) -> dict[int, Exercise]:
    """Each test cell's Exercise, by cell index, with causes and dependencies named."""
    by_index = {c.index: c for c in cells}
    exercises: dict[int, Exercise] = {}
    for test in (c for c in cells if c.role == "test"):
        run = result.runs.get(test.index, CellRun("not run", reason="it was never reached"))
        message = _test_message(test, run, result, cells)
        solution = by_index.get(test.exercise) if test.exercise is not None else None
        problem = ""
        if solution is not None:
            problem = solution_problem(solution, result.runs.get(solution.index), result, cells)
        if problem and message:
            # The test's own error (often a NameError) only follows from the broken cell.
            follows = run.error is not None and run.error.get("ename") == "NameError"
            message = problem if follows else f"{problem}\n{message}"
        elif problem:
            message = ""  # the test passed all the same; the note below says what to fix
        if message and run.status != "not run" and NOT_DONE not in message.split(":")[0]:
            notes = _dependency_notes(test, cells, exercises, by_index)
            message += "".join(f"\n{note}" for note in notes)
        exercise = Exercise(test.grade_id, test.points, "test", not message, message)
        if exercise.passed and problem:
            exercise.message = f"(passed, but {problem})"
        exercises[test.index] = exercise
    return exercises


def _dependency_notes(
    test: CellInfo, cells: list[CellInfo], done: dict[int, Exercise], by_index: dict[int, CellInfo]
) -> list[str]:
    """For a failed test: the earlier exercises it relies on that fail themselves."""
    notes = []
    owners = student_functions(cells)
    for name, via in dependencies(test, cells).items():
        owner = owners[name]
        own_tests = [done[i] for i, e in done.items() if by_index[i].exercise == owner.index]
        failing = [e.grade_id for e in own_tests if not e.passed]
        if not failing:
            continue
        how = f"this test calls your `{name}`" if not via else f"your `{via}` calls your `{name}`"
        notes.append(f"Note: {how}, which fails its own test ({', '.join(failing)}): fix that one first.")
    return notes


def _ungraded_notes(cells: list[CellInfo], result: NotebookRun, limit: int = 5) -> list[str]:
    """Ungraded cells that failed: later tests may fail for their sake."""
    notes = []
    for info in cells:
        run = result.runs.get(info.index)
        if info.role in ("solution", "test") or run is None or run.status not in ("error", "timeout", "died"):
            continue
        first = next((line.strip() for line in info.cell.source.splitlines() if line.strip()), "")
        first = first if len(first) <= 60 else first[:57] + "..."
        if run.status == "timeout":
            what = f"ran past the {result.timeout} s time limit"
        elif run.status == "died":
            what = f"killed the kernel: {run.reason}"
        else:
            error = run.error or {}
            what = f"raised {error.get('ename', 'an error')}: {plain(error.get('evalue', '')).strip()[:120]}"
        notes.append(f"Note: the ungraded cell starting `{first}` {what}.")
    return notes[:limit]


def _written(nb: nbformat.NotebookNode) -> list[Exercise]:
    results = []
    for cell in nb.cells:
        meta = nbgrader_meta(cell)
        if cell.cell_type == "markdown" and meta.get("grade"):
            answered = "YOUR ANSWER HERE" not in cell.source and cell.source.strip() != ""
            note = (
                "answered; graded by your instructor" if answered else "not answered yet (YOUR ANSWER HERE)"
            )
            results.append(
                Exercise(
                    meta.get("grade_id", "?"), float(meta.get("points", 0) or 0), "written", answered, note
                )
            )
    return results


def report(results: list[Exercise], notes: list[str] = ()) -> tuple[str, bool]:
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
        if r.message:
            lines.extend("      " + line for line in r.message.splitlines()[:MESSAGE_LINES])
    for r in results:
        if r.kind == "written":
            lines.append(f"TEXT  {r.grade_id:<34} {r.points:g} points, {r.message}")
    all_pass = bool(tests) and all(r.passed for r in tests)
    lines.append("")
    lines.extend(notes)
    lines.append(
        f"Visible tests: {sum(r.passed for r in tests)}/{len(tests)} passed, {earned:g}/{total:g} auto-graded points."
        + (" Hidden tests run when your instructor grades." if all_pass else "")
    )
    return "\n".join(lines), all_pass


def check_notebook(
    path: Path, timeout: int = 120, skip_demos: bool = True
) -> tuple[list[Exercise], list[str]]:
    """Run the notebook at ``path`` and return (its exercises, notes about the run)."""
    try:
        nb = nbformat.read(path, as_version=4)
    except FileNotFoundError as error:
        raise NotebookError(f"{path} does not exist") from error
    except Exception as error:  # noqa: BLE001 - any reader error means the file is unreadable
        raise NotebookError(f"{path} is not a readable notebook: {error}") from error
    cells = analyse(nb)
    if not any(c.role == "test" for c in cells):
        raise NotebookError(f"{path} has no graded test cells: is it a gdlab notebook?")
    skip = skipped_cells(cells) if skip_demos else {}
    try:
        result = run_cells(nb, path, cells, skip, timeout=timeout)
    except Exception as error:  # noqa: BLE001 - e.g. no kernel could start: say so, never a traceback
        raise NotebookError(
            f"could not run {path} in a Python kernel: {type(error).__name__}: {error}"
        ) from error
    tests = _exercise_results(cells, result)
    ordered: list[Exercise] = [tests[c.index] for c in cells if c.role == "test"]
    notes = []
    demos = sum(1 for reason in skip.values() if reason == "demo")
    if demos:
        notes.append(
            f"({demos} demonstration cell{'s' if demos != 1 else ''} tagged `demo` skipped: no test needs "
            "them; `gdlab check --all-cells` runs them too.)"
        )
    notes += _ungraded_notes(cells, result)
    if result.restarts:
        notes.append(
            f"(The kernel was restarted {result.restarts} time{'s' if result.restarts != 1 else ''}: "
            "see the exercises above.)"
        )
    return ordered + _written(nb), notes


def check(path: Path, timeout: int = 120, skip_demos: bool = True) -> tuple[str, bool]:
    """Run the notebook and return (report, all visible tests passed)."""
    results, notes = check_notebook(Path(path), timeout=timeout, skip_demos=skip_demos)
    return report(results, notes)


def find_own_notebook() -> Path:
    """The notebook this kernel belongs to: jupyter-server's ``JPY_SESSION_NAME``, or the only one here."""
    session = os.environ.get("JPY_SESSION_NAME", "")
    if session:
        for candidate in (Path(session), Path.cwd() / session, Path.cwd() / Path(session).name):
            if candidate.suffix == ".ipynb" and candidate.is_file():
                return candidate.resolve()
    here = sorted(Path.cwd().glob("*.ipynb"))
    if len(here) == 1:
        return here[0].resolve()
    raise NotebookError(
        "cannot tell which notebook this is: call gdlab.check('NAME.ipynb') with its file name"
    )


def _unsaved_inputs(target: Path, recent: int = 10) -> int:
    """How many of the last cells run in this kernel have a source the saved file lacks."""
    try:
        from IPython import get_ipython

        shell = get_ipython()
        if shell is None:
            return 0
        ran = shell.history_manager.input_hist_raw[1:-1][-recent:]  # [-1] is the cell running now
        saved = {c.source.strip() for c in nbformat.read(target, as_version=4).cells if c.cell_type == "code"}
    except Exception:  # noqa: BLE001 - only a hint: no history, no hint
        return 0
    return sum(1 for source in ran if source.strip() and source.strip() not in saved)


def in_notebook(path: str | os.PathLike | None = None, timeout: int = 120, all_cells: bool = False) -> None:
    """Print ``gdlab check``'s report for this notebook (or ``path``), from a notebook cell.

    It runs the *saved* file in a fresh kernel, exactly as ``gdlab check`` does in a
    terminal, so save first (Ctrl+S). Inside ``gdlab check`` itself it does nothing.
    """
    if os.environ.get(NESTED_CHECK_ENV):
        print("(gdlab.check() does nothing while gdlab check runs this notebook.)")
        return
    target = Path(path).resolve() if path is not None else find_own_notebook()
    command = [sys.executable, "-m", "gdlab.cli", "check", str(target), "--timeout", str(timeout)]
    if all_cells:
        command.append("--all-cells")
    print(f"Checking the saved file {target.name} in a fresh kernel (save first: Ctrl+S) ...", flush=True)
    unsaved = _unsaved_inputs(target)
    if unsaved:
        print(
            f"Note: {unsaved} piece{'s' if unsaved != 1 else ''} of code you ran in this kernel "
            f"{'are' if unsaved != 1 else 'is'} not in the saved file: unsaved edits? Save, then check again.",
            flush=True,
        )
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    print(done.stdout, end="")
    if done.stderr.strip():
        print(done.stderr.strip())
