"""A whole class on JupyterHub, with real accounts: release → fetch → submit → collect → grade → feedback.

``hub/deploy.py`` installs the class server into a world-readable temporary prefix (from the
wheels ``make hub-wheels`` put in ``.venv/hub-wheels``: nothing downloads), creates an instructor
and three students as system accounts with passwords, and starts JupyterHub on 127.0.0.1. The
students log in through PAM, fetch and submit through nbgrader's Assignments API in their own
servers (one of them in Chromium, through the hub's login page and JupyterLab's Assignments
tab); the instructor releases, collects, grades with ``gdlab grade`` in the sandbox
(``hub/grade_class.py``) and returns feedback, all from code run in their own server's kernel.
What a student must not do is tried from a student's own server, under their own uid.
Runs only as root (skipped with the reason elsewhere; CI runs as root and requires it).
"""

from __future__ import annotations

import csv
import hashlib
import json
import shutil
import signal
import threading
import time
import urllib.parse
from datetime import UTC, datetime
from pathlib import Path

import nbformat
import pytest

from tests.hub_harness import (
    COURSE_ID,
    Account,
    ClassServer,
    processes_of,
    processes_of_class,
    start_class,
    unavailable_reason,
)
from tests.notebook_harness import ROOT

pytestmark = [pytest.mark.slow, pytest.mark.browser]

ASSIGNMENT = "01_loss_functions"
NOTEBOOK = f"{ASSIGNMENT}/{ASSIGNMENT}.ipynb"
ARTIFACTS = ROOT / "test-artifacts" / "hub"
ROLES = {"i1": "instructor", "s1": "student", "s2": "student", "s3": "student"}
CHROMIUM_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-sync"]


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def shell(hub: ClassServer, account: Account, argv: list[str], cwd: str = "~") -> tuple[int, str]:
    """Run a command from a kernel of the account's own server, as a terminal in it would."""
    code = (
        "import json, os, subprocess\n"
        f"r = subprocess.run({argv!r}, cwd=os.path.expanduser({cwd!r}), capture_output=True, text=True)\n"
        "print(json.dumps([r.returncode, r.stdout + r.stderr]))\n"
    )
    returncode, output = json.loads(hub.run_python(account, code).strip().splitlines()[-1])
    return returncode, output


def student_notebook(kind: str) -> dict:
    from gdlab_autograde.samples import student_notebook as sample

    return json.loads(nbformat.writes(sample(ROOT, ASSIGNMENT, kind)))


def put_notebook(hub: ClassServer, account: Account, notebook: dict) -> None:
    """Save the notebook into the student's fetched assignment, as JupyterLab's save does."""
    status, reply = hub.server(
        "PUT",
        account,
        f"api/contents/{NOTEBOOK}",
        {"type": "notebook", "format": "json", "content": notebook},
    )
    assert status == 200, reply


def submitted_timestamps(listing: list[dict]) -> list[str]:
    """The timestamps of the student's submissions of the assignment, as their Assignments tab lists them."""
    entries = [a for a in listing if a["assignment_id"] == ASSIGNMENT and a["status"] == "submitted"]
    return sorted(s["timestamp"] for a in entries for s in a.get("submissions", [a]))


ISOLATION_PROBE = """
import json, os, subprocess, urllib.error, urllib.request
result = {}
def denied(path):
    try:
        os.listdir(path)
        return "listed"
    except PermissionError:
        return "denied"
    except FileNotFoundError:
        return "missing"
for name, path in PATHS.items():
    result[name] = denied(path)
token, api = os.environ["JUPYTERHUB_API_TOKEN"], os.environ["JUPYTERHUB_API_URL"]
def status(method, path, body=None):
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(api + path, data=data, method=method,
                                     headers={"Authorization": "token " + token})
    try:
        with urllib.request.urlopen(request, timeout=30) as reply:
            return reply.status
    except urllib.error.HTTPError as error:
        return error.code
result["api list users"] = status("GET", "/users")
result["api other user"] = status("GET", "/users/" + OTHER)
result["api start other's server"] = status("POST", "/users/" + OTHER + "/server")
result["api make self admin"] = status("PATCH", "/users/" + SELF, {"admin": True})
result["api new user"] = status("POST", "/users/intruder")
def run(*argv):
    return subprocess.run(argv, capture_output=True, text=True, cwd=os.path.expanduser("~")).returncode
result["collect"] = run("nbgrader", "collect", ASSIGNMENT)
os.makedirs(os.path.expanduser("~/mine/release/" + ASSIGNMENT), exist_ok=True)
with open(os.path.expanduser("~/mine/release/" + ASSIGNMENT + "/" + ASSIGNMENT + ".ipynb"), "w") as fh:
    fh.write("{}")
result["release"] = run("nbgrader", "release_assignment", ASSIGNMENT, "--force",
                        "--CourseDirectory.root=" + os.path.expanduser("~/mine"))
result["collected anything"] = os.path.isdir(os.path.expanduser("~/submitted"))
# A submission in the other student's name, newer than theirs (inbound/ is writable by everyone).
import datetime
stamp = (datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(hours=1)).strftime("%Y-%m-%d %H:%M:%S.%f UTC")
# And one in the name of someone who has not submitted at all (the instructor).
for key, name in (("forge other's submission", OTHER), ("forge a first submission", INSTRUCTOR)):
    forged = os.path.join(INBOUND, name + "+" + ASSIGNMENT + "+" + stamp + "+forged")
    try:
        os.makedirs(forged)
        with open(os.path.join(forged, ASSIGNMENT + ".ipynb"), "w") as fh:
            fh.write('{"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}')
        with open(os.path.join(forged, "timestamp.txt"), "w") as fh:
            fh.write(stamp)
        result[key] = "created"
    except PermissionError:
        result[key] = "denied"
print(json.dumps(result))
"""


