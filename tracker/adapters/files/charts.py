"""The weekly reply chart as PNG bytes: on-time rate and median ack time per week.

Uses `Figure` and the Agg canvas directly, never pyplot: no GUI backend, no global figure state.
Chinese labels need a CJK font; without one the chart falls back to English labels, so it never
shows tofu boxes. The same points and title give the same bytes.
"""

from __future__ import annotations

import functools
import importlib.util
import io
import math
from pathlib import Path

from matplotlib import font_manager
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties

from tracker.domain.stats import WeekPoint, percent
from tracker.texts.export import CHART_LABELS

CJK_FAMILIES = (
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "WenQuanYi Micro Hei",
    "SimHei",
    "Microsoft YaHei",
    "PingFang SC",
    "Noto Sans SC",
)
MPLFONTS_FILE = ("fonts", "NotoSansCJKsc-Regular.otf")
SIZE_INCHES, DPI = (8, 4.5), 100  # 800 x 450 px

LABELS_EN = {"rate": "on-time %", "median": "median ack (min)"}
FALLBACK_TITLE = "Acks by week"
BAR, LINE = "#4C78A8", "#F58518"


def _system_cjk_font() -> Path | None:
    files = {entry.name: entry.fname for entry in font_manager.fontManager.ttflist}
    for family in CJK_FAMILIES:
        if family in files:
            return Path(files[family])
    return None


def _mplfonts_cjk_font() -> Path | None:
    """The Noto Sans CJK file that the `mplfonts` package ships, found without importing it."""
    try:
        spec = importlib.util.find_spec("mplfonts")
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    for folder in spec.submodule_search_locations:
        path = Path(folder).joinpath(*MPLFONTS_FILE)
        if path.is_file():
            return path
    return None


@functools.cache
def cjk_font() -> FontProperties | None:
    """A font that has Chinese glyphs, looked up once per process; None if there is none."""
    path = _system_cjk_font() or _mplfonts_cjk_font()
    return FontProperties(fname=path) if path else None


def cjk_font_available() -> bool:
    return cjk_font() is not None


def weekly_chart_png(points: list[WeekPoint], title: str) -> bytes:
    """Two panels sharing the weeks: on-time rate (%) as bars, median ack minutes as a line.

    Without a CJK font the labels are English, and a title that is not plain ASCII is replaced
    by an English one.
    """
    font = cjk_font()
    labels = CHART_LABELS if font else LABELS_EN
    if font is None and not title.isascii():
        title = FALLBACK_TITLE
    text = {"fontproperties": font} if font else {}

    figure = Figure(figsize=SIZE_INCHES, dpi=DPI, layout="constrained")
    FigureCanvasAgg(figure)
    rate_axes, median_axes = figure.subplots(2, 1, sharex=True)
    xs = list(range(len(points)))
    _draw_rates(rate_axes, xs, points)
    _draw_medians(median_axes, xs, points)
    rate_axes.set_ylabel(labels["rate"], **text)
    median_axes.set_ylabel(labels["median"], **text)
    median_axes.set_xticks(xs, [f"{p.week_start.month}/{p.week_start.day}" for p in points])
    figure.suptitle(title, fontsize=13, **text)

    out = io.BytesIO()
    figure.savefig(out, format="png", dpi=DPI, metadata={"Software": None})
    return out.getvalue()


def _draw_rates(axes, xs: list[int], points: list[WeekPoint]) -> None:
    rates = [percent(p.on_time_rate) if p.on_time_rate is not None else None for p in points]
    shown = [(x, r) for x, r in zip(xs, rates, strict=True) if r is not None]
    bars = axes.bar([x for x, _ in shown], [r for _, r in shown], color=BAR, width=0.6)
    axes.bar_label(bars, labels=[f"{r}%" for _, r in shown], fontsize=8)
    axes.set_ylim(0, 115)
    axes.set_yticks([0, 25, 50, 75, 100], ["0%", "25%", "50%", "75%", "100%"])
    axes.grid(axis="y", alpha=0.3)


def _draw_medians(axes, xs: list[int], points: list[WeekPoint]) -> None:
    minutes = [
        p.median_ack.total_seconds() / 60 if p.median_ack is not None else math.nan for p in points
    ]
    axes.plot(xs, minutes, color=LINE, marker="o")
    known = [m for m in minutes if not math.isnan(m)]
    axes.set_ylim(0, max(known, default=1) * 1.2 or 1)
    axes.grid(axis="y", alpha=0.3)
    if points:
        axes.set_xlim(-0.5, len(points) - 0.5)
