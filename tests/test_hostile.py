"""A class of hostile submissions graded in one batch, in the sandbox (slow).

For every attack: the batch completes, the grade is never higher than the same
notebook without the attack, the audit report names it, and nothing outside the
sandbox changed (no file written, no connection made, no process left running).
The whole batch is graded twice, once per identity of the instructor: as the user
running the tests (root in CI: each kernel gets a user id of its own) and as an
unprivileged instructor (the kernel is that user; see :mod:`tests.unprivileged`).
"""

from __future__ import annotations

import csv
import hashlib
import html
import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path

import nbformat
import pytest

from tests.hostile_corpus import ASSIGNMENT, MARKER, PWNED, SECRET, attacks, base_notebook, hostile_notebook
from tests.notebook_harness import ROOT
from tests.sandbox_flags import SANDBOX_MISSING
from tests.unprivileged import as_user_command, system_user

pytestmark = pytest.mark.slow


def digest(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in folder.rglob("*")
        if p.is_file()
    }


class Listener:
    """A TCP server on 127.0.0.1 that records whatever connects to it."""

    def __init__(self) -> None:
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        self.sock.settimeout(0.5)
        self.running = True
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        while self.running:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.connections += 1
            conn.close()

    def close(self) -> None:
        self.running = False
        self.thread.join()
        self.sock.close()


def leftover_processes() -> list[str]:
    ps = subprocess.run(["ps", "-eo", "pid,args"], capture_output=True, text=True).stdout
    return [line for line in ps.splitlines() if MARKER in line and "ps -eo" not in line]


@pytest.fixture(scope="module")
def unprivileged_user() -> Iterator:
    yield from system_user()


@pytest.fixture(scope="module", params=["as_runner", "unprivileged"])
def graded(request: pytest.FixtureRequest) -> Iterator[dict]:
    """The hostile class graded by ``gdlab grade`` as the test's user, or as an unprivileged user."""
    if SANDBOX_MISSING:
        pytest.skip(f"no grading sandbox on this machine ({SANDBOX_MISSING}); CI installs bubblewrap")
    user = request.getfixturevalue("unprivileged_user") if request.param == "unprivileged" else None
    tmp = Path(tempfile.mkdtemp(prefix=f"gdlab-hostile-{request.param}-"))
    os.chmod(tmp, 0o755)
    subs, out = tmp / "submissions", tmp / "out"
    decoy = Path(f"/tmp/{MARKER}-decoy-{os.getpid()}-{request.param}") / "gradebook.db"  # runs may overlap
    decoy.parent.mkdir(exist_ok=True)
    with sqlite3.connect(decoy) as db:
        db.execute("create table if not exists grade (auto_score real)")
        db.execute("delete from grade")
        db.execute("insert into grade values (1)")
    listener = Listener()
    corpus = attacks({"decoy_db": str(decoy), "port": listener.port, "submissions": subs})
    students = {"honest": base_notebook(), "honest_twin": base_notebook()}
    full = nbformat.read(ROOT / "solutions" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", as_version=4)
    students["top_student"] = full
    names = {}
    for i, attack in enumerate(corpus):
        student = f"attack{i:02d}"
        names[student] = attack
        students[student] = hostile_notebook(attack)
    for student, nb in students.items():
        path = subs / student / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
        path.parent.mkdir(parents=True)
        path.write_text(nb if isinstance(nb, str) else nbformat.writes(nb))
    before = digest(subs)
    decoy_before = decoy.read_bytes()
    env = {**os.environ, "GDLAB_GRADING_SECRET": SECRET}
    home = Path.home()
    command = [
        sys.executable,
        "-m",
        "gdlab.cli",
        "grade",
        ASSIGNMENT,
        str(subs),
        "--out",
        str(out),
        "--quiet",
        "--cell-timeout",
        "15",
        "--memory-mb",
        "1024",
    ]
    if user is not None:
        home = tmp / "home"
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": str(home),
            "TMPDIR": str(tmp / "tmp"),
            "LANG": "C.UTF-8",
            "GDLAB_OFFLINE": "1",
            "GDLAB_GRADING_SECRET": SECRET,
        }
        for name in ("home", "tmp", "out", "stash"):
            (tmp / name).mkdir()
            os.chown(tmp / name, user.pw_uid, user.pw_gid)
        command = as_user_command(command, env, user, tmp / "stash")
    run = subprocess.run(command, capture_output=True, text=True, timeout=1800, env=env, cwd=ROOT)
    listener.close()
    decoy_after = decoy.read_bytes()
    shutil.rmtree(decoy.parent, ignore_errors=True)
    with (out / "grades.csv").open() as f:
        grades = {r["student_id"]: r for r in csv.DictReader(f)}
    with (out / "audit.csv").open() as f:
        audit = {r["student_id"]: r for r in csv.DictReader(f)}
    batch = {
        "run": run,
        "grades": grades,
        "audit": audit,
        "attacks": names,
        "submissions_unchanged": digest(subs) == before,
        "decoy_unchanged": decoy_after == decoy_before,
        "connections": listener.connections,
        "leftovers": leftover_processes(),
        "pwned": [p for p in (Path(f"/tmp/{MARKER}-pwned"), home / f"{MARKER}-pwned") if p.exists()]
        + list(tmp.rglob(f"*{MARKER}*")),
        "out": out,
    }
    yield batch
    shutil.rmtree(tmp, ignore_errors=True)


