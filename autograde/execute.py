"""Execution that survives a hostile notebook and keeps the hidden tests out of its reach.

``SafeExecute`` is nbgrader's ``Execute`` run in two phases in one kernel:

1. The notebook as the student has it: every cell in order, each test cell with
   its visible part only. After each test cell, a silent execution keeps a
   shallow snapshot of the globals. These outputs are the graded notebook's, and
   so the feedback's.
2. After the last cell, each test cell's hidden check groups (see
   :mod:`gdlab_autograde.hidden_checks`) and its probe run in that cell's
   snapshot with ``store_history=False``; only pass/fail and the probe's result
   are kept (:mod:`gdlab_autograde.quiet`), never an output. A failed group
   becomes an error output written by this trusted side, "hidden check failed:
   <description>", so ``SaveAutoGrades`` scores the cell 0 and the feedback
   names the check but never shows its code, inputs or traceback.

A kernel that has seen a hidden test or a probe seed is tainted, and nothing it
prints after that is shown: phase 2 comes after everything visible. The kernel
never sees another student's seed; ``In``, ``_ih``, ``Out`` and the history
never hold hidden code.

Guarantees kept from before: a kernel that dies at cell k fails that cell, later
cells are marked "not run", and the test cells before k keep their points (a new
kernel re-runs cells 0..k-1 without showing anything, then phase 2 runs for
them); a cell past the time limit is interrupted, and a kernel that ignores the
interrupt is killed; a cell's output beyond ``max_output_bytes`` is dropped as it
arrives, and the kernel itself drops what a request prints well past it
(:mod:`gdlab_autograde.output_cap`), so that a flood of output cannot exhaust the
kernel's memory before phase 2 runs in it. With ``sandbox`` on, every kernel starts in the sandbox of
:mod:`gdlab_autograde.sandbox`.
"""

from __future__ import annotations

import asyncio
import json
import queue
import time
from pathlib import Path

from jupyter_core.utils import ensure_async, run_sync
from nbclient import NotebookClient
from nbclient.exceptions import DeadKernelError
from nbformat.notebooknode import NotebookNode
from nbgrader.preprocessors import Execute
from traitlets import Bool, Dict, Int, Unicode

from gdlab_autograde.hidden_checks import is_test_cell, split_test_cell
from gdlab_autograde.probe_schema import parse_payloads
from gdlab_autograde.probes import probes_of
from gdlab_autograde.quiet import BACKLOG_FACTOR, QuietResult, run_quietly, settle

TIMEOUT = "CellTimeoutError"
HIDDEN_FAILED = "HiddenCheckFailed"
NOT_CHECKED = "hidden checks could not run (the kernel died or stopped answering)"
#: seconds the last ``SafeExecute.preprocess`` spent per stage (read by the grading worker)
TIMINGS: dict[str, float] = {}


def error_output(ename: str, evalue: str) -> NotebookNode:
    """An nbformat error output."""
    return NotebookNode(output_type="error", ename=ename, evalue=evalue, traceback=[f"{ename}: {evalue}"])


def _failed(cell: NotebookNode) -> bool:
    return any(o.get("output_type") == "error" for o in cell.get("outputs", []))


def _timed_out(cell: NotebookNode) -> bool:
    return any(o.get("output_type") == "error" and o.get("ename") == TIMEOUT for o in cell.get("outputs", []))


