"""Starting and stopping the real Jupyter servers and browsers that tests drive, in one place."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

# Headless and quiet: no GPU, no sync, no update or network chatter beyond the page under test.
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def find_chromium() -> str | None:
    """The Chromium executable: $GDLAB_CHROMIUM, /usr/bin/chromium, or one on PATH."""
    candidates = [os.environ.get("GDLAB_CHROMIUM", ""), "/usr/bin/chromium"]
    candidates += [shutil.which(name) or "" for name in ("chromium", "chromium-browser", "google-chrome")]
    return next((c for c in candidates if c and os.access(c, os.X_OK)), None)


def require_chromium() -> str:
    """Chromium's path, or skip the test naming what to install (Chromium or Playwright)."""
    executable = find_chromium()
    if executable is None:
        pytest.skip(
            "no Chromium found (looked at $GDLAB_CHROMIUM, /usr/bin/chromium and PATH): "
            "install it with `apt-get install -y chromium` to run the browser tests"
        )
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        pytest.skip("Playwright for Python is not installed (pip install -e '.[test]')")
    return executable


def answers(url: str) -> bool:
    """Whether ``url`` answers 200 now."""
    try:
        with urllib.request.urlopen(url, timeout=3) as reply:
            return reply.status == 200
    except OSError:
        return False


def lab_environment(folder: Path) -> dict[str, str]:
    """The environment for a Jupyter server whose settings, workspaces and runtime live in ``folder``."""
    return dict(
        os.environ,
        JUPYTERLAB_SETTINGS_DIR=str(folder / "settings"),
        JUPYTERLAB_WORKSPACES_DIR=str(folder / "workspaces"),
        JUPYTER_RUNTIME_DIR=str(folder / "runtime"),
        GDLAB_OFFLINE="1",
    )


def jupyter_command(app: str, port: int, token: str, root: Path, *extra: str) -> list[str]:
    """``jupyter <app>`` (server or lab) on 127.0.0.1:``port`` over ``root``, no browser, root allowed."""
    return [
        sys.executable,
        "-m",
        "jupyter",
        app,
        "--no-browser",
        "--allow-root",
        "--ip=127.0.0.1",
        f"--port={port}",
        f"--ServerApp.token={token}",
        f"--ServerApp.root_dir={root}",
        *extra,
    ]


@contextlib.contextmanager
def running(
    command: list[str],
    log_path: Path,
    ready: Callable[[], bool],
    *,
    env: dict[str, str],
    cwd: Path | None = None,
    timeout: float = 60,
) -> Iterator[subprocess.Popen]:
    """Start ``command`` in its own process group, logging to ``log_path``; yield once ``ready()``.

    The whole group is stopped afterwards (SIGTERM, then SIGKILL), so no kernel outlives the test;
    a server that exits or is not ready within ``timeout`` fails the test with its log's tail.
    """
    with log_path.open("w") as log:
        process = subprocess.Popen(
            command, cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
    try:
        deadline = time.monotonic() + timeout
        while not ready():
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"{' '.join(command[2:4])} did not start:\n{log_path.read_text()[-3000:]}")
            time.sleep(0.3)
        yield process
    finally:
        stop_group(process)


def stop_group(process: subprocess.Popen) -> None:
    """Stop ``process`` and every process in its group: SIGTERM, then SIGKILL after 15 s."""
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=5)
    except ProcessLookupError:
        process.wait(timeout=5)
    # the group's kernels may outlive a leader that exited on SIGTERM
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
