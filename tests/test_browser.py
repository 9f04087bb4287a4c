"""Notebook 04's learning-rate sliders in a real JupyterLab, driven in headless Chromium.

Starts JupyterLab from this environment on 127.0.0.1 with a random token over a temporary
copy of the student notebook ``notebooks/04_learning_rate`` (generated into the temporary
folder with the release pipeline when ``notebooks/`` has not been released yet), runs all
cells, moves the learning-rate slider past the stable limit and checks that the plot image
changes and that no error appears in the slider cells. Screenshots are kept in
``test-artifacts/browser/``. Skipped, with the reason, when no Chromium or no Playwright is
found (``apt-get install -y chromium chromium-driver`` installs the browser on Debian).
"""

from __future__ import annotations

import secrets
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.jupyter_process import (
    CHROMIUM_ARGS,
    answers,
    free_port,
    jupyter_command,
    lab_environment,
    require_chromium,
    running,
)

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[1]
ASSIGNMENT = "04_learning_rate"
ARTIFACTS = ROOT / "test-artifacts" / "browser"
LR_SLIDER = ".widget-hslider:has(.widget-label:text-is('learning rate η'))"
EXPLORER = f".widget-vbox:has({LR_SLIDER})"


def student_notebook(workdir: Path) -> Path:
    """The released student notebook, or a fresh release of it into ``workdir``."""
    released = ROOT / "notebooks" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    if released.exists():
        return released
    from gdlab_autograde.release import generate

    folder, _ = generate(ROOT, ASSIGNMENT, workdir / "release")
    return folder / f"{ASSIGNMENT}.ipynb"


@pytest.fixture(scope="module")
def chromium() -> str:
    return require_chromium()


