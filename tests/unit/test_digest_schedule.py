"""When the daily digest (日清日结) falls due, and what a member owed as of an instant. Pure:
dates of 2026 checked one by one against the holidays and 调休 of chinese-calendar."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from tracker.config.loading import parse_config
from tracker.domain.clock import WorkCalendar
from tracker.domain.digest import AssignmentAsOf, DigestSchedule, ItemState, item_at
from tracker.errors import ConfigError

SHANGHAI = ZoneInfo("Asia/Shanghai")
BERLIN = ZoneInfo("Europe/Berlin")
SIX_PM = time(18, 0)
SCHEDULE = DigestSchedule(SHANGHAI, SIX_PM, WorkCalendar())
CHAT = {"id": -1001987654321, "name": "销售部工作群", "leaders": [1001]}


def digest_days(schedule: DigestSchedule, first: date, last: date) -> list[date]:
    """Every day from `first` to `last` (inclusive) that has a digest, by the schedule."""
    days, day = [], schedule.next_after(first - timedelta(days=1))
    while day <= last:
        days.append(day)
        day = schedule.next_after(day)
    return days


def falls_on(schedule: DigestSchedule, day: date) -> bool:
    return schedule.next_after(day - timedelta(days=1)) == day


# -- which days ----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "day",
    [
        date(2026, 9, 30),  # Wednesday before National Day
        date(2026, 10, 8),  # Thursday after it
        date(2026, 10, 10),  # Saturday, 调休 working day
        date(2026, 9, 20),  # Sunday, 调休 working day
        date(2026, 2, 14),  # Saturday before Spring Festival, 调休
        date(2026, 2, 28),  # Saturday after it, 调休
        date(2026, 1, 4),  # Sunday after New Year, 调休
        date(2026, 5, 9),  # Saturday after Labour Day, 调休
    ],
)
def test_digest_falls_on_working_days_including_make_up_weekends(day):
    assert falls_on(SCHEDULE, day)


@pytest.mark.parametrize(
    "day",
    [
        *(date(2026, 10, d) for d in range(1, 8)),  # National Day week
        date(2026, 2, 16),  # Monday in the Spring Festival holiday
        date(2026, 11, 28),  # an ordinary Saturday
        date(2026, 11, 29),  # an ordinary Sunday
    ],
)
def test_no_digest_on_holidays_and_ordinary_weekends(day):
    assert not falls_on(SCHEDULE, day)


def test_the_national_day_fortnight_has_digests_on_exactly_these_days():
    assert digest_days(SCHEDULE, date(2026, 9, 28), date(2026, 10, 11)) == [
        date(2026, 9, 28),
        date(2026, 9, 29),
        date(2026, 9, 30),
        date(2026, 10, 8),
        date(2026, 10, 9),
        date(2026, 10, 10),
    ]


def test_the_spring_festival_weeks_have_digests_on_the_make_up_saturdays_only():
    assert digest_days(SCHEDULE, date(2026, 2, 14), date(2026, 3, 1)) == [
        date(2026, 2, 14),
        date(2026, 2, 24),
        date(2026, 2, 25),
        date(2026, 2, 26),
        date(2026, 2, 27),
        date(2026, 2, 28),
    ]


def test_next_after_skips_the_whole_national_day_week():
    assert SCHEDULE.next_after(date(2026, 9, 30)) == date(2026, 10, 8)
    for day in range(1, 8):
        assert SCHEDULE.next_after(date(2026, 10, day)) == date(2026, 10, 8)
    assert SCHEDULE.next_after(date(2026, 10, 9)) == date(2026, 10, 10)
    assert SCHEDULE.next_after(date(2026, 10, 10)) == date(2026, 10, 12)


def test_next_after_refuses_a_calendar_without_working_days():
    never = DigestSchedule(SHANGHAI, SIX_PM, WorkCalendar(weekdays=frozenset()))
    with pytest.raises(ValueError, match="no working day"):
        never.next_after(date(2030, 1, 1))  # a year chinese-calendar does not know


# -- which instant -------------------------------------------------------------------------------
def test_instant_is_six_pm_shanghai_in_utc():
    assert SCHEDULE.instant(date(2026, 9, 30)) == datetime(2026, 9, 30, 10, 0, tzinfo=UTC)


def test_instant_follows_another_zone_and_its_summer_time():
    berlin = DigestSchedule(BERLIN, SIX_PM, WorkCalendar())
    assert berlin.instant(date(2026, 10, 23)) == datetime(2026, 10, 23, 16, 0, tzinfo=UTC)
    assert berlin.instant(date(2026, 10, 26)) == datetime(2026, 10, 26, 17, 0, tzinfo=UTC)


def test_last_before_counts_a_digest_from_its_instant_on():
    just_before = datetime(2026, 9, 30, 17, 59, tzinfo=SHANGHAI)
    at_six = datetime(2026, 9, 30, 18, 0, tzinfo=SHANGHAI)
    assert SCHEDULE.last_before(just_before) == date(2026, 9, 29)
    assert SCHEDULE.last_before(at_six) == date(2026, 9, 30)
    assert SCHEDULE.last_before(at_six.astimezone(UTC)) == date(2026, 9, 30)


def test_last_before_counts_holidays_too_so_a_first_sight_on_sunday_starts_on_monday():
    sunday_evening = datetime(2026, 11, 29, 19, 0, tzinfo=SHANGHAI)
    assert SCHEDULE.last_before(sunday_evening) == date(2026, 11, 29)
    assert SCHEDULE.next_after(SCHEDULE.last_before(sunday_evening)) == date(2026, 11, 30)


# -- the week's first digest ---------------------------------------------------------------------
@pytest.mark.parametrize(
    ("day", "first"),
    [
        (date(2026, 9, 28), True),  # Monday
        (date(2026, 9, 29), False),
        (date(2026, 9, 20), False),  # 调休 Sunday: Monday to Friday worked already
        (date(2026, 10, 8), True),  # Thursday after a holiday Monday to Wednesday
        (date(2026, 10, 9), False),
        (date(2026, 10, 10), False),  # 调休 Saturday of the same week
        (date(2026, 2, 24), True),  # Tuesday after Spring Festival
        (date(2026, 5, 6), True),  # Wednesday after Labour Day (Monday, Tuesday off)
    ],
)
def test_first_of_week_is_the_first_working_day_of_the_iso_week(day, first):
    assert SCHEDULE.first_of_week(day) is first


# -- per-chat working week and config ------------------------------------------------------------
def _schedule(config: dict) -> DigestSchedule:
    rules = parse_config(config, "tracker.toml").chats[0].rules
    return DigestSchedule(rules.timezone, rules.digest_time, rules.calendar)


def test_a_six_day_week_adds_ordinary_saturdays_but_not_public_holidays():
    six_days = ["mon", "tue", "wed", "thu", "fri", "sat"]
    schedule = _schedule({"chats": [CHAT | {"workdays": six_days}]})
    assert falls_on(schedule, date(2026, 11, 28))  # an ordinary Saturday
    assert not falls_on(schedule, date(2026, 11, 29))  # Sunday
    assert not falls_on(schedule, date(2026, 10, 3))  # a Saturday inside National Day
    assert falls_on(schedule, date(2026, 10, 10))  # 调休 stays a working day
    assert not falls_on(SCHEDULE, date(2026, 11, 28))  # the default week is unchanged


def test_a_chat_week_keeps_the_configured_holiday_and_make_up_dates():
    config = {
        "calendar": {"holidays": ["2026-11-27"], "workdays": ["2026-11-29"]},
        "chats": [CHAT | {"workdays": ["mon", "tue", "wed", "thu", "fri", "sat"]}],
    }
    schedule = _schedule(config)
    assert digest_days(schedule, date(2026, 11, 26), date(2026, 11, 30)) == [
        date(2026, 11, 26),
        date(2026, 11, 28),
        date(2026, 11, 29),
        date(2026, 11, 30),
    ]


def test_digest_time_from_config_moves_the_instant():
    schedule = _schedule({"defaults": {"digest_time": "17:30"}, "chats": [CHAT]})
    assert schedule.instant(date(2026, 11, 23)) == datetime(2026, 11, 23, 9, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    ("defaults", "message"),
    [
        ({"workdays": ["mon", "funday"]}, r"defaults\.workdays\[1\]: expected a weekday"),
        ({"workdays": []}, r"defaults\.workdays: expected at least one working weekday"),
        ({"workdays": "mon"}, r"defaults\.workdays: expected a list of weekdays"),
        ({"workdays": [1, 2]}, r"defaults\.workdays\[0\]: expected a weekday"),
        ({"digest_time": "6pm"}, r'defaults\.digest_time: expected a time of day like "18:00"'),
        ({"digest_time": "25:00"}, r"defaults\.digest_time: expected a time of day"),
        ({"digest_time": 1800}, r"defaults\.digest_time: expected a time of day"),
        ({"digest": "yes"}, r"defaults\.digest: expected true or false"),
    ],
)
def test_a_wrong_workdays_or_digest_time_is_one_line_naming_the_key(defaults, message):
    with pytest.raises(ConfigError, match=rf"^tracker\.toml: {message}") as caught:
        parse_config({"defaults": defaults, "chats": [CHAT]}, "tracker.toml")
    assert "\n" not in str(caught.value)


def test_a_wrong_chat_workdays_names_the_chat_entry():
    with pytest.raises(ConfigError, match=r"chats\[0\]\.workdays\[0\]: expected a weekday"):
        parse_config({"chats": [CHAT | {"workdays": ["Mo"]}]}, "tracker.toml")


def test_weekdays_may_be_written_out_in_english_or_chinese():
    schedule = _schedule(
        {"chats": [CHAT | {"workdays": ["Monday", "tue", "周三", "周四", "fri"]}]}
    )
    assert schedule.calendar.weekdays == frozenset({1, 2, 3, 4, 5})


@pytest.mark.parametrize("word", ["sunshine", "wedding", "satur"])
def test_a_word_that_merely_starts_like_a_weekday_is_refused(word):
    with pytest.raises(ConfigError, match=r"defaults\.workdays\[1\]: expected a weekday"):
        parse_config({"defaults": {"workdays": ["mon", word]}}, "tracker.toml")


# -- what a member owed as of an instant ---------------------------------------------------------
POSTED = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)  # Monday 09:00 Shanghai
ACK_DUE = POSTED + timedelta(minutes=30)
AT = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)  # 18:00 Shanghai


def owed(**changes) -> AssignmentAsOf:
    fields = {
        "user_id": 1002,
        "name": "销售部-张三",
        "message_id": 1,
        "text": "@zhangsan 把报表发我",
        "notice": False,
        "created_at": POSTED,
        "ack_due_at": ACK_DUE,
        "done_due_at": None,
        "acked_at": None,
        "done_at": None,
        "cancelled_at": None,
        "cancelled": False,
    } | changes
    return AssignmentAsOf(**fields)


def state(a: AssignmentAsOf, at: datetime = AT, notices_complete: bool = False):
    item = item_at(a, at, notices_complete)
    return None if item is None else (item.state, item.since)


def test_unacked_after_the_window_is_overdue_since_the_window_closed():
    assert state(owed()) == (ItemState.UNACKED, ACK_DUE)
    assert item_at(owed(), AT).late_by(AT) == AT - ACK_DUE


def test_an_ack_after_the_instant_does_not_count_yet():
    assert state(owed(acked_at=AT + timedelta(minutes=1))) == (ItemState.UNACKED, ACK_DUE)


def test_awaiting_ack_while_the_window_is_open_is_not_overdue():
    item = item_at(owed(), POSTED + timedelta(minutes=10))
    assert (item.state, item.since) == (ItemState.AWAITING_ACK, ACK_DUE)
    assert not item.state.overdue and item.late_by(POSTED) is None


def test_the_window_closing_exactly_at_the_instant_is_overdue():
    assert state(owed(), ACK_DUE) == (ItemState.UNACKED, ACK_DUE)


def test_an_acked_notice_owes_nothing():
    assert state(owed(notice=True, acked_at=POSTED + timedelta(minutes=3))) is None


def test_an_acked_notice_with_a_deadline_owes_completion_only_when_the_chat_says_so():
    notice = owed(notice=True, acked_at=POSTED, done_due_at=POSTED + timedelta(hours=2))
    assert state(notice) is None
    assert state(notice, notices_complete=True) == (ItemState.PAST_DEADLINE, notice.done_due_at)


def test_an_unacked_notice_is_overdue_like_a_task():
    assert state(owed(notice=True)) == (ItemState.UNACKED, ACK_DUE)


def test_acked_task_with_the_deadline_ahead_is_due():
    deadline = AT + timedelta(hours=15)
    assert state(owed(acked_at=POSTED, done_due_at=deadline)) == (ItemState.DUE, deadline)


def test_acked_task_past_its_deadline_is_overdue_since_the_deadline():
    deadline = POSTED + timedelta(hours=4)
    a = owed(acked_at=POSTED, done_due_at=deadline)
    assert state(a) == (ItemState.PAST_DEADLINE, deadline)
    assert item_at(a, AT).late_by(AT) == timedelta(hours=5)


def test_acked_task_without_a_deadline_owes_nothing_more():
    assert state(owed(acked_at=POSTED)) is None  # nothing left that could be fined
    assert state(owed(acked_at=POSTED), notices_complete=True) is None
    assert state(owed(notice=True, acked_at=POSTED), notices_complete=True) is None


def test_done_before_the_instant_owes_nothing_done_after_still_owes():
    deadline = POSTED + timedelta(hours=4)
    base = {"acked_at": POSTED, "done_due_at": deadline}
    assert state(owed(**base, done_at=AT - timedelta(minutes=1))) is None
    assert state(owed(**base, done_at=AT)) is None
    assert state(owed(**base, done_at=AT + timedelta(minutes=1))) == (
        ItemState.PAST_DEADLINE,
        deadline,
    )


def test_cancelled_before_the_instant_owes_nothing_cancelled_after_still_owes():
    assert state(owed(cancelled=True, cancelled_at=AT - timedelta(hours=1))) is None
    later = owed(cancelled=True, cancelled_at=AT + timedelta(hours=1))
    assert state(later) == (ItemState.UNACKED, ACK_DUE)


def test_cancelled_at_an_unknown_time_owes_nothing():
    assert state(owed(cancelled=True, cancelled_at=None)) is None


def test_a_directive_posted_after_the_instant_is_not_there_yet():
    assert state(owed(created_at=AT + timedelta(seconds=1))) is None
    due = AT + timedelta(minutes=30)
    assert state(owed(created_at=AT, ack_due_at=due)) == (ItemState.AWAITING_ACK, due)
