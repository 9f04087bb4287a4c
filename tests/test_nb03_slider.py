"""Notebook 03's gradient-descent explorer, driven from Python by setting its widgets' values.

The explorer is built by `make_gd_explorer`, defined in a locked, non-demo cell of the solution
notebook (only the cell that displays it is a demo), so the notebook harness provides it.
"""

from __future__ import annotations

import os

os.environ.setdefault("MPLBACKEND", "Agg")

import numpy as np
import pytest

from tests.notebook_harness import run_notebook

ASSIGNMENT = "03_gradient_descent"
STUB = '''
def gradient_descent(df, x0, lr=0.1, steps=100):
    """The untouched student stub."""
    # YOUR CODE HERE
    raise NotImplementedError()
'''


@pytest.fixture(scope="module")
def namespace() -> dict:
    return run_notebook(ASSIGNMENT).namespace


@pytest.fixture
def explorer(namespace: dict):
    box = namespace["make_gd_explorer"]()
    yield box
    box.close()


def toy_path(x0: float, lr: float, steps: int) -> np.ndarray:
    """The path of gradient descent on (w - 1)**2 + 2, in closed form: w_k = 1 + (1 - 2 lr)**k (w_0 - 1)."""
    return 1 + (1 - 2 * lr) ** np.arange(steps + 1) * (x0 - 1)


def select(box, label_part: str) -> None:
    """Choose the dropdown entry whose label contains ``label_part``."""
    (label,) = [name for name in box.controls["function"].options if label_part in name]
    box.controls["function"].value = label


def test_initial_path_is_drawn(explorer) -> None:
    controls = explorer.controls
    assert controls["function"].value == controls["function"].options[0]
    x0, lr, steps = controls["x0"].value, controls["lr"].value, controls["steps"].value
    xs, ys = explorer.path_line.get_data()
    np.testing.assert_allclose(xs, toy_path(x0, lr, steps))
    np.testing.assert_allclose(ys, (toy_path(x0, lr, steps) - 1) ** 2 + 2)
    assert "steps" in explorer.message


def test_moving_start_and_learning_rate_redraws_the_path(explorer) -> None:
    controls = explorer.controls
    controls["x0"].value = -1.5
    xs = np.asarray(explorer.path_line.get_xdata())
    np.testing.assert_allclose(xs, toy_path(-1.5, controls["lr"].value, controls["steps"].value))
    assert xs[0] == pytest.approx(-1.5)

    controls["lr"].value = 0.2
    xs = np.asarray(explorer.path_line.get_xdata())
    np.testing.assert_allclose(xs, toy_path(-1.5, controls["lr"].value, controls["steps"].value))
    assert xs[1] == pytest.approx(-1.5 - controls["lr"].value * 2 * (-2.5))

    controls["steps"].value = 7
    xs = np.asarray(explorer.path_line.get_xdata())
    assert xs.shape == (8,)
    np.testing.assert_allclose(xs, toy_path(-1.5, controls["lr"].value, 7))
    assert f"{controls['lr'].value:.3g}" in explorer.message


def test_learning_rate_past_the_limit_oscillates_then_diverges(explorer) -> None:
    controls = explorer.controls
    controls["x0"].value = 2.0
    controls["steps"].value = 20
    controls["lr"].value = 0.9  # 1 - 2 lr = -0.8: zig-zags across w = 1, converging
    xs = np.asarray(explorer.path_line.get_xdata())
    assert np.all(np.diff(np.sign(xs - 1)) != 0)
    assert abs(xs[-1] - 1) < abs(xs[0] - 1)
    controls["lr"].value = 1.5  # 1 - 2 lr = -2: diverges
    xs = np.asarray(explorer.path_line.get_xdata())
    assert abs(xs[-1] - 1) > 1e5


def test_choosing_another_function_redraws_curve_and_path(explorer, namespace: dict) -> None:
    select(explorer, "x⁴")
    controls = explorer.controls
    controls["lr"].value = 0.01
    controls["steps"].value = 50
    lr = controls["lr"].value
    grid, curve = explorer.curve_line.get_data()
    np.testing.assert_allclose(curve, namespace["quartic"](np.asarray(grid)))
    ends = {}
    for start in (-0.5, 0.5):  # on either side of the hump near 0.17: different valleys
        controls["x0"].value = start
        xs, ys = explorer.path_line.get_data()
        expected = [start]
        for _ in range(50):
            expected.append(expected[-1] - lr * (4 * expected[-1] ** 3 - 6 * expected[-1] + 1))
        np.testing.assert_allclose(xs, expected)
        np.testing.assert_allclose(ys, namespace["quartic"](np.asarray(xs)))
        ends[start] = xs[-1]
    assert ends[-0.5] < 0 < ends[0.5]


def test_figure_is_redrawn_into_the_image_widget(explorer) -> None:
    before = bytes(explorer.image.value)
    explorer.controls["x0"].value = 1.25
    after = bytes(explorer.image.value)
    assert explorer.ax.get_title() == explorer.message
    assert after.startswith(b"\x89PNG") and after != before


def test_untouched_student_notebook_shows_a_message_instead_of_failing() -> None:
    run = run_notebook(ASSIGNMENT, replacements={"gradient_descent": STUB})
    box = run.namespace["make_gd_explorer"]()
    assert box.message == "implement gradient_descent above to see the path"
    assert len(box.path_line.get_xdata()) == 0
    box.controls["lr"].value = 0.3  # moving a slider must not raise either
    box.controls["x0"].value = -2.0
    assert box.message == "implement gradient_descent above to see the path"
    assert len(box.curve_line.get_xdata()) > 0


def test_a_broken_gradient_descent_is_reported_not_raised() -> None:
    broken = "def gradient_descent(df, x0, lr=0.1, steps=100):\n    return x0\n"
    run = run_notebook(ASSIGNMENT, replacements={"gradient_descent": broken})
    box = run.namespace["make_gd_explorer"]()
    assert box.message.startswith("gradient_descent raised TypeError")
