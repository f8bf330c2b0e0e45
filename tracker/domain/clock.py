"""Business time: working days (holidays and 调休 make-up days), working hours and quiet hours.

Pure: `now` always comes in, nothing here logs or reads the wall clock. All arithmetic is done in
the wall-clock time of the datetime passed in, so "09:20 the next working day" stays 09:20 across a
DST change; callers convert to the chat's zone first.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache

import chinese_calendar

# A run of non-working days this long means the calendar config is broken (e.g. all holidays).
MAX_NON_WORKING_RUN = 366
_ONE_DAY = timedelta(days=1)


@lru_cache(maxsize=256)
def _library_knows(year: int) -> bool:
    """Whether chinese-calendar has holiday data for `year` (it raises for years it lacks)."""
    try:
        chinese_calendar.is_workday(date(year, 1, 1))
    except NotImplementedError:
        return False
    return True


@dataclass(frozen=True, slots=True)
class WorkCalendar:
    """Working days: config `workdays`, then config `holidays`, then chinese-calendar, Mon-Fri.

    `workdays` are make-up working days (调休) and override everything; `holidays` override the
    library. Years the library does not cover fall back to Monday to Friday plus the config.
    """

    holidays: frozenset[date] = frozenset()
    workdays: frozenset[date] = frozenset()
    # The ordinary working week (ISO weekdays, 1 = Monday); public holidays and 调休 apply on top.
    weekdays: frozenset[int] = frozenset({1, 2, 3, 4, 5})

    def is_workday(self, day: date) -> bool:
        if day in self.workdays:
            return True
        if day in self.holidays:
            return False
        if self.known(day.year):
            on_holiday, name = chinese_calendar.get_holiday_detail(day)
            if name is not None:  # a public holiday, or a 调休 make-up working day
                return not on_holiday
        return day.isoweekday() in self.weekdays

    def known(self, year: int) -> bool:
        """True when chinese-calendar has data for `year` (cached per year)."""
        return _library_knows(year)

    def unknown_years(self, start: date, end: date) -> list[int]:
        """Years from `start` to `end` (inclusive) that chinese-calendar does not cover."""
        return [year for year in range(start.year, end.year + 1) if not self.known(year)]


@dataclass(frozen=True, slots=True)
class WorkingHours:
    """The working part of a working day, [start, end) in local wall-clock time; no lunch break."""

    start: time = time(9, 0)
    end: time = time(18, 0)

    def __post_init__(self) -> None:
        if self.start >= self.end:
            raise ValueError(f"working hours must start before they end: {self.start}-{self.end}")

    @property
    def day_length(self) -> timedelta:
        """Business time in one working day (9 hours with the defaults)."""
        return datetime.combine(date.min, self.end) - datetime.combine(date.min, self.start)


@dataclass(frozen=True, slots=True)
class QuietHours:
    """Hours when the bot stays silent, [start, end) in local time; may wrap past midnight.

    `start == end` means there are no quiet hours.
    """

    start: time = time(22, 0)
    end: time = time(8, 0)

    def contains(self, local: datetime) -> bool:
        moment = local.time()
        if self.start == self.end:
            return False
        if self.start < self.end:
            return self.start <= moment < self.end
        return moment >= self.start or moment < self.end

    def end_after(self, local: datetime) -> datetime:
        """The instant the quiet hours holding `local` end; `local` itself when not inside them."""
        if not self.contains(local):
            return local
        wraps_tonight = self.start > self.end and local.time() >= self.start
        day = local.date() + _ONE_DAY if wraps_tonight else local.date()
        return datetime.combine(day, self.end, tzinfo=local.tzinfo)


def _working_days_from(
    day: date, calendar: WorkCalendar, step: timedelta = _ONE_DAY
) -> Iterator[date]:
    """Working days from `day` (inclusive) on, or back with a negative `step`; ValueError after
    too long a non-working run."""
    run = 0
    while True:
        if calendar.is_workday(day):
            run = 0
            yield day
        else:
            run += 1
            if run >= MAX_NON_WORKING_RUN:
                raise ValueError(
                    f"no working day in the {MAX_NON_WORKING_RUN} days up to {day}: "
                    "check the calendar's holidays"
                )
        day += step


def add_business_time(
    start: datetime, amount: timedelta, calendar: WorkCalendar, hours: WorkingHours
) -> datetime:
    """`start` plus `amount` of business time, aware in `start`'s zone.

    Only time inside working hours on working days counts, measured on the wall clock of `start`'s
    zone. Outside working hours counting begins at the next opening. A window used up exactly at
    closing time ends at closing time (17:00 + 1h is 18:00, not 09:00 the next working day).

    Each whole day of `amount` is one working day of hours (`hours.day_length`, 9h by default), so
    `timedelta(days=1)` from Monday 10:00 is Tuesday 10:00; the part below a day is plain business
    time. Keep that part shorter than a working day ("1 day 2 hours", not "23 hours") if amounts
    are compared: 23h is 23 business hours, later than 1 day. A zero amount returns `start`.
    """
    if amount < timedelta(0):
        raise ValueError(f"business time must not be negative, got {amount}")
    if not amount:
        return start
    cursor = start.replace(tzinfo=None)
    remaining = amount.days * hours.day_length + (amount - timedelta(days=amount.days))
    for day in _working_days_from(cursor.date(), calendar):
        opens = datetime.combine(day, hours.start)
        closes = datetime.combine(day, hours.end)
        begin = max(cursor, opens)
        if begin >= closes:
            continue
        if remaining <= closes - begin:
            return (begin + remaining).replace(tzinfo=start.tzinfo)
        remaining -= closes - begin
    raise AssertionError("unreachable: the working-day iterator is endless")  # pragma: no cover


def subtract_business_time(
    end: datetime, amount: timedelta, calendar: WorkCalendar, hours: WorkingHours
) -> datetime:
    """The instant `amount` of business time before `end` (the mirror of `add_business_time`:
    1h before Tuesday 09:30 is Monday 17:30; before an instant after closing, counting starts at
    closing). A lead used up exactly at opening time ends there."""
    if amount < timedelta(0):
        raise ValueError(f"business time must not be negative, got {amount}")
    if not amount:
        return end
    cursor = end.replace(tzinfo=None)
    remaining = amount.days * hours.day_length + (amount - timedelta(days=amount.days))
    for day in _working_days_from(cursor.date(), calendar, -_ONE_DAY):
        opens = datetime.combine(day, hours.start)
        closes = datetime.combine(day, hours.end)
        finish = min(cursor, closes)
        if finish <= opens:
            continue
        if remaining <= finish - opens:
            return (finish - remaining).replace(tzinfo=end.tzinfo)
        remaining -= finish - opens
    raise AssertionError("unreachable: the working-day iterator is endless")  # pragma: no cover


def next_working_instant(start: datetime, calendar: WorkCalendar, hours: WorkingHours) -> datetime:
    """`start` when it falls inside working hours on a working day, else the next opening
    (a leave ending on Sunday evening: Monday 09:00), aware in `start`'s zone."""
    cursor = start.replace(tzinfo=None)
    for day in _working_days_from(cursor.date(), calendar):
        begin = max(cursor, datetime.combine(day, hours.start))
        if begin < datetime.combine(day, hours.end):
            return begin.replace(tzinfo=start.tzinfo)
    raise AssertionError("unreachable: the working-day iterator is endless")  # pragma: no cover


def next_working_day(day: date, calendar: WorkCalendar) -> date:
    """The first working day after `day`."""
    return next(_working_days_from(day + _ONE_DAY, calendar))
