"""The grading worker processes (:mod:`gdlab_autograde.worker`) as the trusted side runs them."""

from __future__ import annotations

import contextlib
import os
import queue
import select
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path


class GradingStopped(RuntimeError):
    """The run is being stopped (Ctrl-C): no job starts any more."""


class WorkerSlot:
    """One long-lived worker process (:mod:`gdlab_autograde.worker`), restarted after a timeout or crash."""

    def __init__(self, index: int, folder: Path) -> None:
        self.index = index
        self.log = folder / f"worker-{index}.log"
        self.process: subprocess.Popen | None = None
        self.closed = False  # set when the run stops: no worker is started again

    def start(self) -> None:
        """Start the worker process if it is not running."""
        if self.closed:
            raise GradingStopped("grading was stopped")
        if self.process is None or self.process.poll() is not None:
            with self.log.open("ab") as log:
                self.process = subprocess.Popen(
                    [sys.executable, "-m", "gdlab_autograde.worker"],
                    stdin=subprocess.PIPE,
                    stdout=subprocess.PIPE,
                    stderr=log,
                    text=True,
                    start_new_session=True,
                )

    def run(self, job_file: Path, timeout: float) -> str:
        """Hand the worker a job; "done", "timeout" (the worker was killed) or "crashed"."""
        self.start()
        process = self.process  # stop() (another thread, when the run stops) sets it to None
        assert process is not None and process.stdin is not None and process.stdout is not None
        try:
            process.stdin.write(f"{job_file}\n")
            process.stdin.flush()
            ready, _, _ = select.select([process.stdout], [], [], timeout)
            if not ready:
                self.stop()
                return "timeout"
            answer = process.stdout.readline().strip()
        except (OSError, ValueError):  # a pipe closed under us
            answer = ""
        if answer != "done":
            self.stop()
            return "crashed"
        return "done"

    def stop(self) -> None:
        """End the worker and everything it started."""
        process, self.process = self.process, None
        if process is not None:
            _kill_group(process)


def _kill_group(process: subprocess.Popen) -> None:
    """Kill the worker and everything it started (kernels, their children)."""
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    process.wait()


class WorkerPool:
    """The worker slots of a grading run, shared by every assignment it grades (``--all``)."""

    def __init__(self, jobs: int, folder: Path) -> None:
        self.jobs = jobs
        self.slots = [WorkerSlot(i, folder) for i in range(jobs)]
        self.free: queue.Queue[WorkerSlot] = queue.Queue()

    def start(self) -> None:
        """Start every worker (they import nbgrader while the parent prepares the first jobs)."""
        for slot in self.slots:
            slot.start()
            self.free.put(slot)

    @contextlib.contextmanager
    def slot(self) -> Iterator[WorkerSlot]:
        """A free worker slot for the duration of one job; :class:`GradingStopped` once the run stops."""
        slot = self.free.get()
        try:
            if slot.closed:
                raise GradingStopped("grading was stopped")
            yield slot
        finally:
            self.free.put(slot)

    def stop(self) -> None:
        """End every worker and what it started; no job starts after this."""
        for slot in self.slots:
            slot.closed = True
        for slot in self.slots:
            slot.stop()
