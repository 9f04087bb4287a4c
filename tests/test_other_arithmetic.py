"""The lessons' facts and the self-check's verdicts hold with another CPU's rounding too.

Notebook 02 once stated a fact that only this machine's rounding made true: numpy's AVX-512 exp and
log round differently from its baseline ones, and OpenBLAS picks its kernels by CPU. Students run
the notebooks on every kind of laptop, so the facts tests, the checks and the mutant tests run again
here with numpy's baseline SIMD paths and, on x86-64, an older OpenBLAS kernel family.
"""

from __future__ import annotations

import os
import platform
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[1]
ARITHMETIC_SENSITIVE_TESTS = [
    *sorted(str(p.relative_to(ROOT)) for p in (ROOT / "tests").glob("test_facts_*.py")),
    "tests/test_checks.py",
    "tests/test_mutants.py",
]


def other_arithmetic_environment() -> dict[str, str]:
    """This environment, with numpy held to its baseline SIMD code and OpenBLAS to Sandybridge's
    kernels (x86-64 only: core types are per architecture): the arithmetic of an older laptop."""
    simd = np.show_config(mode="dicts")["SIMD Extensions"]
    env = {**os.environ, "NPY_DISABLE_CPU_FEATURES": " ".join(simd.get("found", []))}
    if platform.machine().lower() in ("x86_64", "amd64"):
        env["OPENBLAS_CORETYPE"] = "Sandybridge"
    return env


@pytest.mark.slow
def test_lesson_facts_and_checks_hold_with_other_rounding() -> None:
    """Every facts, checks and mutants test passes again in a pytest run with the other arithmetic."""
    env = other_arithmetic_environment()
    run = subprocess.run(
        # Full MNIST is left out: its test is about the training time, and it already runs.
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-m", "not fulldata"]
        + ARITHMETIC_SENSITIVE_TESTS,
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    changed = f"NPY_DISABLE_CPU_FEATURES={env['NPY_DISABLE_CPU_FEATURES']!r}, OPENBLAS_CORETYPE={env.get('OPENBLAS_CORETYPE')!r}"
    assert run.returncode == 0, f"with {changed}:\n{run.stdout[-6000:]}\n{run.stderr[-2000:]}"
    assert " passed" in run.stdout and " failed" not in run.stdout, run.stdout[-2000:]
