"""``gdlab formgrade OUT``: nbgrader's own formgrader, in JupyterLab, on a graded class.

``OUT`` is the course directory ``gdlab grade`` made (:mod:`gdlab_autograde.coursedir`).
JupyterLab runs in ``OUT`` (nbgrader's formgrader reads the ``nbgrader_config.py``
of the server's working directory), listens on 127.0.0.1 only and is opened
with a fresh token, printed in the URL.
"""

from __future__ import annotations

import os
import secrets
import signal
import subprocess
import sys
from pathlib import Path

from gdlab_autograde.course import CourseError, prepare_environment


def check_graded_class(out: Path) -> None:
    """Refuse a folder that is not a class graded by ``gdlab grade``."""
    missing = [name for name in ("gradebook.db", "nbgrader_config.py") if not (out / name).is_file()]
    if not out.is_dir() or missing:
        raise CourseError(
            f"{out} is not a graded class (no {', '.join(missing) or 'folder'}): "
            "run `gdlab grade ASSIGNMENT SUBMISSIONS --out DIR` first"
        )


def formgrader_command(out: Path, port: int, token: str) -> list[str]:
    """The ``jupyter lab`` command that serves ``out`` with its formgrader."""
    command = [
        str(Path(sys.executable).parent / "jupyter"),
        "lab",
        "--no-browser",
        "--ip=127.0.0.1",
        f"--port={port}",
        "--port-retries=0",
        f"--ServerApp.root_dir={out}",
        f"--IdentityProvider.token={token}",
    ]
    if os.geteuid() == 0:
        command.append("--allow-root")
    return command


def formgrade(out: Path, port: int = 8889) -> int:
    """Serve the formgrader on ``out`` until Ctrl-C; return JupyterLab's exit code."""
    out = out.resolve()
    check_graded_class(out)
    prepare_environment()
    token = secrets.token_hex(24)
    base = f"http://127.0.0.1:{port}"
    print(
        f"formgrader on {out}:\n  {base}/formgrader?token={token}\n  (in JupyterLab: {base}/lab?token={token}, menu Nbgrader > Formgrader)"
    )
    print(
        "After grading: `gdlab feedback OUT` writes the students' feedback, `gdlab export OUT` the final grades."
    )
    sys.stdout.flush()
    # Ctrl-C or a SIGTERM stops JupyterLab with this command, never leaving it running alone.
    signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt()))
    with subprocess.Popen(formgrader_command(out, port, token), cwd=out) as server:
        try:
            return server.wait()
        except KeyboardInterrupt:
            server.terminate()
            return server.wait()