def test_the_batch_completes(graded: dict) -> None:
    assert graded["run"].returncode == 0, graded["run"].stderr[-3000:]
    assert len(graded["grades"]) == len(graded["attacks"]) + 3


def test_the_baseline_is_honest(graded: dict) -> None:
    honest, top = graded["grades"]["honest"], graded["grades"]["top_student"]
    assert top["score"] == top["max_score"] and top["status"] == "ok"
    assert 0 < float(honest["score"]) < float(honest["max_score"]), honest
    assert "honest" not in graded["audit"], graded["audit"].get("honest")


def test_no_other_students_row_changed(graded: dict) -> None:
    """The twin of the honest notebook, graded among all the attacks, gets exactly the same row."""
    honest, twin = graded["grades"]["honest"], graded["grades"]["honest_twin"]
    assert {k: v for k, v in twin.items() if k != "student_id"} == {
        k: v for k, v in honest.items() if k != "student_id"
    }


def test_no_attack_raises_a_grade(graded: dict) -> None:
    base = float(graded["grades"]["honest"]["score"])
    raised = {
        graded["attacks"][s].name: r["score"]
        for s, r in graded["grades"].items()
        if s in graded["attacks"] and float(r["score"]) > base
    }
    assert raised == {}, f"grades above the honest {base}: {raised}"


def test_attacks_at_the_end_keep_the_points_earned_before(graded: dict) -> None:
    base = graded["grades"]["honest"]["score"]
    lost = {
        a.name: graded["grades"][s]["score"]
        for s, a in graded["attacks"].items()
        if a.keeps_points and graded["grades"][s]["score"] != base
    }
    assert lost == {}, f"expected {base} points each: {lost}"


def test_the_audit_names_each_attack(graded: dict) -> None:
    missing = {
        a.name: graded["audit"].get(s, {}).get("flags", "(no line)")
        for s, a in graded["attacks"].items()
        if a.flag and a.flag not in graded["audit"].get(s, {}).get("flags", "")
    }
    assert missing == {}, f"attacks the audit does not name as expected: {missing}"


def test_nothing_outside_the_sandbox_changed(graded: dict) -> None:
    assert graded["submissions_unchanged"], "a submission was modified"
    assert graded["decoy_unchanged"], "a gradebook outside the sandbox was written"
    assert graded["connections"] == 0, "a submission reached a server on the grader's network"
    assert graded["leftovers"] == [], f"processes left running: {graded['leftovers']}"
    assert graded["pwned"] == [], f"files written outside the sandbox: {graded['pwned']}"
    with sqlite3.connect(graded["out"] / "gradebook.db") as db:
        assert db.execute("select max(auto_score) from grade").fetchone()[0] <= 10


