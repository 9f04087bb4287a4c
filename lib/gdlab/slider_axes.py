"""Drawing helpers of the learning-rate explorers: clipping runs to the view, the log loss axis.

A diverging run (inf, nan, 1e300) must be drawn, never raise and never warn; and every axis
limit changes as rarely as possible while a slider moves, since each change costs a full redraw.
"""

from __future__ import annotations

import html
from typing import Any

import numpy as np
from matplotlib.ticker import LogLocator, NullLocator

# Values drawn beyond this many view-widths outside the axes are clipped (the line still
# leaves the frame in the right direction); non-finite values are not drawn at all.
CLIP_WIDTHS = 1e3
# The loss axis (log scale) never extends beyond these bounds.
LOSS_FLOOR, LOSS_CEIL = 1e-30, 1e30


def clip_to_view(values: np.ndarray, lo: float, hi: float) -> np.ndarray:
    """Finite values clipped to a wide band around ``[lo, hi]``; inf and nan become nan (a gap)."""
    width = (hi - lo) * CLIP_WIDTHS
    out = np.where(np.isfinite(values), values, np.nan)
    with np.errstate(invalid="ignore"):
        return np.clip(out, lo - width, hi + width)


def clip_losses(losses: np.ndarray) -> np.ndarray:
    """Losses made drawable on a log axis: +inf at the ceiling, nan and ≤ 0 at the floor/gap."""
    out = np.where(np.isposinf(losses), LOSS_CEIL, losses)
    out = np.where(np.isfinite(out), out, np.nan)
    with np.errstate(invalid="ignore"):
        return np.clip(out, LOSS_FLOOR, LOSS_CEIL)


def loss_limits(drawn: np.ndarray) -> tuple[float, float]:
    """Log-axis limits rounded out to decades (so they rarely change while a slider moves)."""
    finite = drawn[np.isfinite(drawn)]
    if finite.size == 0:
        return 1e-3, 1e3
    # whole multiples of 3 decades: a dragged slider crosses few distinct limits (each costs a full redraw)
    lo = 10.0 ** (3 * np.floor(np.log10(finite.min()) / 3))
    hi = 10.0 ** (3 * np.ceil(np.log10(finite.max()) / 3))
    if hi < lo * 100:
        lo, hi = lo / 1000, hi * 1000
    return max(lo, LOSS_FLOOR), min(hi, LOSS_CEIL * 10)


def steps_limit(steps: int) -> int:
    """The loss axis' right end: the first of 5, 10, 20, 50, 100, ... not below ``steps``."""
    limit = 5
    while limit < steps:
        limit = limit * 2 if str(limit)[0] in "15" else limit * 5 // 2
    return limit


def nice_step(lo: float, hi: float) -> float:
    """A power of ten giving at least 200 slider notches over ``[lo, hi]`` (start values stay exact)."""
    return float(10.0 ** np.floor(np.log10((hi - lo) / 200)))


def log_loss_axis(ax: Any) -> None:
    """A log y axis with few ticks and no minor ticks (tick text dominates a full redraw)."""
    ax.set_yscale("log")
    ax.yaxis.set_major_locator(LogLocator(base=10, numticks=7))
    ax.yaxis.set_minor_locator(NullLocator())


def error_html(name: str, error: BaseException) -> str:
    """A red one-line status message for an exception raised by user code."""
    text = html.escape(f"{type(error).__name__}: {error}")
    return f"<span style='color:#b00'><code>{html.escape(name)}</code> raised {text}</span>"


def fmt(value: float) -> str:
    """``value`` in 4 significant digits, or inf/nan as they are."""
    return f"{value:.4g}" if np.isfinite(value) else str(value)
