"""Interactive learning-rate explorers: sliders that redraw a gradient-descent run at once.

Two layers, so notebooks 03-06 can reuse them:

* pure functions that compute a run and touch no widget: :func:`run_1d`, :func:`run_2d`
  (both driven by one private engine, a plain fixed-step descent loop that exists only
  to feed the pictures; it is not any exercise's answer), and
  :func:`elongated_quadratic`, the 2-D test problem;
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

import html
import io
import time
import warnings
from collections.abc import Callable, Mapping
from typing import Any

import ipywidgets as widgets
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import LogLocator, NullLocator
from PIL import Image as PILImage

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

# Values drawn beyond this many view-widths outside the axes are clipped (the line still
# leaves the frame in the right direction); non-finite values are not drawn at all.
_CLIP_WIDTHS = 1e3
# The loss axis (log scale) never extends beyond these bounds.
_LOSS_FLOOR, _LOSS_CEIL = 1e-30, 1e30


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


def _clip_to_view(values: np.ndarray, lo: float, hi: float) -> np.ndarray:
    """Finite values clipped to a wide band around ``[lo, hi]``; inf and nan become nan (a gap)."""
    width = (hi - lo) * _CLIP_WIDTHS
    out = np.where(np.isfinite(values), values, np.nan)
    with np.errstate(invalid="ignore"):
        return np.clip(out, lo - width, hi + width)


def _clip_losses(losses: np.ndarray) -> np.ndarray:
    """Losses made drawable on a log axis: +inf at the ceiling, nan and ≤ 0 at the floor/gap."""
    out = np.where(np.isposinf(losses), _LOSS_CEIL, losses)
    out = np.where(np.isfinite(out), out, np.nan)
    with np.errstate(invalid="ignore"):
        return np.clip(out, _LOSS_FLOOR, _LOSS_CEIL)


def _loss_limits(drawn: np.ndarray) -> tuple[float, float]:
    """Log-axis limits rounded out to decades (so they rarely change while a slider moves)."""
    finite = drawn[np.isfinite(drawn)]
    if finite.size == 0:
        return 1e-3, 1e3
    # whole multiples of 3 decades: a dragged slider crosses few distinct limits (each costs a full redraw)
    lo = 10.0 ** (3 * np.floor(np.log10(finite.min()) / 3))
    hi = 10.0 ** (3 * np.ceil(np.log10(finite.max()) / 3))
    if hi < lo * 100:
        lo, hi = lo / 1000, hi * 1000
    return max(lo, _LOSS_FLOOR), min(hi, _LOSS_CEIL * 10)


def _steps_limit(steps: int) -> int:
    """The loss axis' right end: the first of 5, 10, 20, 50, 100, ... not below ``steps``."""
    limit = 5
    while limit < steps:
        limit = limit * 2 if str(limit)[0] in "15" else limit * 5 // 2
    return limit


def _nice_step(lo: float, hi: float) -> float:
    """A power of ten giving at least 200 slider notches over ``[lo, hi]`` (start values stay exact)."""
    return float(10.0 ** np.floor(np.log10((hi - lo) / 200)))


def _log_loss_axis(ax: Any) -> None:
    """A log y axis with few ticks and no minor ticks (tick text dominates a full redraw)."""
    ax.set_yscale("log")
    ax.yaxis.set_major_locator(LogLocator(base=10, numticks=7))
    ax.yaxis.set_minor_locator(NullLocator())


def _error_html(name: str, error: BaseException) -> str:
    """A red one-line status message for an exception raised by user code."""
    text = html.escape(f"{type(error).__name__}: {error}")
    return f"<span style='color:#b00'><code>{html.escape(name)}</code> raised {text}</span>"


def _fmt(value: float) -> str:
    return f"{value:.4g}" if np.isfinite(value) else str(value)


