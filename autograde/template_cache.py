"""The template of a grading run, cached per release: the released notebooks and the gradebook of
their cells, as nbgrader's ``generate_assignment`` makes them (:func:`gdlab_autograde.release.generate`).

Generating them costs 1-2 s per assignment and run (nbgrader's app, the gradebook's schema, the
release preprocessors), and they depend only on the solution folder, the grader's code and the
library versions (:func:`gdlab_autograde.reference.digest_solution_and_grader`). So they are
kept in ``OUT/.gdlab-cache/template/<assignment>/`` under a key made of all of these; a later
run with the same key copies them instead, and any change to one of them generates them again.
"""

from __future__ import annotations

import hashlib
import shutil
import uuid
from pathlib import Path

from gdlab_autograde.reference import digest_solution_and_grader
from gdlab_autograde.release import generate

CACHE_FOLDER = Path(".gdlab-cache") / "template"
GRADEBOOK = "gradebook.db"
KEY_FILE = "key"


def template_key(root: Path, assignment: str) -> str:
    """A digest of everything the released notebooks and the template gradebook depend on."""
    digest = hashlib.sha256(b"gdlab template v1\0")
    digest_solution_and_grader(digest, root, assignment)
    return digest.hexdigest()


def template(root: Path, assignment: str, out: Path, workdir: Path) -> tuple[Path, Path, bool]:
    """The released folder and the template gradebook of ``assignment``, in ``workdir``, and
    whether they came from the cache.

    Copied from ``out``'s cache when its key is this release's, else generated (as
    :func:`generate` does, with its checks) and then kept in the cache.
    """
    key = template_key(root, assignment)
    cached = out / CACHE_FOLDER / assignment
    released = workdir / "notebooks" / assignment
    if _read_key(cached) == key and (cached / GRADEBOOK).is_file() and (cached / "notebooks").is_dir():
        shutil.copytree(cached / "notebooks", released)
        shutil.copy(cached / GRADEBOOK, workdir / GRADEBOOK)
        return released, workdir / GRADEBOOK, True
    released, gradebook = generate(root, assignment, workdir)
    _store(cached, key, released, gradebook)
    return released, gradebook, False


def _read_key(cached: Path) -> str | None:
    try:
        return (cached / KEY_FILE).read_text().strip()
    except OSError:
        return None


def _store(cached: Path, key: str, released: Path, gradebook: Path) -> None:
    """Replace the cached template with this one: staged beside it, then moved in place, the key last
    written, so a half-written cache is never taken for a whole one."""
    staging = cached.with_name(f".{cached.name}.{uuid.uuid4().hex}")
    shutil.copytree(released, staging / "notebooks")
    shutil.copy(gradebook, staging / GRADEBOOK)
    (staging / KEY_FILE).write_text(key)
    shutil.rmtree(cached, ignore_errors=True)
    staging.rename(cached)
