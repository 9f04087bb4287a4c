"""Intake of the zip an LMS exports, through nbgrader's ``zip_collect``.

The archive's notebooks are named after their students (Canvas:
``smithjane_12345_67890_01_loss_functions.ipynb``); a regular expression with a
``student_id`` group, applied to each file's name, says whose a notebook is. The
result is a folder in the layout ``gdlab grade`` reads:
``<student_id>/<ASSIGNMENT>/<ASSIGNMENT>.ipynb``.
"""

from __future__ import annotations

import os
import re
import shutil
import zipfile
from pathlib import Path

from nbgrader.plugins.zipcollect import FileNameCollectorPlugin
from traitlets import Unicode

from gdlab_autograde.course import CourseError, keep_cwd, load_config, prepare_environment

DEFAULT_NAME_PATTERN = r"^(?P<student_id>[A-Za-z0-9][A-Za-z0-9.@+-]*)_"
MAX_UNPACKED_BYTES = 4 * 1024**3


class StudentFileCollector(FileNameCollectorPlugin):
    """Match ``named_regexp`` against a file's name (not its path); every notebook is the assignment's."""

    assignment = Unicode("", help="the assignment every collected notebook belongs to").tag(config=True)

    def collect(self, submitted_file: str) -> dict | None:
        if os.path.splitext(submitted_file)[1] not in self.valid_ext:
            return None
        match = re.match(self.named_regexp, os.path.basename(submitted_file))
        if not match or "student_id" not in match.groupdict():
            self.log.warning("no student id in the file name %s", os.path.basename(submitted_file))
            return None
        return {"student_id": match.group("student_id"), "file_id": f"{self.assignment}.ipynb"}


def collect_zip(
    root: Path, assignment: str, archive: Path, workdir: Path, name_pattern: str | None = None
) -> Path:
    """Unpack an LMS archive with ``zip_collect``; return the submissions folder it made."""
    from nbgrader.apps import ZipCollectApp

    pattern = name_pattern or DEFAULT_NAME_PATTERN
    try:
        re.compile(pattern)
    except re.error as error:
        raise CourseError(f"--name-pattern {pattern!r} is not a regular expression: {error}") from error
    if "(?P<student_id>" not in pattern:
        raise CourseError("--name-pattern needs a (?P<student_id>...) group")
    try:
        with zipfile.ZipFile(archive) as zf:
            unpacked = sum(info.file_size for info in zf.infolist())
    except (OSError, zipfile.BadZipFile) as error:
        raise CourseError(f"{archive} is not a readable zip archive: {error}") from error
    if unpacked > MAX_UNPACKED_BYTES:
        raise CourseError(f"{archive} would unpack to {unpacked / 1e9:.1f} GB: refusing (a zip bomb?)")
    prepare_environment()
    course = workdir / "zipcollect"
    (course / "downloaded" / assignment / "archive").mkdir(parents=True)
    shutil.copy(archive, course / "downloaded" / assignment / "archive" / archive.name)
    released = root / "notebooks" / assignment
    if released.is_dir():
        shutil.copytree(released, course / "notebooks" / assignment)
    config = load_config(root=str(course), assignment_id=assignment)
    config.ZipCollectApp.collector_plugin = StudentFileCollector
    config.ZipCollectApp.force = True
    config.StudentFileCollector.named_regexp = pattern
    config.StudentFileCollector.assignment = assignment
    config.Application.log_level = "ERROR"
    with keep_cwd():
        os.chdir(course)
        app = ZipCollectApp(config=config)
        app.initialize([])
        app.start()
    submitted = course / "submitted"
    if not submitted.is_dir() or not any(submitted.iterdir()):
        raise CourseError(f"no notebook in {archive} has a file name matching {pattern!r}")
    return submitted
