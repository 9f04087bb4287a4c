"""Trusted use of the probes: the secret seed of their inputs and what a disagreement costs."""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from pathlib import Path

from gdlab_autograde.probes import verdicts
from gdlab_autograde.results import Result


def apply_probes(result: Result, reference: dict) -> None:
    """Take the points of every test cell whose trusted probe disagrees with the solution's."""
    answers = verdicts(result.probes, reference)
    for grade in result.grades:
        name = grade["name"]
        if grade["kind"] != "code" or name not in answers or answers[name]:
            continue
        if (grade["auto_score"] or 0) > 0:
            grade["auto_score"] = 0
            result.flag(
                "tamper attempt",
                f"{name} passed in the notebook, but the grader's own check on unseen inputs failed (no points)",
            )
            result.message = "; ".join(
                filter(None, [result.message, f"{name}: failed the grader's own check"])
            )


def probe_seed(assignment: str) -> int:
    """The secret seed of an assignment's probe inputs: stable across runs (grades are repeatable),
    derived from a per-instructor secret that students never see."""
    secret = os.environ.get("GDLAB_GRADING_SECRET")
    if not secret:
        path = (
            Path(os.environ.get("XDG_DATA_HOME", Path.home() / ".local" / "share"))
            / "gdlab"
            / "grading-secret"
        )
        if not path.is_file():
            path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w") as f:
                f.write(secrets.token_hex(32))
        secret = path.read_text().strip()
    digest = hmac.new(secret.encode(), assignment.encode(), hashlib.sha256).digest()
    return int.from_bytes(digest[:7], "big")
