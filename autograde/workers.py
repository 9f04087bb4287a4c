"""The grading worker processes (:mod:`gdlab_autograde.worker`) as the trusted side runs them."""

from __future__ import annotations

import os
import select
import signal
import subprocess
import sys
from pathlib import Path


class WorkerSlot:
    """One long-lived worker process (:mod:`gdlab_autograde.worker`), restarted after a timeout or crash."""

    def __init__(self, index: int, folder: Path) -> None:
        self.index = index
        self.log = folder / f"worker-{index}.log"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        """Start the worker process if it is not running."""
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
        assert self.process is not None
        assert self.process.stdin is not None and self.process.stdout is not None
        try:
            self.process.stdin.write(f"{job_file}\n")
            self.process.stdin.flush()
        except (BrokenPipeError, OSError):
            self.stop()
            return "crashed"
        ready, _, _ = select.select([self.process.stdout], [], [], timeout)
        if not ready:
            self.stop()
            return "timeout"
        if self.process.stdout.readline().strip() != "done":
            self.stop()
            return "crashed"
        return "done"

    def stop(self) -> None:
        """End the worker and everything it started."""
        if self.process is not None:
            _kill_group(self.process)
            self.process = None


def _kill_group(process: subprocess.Popen) -> None:
    """Kill the worker and everything it started (kernels, their children)."""
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    process.wait()
