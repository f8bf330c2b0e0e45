"""Shared helpers for the deadline case tables (tests/unit/test_deadlines_*.py, bench_deadlines).

A case is (message, expected local time "YYYY-MM-DD HH:MM" or None, the `now` it is read at).
The moments are chosen so calendar rules show: a Tuesday morning, the same Tuesday late at night,
a Friday afternoon, the last day of a month and the end of the year.
"""

from __future__ import annotations

from datetime import datetime
from typing import NamedTuple
from zoneinfo import ZoneInfo

from tracker.domain.deadlines.reader import read_deadline

SHANGHAI = ZoneInfo("Asia/Shanghai")
NOWS = {
    "tue": datetime(2026, 11, 24, 10, 0, tzinfo=SHANGHAI),  # Tuesday morning
    "night": datetime(2026, 11, 24, 23, 30, tzinfo=SHANGHAI),  # the same Tuesday, late
    "fri": datetime(2026, 11, 27, 16, 0, tzinfo=SHANGHAI),  # Friday afternoon
    "eom": datetime(2026, 11, 30, 9, 0, tzinfo=SHANGHAI),  # Monday, last day of November
    "eoy": datetime(2026, 12, 30, 10, 0, tzinfo=SHANGHAI),  # Wednesday before New Year
}


class Case(NamedTuple):
    text: str
    expected: str | None
    now: str = "tue"


def case_id(case: Case) -> str:
    return f"{case.now}:{case.text}"


def reading_of(case: Case) -> str | None:
    """The parser's answer in the form of `Case.expected`."""
    reading = read_deadline(case.text, NOWS[case.now])
    return None if reading is None else reading.at.strftime("%Y-%m-%d %H:%M")


def check(case: Case) -> None:
    reading = read_deadline(case.text, NOWS[case.now])
    got = None if reading is None else reading.at.strftime("%Y-%m-%d %H:%M")
    assert got == case.expected, f"{case.text!r} read at {NOWS[case.now]:%a %m-%d %H:%M}"
    if reading is not None:
        assert reading.at.tzinfo is not None
        assert reading.at >= NOWS[case.now]
        assert reading.phrase and reading.phrase in case.text
