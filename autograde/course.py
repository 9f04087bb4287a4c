"""Where the course lives and how nbgrader is configured for it.

nbgrader only reads ``nbgrader_config.py`` from the current directory; every
gdlab command loads ``autograde/nbgrader_config.py`` explicitly instead, so it
works from any directory.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator
from pathlib import Path

from traitlets.config import Config, PyFileConfigLoader

PACKAGE_DIR = Path(__file__).resolve().parent
CONFIG_FILE = PACKAGE_DIR / "nbgrader_config.py"


class CourseError(Exception):
    """A problem the instructor must fix before a command can run (shown without a traceback)."""


def course_root(explicit: str | os.PathLike | None = None) -> Path:
    """The course directory: ``explicit``, else ``$GDLAB_COURSE_DIR``, else the checkout gdlab runs from."""
    candidates = [explicit, os.environ.get("GDLAB_COURSE_DIR"), PACKAGE_DIR.parent]
    for candidate in candidates:
        if candidate and (Path(candidate) / "solutions").is_dir():
            return Path(candidate).resolve()
    raise CourseError(
        "cannot find the course: no solutions/ folder in "
        + ", ".join(str(c) for c in candidates if c)
        + " (pass --course-dir or set GDLAB_COURSE_DIR)"
    )


def assignments(root: Path) -> list[str]:
    """The assignment ids in ``solutions/``: folders holding a notebook of the same name."""
    return sorted(p.name for p in (root / "solutions").iterdir() if (p / f"{p.name}.ipynb").is_file())


def load_config(**course_directory: str) -> Config:
    """The course's nbgrader configuration with ``CourseDirectory`` settings on top."""
    config = PyFileConfigLoader(CONFIG_FILE.name, path=str(PACKAGE_DIR)).load_config()
    for name, value in course_directory.items():
        setattr(config.CourseDirectory, name, value)
    return config


def prepare_environment() -> None:
    """Put this Python's ``bin/`` first on PATH: nbgrader runs ``alembic`` to create a gradebook."""
    bin_dir = str(Path(sys.executable).parent)
    path = os.environ.get("PATH", "")
    if path.split(os.pathsep)[0] != bin_dir:
        os.environ["PATH"] = bin_dir + os.pathsep + path


@contextlib.contextmanager
def keep_cwd() -> Iterator[None]:
    """Restore the working directory afterwards (nbgrader's converters change it)."""
    cwd = os.getcwd()
    try:
        yield
    finally:
        os.chdir(cwd)
