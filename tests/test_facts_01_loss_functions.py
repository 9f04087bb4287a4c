"""Notebook 01's statements agree with what its code computes (issue 15)."""

from __future__ import annotations

import re

import numpy as np
import pytest

from tests.lesson_run import LessonRun, run_lesson

ASSIGNMENT = "01_loss_functions"


@pytest.fixture(scope="module")
def lesson() -> LessonRun:
    return run_lesson(ASSIGNMENT)


def test_mse_valley_is_tilted_as_the_text_says(lesson: LessonRun) -> None:
    ns = lesson.namespace
    x, t = ns["x_data"], ns["t_data"]
    printed = lesson.printed["a7c3e0d1"]
    slope = float(re.search(r"has slope (-?[\d.]+)", printed).group(1))
    assert slope == pytest.approx(-x.mean(), abs=0.005) and slope < -1, "the valley's printed slope"
    # the best b for each W, found by brute force with the lesson's own loss, lies on b = mean(t) - mean(x) W
    bs = np.linspace(-10, 10, 20001)
    for w in (0.0, 1.0, 2.0, 4.0):
        losses = [ns["mean_squared_error"](w * x + b, t) for b in bs[::50]]
        coarse = bs[::50][int(np.argmin(losses))]
        assert coarse == pytest.approx(t.mean() - x.mean() * w, abs=0.06)
    # the ellipses' long axis is tilted: neither W nor b alone (angle well away from both axes)
    curvature = np.array([[np.mean(x**2), np.mean(x)], [np.mean(x), 1.0]])
    values, vectors = np.linalg.eigh(curvature)
    along = vectors[:, 0]
    angle = np.degrees(np.arctan2(abs(along[1]), abs(along[0])))
    assert 20 < angle < 85
    ratio = float(re.search(r"curves (\d+) times", printed).group(1))
    assert ratio == pytest.approx(values[1] / values[0], rel=0.02) and ratio > 10, "long, thin ellipses"
    text = lesson.markdown["f2972330"]
    assert "tilted" in text and "slowly along $b$" not in text


def test_the_books_mean_squared_error_is_a_sum(lesson: LessonRun) -> None:
    text = lesson.text()
    assert "`0.5 * np.sum((y - t)**2)`" in text and "a **sum**, not a mean" in text
    ns = lesson.namespace
    y_good = np.array([0.1, 0.05, 0.6, 0.0, 0.05, 0.1, 0.0, 0.1, 0.0, 0.0])
    t = np.eye(10)[2]
    book = 0.5 * np.sum((y_good - t) ** 2)
    assert book == pytest.approx(ns["sum_squared_error"](y_good, t))
    assert book == pytest.approx(10 * ns["mean_squared_error"](y_good, t)), "a factor N = 10 apart"


def test_running_example_numbers(lesson: LessonRun) -> None:
    ns, text = lesson.namespace, lesson.text()
    y_good = np.array([0.1, 0.05, 0.6, 0.0, 0.05, 0.1, 0.0, 0.1, 0.0, 0.0])
    y_bad = np.array([0.1, 0.05, 0.1, 0.0, 0.05, 0.1, 0.0, 0.6, 0.0, 0.0])
    t = np.eye(10)[2]
    assert "$E = 0.0975$ for `y_good` and $0.5975$ for `y_bad`" in text
    assert round(ns["sum_squared_error"](y_good, t), 6) == 0.0975
    assert round(ns["sum_squared_error"](y_bad, t), 6) == 0.5975
    assert "$-\\log 0.6 \\approx 0.5108$" in text and "$-\\log 0.1 \\approx 2.3026$" in text
    assert round(ns["cross_entropy_error"](y_good, t), 4) == 0.5108
    assert round(ns["cross_entropy_error"](y_bad, t), 4) == 2.3026
    assert "$-\\log 10^{-7} \\approx 16.118$" in text and round(-np.log(1e-7), 3) == 16.118
    assert "about $1.8\\times10^{308}$" in text and f"{np.finfo(np.float64).max:.1e}" == "1.8e+308"
    assert "$e^{710}$ is already bigger" in text and np.isinf(np.exp(np.float64(710)))
    assert not np.isinf(np.exp(np.float64(709)))


def test_korean_terms_at_first_use(lesson: LessonRun) -> None:
    text = lesson.text()
    for term in ["비용 함수", "최적화", "분류", "가중치", "편향"]:
        assert term in text, term
