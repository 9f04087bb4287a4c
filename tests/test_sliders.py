"""The learning-rate explorers (gdlab.sliders): runs, redraws driven by slider values, robustness."""

from __future__ import annotations

import gc
import os
import warnings

os.environ.setdefault("MPLBACKEND", "Agg")

import numpy as np
import pytest

from gdlab import sliders
from gdlab.sliders import elongated_quadratic, lr_explorer_1d, lr_explorer_2d, run_1d, run_2d


def square(x):
    return x**2


def d_square(x):
    return 2 * x


def by_steps(history: np.ndarray) -> str:
    """A reference classifier for the tests (the rules of notebook 04)."""
    h = np.asarray(history, dtype=float).reshape(len(history), -1)
    if not np.all(np.isfinite(h)):
        return "diverged"
    steps = np.diff(h, axis=0)
    lengths = np.linalg.norm(steps, axis=1)
    if lengths[-1] > 10 * lengths[0]:
        return "diverged"
    if lengths[-1] <= 1e-6:
        return "converged"
    if np.dot(steps[-2], steps[-1]) < 0:
        return "oscillating"
    return "slow"


@pytest.fixture(autouse=True)
def no_warnings():
    # Whatever an earlier test left for the garbage collector is collected first, and objects
    # that are not the sliders' (an unclosed socket elsewhere) cannot fail a slider test.
    gc.collect()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        warnings.simplefilter("default", ResourceWarning)
        warnings.simplefilter("default", pytest.PytestUnraisableExceptionWarning)
        yield


def test_run_1d_matches_reference_numbers():
    # REFERENCES.md: x² from x0 = 10, 10 steps
    assert run_1d(d_square, 10.0, 0.2, 10)[-1] == pytest.approx(0.060466, abs=1e-6)
    assert run_1d(d_square, 10.0, 0.05, 10)[-1] == pytest.approx(3.486784, abs=1e-6)
    assert run_1d(d_square, 10.0, 1.1, 10)[-1] == pytest.approx(61.917364, abs=1e-6)
    history = run_1d(d_square, 10.0, 1.0, 6)
    np.testing.assert_array_equal(history, [10, -10, 10, -10, 10, -10, 10])


def test_run_1d_overflows_silently_to_inf_then_nan():
    history = run_1d(d_square, 10.0, 1.1, 4000)
    assert history.shape == (4001,)
    first_inf = int(np.argmax(np.isinf(history)))
    assert 3870 <= first_inf <= 3885  # REFERENCES.md: about 3,878 steps
    assert np.isnan(history[-1])


def test_run_2d_matches_reference_numbers_and_keeps_its_input():
    _, grad = elongated_quadratic(0.1, 2.0)
    start = np.array([-5.0, -2.0])
    history = run_2d(grad, start, 0.4, 20)
    assert history.shape == (21, 2)
    np.testing.assert_allclose(history[-1], [-0.943467, -0.000073], atol=1e-6)
    assert run_2d(grad, start, 0.6, 20)[-1, 1] == pytest.approx(-1673.37, abs=0.01)
    np.testing.assert_array_equal(start, [-5.0, -2.0])


def test_engine_survives_a_gradient_that_raises_on_huge_values():
    import math

    def fragile(x):
        return 2 * math.exp(min(float(x), 1e6)) if float(x) > 700 else 2 * float(x)

    history = run_1d(fragile, 10.0, 1.5, 50)
    assert history.shape == (51,)
    assert not np.all(np.isfinite(history))


def test_slider_values_drive_the_1d_figure():
    explorer = lr_explorer_1d(square, d_square, x0=3.0, lr=0.1, steps=30)
    np.testing.assert_allclose(explorer.path_line.get_xdata(), run_1d(d_square, 3.0, 0.1, 30))
    explorer.lr_slider.value = 0.3
    assert explorer.lr_slider.value == pytest.approx(0.3)
    expected = run_1d(d_square, 3.0, explorer.lr_slider.value, 30)
    np.testing.assert_allclose(explorer.history, expected)
    np.testing.assert_allclose(explorer.path_line.get_xdata(), expected)
    np.testing.assert_allclose(explorer.path_line.get_ydata(), expected**2)
    np.testing.assert_allclose(explorer.loss_line.get_ydata(), np.maximum(expected**2, 1e-30))
    explorer.x0_slider.value = -2.0
    np.testing.assert_allclose(explorer.path_line.get_xdata()[0], -2.0)
    explorer.steps_slider.value = 50
    assert len(explorer.path_line.get_xdata()) == 51
    assert len(explorer.loss_line.get_xdata()) == 51
    assert explorer.png.startswith(b"\x89PNG")


