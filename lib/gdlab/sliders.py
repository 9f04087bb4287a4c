"""Interactive learning-rate explorers: sliders that redraw a gradient-descent run at once.

Two layers, so notebooks 03-06 can reuse them:

* pure functions that compute a run and touch no widget: :func:`run_1d`, :func:`run_2d`
  and :func:`elongated_quadratic`, the 2-D test problem (in :mod:`gdlab.descent_runs`,
  re-exported here);
* widget wrappers, :func:`lr_explorer_1d` and :func:`lr_explorer_2d`: a log-scale
  learning-rate slider (``ipywidgets.FloatLogSlider``), start-point and step-count sliders,
  the path drawn on the curve (1-D) or over the contours (2-D), the loss per iteration on
  a log axis, and the run's class when a ``classify`` function is given.

They work with JupyterLab's inline backend (no ipympl): each explorer keeps one
matplotlib ``Figure`` that pyplot does not manage, updates its ``Line2D`` data, renders
it to PNG and sets that as the value of an ``ipywidgets.Image`` (an ``Output`` widget
redrawn from a callback can stall headless runners such as nbclient, jupyter/nbclient#312,
and costs a display round trip). Diverging runs (inf, nan) are drawn clipped, never raise, never warn.

Everything a test needs is an attribute: ``fig``, the lines (``path_line``,
``loss_line`` ...), the sliders (``lr_slider``, ``steps_slider`` ...), ``history``,
``losses``, ``classification`` and the ``status`` text.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import ipywidgets as widgets
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from gdlab.descent_runs import elongated_quadratic, run_1d, run_2d
from gdlab.explorer import LrExplorer, slider
from gdlab.slider_axes import clip_to_view, nice_step

__all__ = [
    "run_1d",
    "run_2d",
    "elongated_quadratic",
    "LrExplorer",
    "LrExplorer1D",
    "LrExplorer2D",
    "lr_explorer_1d",
    "lr_explorer_2d",
]


class LrExplorer1D(LrExplorer):
    """Learning-rate explorer on a 1-D function: the path on the curve and the loss per step.

    Attributes: ``fig``, ``ax_curve``, ``ax_loss``, ``curve_line`` (the function),
    ``path_line`` (the run's points on the curve), ``start_marker``, ``loss_line``,
    ``lr_slider``, ``x0_slider``, ``steps_slider``, ``status``, ``out``, ``widget``,
    ``history``, ``losses``, ``classification``.
    """

    def __init__(
        self,
        f: Callable[[Any], Any],
        df: Callable[[Any], Any],
        x0: float = 3.0,
        lr: float = 0.1,
        steps: int = 30,
        classify: Callable[[np.ndarray], str] | None = None,
        x_range: tuple[float, float] = (-4.0, 4.0),
        lr_range: tuple[float, float] = (1e-3, 10.0),
        max_steps: int = 200,
        run: Callable[..., np.ndarray] | None = None,
        extra: Mapping[str, widgets.ValueWidget] | None = None,
        dpi: int = 72,
    ) -> None:
        super().__init__(lr, steps, lr_range, max_steps, classify, run, extra, dpi)
        self.f, self.df = f, df
        self.x_range = (float(x_range[0]), float(x_range[1]))
        self.x0_slider = slider(
            widgets.FloatSlider,
            "start x₀",
            value=x0,
            min=self.x_range[0],
            max=self.x_range[1],
            step=nice_step(*self.x_range),
        )
        self.fig = Figure(figsize=(9.5, 3.6), dpi=dpi)
        FigureCanvasAgg(self.fig)
        self.ax_curve, self.ax_loss = self.fig.subplots(1, 2)
        grid = np.linspace(*self.x_range, 400)
        with np.errstate(all="ignore"):
            curve = np.array([float(f(np.float64(x))) for x in grid])
        (self.curve_line,) = self.ax_curve.plot(grid, curve, color="0.3", lw=1.5)
        (self.path_line,) = self.ax_curve.plot([], [], "o-", color="tab:red", ms=4, lw=1, alpha=0.8)
        (self.start_marker,) = self.ax_curve.plot([], [], "s", color="tab:green", ms=7)
        finite = curve[np.isfinite(curve)]
        pad = 0.08 * (finite.max() - finite.min() + 1e-12)
        self.ax_curve.set_xlim(*self.x_range)
        self.ax_curve.set_ylim(finite.min() - pad, finite.max() + pad)
        self.ax_curve.set_xlabel("x")
        self.ax_curve.set_ylabel("f(x)")
        self._finish_init("loss f(x_t)")

    def start_sliders(self) -> list[widgets.Widget]:
        """The start-point slider."""
        return [self.x0_slider]

    def start_point(self) -> float:
        """The start x₀ set by its slider."""
        return float(self.x0_slider.value)

    def compute(self, x0: float, lr: float, steps: int) -> tuple[np.ndarray, np.ndarray]:
        """Positions (``run_1d`` or the custom ``run``) and ``f`` at each of them."""
        if self.run is None:
            history = run_1d(self.df, x0, lr, steps)
        else:
            history = np.asarray(self.run(self.df, x0, lr, steps, **self.extra_values()), dtype=float)
        losses = np.array([float(self.f(np.float64(x))) if np.isfinite(x) else np.nan for x in history])
        losses[np.isnan(losses) & ~np.isfinite(history)] = np.inf
        return history, losses

    def draw(self) -> None:
        """Path on the curve (clipped to the view), start marker, loss curve."""
        xs = clip_to_view(self.history, *self.x_range)
        ylo, yhi = self.ax_curve.get_ylim()
        with np.errstate(all="ignore"):
            ys = np.array([float(self.f(np.float64(x))) if np.isfinite(x) else np.nan for x in xs])
        ys = clip_to_view(ys, ylo, yhi)
        self.path_line.set_data(xs, ys)
        self.start_marker.set_data(xs[:1], ys[:1])
        self._draw_losses()


class LrExplorer2D(LrExplorer):
    """Learning-rate explorer on a 2-D function: the path over the contours and the loss per step.

    Attributes: ``fig``, ``ax_contour``, ``ax_loss``, ``path_line``, ``start_marker``,
    ``loss_line``, ``lr_slider``, ``x0_slider``, ``y0_slider``, ``steps_slider``,
    ``status``, ``out``, ``widget``, ``history`` (shape ``(steps + 1, 2)``), ``losses``,
    ``classification``.
    """

    def __init__(
        self,
        f: Callable[[np.ndarray], Any] | None = None,
        grad: Callable[[np.ndarray], np.ndarray] | None = None,
        x0: tuple[float, float] = (-5.0, -2.0),
        lr: float = 0.4,
        steps: int = 20,
        classify: Callable[[np.ndarray], str] | None = None,
        x_range: tuple[float, float] = (-6.0, 6.0),
        y_range: tuple[float, float] = (-3.0, 3.0),
        lr_range: tuple[float, float] = (1e-3, 10.0),
        max_steps: int = 200,
        run: Callable[..., np.ndarray] | None = None,
        extra: Mapping[str, widgets.ValueWidget] | None = None,
        levels: int = 14,
        dpi: int = 72,
    ) -> None:
        super().__init__(lr, steps, lr_range, max_steps, classify, run, extra, dpi)
        if (f is None) != (grad is None):
            raise ValueError("pass both f and grad, or neither (for the default elongated quadratic)")
        if f is None:
            f, grad = elongated_quadratic()
        self.f, self.grad = f, grad
        self.x_range = (float(x_range[0]), float(x_range[1]))
        self.y_range = (float(y_range[0]), float(y_range[1]))
        self.x0_slider, self.y0_slider = (
            slider(widgets.FloatSlider, label, value=float(v), min=r[0], max=r[1], step=nice_step(*r))
            for v, r, label in ((x0[0], self.x_range, "start x₀"), (x0[1], self.y_range, "start y₀"))
        )
        self.fig = Figure(figsize=(9.5, 3.8), dpi=dpi)
        FigureCanvasAgg(self.fig)
        self.ax_contour, self.ax_loss = self.fig.subplots(1, 2, gridspec_kw={"width_ratios": [1.4, 1]})
        gx, gy = np.meshgrid(np.linspace(*self.x_range, 121), np.linspace(*self.y_range, 81))
        with np.errstate(all="ignore"):
            gz = np.asarray(f(np.stack([gx, gy], axis=-1)), dtype=float)
        positive = gz[np.isfinite(gz)]
        if positive.size and positive.min() >= 0:
            top = positive.max()
            bottom = max(np.percentile(positive, 1), top * 1e-4, 1e-12)
            lv = np.geomspace(bottom, top, levels)
        else:
            lv = levels
        self.ax_contour.contour(gx, gy, gz, levels=lv, cmap="viridis", linewidths=0.8)
        (self.path_line,) = self.ax_contour.plot([], [], "o-", color="tab:red", ms=3, lw=1)
        (self.start_marker,) = self.ax_contour.plot([], [], "s", color="tab:green", ms=7)
        self.ax_contour.plot([0], [0], "*", color="k", ms=8)
        self.ax_contour.set_xlim(*self.x_range)
        self.ax_contour.set_ylim(*self.y_range)
        self.ax_contour.set_xlabel("x")
        self.ax_contour.set_ylabel("y")
        self._finish_init("loss f(x_t, y_t)")

    def start_sliders(self) -> list[widgets.Widget]:
        """The two start-point sliders."""
        return [self.x0_slider, self.y0_slider]

    def start_point(self) -> np.ndarray:
        """The start point (x₀, y₀) set by the sliders."""
        return np.array([self.x0_slider.value, self.y0_slider.value], dtype=float)

    def compute(self, x0: np.ndarray, lr: float, steps: int) -> tuple[np.ndarray, np.ndarray]:
        """Positions (``run_2d`` or the custom ``run``) and ``f`` at each of them."""
        if self.run is None:
            history = run_2d(self.grad, x0, lr, steps)
        else:
            history = np.asarray(self.run(self.grad, x0, lr, steps, **self.extra_values()), dtype=float)
        losses = np.asarray(self.f(history), dtype=float).reshape(-1)
        losses[np.isnan(losses) & ~np.all(np.isfinite(history), axis=-1)] = np.inf
        return history, losses

    def draw(self) -> None:
        """Path over the contours (clipped to the view), start marker, loss curve."""
        xs = clip_to_view(self.history[:, 0], *self.x_range)
        ys = clip_to_view(self.history[:, 1], *self.y_range)
        self.path_line.set_data(xs, ys)
        self.start_marker.set_data(xs[:1], ys[:1])
        self._draw_losses()


def lr_explorer_1d(
    f: Callable[[Any], Any],
    df: Callable[[Any], Any],
    x0: float = 3.0,
    lr: float = 0.1,
    steps: int = 30,
    classify: Callable[[np.ndarray], str] | None = None,
    **options: Any,
) -> LrExplorer1D:
    """Sliders for learning rate (log scale), start point and steps on the 1-D function ``f``.

    ``df`` is ``f``'s derivative. ``classify(history)``, when given, labels each run
    (a ``NotImplementedError`` shows a hint to implement it, never an error).
    ``options`` go to :class:`LrExplorer1D` (``x_range``, ``lr_range``, ``max_steps``,
    ``run``, ``extra``, ``dpi``). Make it a cell's last value to show it.
    """
    return LrExplorer1D(f, df, x0=x0, lr=lr, steps=steps, classify=classify, **options)


def lr_explorer_2d(
    f: Callable[[np.ndarray], Any] | None = None,
    grad: Callable[[np.ndarray], np.ndarray] | None = None,
    x0: tuple[float, float] = (-5.0, -2.0),
    lr: float = 0.4,
    steps: int = 20,
    classify: Callable[[np.ndarray], str] | None = None,
    **options: Any,
) -> LrExplorer2D:
    """Sliders for learning rate (log scale), start point and steps on a 2-D function.

    Without ``f``/``grad`` the problem is :func:`elongated_quadratic` ``0.1x² + 2y²``.
    ``f`` must accept arrays whose last axis has length 2. ``options`` go to
    :class:`LrExplorer2D` (``x_range``, ``y_range``, ``lr_range``, ``max_steps``, ``run``,
    ``extra``, ``levels``, ``dpi``).
    """
    return LrExplorer2D(f, grad, x0=x0, lr=lr, steps=steps, classify=classify, **options)
