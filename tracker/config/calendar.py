"""Config values for time of day and the business calendar: clock mode, hour ranges, dates."""

from __future__ import annotations

from datetime import date, time
from typing import Any

from tracker.config import values as v
from tracker.domain.clock import WorkCalendar
from tracker.domain.periods import YEARS

CALENDAR_KEYS = ("holidays", "workdays")


def local_time(value: Any, path: str, wanted: str) -> time:
    """ "18:00" (or a TOML local time 18:00:00) -> time. A time with a UTC offset or zone
    ("09:00+08:00") is refused: every time of day is read in the chat's `timezone`."""
    parsed = value
    if isinstance(value, str):
        try:
            parsed = time.fromisoformat(value)
        except ValueError:
            raise v.wrong(path, wanted, value) from None
    if not isinstance(parsed, time):
        raise v.wrong(path, wanted, value)
    if parsed.tzinfo is not None:
        hint = " (times are read in the chat's timezone: set `timezone` instead)"
        raise v.wrong(path, f"{wanted} without a UTC offset", value, hint)
    return parsed


def clock_mode(value: Any, path: str) -> str:
    if value in ("wall", "business"):
        return value
    raise v.wrong(path, '"wall" or "business"', value)


def default_done(value: Any, path: str) -> str:
    if value in ("none", "end_of_workday"):
        return value
    raise v.wrong(path, '"none" or "end_of_workday"', value)


def absent_mode(value: Any, path: str) -> str:
    """What a directive does to a member on leave: "exempt" (not an assignee for the span) or
    "defer" (their acknowledgement window starts when the leave ends)."""
    if value in ("exempt", "defer"):
        return value
    raise v.wrong(path, '"exempt" or "defer"', value)


def time_range(value: Any, path: str) -> tuple[time, time]:
    """["09:00", "18:00"]: a start and an end of day (quiet hours may wrap past midnight)."""
    wanted = 'two times like ["09:00", "18:00"]'
    if not isinstance(value, list) or len(value) != 2:
        raise v.wrong(path, wanted, value)
    start, end = (
        local_time(x, f"{path}[{i}]", 'a time like "09:00"') for i, x in enumerate(value)
    )
    return start, end


def working_hours(value: Any, path: str) -> tuple[time, time]:
    start, end = time_range(value, path)
    if not start < end:
        raise v.wrong(path, "a start before the end, within one day", value)
    return start, end


def _dates(value: Any, path: str) -> frozenset[date]:
    items = v.expect_list(value, path, 'a list of dates like ["2027-02-10"]')
    days = set()
    for i, item in enumerate(items):
        try:
            day = date.fromisoformat(item) if isinstance(item, str) else _toml_date(item)
        except (TypeError, ValueError):
            raise v.wrong(f"{path}[{i}]", 'a date like "2027-02-10"', item) from None
        if day.year not in YEARS:
            wanted = f"a date from {YEARS[0]} to {YEARS[-1]}"
            raise v.wrong(f"{path}[{i}]", wanted, item)
        days.add(day)
    return frozenset(days)


def _toml_date(item: Any) -> date:
    if isinstance(item, date) and not hasattr(item, "hour"):
        return item
    raise TypeError


def calendar(value: Any, path: str = "calendar") -> WorkCalendar:
    """[calendar] holidays = [...] / workdays = [...]: public holidays and 调休 make-up working
    days for years chinese-calendar does not know; they also win where the library disagrees."""
    table = v.expect_table(value, path, "a table [calendar]")
    v.check_keys(table, CALENDAR_KEYS, path)
    holidays = _dates(table.get("holidays", []), f"{path}.holidays")
    workdays = _dates(table.get("workdays", []), f"{path}.workdays")
    both = sorted(holidays & workdays)
    if both:
        raise v.wrong(f"{path}.workdays", "dates not also listed as holidays", both[0].isoformat())
    return WorkCalendar(holidays=holidays, workdays=workdays)


WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_WEEKDAY_NAMES = {
    name: i + 1
    for i, names in enumerate(
        zip(
            WEEKDAYS,
            ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"),
            ("周一", "周二", "周三", "周四", "周五", "周六", "周日"),
            strict=True,
        )
    )
    for name in names
}


def weekdays(value: Any, path: str) -> frozenset[int]:
    """["mon", "tue", ..., "sat"]: the ordinary working week of a chat (ISO weekday numbers)."""
    wanted = 'a list of weekdays like ["mon", "tue", "wed", "thu", "fri"]'
    items = v.expect_list(value, path, wanted)
    days = set()
    for i, item in enumerate(items):
        day = _WEEKDAY_NAMES.get(item.strip().lower()) if isinstance(item, str) else None
        if day is None:
            raise v.wrong(f"{path}[{i}]", f"a weekday ({', '.join(WEEKDAYS)})", item)
        days.add(day)
    if not days:
        raise v.wrong(path, "at least one working weekday", value)
    return frozenset(days)


def time_of_day(value: Any, path: str) -> time:
    return local_time(value, path, 'a time of day like "18:00"')


DEADLINE_TIMES = ("end_of_day", "morning", "noon", "afternoon_end", "evening")


def deadline_times(value: Any, path: str) -> dict[str, time]:
    """{ end_of_day = "17:30", ... }: how this chat reads 下班前, 明早, 上午, 下午, 晚上."""
    table = v.expect_table(value, path, 'a table like { end_of_day = "17:30" }')
    v.check_keys(table, DEADLINE_TIMES, path)
    return {
        key: local_time(item, f"{path}.{key}", 'a time like "17:30"')
        for key, item in table.items()
    }
