"""Running a notebook's cells for ``gdlab check``, surviving what student code does.

A cell past its timeout is interrupted (the kernel and everything defined so far
survive); a kernel that dies (``os._exit``, a segfault, out of memory) or ignores
the interrupt is replaced by a fresh one, the cells that ran before are run again
in it, and the check goes on. Later cells that call a function that already hung
or killed the kernel are not run again: they would only do it a second time.
"""

from __future__ import annotations

import copy
import os
import signal
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from jupyter_core.utils import ensure_async, run_sync

from gdlab.selfcheck_cells import CellInfo, student_functions

# How long an interrupted cell may take to stop before its kernel is replaced.
INTERRUPT_GRACE_SECONDS = 10
TIMEOUT_ENAME = "GdlabCellTimeout"
# Kernels one check may start before it gives up on the rest of the notebook.
MAX_KERNELS = 8
# Set in the checking kernel, so that a `gdlab.check()` left in a cell does not recurse.
NESTED_CHECK_ENV = "GDLAB_SELFCHECK_RUNNING"


@dataclass
class CellRun:
    """What happened to one code cell."""

    status: str  # "ok", "error", "timeout", "died", "skipped" or "not run"
    outputs: list = field(default_factory=list)
    session: int = 0  # which kernel ran it (they count executions from 1 each)
    seconds: float = 0.0
    reason: str = ""  # for "died": how; for "skipped"/"not run": why

    @property
    def error(self) -> dict | None:
        """The cell's error output, if it raised."""
        return next((o for o in self.outputs if o.get("output_type") == "error"), None)


@dataclass
class NotebookRun:
    """The outcome of checking one notebook: each code cell's run, by cell index."""

    runs: dict[int, CellRun] = field(default_factory=dict)
    # (kernel session, execution count) -> cell index, to read "Cell In[7]" in tracebacks.
    executions: dict[tuple[int, int], int] = field(default_factory=dict)
    timeout: int = 120
    restarts: int = 0


def _call(function: Callable[..., object], *args: object, **kwargs: object) -> object:
    """Call a jupyter_client method that may be a coroutine (nbclient's clients are async)."""

    async def call() -> object:
        return await ensure_async(function(*args, **kwargs))

    return run_sync(call)()


def _exit_description(process: subprocess.Popen | None) -> str:
    """How the kernel process ended, in a student's words."""
    code = process.poll() if process is not None else None
    if code is None:
        return "it stopped answering"
    if code < 0:
        try:
            name = signal.Signals(-code).name
        except ValueError:
            name = f"signal {-code}"
        if name == "SIGKILL":
            return "it was killed (SIGKILL), most often because it ran out of memory"
        if name == "SIGSEGV":
            return "it crashed (SIGSEGV, a segmentation fault in compiled code)"
        return f"it was ended by {name}"
    return f"it exited with code {code} (os._exit or sys.exit in compiled code?)"


class _Kernel:
    """One kernel session of the check, driven cell by cell through nbclient."""

    def __init__(self, nb: nbformat.NotebookNode, path: Path, timeout: int, session: int) -> None:
        from nbclient import NotebookClient

        self.session = session
        self.client = NotebookClient(
            nb,
            timeout=timeout,
            allow_errors=True,
            # Past the timeout: interrupt, wait a little for the traceback, and go on.
            interrupt_on_timeout=True,
            error_on_timeout={"ename": TIMEOUT_ENAME, "evalue": f"{timeout} s", "traceback": []},
            iopub_timeout=INTERRUPT_GRACE_SECONDS,
            on_cell_executed=self._executed,
            kernel_name="python3",
            resources={"metadata": {"path": str(path.parent)}},
            extra_arguments=["--HistoryManager.hist_file=:memory:"],
        )
        self.context = None
        self.last_reply: dict | None = None

    def __enter__(self) -> _Kernel:
        env = {**os.environ, NESTED_CHECK_ENV: "1"}
        # The kernel process's own log (start-up notices) is noise in a student's report;
        # what the notebook prints reaches its cells through the kernel protocol.
        self.context = self.client.setup_kernel(env=env, stderr=subprocess.DEVNULL)
        self.context.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        try:
            self.context.__exit__(None, None, None)
        except Exception:  # noqa: BLE001 - a dead kernel may fail to shut down cleanly; it is gone anyway
            pass

    @property
    def process(self) -> subprocess.Popen | None:
        """The kernel's OS process (nbclient's local provisioner)."""
        provisioner = getattr(self.client.km, "provisioner", None)
        return getattr(provisioner, "process", None)

    def run(self, cell: nbformat.NotebookNode, index: int) -> CellRun:
        """Execute ``cell``; a timeout interrupts it, a dead kernel is reported as such."""
        from nbclient.exceptions import DeadKernelError

        start = time.perf_counter()
        self.last_reply = None
        try:
            self.client.execute_cell(cell, index)
        except DeadKernelError:
            run = CellRun("died", list(cell.get("outputs", [])), self.session)
            run.reason = _exit_description(self.process)
        else:
            outputs = list(cell.get("outputs", []))
            content = (self.last_reply or {}).get("content", {})
            if content.get("ename") == TIMEOUT_ENAME:
                run = CellRun("timeout", outputs, self.session)
                # The interrupt's KeyboardInterrupt traceback says where the code was stuck;
                # without it the kernel did not stop (a long call in compiled code).
                if not any(o.get("ename") == "KeyboardInterrupt" for o in outputs):
                    run.reason = "it did not stop when interrupted, so the kernel was restarted"
            else:
                failed = any(o.get("output_type") == "error" for o in outputs)
                run = CellRun("error" if failed else "ok", outputs, self.session)
        run.seconds = time.perf_counter() - start
        return run

    def _executed(self, cell: nbformat.NotebookNode, cell_index: int, execute_reply: dict) -> None:
        self.last_reply = execute_reply

    @property
    def alive(self) -> bool:
        """Whether the kernel still runs."""
        try:
            return bool(_call(self.client.km.is_alive))
        except Exception:  # noqa: BLE001 - no manager, no kernel
            return False


