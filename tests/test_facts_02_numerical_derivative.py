"""Notebook 02's statements agree with what its code computes, and with notebook 06's code (issue 15)."""

from __future__ import annotations

import collections
import re

import nbformat
import numpy as np
import pytest

from tests.lesson_run import LessonRun, run_lesson
from tests.notebook_harness import notebook_path

ASSIGNMENT = "02_numerical_derivative"


@pytest.fixture(scope="module")
def lesson() -> LessonRun:
    return run_lesson(ASSIGNMENT)


def mnist_hidden_size_of_notebook_06() -> int:
    """The hidden layer of the 784 -> H -> 10 network notebook 06 trains (its most used TwoLayerNet(784, H, 10))."""
    nb = nbformat.read(notebook_path("06_minibatch_mnist"), as_version=4)
    code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    sizes = re.findall(r"TwoLayerNet\(\s*784,\s*(\d+),\s*10\b", code)
    assert sizes, "notebook 06 builds no TwoLayerNet(784, H, 10)"
    return int(collections.Counter(sizes).most_common(1)[0][0])


def test_the_mnist_network_is_notebook_06s(lesson: LessonRun) -> None:
    hidden = mnist_hidden_size_of_notebook_06()
    params = 784 * hidden + hidden + hidden * 10 + 10
    printed = lesson.printed["code-38"]
    assert f"784 -> {hidden} -> 10 has {params:,} parameters: {2 * params:,} loss evaluations" in printed
    text = lesson.text()
    assert "784 → 50 → 10" not in text and "39,760" not in text
    answer = lesson.markdown["explain-numerical-cost"]
    assert (
        f"784 → {hidden} → 10, has {params:,} parameters" in answer
        and f"{2 * params:,} forward passes" in answer
    )
    work = params * 100 / (418 * 20)  # weights times batch, against the 418-parameter net on 20 samples
    assert "about 950 times more work" in answer and round(work, -1) == 950


def test_gradient_check_rules_cover_every_value(lesson: LessonRun) -> None:
    verdict = lesson.namespace["gradient_check_verdict"]
    order = ["pass", "look closer", "suspicious", "wrong"]
    errors = np.geomspace(1e-13, 10, 400)
    ranks = [order.index(verdict(e)) for e in errors]  # every value gets one of the four verdicts
    assert ranks == sorted(ranks), "verdicts must worsen as the error grows"
    for error, expected in [
        (1e-8, "pass"),
        (1e-7, "pass"),
        (1.2e-7, "look closer"),
        (1e-4, "look closer"),
        (2e-4, "suspicious"),
        (1e-2, "suspicious"),
        (0.5, "wrong"),
        (float("nan"), "wrong"),
    ]:
        assert verdict(error) == expected, error
    table = lesson.markdown["markdown-28"]
    for row in [
        "above $10^{-2}$ | **wrong**",
        "$10^{-4}$ to $10^{-2}$ | **suspicious**",
        "$10^{-7}$ to $10^{-4}$ | **look closer**",
        "below $10^{-7}$ | **pass**",
    ]:
        assert row in table, row


def test_printed_gradient_check_matches_the_text(lesson: LessonRun) -> None:
    printed = lesson.printed["code-38"]
    verdicts = dict(re.findall(r"^(\w+): shape .* relative error [\d.e+-]+  \(([\w ]+)\)$", printed, re.M))
    assert verdicts == {"W1": "look closer", "b1": "pass", "W2": "pass", "b2": "pass"}
    by_step = {
        float(step): float(error)
        for step, error in re.findall(r"h = ([\d.e+-]+): .* relative error ([\d.e+-]+)$", printed, re.M)
    }
    assert sorted(by_step) == [1e-5, 1e-4, 1e-3], printed
    assert 50 < by_step[1e-3] / by_step[1e-4] < 200, (
        "the text says a 10 times larger h makes W1's worst entry about 100 times worse (truncation, h^2)"
    )
    assert 1 < by_step[1e-4] / by_step[1e-5] < 100, (
        "the text says a 10 times smaller h lowers it, but by less than 100 times (rounding starts to count)"
    )
    worst, largest = (
        float(v)
        for v in re.search(r"derivative (-?[\d.e+-]+) \(the largest in W1: ([\d.e+-]+)\)", printed).groups()
    )
    assert abs(worst) < largest / 10, (
        "the text says the worst entry's derivative is small next to the largest"
    )
    text = lesson.markdown["markdown-39"]
    assert "`b1`, `W2` and `b2` pass" in text and '"look closer" band' in text
    buggy = dict(
        re.findall(r"^(\w+): relative error [\d.e+-]+  \(([\w ]+)\)$", lesson.printed["code-40"], re.M)
    )
    assert buggy["W1"] == "wrong" and buggy["W2"] == "pass", (
        "the forgotten sigmoid slope breaks only the first layer"
    )


def test_best_steps_stated_for_sin(lesson: LessonRun) -> None:
    best_h = lesson.namespace["best_h"]
    hs = 10.0 ** -np.arange(1, 17)
    text = lesson.markdown["markdown-19"]
    assert "central difference reaches about $10^{-11}$ near $h = 10^{-5}$" in text
    assert "forward one about\n$3\\times10^{-9}$ near $h = 10^{-8}$" in text
    h, error = best_h(np.sin, np.cos, 1.0, hs, method="central")
    assert h == pytest.approx(1e-5) and 3e-12 < error < 3e-11
    h, error = best_h(np.sin, np.cos, 1.0, hs, method="forward")
    assert h == pytest.approx(1e-8) and 1e-9 < error < 1e-8


def test_numerical_descent_preview_walks_downhill(lesson: LessonRun) -> None:
    values = [float(v) for v in re.findall(r"f\(x\) = ([\d.e+-]+)", lesson.printed["code-44"])]
    assert len(values) == 3 and values == sorted(values, reverse=True) and values[-1] < 1e-2


def test_korean_terms_at_first_use(lesson: LessonRun) -> None:
    text = lesson.text()
    for term in ["해석적 미분", "중심 차분", "최적화"]:
        assert term in text, term