def test_crossing_the_stable_limit_changes_the_classification():
    explorer = lr_explorer_1d(square, d_square, x0=3.0, lr=0.1, steps=60, classify=by_steps)
    seen = {}
    for lr in (0.005, 0.3, 0.97, 1.0, 1.3):
        explorer.lr_slider.value = lr
        seen[lr] = explorer.classification
        assert explorer.classification in explorer.status.value
        assert explorer.classification in explorer.title.get_text()
    assert seen == {0.005: "slow", 0.3: "converged", 0.97: "oscillating", 1.0: "oscillating", 1.3: "diverged"}


def test_2d_explorer_follows_its_sliders_and_classifies():
    explorer = lr_explorer_2d(x0=(-5.0, -2.0), lr=0.4, steps=20, classify=by_steps)
    _, grad = elongated_quadratic()
    np.testing.assert_allclose(explorer.history[-1], [-0.943467, -0.000073], atol=1e-6)
    np.testing.assert_allclose(explorer.path_line.get_xdata(), explorer.history[:, 0])
    explorer.steps_slider.value = 100
    labels = {}
    for lr in (0.3, 0.49, 0.6):  # the elongated valley: slow below the limit 0.5, then zig-zag, then blow-up
        explorer.lr_slider.value = lr
        expected = run_2d(grad, (-5.0, -2.0), explorer.lr_slider.value, 100)
        np.testing.assert_allclose(explorer.history, expected)
        labels[lr] = explorer.classification
    assert labels == {0.3: "slow", 0.49: "oscillating", 0.6: "diverged"}
    explorer.steps_slider.value = 200
    explorer.lr_slider.value = 0.45
    assert explorer.classification == "converged"
    explorer.y0_slider.value = 1.0
    np.testing.assert_allclose(explorer.path_line.get_ydata()[0], 1.0)


def test_diverged_runs_draw_clipped_with_sane_axes():
    explorer = lr_explorer_1d(square, d_square, x0=3.0, lr=10.0, steps=300, max_steps=400, classify=by_steps)
    assert explorer.classification == "diverged"
    assert not np.all(np.isfinite(explorer.history))
    xs = explorer.path_line.get_xdata()
    finite = xs[np.isfinite(xs)]
    assert np.all(np.abs(finite) <= 8 * 1e3 + 4)
    low, high = explorer.ax_loss.get_ylim()
    assert 0 < low < high <= 1e31
    explorer2 = lr_explorer_2d(lr=10.0, steps=400, max_steps=400, classify=by_steps)
    assert not np.all(np.isfinite(explorer2.history))
    assert explorer2.classification == "diverged"
    low, high = explorer2.ax_loss.get_ylim()
    assert 0 < low < high <= 1e31


def test_unimplemented_classifier_shows_a_hint_not_an_error():
    def classify_run(history):
        raise NotImplementedError()

    explorer = lr_explorer_1d(square, d_square, classify=classify_run)
    assert "implement <code>classify_run</code>" in explorer.status.value
    assert explorer.classification is None
    explorer.lr_slider.value = 2.0  # still redraws

    def broken(history):
        raise ZeroDivisionError("oops")

    explorer = lr_explorer_2d(classify=broken)
    assert "ZeroDivisionError" in explorer.status.value

    def unfinished_run(grad, x0, lr, steps):
        raise NotImplementedError()

    explorer = lr_explorer_2d(run=unfinished_run)
    assert "implement <code>unfinished_run</code>" in explorer.status.value
    explorer.lr_slider.value = 0.5  # no exception escapes the callback


def test_custom_run_and_extra_sliders_for_later_notebooks():
    import ipywidgets as widgets

    def heavy_ball(grad, x0, lr, steps, momentum):
        x, v = np.array(x0, dtype=float), 0.0
        history = [x.copy()]
        for _ in range(steps):
            v = momentum * v + grad(x)
            x = x - lr * v
            history.append(x.copy())
        return np.array(history)

    beta = widgets.FloatSlider(value=0.0, min=0.0, max=0.99, step=0.01)
    explorer = lr_explorer_2d(lr=0.1, steps=30, run=heavy_ball, extra={"momentum": beta})
    plain = explorer.history.copy()
    np.testing.assert_allclose(plain, run_2d(elongated_quadratic()[1], (-5, -2), 0.1, 30))
    beta.value = 0.9
    assert not np.allclose(explorer.history, plain)
    assert beta in explorer.widget.children


def test_every_slider_move_records_its_update_time():
    # speed is measured by benchmarks/slider_update.py, not asserted by a timed test
    explorer = lr_explorer_2d(steps=100)
    explorer.update_seconds.clear()
    for lr in np.geomspace(0.01, 2, 30):
        explorer.lr_slider.value = lr
    assert len(explorer.update_seconds) == 30 and all(s > 0 for s in explorer.update_seconds)


def test_no_answer_named_like_an_exercise_lives_in_the_library():
    for name in ("gradient_descent", "classify_run", "max_stable_lr", "standardize", "step_decay"):
        assert not hasattr(sliders, name)
