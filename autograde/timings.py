"""Where a grading run's time goes: ``OUT/timings/<assignment>.json``, read by ``benchmarks/grading.py``.

Per submission (``Result.timings``, seconds): ``prepare`` (its workspace, on the
trusted side), ``hand-off`` (the round trips to the worker that are not the
worker's own work: protocol, job and result files, a restarted worker's imports),
``kernel start`` (the sandbox and the kernel, until it answers), ``cells`` (the
notebook as the student has it), ``hidden checks and probes`` (phase 2), ``kernel
shutdown``, ``nbgrader autograde`` (nbgrader's own work around the execution:
its application, restoring cells, saving the grades), ``reading grades`` and
``feedback`` (the student's HTML). Per run: ``template`` (generate_assignment, or
its cached result: then ``template cached`` is 1),
``gradebook``, ``graded notebooks`` (installed in the course directory, made safe
to view), ``feedback (wall)``, ``final grades`` and ``total``; the reference's own
timings, or ``cached`` when the solution was not graded this run.
"""

from __future__ import annotations

import json
from pathlib import Path

from gdlab_autograde.results import Result


def timings_path(out: Path, assignment: str) -> Path:
    """Where the timings of the last run of ``assignment`` are kept."""
    return out / "timings" / f"{assignment}.json"


def write_timings(out: Path, assignment: str, run: dict, reference: Result, results: list[Result]) -> Path:
    """Write the run's, the reference's and every submission's timings."""
    path = timings_path(out, assignment)
    path.parent.mkdir(parents=True, exist_ok=True)
    record = {
        "assignment": assignment,
        "run": run,
        "reference": reference.timings,
        "submissions": {r.student_id: r.timings for r in results},
    }
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(record, indent=1, sort_keys=True))
    tmp.replace(path)
    return path


def read_timings(out: Path, assignment: str) -> dict:
    """The timings :func:`write_timings` wrote for ``assignment``."""
    return json.loads(timings_path(out, assignment).read_text())
