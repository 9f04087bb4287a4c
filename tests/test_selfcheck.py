"""`gdlab check` with real kernels: the full report whatever the notebook does (issue 15).

Hand-made notebooks hold the mistakes the lessons warn about (an endless loop, a
SyntaxError, a raising function, a kernel killed by ``os._exit`` or a segfault, a test
that fails because an earlier exercise does), each followed by exercises that are fine;
the course's own notebooks are checked with and without skipping the `demo` cells to
show the skip never changes a verdict; and ``gdlab.check()`` runs in a kernel that a
real Jupyter server on 127.0.0.1 started for a notebook, as JupyterLab does.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import secrets
import subprocess
import sys
import time
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from gdlab.selfcheck import check_notebook
from gdlab_autograde.course import assignments
from tests.jupyter_process import answers, free_port, jupyter_command, lab_environment, running
from tests.notebook_harness import ROOT
from tests.selfcheck_notebooks import (
    double_exercise,
    graded_test,
    hard_cases,
    notebook,
    quadruple_exercise,
    solution,
    write,
)

pytestmark = pytest.mark.slow
GDLAB = [sys.executable, "-m", "gdlab.cli"]


def gdlab_check(path: Path, *extra: str, timeout: float = 300) -> subprocess.CompletedProcess:
    """`gdlab check` as a student runs it."""
    return subprocess.run(
        [*GDLAB, "check", str(path), *extra],
        capture_output=True,
        text=True,
        env={**os.environ, "GDLAB_OFFLINE": "1"},
        timeout=timeout,
    )


def section(report: str, grade_id: str) -> str:
    """The report's lines about one exercise: its PASS/FAIL line and the message under it."""
    lines = report.splitlines()
    start = next(i for i, line in enumerate(lines) if line[6:].split(" ")[0] == grade_id)
    end = next((i for i in range(start + 1, len(lines)) if not lines[i].startswith("      ")), len(lines))
    return "\n".join(lines[start:end])


def test_every_failure_is_named_at_its_exercise_and_the_check_goes_on(tmp_path: Path) -> None:
    path = write(tmp_path, hard_cases())
    start = time.monotonic()
    run = gdlab_check(path, "--timeout", "3")
    took = time.monotonic() - start
    out = run.stdout
    assert run.returncode == 1, out + run.stderr
    assert "Traceback" not in out + run.stderr, out + run.stderr
    assert section(out, "test_double").startswith("PASS")

    looped = section(out, "test_gradient_descent_tol")
    assert looped.startswith("FAIL") and "timed out after 3 s in test_gradient_descent_tol" in looped
    assert (
        "inside your `gradient_descent_tol` at line 3: `while True:`" in looped and "infinite loop" in looped
    )
    # The later test that calls the looping function is reported without another 3 s wait.
    again = section(out, "test_descend_twice")
    assert again.startswith("FAIL") and "not run: it calls your `gradient_descent_tol`" in again

    syntax = section(out, "test_step_size")
    assert "SyntaxError in your solution cell for step_size, line 3" in syntax, syntax
    assert "NameError" not in syntax and "return eta * g +" in syntax

    raised = section(out, "test_step_decay")
    assert "`step_decay(0.1, 0.5, 10, epochs=np.arange(3))` raised AttributeError" in raised, raised
    assert "(in your step_decay, line 2: `return lr0 * drop ** (epochs // every).floor()`)" in raised

    died = section(out, "test_save_results")
    assert "the kernel died while running test_save_results: it exited with code 3" in died, died
    # After the restart, the independent exercises below (one calling `double`) still pass.
    assert section(out, "test_quadruple").startswith("PASS")
    assert section(out, "test_triple").startswith("PASS")
    assert "Visible tests: 3/8 passed, 3/8 auto-graded points." in out
    assert "TEXT  explain_why" in out
    assert took < 60, f"the check took {took:.0f} s"


