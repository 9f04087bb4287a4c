"""Hostile intake: what reaches the grader (links, devices, malformed and huge notebooks, LMS
zips with bombs, traversal and impersonation, escape sequences in ids) and what leaves the
sandbox (the disk, the worker's log, the instructor's environment).

A class folder and an LMS zip mixing honest students with every kind in
:mod:`tests.hostile_intake_corpus` are graded by ``gdlab grade`` as root and as an
unprivileged user: the batch completes, one row per student, honest grades for the
honest, the expected status and an audit line for each attacker, and nothing outside
changed. The reading and unpacking rules are also tested directly (fast).
"""

from __future__ import annotations

import csv
import hashlib
import os
import pwd
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import nbformat
import pytest

from gdlab_autograde.intake import collect_zip
from gdlab_autograde.sandbox import Limits
from gdlab_autograde.submission import parse_notebook, printable, read_submission, valid_student_id
from tests.hostile_intake_corpus import (
    CLOUD_KEY,
    MARKER,
    NOTEBOOK,
    SECRET,
    Expect,
    write_folder_class,
    write_zip_class,
)
from tests.sandbox_flags import SANDBOX_MISSING
from tests.toy_course import ASSIGNMENT, make_course, submission, write_submission
from tests.unprivileged import as_user_command, system_user


def digest(folder: Path) -> dict[str, str]:
    """Every regular file (links followed) under ``folder``, by content; other entries by their type."""
    seen = {}
    for path in sorted(folder.rglob("*")):
        key = str(path.relative_to(folder))
        if path.is_symlink():
            seen[key] = f"link to {os.readlink(path)}"
        elif path.is_file():
            seen[key] = hashlib.sha256(path.read_bytes()).hexdigest()
        else:
            seen[key] = f"mode {path.lstat().st_mode:o}"
    return seen


def snapshot(path: Path) -> dict[str, str]:
    """``digest`` of a folder, or the hash of one file (an LMS zip)."""
    if path.is_file():
        return {path.name: hashlib.sha256(path.read_bytes()).hexdigest()}
    return digest(path)


def rows(path: Path) -> dict[str, dict]:
    with path.open(newline="") as f:
        return {r["student_id"]: r for r in csv.DictReader(f)}


# --- fast: the reading and unpacking rules themselves -------------------------------------------


def test_student_ids_are_matched_whole() -> None:
    assert valid_student_id("kim.lee+1@uni-x_2")
    for bad in ("eve\n", "eve\r\n", "", "-x", "a b", "a/b", "\x1b[31m", "ü", "x" * 101):
        assert not valid_student_id(bad), repr(bad)


def test_control_characters_are_escaped() -> None:
    assert printable("a\x1b]0;t\x07b\nc\u202ed\udcff") == "a\\x1b]0;t\\x07b\\x0ac\\u202ed\\udcff"
    assert printable("kim_1 ok") == "kim_1 ok"


def test_every_folder_kind_is_read_or_refused_without_following(tmp_path: Path) -> None:
    course = make_course(tmp_path / "course")
    kinds = write_folder_class(tmp_path / "subs", course)
    for student, expect in kinds.items():
        if not valid_student_id(student):
            continue
        got = read_submission(tmp_path / "subs", [student, ASSIGNMENT, NOTEBOOK])
        if expect.status in ("refused submission", "malformed notebook"):
            assert got.notebook is None and got.status == expect.status, (student, got.status, got.message)
        else:
            assert got.notebook is not None, (student, got.message)
    # The links point at the solution: refusing them is what keeps its answers out.
    assert (
        "symbolic link" in read_submission(tmp_path / "subs", ["link_notebook", ASSIGNMENT, NOTEBOOK]).message
    )
    assert "hard link" in read_submission(tmp_path / "subs", ["hard_link", ASSIGNMENT, NOTEBOOK]).message
    assert "FIFO" in read_submission(tmp_path / "subs", ["fifo", ASSIGNMENT, NOTEBOOK]).message


