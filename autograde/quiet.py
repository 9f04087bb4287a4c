"""Executions whose output nobody sees: the snapshots, hidden checks and probes of phase 2.

:func:`run_quietly` sends code with ``store_history=False`` (so ``In``, ``_ih``, ``Out``
and the history never hold it), waits for the reply to that very request, and
drops every output on the way, except the probe results the request itself
displayed, which it hands back as raw payloads for the strict schema
(:mod:`gdlab_autograde.probe_schema`). A request is identified by its msg_id,
which the trusted side chose; nothing a submission writes can claim one.
"""

from __future__ import annotations

import asyncio
import queue
from dataclasses import dataclass, field
from typing import Any

from jupyter_core.utils import ensure_async

from gdlab_autograde.probes import PROBE_MIME

MAX_PAYLOADS = 4  # more than one already makes a probe result malformed
BACKLOG_FACTOR = 8  # how many time limits to wait for a request's outputs while a backlog drains


@dataclass
class QuietResult:
    """How a quiet execution ended: "ok", "error", "timeout" (interrupted), "unresponsive" or "dead"."""

    status: str
    payloads: list[Any] = field(default_factory=list)
    undecodable: int = 0
    messages: int = 0  # output messages read while it ran (its own and any backlog)


async def run_quietly(
    km: Any, kc: Any, code: str, timeout: float, responsive_wait: float, silent: bool = False
) -> QuietResult:
    """Execute ``code`` in the kernel without recording or showing anything; see the module docstring."""
    result = QuietResult("ok")
    msg_id = kc.execute(code, silent=silent, store_history=False, allow_stdin=False, stop_on_error=False)
    idle = asyncio.Event()
    drain = asyncio.ensure_future(_drain_iopub(kc, msg_id, result, idle))
    try:
        reply = await _reply(km, kc, msg_id, timeout)
        if reply is None:  # past the time limit: interrupt, and give the kernel a moment to answer
            await ensure_async(km.interrupt_kernel())
            reply = await _reply(km, kc, msg_id, responsive_wait)
            result.status = "timeout" if reply is not None else "unresponsive"
            return result
        if reply == "dead":
            result.status = "dead"
            return result
        if reply.get("content", {}).get("status") != "ok":
            result.status = "error"
        # The outputs of the request arrive before its "idle" status, maybe behind the backlog of an
        # earlier cell's flood: wait as long as messages keep coming (within a bound).
        loop = asyncio.get_running_loop()
        deadline = loop.time() + BACKLOG_FACTOR * timeout
        while not idle.is_set() and loop.time() < deadline:
            before = result.messages
            try:
                await asyncio.wait_for(idle.wait(), timeout=min(timeout, responsive_wait))
            except TimeoutError:
                if result.messages == before:
                    break  # nothing arrives any more: the idle status was lost
        return result
    finally:
        drain.cancel()


async def settle(kc: Any, patience: float, bound: float) -> bool:
    """Read (and drop) every output message the kernel sent so far; whether that ended.

    The kernel publishes its "idle" status for a request after every output it sent before
    it, on the same ordered channel: once the idle of a request sent now arrives, no older
    output is still on its way, and the queues a flood filled are empty again (a full queue
    drops new messages, a probe's result among them). That idle may itself be dropped while
    the queue is full: once the backlog has drained (``patience`` seconds without a message),
    ask again. Gives up when nothing at all arrives for ``patience`` seconds (a kernel that
    does not publish), or after ``bound`` seconds (one that keeps printing from a thread).
    """
    loop = asyncio.get_running_loop()
    deadline = loop.time() + bound
    while loop.time() < deadline:
        msg_id = kc.kernel_info()
        quiet_until = loop.time() + patience
        received = 0
        while (left := min(quiet_until, deadline) - loop.time()) > 0:
            try:
                msg = await kc.iopub_channel.get_msg(timeout=left)
            except (queue.Empty, TimeoutError):
                break
            except Exception:  # noqa: BLE001 - an undecodable message is dropped like the rest
                msg = {}
            received += 1
            quiet_until = loop.time() + patience
            if (
                msg.get("parent_header", {}).get("msg_id") == msg_id
                and msg.get("msg_type") == "status"
                and msg.get("content", {}).get("execution_state") == "idle"
            ):
                return True
        if not received:
            return False  # nothing at all on its way: no queue was full, the kernel does not publish
    return False


async def _reply(km: Any, kc: Any, msg_id: str, timeout: float) -> dict | str | None:
    """The shell reply to ``msg_id``; None after ``timeout`` seconds, "dead" if the kernel died."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while (left := deadline - loop.time()) > 0:
        try:
            msg = await kc.shell_channel.get_msg(timeout=min(left, 1.0))
        except (queue.Empty, TimeoutError):
            if not await ensure_async(km.is_alive()):
                return "dead"
            continue
        except Exception:  # noqa: BLE001 - an undecodable message from the kernel is skipped
            continue
        if msg.get("parent_header", {}).get("msg_id") == msg_id:
            return msg
    return None


async def _drain_iopub(kc: Any, msg_id: str, result: QuietResult, idle: asyncio.Event) -> None:
    """Read (and drop) every output message; keep the probe payloads of ``msg_id``'s own displays."""
    while True:
        try:
            msg = await kc.iopub_channel.get_msg(timeout=None)
        except (queue.Empty, TimeoutError):
            continue
        except asyncio.CancelledError:
            raise
        except Exception:  # noqa: BLE001 - undecodable (too deep, too big): counts against this request
            result.undecodable += 1
            continue
        result.messages += 1
        if msg.get("parent_header", {}).get("msg_id") != msg_id:
            continue
        kind, content = msg.get("msg_type"), msg.get("content", {})
        if kind == "status" and content.get("execution_state") == "idle":
            idle.set()
        elif kind in ("display_data", "execute_result", "update_display_data"):
            data = content.get("data")
            if isinstance(data, dict) and PROBE_MIME in data and len(result.payloads) < MAX_PAYLOADS:
                result.payloads.append(data[PROBE_MIME])
            elif isinstance(data, dict) and PROBE_MIME in data:
                result.undecodable += 1
