"""Test-session settings: the course's data loader never touches the network or the user's cache,
and in CI no test may be skipped."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from collections.abc import Iterator

import pytest

# Set before any notebook kernel starts, so that kernels inherit them: MNIST comes from the
# embedded digits (or an explicit data_dir), never from a download or a developer's cache.
os.environ["GDLAB_OFFLINE"] = "1"
os.environ["GDLAB_CACHE_DIR"] = tempfile.mkdtemp(prefix="gdlab-test-cache-")
atexit.register(shutil.rmtree, os.environ["GDLAB_CACHE_DIR"], ignore_errors=True)
os.environ.pop("GDLAB_MNIST_DIR", None)


# In CI (`.ci/run` sets GDLAB_TESTS_MUST_RUN=1) every test must run: a test skipped there,
# whatever the reason (no sandbox, no browser, not root, no full MNIST), would hide a failure.
MUST_RUN = os.environ.get("GDLAB_TESTS_MUST_RUN") == "1"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> Iterator[None]:
    """Where every test must run, report a skipped test as failed, with its skip reason."""
    outcome = yield
    report = outcome.get_result()
    if MUST_RUN and report.skipped and not hasattr(report, "wasxfail"):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        report.outcome = "failed"
        report.longrepr = f"skipped where every test must run (GDLAB_TESTS_MUST_RUN=1): {reason}"


@pytest.hookimpl(hookwrapper=True)
def pytest_make_collect_report(collector: pytest.Collector) -> Iterator[None]:
    """Where every test must run, a module skipped as a whole (``importorskip``) fails too."""
    outcome = yield
    report = outcome.get_result()
    if MUST_RUN and report.skipped:
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        report.outcome = "failed"
        report.longrepr = f"skipped where every test must run (GDLAB_TESTS_MUST_RUN=1): {reason}"
