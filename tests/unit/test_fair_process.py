"""The fair process around a fine, in the engine: a member who leaves the chat, a warning
before a completion deadline, a leader who confirms for a member, same-day work, leave."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from tests.builders import LEADER, LI, T0, ZHANG
from tests.engine_harness import Harness
from tracker.domain.events import AssignmentChanged, LeaveChanged
from tracker.domain.inbound import MemberSeen, Mention
from tracker.domain.model import Status, directive_status
from tracker.domain.rules import ChatRules
from tracker.texts import notices

SHANGHAI = ZoneInfo("Asia/Shanghai")


def leave(h: Harness, user_id: int, minutes: float) -> list:
    at = T0 + timedelta(minutes=minutes)
    h.events += h.engine.tick(at)
    events = h.engine.handle_member(
        h.state, MemberSeen(h.state.chat_id, user_id, None, left=True, at=at)
    )
    h.events += events
    return events


def test_a_member_who_leaves_inside_the_window_is_neither_reminded_nor_fined():
    h = Harness()
    d = h.say(LEADER, "@zhangsan @lisi 把本周客户拜访计划发群里 #任务")
    events = leave(h, ZHANG, 5)
    left = [e for e in events if isinstance(e, AssignmentChanged)]
    assert [(e.assignment.user_id, e.cause) for e in left] == [(ZHANG, "left")]
    assert h.status(d.message_id, ZHANG) is Status.LEFT
    assert h.directive(d.message_id).assignments[ZHANG].left_at == T0 + timedelta(minutes=5)
    h.advance(120)
    assert {f.user_id for f in h.fines()} == {LI}
    assert all(ZHANG not in r.user_ids for r in h.reminders())


def test_fines_booked_before_leaving_stay_and_no_unresolved_fine_follows():
    h = Harness()
    d = h.say(LEADER, "@zhangsan 明天上午把报价单发我 #任务")
    h.advance(31)  # fined for no acknowledgement
    assert [f.user_id for f in h.fines()] == [ZHANG]
    leave(h, ZHANG, 40)
    assert h.status(d.message_id, ZHANG) is Status.LEFT
    h.advance(60 * 24 * 7)
    assert len(h.fines()) == 1
    assert d.message_id not in h.state.open  # everyone gone: nothing left to track
    assert directive_status(False, [Status.LEFT]) == "closed"


def test_a_late_reply_after_leaving_changes_nothing_and_rejoining_starts_fresh():
    h = Harness()
    first = h.say(LEADER, "@zhangsan @lisi 下午三点前把周报发群里 #任务")
    leave(h, ZHANG, 2)
    h.say(ZHANG, "收到", 3, reply_to=first.message_id)
    assert h.status(first.message_id, ZHANG) is Status.LEFT
    h.engine.handle_member(h.state, MemberSeen(h.state.chat_id, ZHANG, "销售部-张三", at=T0))
    second = h.say(LEADER, "@zhangsan 明天把合同带来 #任务", 10)
    assert h.status(second.message_id, ZHANG) is Status.PENDING
    h.say(ZHANG, "收到", 11, reply_to=second.message_id)
    assert h.status(second.message_id, ZHANG) is Status.ACKED


def test_leaving_after_a_completion_leaves_it_done():
    h = Harness()
    d = h.say(LEADER, "@zhangsan @lisi 今天下班前提交周报 #任务")
    h.say(ZHANG, "已完成", 3, reply_to=d.message_id)
    events = leave(h, ZHANG, 5)
    assert not [e for e in events if isinstance(e, AssignmentChanged)]
    assert h.status(d.message_id, ZHANG) is Status.DONE


# -- before a completion deadline, a warning ----------------------------------------------------


def done_reminders(h: Harness) -> list:
    return [r for r in h.reminders() if r.about_done]


def test_the_assignees_not_done_are_reminded_an_hour_before_the_deadline():
    h = Harness()
    d = h.say(LEADER, "@zhangsan @lisi 把报表发我 DUE+180 #任务")
    h.say(ZHANG, "收到", 1)
    h.say(LI, "收到", 2)
    h.say(LI, "已完成", 60, reply_to=d.message_id)
    h.advance(119)
    assert done_reminders(h) == []
    h.advance(120)
    (reminder,) = done_reminders(h)
    assert reminder.user_ids == (ZHANG,) and reminder.step == "done:0"
    assert reminder.due_at == T0 + timedelta(minutes=120)
    h.advance(60 * 24)
    assert len(done_reminders(h)) == 1  # once, however long it stays overdue


def test_no_warning_when_everyone_is_done_or_the_deadline_is_too_close():
    h = Harness()
    d = h.say(LEADER, "@zhangsan 把报表发我 DUE+180 #任务")
    h.say(ZHANG, "已完成", 30, reply_to=d.message_id)
    h.say(LEADER, "@lisi 十分钟内把数字发我 DUE+10 #任务", 40)
    h.advance(60 * 24)
    assert done_reminders(h) == []


def test_a_promised_deadline_warns_the_member_who_promised():
    h = Harness()
    d = h.say(LEADER, "@zhangsan @lisi 把报表发我 #任务")
    h.say(ZHANG, "收到 DUE+240 发您", 1, reply_to=d.message_id)
    h.say(LI, "收到", 2, reply_to=d.message_id)
    h.advance(60 * 6)
    (reminder,) = done_reminders(h)
    assert reminder.user_ids == (ZHANG,) and reminder.step == f"done:0:{ZHANG}"
    assert reminder.due_at == T0 + timedelta(minutes=1 + 240 - 60)


def test_several_leads_each_warn_once_in_time_order():
    h = Harness(ChatRules(done_remind_before=(timedelta(hours=1), timedelta(hours=4))))
    h.say(LEADER, "@zhangsan 把报表发我 DUE+600 #任务")
    h.say(ZHANG, "收到", 1)
    h.advance(60 * 24)
    assert [r.due_at - T0 for r in done_reminders(h)] == [timedelta(hours=6), timedelta(hours=9)]


def test_the_lead_counts_business_time_on_a_business_clock():
    rules = ChatRules(clock="business")
    zone = rules.timezone
    tuesday_0930 = datetime(2026, 11, 24, 9, 30, tzinfo=zone)
    monday_1000 = datetime(2026, 11, 23, 10, 0, tzinfo=zone)
    (due,) = rules.done_reminders(monday_1000.astimezone(UTC), tuesday_0930.astimezone(UTC))
    assert due.astimezone(zone) == datetime(2026, 11, 23, 17, 30, tzinfo=zone)
    # 2026-10-08 (Thursday) is the first working day after the National Day holiday
    after_holiday = datetime(2026, 10, 8, 9, 15, tzinfo=zone)
    before = rules.earlier(after_holiday.astimezone(UTC), timedelta(hours=1))
    assert before.astimezone(zone) == datetime(2026, 9, 30, 17, 15, tzinfo=zone)
    evening = datetime(2026, 11, 24, 20, 0, tzinfo=zone)  # after closing: from 18:00
    assert rules.earlier(evening, timedelta(hours=1)).astimezone(zone).hour == 17


def test_the_unresolved_fine_notice_says_what_is_owed_and_when_the_next_comes():
    due = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)
    nxt = due + timedelta(days=1)
    text = notices.unresolved_fines(["张三"], 1, 5_000, "CNY", due, nxt, SHANGHAI)
    assert "第 2 次" in text and "本任务累计 100.00元" in text
    assert "11月24日 18:00" in text and "11月25日 18:00 前仍未完成的，再记 50.00元" in text
    last = notices.unresolved_fines(["张三"], 4, 5_000, "CNY", due, None, SHANGHAI)
    assert "最后一次" in last and "再记" not in last


# -- a leader confirms for a member --------------------------------------------------------------


def test_a_leaders_ok_records_the_named_members_acknowledgement_as_the_leaders():
    h = Harness()
    d = h.say(LEADER, "@zhangsan @lisi 把报表发我 #任务")
    h.say(LEADER, "/ok @zhangsan 电话里说收到了", 12, reply_to=d.message_id)
    zhang = h.directive(d.message_id).assignments[ZHANG]
    assert zhang.status is Status.ACKED and zhang.acked_at == T0 + timedelta(minutes=12)
    assert (zhang.ack_review, zhang.reviewed_by) == ("confirmed", LEADER)
    assert h.status(d.message_id, LI) is Status.PENDING
    h.advance(60)
    assert [f.user_id for f in h.fines()] == [LI]


def test_ok_without_a_name_confirms_the_only_one_left_and_never_two():
    h = Harness()
    d = h.say(LEADER, "@zhangsan @lisi 把报表发我 #任务")
    h.say(LEADER, "/ok", 3, reply_to=d.message_id)  # two still owe: unclear, nothing changes
    assert h.status(d.message_id, ZHANG) is Status.PENDING
    h.say(LI, "收到", 4, reply_to=d.message_id)
    h.say(LEADER, "/ok", 5, reply_to=d.message_id)
    assert h.status(d.message_id, ZHANG) is Status.ACKED


def test_a_members_ok_is_a_leaders_verb_and_acknowledges_nothing():
    h = Harness()
    d = h.say(LEADER, "@zhangsan 把报表发我 #任务")
    h.say(ZHANG, "/ok", 3, reply_to=d.message_id)
    assert h.status(d.message_id, ZHANG) is Status.PENDING


def test_ok_after_the_window_acknowledges_late_and_the_fine_stays():
    h = Harness()
    d = h.say(LEADER, "@zhangsan 把报表发我 #任务")
    h.advance(31)
    h.say(LEADER, "/ok @zhangsan", 40, reply_to=d.message_id)
    assert h.status(d.message_id, ZHANG) is Status.LATE
    assert len(h.fines()) == 1


def test_a_typed_name_finds_the_one_member_it_names():
    h = Harness()
    roster = h.state.roster
    assert roster.find(Mention("@张三")) == ZHANG  # 销售部-张三
    assert roster.find(Mention("@销售部-李四")) == LI
    assert roster.find(Mention("@三")) is None  # the end of a name, not a name
    roster.learn(9, "市场部-张三")
    assert roster.find(Mention("@张三")) is None  # two of them: unsure


def test_an_ok_that_replies_to_no_directive_opens_none():
    h = Harness()
    h.say(LEADER, "/ok @zhangsan 把报表发我", 1)
    assert h.state.open == {}


# -- same-day work (当天需要完成) -----------------------------------------------------------


SAME_DAY = ChatRules(default_done="end_of_workday")


def local(*args) -> datetime:
    return (
        datetime(*args, tzinfo=SHANGHAI) if len(args) > 3 else datetime(*args, 0, tzinfo=SHANGHAI)
    )


@pytest.mark.parametrize(
    ("posted", "due"),
    [
        (local(2026, 11, 23, 10, 0), local(2026, 11, 23, 18, 0)),  # Monday morning: that day
        (local(2026, 11, 23, 7, 30), local(2026, 11, 23, 18, 0)),  # before work: that day
        (local(2026, 11, 27, 19, 0), local(2026, 11, 30, 18, 0)),  # Friday evening: Monday
        (local(2026, 11, 28, 11, 0), local(2026, 11, 30, 18, 0)),  # Saturday: Monday
        (local(2026, 10, 9, 18, 30), local(2026, 10, 10, 18, 0)),  # Friday late: 调休 Saturday
        (local(2026, 9, 30, 20, 0), local(2026, 10, 8, 18, 0)),  # eve of National Day
    ],
)
def test_same_day_work_is_due_at_the_end_of_that_working_day(posted, due):
    assert SAME_DAY.default_done_at(posted.astimezone(UTC)) == due.astimezone(UTC)


def test_a_task_without_a_deadline_phrase_gets_the_same_day_deadline_and_its_fine():
    h = Harness(SAME_DAY)
    d = h.say(LEADER, "@zhangsan 把报表发我 #任务")  # Monday 09:00
    directive = h.directive(d.message_id)
    assert directive.done_due_at == local(2026, 11, 23, 18, 0).astimezone(UTC)
    assert directive.deadline_phrase is None
    h.say(ZHANG, "收到", 1)
    h.advance(9 * 60)
    assert [(f.rule.value, f.booked_at) for f in h.fines()] == [
        ("unresolved", local(2026, 11, 23, 18, 0).astimezone(UTC))
    ]


def test_a_phrase_wins_over_the_default_and_notices_are_left_alone():
    h = Harness(SAME_DAY)
    task = h.say(LEADER, "@zhangsan 把报表发我 DUE+1440 #任务")
    notice = h.say(LEADER, "#通知 明天下午开会", 1)
    assert h.directive(task.message_id).done_due_at == T0 + timedelta(days=1)
    assert h.directive(notice.message_id).done_due_at is None
    assert Harness().state.settings.rules.default_done_at(T0) is None  # off by default


# -- leave (请假 / 出差) -----------------------------------------------------------------------


def leave_events(h: Harness) -> list:
    return [e for e in h.events if isinstance(e, LeaveChanged)]


def test_a_leaders_leave_record_exempts_the_member_from_a_directive_in_the_span():
    h = Harness()  # T0: Monday 2026-11-23 09:00 Shanghai
    h.say(LEADER, "/leave @zhangsan 今天全天 出差", 0)
    (recorded,) = leave_events(h)
    assert (recorded.leave.user_id, recorded.leave.status) == (ZHANG, "approved")
    assert recorded.leave.reason == "出差" and recorded.leave.decided_by == LEADER
    d = h.say(LEADER, "@zhangsan @lisi 把报表发我 #任务", 5)
    assert h.status(d.message_id, ZHANG) is Status.AWAY
    h.advance(120)
    assert [f.user_id for f in h.fines()] == [LI]
    assert all(ZHANG not in r.user_ids for r in h.reminders())


def test_a_members_request_waits_for_a_leader_and_a_refusal_changes_nothing():
    h = Harness()
    h.say(ZHANG, "#请假 今天下午 看病", 0)
    (asked,) = leave_events(h)
    assert asked.leave.status == "pending" and asked.leave.user_id == ZHANG
    d = h.say(LEADER, "@zhangsan 下午把报表发我 #任务", 200)  # 12:20, inside the span
    assert h.status(d.message_id, ZHANG) is Status.PENDING  # not approved: counts
    outcome, _ = h.engine.decide_leave(h.state, asked.leave.request_id, ZHANG, LI, True, T0)
    assert outcome == "not_leader"
    outcome, events = h.engine.decide_leave(
        h.state, asked.leave.request_id, ZHANG, LEADER, False, T0 + timedelta(minutes=201)
    )
    assert outcome == "ok" and events[0].leave.status == "refused"
    h.advance(260)
    assert [f.user_id for f in h.fines()] == [ZHANG]


def test_leave_approved_inside_an_open_window_closes_it_as_away_and_books_nothing():
    h = Harness()
    d = h.say(LEADER, "@zhangsan @lisi 把报表发我 #任务", 0)
    h.say(ZHANG, "/leave 今天 家里有事", 5)
    (asked,) = leave_events(h)
    outcome, events = h.engine.decide_leave(
        h.state, asked.leave.request_id, ZHANG, LEADER, True, T0 + timedelta(minutes=6)
    )
    h.events += events
    assert outcome == "ok"
    assert [(e.assignment.user_id, e.cause) for e in events if hasattr(e, "cause")] == [
        (ZHANG, "away")
    ]
    assert h.status(d.message_id, ZHANG) is Status.AWAY
    h.advance(120)
    assert [f.user_id for f in h.fines()] == [LI]
    again, _ = h.engine.decide_leave(h.state, asked.leave.request_id, ZHANG, LEADER, True, T0)
    assert again == "already"


def test_leave_that_starts_inside_a_window_stops_the_fine_at_its_due_time():
    h = Harness()
    d = h.say(LEADER, "@zhangsan 明天上午前把报表发我 DUE+1500 #任务", 0)  # Monday 09:00
    h.say(LEADER, "/leave @zhangsan 明天全天 培训", 1)  # Tuesday: the deadline falls in it
    h.say(ZHANG, "收到", 2)
    h.advance(60 * 48)
    assert h.fines() == []
    assert h.status(d.message_id, ZHANG) is Status.AWAY


def test_leave_ending_before_a_later_directive_counts_as_usual_and_overlaps_are_fine():
    h = Harness()
    h.say(LEADER, "/leave @zhangsan 今天上午", 0)
    h.say(LEADER, "/leave @zhangsan 今天 9点到11点", 1)  # overlapping: either covers
    early = h.say(LEADER, "@zhangsan 把报表发我 #任务", 60)  # 10:00: on leave
    late = h.say(LEADER, "@zhangsan 把合同发我 #任务", 200)  # 12:20: back
    assert h.status(early.message_id, ZHANG) is Status.AWAY
    assert h.status(late.message_id, ZHANG) is Status.PENDING


def test_a_member_cannot_record_leave_for_someone_else_and_an_unread_span_records_nothing():
    h = Harness()
    h.say(ZHANG, "/leave @lisi 明天全天", 0)
    h.say(LEADER, "/leave @zhangsan 改天吧", 1)
    assert leave_events(h) == []


@pytest.mark.parametrize(
    ("text", "start", "end", "reason"),
    [
        ("/leave 明天全天 看病", local(2026, 11, 24), local(2026, 11, 25), "看病"),
        ("#请假 12月8日到12月10日 回老家", local(2026, 12, 8), local(2026, 12, 11), "回老家"),
        ("/leave 今天下午", local(2026, 11, 23, 12), local(2026, 11, 24), ""),
        ("#出差 下周一上午 客户拜访", local(2026, 11, 30), local(2026, 11, 30, 12), "客户拜访"),
        ("/leave 周三到周五 年假", local(2026, 11, 25), local(2026, 11, 28), "年假"),
        ("#请假 明天起三天", local(2026, 11, 24), local(2026, 11, 27), ""),
    ],
)
def test_spans_as_members_write_them(text, start, end, reason):
    h = Harness()
    h.say(ZHANG, text, 0)
    (asked,) = leave_events(h)
    assert (asked.leave.start, asked.leave.end) == (start.astimezone(UTC), end.astimezone(UTC))
    assert asked.leave.reason == reason