class SafeExecute(Execute):
    """``Execute`` in two phases that keeps grading after a kernel death or an unstoppable cell."""

    responsive_wait = 5.0  # seconds an interrupted kernel has to answer before it is killed
    sandbox = Bool(False, help="start the kernel in the bubblewrap sandbox").tag(config=True)
    max_output_bytes = Int(2_000_000, help="output kept per cell; the rest is dropped").tag(config=True)
    probe_assignment = Unicode("", help="assignment whose probes run in phase 2 ('': none)").tag(config=True)
    probe_seeds = Dict(
        {}, help="owner -> seed: each probe runs once per seed (a student's own; the solution's: everyone's)"
    ).tag(config=True)
    probe_results_path = Unicode("", help="JSON file for {owner: {grade_id: result}}").tag(config=True)
    max_replays = Int(2, help="new kernels phase 2 may start after a death before giving up").tag(config=True)

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)
        if self.sandbox:
            from gdlab_autograde.sandbox import SandboxedKernelManager

            self.kernel_manager_class = SandboxedKernelManager

    def preprocess(self, nb, resources=None, km=None):  # noqa: ANN001, ANN201 - nbconvert's signature
        # nbconvert's ExecutePreprocessor.preprocess, with phase 2 before the kernel is shut down.
        NotebookClient.__init__(self, nb, km)
        self.reset_execution_trackers()
        self._check_assign_resources(resources)
        self._stopped = ""
        self._output_bytes: dict[int, int] = {}
        self._tests = {i: split_test_cell(c.source) for i, c in enumerate(nb.cells) if is_test_cell(c)}
        self._replay_upto = len(nb.cells)  # phase 1 ran (or tried) cells below this in a live kernel
        self._kernel_ok = True
        self._snapshots: set[int] = set()
        full_sources = {i: nb.cells[i].source for i in self._tests}
        for i, parts in self._tests.items():
            nb.cells[i].source = parts.visible
        TIMINGS.clear()
        started = time.perf_counter()
        try:
            with self.setup_kernel():
                assert self.kc is not None
                info_msg = self.wait_for_reply(self.kc.kernel_info())
                assert info_msg
                self.nb.metadata["language_info"] = info_msg["content"]["language_info"]
                run_sync(self._cap_output)()
                TIMINGS["kernel start"] = (ran := time.perf_counter()) - started
                for index, cell in enumerate(self.nb.cells):
                    self.preprocess_cell(cell, resources, index)
                TIMINGS["cells"] = (checked := time.perf_counter()) - ran
                failures, probes = run_sync(self._phase_two)()
                TIMINGS["hidden checks and probes"] = (ended := time.perf_counter()) - checked
            TIMINGS["kernel shutdown"] = time.perf_counter() - ended
        finally:
            for i, source in full_sources.items():
                self.nb.cells[i].source = source
        self.set_widgets_metadata()
        for index, descriptions in failures.items():
            for description in descriptions:
                self.nb.cells[index].outputs.append(
                    error_output(HIDDEN_FAILED, f"hidden check failed: {description}")
                )
        if self.probe_results_path:
            Path(self.probe_results_path).write_text(json.dumps(probes))
        return self.nb, self.resources

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
            self._stop(index, "the kernel died in an earlier cell")
            cell.outputs.append(
                error_output(
                    "DeadKernelError",
                    "the kernel died while running this cell (a crash, os._exit or a resource limit)",
                )
            )
            return cell, self.resources
        if _timed_out(cell) and not run_sync(self._answers)():
            self._stop(index, "an earlier cell ran past the time limit and could not be interrupted")
            run_sync(self.km.shutdown_kernel)(now=True)
        elif index in self._tests and not _failed(cell):
            run_sync(self._snapshot)(index)
        return cell, resources

    def _stop(self, index: int, why: str) -> None:
        """Phase 1 ends at cell ``index``: later cells are not run, phase 2 needs a new kernel."""
        self._stopped = why
        self._replay_upto = index
        self._kernel_ok = False

    async def _quietly(self, code: str, silent: bool = False) -> QuietResult:
        """Run ``code`` unseen (see :mod:`gdlab_autograde.quiet`); a kernel that is gone is noted."""
        result = await run_quietly(
            self.km, self.kc, code, self._get_timeout(None) or 60, self.responsive_wait, silent=silent
        )
        if result.status in ("dead", "unresponsive"):
            self._kernel_ok = False
            if result.status == "unresponsive":
                await ensure_async(self.km.shutdown_kernel(now=True))
        return result

    async def _cap_output(self) -> None:
        """Before any cell: the kernel drops what one request prints past the cap (see output_cap)."""
        code = f"__import__('gdlab_autograde.output_cap', fromlist=['cap_output']).cap_output({self.max_output_bytes})"
        await self._quietly(code, silent=True)

    async def _snapshot(self, index: int) -> None:
        code = f"__import__('gdlab_autograde.probes', fromlist=['snapshot']).snapshot({index}, globals())"
        if (await self._quietly(code, silent=True)).status == "ok":
            self._snapshots.add(index)

    async def _phase_two(self) -> tuple[dict[int, list[str]], dict[str, dict]]:
        """Run every hidden group and probe of the test cells that passed; (failures, probe results)."""
        probes = probes_of(self.probe_assignment) if self.probe_assignment else {}
        failures: dict[int, list[str]] = {}
        results: dict[str, dict] = {str(owner): {} for owner in self.probe_seeds}
        replays = 0
        if self._kernel_ok:  # an earlier flood's outputs still on their way would crowd out the results
            timeout = self._get_timeout(None) or 60
            await settle(self.kc, self.responsive_wait, BACKLOG_FACTOR * timeout)
        for index, parts in self._tests.items():
            cell = self.nb.cells[index]
            if index >= self._replay_upto or _failed(cell):
                continue  # never run, or already 0: nothing to check
            grade_id = cell.metadata.get("nbgrader", {}).get("grade_id", "")
            items: list[tuple[str, str, int]] = [
                ("check", g.description, i) for i, g in enumerate(parts.groups)
            ]
            if grade_id in probes:
                items += [("probe", str(owner), int(seed)) for owner, seed in self.probe_seeds.items()]
            for kind, label, number in items:
                while not self._kernel_ok and replays < self.max_replays:
                    replays += 1
                    await self._replay()
                if not self._kernel_ok or index not in self._snapshots:
                    outcome = None
                elif kind == "check":
                    code = parts.groups[number].code
                    outcome = await self._quietly(
                        f"__import__('gdlab_autograde.probes', fromlist=['run_check']).run_check({index}, {code!r})"
                    )
                else:
                    outcome = await self._quietly(
                        "__import__('gdlab_autograde.probes', fromlist=['emit']).emit("
                        f"{self.probe_assignment!r}, {grade_id!r}, {number}, {index})"
                    )
                if kind == "check" and (outcome is None or outcome.status != "ok"):
                    failures.setdefault(index, []).append(label if outcome is not None else NOT_CHECKED)
                elif kind == "probe":
                    if outcome is None or outcome.status not in ("ok", "error"):
                        results[label][grade_id] = {"probe error": outcome.status if outcome else "not run"}
                    else:
                        results[label][grade_id] = parse_payloads(outcome.payloads, outcome.undecodable)
        return {i: list(dict.fromkeys(found)) for i, found in failures.items()}, results

    async def _replay(self) -> None:
        """A new kernel, brought to the state phase 1 left: cells 0..k-1 re-run unseen, snapshots retaken."""
        try:
            await self._async_cleanup_kernel()
        except Exception:  # noqa: BLE001 - whatever is left of the old kernel is being replaced
            pass
        self.km = self.create_kernel_manager()
        self._snapshots = set()
        try:
            await self.async_start_new_kernel()
            await self.async_start_new_kernel_client()
        except Exception:  # noqa: BLE001 - no new kernel: the remaining checks fail, the batch goes on
            return
        self._kernel_ok = True
        await self._cap_output()
        for index, cell in enumerate(self.nb.cells[: self._replay_upto]):
            if cell.cell_type != "code" or not cell.source.strip() or _timed_out(cell):
                continue
            if "demo" in cell.metadata.get("tags", []):
                continue  # demonstrations: no test depends on them
            if (await self._quietly(cell.source)).status in ("dead", "unresponsive"):
                return
            if index in self._tests and not _failed(cell):
                await self._snapshot(index)
            if not self._kernel_ok:
                return

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
