"""A class server for tests: ``hub/deploy.py`` into a world-readable temporary prefix, real
system accounts, JupyterHub on 127.0.0.1, and clients for the hub's REST API, the users' own
servers and the kernels in them. Everything it starts or creates is removed by ``stop``.
"""

from __future__ import annotations

import contextlib
import grp
import json
import os
import pwd
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from tests.notebook_harness import ROOT

DEPLOY = ROOT / "hub" / "deploy.py"
WHEELS = Path(os.environ.get("GDLAB_HUB_WHEELS", ROOT / ".venv" / "hub-wheels"))
COURSE_ID = "gdlab"
# deploy.py runs with the system's Python, as on a fresh server: the class's environment is made
# from it, and every account must be able to run it (a Python under /root is not).
SYSTEM_PYTHON = "/usr/bin/python3"


def unavailable_reason() -> str | None:
    """Why a class server cannot be set up here, or None when it can."""
    if sys.platform != "linux" or os.geteuid() != 0:
        return "the hub test creates system accounts: it runs only as root on Linux (CI runs it)"
    for tool in ("useradd", "userdel", "chpasswd", "runuser"):
        if shutil.which(tool) is None:
            return f"{tool} is missing"
    if not os.access(SYSTEM_PYTHON, os.X_OK):
        return f"no {SYSTEM_PYTHON} to build the class's environment from"
    if shutil.which("configurable-http-proxy") is None:
        return "configurable-http-proxy is missing (`npm install -g configurable-http-proxy`)"
    if not any(WHEELS.glob("jupyterhub-*.whl")):
        return f"no JupyterHub wheel in {WHEELS} (`make hub-wheels` fills it; tests never download)"
    return None