SQUAT_PROBE = """
import json, os
result = {}
for name in ("outbound", "inbound", "feedback"):
    try:
        os.makedirs(os.path.join(COURSE_EXCHANGE, name, ASSIGNMENT))
        result[name] = "created"
    except PermissionError:
        result[name] = "denied"
try:
    os.rename(COURSE_EXCHANGE, COURSE_EXCHANGE + "-moved")
    result["move the course folder"] = "moved"
except PermissionError:
    result["move the course folder"] = "denied"
print(json.dumps(result))
"""


def squat_probe(hub: ClassServer, student: Account) -> dict:
    """A student, before the first release, tries to make the course's exchange folders their own."""
    preamble = (
        f"COURSE_EXCHANGE = {str(hub.prefix / 'exchange' / COURSE_ID)!r}\nASSIGNMENT = {ASSIGNMENT!r}\n"
    )
    return json.loads(hub.run_python(student, preamble + SQUAT_PROBE).strip().splitlines()[-1])


def isolation_probe(hub: ClassServer, student: Account, other: Account, instructor: Account) -> dict:
    """What a student's own server can reach of other people's things (run as that student)."""
    exchange = hub.prefix / "exchange" / COURSE_ID
    paths = {
        "exchange inbound": str(exchange / "inbound"),
        "exchange feedback": str(exchange / "feedback"),
        "other student's home": str(other.home),
        "instructor's course": str(instructor.home / COURSE_ID),
        "solutions": str(hub.prefix / "course" / "solutions"),
    }
    preamble = (
        f"PATHS = {paths!r}\nOTHER = {other.name!r}\nSELF = {student.name!r}\nASSIGNMENT = {ASSIGNMENT!r}\n"
        f"INBOUND = {str(exchange / 'inbound')!r}\n"
        f"INSTRUCTOR = {instructor.name!r}\n"
    )
    return json.loads(hub.run_python(student, preamble + ISOLATION_PROBE).strip().splitlines()[-1])


def browser_fetch_and_submit(hub: ClassServer, student: Account) -> None:
    """Log in on the hub's page and fetch, then submit, in JupyterLab's Assignments tab (Chromium)."""
    from playwright.sync_api import sync_playwright

    from tests.jupyter_process import find_chromium

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        chrome = p.chromium.launch(executable_path=find_chromium(), args=CHROMIUM_ARGS)
        try:
            page = chrome.new_page(viewport={"width": 1280, "height": 900})
            page.goto(f"{hub.base}/hub/login")
            page.fill("#username_input", student.name)
            page.fill("#password_input", student.password)
            page.click("#login_submit")
            page.wait_for_url(f"**/user/{student.name}/lab**", timeout=180_000)
            page.wait_for_selector(".jp-LabShell", timeout=60_000)
            page.locator(".lm-MenuBar-itemLabel", has_text="Nbgrader").click()
            menu = [m.inner_text() for m in page.locator(".lm-Menu-itemLabel").all() if m.inner_text()]
            assert menu == ["Assignment List"], f"a student's Nbgrader menu offers {menu}"
            page.locator(".lm-Menu-itemLabel", has_text="Assignment List").click()
            released = page.locator("#released_assignments_list .list_item", has_text=ASSIGNMENT)
            released.locator("button", has_text="Fetch").click(timeout=60_000)
            fetched = page.locator("#fetched_assignments_list .list_item", has_text=ASSIGNMENT).first
            fetched.locator("button", has_text="Submit").click(timeout=60_000)
            submitted = page.locator("#submitted_assignments_list .list_item", has_text=ASSIGNMENT)
            submitted.first.wait_for(timeout=60_000)
            page.screenshot(path=str(ARTIFACTS / "assignments_tab.png"))
        finally:
            chrome.close()


