"""A class logging in at once: N students on the class server (hub/), each log in → spawn → fetch → submit.

    sudo .venv/bin/python benchmarks/hub_class.py [--students 20] [--assignment 01_loss_functions]

Installs the deployment into a temporary prefix (from the wheels of ``make hub-wheels``, as the
hub test does), creates one instructor and N students as system accounts, starts JupyterHub on
127.0.0.1 and releases the assignment. Then every student at once, each in their own thread:
logs in through PAM (the hub's token API), starts their server, fetches the assignment, saves a
notebook of their own and submits it. It prints the spawn time p50/p95, the fetch and submit
round trips p50/p95, the hub's and the proxy's memory (RSS, at start and at the peak of the run),
each student's server's memory (RSS of every process under their uid, at its peak), the load
average, then has the instructor collect and checks every collected notebook against the SHA-256
of what its student submitted. Everything is removed afterwards, and checked: no process of the
class left running, no account left behind. Exits non-zero when a submission is missing or
altered, a student's run failed, or anything was left behind.
"""

from __future__ import annotations

import argparse
import contextlib
import grp
import hashlib
import json
import os
import pwd
import signal
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.hub_harness import (  # noqa: E402
    ClassServer,
    processes_of,
    processes_of_class,
    start_class,
    unavailable_reason,
)


def rss_mb(pid: int) -> float:
    """Resident memory of one process in MB (0 when it is gone)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0.0
    return next(
        (int(line.split()[1]) / 1024 for line in status.splitlines() if line.startswith("VmRSS")), 0.0
    )


def hub_memory(hub: ClassServer) -> float:
    """RSS in MB of the hub and its proxy: its descendants that run as root, not the users' servers
    (which run under the students' uids)."""
    total, queue = 0.0, [hub.process.pid]
    while queue:
        current = queue.pop()
        try:
            if Path(f"/proc/{current}").stat().st_uid != 0:
                continue
            children = Path(f"/proc/{current}/task/{current}/children").read_text().split()
        except OSError:
            continue
        total += rss_mb(current)
        queue += [int(c) for c in children]
    return total


def memory_by_uid(uids: set[int]) -> dict[int, float]:
    """RSS in MB of every process of each of these uids, summed per uid (one pass over /proc)."""
    totals = dict.fromkeys(uids, 0.0)
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError):
                uid = entry.stat().st_uid
                if uid in totals:
                    totals[uid] += rss_mb(int(entry.name))
    return totals


def left_behind(hub: ClassServer) -> list[str]:
    """What the run left on the machine after ``hub.stop()``: processes, accounts, group, prefix."""
    left = [f"process {line}" for line in processes_of_class(hub)]
    for account in hub.accounts.values():
        left += [f"process {pid} of {account.name}" for pid in processes_of(account.name)]
        with contextlib.suppress(KeyError):
            pwd.getpwnam(account.name)
            left.append(f"account {account.name}")
    if hub.created_group:
        with contextlib.suppress(KeyError):
            grp.getgrnam("gdlab-instructors")
            left.append("group gdlab-instructors")
    if hub.prefix.parent.exists():
        left.append(f"folder {hub.prefix.parent}")
    return left


