"""read_deadline / parse_deadline: conventions, working days, phrases, zones, several deadlines."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from tests.unit.deadline_cases import NOWS, SHANGHAI
from tracker.domain.deadlines.conventions import DeadlineConventions
from tracker.domain.deadlines.reader import parse_deadline, read_deadline

TUE = NOWS["tue"]


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=SHANGHAI)


def test_a_naive_now_is_refused() -> None:
    with pytest.raises(ValueError):
        read_deadline("明天", datetime(2026, 11, 24, 10, 0))


def test_the_phrase_is_the_part_of_the_message_that_was_read() -> None:
    reading = read_deadline("@zhangsan 请明天上午10点前把方案发我", TUE)
    assert reading is not None
    assert reading.phrase == "明天上午10点前"
    assert reading.at == at("2026-11-25 10:00")


def test_the_phrase_keeps_the_leading_marker() -> None:
    reading = read_deadline("方案截止到本周五下午五点，请抓紧", TUE)
    assert reading is not None and reading.phrase == "截止到本周五下午五点"


def test_parse_deadline_is_the_instant_of_the_reading() -> None:
    assert parse_deadline("周五前", TUE) == at("2026-11-27 18:00")
    assert parse_deadline("收到", TUE) is None


def test_the_result_is_in_the_zone_of_now() -> None:
    now = datetime(2026, 11, 24, 2, 0, tzinfo=UTC)
    assert parse_deadline("明天", now) == datetime(2026, 11, 25, 18, 0, tzinfo=UTC)


def test_hour_durations_are_exact_across_a_dst_change() -> None:
    berlin = ZoneInfo("Europe/Berlin")
    now = datetime(2026, 3, 28, 23, 30, tzinfo=berlin)  # clocks jump 02:00 -> 03:00 tonight
    assert parse_deadline("3小时内", now) == datetime(2026, 3, 29, 3, 30, tzinfo=berlin)


def test_a_chat_can_move_the_end_of_the_working_day() -> None:
    conventions = DeadlineConventions(end_of_day=time(17, 30))
    assert parse_deadline("明天", TUE, conventions) == at("2026-11-25 17:30")
    assert parse_deadline("三天内", TUE, conventions) == at("2026-11-27 17:30")


def test_a_chat_can_move_the_parts_of_the_day() -> None:
    conventions = DeadlineConventions(
        morning=time(8, 30), noon=time(11, 30), afternoon_end=time(17, 0), evening=time(20, 0)
    )
    assert parse_deadline("明早", TUE, conventions) == at("2026-11-25 08:30")
    assert parse_deadline("明天上午", TUE, conventions) == at("2026-11-25 11:30")
    assert parse_deadline("明天下午", TUE, conventions) == at("2026-11-25 17:00")
    assert parse_deadline("今晚", TUE, conventions) == at("2026-11-24 20:00")


def test_a_chat_can_move_the_working_hours_for_bare_clocks() -> None:
    conventions = DeadlineConventions(work_hours=(time(9, 0), time(22, 0)))
    assert parse_deadline("9点", TUE, conventions) == at("2026-11-24 21:00")
    assert parse_deadline("9点", TUE) == at("2026-11-25 09:00")


def test_working_days_come_from_the_given_calendar() -> None:
    holidays = {date(2026, 11, 26), date(2026, 11, 27)}

    def workday(day: date) -> bool:
        return day.isoweekday() <= 5 and day not in holidays

    reading = read_deadline("3个工作日内", TUE, workdays=workday)
    assert reading is not None and reading.at == at("2026-12-01 18:00")


def test_new_years_day_counts_as_a_working_day_only_by_default() -> None:
    eoy = NOWS["eoy"]

    def workday(day: date) -> bool:
        return day.isoweekday() <= 5 and day != date(2027, 1, 1)

    assert parse_deadline("3个工作日内", eoy) == at("2027-01-04 18:00")
    reading = read_deadline("3个工作日内", eoy, workdays=workday)
    assert reading is not None and reading.at == at("2027-01-05 18:00")


def test_a_marked_deadline_wins_over_an_appointment() -> None:
    text = "明天上午10点开会，今天下班前把材料交上来"
    assert parse_deadline(text, TUE) == at("2026-11-24 18:00")


def test_a_firm_limit_wins_over_a_wish() -> None:
    assert parse_deadline("尽量周五前，最晚下周一", TUE) == at("2026-11-30 18:00")


def test_of_two_equal_deadlines_the_earlier_counts() -> None:
    assert parse_deadline("下周三前定稿，周五前交初稿", TUE) == at("2026-11-27 18:00")


def test_a_past_part_does_not_hide_a_later_deadline() -> None:
    text = "上周五布置的任务，今天下班前交"
    assert parse_deadline(text, TUE) == at("2026-11-24 18:00")
