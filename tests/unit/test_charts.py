"""The weekly chart: a small deterministic PNG, Chinese with a CJK font, else English."""

from __future__ import annotations

import importlib.util
import struct
import sys
import warnings
from datetime import date, timedelta

import pytest

from tracker.adapters.files import charts
from tracker.domain.stats import WeekPoint

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
TITLE = "销售部工作群 近 8 周回复统计"


def points() -> list[WeekPoint]:
    start = date(2026, 9, 28)
    weeks = [
        WeekPoint(start + timedelta(weeks=i), 10, 10, 6 + i % 4, timedelta(minutes=3 + i))
        for i in range(8)
    ]
    weeks[3] = WeekPoint(weeks[3].week_start, 0, 0, 0, None)  # a week without directives
    return weeks


def size(png: bytes) -> tuple[int, int]:
    return struct.unpack(">II", png[16:24])  # IHDR width and height


def glyph_warnings(render) -> list[str]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        render()
    return [
        str(w.message)
        for w in caught
        if "missing from font" in str(w.message) or "Glyph" in str(w.message)
    ]


@pytest.fixture
def no_cjk_font(monkeypatch):
    monkeypatch.setattr(charts, "cjk_font", lambda: None)


def test_the_chart_is_an_800_by_450_png():
    png = charts.weekly_chart_png(points(), TITLE)
    assert png.startswith(PNG_SIGNATURE)
    assert size(png) == (800, 450)
    assert len(png) < 200_000


def test_the_same_points_give_the_same_bytes():
    assert charts.weekly_chart_png(points(), TITLE) == charts.weekly_chart_png(points(), TITLE)


def test_different_points_give_a_different_chart():
    other = points()[::-1]
    assert charts.weekly_chart_png(other, TITLE) != charts.weekly_chart_png(points(), TITLE)


def test_the_png_carries_no_software_version():
    assert b"matplotlib" not in charts.weekly_chart_png(points(), TITLE).lower()


@pytest.mark.skipif(not charts.cjk_font_available(), reason="no CJK font on this machine")
def test_chinese_labels_render_without_missing_glyphs():
    assert glyph_warnings(lambda: charts.weekly_chart_png(points(), TITLE)) == []


def test_without_a_cjk_font_the_chart_falls_back_to_english_without_missing_glyphs(no_cjk_font):
    assert not charts.cjk_font_available()
    png = None

    def render():
        nonlocal png
        png = charts.weekly_chart_png(points(), TITLE)

    assert glyph_warnings(render) == []
    assert png.startswith(PNG_SIGNATURE) and size(png) == (800, 450)
    assert png == charts.weekly_chart_png(points(), charts.FALLBACK_TITLE)


def test_without_a_cjk_font_an_ascii_title_is_kept(no_cjk_font):
    assert charts.weekly_chart_png(points(), "Sales") != charts.weekly_chart_png(points(), "Ops")


def test_empty_and_all_none_series_still_render(no_cjk_font):
    blank = [WeekPoint(date(2026, 11, 2), 0, 0, 0, None)]
    for series in ([], blank):
        assert charts.weekly_chart_png(series, "empty").startswith(PNG_SIGNATURE)


def test_the_lookup_reports_no_font_when_neither_source_has_one(monkeypatch):
    monkeypatch.setattr(charts, "_system_cjk_font", lambda: None)
    monkeypatch.setattr(charts, "_mplfonts_cjk_font", lambda: None)
    charts.cjk_font.cache_clear()
    try:
        assert charts.cjk_font() is None and not charts.cjk_font_available()
    finally:
        charts.cjk_font.cache_clear()


@pytest.mark.skipif(importlib.util.find_spec("mplfonts") is None, reason="mplfonts not installed")
def test_the_mplfonts_noto_file_is_found_without_importing_the_package():
    path = charts._mplfonts_cjk_font()
    assert path is not None and path.name == "NotoSansCJKsc-Regular.otf" and path.is_file()
    assert "mplfonts" not in sys.modules
