"""Trusted use of the probes: each student's secret seed, and what a disagreement costs."""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from gdlab_autograde.probe_schema import MALFORMED, is_malformed
from gdlab_autograde.probes import verdicts
from gdlab_autograde.results import Result

SECRET_VARIABLE = "GDLAB_GRADING_SECRET"


def apply_probes(result: Result, reference: dict) -> list[str]:
    """Take the points of every test cell whose trusted probe disagrees with the solution's on the
    student's own inputs; return the names of those cells."""
    answers = verdicts(result.probes, reference)
    lost = []
    for grade in result.grades:
        name = grade["name"]
        if grade["kind"] != "code" or name not in answers or answers[name]:
            continue
        if (grade["auto_score"] or 0) > 0:
            grade["auto_score"] = 0
            lost.append(name)
            got = result.probes.get(name) if isinstance(result.probes, dict) else None
            if is_malformed(got):
                result.flag("tamper attempt", f"{name}: {MALFORMED} ({got[MALFORMED]}); no points")
            else:
                result.flag(
                    "tamper attempt",
                    f"{name} passed in the notebook, but the grader's own check on unseen inputs failed (no points)",
                )
            result.message = "; ".join(
                filter(None, [result.message, f"{name}: failed the grader's own check"])
            )
    return lost


def grading_secret() -> str:
    """The per-instructor secret the probe seeds derive from: ``$GDLAB_GRADING_SECRET``, or a random
    one kept in ``~/.local/share/gdlab/grading-secret`` (created on first use, mode 0600)."""
    secret = os.environ.get(SECRET_VARIABLE)
    if secret:
        return secret
    path = (
        Path(os.environ.get("XDG_DATA_HOME", Path.home() / ".local" / "share")) / "gdlab" / "grading-secret"
    )
    if not path.is_file():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(secrets.token_hex(32))
    return path.read_text().strip()


def probe_seed(secret: str, assignment: str, student_id: str) -> int:
    """A student's probe seed: HMAC(secret, assignment, student id). Stable across runs (a re-run
    gives the same grades), different per student, and not derivable without the secret."""
    message = f"{assignment}\0{student_id}".encode()
    digest = hmac.new(secret.encode(), message, hashlib.sha256).digest()
    return int.from_bytes(digest[:7], "big")


@contextmanager
def secret_kept_from_children() -> Iterator[str]:
    """The grading secret, with ``$GDLAB_GRADING_SECRET`` out of the environment meanwhile, so that no
    worker, sandbox or kernel started in the block inherits it (they only ever get seeds)."""
    secret = grading_secret()
    saved = os.environ.pop(SECRET_VARIABLE, None)
    try:
        yield secret
    finally:
        if saved is not None:
            os.environ[SECRET_VARIABLE] = saved
