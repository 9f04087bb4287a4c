"""The sandbox every submission's kernel runs in (bubblewrap).

Only the kernel is sandboxed: nbgrader, the gradebook and the feedback stay on
the trusted side, which talks to the kernel over Unix sockets in a private
folder. Inside the sandbox the kernel sees a read-only system and Python, the
``gdlab`` helper package, a private working folder and a private ``/tmp``; no
network, no gradebook, no ``solutions/``, no other submission. It runs under an
unprivileged user id (a user id of its own when gdlab runs as root, else the
instructor's, seen as ``nobody``) with limits on CPU time, memory, file size,
processes and open files; when it ends, its PID namespace ends with it, so every
process it started is gone.

What a kernel can write is capped everywhere it can write: its working folder and
``/tmp`` are size-capped tmpfs mounts of its own (the course files it reads are
bound into the working folder read-only), and the private folder of its sockets is
closed to new files once the kernel has created them (when gdlab runs as root; as
another user the kernel is that user, so only the file-size limit applies there).
bubblewrap starts from an empty environment (no secret of the instructor's can be
read at ``/proc/1/environ``) and the kernel inherits no descriptor of the grader's:
its stdin is ``/dev/null`` and its stdout and stderr a log file of its own.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path

from jupyter_client.manager import AsyncKernelManager
from traitlets import Dict, Int, Unicode

import gdlab
import gdlab_autograde

#: the first user id handed to sandboxes when gdlab runs as root (one id per parallel slot)
UID_BASE = 61000


@dataclass
class Limits:
    """Resource limits of one sandboxed kernel."""

    cpu_seconds: int = 600
    memory_bytes: int = 4 * 1024**3
    file_bytes: int = 64 * 1024**2
    processes: int = 256
    open_files: int = 512
    tmp_bytes: int = 256 * 1024**2
    work_bytes: int = 256 * 1024**2


#: matplotlib's configuration and cache folder in the sandbox (writable, in its /tmp)
MPLCONFIGDIR = "/tmp/matplotlib"
#: the only environment bubblewrap itself starts with (it clears even this for the kernel)
LAUNCH_ENV = {"PATH": "/usr/local/bin:/usr/bin:/bin", "LANG": "C.UTF-8"}


def bwrap_path() -> str | None:
    """The bubblewrap executable, if installed."""
    return shutil.which("bwrap")


def _python_paths() -> list[Path]:
    """What the kernel needs of this Python: the installation and the environment."""
    paths = {Path(sys.base_prefix).resolve(), Path(sys.prefix).resolve()}
    return sorted(paths)


def _package_paths() -> list[Path]:
    """The gdlab helper package, the probes and the output cap the kernel imports (editable installs
    live outside site-packages)."""
    package = Path(gdlab_autograde.__file__).resolve()
    return [
        Path(gdlab.__file__).resolve().parent,
        package,
        package.parent / "probes",
        package.parent / "output_cap.py",
    ]


def build_font_list(folder: Path) -> Path | None:
    """Matplotlib's font list, built once on the trusted side for every sandbox of a run.

    A sandbox starts with an empty ``/tmp``, so matplotlib in every kernel scanned the system's
    fonts again (about 0.1 s a submission) to build the list it caches in ``MPLCONFIGDIR``. The
    list built here, with the sandbox's view of the fonts (the system's; no home folder of fonts),
    is bound read-only into each sandbox (see :func:`command`). Returns the file, or ``None``
    when it cannot be built (each kernel then builds its own, as before).
    """
    folder.mkdir(parents=True, exist_ok=True)
    env = {**LAUNCH_ENV, "MPLCONFIGDIR": str(folder), "HOME": str(folder)}
    try:
        subprocess.run(
            [sys.executable, "-c", "import matplotlib.font_manager"],
            env=env,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            timeout=120,
            check=True,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    made = sorted(folder.glob("fontlist-*.json"))
    if len(made) != 1:
        return None
    made[0].chmod(0o644)
    return made[0]


def command(
    inner: list[str],
    private_dir: Path,
    workdir: Path,
    limits: Limits,
    uid: int | None,
    sockets_at: Path | None = None,
    font_list: Path | None = None,
) -> list[str]:
    """The command line that runs ``inner`` in a sandbox.

    ``private_dir`` (sockets, connection file) is the only host folder it can
    write. ``workdir`` (the kernel's working folder) becomes a tmpfs of
    ``limits.work_bytes`` holding its files read-only. ``uid`` is the user id to
    run as when gdlab runs as root (``None`` otherwise). ``sockets_at`` is a second,
    short path of ``private_dir`` in the sandbox (in its ``/tmp``), for socket paths.
    ``font_list`` (from :func:`build_font_list`) is bound read-only into matplotlib's
    cache folder, ``/tmp/matplotlib``.
    """
    bwrap = bwrap_path()
    if bwrap is None:
        raise RuntimeError("bubblewrap (bwrap) is not installed")
    args = [bwrap, "--unshare-ipc", "--unshare-pid", "--unshare-net", "--unshare-uts", "--unshare-cgroup-try"]
    args += ["--die-with-parent", "--clearenv"]
    if os.geteuid() != 0:
        # Not root: a user namespace of its own, where the instructor's id appears as nobody.
        # (As root there is none: setpriv below switches to a real unprivileged id instead.)
        args += ["--unshare-user", "--uid", "65534", "--gid", "65534"]
    for top in ("/usr", "/etc"):
        args += ["--ro-bind", top, top]
    for link in ("/bin", "/lib", "/lib64", "/sbin", "/lib32", "/libx32"):
        if os.path.islink(link):
            args += ["--symlink", os.readlink(link), link]
        elif os.path.isdir(link):
            args += ["--ro-bind", link, link]
    args += ["--proc", "/proc", "--dev", "/dev"]
    args += ["--size", str(limits.tmp_bytes), "--perms", "1777", "--tmpfs", "/tmp"]
    if font_list is not None:
        args += ["--perms", "1777", "--dir", MPLCONFIGDIR]
        args += ["--ro-bind", str(font_list), f"{MPLCONFIGDIR}/{font_list.name}"]
    # The folders above what is bound must be traversable by the sandbox's unprivileged user
    # (bwrap would create them with mode 0700, e.g. /root for a pyenv Python).
    binds = _python_paths() + _package_paths() + [private_dir, workdir]
    ancestors = sorted(
        {a for p in binds for a in p.parents if a != Path("/")} - set(binds), key=lambda a: len(a.parts)
    )
    for folder in ancestors:
        if not any(
            folder == Path(top) or Path(top) in folder.parents for top in ("/usr", "/etc")
        ) and folder != Path("/tmp"):
            args += ["--perms", "0755", "--dir", str(folder)]
    for path in _python_paths() + _package_paths():
        args += ["--ro-bind", str(path), str(path)]
    args += ["--bind", str(private_dir), str(private_dir)]
    if sockets_at is not None:
        args += [
            "--perms",
            "0755",
            "--dir",
            str(sockets_at.parent),
            "--bind",
            str(private_dir),
            str(sockets_at),
        ]
    args += ["--size", str(limits.work_bytes), "--perms", "1777", "--tmpfs", str(workdir)]
    for item in sorted(workdir.iterdir()) if workdir.is_dir() else ():
        if item.is_file() and not item.is_symlink():
            args += ["--ro-bind", str(item), str(workdir / item.name)]
    args += ["--chdir", str(workdir)]
    env = {
        "PATH": f"{Path(sys.prefix) / 'bin'}:/usr/local/bin:/usr/bin:/bin",
        "HOME": "/tmp",
        "TMPDIR": "/tmp",
        "LANG": "C.UTF-8",
        "MPLCONFIGDIR": MPLCONFIGDIR,
        "PYTHONDONTWRITEBYTECODE": "1",
        "PYDEVD_DISABLE_FILE_VALIDATION": "1",
        # One thread each: grading runs about one sandbox per core.
        "OPENBLAS_NUM_THREADS": "1",
        "OMP_NUM_THREADS": "1",
        "MKL_NUM_THREADS": "1",
        "NBGRADER_EXECUTION": "autograde",
        "GDLAB_OFFLINE": "1",
    }
    for name, value in env.items():
        args += ["--setenv", name, value]
    prlimit = [
        "prlimit",
        f"--cpu={limits.cpu_seconds}",
        f"--as={limits.memory_bytes}",
        f"--fsize={limits.file_bytes}",
        f"--nproc={limits.processes}",
        f"--nofile={limits.open_files}",
        "--core=0",
        "--",
    ]
    drop = []
    if uid is not None:
        drop = [
            "setpriv",
            f"--reuid={uid}",
            f"--regid={uid}",
            "--clear-groups",
            "--inh-caps=-all",
            "--no-new-privs",
            "--",
        ]
    return [*args, "--", *drop, *prlimit, *inner]


SIGKILL_BIT = 1 << (signal.SIGKILL - 1)


def dying_processes_of(uid: int) -> list[int]:
    """The ids of the processes whose real user id is ``uid`` and that are being killed (a SIGKILL
    pending) or are zombies: they still count against the user's process limit."""
    pids = []
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/status") as status:
                fields = dict(line.split(":", 1) for line in status if ":" in line)
            real = int(fields["Uid"].split()[0])
            pending = int(fields["SigPnd"], 16) | int(fields["ShdPnd"], 16)
            state = fields["State"].split()[0]
        except (OSError, KeyError, ValueError, IndexError):
            continue  # ended meanwhile
        if real == uid and (state in ("Z", "X") or pending & SIGKILL_BIT):
            pids.append(int(entry.name))
    return pids


async def wait_for_dying_processes(uid: int, wait: float = 30.0) -> list[int]:
    """Wait until no process of the sandbox user ``uid`` is still dying; the ids left after ``wait``
    seconds. A sandbox's processes are killed with it, but do not end at once: a fork bomb's
    children, still being torn down, would fill the process limit of the next kernel started as
    the same user, which then dies before it can run a cell. Nothing is killed here: another
    grading run on this machine may have a live kernel as the same user."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + wait
    while (left := dying_processes_of(uid)) and loop.time() < deadline:
        await asyncio.sleep(0.05)
    return left


def remove_socket_links(base: Path) -> None:
    """Remove the short socket paths (see :class:`SandboxedKernelManager`) left by killed workers under ``base``."""
    for folder in Path("/tmp").glob("gdlab-k-*"):
        link = folder / "p"
        try:
            if link.is_symlink() and Path(os.readlink(link)).is_relative_to(base):
                shutil.rmtree(folder, ignore_errors=True)
        except OSError:
            continue


def one_off_folders(parent: Path) -> tuple[Path, Path, int | None]:
    """A private and a working folder in ``parent`` for one sandboxed command (not a kernel), usable
    by the sandbox's user; (private folder, working folder, that user's id when running as root)."""
    private, work = parent / "private", parent / "work"
    private.mkdir(parents=True)
    work.mkdir()
    uid = UID_BASE if os.geteuid() == 0 else None
    if uid is not None:
        for folder in (private, work):
            os.chown(folder, uid, uid)
        os.chmod(parent, 0o755)
    return private, work, uid


def unavailable_reason() -> str | None:
    """Why no sandbox can be set up here, or ``None`` when one can (a real trial run)."""
    if bwrap_path() is None:
        return "bubblewrap is not installed (Debian/Ubuntu: apt-get install bubblewrap)"
    for tool in ("prlimit", "setpriv"):
        if shutil.which(tool) is None:
            return f"{tool} (util-linux) is not installed"
    with tempfile.TemporaryDirectory(prefix="gdlab-sandbox-check-") as tmp:
        private, work, uid = one_off_folders(Path(tmp))
        probe = [sys.executable, "-c", "import numpy, gdlab.checks; print('ok')"]
        try:
            run = subprocess.run(
                command(probe, private, work, Limits(), uid),
                capture_output=True,
                text=True,
                timeout=60,
                env=LAUNCH_ENV,
                stdin=subprocess.DEVNULL,
            )
        except (OSError, subprocess.TimeoutExpired) as error:
            return f"bubblewrap failed to start: {error}"
        if run.returncode != 0 or run.stdout.strip() != "ok":
            return f"bubblewrap cannot start Python in a sandbox here: {(run.stderr or run.stdout).strip()[:300]}"
    return None


class SandboxedKernelManager(AsyncKernelManager):
    """A kernel manager that starts the kernel inside :func:`command`'s sandbox, over Unix sockets."""

    private_dir = Unicode("", help="folder for the kernel's sockets and connection file").tag(config=True)
    sandbox_uid = Int(-1, help="user id for the kernel when running as root (-1: none)").tag(config=True)
    limits = Dict({}, help="Limits fields to override").tag(config=True)
    font_list = Unicode("", help="matplotlib's font list for the sandbox ('': none)").tag(config=True)

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)
        private = Path(self.private_dir)
        # A Unix socket's path has at most 107 bytes, and the workspace's can be longer (a long
        # TMPDIR, a 100-character student id): both sides reach the sockets by a short path, a
        # link in a private folder of /tmp here, the private folder bound there in the sandbox.
        self.short_dir = Path(tempfile.mkdtemp(prefix="gdlab-k-", dir="/tmp"))
        (self.short_dir / "p").symlink_to(private)
        self.transport = "ipc"
        self.ip = str(self.short_dir / "p" / "kernel")
        self.connection_file = str(private / "connection.json")

    async def _async_cleanup_resources(self, restart: bool = False) -> None:
        await super()._async_cleanup_resources(restart=restart)
        if not restart:
            shutil.rmtree(self.short_dir, ignore_errors=True)

    async def _async_pre_start_kernel(self, **kw: object) -> tuple[list[str], dict]:
        # A signal to the sandbox's process would not reach the kernel in its PID namespace:
        # interrupt through the kernel protocol instead (ipykernel signals itself).
        self.kernel_spec.interrupt_mode = "message"
        kernel_cmd, kw = await super()._async_pre_start_kernel(**kw)
        private = Path(self.private_dir)
        workdir = private.parent / "work"
        workdir.mkdir(exist_ok=True)
        source_dir = Path(kw.get("cwd") or ".")
        for item in source_dir.iterdir() if source_dir.is_dir() else ():
            if item.is_file() and item.suffix != ".ipynb":
                shutil.copy(item, workdir / item.name)
        uid = self.sandbox_uid if self.sandbox_uid >= 0 and os.geteuid() == 0 else None
        if uid is not None:
            left = await wait_for_dying_processes(uid)  # the slot's previous kernel may still be dying
            if left:
                self.log.warning("sandbox user %d still has dying processes %s", uid, left[:10])
            # The kernel's group may create its sockets in the private folder, until they exist
            # (then it is closed, see _async_post_start_kernel); it can read, never write, the rest.
            os.chown(private, 0, uid)
            os.chmod(private, 0o770)
            for path in private.iterdir():
                os.chown(path, 0, uid)
                os.chmod(path, 0o640)
            for path in workdir.iterdir():
                os.chown(path, 0, uid)
                os.chmod(path, 0o640)
        limits = Limits(**{**asdict(Limits()), **self.limits})
        # Nothing of the grader's crosses into the sandbox but the sockets: not its environment
        # (bubblewrap's own PID 1 keeps what it is started with), not its stdin, stdout or stderr.
        kw["env"] = dict(LAUNCH_ENV)
        self._kernel_log = (private.parent / "kernel.log").open("ab")
        kw["stdin"] = subprocess.DEVNULL
        kw["stdout"] = kw["stderr"] = self._kernel_log
        fonts = Path(self.font_list) if self.font_list else None
        sockets_at = self.short_dir / "p"
        return command(kernel_cmd, private, workdir, limits, uid, sockets_at, fonts), kw

    async def _async_post_start_kernel(self, **kw: object) -> None:
        self._kernel_log.close()  # the kernel has its own copy; the worker keeps none open
        if os.geteuid() == 0 and self.sandbox_uid >= 0:
            await self._close_private_dir()
        await super()._async_post_start_kernel(**kw)

    async def _close_private_dir(self, wait: float = 60.0) -> None:
        """Once the kernel has created its sockets (before any cell can run), let it create nothing more."""
        private = Path(self.private_dir)
        ports = [self.shell_port, self.iopub_port, self.stdin_port, self.control_port, self.hb_port]
        sockets = [Path(f"{self.ip}-{port}") for port in ports]
        loop = asyncio.get_running_loop()
        deadline = loop.time() + wait
        while not all(s.exists() for s in sockets) and loop.time() < deadline and self.has_kernel:
            await asyncio.sleep(0.02)
        os.chmod(private, 0o750)