def percentile(values: list[float], q: float) -> float:
    """The ``q`` quantile of ``values`` (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def student_run(hub: ClassServer, key: str, assignment: str, figures: dict, errors: dict) -> None:
    """One student: log in, spawn, fetch, edit, submit; record times and the submitted checksum."""
    account = hub.accounts[key]
    try:
        hub.log_in(account)
        figures["spawn"][key] = hub.spawn(account)
        started = time.monotonic()
        hub.assignment_action(account, "fetch", assignment)
        figures["fetch"][key] = time.monotonic() - started
        path = f"{assignment}/{assignment}.ipynb"
        status, model = hub.server("GET", account, f"api/contents/{path}")
        notebook = model["content"]
        notebook["cells"].append(
            {
                "cell_type": "markdown",
                "id": f"note-{key}",
                "metadata": {},
                "source": f"{account.name} was here",
            }
        )
        status, reply = hub.server(
            "PUT",
            account,
            f"api/contents/{path}",
            {"type": "notebook", "format": "json", "content": notebook},
        )
        assert status == 200, reply
        figures["sha"][account.name] = hashlib.sha256((account.home / path).read_bytes()).hexdigest()
        started = time.monotonic()
        hub.assignment_action(account, "submit", assignment)
        figures["submit"][key] = time.monotonic() - started
    except Exception as error:  # noqa: BLE001 - reported per student below
        errors[key] = f"{type(error).__name__}: {error}"


def main() -> int:
    """Run the benchmark and print its figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--students", type=int, default=20)
    parser.add_argument("--assignment", default="01_loss_functions")
    args = parser.parse_args()
    reason = unavailable_reason()
    if reason:
        sys.exit(f"hub_class.py: {reason}")

    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt(f"signal {signum}")  # so the finally below still removes everything

    signal.signal(signal.SIGTERM, interrupt)
    load_before = os.getloadavg()
    roles = {"i": "instructor"} | {f"s{i:03d}": "student" for i in range(args.students)}
    log = Path("/tmp") / f"hub_class-{time.strftime('%Y%m%d-%H%M%S')}.log"
    print(f"installing the class server, {args.students} students (hub log: {log}) ...", flush=True)
    hub = start_class(roles, log)
    try:
        instructor = hub.accounts["i"]
        hub.log_in(instructor)
        hub.spawn(instructor)
        release = (
            "import subprocess, os\n"
            f"r = subprocess.run(['nbgrader', 'release_assignment', {args.assignment!r}], "
            "cwd=os.path.expanduser('~/gdlab'), capture_output=True, text=True)\n"
            "print(r.returncode, r.stderr[-2000:])\n"
        )
        print("release:", hub.run_python(instructor, release).strip().split()[0])
        figures: dict = {"spawn": {}, "fetch": {}, "submit": {}, "sha": {}}
        errors: dict = {}
        peak = [hub_memory(hub)]
        student_uids = {pwd.getpwnam(a.name).pw_uid for k, a in hub.accounts.items() if k != "i"}
        server_peak = dict.fromkeys(student_uids, 0.0)
        load_peak = [os.getloadavg()[0]]
        done = threading.Event()

        def sample_memory() -> None:
            while not done.wait(0.5):
                peak.append(hub_memory(hub))
                for uid, mb in memory_by_uid(student_uids).items():
                    server_peak[uid] = max(server_peak[uid], mb)
                load_peak.append(os.getloadavg()[0])

        sampler = threading.Thread(target=sample_memory)
        sampler.start()
        students = [k for k in roles if k != "i"]
        threads = [
            threading.Thread(target=student_run, args=(hub, k, args.assignment, figures, errors))
            for k in students
        ]
        started = time.monotonic()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        wall = time.monotonic() - started
        done.set()
        sampler.join()

        collect = (
            "import subprocess, os\n"
            f"r = subprocess.run(['nbgrader', 'collect', {args.assignment!r}, '--update'], "
            "cwd=os.path.expanduser('~/gdlab'), capture_output=True, text=True)\n"
            "print(r.returncode)\n"
        )
        collected_rc = hub.run_python(instructor, collect).strip()
        submitted = instructor.home / "gdlab" / "submitted"
        intact, bad = 0, []
        for name, digest in figures["sha"].items():
            path = submitted / name / args.assignment / f"{args.assignment}.ipynb"
            if path.is_file() and hashlib.sha256(path.read_bytes()).hexdigest() == digest:
                intact += 1
            else:
                bad.append(name)
        spawn, fetch, submit = (list(figures[k].values()) for k in ("spawn", "fetch", "submit"))
        servers = sorted(server_peak.values())

        def p50_p95(values: list[float], digits: int) -> list[float] | None:
            if not values:
                return None
            return [round(statistics.median(values), digits), round(percentile(values, 0.95), digits)]

        report = {
            "students": args.students,
            "wall_s": round(wall, 1),
            "spawn_s_p50_p95": p50_p95(spawn, 1),
            "fetch_s_p50_p95": p50_p95(fetch, 2),
            "submit_s_p50_p95": p50_p95(submit, 2),
            "hub_proxy_rss_mb_start_peak": [round(peak[0]), round(max(peak))],
            "user_server_rss_mb_p50_max": [round(statistics.median(servers)), round(servers[-1])],
            "user_servers_rss_mb_total_peak": round(sum(servers)),
            "load_avg_1m_before_peak": [round(load_before[0], 1), round(max(load_peak), 1)],
            "collect_exit": collected_rc,
            "collected_intact": f"{intact}/{args.students}",
        }
        print(json.dumps(report, indent=2), flush=True)
        for key, error in sorted(errors.items()):
            print(f"{key}: {error}")
        if bad:
            print(f"missing or altered after collect: {', '.join(sorted(bad))}")
        failed = intact != args.students or bool(errors) or collected_rc != "0"
    finally:
        hub.stop()
    left = left_behind(hub)
    print("cleanup:", "nothing left behind" if not left else "LEFT BEHIND: " + "; ".join(left))
    print("uptime:", subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip())
    return 1 if failed or left else 0


if __name__ == "__main__":
    sys.exit(main())
