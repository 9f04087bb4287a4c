"""Execution that survives a hostile notebook: nbgrader's ``Execute`` plus two guarantees.

- A kernel that dies (``os._exit``, a segfault, the memory limit) fails the cell it
  died in; the later cells are marked "not run" instead of the whole submission
  being thrown away, so points earned before the crash are kept.
- A cell that runs past the time limit is interrupted (nbgrader); if the kernel
  then does not answer (a loop that ignores SIGINT), it is killed and the later
  cells are marked "not run", instead of each of them waiting out its own timeout.

A cell marked "not run" carries an error output, so a test cell that never ran
can never count as passed. With ``sandbox`` on, the kernel starts inside the
sandbox of :mod:`gdlab_autograde.sandbox`; a cell's output beyond
``max_output_bytes`` is dropped as it arrives, so a flood cannot fill the
grader's memory.
"""

from __future__ import annotations

import asyncio
import queue

from jupyter_core.utils import run_sync
from nbclient.exceptions import DeadKernelError
from nbformat.notebooknode import NotebookNode
from nbgrader.preprocessors import Execute
from traitlets import Bool, Int

TIMEOUT = "CellTimeoutError"


def error_output(ename: str, evalue: str) -> NotebookNode:
    """An nbformat error output."""
    return NotebookNode(output_type="error", ename=ename, evalue=evalue, traceback=[f"{ename}: {evalue}"])


class SafeExecute(Execute):
    """``Execute`` that keeps grading after a kernel death or an unstoppable cell."""

    responsive_wait = 5.0  # seconds an interrupted kernel has to answer before it is killed
    sandbox = Bool(False, help="start the kernel in the bubblewrap sandbox").tag(config=True)
    max_output_bytes = Int(2_000_000, help="output kept per cell; the rest is dropped").tag(config=True)

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)
        if self.sandbox:
            from gdlab_autograde.sandbox import SandboxedKernelManager

            self.kernel_manager_class = SandboxedKernelManager

    def preprocess(self, nb, resources=None, km=None):  # noqa: ANN001, ANN201 - nbconvert's signature
        self._stopped = ""
        self._output_bytes: dict[int, int] = {}
        return super().preprocess(nb, resources, km)

    def output(self, outs, msg, display_id, cell_index):  # noqa: ANN001, ANN201 - nbclient's signature
        if msg.get("msg_type") != "error":
            size = sum(len(str(v)) for v in msg.get("content", {}).values())
            used = self._output_bytes.get(cell_index, 0)
            self._output_bytes[cell_index] = used + size
            if used + size > self.max_output_bytes:
                if used <= self.max_output_bytes:
                    note = f"\n[output beyond {self.max_output_bytes // 1000} kB dropped by the grader]\n"
                    outs.append(NotebookNode(output_type="stream", name="stdout", text=note))
                return None
        return super().output(outs, msg, display_id, cell_index)

    def preprocess_cell(self, cell, resources, index):  # noqa: ANN001, ANN201 - nbconvert's signature
        if self._stopped:
            if cell.cell_type == "code":
                cell.outputs = [error_output("NotRun", f"not run: {self._stopped}")]
            return cell, resources
        try:
            cell, resources = super().preprocess_cell(cell, resources, index)
        except DeadKernelError:
            self._stopped = "the kernel died in an earlier cell"
            cell.outputs.append(
                error_output(
                    "DeadKernelError",
                    "the kernel died while running this cell (a crash, os._exit or a resource limit)",
                )
            )
            return cell, self.resources
        timed_out = any(
            o.get("output_type") == "error" and o.get("ename") == TIMEOUT for o in cell.get("outputs", [])
        )
        if timed_out and not run_sync(self._answers)():
            self._stopped = "an earlier cell ran past the time limit and could not be interrupted"
            run_sync(self.km.shutdown_kernel)(now=True)
        return cell, resources

    async def _answers(self) -> bool:
        """Whether the kernel answers a kernel_info request within ``responsive_wait`` seconds."""
        msg_id = self.kc.kernel_info()
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.responsive_wait
        while (left := deadline - loop.time()) > 0:
            try:
                reply = await self.kc.shell_channel.get_msg(timeout=left)
            except (queue.Empty, TimeoutError):
                return False
            if reply.get("parent_header", {}).get("msg_id") == msg_id:
                return True
        return False