def test_crashes_a_deaf_loop_a_raising_cell_and_a_failing_dependency(tmp_path: Path) -> None:
    nb = notebook(
        *double_exercise(body="return 3 * x"),  # wrong: fails its own test
        *quadruple_exercise(),  # right, but calls the wrong double
        solution("crash", "import ctypes\n\ndef crash():\n    return ctypes.string_at(0)"),
        graded_test("test_crash", "crash()"),
        # what the kernel of a process that ran out of memory gets from the OOM killer
        solution(
            "allocate", "import os, signal\n\ndef allocate():\n    os.kill(os.getpid(), signal.SIGKILL)"
        ),
        graded_test("test_allocate", "allocate()"),
        solution("half", "def half(x):\n    return x / 2\n\nprint(undefined_name)"),
        graded_test("test_half", "check_close(half(3.0), 1.5, 'half(3.0)')"),
        # a student's scratch cell that raises, and a loop that ignores the interrupt
        nbformat.v4.new_code_cell("print(undefined_scratch)"),
        solution(
            "stubborn",
            "import signal\n\ndef stubborn():\n    signal.signal(signal.SIGINT, signal.SIG_IGN)\n    while True:\n        pass",
        ),
        graded_test("test_stubborn", "stubborn()"),
        solution("negate", "def negate(x):\n    return -x"),
        graded_test("test_negate", "check_close(negate(2.0), -2.0, 'negate(2.0)')"),
    )
    run = gdlab_check(write(tmp_path, nb), "--timeout", "3")
    out = run.stdout
    assert run.returncode == 1, out + run.stderr
    double = section(out, "test_double")
    assert double.startswith("FAIL") and "double(2) returned a wrong value" in double
    quadruple = section(out, "test_quadruple")
    assert quadruple.startswith("FAIL"), quadruple
    assert "your `quadruple` calls your `double`, which fails its own test (test_double)" in quadruple
    crash = section(out, "test_crash")
    assert "the kernel died while running test_crash: it crashed (SIGSEGV" in crash, crash
    oom = section(out, "test_allocate")
    assert "it was killed (SIGKILL), most often because it ran out of memory" in oom, oom
    # A solution cell that raises after defining its function: the test passes, the note stays.
    half = section(out, "test_half")
    assert half.startswith("PASS") and "your solution cell for half raised NameError, line 4" in half, half
    stubborn = section(out, "test_stubborn")
    assert "timed out after 3 s in test_stubborn" in stubborn, stubborn
    assert "it did not stop when interrupted, so the kernel was restarted" in stubborn
    assert section(out, "test_negate").startswith("PASS")
    assert "Note: the ungraded cell starting `print(undefined_scratch)` raised NameError" in out
    assert "Visible tests: 2/7 passed" in out


def test_check_raises_at_the_end_of_a_passing_cell_displays_nothing() -> None:
    nb = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_code_cell(
                "from gdlab.checks import check_raises\ncheck_raises(ValueError, lambda: int('x'), \"int('x')\")"
            ),
            nbformat.v4.new_code_cell(
                "error = check_raises(ValueError, lambda: int('x'))\nprint('invalid literal' in str(error))"
            ),
        ]
    )
    NotebookClient(nb, timeout=60, kernel_name="python3").execute()
    assert nb.cells[0].outputs == []
    assert [o.get("text") for o in nb.cells[1].outputs] == ["True\n"]


def verdicts(path: Path, skip_demos: bool) -> tuple[list[tuple[str, bool]], list[str]]:
    """Each test's (grade_id, passed), and the tests' messages."""
    tests = [r for r in check_notebook(path, skip_demos=skip_demos)[0] if r.kind == "test"]
    return [(r.grade_id, r.passed) for r in tests], [r.message for r in tests]