def free_port() -> int:
    """A free TCP port on 127.0.0.1."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class HTTPFailure(Exception):
    """An HTTP status the caller did not expect, with the body."""

    def __init__(self, status: int, body: str) -> None:
        super().__init__(f"HTTP {status}: {body[:500]}")
        self.status = status


def http(
    method: str, url: str, token: str | None = None, body: object = None, raw: bytes | None = None
) -> tuple:
    """(status, parsed JSON or text) of one request; never raises for an HTTP status."""
    data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"token {token}"
    request = urllib.request.Request(url, method=method, data=data, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=120) as reply:
            status, text = reply.status, reply.read().decode()
    except urllib.error.HTTPError as error:
        status, text = error.code, error.read().decode(errors="replace")
    except (urllib.error.URLError, ConnectionError) as error:
        return 0, str(error)  # nothing listening (yet)
    try:
        return status, json.loads(text) if text else None
    except json.JSONDecodeError:
        return status, text


@dataclass
class Account:
    """A system account of the test class and its hub token."""

    name: str
    role: str
    password: str
    token: str = ""

    @property
    def home(self) -> Path:
        return Path(pwd.getpwnam(self.name).pw_dir)


@dataclass
class ClassServer:
    """A running deployment: the prefix, the hub's address, the accounts."""

    prefix: Path
    port: int
    accounts: dict[str, Account] = field(default_factory=dict)
    process: subprocess.Popen | None = None
    created_group: bool = False
    proxy_api_port: int = 0

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def python(self) -> str:
        return str(self.prefix / "venv" / "bin" / "python")

    def api(self, method: str, path: str, account: Account | None = None, body: object = None) -> tuple:
        """A call to the hub's REST API as ``account`` (its token)."""
        return http(method, f"{self.base}/hub/api{path}", account.token if account else None, body)

    def server(
        self, method: str, account: Account, path: str, body: object = None, as_: Account | None = None
    ):
        """A call to ``account``'s own JupyterLab server, made with the token of ``as_`` (default: its own)."""
        caller = as_ or account
        return http(method, f"{self.base}/user/{account.name}/{path}", caller.token, body)

    def log_in(self, account: Account) -> None:
        """Get a token for the account through the hub's PAM login (username and password)."""
        status, reply = self.api(
            "POST",
            f"/users/{account.name}/tokens",
            body={"auth": {"username": account.name, "password": account.password}},
        )
        if status != 201:
            raise HTTPFailure(status, str(reply))
        account.token = reply["token"]

    def spawn(self, account: Account, timeout: float = 240) -> float:
        """Start the account's server and wait until it answers; return the seconds it took."""
        started = time.monotonic()
        status, reply = self.api("POST", f"/users/{account.name}/server", account)
        if status not in (201, 202, 400):  # 400: already running
            raise HTTPFailure(status, str(reply))
        while time.monotonic() - started < timeout:
            status, user = self.api("GET", f"/users/{account.name}", account)
            server = (user or {}).get("servers", {}).get("") if status == 200 else None
            if server and server.get("ready"):
                if self.server("GET", account, "api/status")[0] == 200:
                    return time.monotonic() - started
            time.sleep(0.5)
        raise TimeoutError(f"{account.name}'s server did not start in {timeout:.0f} s")

    def assignments(self, account: Account) -> list[dict]:
        """nbgrader's assignment list as the account's Assignments tab sees it."""
        status, reply = self.server("GET", account, f"assignments?course_id={COURSE_ID}")
        if status != 200 or not reply.get("success"):
            raise HTTPFailure(status, str(reply))
        return reply["value"]

    def assignment_action(self, account: Account, action: str, assignment: str) -> list[dict]:
        """fetch, submit or fetch_feedback through the account's server (the Assignments tab's calls)."""
        status, reply = self.server(
            "POST", account, f"assignments/{action}", {"course_id": COURSE_ID, "assignment_id": assignment}
        )
        if status != 200 or (isinstance(reply, dict) and not reply.get("success", True)):
            raise HTTPFailure(status, str(reply))
        return reply["value"] if isinstance(reply, dict) else reply

    def run_python(self, account: Account, code: str, timeout: float = 600) -> str:
        """Run ``code`` in a new kernel of the account's own server; return its stdout (errors raise)."""
        import websocket

        status, kernel = self.server("POST", account, "api/kernels", {"name": "python3"})
        if status != 201:
            raise HTTPFailure(status, str(kernel))
        url = f"ws://127.0.0.1:{self.port}/user/{account.name}/api/kernels/{kernel['id']}/channels"
        ws = websocket.create_connection(
            url, header=[f"Authorization: token {account.token}"], timeout=timeout
        )
        msg_id = uuid.uuid4().hex
        session = uuid.uuid4().hex
        ws.send(
            json.dumps(
                {
                    "header": {
                        "msg_id": msg_id,
                        "msg_type": "execute_request",
                        "username": account.name,
                        "session": session,
                        "version": "5.3",
                        "date": "",
                    },
                    "parent_header": {},
                    "metadata": {},
                    "channel": "shell",
                    "content": {"code": code, "silent": False, "store_history": False, "allow_stdin": False},
                }
            )
        )
        out, errors, stderr = [], [], []
        try:
            while True:
                message = json.loads(ws.recv())
                if message.get("parent_header", {}).get("msg_id") != msg_id:
                    continue
                kind, content = message["msg_type"], message["content"]
                if kind == "stream":
                    (out if content["name"] == "stdout" else stderr).append(content["text"])
                elif kind == "error":
                    errors.append("\n".join(content["traceback"]))
                elif kind == "status" and content["execution_state"] == "idle":
                    break
        finally:
            ws.close()
            self.server("DELETE", account, f"api/kernels/{kernel['id']}")
        if errors:
            raise AssertionError(
                f"code in {account.name}'s kernel failed:\n{''.join(stderr + errors)[-3000:]}"
            )
        return "".join(out)

    def stop(self) -> None:
        """Stop the hub (and with it every server), remove the accounts, the group and the prefix."""
        if self.process is not None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
        for account in self.accounts.values():
            kill_processes_of(account.name)
            subprocess.run(["userdel", "--remove", account.name], capture_output=True)
        if self.created_group:
            subprocess.run(["groupdel", "gdlab-instructors"], capture_output=True)
        shutil.rmtree(self.prefix.parent, ignore_errors=True)