@pytest.fixture(scope="module")
def hub(tmp_path_factory: pytest.TempPathFactory):
    reason = unavailable_reason()
    if reason:
        pytest.skip(reason)
    from tests.jupyter_process import find_chromium

    if find_chromium() is None:
        pytest.skip("no Chromium: the hub test drives one student in the browser (apt-get install chromium)")
    log = tmp_path_factory.mktemp("hub") / "jupyterhub.log"

    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt(f"signal {signum}")  # pytest still tears the fixture down

    previous = signal.signal(signal.SIGTERM, interrupt)  # a CI time-out must not leave accounts behind
    try:
        server = start_class(ROLES, log)  # removes what it made when it fails
    except BaseException:
        signal.signal(signal.SIGTERM, previous)
        raise
    server.log = log
    try:
        yield server
    finally:
        if server.process is not None and server.process.poll() is None:
            server.process.terminate()  # SIGTERM to the hub: it stops every user's server first
            server.process.wait(timeout=60)
        left = {a.name: processes_of(a.name) for a in server.accounts.values()}
        left["hub, proxy"] = processes_of_class(server)
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        shutil.copy(log, ARTIFACTS / "jupyterhub.log")
        server.stop()
        signal.signal(signal.SIGTERM, previous)
        assert not any(left.values()), f"processes left running after the hub stopped: {left}"


