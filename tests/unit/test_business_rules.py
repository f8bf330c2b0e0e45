"""Per-chat clock and quiet hours in the engine: business time windows, working-day deadlines,
reminders that wait for the end of quiet hours, fines booked on time but announced later."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from tests.builders import LEADER, Chat, settings
from tracker.config.loading import parse_config
from tracker.domain.chat_state import ChatState
from tracker.domain.clock import WorkCalendar
from tracker.domain.deadlines.reader import read_deadline
from tracker.domain.engine import Engine
from tracker.domain.events import DirectiveOpened, FinesBooked, ReminderDue
from tracker.domain.rules import ChatRules
from tracker.services.notifications import Notifier

SHANGHAI = ZoneInfo("Asia/Shanghai")


def local(*args) -> datetime:
    return datetime(*args, tzinfo=SHANGHAI).astimezone(UTC)


def run(rules: ChatRules, text: str, at: datetime, until: datetime):
    engine = Engine(read_deadline)
    state = ChatState.fresh(settings(rules))
    engine.add_chat(state)
    rows: list[dict] = []
    notifier = Notifier(engine.chats, rows.append, "pending", status_boards=False)
    chat = Chat()
    message = replace(chat.msg(LEADER, text), at=at)
    events = engine.handle_message(state, message)
    events += engine.tick(until)
    notifier.on_events(events, None)
    return events, rows


def test_business_clock_carries_the_window_over_the_weekend():
    rules = ChatRules(clock="business")
    events, _ = run(
        rules,
        "@zhangsan 把报表发我 #任务",
        local(2026, 11, 20, 17, 50),
        local(2026, 11, 23, 12, 0),
    )
    directive = next(e.directive for e in events if isinstance(e, DirectiveOpened))
    assert directive.ack_due_at == local(2026, 11, 23, 9, 20)  # Friday 17:50 → Monday 09:20
    (booked,) = [e for e in events if isinstance(e, FinesBooked)]
    assert booked.fines[0].booked_at == local(2026, 11, 23, 9, 20)


def test_business_clock_skips_the_2026_national_day_holiday():
    rules = ChatRules(clock="business")
    events, _ = run(
        rules, "@zhangsan 把报表发我 #任务", local(2026, 9, 30, 17, 50), local(2026, 10, 9)
    )
    directive = next(e.directive for e in events if isinstance(e, DirectiveOpened))
    assert directive.ack_due_at == local(2026, 10, 8, 9, 20)


def test_a_2027_spring_festival_given_in_config_is_honoured():
    config = parse_config(
        {
            "calendar": {
                "holidays": [f"2027-02-{d:02d}" for d in range(6, 13)],
                "workdays": ["2027-02-14"],
            },
            "defaults": {"clock": "business"},
        },
        "t.toml",
    )
    rules = config.defaults
    assert rules.calendar.known(2027) is False
    assert rules.ack_due(local(2027, 2, 5, 17, 50)) == local(2027, 2, 14, 9, 20)


def test_working_days_in_a_deadline_follow_the_chat_calendar():
    rules = ChatRules(calendar=WorkCalendar(holidays=frozenset({date(2026, 11, 25)})))
    events, _ = run(
        rules,
        "@zhangsan 3个工作日内把报表发我 #任务",
        local(2026, 11, 23, 9, 0),
        local(2026, 11, 23, 9, 1),
    )
    directive = next(e.directive for e in events if isinstance(e, DirectiveOpened))
    assert directive.done_due_at == local(2026, 11, 27, 18, 0)  # Tue, (Wed off), Thu, Fri


def test_a_reminder_in_quiet_hours_waits_and_a_fine_is_booked_but_announced_later():
    rules = ChatRules()  # quiet 22:00–08:00
    events, rows = run(
        rules, "@zhangsan 把报表发我 #任务", local(2026, 11, 23, 21, 45), local(2026, 11, 24, 9, 0)
    )
    reminders = [
        e.reminder for e in events if isinstance(e, ReminderDue) and e.reminder.to == "chat"
    ]
    assert [r.due_at for r in reminders] == [
        local(2026, 11, 23, 21, 55),
        local(2026, 11, 24, 8, 0),
    ]
    (booked,) = [e for e in events if isinstance(e, FinesBooked)]
    assert booked.fines[0].booked_at == local(2026, 11, 23, 22, 15)
    (announcement,) = [r for r in rows if r["kind"] == "fine_no_ack"]
    assert announcement["claimed_until"] == local(2026, 11, 24, 8, 0)
    assert announcement["error"] == "quiet hours"


def test_no_quiet_hours_when_start_equals_end():
    rules = ChatRules(quiet_hours=(time(0), time(0)))
    assert rules.quiet_until(local(2026, 11, 23, 23, 30)) is None


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ({"defaults": {"clock": "office"}}, 'defaults.clock: expected "wall" or "business"'),
        ({"defaults": {"working_hours": ["18:00", "09:00"]}}, "defaults.working_hours"),
        ({"defaults": {"quiet_hours": ["22:00"]}}, "defaults.quiet_hours"),
        ({"calendar": {"holidays": ["2027-13-01"]}}, "calendar.holidays[0]"),
        ({"calendar": {"holiday": []}}, "calendar"),
        (
            {"calendar": {"holidays": ["2027-02-14"], "workdays": ["2027-02-14"]}},
            "calendar.workdays",
        ),
    ],
)
def test_calendar_and_clock_config_errors_name_the_key(table, message):
    from tracker.errors import ConfigError

    with pytest.raises(ConfigError) as error:
        parse_config(table, "t.toml")
    assert message in str(error.value) and "\n" not in str(error.value)


def test_clock_settings_load_from_toml():
    config = parse_config(
        {
            "defaults": {
                "clock": "business",
                "working_hours": ["08:30", "17:30"],
                "quiet_hours": ["21:00", "07:00"],
            }
        },
        "t.toml",
    )
    rules = config.defaults
    assert rules.clock == "business"
    assert rules.working_hours == (time(8, 30), time(17, 30))
    assert rules.quiet_hours == (time(21, 0), time(7, 0))


def test_a_chat_that_ends_work_at_1730_reads_下班前_as_1730():
    config = parse_config({"defaults": {"deadline_times": {"end_of_day": "17:30"}}}, "t.toml")
    events, _ = run(
        config.defaults,
        "@zhangsan 今天下班前把报表发我 #任务",
        local(2026, 11, 23, 9, 0),
        local(2026, 11, 23, 9, 1),
    )
    directive = next(e.directive for e in events if isinstance(e, DirectiveOpened))
    assert directive.done_due_at == local(2026, 11, 23, 17, 30)


def test_a_wrong_deadline_time_names_the_key():
    from tracker.errors import ConfigError

    with pytest.raises(ConfigError, match=r"defaults.deadline_times.evening"):
        parse_config({"defaults": {"deadline_times": {"evening": "9pm"}}}, "t.toml")
