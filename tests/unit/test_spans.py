"""Spans of leave as members write them, read at Friday 2026-12-04 15:00 in Shanghai."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from tracker.domain.deadlines.spans import read_span

SHANGHAI = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 12, 4, 15, 0, tzinfo=SHANGHAI)  # a Friday afternoon


def at(month: int, day: int, hour: int = 0, year: int = 2026) -> datetime:
    return datetime(year, month, day, hour, tzinfo=SHANGHAI)


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("明天全天", at(12, 5), at(12, 6)),
        ("今天", at(12, 4), at(12, 5)),  # today, though the afternoon is half gone
        ("今天下午", at(12, 4, 12), at(12, 5)),
        ("下午", at(12, 4, 12), at(12, 5)),
        ("下周一上午", at(12, 7), at(12, 7, 12)),
        ("12月8日到12月10日", at(12, 8), at(12, 11)),
        ("12月8日-10日", at(12, 8), at(12, 11)),
        ("12月7日至12月9日", at(12, 7), at(12, 10)),
        ("周三到周五", at(12, 9), at(12, 12)),  # the second end read from the first's day
        ("明天9点到11点", at(12, 5, 9), at(12, 5, 11)),
        ("明天上午到后天下午", at(12, 5), at(12, 7)),
        ("今天到下周二", at(12, 4), at(12, 9)),
        ("明天起三天", at(12, 5), at(12, 8)),
        ("两天", at(12, 4), at(12, 6)),
        ("10号", at(12, 10), at(12, 11)),
        ("明天下午3点", at(12, 5, 15), at(12, 6)),
    ],
)
def test_spans_as_people_write_them(text, start, end):
    span = read_span(text, NOW)
    assert span is not None, text
    assert (span.start, span.end) == (start, end)


@pytest.mark.parametrize("text", ["", "随便写写", "家里有事", "昨天", "12月10日到12月8日"])
def test_what_names_no_span_ahead_reads_as_none(text):
    assert read_span(text, NOW) is None
