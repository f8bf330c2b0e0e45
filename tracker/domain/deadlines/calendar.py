"""Calendar arithmetic for the deadline reader: from the tokens of one phrase to an instant.

Dates and clock times are worked out on the local calendar of `now`; minute and hour durations are
added in UTC, so a DST change cannot shift them.
"""

from __future__ import annotations

import calendar
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import TYPE_CHECKING

from tracker.domain.deadlines.tokens import Token

if TYPE_CHECKING:
    from tracker.domain.deadlines.conventions import DeadlineConventions

Workdays = Callable[[date], bool]
_DAY_ORDER = ("DAY", "DATE", "WEEKDAY", "PERIOD")
_MAX_AMOUNT = 10_000


def add_months(day: date, months: int, last: bool = False) -> date:
    """`day` moved by whole months, clamped to the month's length (or its last day if `last`)."""
    year, month0 = divmod(day.year * 12 + day.month - 1 + months, 12)
    length = calendar.monthrange(year, month0 + 1)[1]
    return date(year, month0 + 1, length if last else min(day.day, length))


def _clock(hour: int, minute: int, pod: str) -> tuple[int, int]:
    """The hour of a clock read with a part of the day; 24 and more mean the next day."""
    afternoon = pod in ("afternoon", "dusk", "eod") and hour < 12
    if afternoon or (pod == "noon" and 1 <= hour <= 5):
        hour += 12
    elif pod in ("evening", "night"):
        first = 5 if pod == "evening" else 6
        hour += 12 if first <= hour <= 12 else 24 if hour < first else 0
    elif pod == "dawn" and hour == 12:
        hour = 0
    return hour, minute


def _pod_default(pod: str, conv: DeadlineConventions) -> tuple[int, int] | None:
    """The time a part of the day stands for without an hour; 半夜 is midnight, 凌晨 none."""
    if pod == "night":
        return (24, 0)
    defaults = {"morning": conv.morning, "forenoon": conv.noon, "noon": conv.noon}
    defaults.update({"afternoon": conv.afternoon_end, "dusk": conv.afternoon_end})
    defaults.update({"eod": conv.end_of_day, "evening": conv.evening, "": conv.end_of_day})
    default = defaults.get(pod)
    return None if default is None else (default.hour, default.minute)


def _at(day: date, hour: int, minute: int, tz: tzinfo | None) -> datetime:
    extra, hour = divmod(hour, 24)
    return datetime.combine(day + timedelta(days=extra), time(hour, minute), tzinfo=tz)


def _readings(clock: Token, conv: DeadlineConventions) -> list[tuple[int, int]]:
    """A bare clock's readings: literal for 24-hour forms, else those h/h+12 in working hours."""
    hour, minute, literal = clock.value[:3]
    if literal:
        return [(hour, minute)]
    low, high = conv.work_hours
    hours = [h for h in (hour, hour + 12) if h < 24]
    inside = [(h, minute) for h in hours if low <= time(h, minute) <= high]
    return inside or [(h, minute) for h in hours]


def _times(tokens: list[Token], conv: DeadlineConventions) -> list[tuple[int, int]] | None:
    """Candidate (hour, minute) pairs, earliest first; None when the phrase names no time."""
    pod = next((t.value[0] for t in reversed(tokens) if t.kind == "POD"), "")
    day = next((t for t in tokens if t.kind == "DAY"), None)
    pod = pod or (day.value[1] if day is not None else "")
    clock = next((t for t in tokens if t.kind == "CLOCK"), None)
    if clock is None:
        default = _pod_default(pod, conv)
        return None if default is None else [default]
    if pod:
        return [_clock(clock.value[0], clock.value[1], pod)]
    return _readings(clock, conv)


def _week_monday(today: date) -> date:
    return today - timedelta(days=today.isoweekday() - 1)