def test_notebook_parsing_caps_nesting_cells_and_metadata() -> None:
    assert "nested too deeply" in parse_notebook(b"[" * 200_000 + b"]" * 200_000)[1]
    notebook, note = parse_notebook(
        nbformat.writes(submission()).replace('"nbgrader": {', '"nbgrader": "x", "was": {', 1).encode()
    )
    assert notebook is not None and "metadata.nbgrader a str (dropped)" in note


def test_lms_zip_attributes_by_the_outer_entry_within_limits(tmp_path: Path) -> None:
    archive = tmp_path / "export.zip"
    kinds = write_zip_class(archive)
    work = tmp_path / "work" / "deeper"
    work.mkdir(parents=True)
    before = digest(tmp_path)
    intake = collect_zip(tmp_path, ASSIGNMENT, archive, work)
    for student, expect in kinds.items():
        if student in intake.problems:
            assert intake.problems[student][0] == expect.status, (student, intake.problems[student])
        else:
            assert expect.status in ("ok", "malformed notebook"), (student, expect)
            assert (intake.folder / student / ASSIGNMENT / NOTEBOOK).is_file()
    assert sorted(p.name for p in intake.folder.iterdir()) == sorted(
        s for s in kinds if s not in intake.problems
    )
    # ben's notebook is ben's own entry, never the one mallet named after him.
    assert (intake.folder / "ben" / ASSIGNMENT / NOTEBOOK).read_bytes().startswith(b"{\n")
    assert (intake.folder / "mallet" / ASSIGNMENT / NOTEBOOK).read_bytes() == b"{broken"
    assert any("named for ben" in n for n in intake.notes["mallet"])
    assert any("grades_export.csv.gz" in i for i in intake.ignored)
    unpacked = sum(p.stat().st_size for p in work.rglob("*") if p.is_file())
    assert unpacked < 2**20, f"{unpacked} bytes unpacked: the bomb was not stopped"
    outside = lambda seen: {k: v for k, v in seen.items() if not k.startswith("work")}  # noqa: E731
    assert outside(digest(tmp_path)) == outside(before), "unpacking wrote outside its folder"


def test_a_failed_run_leaves_no_stale_rows_looking_current(tmp_path: Path) -> None:
    course = make_course(tmp_path / "course")
    out = tmp_path / "out"
    out.mkdir()
    old = "student_id,assignment,score,max_score,manual_max_score,status,message\n"
    (out / "grades.csv").write_text(old + f"zoe,other,7,9,1,ok,\nann,{ASSIGNMENT},5,5,1,ok,\n")
    (out / "audit.csv").write_text(f"student_id,assignment,flags,what happened\nann,{ASSIGNMENT},x,y\n")
    broken = tmp_path / "export.zip"
    broken.write_bytes(b"this is not a zip archive")
    run = subprocess.run(
        [sys.executable, "-m", "gdlab.cli", "grade", ASSIGNMENT, str(broken), "--out", str(out)]
        + ["--course-dir", str(course), "--quiet", *(["--unsafe-no-sandbox"] if SANDBOX_MISSING else [])],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 2 and "not a readable zip archive" in run.stderr, run.stderr
    assert "were removed from" in run.stderr and "grades.previous.csv" in run.stderr
    assert set(rows(out / "grades.csv")) == {"zoe"}  # other assignments kept, this one's gone
    assert rows(out / "audit.csv") == {}
    assert "ann" in rows(out / "grades.previous.csv")


# --- slow: whole classes graded by `gdlab grade` ---------------------------------------------


def grade_command(course: Path, submissions: Path, out: Path) -> list[str]:
    return [
        sys.executable,
        "-m",
        "gdlab.cli",
        "grade",
        ASSIGNMENT,
        str(submissions),
        "--out",
        str(out),
        "--course-dir",
        str(course),
        "--quiet",
        "--keep-workspace",
        "--jobs",
        "2",
        "--timeout",
        "100",  # several times what an honest toy notebook takes on a loaded 2-core machine
        "--cell-timeout",
        "30",
    ]


def grading_env(folder: Path) -> dict[str, str]:
    """The instructor's environment: the grading secret and a cloud key the kernel must never see."""
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(folder / "home"),
        "TMPDIR": str(folder / "tmp"),
        "LANG": "C.UTF-8",
        "GDLAB_OFFLINE": "1",
        "GDLAB_GRADING_SECRET": SECRET,
        "AWS_SECRET_ACCESS_KEY": CLOUD_KEY,
    }