def processes_of_class(hub: ClassServer) -> list[str]:
    """Command lines of running processes that belong to this deployment: run from its prefix, or
    its proxy (recognised by its API port)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError):
                argv = (entry / "cmdline").read_bytes().split(b"\0")
                text = " ".join(a.decode(errors="replace") for a in argv)
                if str(hub.prefix) in text or f"--api-port {hub.proxy_api_port}" in text:
                    found.append(f"{entry.name}: {text[:200]}")
    return found


def processes_of(user: str) -> list[int]:
    """Process ids whose real uid is the user's."""
    try:
        uid = pwd.getpwnam(user).pw_uid
    except KeyError:
        return []
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError):
                if entry.stat().st_uid == uid:
                    pids.append(int(entry.name))
    return pids


def kill_processes_of(user: str) -> None:
    """End every process of a test account, by pid (servers the hub failed to stop)."""
    for sig in (signal.SIGTERM, signal.SIGKILL):
        pids = processes_of(user)
        for pid in pids:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, sig)
        deadline = time.monotonic() + 10
        while processes_of(user) and time.monotonic() < deadline:
            time.sleep(0.2)


def deploy(command: list[str], prefix: Path, stdin: str | None = None) -> str:
    """Run ``hub/deploy.py`` (the documented command) and return its output."""
    done = subprocess.run(
        [SYSTEM_PYTHON, str(DEPLOY), "--prefix", str(prefix), *command],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=900,
    )
    if done.returncode != 0:
        raise AssertionError(f"deploy.py {command[0]} failed:\n{done.stdout}{done.stderr}")
    return done.stdout


def scratch_root() -> str:
    """Where the temporary prefix goes: /dev/shm when it is an executable tmpfs with room (installing
    and removing a few hundred MB of small files on a disk mounted with discard takes minutes), else /tmp."""
    shm = Path("/dev/shm")
    try:
        mounts = [line.split() for line in Path("/proc/mounts").read_text().splitlines()]
        options = next(m[3] for m in mounts if len(m) > 3 and m[1] == str(shm))
        free = os.statvfs(shm).f_bavail * os.statvfs(shm).f_frsize
    except (OSError, StopIteration):
        return "/tmp"
    return str(shm) if "noexec" not in options.split(",") and free > 2 * 1024**3 else "/tmp"


def start_class(roles: dict[str, str], log: Path) -> ClassServer:
    """Install the deployment, create the accounts (``{suffix: role}``) and start the hub."""
    top = Path(tempfile.mkdtemp(prefix="gdlab-hub-", dir=scratch_root()))
    top.chmod(0o755)  # the students' servers run from it under their own uids
    try:
        grp.getgrnam("gdlab-instructors")
        had_group = True
    except KeyError:
        had_group = False
    hub = ClassServer(
        prefix=top / "opt", port=free_port(), created_group=not had_group, proxy_api_port=free_port()
    )
    tag = secrets.token_hex(2)
    try:
        deploy(
            [
                "install",
                f"--port={hub.port}",
                f"--hub-port={free_port()}",
                f"--proxy-api-port={hub.proxy_api_port}",
                "--pip-arg=--no-index",
                f"--pip-arg=--find-links={WHEELS}",
            ],
            hub.prefix,
        )
        for suffix, role in roles.items():
            account = Account(name=f"gdt{tag}{suffix}", role=role, password=secrets.token_urlsafe(10))
            hub.accounts[suffix] = account
            deploy(
                ["add-user", account.name, f"--role={role}", "--password-stdin"], hub.prefix, account.password
            )
        handle = open(log, "w")  # noqa: SIM115 - the hub writes to it until stop()
        hub.process = subprocess.Popen(
            [SYSTEM_PYTHON, str(DEPLOY), "--prefix", str(hub.prefix), "start"],
            stdout=handle,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + 60
        while http("GET", f"{hub.base}/hub/api/")[0] != 200:
            if hub.process.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(f"the hub did not start:\n{log.read_text()[-3000:]}")
            time.sleep(0.3)
    except BaseException:
        hub.stop()
        raise
    return hub