def _date_of(tok: Token, today: date) -> date | None:
    """The date a DATE token names: without a year the next one from today on, a bare 号 this
    month or the next month that has that day."""
    year, year_offset, month, month_offset, day, _ = tok.value
    if year is not None:
        return date(year, month, day)
    if year_offset is not None:
        return date(today.year + year_offset, month, day)
    for step in range(12 if month is None else 9):
        try:
            if month is None:
                first = add_months(today.replace(day=1), step + (month_offset or 0))
                found = first.replace(day=day)
            else:
                found = date(today.year + step, month, day)
        except ValueError:
            if month_offset is not None:
                return None
            continue
        if found >= today or month_offset is not None:
            return found
    return None


def _period(tok: Token, today: date, before: bool, conv: DeadlineConventions) -> list[date]:
    """本周 ends on Friday (then Sunday, once Friday is over), 周末 on Sunday, months and years on
    their last day."""
    unit, offset = tok.value
    if unit == "month_n":
        end = add_months(date(today.year, offset, 1), 0, last=True)
        return [end if end >= today else add_months(end, 12, last=True)]
    if before and offset >= 1 and unit in ("week", "month"):
        offset -= 1  # 下周前, 下个月前: before that period starts
    if unit in ("month", "month_end"):
        return [add_months(today, offset, last=True)]
    if unit == "year":
        return [date(today.year + offset, 12, 31)]
    monday = _week_monday(today) + timedelta(weeks=offset)
    friday = monday + timedelta(days=conv.week_deadline_day - 1)
    if unit == "weekend":
        return [friday] if before else [monday + timedelta(days=6)]
    return [friday, monday + timedelta(days=6)] if offset == 0 else [friday]


def _days(tok: Token, today: date, before: bool, conv: DeadlineConventions) -> list[date]:
    """The dates a day word may mean, the preferred first (a bare weekday also a week later)."""
    if tok.kind == "DAY":
        return [today + timedelta(days=tok.value[0])]
    if tok.kind == "WEEKDAY":
        offset, weekday = tok.value
        if offset < 0:
            first = today + timedelta(days=(weekday - today.isoweekday()) % 7)
            return [first, first + timedelta(weeks=1)]
        return [_week_monday(today) + timedelta(weeks=offset, days=weekday - 1)]
    if tok.kind == "DATE":
        found = _date_of(tok, today)
        return [] if found is None else [found]
    return _period(tok, today, before, conv)


def _duration(
    tok: Token, now: datetime, conv: DeadlineConventions, workdays: Workdays
) -> datetime | None:
    """Minutes exact; days, weeks, months and working days by date, at the end of the day."""
    unit, amount, _ = tok.value
    if amount > _MAX_AMOUNT:
        return None
    if unit == "minutes":
        return (now.astimezone(UTC) + timedelta(minutes=amount)).astimezone(now.tzinfo)
    today = now.date()
    if unit == "workdays":
        day, left = today, amount
        for _ in range(amount * 7 + 60):
            if left == 0:
                break
            day += timedelta(days=1)
            left -= bool(workdays(day))
        if left:
            return None
    elif unit == "months":
        day = add_months(today, amount)
    else:
        day = today + timedelta(days=amount * (7 if unit == "weeks" else 1))
    return _at(day, conv.end_of_day.hour, conv.end_of_day.minute, now.tzinfo)


def resolve(
    tokens: list[Token], now: datetime, conv: DeadlineConventions, workdays: Workdays
) -> datetime | None:
    """The first instant after `now` that the phrase's tokens name, or None."""
    dur = next((t for t in tokens if t.kind == "DUR"), None)
    if dur is not None:
        return _duration(dur, now, conv, workdays)
    times = _times(tokens, conv)
    if not times:
        return None
    today = now.date()
    day_tok = next((t for k in _DAY_ORDER for t in tokens if t.kind == k), None)
    if day_tok is None:
        days = [today, today + timedelta(days=1)]
    else:
        before = any(t.kind == "SUF" and t.value[1] for t in tokens)
        days = _days(day_tok, today, before, conv)
        if day_tok.kind == "DAY" and day_tok.value[0] == 0 and now.time() >= conv.night_starts:
            pods = {t.value[0] for t in tokens if t.kind == "POD"}
            days += [today + timedelta(days=1)] if pods & {"dawn"} else []
    for day in days:
        for hour, minute in times:
            at = _at(day, hour, minute, now.tzinfo)
            if at > now:
                return at
    return None
