"""Running ``gdlab grade`` as an unprivileged instructor from a test that runs as root.

The test creates a system user, and runs the command as that user (setpriv) with a
scrubbed environment; a venv under a folder the user cannot enter (``/root``) is
made reachable in a private mount namespace of that command only.
"""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

TEST_USER = "gdlab-intake-test"


def _blocked_ancestors() -> list[tuple[Path, Path]]:
    """(folder the user cannot enter, its child on the way to this Python) pairs."""
    pairs = set()
    for target in {Path(sys.base_prefix).resolve(), Path(sys.prefix).resolve(), Path(__file__).resolve()}:
        for folder in reversed(target.parents):
            mode = folder.stat()
            if not (mode.st_mode & 0o001) and folder != Path("/"):
                child = target.relative_to(folder).parts[0]
                pairs.add((folder, folder / child))
                break
    return sorted(pairs)


def as_user_command(
    command: list[str], env: dict[str, str], user: pwd.struct_passwd, stash: Path
) -> list[str]:
    """``command`` run as ``user`` with ``env``; folders above this Python that the user cannot enter
    (a venv under /root) are replaced, in a private mount namespace of this command only, by a
    tmpfs that can be traversed and holds nothing but the way to Python."""
    mounts = []
    for i, (blocked, child) in enumerate(_blocked_ancestors()):
        keep = stash / f"keep{i}"
        keep.mkdir()
        mounts.append(
            f"mount --bind '{child}' '{keep}' && mount -t tmpfs -o mode=0711,size=1m tmpfs '{blocked}' && "
            f"mkdir -p '{child}' && mount --bind '{keep}' '{child}'"
        )
    drop = ["setpriv", f"--reuid={user.pw_uid}", f"--regid={user.pw_gid}", "--clear-groups", "--"]
    inner = " ".join(f"'{a}'" for a in [*drop, "env", "-i", *(f"{k}={v}" for k, v in env.items()), *command])
    script = " && ".join([*mounts, f"exec {inner}"])
    return ["unshare", "--mount", "--propagation", "private", "sh", "-c", script]


def system_user() -> Iterator[pwd.struct_passwd]:
    """A system user made for a test (removed after), when the test runs as root; for a fixture to
    ``yield from``."""
    if os.geteuid() != 0:
        pytest.skip("needs root to create the unprivileged instructor (CI runs as root)")
    for tool in ("useradd", "userdel", "unshare", "setpriv"):
        if shutil.which(tool) is None:
            pytest.skip(f"{tool} is not installed")
    created = False
    try:
        user = pwd.getpwnam(TEST_USER)
    except KeyError:
        subprocess.run(
            ["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", TEST_USER], check=True
        )
        created = True
        user = pwd.getpwnam(TEST_USER)
    yield user
    if created:
        subprocess.run(["userdel", TEST_USER], check=False)