def test_a_class_on_the_hub(hub: ClassServer) -> None:
    instructor, s1, s2, s3 = (hub.accounts[k] for k in ("i1", "s1", "s2", "s3"))
    for account in hub.accounts.values():
        hub.log_in(account)
    wrong = Account(s1.name, "student", "not-" + s1.password)
    with pytest.raises(Exception, match="403"):
        hub.log_in(wrong)

    spawn_times: dict[str, float] = {}
    threads = [
        threading.Thread(target=lambda a=a: spawn_times.__setitem__(a.name, hub.spawn(a)))
        for a in (instructor, s1, s2)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(spawn_times) == 3, f"servers that started: {spawn_times}"

    # Every server runs under its own user's uid.
    for account in (instructor, s1, s2):
        assert hub.run_python(account, "import getpass; print(getpass.getuser())").strip() == account.name

    # The instructor has the formgrader; a student does not.
    assert hub.server("GET", instructor, "formgrader/api/assignments")[0] == 200
    assert hub.server("GET", s1, "formgrader/api/assignments")[0] == 404

    # Before anything is released, a student cannot take the course's place in the exchange
    # (whoever made its outbound/ and inbound/ would serve everyone's fetch and read every submission).
    squat = squat_probe(hub, s1)
    assert set(squat.values()) == {"denied"}, squat

    # Release (as in a terminal of the instructor's JupyterLab).
    code, output = shell(hub, instructor, ["nbgrader", "release_assignment", ASSIGNMENT], f"~/{COURSE_ID}")
    assert code == 0, output
    outbound = hub.prefix / "exchange" / COURSE_ID / "outbound" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    released_sum = sha256(outbound)
    assert released_sum == sha256(ROOT / "notebooks" / NOTEBOOK)

    # Students see it, fetch it, work.
    assert [a["status"] for a in hub.assignments(s1) if a["assignment_id"] == ASSIGNMENT] == ["released"]
    for student in (s1, s2):
        listing = hub.assignment_action(student, "fetch", ASSIGNMENT)
        assert any(a["status"] == "fetched" for a in listing if a["assignment_id"] == ASSIGNMENT), listing
        assert sha256(student.home / NOTEBOOK) == released_sum

    put_notebook(hub, s1, student_notebook("half"))
    first = submitted_timestamps(hub.assignment_action(s1, "submit", ASSIGNMENT))
    assert len(first) == 1
    put_notebook(hub, s1, student_notebook("complete"))
    code, output = shell(hub, s1, ["gdlab", "check", NOTEBOOK])
    assert code == 0 and "FAIL" not in output, output
    time.sleep(1.1)  # nbgrader's timestamps name the submissions; a second one must differ
    both = submitted_timestamps(hub.assignment_action(s1, "submit", ASSIGNMENT))
    assert len(both) == 2 and both[0] == first[0], both
    expected = {s1.name: sha256(s1.home / NOTEBOOK)}

    # The due date passes (after s1's last submission: nbgrader's due dates have whole seconds);
    # s2 and s3 hand in late.
    time.sleep(1.1)
    due = datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
    code, output = shell(
        hub,
        instructor,
        ["nbgrader", "db", "assignment", "add", ASSIGNMENT, f"--duedate={due}"],
        f"~/{COURSE_ID}",
    )
    assert code == 0, output
    time.sleep(1.1)
    put_notebook(hub, s2, student_notebook("half"))
    hub.assignment_action(s2, "submit", ASSIGNMENT)
    expected[s2.name] = sha256(s2.home / NOTEBOOK)
    browser_fetch_and_submit(hub, s3)
    expected[s3.name] = sha256(s3.home / NOTEBOOK)
    assert expected[s3.name] == released_sum  # untouched

    # What a student's own server cannot do or read.
    probe = isolation_probe(hub, s2, s1, instructor)
    for name in ("exchange inbound", "other student's home", "instructor's course", "solutions"):
        assert probe[name] == "denied", (name, probe)
    # 403, or 404 where JupyterHub does not tell whether a user it will not show exists: refused.
    for name in (
        "api list users",
        "api other user",
        "api start other's server",
        "api make self admin",
        "api new user",
    ):
        assert probe[name] in (403, 404), (name, probe)
    assert probe["collect"] != 0 and probe["release"] != 0 and not probe["collected anything"], probe
    assert sha256(outbound) == released_sum, "a student's release changed the released notebook"
    assert hub.api("GET", "/users", s2)[0] == 403
    assert hub.server("GET", s1, f"api/contents/{NOTEBOOK}", as_=s2)[0] in (403, 404)

    # Collect, grade with gdlab grade (sandbox on), return feedback: the instructor's script.
    grade_class = str(hub.prefix / "course" / "hub" / "grade_class.py")
    code, output = shell(hub, instructor, ["python", grade_class, ASSIGNMENT], f"~/{COURSE_ID}")
    assert code == 0, output
    # s2's submission in s1's name (above) is refused, by name, and s1's own newest collected.
    if probe["forge other's submission"] == "created":
        assert f"claims to be {s1.name}'s submission but belongs to {s2.name}" in output, output
    if probe["forge a first submission"] == "created":
        assert f"claims to be {instructor.name}'s submission but belongs to {s2.name}" in output, output
    assert not (instructor.home / COURSE_ID / "submitted" / instructor.name).exists()
    course = instructor.home / COURSE_ID
    for student in (s1, s2, s3):
        collected = course / "submitted" / student.name / ASSIGNMENT
        assert sha256(collected / f"{ASSIGNMENT}.ipynb") == expected[student.name], (
            f"{student.name}'s submission changed"
        )
    assert (course / "submitted" / s1.name / ASSIGNMENT / "timestamp.txt").read_text() == both[1]
    out = course / "gdlab-grades" / ASSIGNMENT
    with open(out / "grades.csv") as handle:
        grades = {row["student_id"]: row for row in csv.DictReader(handle) if row["assignment"] == ASSIGNMENT}
    assert {r["status"] for r in grades.values()} == {"ok"}, grades
    score = {name: float(row["score"]) for name, row in grades.items()}
    assert score[s1.name] == float(grades[s1.name]["max_score"]) > score[s2.name] > score[s3.name] == 0, score
    with open(out / "late.csv") as handle:
        late = {row["student_id"] for row in csv.DictReader(handle)}
    assert late == {s2.name, s3.name}, late

    # Each student fetches their own feedback, and only theirs.
    for student in (s1, s2, s3):
        if student is s3:
            hub.spawn(s3)
        hub.assignment_action(student, "fetch_feedback", ASSIGNMENT)
        mine = sorted((student.home / ASSIGNMENT / "feedback").glob(f"*/{ASSIGNMENT}.html"))
        assert mine, f"{student.name} got no feedback"
        assert mine[-1].read_bytes() == (out / "feedback" / student.name / f"{ASSIGNMENT}.html").read_bytes()
        feedback_path = urllib.parse.quote(str(mine[-1].relative_to(student.home)))  # time stamps have spaces
        status, reply = hub.server("GET", student, f"api/contents/{feedback_path}")
        assert status == 200, reply
    assert isolation_probe(hub, s2, s1, instructor)["exchange feedback"] == "denied"
    assert hub.server("GET", s1, f"api/contents/{ASSIGNMENT}/feedback", as_=s2)[0] in (403, 404)
