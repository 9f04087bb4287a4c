"""Intake of the zip an LMS exports, with nbgrader's ``zip_collect`` naming conventions.

The archive's notebooks are named after their students (Canvas:
``smithjane_12345_67890_01_loss_functions.ipynb``); a regular expression with a
``student_id`` group, applied to each entry's file name by nbgrader's
``FileNameCollectorPlugin``, says whose a notebook is. The result is a folder in
the layout ``gdlab grade`` reads: ``<student_id>/<ASSIGNMENT>/<ASSIGNMENT>.ipynb``.

The extraction itself is done here with :mod:`zipfile`, not by nbgrader's
extractor, because the archive's contents come from students: nothing is written
under an entry's own name (so no path can leave the folder), an entry is read
only up to what it may hold, and the bytes actually unpacked, the entries and the
nesting are limited while reading. An archive inside the LMS zip belongs to the
student its own (outer) name says, whatever the names inside it: a notebook is
attributed only by the LMS's naming. Whatever is wrong with one student's entries
becomes that student's status; only an archive that cannot be read at all, or
that unpacks past the limits for the whole class, stops the grading.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import stat
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from nbgrader.plugins.zipcollect import FileNameCollectorPlugin
from traitlets import Unicode

from gdlab_autograde.course import CourseError
from gdlab_autograde.submission import MAX_NOTEBOOK_BYTES, printable, valid_student_id

DEFAULT_NAME_PATTERN = r"^(?P<student_id>[A-Za-z0-9][A-Za-z0-9.@+-]*)_"
MAX_UNPACKED_BYTES = 2 * 1024**3  # read from the whole archive, nested archives included
MAX_ENTRIES = 20_000  # in the whole archive, nested archives included
MAX_STUDENT_BYTES = 64 * 1024**2  # unpacked from one student's entries
MAX_STUDENT_ENTRIES = 200  # in one student's nested archives
MAX_NESTED_ARCHIVE_BYTES = 32 * 1024**2  # one archive inside the LMS zip, as stored
MAX_DEPTH = 2  # the LMS zip, and one archive inside it holding the notebook


class StudentFileCollector(FileNameCollectorPlugin):
    """Match ``named_regexp`` against a file's name (not its path); every notebook is the assignment's."""

    assignment = Unicode("", help="the assignment every collected notebook belongs to").tag(config=True)

    def collect(self, submitted_file: str) -> dict | None:
        """The student id (``None``: not a submission) and the notebook name for an entry's path."""
        if os.path.splitext(submitted_file)[1].lower() not in self.valid_ext:
            return None
        match = re.match(self.named_regexp, os.path.basename(submitted_file))
        if not match or "student_id" not in match.groupdict():
            return None
        return {"student_id": match.group("student_id"), "file_id": f"{self.assignment}.ipynb"}


class Refused(Exception):
    """One student's entry cannot be used (its student gets this as their status message)."""


class ClassLimit(Exception):
    """The archive as a whole unpacks past the limits."""


@dataclass
class Budget:
    """What may still be unpacked: bytes and entries."""

    bytes_left: int
    entries_left: int
    what: str
    error: type[Exception] = Refused

    def take(self, size: int = 0, entries: int = 0) -> None:
        """Spend ``size`` bytes and ``entries`` entries, or raise when past the limit."""
        self.bytes_left -= size
        self.entries_left -= entries
        if self.bytes_left < 0:
            raise self.error(f"{self.what} unpacks to more than its limit of bytes (a zip bomb?)")
        if self.entries_left < 0:
            raise self.error(f"{self.what} has more entries than its limit (a zip bomb?)")


@dataclass
class Intake:
    """The folder of collected submissions, what is wrong with whose, and what was left out."""

    folder: Path
    problems: dict[str, tuple[str, str]] = field(default_factory=dict)  # student id -> (status, message)
    ignored: list[str] = field(default_factory=list)  # entries that are nobody's notebook
    notes: dict[str, list[str]] = field(default_factory=dict)  # student id -> findings for the audit


def collect_zip(
    root: Path, assignment: str, archive: Path, workdir: Path, name_pattern: str | None = None
) -> Intake:
    """Unpack an LMS archive into ``workdir/zipcollect/submitted``; see the module docstring."""
    pattern = name_pattern or DEFAULT_NAME_PATTERN
    try:
        re.compile(pattern)
    except re.error as error:
        raise CourseError(f"--name-pattern {pattern!r} is not a regular expression: {error}") from error
    if "(?P<student_id>" not in pattern:
        raise CourseError("--name-pattern needs a (?P<student_id>...) group")
    collector = StudentFileCollector(
        named_regexp=pattern, assignment=assignment, valid_ext=[".ipynb", ".zip"]
    )
    intake = Intake(workdir / "zipcollect" / "submitted")
    found: dict[str, list[tuple[str, bytes]]] = {}
    whole = Budget(MAX_UNPACKED_BYTES, MAX_ENTRIES, f"{archive.name}", ClassLimit)
    try:
        with zipfile.ZipFile(archive) as outer:
            entries = outer.infolist()
            whole.take(entries=len(entries))
            for info in entries:
                _collect_entry(outer, info, collector, whole, found, intake)
    except (OSError, zipfile.BadZipFile, zlib.error, EOFError) as error:
        raise CourseError(f"{archive} is not a readable zip archive: {error}") from error
    except ClassLimit as error:
        raise CourseError(f"{error}: refusing to unpack it") from error
    if not found and not intake.problems:
        raise CourseError(f"no notebook in {archive} has a file name matching {pattern!r}")
    for student, notebooks in found.items():
        distinct = {hashlib.sha256(data).hexdigest(): (name, data) for name, data in notebooks}
        if len(distinct) > 1:
            names = ", ".join(printable(name) for name, _ in notebooks)
            intake.problems[student] = (
                "ambiguous submission",
                f"{len(distinct)} different notebooks: {names}",
            )
            continue
        if student in intake.problems:
            continue
        ((_, data),) = distinct.values()
        target = intake.folder / student / assignment
        target.mkdir(parents=True)
        (target / f"{assignment}.ipynb").write_bytes(data)
    intake.folder.mkdir(parents=True, exist_ok=True)
    return intake


