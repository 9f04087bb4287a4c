"""The grading loop in a real browser: nbgrader's formgrader in JupyterLab, in headless Chromium.

`gdlab grade` grades a toy class; `gdlab formgrade OUT` serves JupyterLab on 127.0.0.1;
Chromium opens the formgrader from JupyterLab's Nbgrader menu, opens two submissions and
types into formgrader's own inputs: a score and a comment on a written answer, an
overriding score and a comment on an auto-graded test. `gdlab feedback` and `gdlab export`
then show them; a re-grade keeps them; a changed answer keeps its old score in formgrader,
marked for review. Skipped, with the reason, without Chromium or Playwright.
"""

from __future__ import annotations

import re
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.jupyter_process import (
    CHROMIUM_ARGS,
    answers,
    free_port,
    lab_environment,
    require_chromium,
    running,
)
from tests.test_loop import by_student, gdlab, grade, page_text, stored, with_answer
from tests.toy_course import ASSIGNMENT, make_course, submission, write_submission

pytestmark = [pytest.mark.browser, pytest.mark.slow]
ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts" / "formgrader"
COMMENT = "Good: linearity is the point. =SUM(A1)"  # also checks no CSV/HTML mangling


@pytest.fixture
def formgrader(tmp_path: Path) -> Iterator[dict]:
    """A graded toy class and `gdlab formgrade` serving it; the URL it printed."""
    executable = require_chromium()
    course, subs, out = make_course(tmp_path / "course"), tmp_path / "subs", tmp_path / "out"
    write_submission(subs, "ann", with_answer("Doubling is linear."))
    write_submission(subs, "ben", submission(triple="x"))
    grade(course, subs, out)
    port = free_port()
    log_path = tmp_path / "formgrade.log"
    command = [sys.executable, "-m", "gdlab.cli", "formgrade", str(out), "--port", str(port)]
    found: dict[str, str] = {}

    def ready() -> bool:
        """Whether formgrade printed its URL and the formgrader answers there."""
        printed = re.search(r"(http://127\.0\.0\.1:\d+)/formgrader\?token=(\w+)", log_path.read_text())
        if printed:
            found.update(base=printed.group(1), token=printed.group(2))
        return bool(found) and answers(f"{found['base']}/formgrader/api/assignments?token={found['token']}")

    with running(command, log_path, ready, env=lab_environment(tmp_path), timeout=90):
        yield {**found, "chromium": executable, "course": course, "subs": subs, "out": out}


def wait_until(condition, what: str, timeout: float = 30) -> None:  # noqa: ANN001 - a callable
    """Poll ``condition`` until it holds; fail naming ``what``."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.2)


def open_submission(page, fg: dict, student: str):  # noqa: ANN001, ANN201 - Playwright objects
    """From JupyterLab's Nbgrader menu to ``student``'s submission in formgrader; its frame."""
    page.goto(f"{fg['base']}/lab?reset&token={fg['token']}")
    page.get_by_role("menuitem", name="Nbgrader").click(timeout=90_000)
    page.get_by_role("menuitem", name="Formgrader").click()
    frame = page.frame_locator("iframe").first
    frame.get_by_role("link", name="Manual Grading").click(timeout=60_000)
    frame.get_by_role("link", name=ASSIGNMENT, exact=True).click()
    frame.get_by_role("link", name=ASSIGNMENT, exact=True).click()
    frame.locator("tr", has_text=student).get_by_role("link", name=re.compile("Submission")).click()
    frame.locator("#explain_toy").wait_for(timeout=60_000)
    return frame


def test_written_answers_graded_in_formgrader_reach_feedback_and_final_grades(formgrader: dict) -> None:
    from playwright.sync_api import expect, sync_playwright

    fg, out = formgrader, formgrader["out"]
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=fg["chromium"], args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            frame = open_submission(page, fg, "ann")
            frame.locator("#explain_toy").fill("1")
            frame.locator("#explain_toy").press("Tab")
            frame.locator("#explain_toy-comment").fill(COMMENT)
            frame.locator("#explain_toy-comment").press("Tab")
            wait_until(
                lambda: stored(out, "ann", "explain_toy") == (1, False, COMMENT), "ann's grade to be saved"
            )
            page.screenshot(path=str(ARTIFACTS / "graded.png"))
            frame = open_submission(page, fg, "ben")
            frame.locator("#test_triple").fill("1")  # overrides the auto score 0 of 2
            frame.locator("#test_triple").press("Tab")
            frame.locator("#triple-comment").fill("One point for trying: triple is 3 * x.")
            frame.locator("#triple-comment").press("Tab")
            wait_until(
                lambda: stored(out, "ben", "test_triple")[:2] == (1, False), "ben's override to be saved"
            )

            assert gdlab("feedback", str(out)).returncode == 0
            assert gdlab("export", str(out)).returncode == 0
            ann = page_text(out / "feedback" / "ann" / f"{ASSIGNMENT}.html")
            assert "Total: 6/6" in ann and COMMENT in ann and "not graded yet" not in ann
            assert "One point for trying" in page_text(out / "feedback" / "ben" / f"{ASSIGNMENT}.html")
            finals = by_student(out / "final_grades.csv")
            assert (finals["ann"]["total"], finals["ann"]["manual_score"], finals["ben"]["total"]) == (
                "6",
                "1",
                "4",
            )
            assert finals["ann"]["manual_grading_complete"] == "yes"

            # Re-grading the same class keeps what was typed in formgrader.
            grade(fg["course"], fg["subs"], out)
            assert stored(out, "ann", "explain_toy") == (1, False, COMMENT)
            assert by_student(out / "final_grades.csv")["ben"]["total"] == "4"
            assert "Total: 6/6" in page_text(out / "feedback" / "ann" / f"{ASSIGNMENT}.html")

            # Ann changes her answer: flagged; formgrader still shows her old score, marked ungraded.
            write_submission(fg["subs"], "ann", with_answer("Because."))
            run = grade(fg["course"], fg["subs"], out)
            assert "REVIEW explain_toy: answer changed" in run.stdout
            assert "answer changed" in by_student(out / "audit.csv")["ann"]["flags"]
            frame = open_submission(page, fg, "ann")
            score = frame.locator("#explain_toy")
            expect(score).to_have_value("1")  # the old score, kept
            expect(score).to_have_class(re.compile("needs_manual_grade"))
            assert "Because." in frame.locator("body").inner_text()
            assert stored(out, "ann", "explain_toy") == (1, True, COMMENT)
            page.screenshot(path=str(ARTIFACTS / "changed-answer.png"))
            assert "not graded yet" in page_text(out / "feedback" / "ann" / f"{ASSIGNMENT}.html")
            # The instructor reads the new answer and keeps the score: formgrader's own "Resolve".
            score.locator("xpath=ancestor::div[contains(@class, 'pull-right')][1]").locator(
                ".mark-graded"
            ).click()
            wait_until(
                lambda: stored(out, "ann", "explain_toy") == (1, False, COMMENT), "the review to be resolved"
            )
            assert gdlab("feedback", str(out)).returncode == 0
            assert "Total: 6/6" in page_text(out / "feedback" / "ann" / f"{ASSIGNMENT}.html")
        finally:
            browser.close()
