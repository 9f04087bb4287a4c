"""Fixed-step gradient-descent runs and the 2-D test problem that the learning-rate explorers draw.

Pure functions, no widget: :func:`run_1d` and :func:`run_2d` share one private engine, a plain
fixed-step descent loop that exists only to feed the pictures (it is not any exercise's answer).
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import Any

import numpy as np

__all__ = ["run_1d", "run_2d", "elongated_quadratic"]


def _descend(grad: Callable[[Any], Any], x0: Any, lr: float, steps: int) -> np.ndarray:
    """The explorers' engine: ``steps`` fixed-size steps ``x <- x - lr * grad(x)`` from ``x0``.

    Returns the whole history, shape ``(steps + 1,) + shape(x0)``, as float64; ``x0`` is
    copied, never modified. Overflow is silent: once a step fails (an exception from
    ``grad`` on a huge or non-finite point) the rest of the history is nan.
    """
    x = np.array(x0, dtype=float)
    steps = int(steps)
    history = np.full((steps + 1,) + x.shape, np.nan)
    history[0] = x
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for t in range(steps):
            try:
                x = x - lr * np.asarray(grad(x), dtype=float)
            except (OverflowError, FloatingPointError, ValueError, ZeroDivisionError):
                break
            history[t + 1] = x
    return history


def run_1d(df: Callable[[float], float], x0: float, lr: float, steps: int) -> np.ndarray:
    """Positions of a fixed-step gradient-descent run on a 1-D function, for the explorers.

    ``df`` is the derivative; returns ``x_0, x_1, ..., x_steps`` as a float array of
    shape ``(steps + 1,)``. Diverging runs end in inf or nan without a warning.
    """
    return _descend(lambda x: df(np.float64(x)), float(x0), float(lr), steps)


def run_2d(grad: Callable[[np.ndarray], np.ndarray], x0: Any, lr: float, steps: int) -> np.ndarray:
    """Positions of a fixed-step gradient-descent run on a 2-D function, for the explorers.

    ``grad`` maps a point of shape ``(2,)`` to the gradient there; returns an array of
    shape ``(steps + 1, 2)`` (row t is the point after t steps). ``x0`` is not modified.
    """
    start = np.array(x0, dtype=float).reshape(2)
    return _descend(grad, start, float(lr), steps)


def elongated_quadratic(
    a: float = 0.1, b: float = 2.0
) -> tuple[Callable[[np.ndarray], np.ndarray], Callable[[np.ndarray], np.ndarray]]:
    """The 2-D problem ``f(x, y) = a*x**2 + b*y**2`` and its gradient ``(2a*x, 2b*y)``.

    With ``a < b`` its contours are ellipses stretched along x (an "elongated" valley).
    ``f`` accepts any array whose last axis has length 2 (a point or a grid of points).
    """

    def f(p: np.ndarray) -> np.ndarray:
        p = np.asarray(p, dtype=float)
        return a * p[..., 0] ** 2 + b * p[..., 1] ** 2

    def grad(p: np.ndarray) -> np.ndarray:
        p = np.asarray(p, dtype=float)
        return np.stack([2 * a * p[..., 0], 2 * b * p[..., 1]], axis=-1)

    return f, grad
