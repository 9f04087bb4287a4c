"""The reference: the solution graded like a submission, cached per assignment and release.

The solution is graded once to check it earns every point, and its probe results
(one per student seed) are what each student's probes are compared with. Both
depend only on the release, the solution, the probes and the grader, so they are
kept in ``OUT/.gdlab-cache/reference/<assignment>.json`` under a key made of the
content of all of these (:func:`cache_key`). A later run with the same key reuses
them and grades the solution only for the seeds of students not seen before (or
not at all); any change to the solution, the release, the probes, the grader's
code, the libraries that compute the results or the grading limits gives a new
key, and the solution is graded again from scratch.
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import sys
from importlib import metadata
from pathlib import Path

from gdlab_autograde.course import CourseError
from gdlab_autograde.probe_schema import is_malformed
from gdlab_autograde.probes import probes_of
from gdlab_autograde.results import Result

PACKAGE = Path(__file__).resolve().parent
LIBRARIES = ["numpy", "nbgrader", "nbclient", "nbconvert", "nbformat", "ipykernel", "gdlab"]
CACHE_FOLDER = Path(".gdlab-cache") / "reference"


def _digest_files(digest: hashlib._Hash, files: list[Path], relative_to: Path) -> None:
    for path in sorted(files):
        digest.update(str(path.relative_to(relative_to)).encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())


def cache_key(root: Path, assignment: str, released: Path, settings: dict) -> str:
    """A digest of everything the solution's grading result depends on.

    The solution folder and the released notebook (their content, not their dates),
    the grader's own code (probes included), the gdlab helpers the
    notebooks import, the versions of Python and the libraries, and ``settings``
    (cell timeout, sandbox, limits).
    """
    digest = hashlib.sha256(b"gdlab reference v1\0")
    digest_solution_and_grader(digest, root, assignment)
    _digest_files(digest, [p for p in released.rglob("*.ipynb")], released)
    digest.update(json.dumps(settings, sort_keys=True).encode())
    return digest.hexdigest()


def digest_solution_and_grader(digest: hashlib._Hash, root: Path, assignment: str) -> None:
    """Add to ``digest`` the solution folder's files, the grader's code, the gdlab helpers and the
    versions of Python and the libraries (what every cached step of grading depends on)."""
    import gdlab

    solution = root / "solutions" / assignment
    _digest_files(
        digest, [p for p in solution.rglob("*") if p.is_file() and "__pycache__" not in p.parts], solution
    )
    # All of the grader's code and templates, probes included: a hand-kept list of the modules
    # that matter would miss the next one, and a needless regrade of the solution costs seconds.
    grader = [p for p in PACKAGE.rglob("*") if p.is_file() and "__pycache__" not in p.parts]
    _digest_files(digest, grader, PACKAGE)
    helpers = Path(gdlab.__file__).resolve().parent
    _digest_files(digest, list(helpers.glob("*.py")), helpers)
    versions = {name: _version(name) for name in LIBRARIES}
    versions["python"] = platform.python_version() + sys.implementation.name
    digest.update(json.dumps(versions, sort_keys=True).encode())


def _version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "none"


class ReferenceCache:
    """The cached reference of one assignment in a class's output folder."""

    def __init__(self, out: Path, assignment: str, key: str) -> None:
        self.path = out / CACHE_FOLDER / f"{assignment}.json"
        self.key = key
        self.grades: list[dict] = []
        self.probes_by_seed: dict[str, dict] = {}
        try:
            stored = json.loads(self.path.read_text())
        except (OSError, ValueError):
            return
        if isinstance(stored, dict) and stored.get("key") == key:
            self.grades = stored.get("grades") or []
            self.probes_by_seed = stored.get("probes_by_seed") or {}

    def missing_seeds(self, seeds: dict[str, int]) -> dict[str, int]:
        """The students (owner -> seed) whose probe results are not cached."""
        return {owner: seed for owner, seed in seeds.items() if str(seed) not in self.probes_by_seed}

    def usable_without_grading(self, seeds: dict[str, int]) -> bool:
        """Whether the solution need not be graded at all this run."""
        return bool(self.grades) and not self.missing_seeds(seeds)

    def result(self, assignment: str, seeds: dict[str, int]) -> Result:
        """The cached reference as a result, with the probe results of ``seeds``' owners."""
        result = Result("reference", assignment)
        result.grades = [dict(g) for g in self.grades]
        result.probes = {owner: self.probes_by_seed[str(seed)] for owner, seed in seeds.items()}
        return result

    def merge(self, graded: Result, seeds: dict[str, int]) -> Result:
        """``graded`` (the solution graded for some seeds) completed with the cached seeds."""
        probes = {
            owner: self.probes_by_seed[str(s)] for owner, s in seeds.items() if str(s) in self.probes_by_seed
        }
        graded.probes = {**probes, **graded.probes}
        return graded

    def store(self, reference: Result, seeds: dict[str, int]) -> None:
        """Keep a reference that passed :func:`check_reference` (private to the instructor: mode 0600)."""
        for owner, seed in seeds.items():
            if owner in reference.probes:
                self.probes_by_seed[str(seed)] = reference.probes[owner]
        self.grades = reference.grades
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_name(self.path.name + ".tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as f:
            json.dump({"key": self.key, "grades": self.grades, "probes_by_seed": self.probes_by_seed}, f)
        tmp.replace(self.path)


def check_reference(reference: Result, assignment: str, seeds: dict[str, int]) -> None:
    """The solution must earn every auto-graded point and pass every probe, or no grade can be trusted."""
    missing = [
        g["name"] for g in reference.grades if g["kind"] == "code" and (g["auto_score"] or 0) < g["max_score"]
    ]
    expected = set(probes_of(assignment))
    broken = sorted(
        {
            grade_id
            for owner in seeds
            for grade_id in expected
            if unusable(reference.probes.get(owner, {}).get(grade_id, {"probe error": "missing"}))
        }
    )
    if reference.status != "ok" or missing or broken or not reference.grades:
        raise CourseError(
            f"the solution of {assignment} does not pass its own grading "
            f"(status {reference.status}: {reference.message}; failed cells {missing}; failed probes {broken}); "
            "no grades were written"
        )


def unusable(reference_result: object) -> bool:
    """Whether the solution's own probe result is an error, so no student can be compared with it."""
    return isinstance(reference_result, dict) and (
        "probe error" in reference_result or is_malformed(reference_result)
    )
