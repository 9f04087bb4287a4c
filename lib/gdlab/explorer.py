"""The machinery every learning-rate explorer shares: sliders, status line, redraw, PNG render.

:class:`LrExplorer` recomputes a run whenever a slider moves, labels it with the lesson's
``classify`` function when there is one (a student's unfinished or raising function shows a hint,
never an error), and renders only what changed over a cached background.
"""

from __future__ import annotations

import io
import time
import warnings
from collections.abc import Callable, Mapping
from typing import Any

import ipywidgets as widgets
import numpy as np
from PIL import Image as PILImage

from gdlab.slider_axes import clip_losses, error_html, fmt, log_loss_axis, loss_limits, steps_limit

__all__ = ["LrExplorer", "slider"]


def slider(kind: type[widgets.ValueWidget], description: str, **options: Any) -> widgets.ValueWidget:
    """A slider of ``kind`` in the explorers' look, redrawing while it is dragged."""
    return kind(
        description=description,
        continuous_update=True,
        style={"description_width": "110px"},
        layout=widgets.Layout(width="520px"),
        **options,
    )


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
        self.lr_slider = slider(
            widgets.FloatLogSlider,
            "learning rate η",
            value=lr,
            base=10,
            min=lo,
            max=hi,
            step=0.01,
            readout_format=".3g",
        )
        self.steps_slider = slider(widgets.IntSlider, "steps", value=steps, min=1, max=max_steps)
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
    def _finish_init(self, loss_label: str) -> None:
        """Set up the loss axis (log scale), the title and the widget; draw the first run."""
        (self.loss_line,) = self.ax_loss.plot([], [], ".-", color="tab:blue", ms=3)
        log_loss_axis(self.ax_loss)
        self.ax_loss.set_xlabel("iteration t")
        self.ax_loss.set_ylabel(loss_label)
        self.ax_loss.grid(True, which="major", alpha=0.3)
        self.title = self.fig.suptitle("")
        self.fig.subplots_adjust(left=0.07, right=0.98, bottom=0.15, top=0.87, wspace=0.25)
        controls = [self.lr_slider, *self.start_sliders(), self.steps_slider, *self.extra.values()]
        for control in controls:
            control.observe(self.update, names="value")
        self.widget = widgets.VBox([*controls, self.status, self.image])
        self.update()

    def _draw_losses(self) -> None:
        """The loss per iteration on the log axis, clipped to what the axis can show."""
        drawn = clip_losses(self.losses)
        self.loss_line.set_data(np.arange(drawn.size), drawn)
        self.ax_loss.set_xlim(0, steps_limit(drawn.size - 1))
        self.ax_loss.set_ylim(*loss_limits(drawn))

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
            return error_html(name, error)
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
                    self.status.value = error_html(name, error)
                return
            verdict = self._classify()
            self.draw()
            last = self.losses[-1] if self.losses.size else np.nan
            parts = [f"η = {lr:.3g}", f"{steps} steps", f"final loss {fmt(float(last))}"]
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
