"""How the tests call `gdlab grade` on machines without the grading sandbox (e.g. macOS).

Where bubblewrap works (Linux, and CI, which installs it) every grading test runs inside
the sandbox. Elsewhere the pipeline tests still run, with --unsafe-no-sandbox, and the
hostile-submission test is skipped with this reason (it only means something in a sandbox).
"""

from __future__ import annotations

from gdlab_autograde.sandbox import unavailable_reason

SANDBOX_MISSING = unavailable_reason()
GRADE_FLAGS = ["--unsafe-no-sandbox"] if SANDBOX_MISSING else []
