"""Trusted probes: the grade of a test cell is capped by answers checked outside the sandbox.

A submission's code runs in the same process as its test cells, so it can make a
test cell pass without computing anything (reassign ``numpy.allclose``, a builtin,
a check helper, an IPython hook ...). A probe closes that door: after the notebook
has run, the probe calls the student's functions on inputs drawn from a secret
seed (one per student, never seen by a kernel before the notebook has run) and
returns plain numbers; the trusted side runs the same probe with the same seed on
the solution and compares the two with its own, untouched numpy. A test cell
whose probe disagrees scores 0, whatever the cell itself reported.

``autograde/probes/nb<assignment>.py`` defines ``PROBES``: test-cell grade_id ->
``probe(ns, rng)``, where ``ns`` is (a copy of) the notebook's globals right after
that test cell, and ``rng`` a
``numpy.random.Generator``. A probe returns numbers, strings, bools, ``None``,
arrays, or lists/tuples/dicts of them. Use :func:`outcome` to record a call that
may raise (an exception becomes its class name). It may also define
``DESCRIPTIONS``: grade_id -> what the probe checks, in a sentence for the student
(shown in the feedback when the probe disagrees).
"""

from __future__ import annotations

import importlib
import math
from collections.abc import Callable
from typing import Any

import numpy as np

Probe = Callable[[dict, np.random.Generator], Any]
#: the deepest nesting a probe result may have (the trusted side refuses deeper ones)
MAX_DEPTH = 20


def outcome(call: Callable[[], Any]) -> Any:
    """The value ``call()`` returns, or ``{"raises": <exception class name>}``."""
    try:
        return call()
    except Exception as error:  # noqa: BLE001 - the kind of failure is the observation
        return {"raises": type(error).__name__}


def probes_of(assignment: str) -> dict[str, Probe]:
    """The probes of an assignment (empty when it has none)."""
    try:
        module = importlib.import_module(f"gdlab_autograde.probes.nb{assignment}")
    except ModuleNotFoundError:
        return {}
    return dict(module.PROBES)


def to_plain(value: Any, depth: int = 0) -> Any:
    """Turn a probe's result into JSON-safe plain data; unknown objects become their type name.

    Arrays become ``{"array": flat list, "shape": [...], "kind": dtype kind}``; non-finite floats are kept
    as the strings "nan", "inf", "-inf".
    """
    if depth > MAX_DEPTH - 2:
        return "<too deep>"
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, (int, np.integer)) and not isinstance(value, (bool, np.bool_)):
        return int(value)
    if isinstance(value, np.bool_):
        return bool(value)
    if isinstance(value, (float, np.floating)):
        number = float(value)
        return number if math.isfinite(number) else str(number)
    if isinstance(value, np.ndarray):
        if value.dtype.kind not in "biuf" or value.size > 100_000:
            return f"<array {value.dtype} {value.shape}>"
        as_float = value.astype(float)
        return {
            "array": [x if math.isfinite(x) else str(x) for x in as_float.ravel().tolist()],
            "shape": list(value.shape),
            "kind": value.dtype.kind,
        }
    if isinstance(value, dict):
        return {str(k): to_plain(v, depth + 1) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_plain(v, depth + 1) for v in value]
    return f"<{type(value).__name__}>"


def run_probe(probe: Probe, grade_id: str, namespace: dict, seed: int) -> Any:
    """Run one probe with the generator of (seed, grade_id); a probe that raises records
    ``{"probe error": <exception class name>}``."""
    rng = np.random.default_rng([seed, _stable_hash(grade_id)])
    try:
        return to_plain(probe(namespace, rng))
    except BaseException as error:  # noqa: BLE001 - a student's code may raise anything
        return {"probe error": type(error).__name__}


def run_probes(assignment: str, namespace: dict, seed: int) -> dict[str, Any]:
    """Run every probe of ``assignment`` on ``namespace``; grade_id -> plain result."""
    return {
        grade_id: run_probe(probe, grade_id, namespace, seed)
        for grade_id, probe in probes_of(assignment).items()
    }