class LrExplorer:
    """Shared machinery of the 1-D and 2-D explorers (sliders, status line, redraw).

    Subclasses build the figure and implement :meth:`compute` and :meth:`draw`.
    """

    def __init__(
        self,
        lr: float,
        steps: int,
        lr_range: tuple[float, float],
        max_steps: int,
        classify: Callable[[np.ndarray], str] | None,
        run: Callable[..., np.ndarray] | None,
        extra: Mapping[str, widgets.ValueWidget] | None,
        dpi: int,
    ) -> None:
        lo, hi = np.log10(lr_range[0]), np.log10(lr_range[1])
        self.classify = classify
        self.run = run
        self.dpi = dpi
        self.lr_slider = widgets.FloatLogSlider(
            value=lr,
            base=10,
            min=lo,
            max=hi,
            step=0.01,
            description="learning rate η",
            readout_format=".3g",
            continuous_update=True,
            style={"description_width": "110px"},
            layout=widgets.Layout(width="520px"),
        )
        self.steps_slider = widgets.IntSlider(
            value=steps,
            min=1,
            max=max_steps,
            description="steps",
            continuous_update=True,
            style={"description_width": "110px"},
            layout=widgets.Layout(width="520px"),
        )
        self.extra = dict(extra or {})
        self.status = widgets.HTML(value="")
        self.image = widgets.Image(format="png", layout=widgets.Layout(max_width="100%"))
        self.history = np.empty(0)
        self.losses = np.empty(0)
        self.classification: str | None = None
        self.png = b""
        self.update_seconds: list[float] = []
        self._backgrounds: dict[tuple, Any] = {}

    # -- to be provided by subclasses ------------------------------------------------------
    def start_sliders(self) -> list[widgets.Widget]:
        """The sliders that set the start point."""
        raise NotImplementedError

    def start_point(self) -> Any:
        """The start point the sliders currently set."""
        raise NotImplementedError

    def compute(self, x0: Any, lr: float, steps: int) -> tuple[np.ndarray, np.ndarray]:
        """The run's positions and its loss per iteration."""
        raise NotImplementedError

    def draw(self) -> None:
        """Put ``history`` and ``losses`` into the figure's artists."""
        raise NotImplementedError

    # -- shared -----------------------------------------------------------------------------
    def _finish_init(self) -> None:
        controls = [self.lr_slider, *self.start_sliders(), self.steps_slider, *self.extra.values()]
        for control in controls:
            control.observe(self.update, names="value")
        self.widget = widgets.VBox([*controls, self.status, self.image])
        self.update()

    def extra_values(self) -> dict[str, Any]:
        """Current values of the extra sliders, by name."""
        return {name: w.value for name, w in self.extra.items()}

    def _classify(self) -> str | None:
        if self.classify is None:
            return None
        name = getattr(self.classify, "__name__", "the classifier")
        try:
            with np.errstate(all="ignore"), warnings.catch_warnings():
                warnings.simplefilter("ignore")
                label = self.classify(self.history.copy())
        except NotImplementedError:
            self.classification = None
            return f"<i>implement <code>{name}</code> to see this run's class here</i>"
        except Exception as error:  # noqa: BLE001 - a student's function may raise anything
            self.classification = None
            return _error_html(name, error)
        self.classification = str(label)
        return f"run: <b>{self.classification}</b>"

    def update(self, change: Any = None) -> None:
        """Recompute the run for the current slider values and redraw (the sliders' callback)."""
        started = time.perf_counter()
        lr, steps = float(self.lr_slider.value), int(self.steps_slider.value)
        with np.errstate(all="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                self.history, self.losses = self.compute(self.start_point(), lr, steps)
            except Exception as error:  # noqa: BLE001 - a custom `run` may be a student's unfinished code
                self.classification = None
                name = getattr(self.run, "__name__", "the run")
                if isinstance(error, NotImplementedError):
                    self.status.value = f"<i>implement <code>{name}</code> to see the run here</i>"
                else:
                    self.status.value = _error_html(name, error)
                return
            verdict = self._classify()
            self.draw()
            last = self.losses[-1] if self.losses.size else np.nan
            parts = [f"η = {lr:.3g}", f"{steps} steps", f"final loss {_fmt(float(last))}"]
            if verdict:
                parts.append(verdict)
            if self.classification is not None:
                self.title.set_text(f"η = {lr:.3g}: {self.classification}")
            else:
                self.title.set_text(f"η = {lr:.3g}")
            self.status.value = " &nbsp;·&nbsp; ".join(parts)
            self.png = self.render()
            self.image.value = self.png
        self.update_seconds.append(time.perf_counter() - started)

    def dynamic_artists(self) -> list[Any]:
        """The artists an update changes; everything else is drawn once and cached."""
        return [self.path_line, self.start_marker, self.loss_line, self.title]

    def render(self) -> bytes:
        """The figure as PNG bytes.

        The static part (axes, ticks, curve or contours) is rendered once per set of axis
        limits and cached; an update restores it and draws only the changed artists, which
        is what keeps a slider update well under 50 ms.
        """
        canvas = self.fig.canvas
        key = tuple(tuple(ax.get_xlim()) + tuple(ax.get_ylim()) for ax in self.fig.axes)
        dynamic = self.dynamic_artists()
        for artist in dynamic:
            artist.set_animated(True)
        if key in self._backgrounds:
            canvas.restore_region(self._backgrounds[key])
        else:
            canvas.draw()  # animated artists are left out: this is the background
            if len(self._backgrounds) >= 16:
                self._backgrounds.clear()
            self._backgrounds[key] = canvas.copy_from_bbox(self.fig.bbox)
        renderer = canvas.get_renderer()
        for artist in dynamic:
            artist.draw(renderer)
        rgba = np.asarray(canvas.buffer_rgba())
        buffer = io.BytesIO()
        PILImage.fromarray(rgba[..., :3]).save(buffer, format="png", compress_level=1)
        return buffer.getvalue()

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        """Show the explorer's widget when it is the value of a notebook cell."""
        return self.widget._repr_mimebundle_(**kwargs)


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
        self.x0_slider = widgets.FloatSlider(
            value=x0,
            min=self.x_range[0],
            max=self.x_range[1],
            step=_nice_step(*self.x_range),
            description="start x₀",
            continuous_update=True,
            style={"description_width": "110px"},
            layout=widgets.Layout(width="520px"),
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
        (self.loss_line,) = self.ax_loss.plot([], [], ".-", color="tab:blue", ms=3)
        _log_loss_axis(self.ax_loss)
        self.ax_loss.set_xlabel("iteration t")
        self.ax_loss.set_ylabel("loss f(x_t)")
        self.ax_loss.grid(True, which="major", alpha=0.3)
        self.title = self.fig.suptitle("")
        self.fig.subplots_adjust(left=0.07, right=0.98, bottom=0.15, top=0.87, wspace=0.25)
        self._finish_init()

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
        xs = _clip_to_view(self.history, *self.x_range)
        ylo, yhi = self.ax_curve.get_ylim()
        with np.errstate(all="ignore"):
            ys = np.array([float(self.f(np.float64(x))) if np.isfinite(x) else np.nan for x in xs])
        ys = _clip_to_view(ys, ylo, yhi)
        self.path_line.set_data(xs, ys)
        self.start_marker.set_data(xs[:1], ys[:1])
        drawn = _clip_losses(self.losses)
        self.loss_line.set_data(np.arange(drawn.size), drawn)
        self.ax_loss.set_xlim(0, _steps_limit(drawn.size - 1))
        self.ax_loss.set_ylim(*_loss_limits(drawn))


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
            widgets.FloatSlider(
                value=float(v),
                min=r[0],
                max=r[1],
                step=_nice_step(*r),
                description=label,
                continuous_update=True,
                style={"description_width": "110px"},
                layout=widgets.Layout(width="520px"),
            )
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
        (self.loss_line,) = self.ax_loss.plot([], [], ".-", color="tab:blue", ms=3)
        _log_loss_axis(self.ax_loss)
        self.ax_loss.set_xlabel("iteration t")
        self.ax_loss.set_ylabel("loss f(x_t, y_t)")
        self.ax_loss.grid(True, which="major", alpha=0.3)
        self.title = self.fig.suptitle("")
        self.fig.subplots_adjust(left=0.07, right=0.98, bottom=0.15, top=0.87, wspace=0.25)
        self._finish_init()

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
        xs = _clip_to_view(self.history[:, 0], *self.x_range)
        ys = _clip_to_view(self.history[:, 1], *self.y_range)
        self.path_line.set_data(xs, ys)
        self.start_marker.set_data(xs[:1], ys[:1])
        drawn = _clip_losses(self.losses)
        self.loss_line.set_data(np.arange(drawn.size), drawn)
        self.ax_loss.set_xlim(0, _steps_limit(drawn.size - 1))
        self.ax_loss.set_ylim(*_loss_limits(drawn))


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