def _calls_any(info: CellInfo, names: set[str], cells: list[CellInfo]) -> str:
    """The first of ``names`` that the cell reaches (directly or through a student function)."""
    owners = student_functions(cells)
    seen: set[str] = set()
    queue = sorted(info.reads)
    while queue:
        name = queue.pop(0)
        if name in seen:
            continue
        seen.add(name)
        if name in names:
            return name
        if name in owners:
            queue += sorted(owners[name].reads)
    return ""


def run_cells(
    nb: nbformat.NotebookNode,
    path: Path,
    cells: list[CellInfo],
    skip: dict[int, str],
    timeout: int = 120,
) -> NotebookRun:
    """Run every code cell not in ``skip``, in order, replacing the kernel when it dies."""
    result = NotebookRun(timeout=timeout)
    owners = student_functions(cells)
    broken: dict[str, str] = {}  # student function -> what it did ("timed out in test_x")
    ran_in_kernel: list[CellInfo] = []  # cells to run again in a replacement kernel
    todo = [c for c in cells if c.index not in skip and c.cell.source.strip()]
    for info in cells:
        if info.index in skip:
            result.runs[info.index] = CellRun("skipped", reason=skip[info.index])
    session = 0
    while todo:
        session += 1
        if session > MAX_KERNELS:
            for info in todo:
                result.runs[info.index] = CellRun("not run", reason="the kernel kept dying")
            break
        with _Kernel(nb, path, timeout, session) as kernel:
            if not _replay(kernel, ran_in_kernel, result):
                result.restarts += 1
                continue
            while todo:
                info = todo.pop(0)
                culprit = _calls_any(info, set(broken), cells) if info.role != "solution" else ""
                if culprit:
                    result.runs[info.index] = CellRun(
                        "not run", reason=f"it calls your `{culprit}`, which {broken[culprit]}"
                    )
                    continue
                run = kernel.run(info.cell, info.index)
                _record(result, session, info.cell, info.index)
                result.runs[info.index] = run
                if run.status in ("ok", "error"):
                    ran_in_kernel.append(info)
                    continue
                what = "ran past the time limit" if run.status == "timeout" else "killed the kernel"
                for name in _suspects(info, run, cells, owners, result):
                    broken.setdefault(name, f"{what} in {info.grade_id or f'cell {info.index}'}")
                if run.status == "timeout" and not run.reason and kernel.alive:
                    continue  # interrupted cleanly: same kernel, nothing lost
                result.restarts += 1
                break
    return result


def _replay(kernel: _Kernel, cells: list[CellInfo], result: NotebookRun) -> bool:
    """Run again, in a new kernel, the cells that ran in the one before; False if one of them
    now hangs or kills it (it is dropped from ``cells``, and a next kernel tries without it)."""
    for info in list(cells):
        replay = copy.deepcopy(info.cell)  # the first run's outputs are the ones reported
        again = kernel.run(replay, info.index)
        _record(result, kernel.session, replay, info.index)
        if again.status not in ("ok", "error"):
            cells.remove(info)
            return False
    return True


def _record(result: NotebookRun, session: int, cell: nbformat.NotebookNode, index: int) -> None:
    count = cell.get("execution_count")
    if isinstance(count, int):
        result.executions[(session, count)] = index


def _suspects(
    info: CellInfo,
    run: CellRun,
    cells: list[CellInfo],
    owners: dict[str, CellInfo],
    result: NotebookRun,
) -> set[str]:
    """Student functions to blame for a hang or a dead kernel in cell ``info``.

    A timeout's KeyboardInterrupt traceback names the function that was running; a dead
    (or deaf) kernel leaves no trace, so every student function the cell calls whose own
    test has not passed yet is suspect.
    """
    from gdlab.selfcheck_explain import shown_name, student_frames

    if info.role == "solution":
        return set()  # its functions may not even exist; their tests will say so
    if run.error is not None:  # the interrupt's traceback: it shows what was running
        frames = student_frames(run.error, run.session, result, cells)
        # A method is reached through its class ("Adam.update" -> "Adam"); no student frame
        # means the loop was the test's own, which blames no function.
        return {shown_name(frames[-1]).split(".")[0]} if frames else set()
    passed = {
        c.exercise
        for c in cells
        if c.role == "test" and getattr(result.runs.get(c.index), "status", "") == "ok"
    }
    suspects = {name for name in info.reads if name in owners and owners[name].index not in passed}
    if not suspects and info.role == "test":
        suspects = {name for name, owner in owners.items() if owner.index == info.exercise}
    return suspects