#: the output type a probe displays its result as (phase 2 only; see gdlab_autograde.execute)
PROBE_MIME = "application/x-gdlab-probe+json"

# Kernel side. The grader takes a shallow snapshot of the notebook's globals after each
# test cell (phase 1) and runs the hidden checks and probes in it at the end (phase 2).
_SNAPSHOTS: dict[int, dict] = {}


def snapshot(key: int, namespace: dict) -> None:
    """Keep a shallow copy of ``namespace`` (the notebook's globals right after a test cell)."""
    _SNAPSHOTS[key] = dict(namespace)


def run_check(key: int, code: str) -> None:
    """Run one group of hidden checks in a fresh copy of snapshot ``key``; raises when a check fails."""
    exec(compile(code, "<hidden check>", "exec"), dict(_SNAPSHOTS[key]))  # noqa: S102 - the grader's own code


def emit(assignment: str, grade_id: str, seed: int, key: int) -> None:
    """Run one probe in a copy of snapshot ``key`` and display its result for the trusted side."""
    from IPython.display import display

    probe = probes_of(assignment).get(grade_id)
    namespace = dict(_SNAPSHOTS.get(key, {}))
    result = run_probe(probe, grade_id, namespace, seed) if probe else {"probe error": "no probe"}
    display({PROBE_MIME: {"result": result}}, raw=True)


def _stable_hash(text: str) -> int:
    return int.from_bytes(text.encode()[:8].ljust(8, b"\0"), "little") ^ len(text)


def agree(student: Any, reference: Any, rtol: float = 1e-6, atol: float = 1e-9) -> bool:
    """Whether a student's plain probe result matches the reference's; never raises (anything
    that cannot be compared disagrees)."""
    try:
        return _agree(student, reference, rtol, atol)
    except (ArithmeticError, TypeError, ValueError, KeyError, RecursionError, MemoryError):
        return False


def _agree(student: Any, reference: Any, rtol: float, atol: float) -> bool:
    if isinstance(reference, dict) and set(reference) == ARRAY_KEYS:
        if not (isinstance(student, dict) and set(student) == ARRAY_KEYS):
            return False
        if student["shape"] != reference["shape"]:
            return False
        got = np.array([float(x) for x in student["array"]], dtype=float)
        want = np.array([float(x) for x in reference["array"]], dtype=float)
        return got.shape == want.shape and bool(np.allclose(got, want, rtol=rtol, atol=atol, equal_nan=True))
    if isinstance(reference, dict):
        return (
            isinstance(student, dict)
            and student.keys() == reference.keys()
            and all(_agree(student[k], reference[k], rtol, atol) for k in reference)
        )
    if isinstance(reference, list):
        return (
            isinstance(student, list)
            and len(student) == len(reference)
            and all(_agree(s, r, rtol, atol) for s, r in zip(student, reference, strict=True))
        )
    if _is_number(reference) and _is_number(student):
        return math.isclose(float(student), float(reference), rel_tol=rtol, abs_tol=atol)
    return type(student) is type(reference) and student == reference


#: the keys of an array in a plain probe result (see :func:`to_plain`)
ARRAY_KEYS = {"array", "shape", "kind"}


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def verdicts(student: Any, reference: dict[str, Any]) -> dict[str, bool]:
    """grade_id -> whether the student's probe agrees with the reference's (``student`` may be anything)."""
    if not isinstance(student, dict):
        student = {}
    return {
        grade_id: grade_id in student and agree(student[grade_id], ref) for grade_id, ref in reference.items()
    }


def descriptions_of(assignment: str) -> dict[str, str]:
    """The student-facing descriptions of an assignment's probes (``DESCRIPTIONS``; may be empty)."""
    try:
        module = importlib.import_module(f"gdlab_autograde.probes.nb{assignment}")
    except ModuleNotFoundError:
        return {}
    return {str(k): str(v) for k, v in getattr(module, "DESCRIPTIONS", {}).items()}