@pytest.fixture(scope="module")
def lab(chromium: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict]:
    """A JupyterLab server over a folder holding the student and the solution notebook 04."""
    tmp = tmp_path_factory.mktemp("lab")
    root = tmp / "root"
    root.mkdir()
    shutil.copy(student_notebook(tmp), root / f"{ASSIGNMENT}.ipynb")
    shutil.copy(ROOT / "solutions" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", root / "solution.ipynb")
    settings = tmp / "settings" / "@jupyterlab" / "notebook-extension"
    settings.mkdir(parents=True)
    # Render every cell (no virtual scrolling), so the page holds all outputs.
    (settings / "tracker.jupyterlab-settings").write_text('{"windowingMode": "none"}')
    news = tmp / "settings" / "@jupyterlab" / "apputils-extension"
    news.mkdir(parents=True)
    (news / "notification.jupyterlab-settings").write_text('{"fetchNews": "false"}')  # no news toast
    port, token = free_port(), secrets.token_hex(16)
    base = f"http://127.0.0.1:{port}"
    command = jupyter_command(
        "lab",
        port,
        token,
        root,
        "--LabApp.expose_app_in_browser=True",
        "--LabApp.news_url=",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
    )
    log = tmp / "jupyterlab.log"
    ready = lambda: answers(f"{base}/api/status?token={token}")  # noqa: E731 - a one-line probe
    with running(command, log, ready, env=lab_environment(tmp), cwd=root):
        yield {"base": base, "token": token, "chromium": chromium, "log": log}


def open_and_run_all(page, lab: dict, name: str) -> None:
    """Open a notebook, wait for its kernel, run all cells and wait until execution ends."""
    page.goto(f"{lab['base']}/lab/workspaces/{name.replace('.', '-')}/tree/{name}?reset&token={lab['token']}")
    page.wait_for_function(
        """(name) => {
            const w = window.jupyterapp?.shell.currentWidget;
            const kernel = w?.sessionContext?.session?.kernel;
            return w?.context?.path === name && kernel?.status === 'idle' && w.content?.widgets.length > 5;
        }""",
        arg=name,
        timeout=45_000,
    )
    page.evaluate(
        """() => { window.__runAll = undefined;
                   window.jupyterapp.commands.execute('notebook:run-all-cells')
                     .then(r => { window.__runAll = String(r); }, e => { window.__runAll = 'error ' + e; }); }"""
    )
    page.wait_for_function("() => window.__runAll !== undefined", timeout=60_000)
    page.wait_for_function(
        """() => {
            const w = window.jupyterapp.shell.currentWidget;
            const busy = [...document.querySelectorAll('.jp-InputPrompt')].some(p => p.textContent.includes('*'));
            return !busy && w?.sessionContext?.session?.kernel?.status === 'idle';
        }""",
        timeout=30_000,
    )
    page.locator(f"{EXPLORER} img.widget-image").first.wait_for(timeout=20_000)


def plot_src(page, index: int) -> str:
    return page.locator(f"{EXPLORER} img.widget-image").nth(index).get_attribute("src") or ""


def wait_for_new_plot(page, index: int, before: str) -> str:
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        now = plot_src(page, index)
        if now and now != before:
            return now
        page.wait_for_timeout(100)
    raise AssertionError("the plot did not change after the slider moved")


def lr_value(page, index: int) -> float:
    return float(page.locator(f"{LR_SLIDER} .widget-readout").nth(index).inner_text())


def set_lr_by_readout(page, index: int, value: float) -> None:
    readout = page.locator(f"{LR_SLIDER} .widget-readout").nth(index)
    readout.click()
    page.keyboard.press("Control+A")
    page.keyboard.type(f"{value}")
    page.keyboard.press("Enter")


def status_text(page, index: int) -> str:
    return page.locator(f"{EXPLORER} .widget-html").nth(index).inner_text()


def error_outputs(page) -> dict[str, list[str]]:
    """Texts of stderr/error outputs: in cells holding a slider, and everywhere."""
    return page.evaluate(
        """() => {
            const sel = '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]';
            const cells = [...document.querySelectorAll('.jp-CodeCell')];
            const sliders = cells.filter(c => c.querySelector('.widget-hslider'));
            return {
                slider_cells: sliders.flatMap(c => [...c.querySelectorAll(sel)].map(e => e.textContent)),
                all: [...document.querySelectorAll(sel)].map(e => e.textContent),
                slider_cell_count: [sliders.length],
            };
        }"""
    )


def browser(p, lab: dict):
    return p.chromium.launch(executable_path=lab["chromium"], args=CHROMIUM_ARGS)


def test_student_notebook_slider_redraws_without_errors(lab: dict) -> None:
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        chrome = browser(p, lab)
        try:
            page = chrome.new_page(viewport={"width": 1280, "height": 1000})
            open_and_run_all(page, lab, f"{ASSIGNMENT}.ipynb")
            assert page.locator(LR_SLIDER).count() == 2, "expected the 1-D and the 2-D learning-rate slider"
            # the student has not written classify_run yet: a hint, not an error
            assert "implement classify_run" in status_text(page, 0)
            first = plot_src(page, 0)
            assert first.startswith(("blob:", "data:image/png")), first[:60]

            set_lr_by_readout(page, 0, 0.3)  # a converging run
            converging = wait_for_new_plot(page, 0, first)
            assert abs(lr_value(page, 0) - 0.3) < 0.01

            handle = page.locator(f"{LR_SLIDER} .noUi-handle").first
            handle.focus()
            for _ in range(12):  # PageUp: 5 notches of 0.01 decades each, past η = 1 (the limit for x²)
                handle.press("PageUp")
                page.wait_for_timeout(40)
            deadline = time.monotonic() + 10
            while lr_value(page, 0) <= 1.0 and time.monotonic() < deadline:
                page.wait_for_timeout(100)
            assert lr_value(page, 0) > 1.0, "the keyboard did not move the slider past the stable limit"
            wait_for_new_plot(page, 0, converging)
            page.wait_for_timeout(500)  # let the last redraw land
            page.locator(EXPLORER).first.scroll_into_view_if_needed()
            page.screenshot(path=str(ARTIFACTS / f"{ASSIGNMENT}.png"))

            errors = error_outputs(page)
            assert errors["slider_cell_count"] == [2]
            assert errors["slider_cells"] == [], f"error output in a slider cell: {errors['slider_cells']}"
            unexpected = [e for e in errors["all"] if "NotImplementedError" not in e]
            assert unexpected == [], f"unexpected error output: {unexpected}"
        finally:
            chrome.close()


def test_solution_slider_turns_converged_into_oscillating_then_diverged(lab: dict) -> None:
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        chrome = browser(p, lab)
        try:
            page = chrome.new_page(viewport={"width": 1280, "height": 1000})
            open_and_run_all(page, lab, "solution.ipynb")
            seen = []
            before = plot_src(page, 0)
            for lr in (0.3, 0.95, 1.3):
                set_lr_by_readout(page, 0, lr)
                before = wait_for_new_plot(page, 0, before)  # the status is set before the plot
                seen.append(status_text(page, 0).split("run:")[-1].strip())
            assert seen == ["converged", "oscillating", "diverged"], seen
            page.locator(EXPLORER).first.scroll_into_view_if_needed()
            page.screenshot(path=str(ARTIFACTS / f"{ASSIGNMENT}_solution.png"))
            assert error_outputs(page)["all"] == []
        finally:
            chrome.close()