@pytest.mark.parametrize("assignment", assignments(ROOT))
def test_skipping_demo_cells_never_changes_a_verdict(
    assignment: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GDLAB_OFFLINE", "1")
    complete = ROOT / "solutions" / assignment / f"{assignment}.ipynb"
    untouched = ROOT / "notebooks" / assignment / f"{assignment}.ipynb"
    for path in (complete, untouched):
        fast, messages = verdicts(path, skip_demos=True)
        full, _ = verdicts(path, skip_demos=False)
        assert fast == full, f"{path.name}: verdicts differ when demo cells are skipped"
        if path == complete:
            assert all(passed for _, passed in fast), fast
        else:
            assert not any(passed for _, passed in fast), fast
            assert all(m.startswith("not done yet") for m in messages), messages


# --- the check from inside JupyterLab: a kernel started by a real Jupyter server ------------


@pytest.fixture
def jupyter_server(tmp_path: Path) -> Iterator[dict]:
    """A Jupyter server (the one JupyterLab runs in) on 127.0.0.1 over ``tmp_path/root``."""
    root = tmp_path / "root"
    root.mkdir()
    port, token = free_port(), secrets.token_hex(16)
    base = f"http://127.0.0.1:{port}"
    with running(
        jupyter_command("server", port, token, root),
        tmp_path / "server.log",
        lambda: answers(f"{base}/api/status?token={token}"),
        env=lab_environment(tmp_path),
        cwd=root,
    ):
        yield {"base": base, "token": token, "root": root, "port": port}


def _api(server: dict, method: str, path: str, body: dict | None = None) -> dict:
    request = urllib.request.Request(
        f"{server['base']}{path}",
        data=json.dumps(body).encode() if body is not None else None,
        method=method,
        headers={"Authorization": f"token {server['token']}", "Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=30) as reply:
        text = reply.read()
    return json.loads(text) if text else {}


async def _execute(server: dict, kernel_id: str, code: str, timeout: float) -> str:
    """Run ``code`` in a server kernel over its websocket, as JupyterLab does; return its stdout."""
    from tornado.httpclient import HTTPRequest
    from tornado.websocket import websocket_connect

    url = f"ws://127.0.0.1:{server['port']}/api/kernels/{kernel_id}/channels"
    socket = await websocket_connect(HTTPRequest(url, headers={"Authorization": f"token {server['token']}"}))
    msg_id = uuid.uuid4().hex
    header = {
        "msg_id": msg_id,
        "msg_type": "execute_request",
        "username": "test",
        "session": uuid.uuid4().hex,
    }
    header["version"] = "5.3"
    content = {
        "code": code,
        "silent": False,
        "store_history": True,
        "user_expressions": {},
        "allow_stdin": False,
    }
    message = {"header": header, "parent_header": {}, "metadata": {}, "content": content, "channel": "shell"}
    printed = []
    try:
        await socket.write_message(json.dumps(message))
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            raw = await asyncio.wait_for(socket.read_message(), timeout=deadline - time.monotonic())
            if raw is None:
                break
            reply = json.loads(raw)
            if reply.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            kind = reply["header"]["msg_type"]
            if kind == "stream":
                printed.append(reply["content"]["text"])
            elif kind == "error":
                printed.append("\n".join(reply["content"]["traceback"]))
            elif kind == "status" and reply["content"]["execution_state"] == "idle":
                break
    finally:
        # Finish the close handshake before the event loop ends: a socket left to the garbage
        # collector warns (ResourceWarning) in whichever later test happens to collect it.
        socket.close()
        with contextlib.suppress(asyncio.TimeoutError):
            while await asyncio.wait_for(socket.read_message(), timeout=10) is not None:
                pass
    return "".join(printed)


def test_gdlab_check_in_a_notebook_prints_the_same_report(jupyter_server: dict) -> None:
    folder = jupyter_server["root"] / "lesson"
    nb = notebook(
        *double_exercise(),
        solution("triple", "def triple(x):\n    return 2 * x"),
        graded_test("test_triple", "check_close(triple(2), 6, 'triple(2)')"),
        # A student's own cell with the in-notebook check: it must not recurse when checked.
        nbformat.v4.new_code_cell("import gdlab\ngdlab.check()"),
        graded_test("test_after", "check_close(1.0, 1.0, 'one')"),
    )
    path = write(folder, nb, "lesson.ipynb")
    session = _api(
        jupyter_server,
        "POST",
        "/api/sessions",
        {
            "path": "lesson/lesson.ipynb",
            "name": "lesson.ipynb",
            "type": "notebook",
            "kernel": {"name": "python3"},
        },
    )
    kernel_id = session["kernel"]["id"]
    try:
        printed = asyncio.run(_execute(jupyter_server, kernel_id, "import gdlab\ngdlab.check()", timeout=240))
        # Code run but not saved: the check says the saved file may be out of date.
        asyncio.run(_execute(jupyter_server, kernel_id, "scratch = 41", timeout=30))
        warned = asyncio.run(_execute(jupyter_server, kernel_id, "gdlab.check()", timeout=240))
    finally:
        _api(jupyter_server, "DELETE", f"/api/sessions/{session['id']}")
    terminal = gdlab_check(path)
    assert terminal.returncode == 1
    first, _, rest = printed.partition("\n")
    assert first.startswith("Checking the saved file lesson.ipynb"), printed
    assert rest == terminal.stdout, printed
    assert "FAIL  test_triple" in rest and "PASS  test_double" in rest and "PASS  test_after" in rest
    assert "unsaved edits?" not in printed
    lines = warned.splitlines()
    assert lines[1].startswith("Note: 1 piece of code you ran in this kernel is not in the saved file"), (
        warned
    )
    assert "\n".join(lines[2:]) + "\n" == terminal.stdout