def test_feedback_never_shows_hidden_tests_seeds_or_the_secret(graded: dict) -> None:
    """No feedback file holds a line of a hidden test, any student's probe seed, or the grading secret."""
    from gdlab_autograde.feedback import hidden_lines
    from gdlab_autograde.probe_verdicts import probe_seed

    solution = nbformat.read(ROOT / "solutions" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", as_version=4)
    lines = hidden_lines(solution)
    assert len(lines) > 20, "the assignment's hidden tests should have many distinctive lines"
    seeds = [str(probe_seed(SECRET, ASSIGNMENT, s)) for s in graded["grades"]]
    pages = sorted((graded["out"] / "feedback").rglob("*.html"))
    assert len(pages) >= len(graded["attacks"]) - 5, "most submissions should have feedback"
    leaks = {}
    for page in pages:
        text = html.unescape(page.read_text())
        found = [line for line in lines if line in text] + [s for s in seeds if s in text]
        found += [word for word in ("BEGIN HIDDEN TESTS", SECRET, "hidden check>") if word in text]
        if found:
            leaks[page.parent.name] = found[:3]
    assert leaks == {}, f"feedback that leaks: {leaks}"


def test_no_script_of_a_submission_runs_when_its_feedback_is_opened(graded: dict) -> None:
    """Every feedback page, opened in real Chromium: no planted script, handler or javascript: link runs."""
    from tests.jupyter_process import find_chromium

    chromium = find_chromium()
    if chromium is None:
        pytest.skip("no Chromium (apt-get install -y chromium)")
    from playwright.sync_api import sync_playwright

    pages = sorted((graded["out"] / "feedback").rglob("*.html"))
    ran = {}
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        try:
            page = browser.new_page()
            dialogs: list[str] = []
            page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
            for path in pages:
                page.goto(path.as_uri())
                page.wait_for_timeout(150)
                for link in page.locator("a[href]").all()[:20]:
                    href = link.get_attribute("href") or ""
                    if href.startswith("javascript:"):
                        link.click(timeout=2000)
                state = page.evaluate(
                    f"""() => ({{
                        pwned: {PWNED} ?? null,
                        handlers: [...document.querySelectorAll('*')].flatMap(e =>
                            [...e.attributes].map(a => a.name).filter(n => n.startsWith('on'))).length,
                        js_links: document.querySelectorAll('a[href^="javascript:" i]').length,
                        title: document.title,
                    }})"""
                )
                if state["pwned"] is not None or state["handlers"] or state["js_links"] or dialogs:
                    ran[path.parent.name] = {**state, "dialogs": dialogs[:]}
                dialogs.clear()
        finally:
            browser.close()
    assert ran == {}, f"feedback pages where a submission's script could run: {ran}"


def test_a_fork_bomb_costs_the_next_student_on_its_worker_nothing(tmp_path: Path) -> None:
    """One worker, so each submission's kernel runs as the same sandbox user as the fork bomb's
    before it: that user's dying processes must be gone before the next kernel starts (they once
    filled its process limit, and the next student's kernel died before it could run a cell)."""
    if SANDBOX_MISSING:
        pytest.skip(f"no grading sandbox on this machine ({SANDBOX_MISSING}); CI installs bubblewrap")
    if os.geteuid() != 0:
        pytest.skip("each worker has its own sandbox user only when grading runs as root (CI does)")
    (bomb,) = [
        a for a in attacks({"decoy_db": "", "port": 0, "submissions": tmp_path}) if a.name == "fork bomb"
    ]
    students = {}
    for i in range(3):
        students[f"s{2 * i}_bomb"] = hostile_notebook(bomb)
        students[f"s{2 * i + 1}_honest"] = base_notebook()
    subs, out = tmp_path / "submissions", tmp_path / "out"
    for student, nb in students.items():
        path = subs / student / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
        path.parent.mkdir(parents=True)
        path.write_text(nbformat.writes(nb))
    command = [sys.executable, "-m", "gdlab.cli", "grade", ASSIGNMENT, str(subs), "--out", str(out)]
    run = subprocess.run(
        [*command, "--quiet", "--jobs", "1", "--cell-timeout", "15", "--memory-mb", "1024"],
        capture_output=True,
        text=True,
        timeout=900,
        env={**os.environ, "GDLAB_GRADING_SECRET": SECRET},
        cwd=ROOT,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    with (out / "grades.csv").open() as f:
        grades = {r["student_id"]: r for r in csv.DictReader(f)}
    honest = {
        s: (grades[s]["status"], grades[s]["score"], grades[s]["message"]) for s in students if "honest" in s
    }
    assert len(set(honest.values())) == 1 and next(iter(honest.values()))[0] == "ok", honest
    assert float(next(iter(honest.values()))[1]) > 0, honest
