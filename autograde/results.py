"""One student's grading result and the CSV reports made from results (grades.csv, audit.csv).

Every CSV gdlab writes goes through :func:`write_csv`, which escapes cells a
spreadsheet would run as a formula (OWASP "CSV injection": a leading ``=``, ``+``,
``-``, ``@``, tab or carriage return gets a leading ``'``); numbers stay numbers.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

CSV_COLUMNS = [
    "student_id",
    "assignment",
    "score",
    "max_score",
    "manual_max_score",
    "manual_score",
    "manual_complete",
    "review",
    "status",
    "message",
]
AUDIT_COLUMNS = ["student_id", "assignment", "flags", "what happened"]
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass
class Result:
    """The outcome of grading one student's submission."""

    student_id: str
    assignment: str
    status: str = "ok"
    message: str = ""
    grades: list[dict] = field(default_factory=list)
    probes: dict = field(default_factory=dict)
    flags: dict[str, list[str]] = field(default_factory=dict)
    workspace: Path | None = None
    #: seconds each step of grading this submission took (see gdlab_autograde.timings)
    timings: dict[str, float] = field(default_factory=dict)
    # Filled from the master gradebook after it is written (manual grades survive re-grading).
    manual_score: float = 0.0
    manual_complete: bool = False
    review: list[str] = field(default_factory=list)

    def flag(self, kind: str, detail: str) -> None:
        """Record a finding for the audit report."""
        self.flags.setdefault(kind, [])
        if detail not in self.flags[kind]:
            self.flags[kind].append(detail)

    @property
    def score(self) -> float:
        """Points earned in the auto-graded cells."""
        return sum(g["auto_score"] or 0 for g in self.grades if g["kind"] == "code")

    @property
    def max_score(self) -> float:
        """Points the auto-graded cells are worth."""
        return sum(g["max_score"] for g in self.grades if g["kind"] == "code")

    @property
    def manual_max_score(self) -> float:
        """Points left for grading by hand (written answers)."""
        return sum(g["max_score"] for g in self.grades if g["kind"] != "code")

    def row(self) -> dict:
        """The grades.csv row."""
        return {
            "student_id": self.student_id,
            "assignment": self.assignment,
            "score": number(self.score),
            "max_score": number(self.max_score),
            "manual_max_score": number(self.manual_max_score),
            "manual_score": number(self.manual_score),
            "manual_complete": "yes" if self.manual_complete else "no",
            "review": "; ".join(self.review),
            "status": self.status,
            "message": self.message,
        }


def number(value: float) -> str:
    """A score as CSV text: ``5``, ``2.5``."""
    return f"{value:g}"


def spreadsheet_safe(value: object) -> object:
    """``value``, with a leading ``'`` if a spreadsheet would read it as a formula (OWASP)."""
    if not isinstance(value, str) or not value.startswith(FORMULA_STARTS):
        return value
    try:
        float(value)
        return value  # a negative number is data, not a formula
    except ValueError:
        return "'" + value


def write_csv(path: Path, columns: list[str], rows: list[dict]) -> None:
    """Write ``rows`` to ``path`` atomically, every cell escaped against formula injection."""
    tmp = path.with_name(path.name + ".tmp")
    with tmp.open("w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=columns, extrasaction="ignore")
        writer.writeheader()
        writer.writerows({k: spreadsheet_safe(v) for k, v in row.items()} for row in rows)
    tmp.replace(path)


def write_grades_csv(path: Path, results: list[Result], assignment: str) -> None:
    """Write grades.csv, keeping the rows of other assignments already there."""
    merge_csv(path, CSV_COLUMNS, [r.row() for r in results], assignment)


def write_audit_csv(path: Path, results: list[Result], assignment: str) -> None:
    """Write audit.csv: a line per flagged student, keeping the lines of other assignments."""
    rows = [
        {
            "student_id": r.student_id,
            "assignment": r.assignment,
            "flags": ", ".join(sorted(r.flags)),
            "what happened": "; ".join(
                f"{kind}: {' / '.join(details)}" for kind, details in sorted(r.flags.items())
            ),
        }
        for r in results
        if r.flags
    ]
    merge_csv(path, AUDIT_COLUMNS, rows, assignment)


def merge_csv(path: Path, columns: list[str], rows: list[dict], assignment: str) -> None:
    """Write ``rows`` to ``path``, replacing the rows of ``assignment`` and keeping the others."""
    kept = []
    if path.is_file():
        with path.open(newline="") as f:
            kept = [r for r in csv.DictReader(f) if r.get("assignment") != assignment]
    merged = sorted(kept + rows, key=lambda r: (r["assignment"], r["student_id"]))
    write_csv(path, columns, merged)
