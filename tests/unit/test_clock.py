"""Business time: working days with 调休, working hours, quiet hours."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import chinese_calendar
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tracker.domain.clock import (
    QuietHours,
    WorkCalendar,
    WorkingHours,
    add_business_time,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")
BERLIN = ZoneInfo("Europe/Berlin")
HOURS = WorkingHours()
LIBRARY = WorkCalendar()
HALF_HOUR = timedelta(minutes=30)


def _days(first: date, last: date) -> frozenset[date]:
    return frozenset(first + timedelta(days=i) for i in range((last - first).days + 1))


# 2027 is not in chinese-calendar 1.11.0; a deployment lists its Spring Festival in config.
SPRING_2027 = WorkCalendar(
    holidays=_days(date(2027, 2, 6), date(2027, 2, 12)),
    workdays=frozenset({date(2027, 2, 14)}),
)


def sh(*args: int) -> datetime:
    return datetime(*args, tzinfo=SHANGHAI)


# --- working days: chinese-calendar 2026 ---------------------------------------------------------


@pytest.mark.parametrize("day", sorted(_days(date(2026, 10, 1), date(2026, 10, 7))))
def test_national_day_2026_october_1_to_7_are_not_working_days(day: date) -> None:
    assert chinese_calendar.get_holiday_detail(day) == (True, "National Day")
    assert not LIBRARY.is_workday(day)


@pytest.mark.parametrize("day", [date(2026, 9, 20), date(2026, 10, 10)])
def test_national_day_2026_make_up_weekend_days_are_working_days(day: date) -> None:
    assert day.weekday() >= 5
    assert LIBRARY.is_workday(day)


def test_sunday_after_the_national_day_make_up_saturday_is_a_rest_day() -> None:
    assert not LIBRARY.is_workday(date(2026, 10, 11))


def test_spring_festival_2026_make_up_saturdays_are_working_days() -> None:
    assert LIBRARY.is_workday(date(2026, 2, 14))
    assert LIBRARY.is_workday(date(2026, 2, 28))
    assert not any(LIBRARY.is_workday(d) for d in _days(date(2026, 2, 15), date(2026, 2, 23)))


@given(st.dates(min_value=date(2004, 1, 1), max_value=date(2026, 12, 31)))
def test_without_config_known_years_follow_the_library(day: date) -> None:
    assert LIBRARY.is_workday(day) == chinese_calendar.is_workday(day)


# --- unknown years and config -------------------------------------------------------------------


def test_2027_is_unknown_to_the_library_and_2026_is_known() -> None:
    assert not LIBRARY.known(2027)
    assert LIBRARY.known(2026)


def test_unknown_years_reports_the_uncovered_years_in_range() -> None:
    assert LIBRARY.unknown_years(date(2025, 12, 1), date(2028, 1, 31)) == [2027, 2028]


def test_unknown_years_is_empty_when_the_library_covers_the_range() -> None:
    assert LIBRARY.unknown_years(date(2024, 1, 1), date(2026, 12, 31)) == []


def test_unknown_year_falls_back_to_monday_to_friday() -> None:
    week = _days(date(2027, 3, 1), date(2027, 3, 7))  # Monday to Sunday
    assert [LIBRARY.is_workday(d) for d in sorted(week)] == [True] * 5 + [False] * 2


def test_configured_2027_spring_festival_is_honoured() -> None:
    assert not any(SPRING_2027.is_workday(d) for d in _days(date(2027, 2, 6), date(2027, 2, 12)))
    assert not SPRING_2027.is_workday(date(2027, 2, 13))  # plain Saturday
    assert SPRING_2027.is_workday(date(2027, 2, 14))  # make-up Sunday
    assert SPRING_2027.is_workday(date(2027, 2, 5))


def test_config_workday_overrides_a_library_holiday() -> None:
    calendar = WorkCalendar(workdays=frozenset({date(2026, 10, 5)}))
    assert calendar.is_workday(date(2026, 10, 5))
    assert not calendar.is_workday(date(2026, 10, 6))


def test_config_holiday_overrides_a_library_workday() -> None:
    calendar = WorkCalendar(holidays=frozenset({date(2026, 10, 10), date(2026, 10, 8)}))
    assert not calendar.is_workday(date(2026, 10, 10))  # library make-up Saturday
    assert not calendar.is_workday(date(2026, 10, 8))  # library plain Thursday


def test_config_workday_wins_over_config_holiday_on_the_same_date() -> None:
    day = date(2026, 11, 2)
    calendar = WorkCalendar(holidays=frozenset({day}), workdays=frozenset({day}))
    assert calendar.is_workday(day)


def test_all_holiday_config_raises_instead_of_looping_forever() -> None:
    calendar = WorkCalendar(holidays=_days(date(2027, 1, 1), date(2028, 12, 31)))
    with pytest.raises(ValueError, match="no working day"):
        add_business_time(sh(2027, 1, 4, 10, 0), HALF_HOUR, calendar, HOURS)


# --- due times around holidays ------------------------------------------------------------------


def test_directive_on_the_evening_before_national_day_is_due_october_8_at_0920() -> None:
    start = sh(2026, 9, 30, 17, 50)
    assert start.strftime("%A") == "Wednesday"  # the last working day before the holiday
    assert add_business_time(start, HALF_HOUR, LIBRARY, HOURS) == sh(2026, 10, 8, 9, 20)


def test_friday_evening_directive_is_due_monday_at_0920() -> None:
    start = sh(2026, 11, 20, 17, 50)  # Friday
    assert add_business_time(start, HALF_HOUR, LIBRARY, HOURS) == sh(2026, 11, 23, 9, 20)


def test_friday_evening_before_spring_festival_is_due_on_the_make_up_saturday() -> None:
    start = sh(2026, 2, 13, 17, 50)  # Friday; Saturday 14th is 调休
    assert add_business_time(start, HALF_HOUR, LIBRARY, HOURS) == sh(2026, 2, 14, 9, 20)


def test_make_up_saturday_evening_directive_waits_out_the_whole_spring_festival() -> None:
    start = sh(2026, 2, 14, 17, 50)
    assert add_business_time(start, HALF_HOUR, LIBRARY, HOURS) == sh(2026, 2, 24, 9, 20)


def test_directive_before_configured_2027_spring_festival_is_due_on_the_make_up_sunday() -> None:
    start = sh(2027, 2, 5, 17, 50)  # Friday
    assert add_business_time(start, HALF_HOUR, SPRING_2027, HOURS) == sh(2027, 2, 14, 9, 20)


def test_config_holiday_pushes_the_due_time_past_a_library_workday() -> None:
    calendar = WorkCalendar(holidays=frozenset({date(2026, 10, 8)}))
    due = add_business_time(sh(2026, 9, 30, 17, 50), HALF_HOUR, calendar, HOURS)
    assert due == sh(2026, 10, 9, 9, 20)


# --- business time arithmetic -------------------------------------------------------------------


def test_time_within_one_working_day_is_added_directly() -> None:
    assert add_business_time(sh(2026, 11, 24, 10, 0), HALF_HOUR, LIBRARY, HOURS) == sh(
        2026, 11, 24, 10, 30
    )


def test_window_used_up_exactly_at_closing_ends_at_closing() -> None:
    due = add_business_time(sh(2026, 11, 24, 17, 0), timedelta(hours=1), LIBRARY, HOURS)
    assert due == sh(2026, 11, 24, 18, 0)


def test_remaining_time_carries_over_to_the_next_morning() -> None:
    due = add_business_time(sh(2026, 11, 24, 10, 0), timedelta(hours=10), LIBRARY, HOURS)
    assert due == sh(2026, 11, 25, 11, 0)


def test_start_before_opening_counts_from_opening() -> None:
    due = add_business_time(sh(2026, 11, 24, 7, 15), HALF_HOUR, LIBRARY, HOURS)
    assert due == sh(2026, 11, 24, 9, 30)


def test_start_after_closing_counts_from_next_working_morning() -> None:
    due = add_business_time(sh(2026, 11, 24, 21, 0), HALF_HOUR, LIBRARY, HOURS)
    assert due == sh(2026, 11, 25, 9, 30)


def test_start_on_a_weekend_counts_from_monday_opening() -> None:
    due = add_business_time(sh(2026, 11, 28, 11, 0), HALF_HOUR, LIBRARY, HOURS)  # Saturday
    assert due == sh(2026, 11, 30, 9, 30)


def test_one_day_is_one_working_day_of_hours() -> None:
    start = sh(2026, 11, 24, 10, 0)
    one_day = add_business_time(start, timedelta(days=1), LIBRARY, HOURS)
    assert one_day == add_business_time(start, HOURS.day_length, LIBRARY, HOURS)
    assert one_day == sh(2026, 11, 25, 10, 0)
    assert HOURS.day_length == timedelta(hours=9)


def test_multi_day_amount_skips_the_weekend() -> None:
    start = sh(2026, 11, 26, 15, 0)  # Thursday
    due = add_business_time(start, timedelta(days=2, hours=1), LIBRARY, HOURS)
    assert due == sh(2026, 11, 30, 16, 0)  # Friday, Monday, then one hour


def test_custom_working_hours_define_the_day() -> None:
    hours = WorkingHours(time(8, 30), time(17, 30))
    due = add_business_time(sh(2026, 11, 24, 17, 20), HALF_HOUR, LIBRARY, hours)
    assert due == sh(2026, 11, 25, 8, 50)


def test_zero_amount_returns_start_unchanged() -> None:
    start = sh(2026, 11, 28, 23, 0)
    assert add_business_time(start, timedelta(0), LIBRARY, HOURS) is start


def test_negative_amount_is_rejected() -> None:
    with pytest.raises(ValueError, match="negative"):
        add_business_time(sh(2026, 11, 24, 10, 0), -HALF_HOUR, LIBRARY, HOURS)


def test_working_hours_must_start_before_they_end() -> None:
    with pytest.raises(ValueError, match="start before"):
        WorkingHours(time(18, 0), time(9, 0))


def test_result_stays_in_the_start_zone() -> None:
    start = sh(2026, 11, 24, 10, 0)
    assert add_business_time(start, HALF_HOUR, LIBRARY, HOURS).tzinfo is SHANGHAI


def test_berlin_spring_forward_keeps_wall_clock_working_time() -> None:
    start = datetime(2026, 3, 27, 17, 0, tzinfo=BERLIN)  # Friday, CET; clocks jump on Sunday 29th
    due = add_business_time(start, timedelta(hours=2), LIBRARY, HOURS)
    assert due == datetime(2026, 3, 30, 10, 0, tzinfo=BERLIN)
    assert (due.hour, due.utcoffset()) == (10, timedelta(hours=2))  # CEST


def test_berlin_fall_back_keeps_wall_clock_working_time() -> None:
    start = datetime(2026, 10, 23, 17, 0, tzinfo=BERLIN)  # Friday, CEST; clocks fall on 25th
    due = add_business_time(start, timedelta(hours=2), LIBRARY, HOURS)
    assert (due.hour, due.utcoffset()) == (10, timedelta(hours=1))  # CET
    assert due.date() == date(2026, 10, 26)


# --- quiet hours --------------------------------------------------------------------------------

QUIET = QuietHours()


@pytest.mark.parametrize(
    ("clock", "inside"),
    [
        (time(21, 59), False),
        (time(22, 0), True),
        (time(23, 59), True),
        (time(0, 0), True),
        (time(7, 59), True),
        (time(8, 0), False),
        (time(12, 0), False),
    ],
)
def test_quiet_hours_wrap_past_midnight(clock: time, inside: bool) -> None:
    assert QUIET.contains(datetime.combine(date(2026, 11, 24), clock, tzinfo=SHANGHAI)) is inside


def test_quiet_hours_started_in_the_evening_end_next_morning() -> None:
    assert QUIET.end_after(sh(2026, 11, 24, 23, 30)) == sh(2026, 11, 25, 8, 0)


def test_quiet_hours_after_midnight_end_the_same_morning() -> None:
    assert QUIET.end_after(sh(2026, 11, 25, 1, 15)) == sh(2026, 11, 25, 8, 0)


def test_end_after_outside_quiet_hours_returns_the_time_unchanged() -> None:
    moment = sh(2026, 11, 25, 14, 0)
    assert QUIET.end_after(moment) is moment


def test_equal_start_and_end_mean_no_quiet_hours() -> None:
    never = QuietHours(time(22, 0), time(22, 0))
    for hour in range(24):
        assert not never.contains(sh(2026, 11, 24, hour, 0))
    assert never.end_after(sh(2026, 11, 24, 22, 0)) == sh(2026, 11, 24, 22, 0)


def test_daytime_quiet_hours_do_not_wrap() -> None:
    lunch = QuietHours(time(12, 0), time(13, 30))
    assert lunch.contains(sh(2026, 11, 24, 12, 45))
    assert not lunch.contains(sh(2026, 11, 24, 23, 0))
    assert lunch.end_after(sh(2026, 11, 24, 12, 45)) == sh(2026, 11, 24, 13, 30)


# --- properties ---------------------------------------------------------------------------------

STARTS = st.datetimes(
    min_value=datetime(2025, 12, 1), max_value=datetime(2027, 12, 31), timezones=st.just(SHANGHAI)
)
CALENDARS = st.sampled_from([LIBRARY, SPRING_2027])
SUB_DAY = st.timedeltas(min_value=timedelta(0), max_value=timedelta(hours=23, minutes=59))
# Whole days plus less than one working day: the form whose order business time keeps.
DAYS_AND_HOURS = st.builds(
    lambda days, minutes: timedelta(days=days, minutes=minutes),
    st.integers(0, 30),
    st.integers(0, 9 * 60 - 1),
)
AMOUNTS = st.one_of(SUB_DAY, DAYS_AND_HOURS)


@given(STARTS, AMOUNTS, CALENDARS)
def test_due_time_never_precedes_start(start: datetime, amount: timedelta, calendar) -> None:
    due = add_business_time(start, amount, calendar, HOURS)
    assert due >= start
    assert due.tzinfo is start.tzinfo


@given(STARTS, st.one_of(st.tuples(SUB_DAY, SUB_DAY), st.tuples(DAYS_AND_HOURS, DAYS_AND_HOURS)))
def test_due_time_is_monotonic_in_amount(
    start: datetime, amounts: tuple[timedelta, timedelta]
) -> None:
    shorter, longer = sorted(amounts)
    earlier = add_business_time(start, shorter, SPRING_2027, HOURS)
    assert earlier <= add_business_time(start, longer, SPRING_2027, HOURS)


@given(STARTS, SUB_DAY.filter(bool), CALENDARS)
def test_due_time_falls_within_working_hours_on_a_working_day(
    start: datetime, amount: timedelta, calendar
) -> None:
    due = add_business_time(start, amount, calendar, HOURS)
    assert calendar.is_workday(due.date())
    assert HOURS.start < due.time() <= HOURS.end


HALF_DAY = st.timedeltas(min_value=timedelta(0), max_value=timedelta(hours=11, minutes=59))


@given(STARTS, HALF_DAY, HALF_DAY)
def test_business_time_adds_up_in_steps(start: datetime, first: timedelta, second: timedelta):
    # Below one day in total: a whole day is counted as a working day of hours, not 24 hours.
    in_steps = add_business_time(
        add_business_time(start, first, LIBRARY, HOURS), second, LIBRARY, HOURS
    )
    assert in_steps == add_business_time(start, first + second, LIBRARY, HOURS)