def grade_class(kind: str, user: pwd.struct_passwd | None) -> dict:
    """Grade a hostile class (``kind``: "folder" or "zip"), as root or as ``user``; what came of it."""
    if SANDBOX_MISSING:
        pytest.skip(f"no grading sandbox on this machine ({SANDBOX_MISSING}); CI installs bubblewrap")
    folder = Path(tempfile.mkdtemp(prefix=f"gdlab-intake-{kind}-"))
    os.chmod(folder, 0o755)
    course = make_course(folder / "course")
    if kind == "folder":
        submissions = folder / "subs"
        submissions.mkdir()
        kinds = write_folder_class(submissions, course)
    else:
        submissions = folder / "export.zip"
        kinds = write_zip_class(submissions)
    out = folder / "out"
    env = grading_env(folder)
    for name in ("home", "tmp", "out", "stash"):
        (folder / name).mkdir()
        if user is not None:
            os.chown(folder / name, user.pw_uid, user.pw_gid)
    before = {"submissions": snapshot(submissions), "course": digest(course)}
    command = grade_command(course, submissions, out)
    if user is not None:
        command = as_user_command(command, env, user, folder / "stash")
    run = subprocess.run(command, capture_output=True, text=True, env=env, timeout=1500)
    workspaces = list((folder / "tmp").glob("gdlab-grade-*"))
    return {
        "folder": folder,
        "kinds": kinds,
        "run": run,
        "out": out,
        "before": before,
        "after": {
            "submissions": snapshot(submissions),
            "course": digest(course),
        },
        "workspace": workspaces[0] if len(workspaces) == 1 else None,
        "user": user,
    }


@pytest.fixture(scope="module")
def unprivileged_user() -> Iterator[pwd.struct_passwd]:
    yield from system_user()


@pytest.fixture(scope="module")
def folder_as_root() -> Iterator[dict]:
    batch = grade_class("folder", None)
    yield batch
    shutil.rmtree(batch["folder"], ignore_errors=True)


@pytest.fixture(scope="module")
def zip_as_root() -> Iterator[dict]:
    batch = grade_class("zip", None)
    yield batch
    shutil.rmtree(batch["folder"], ignore_errors=True)


@pytest.fixture(scope="module")
def folder_as_user(unprivileged_user: pwd.struct_passwd) -> Iterator[dict]:
    batch = grade_class("folder", unprivileged_user)
    yield batch
    shutil.rmtree(batch["folder"], ignore_errors=True)


def check_rows(batch: dict) -> None:
    """One row per student, honest grades for the honest, each attacker's status and audit line."""
    run = batch["run"]
    assert run.returncode == 0, run.stderr[-3000:]
    grades, audit = rows(batch["out"] / "grades.csv"), rows(batch["out"] / "audit.csv")
    kinds: dict[str, Expect] = batch["kinds"]
    assert sorted(grades) == sorted(kinds)
    assert (grades["ann"]["score"], grades["ann"]["status"]) == ("5", "ok")
    assert (grades["ben"]["score"], grades["ben"]["status"]) == ("3", "ok")
    assert "ann" not in audit and "ben" not in audit
    wrong = []
    for student, expect in kinds.items():
        row = grades[student]
        if expect.status != "*" and row["status"] != expect.status:
            wrong.append(
                f"{student} ({expect.kind}): status {row['status']!r}, expected {expect.status!r}: {row['message']}"
            )
        if float(row["score"]) > expect.max_score:
            wrong.append(f"{student} ({expect.kind}): score {row['score']} above {expect.max_score}")
        if expect.flag and (
            student not in audit or (expect.flag != "*" and expect.flag not in audit[student]["flags"])
        ):
            wrong.append(f"{student} ({expect.kind}): no {expect.flag!r} audit line: {audit.get(student)}")
    assert not wrong, "\n".join(wrong)


