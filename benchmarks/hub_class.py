"""A class logging in at once: N students on the class server (hub/), each log in → spawn → fetch → submit.

    sudo .venv/bin/python benchmarks/hub_class.py [--students 20] [--assignment 01_loss_functions]

Installs the deployment into a temporary prefix (from the wheels of ``make hub-wheels``, as the
hub test does), creates one instructor and N students as system accounts, starts JupyterHub on
127.0.0.1 and releases the assignment. Then every student at once, each in their own thread:
logs in through PAM (the hub's token API), starts their server, fetches the assignment, saves a
notebook of their own and submits it. It prints the spawn time p50/p95, the submit round trip
p50/p95, the hub's and the proxy's memory (RSS, at the peak of the run), then has the instructor
collect and checks every collected notebook against the SHA-256 of what its student submitted.
Exits non-zero when a submission is missing or altered. Everything is removed afterwards.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import statistics
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.hub_harness import ClassServer, start_class, unavailable_reason  # noqa: E402


def hub_memory(hub: ClassServer) -> float:
    """RSS in MB of the hub and its proxy: its descendants that run as root, not the users' servers
    (which run under the students' uids)."""
    total, queue = 0.0, [hub.process.pid]
    while queue:
        current = queue.pop()
        try:
            if Path(f"/proc/{current}").stat().st_uid != 0:
                continue
            status = Path(f"/proc/{current}/status").read_text()
            children = Path(f"/proc/{current}/task/{current}/children").read_text().split()
        except OSError:
            continue
        total += next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS")) / 1024
        queue += [int(c) for c in children]
    return total


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def student_run(hub: ClassServer, key: str, assignment: str, figures: dict, errors: dict) -> None:
    """One student: log in, spawn, fetch, edit, submit; record times and the submitted checksum."""
    account = hub.accounts[key]
    try:
        hub.log_in(account)
        figures["spawn"][key] = hub.spawn(account)
        hub.assignment_action(account, "fetch", assignment)
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
        figures: dict = {"spawn": {}, "submit": {}, "sha": {}}
        errors: dict = {}
        peak = [hub_memory(hub)]
        done = threading.Event()

        def sample_memory() -> None:
            while not done.wait(0.5):
                peak.append(hub_memory(hub))

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
        spawn, submit = list(figures["spawn"].values()), list(figures["submit"].values())
        print(
            json.dumps(
                {
                    "students": args.students,
                    "wall_s": round(wall, 1),
                    "spawn_p50_s": round(statistics.median(spawn), 1) if spawn else None,
                    "spawn_p95_s": round(percentile(spawn, 0.95), 1) if spawn else None,
                    "submit_p50_s": round(statistics.median(submit), 2) if submit else None,
                    "submit_p95_s": round(percentile(submit, 0.95), 2) if submit else None,
                    "hub_rss_mb_start": round(peak[0]),
                    "hub_rss_mb_peak": round(max(peak)),
                    "collect_exit": collected_rc,
                    "collected_intact": f"{intact}/{args.students}",
                },
                indent=2,
            )
        )
        for key, error in sorted(errors.items()):
            print(f"{key}: {error}")
        if bad:
            print(f"missing or altered after collect: {', '.join(sorted(bad))}")
        return 0 if intact == args.students and not errors else 1
    finally:
        hub.stop()


if __name__ == "__main__":
    sys.exit(main())
