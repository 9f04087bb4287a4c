"""Every number the text of notebooks 03 and 04 states is a number the notebook's own cells print.

Each test computes the fact independently (closed forms, plain loops), checks that the
markdown states it, and that the executed solution notebook prints the same value, so the
text cannot drift from the code. The solution notebooks run once, in a real kernel.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import nbformat
import numpy as np
import pytest
from nbclient import NotebookClient

from tests.notebook_harness import ROOT, notebook_path


def execute(assignment: str) -> nbformat.NotebookNode:
    """The solution notebook of ``assignment``, executed top to bottom in a fresh kernel."""
    nb = nbformat.read(notebook_path(assignment), as_version=4)
    env_backend = os.environ.get("MPLBACKEND")
    os.environ["MPLBACKEND"] = "Agg"
    try:
        NotebookClient(
            nb,
            timeout=300,
            kernel_name="python3",
            resources={"metadata": {"path": str(notebook_path(assignment).parent)}},
        ).execute()
    finally:
        if env_backend is None:
            os.environ.pop("MPLBACKEND", None)
        else:
            os.environ["MPLBACKEND"] = env_backend
    return nb


def text_of(nb: nbformat.NotebookNode) -> str:
    """All markdown of a notebook, one string."""
    return "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")


def printed_by(nb: nbformat.NotebookNode) -> str:
    """Everything the code cells printed, one string."""
    return "\n".join(
        o.get("text", "")
        for c in nb.cells
        if c.cell_type == "code"
        for o in c.get("outputs", [])
        if o.output_type == "stream"
    )


@pytest.fixture(scope="module")
def nb03() -> nbformat.NotebookNode:
    return execute("03_gradient_descent")


@pytest.fixture(scope="module")
def nb04() -> nbformat.NotebookNode:
    return execute("04_learning_rate")


def toy_run(w0: float, lr: float, steps: int) -> np.ndarray:
    """Gradient descent on (w - 1)**2 + 2, as a plain loop (the notebook's update, bit for bit)."""
    path = [w0]
    with np.errstate(all="ignore"):
        w = np.float64(w0)
        for _ in range(steps):
            w = w - lr * (2 * (w - 1))
            path.append(w)
    return np.array(path)


# ---------------------------------------------------------------------------------------------- 03


def test_03_three_learning_rates_from_w0_5(nb03) -> None:
    text, printed = text_of(nb03), printed_by(nb03)
    ends = {lr: toy_run(5.0, lr, 10)[-1] for lr in (0.4, 0.001, 10)}
    for lr, end in ends.items():
        assert np.isclose(end, 1 + 4 * (1 - 2 * lr) ** 10)
        assert f"w_10 = {end:.11g}" in printed, lr
    assert f"w_{{10}} = {ends[0.4]:.11g}" in text
    assert f"w_{{10}} \\approx {ends[0.001]:.5g}" in text
    mantissa, exponent = f"{ends[10]:.2e}".split("e+")
    assert f"w_{{10}} \\approx {mantissa}\\cdot 10^{{{int(exponent)}}}" in text


def test_03_stopping_when_the_derivative_equals_zero(nb03) -> None:
    text, printed = text_of(nb03), printed_by(nb03)
    lucky = toy_run(5.0, 0.4, 100)
    first_zero = int(np.argmax(2 * (lucky - 1) == 0))
    assert 2 * (lucky[first_zero] - 1) == 0
    assert f"step {first_zero} lands exactly on $w = 1$" in text
    assert f"first at step {first_zero}" in printed

    slow = toy_run(5.0, 0.001, 20_000)
    assert not np.any(2 * (slow - 1) == 0)
    stuck_from = int(np.argmax(slow == slow[-1]))
    assert np.all(slow[stuck_from:] == slow[-1])
    offset, slope = slow[-1] - 1, 2 * (slow[-1] - 1)
    assert f"from step {stuck_from:,} on" in text and f"from step {stuck_from:,} on" in printed
    for value in (offset, slope):
        mantissa, exponent = f"{value:.2e}".split("e")
        assert f"{mantissa}\\cdot 10^{{{int(exponent)}}}" in text
        assert f"{value:.3g}" in printed

    wild = toy_run(5.0, 10, 300)
    first_inf, first_nan = int(np.argmax(np.isinf(wild))), int(np.argmax(np.isnan(wild)))
    assert f"$-\\infty$ at step {first_inf}" in text and f"`nan` from step {first_nan}" in text
    assert f"-inf at step {first_inf} and nan from step {first_nan}" in printed


def test_03_numerical_derivative_drives_descent_to_within_rounding(nb03) -> None:
    match = re.search(r"largest difference along the path: (\S+)", printed_by(nb03))
    assert match and float(match.group(1)) < 1e-9
    provided = next(
        c
        for c in nb03.cells
        if c.metadata.get("nbgrader", {}).get("grade_id") == "provided_numerical_gradient"
    )
    assert "def numerical_diff(" in provided.source and provided.metadata["nbgrader"]["locked"]


def test_03_table_of_runs_on_x_squared(nb03) -> None:
    text = text_of(nb03)
    for lr in (0.05, 0.2, 1.1):
        assert f"{10 * (1 - 2 * lr) ** 10:.6f}" in text, lr


def test_03_updates_per_digit_and_the_quartic(nb03) -> None:
    text = text_of(nb03)
    assert f"\\approx {np.log(10) / np.log(1 / 0.8):.1f}" in text
    critical = np.sort(np.roots([4, 0, -6, 1]).real)  # where x**4 - 3x**2 + x has zero slope
    assert f"x \\approx {critical[0]:.2f}" in text and f"x \\approx {critical[2]:.2f}" in text
    assert f"x \\approx {critical[1]:.2f}" in text


def test_03_korean_terms_and_the_frame_of_the_course(nb03) -> None:
    text = text_of(nb03)
    for term in ("최적화", "비용 함수", "해석적 미분", "중심 차분", "수치 미분", "가중치", "편향"):
        assert term in text, term


# ---------------------------------------------------------------------------------------------- 04


def test_04_overflow_steps(nb04) -> None:
    text, printed = text_of(nb04), printed_by(nb04)
    with np.errstate(all="ignore"):
        x64, x32 = np.float64(10.0), np.float32(10.0)
        steps64 = steps32 = 0
        while np.isfinite(x64):
            x64, steps64 = x64 - 1.1 * (2 * x64), steps64 + 1
        while np.isfinite(x32):
            x32, steps32 = x32 - np.float32(1.1) * (np.float32(2.0) * x32), steps32 + 1
    assert (
        f"step {steps64:,} in float64" in text
        and f"inf at step {steps64} and nan at step {steps64 + 1}" in printed
    )
    assert f"step {steps32} in float32" in text and f"inf at step {steps32} in float32" in printed
    for lr in (0.2, 0.05, 1.1):
        value = f"{10 * (1 - 2 * lr) ** 10:.6f}"
        assert value in text and f"x_10 = {value}" in printed


def valley_run(lr: float, steps: int) -> np.ndarray:
    """Gradient descent on 0.1 x² + 2 y² from (-5, -2), in closed form."""
    t = np.arange(steps + 1)[:, None]
    return np.array([-5.0, -2.0]) * np.array([1 - 0.2 * lr, 1 - 4 * lr]) ** t


def label(history: np.ndarray, tol: float = 1e-6) -> str:
    """The rules of exercise 1, for finite histories."""
    steps = np.diff(history, axis=0)
    lengths = np.linalg.norm(steps, axis=1)
    if not np.all(np.isfinite(history)) or lengths[-1] > 10 * lengths[0]:
        return "diverged"
    if lengths[-1] <= tol:
        return "converged"
    return "oscillating" if steps[-2] @ steps[-1] < 0 else "slow"


def test_04_elongated_valley_numbers_and_labels(nb04) -> None:
    text, printed = text_of(nb04), printed_by(nb04)
    end = valley_run(0.4, 20)[-1]
    assert f"$(-{-end[0]:.6f}, -{-end[1]:.7f})$" in text
    assert f"end at ({end[0]:.6f}, {end[1]:.7f})" in printed
    exploded = valley_run(0.6, 20)[-1, 1]
    assert f"${exploded:.2f}$" in text and f"{exploded:.7f}" in printed
    rates = np.round(np.arange(0.300, 0.6005, 0.001), 3)
    labels = [label(valley_run(lr, 40)) for lr in rates]
    boundaries = [i for i in range(1, len(labels)) if labels[i] != labels[i - 1]]
    assert [labels[0], *(labels[i] for i in boundaries)] == ["slow", "oscillating", "diverged"]
    last_slow, first_oscillating = rates[boundaries[0] - 1], rates[boundaries[0]]
    last_oscillating, first_diverged = rates[boundaries[1] - 1], rates[boundaries[1]]
    assert f"$\\eta \\approx {last_slow:.3f}$" in text and f"$\\eta \\approx {first_oscillating:.3f}$" in text
    assert f"to ${last_oscillating:.3f}$" in text and f"$\\eta \\approx {first_diverged:.3f}$" in text
    assert f"0.300 … {last_slow:.3f}: slow" in printed
    assert f"{first_oscillating:.3f} … {last_oscillating:.3f}: oscillating" in printed
    assert f"{first_diverged:.3f} … 0.600: diverged" in printed
    assert "every stable\nrun is labelled" not in text and "every stable run is labelled" not in text
    assert label(valley_run(0.45, 200)) == "converged"


def test_04_curvature_ratios_of_the_scaling_demo(nb04) -> None:
    demo_rng = np.random.default_rng(7)
    rooms = demo_rng.integers(1, 6, size=200).astype(float)
    area = 20 + 35 * rooms + demo_rng.normal(0, 25, size=200)
    X = np.column_stack([rooms, area])
    ratios = []
    for features in (X - X.mean(axis=0), (X - X.mean(axis=0)) / X.std(axis=0)):
        curvatures = np.linalg.eigvalsh(features.T @ features / 200)
        ratios.append(curvatures.max() / curvatures.min())
    text, printed = text_of(nb04), printed_by(nb04)
    assert f"about {round(ratios[0], -2):,.0f} to about {ratios[1]:.0f}" in text
    assert f"curvature ratio {ratios[0]:,.0f}" in printed and f"curvature ratio {ratios[1]:,.0f}" in printed


def test_04_schedules(nb04) -> None:
    text, printed = text_of(nb04), printed_by(nb04)
    total = 1 / (1 - np.exp(-0.1))
    assert f"about ${total:.1f}\\,\\eta_0$ for $k = 0.1$" in text
    assert f"add up to {total:.4f} lr0" in printed
    assert "never below" not in text  # the inverse-time row's old tautology
    assert "Robbins" in text and "Monro" in text


def test_04_korean_terms(nb04) -> None:
    assert "기울기 폭주" in text_of(nb04)


@pytest.mark.parametrize("assignment", ["03_gradient_descent", "04_learning_rate"])
def test_no_citation_of_a_file_the_project_does_not_have(assignment: str) -> None:
    for path in (notebook_path(assignment), ROOT / "notebooks" / assignment / f"{assignment}.ipynb"):
        assert "REFERENCES.md" not in Path(path).read_text(encoding="utf-8"), path