def check_nothing_leaked(batch: dict) -> None:
    """Submissions and course unchanged, no file escaped the sandbox, no secret in any output,
    the worker logs untouched by kernels, the listing escaped."""
    assert batch["after"] == batch["before"], "grading changed a submission or the course"
    run, folder, workspace = batch["run"], batch["folder"], batch["workspace"]
    assert workspace is not None, "the kept grading workspace is missing"
    assert "\x1b" not in run.stdout and "\x07" not in run.stdout
    for path in folder.rglob("*"):
        if not path.is_file() or path.is_symlink() or path.stat().st_size > 32 * 2**20:
            continue
        data = path.read_bytes()
        assert SECRET.encode() not in data and CLOUD_KEY.encode() not in data, f"a secret reached {path}"
    logs = list(workspace.glob("worker-*.log"))
    assert logs and not any(MARKER.encode() in log.read_bytes() for log in logs), (
        "a kernel wrote the worker log"
    )
    escaped = [p for p in folder.rglob(f"*{MARKER}*")]
    allowed = Limits().file_bytes
    for path in escaped:
        # As an unprivileged instructor, the kernel is that user: it can create a file in its
        # sockets' folder (not closed after start), but only up to the file-size limit.
        assert batch["user"] is not None and path.name == f"{MARKER}-private", f"{path} escaped the sandbox"
        assert path.stat().st_size <= allowed
    assert not list(Path("/tmp").glob(f"{MARKER}*"))
    links = [p for p in Path("/tmp").glob("gdlab-k-*") if str(folder) in os.readlink(p / "p")]
    assert not links, f"socket paths left behind: {links}"
    graded = graded_notebook(batch, "disk_fill")
    assert "No space left on device" in graded.read_text(), "the working folder is not size-capped"
    assert "/proc/1/environ" in graded_notebook(batch, "environ").read_text()


def graded_notebook(batch: dict, student: str) -> Path:
    """``student``'s notebook as graded, in the kept grading workspace (with its outputs)."""
    student_workspace = batch["workspace"] / ASSIGNMENT / "students" / student
    return student_workspace / "autograded" / student / ASSIGNMENT / NOTEBOOK


@pytest.mark.slow
def test_a_hostile_class_folder_grades_to_completion_as_root(folder_as_root: dict) -> None:
    check_rows(folder_as_root)
    check_nothing_leaked(folder_as_root)
    assert "Permission denied" in graded_notebook(folder_as_root, "private_dir").read_text()
    assert "eve\\x0a" in folder_as_root["run"].stdout


@pytest.mark.slow
def test_a_hostile_class_folder_grades_to_completion_as_an_unprivileged_instructor(
    folder_as_user: dict,
) -> None:
    check_rows(folder_as_user)
    check_nothing_leaked(folder_as_user)
    text = graded_notebook(folder_as_user, "environ").read_text()
    assert "GDLAB_GRADING_SECRET" not in text and "AWS_SECRET_ACCESS_KEY" not in text
    assert "JPY_PARENT_PID" in text or "PATH=" in text, (
        "the kernel could not read /proc/1/environ: nothing tested"
    )


@pytest.mark.slow
def test_a_hostile_lms_zip_grades_to_completion(zip_as_root: dict) -> None:
    check_rows(zip_as_root)
    assert zip_as_root["after"] == zip_as_root["before"]
    assert "ignored in the archive: grades_export.csv.gz" in zip_as_root["run"].stdout
    assert not list(zip_as_root["folder"].parent.glob("evil_1006*")) and not list(
        Path("/").glob("evil_1006*")
    )
    feedback = zip_as_root["out"] / "feedback"
    assert sorted(p.name for p in feedback.iterdir()) == ["ann", "ben", "kim"]


def test_write_submission_helper_still_matches(tmp_path: Path) -> None:
    """The toy helper writes where read_submission looks (guards the two fast tests above)."""
    write_submission(tmp_path, "kim", submission())
    assert read_submission(tmp_path, ["kim", ASSIGNMENT, NOTEBOOK]).notebook is not None
