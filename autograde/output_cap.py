"""Kernel side: a cap on what one request may print, applied before the kernel buffers it.

IPython (9) keeps every string a cell writes to stdout or stderr in
``history_manager.outputs``, for the life of the kernel, and ipykernel buffers it
again until its I/O thread has sent it. A cell that prints without end (``while
True: print(...)``) so fills the kernel's address space up to its memory limit
within its time limit, and the memory stays taken: the hidden checks and probes
of phase 2, in the same kernel, then fail with ``MemoryError`` and the points
earned before the flood are lost (the more often, the more CPU the kernel gets
between the grader's reads).

:func:`cap_output` turns IPython's output recording off (grading never reads it)
and wraps ``sys.stdout``, ``sys.stderr`` and the display publisher so that
whatever one request (one msg_id) prints or displays beyond a budget is dropped
before ipykernel buffers it: memory
stays flat however much a cell prints and however slowly the grader reads. The budget is a little above the grader's own per-cell cap
(``SafeExecute.max_output_bytes``), so the trusted side still sees the overflow
and writes its note. A submission can undo the wrapper; it then only loses its
own points, as it would by exhausting its memory any other way.
"""

from __future__ import annotations

import contextlib
import sys
from typing import Any

#: what a request may print past the grader's cap, so that the grader notices the overflow
MARGIN = 64 * 1024


def cap_output(max_bytes: int) -> None:
    """Drop whatever one request writes to stdout and stderr or displays (together) beyond
    ``max_bytes + MARGIN``.

    Called in an execution, whose end puts IPython's tee back (and with it the original
    ``write``): the cap is installed again at the start of every later execution.
    """
    from IPython import get_ipython

    budget = {"request": None, "used": 0}

    def install() -> None:
        for stream in (sys.stdout, sys.stderr):
            if not getattr(stream.write, "gdlab_output_cap", False):
                stream.write = _capped(stream, stream.write, budget, max_bytes + MARGIN)

    install()
    shell = get_ipython()
    if shell is not None:
        shell._tee = lambda channel: contextlib.nullcontext()  # it would record every write, capped or not
        shell.events.register("pre_execute", install)
        publisher = shell.display_pub
        if hasattr(publisher, "store_display_history"):
            publisher.store_display_history = False  # it would keep every display, too
        publisher.publish = _capped_display(publisher, publisher.publish, budget, max_bytes + MARGIN)


def _capped_display(publisher: Any, publish: Any, budget: dict, limit: int) -> Any:
    """``publish`` that drops the displays of a request once it has used up ``limit``."""

    def capped_publish(data: Any, *args: Any, **kwargs: Any) -> None:
        request = getattr(publisher, "parent_header", {}).get("msg_id")
        if request != budget["request"]:
            budget["request"], budget["used"] = request, 0
        if budget["used"] >= limit:
            return None
        values = data.values() if isinstance(data, dict) else [data]
        budget["used"] += sum(len(v) if isinstance(v, (str, bytes)) else 64 for v in values)
        return publish(data, *args, **kwargs)

    return capped_publish


def _capped(stream: Any, write: Any, budget: dict, limit: int) -> Any:
    """``write`` that drops, for the request ``stream`` is writing for, what comes past ``limit``."""

    def capped_write(text: str) -> int:
        request = getattr(stream, "parent_header", {}).get("msg_id")
        if request != budget["request"]:
            budget["request"], budget["used"] = request, 0
        left = limit - budget["used"]
        if left <= 0:
            return len(text)
        budget["used"] += len(text)
        write(text[:left])
        return len(text)

    capped_write.gdlab_output_cap = True
    return capped_write