def _collect_entry(
    outer: zipfile.ZipFile,
    info: zipfile.ZipInfo,
    collector: StudentFileCollector,
    whole: Budget,
    found: dict[str, list[tuple[str, bytes]]],
    intake: Intake,
) -> None:
    """Attribute one entry of the LMS zip by its own name and read its notebook(s) into ``found``."""
    if info.is_dir():
        return
    shown = printable(info.filename)
    claim = collector.collect(info.filename)
    if claim is None:
        intake.ignored.append(f"{shown} (not a notebook or archive named after a student)")
        return
    student = claim["student_id"]
    if not valid_student_id(student):
        intake.problems[printable(student)] = ("invalid student id", f"entry {shown}: not a valid student id")
        return
    budget = Budget(MAX_STUDENT_BYTES, MAX_STUDENT_ENTRIES, f"{shown}")
    try:
        _check_entry(info)
        if info.filename.lower().endswith(".zip"):
            data = _read_entry(outer, info, MAX_NESTED_ARCHIVE_BYTES, budget, whole)
            notebooks = list(_nested_notebooks(info.filename, data, 2, budget, whole))
            if not notebooks:
                raise Refused(f"{shown} holds no notebook")
        else:
            notebooks = [(info.filename, _read_entry(outer, info, MAX_NOTEBOOK_BYTES, budget, whole))]
    except Refused as error:
        previous = intake.problems.get(student, ("", ""))[1]
        intake.problems[student] = ("refused submission", "; ".join(filter(None, [previous, str(error)])))
        return
    for where, _ in notebooks:
        named = collector.collect(where.rsplit("!", 1)[-1]) if "!" in where else None
        if named and named["student_id"] != student:
            intake.notes.setdefault(student, []).append(
                f"{printable(where)} is named for {printable(named['student_id'])}: attributed to {student}, "
                "whose entry holds it"
            )
    found.setdefault(student, []).extend(notebooks)


def _check_entry(info: zipfile.ZipInfo) -> None:
    """Refuse an entry whose path leaves the folder, or that is a link, device or FIFO, or encrypted."""
    path = PurePosixPath(info.filename.replace("\\", "/"))
    if path.is_absolute() or ".." in path.parts or re.match(r"^[A-Za-z]:", info.filename):
        raise Refused(f"entry {printable(info.filename)} has a path leaving the archive's folder")
    kind = stat.S_IFMT(info.external_attr >> 16)
    if info.create_system == 3 and kind not in (0, stat.S_IFREG):  # made on Unix: the mode is recorded
        what = "a symbolic link" if kind == stat.S_IFLNK else "not a regular file"
        raise Refused(f"entry {printable(info.filename)} is {what}")
    if info.flag_bits & 0x1:
        raise Refused(f"entry {printable(info.filename)} is encrypted")


def _read_entry(zf: zipfile.ZipFile, info: zipfile.ZipInfo, cap: int, *budgets: Budget) -> bytes:
    """The entry's bytes, counted against ``budgets`` as they are unpacked, at most ``cap`` of them."""
    chunks, size = [], 0
    try:
        with zf.open(info) as entry:
            while chunk := entry.read(1 << 20):
                size += len(chunk)
                for budget in budgets:
                    budget.take(len(chunk))
                if size > cap:
                    raise Refused(f"{printable(info.filename)} unpacks to more than {cap / 1e6:.0f} MB")
                chunks.append(chunk)
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError, ValueError) as error:
        raise Refused(
            f"{printable(info.filename)} cannot be unpacked: {printable(str(error))[:200]}"
        ) from error
    return b"".join(chunks)


def _nested_notebooks(name: str, data: bytes, depth: int, budget: Budget, whole: Budget):  # noqa: ANN202
    """Yield (path, bytes) of every notebook in the archive ``data``, whatever its name inside."""
    if depth > MAX_DEPTH:
        raise Refused(f"{printable(name)}: archives nested more than {MAX_DEPTH} deep")
    try:
        inner = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, EOFError) as error:
        raise Refused(f"{printable(name)} is not a zip archive ({error})") from error
    with inner:
        entries = inner.infolist()
        budget.take(entries=len(entries))
        whole.take(entries=len(entries))
        for info in entries:
            if info.is_dir():
                continue
            _check_entry(info)
            lower = info.filename.lower()
            where = f"{name}!{info.filename}"
            if lower.endswith(".ipynb"):
                yield where, _read_entry(inner, info, MAX_NOTEBOOK_BYTES, budget, whole)
            elif lower.endswith(".zip"):
                nested = _read_entry(inner, info, MAX_NESTED_ARCHIVE_BYTES, budget, whole)
                yield from _nested_notebooks(where, nested, depth + 1, budget, whole)
