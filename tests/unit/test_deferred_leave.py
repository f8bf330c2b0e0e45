"""A chat whose leave defers (absent = "defer"): a member on approved leave owes the
acknowledgement from the first working moment after the leave, with a full window of their own;
nobody is reminded, told on or fined while away."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from tests.builders import LEADER, LI, T0, ZHANG
from tests.engine_harness import Harness
from tracker.domain.clock import WorkCalendar
from tracker.domain.events import AssignmentChanged
from tracker.domain.leave import read_decision
from tracker.domain.model import Rule, Status
from tracker.domain.rules import ChatRules
from tracker.texts import notices

SHANGHAI = ZoneInfo("Asia/Shanghai")
DEFER = ChatRules(absent="defer")


def local(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=SHANGHAI)


def minutes_to(at: datetime) -> float:
    return (at - T0).total_seconds() / 60


def reminded(h: Harness, user: int) -> list[tuple[datetime, str]]:
    return [(r.due_at, r.to) for r in h.reminders() if user in r.user_ids]


def test_a_directive_reaching_a_member_on_leave_waits_for_the_end_of_the_leave():
    h = Harness(DEFER)  # T0: Monday 2026-11-23 09:00
    h.say(LEADER, "/leave @zhangsan 今天上午 外出培训", 0)  # until 12:00
    d = h.say(LEADER, "@zhangsan @lisi 把报表发我 #任务", 60)  # 10:00
    own = h.directive(d.message_id).assignments[ZHANG]
    assert h.status(d.message_id, ZHANG) is Status.PENDING
    assert (own.ack_from, own.ack_until) == (local(23, 12), local(23, 12, 30))
    h.advance(minutes_to(local(23, 12, 5)))
    assert [f.user_id for f in h.fines()] == [LI]  # the directive's window: Li alone
    assert reminded(h, ZHANG) == []
    h.advance(minutes_to(local(23, 13)))
    assert [(f.user_id, f.booked_at) for f in h.fines()] == [
        (LI, local(23, 10, 30)),
        (ZHANG, local(23, 12, 30)),
    ]
    assert reminded(h, ZHANG) == [
        (local(23, 12, 10), "chat"),
        (local(23, 12, 20), "chat"),
        (local(23, 12, 20), "leader"),
    ]
    steps = {r.step for r in h.reminders() if ZHANG in r.user_ids}
    assert steps == {f"remind_chat:0:{ZHANG}", f"remind_chat:1:{ZHANG}", f"tell_leader:0:{ZHANG}"}


def test_an_answer_inside_the_members_own_window_is_on_time():
    h = Harness(DEFER)
    h.say(LEADER, "/leave @zhangsan 今天上午", 0)
    d = h.say(LEADER, "@zhangsan 把报表发我 #任务", 60)
    h.say(ZHANG, "收到", minutes_to(local(23, 12, 15)))
    h.advance(minutes_to(local(23, 18)))
    assert h.status(d.message_id, ZHANG) is Status.ACKED
    assert h.fines() == [] and reminded(h, ZHANG) == [(local(23, 12, 10), "chat")]


def test_leave_ending_on_a_friday_evening_defers_to_monday_opening():
    h = Harness(DEFER)
    h.say(LEADER, "/leave @zhangsan 11月25日到11月27日 出差", 0)  # Wednesday to Friday
    d = h.say(LEADER, "@zhangsan 把合同发我 #任务", minutes_to(local(26, 10)))
    own = h.directive(d.message_id).assignments[ZHANG]
    assert own.ack_from == local(30, 9)  # Monday 09:00: the weekend does not count
    h.advance(minutes_to(local(30, 9, 29)))
    assert h.fines() == []
    h.advance(minutes_to(local(30, 9, 30)))
    assert [(f.user_id, f.booked_at) for f in h.fines()] == [(ZHANG, local(30, 9, 30))]


def test_leave_ending_before_a_holiday_waits_for_the_next_working_day():
    rules = ChatRules(
        absent="defer", calendar=WorkCalendar(holidays=frozenset({date(2026, 11, 24)}))
    )
    h = Harness(rules)
    h.say(LEADER, "/leave @zhangsan 今天全天", 0)  # Monday; Tuesday is a holiday
    d = h.say(LEADER, "@zhangsan 把合同发我 #任务", 30)
    assert h.directive(d.message_id).assignments[ZHANG].ack_from == local(25, 9)


def test_back_to_back_and_overlapping_leaves_make_one_absence():
    h = Harness(DEFER)
    h.say(LEADER, "/leave @zhangsan 今天下午 看病", 0)
    h.say(LEADER, "/leave @zhangsan 明天全天 复查", 1)
    h.say(LEADER, "/leave @zhangsan 明天上午", 2)  # inside the other: changes nothing
    d = h.say(LEADER, "@zhangsan 把合同发我 #任务", minutes_to(local(23, 15)))
    assert h.directive(d.message_id).assignments[ZHANG].ack_from == local(25, 9)


def test_leave_approved_inside_an_open_window_restarts_it_after_the_leave():
    h = Harness(DEFER)
    d = h.say(LEADER, "@zhangsan @lisi 把报表发我 #任务", 0)
    asked = h.say(ZHANG, "/leave 今天 家里有事", 5)
    outcome, events = h.engine.decide_leave(
        h.state, asked.message_id, ZHANG, LEADER, True, T0 + timedelta(minutes=6)
    )
    h.events += events
    assert outcome == "ok"
    assert [
        (e.assignment.user_id, e.cause) for e in events if isinstance(e, AssignmentChanged)
    ] == [(ZHANG, "deferred")]
    h.advance(minutes_to(local(24, 9, 31)))
    assert [(f.user_id, f.booked_at) for f in h.fines()] == [
        (LI, local(23, 9, 30)),
        (ZHANG, local(24, 9, 30)),  # Tuesday: the first working moment after Monday's leave
    ]
    assert h.status(d.message_id, ZHANG) is Status.OVERDUE


def test_a_deferred_window_that_meets_a_second_leave_moves_again():
    h = Harness(DEFER)
    h.say(LEADER, "/leave @zhangsan 今天上午", 0)
    d = h.say(LEADER, "@zhangsan 把报表发我 #任务", 60)  # own window from 12:00
    h.say(LEADER, "/leave @zhangsan 今天12点到14点 临时外出", 100)  # recorded at 10:40
    own = h.directive(d.message_id).assignments[ZHANG]
    assert own.ack_from == local(23, 14)
    h.advance(minutes_to(local(23, 15)))
    assert [(f.user_id, f.booked_at) for f in h.fines()] == [(ZHANG, local(23, 14, 30))]
    assert reminded(h, ZHANG)[0] == (local(23, 14, 10), "chat")  # nothing at 12:10


def test_an_acknowledged_task_is_not_fined_or_warned_while_its_member_is_away():
    h = Harness(DEFER)
    deadline = minutes_to(local(24, 12))  # Tuesday noon
    d = h.say(LEADER, f"@zhangsan 把报表发我 DUE+{deadline:.0f} #任务", 0)
    h.say(ZHANG, "收到", 1)
    h.say(LEADER, "/leave @zhangsan 明天全天 出差", 2)
    h.advance(minutes_to(local(24, 23)))
    assert h.fines() == [] and reminded(h, ZHANG) == []  # no 1h warning, no fine on Tuesday
    h.advance(minutes_to(local(25, 13)))  # the next 50 元 falls due a day later: back by then
    assert [(f.user_id, f.rule, f.sequence) for f in h.fines()] == [(ZHANG, Rule.UNRESOLVED, 1)]
    assert h.status(d.message_id, ZHANG) is Status.OVERDUE


def test_the_board_says_the_window_moved_for_the_member_on_leave():
    h = Harness(DEFER)
    h.say(LEADER, "/leave @zhangsan 今天上午", 0)
    d = h.say(LEADER, "@zhangsan @lisi 把报表发我 #任务", 60)
    board = notices.status_board(h.directive(d.message_id), SHANGHAI)
    assert "🏖" in board and "顺延至 11月23日 12:30" in board


# -- a leader's answer in words (the only answer an exported chat holds) ----------------------


@pytest.mark.parametrize(
    "text, decision",
    [
        ("批准", True),
        ("同意，注意安全", True),
        ("好的", True),
        ("收到", True),
        ("准了，早点回来", True),
        ("OK", True),
        ("👍", True),
        ("驳回，月底不能请假", False),
        ("不行，这周要交方案", False),
        ("不同意", False),
        ("不批", False),
        ("几天？", None),
        ("可以吗", None),
        ("为什么请假", None),
        ("明天的会谁替你", None),
    ],
)
def test_a_leaders_words_on_a_leave_request(text, decision):
    assert read_decision(text) is decision


def test_a_leaders_written_approval_decides_a_members_request_as_the_button_does():
    h = Harness(DEFER)
    asked = h.say(ZHANG, "#请假 今天上午 看病", 0)
    h.say(LEADER, "几天？", 1, reply_to=asked.message_id)  # a question: still waiting
    assert h.state.leaves[(asked.message_id, ZHANG)].status == "pending"
    d = h.say(LEADER, "@zhangsan @lisi 把报表发我 #任务", 2)
    h.say(LEADER, "同意，注意身体", 3, reply_to=asked.message_id)
    leave = h.state.leaves[(asked.message_id, ZHANG)]
    assert (leave.status, leave.decided_by) == ("approved", LEADER)
    assert h.directive(d.message_id).assignments[ZHANG].ack_from == local(23, 12)
    h.advance(minutes_to(local(23, 11)))
    assert [f.user_id for f in h.fines()] == [LI]


def test_a_written_refusal_changes_nothing_and_a_members_words_decide_nothing():
    h = Harness(DEFER)
    asked = h.say(ZHANG, "#请假 今天上午 看病", 0)
    h.say(LI, "批准", 1, reply_to=asked.message_id)  # not a leader
    assert h.state.leaves[(asked.message_id, ZHANG)].status == "pending"
    h.say(LEADER, "不行，上午要见客户", 2, reply_to=asked.message_id)
    assert h.state.leaves[(asked.message_id, ZHANG)].status == "refused"
    d = h.say(LEADER, "@zhangsan 把报表发我 #任务", 3)
    h.advance(40)
    assert [f.user_id for f in h.fines()] == [ZHANG]
    assert h.status(d.message_id, ZHANG) is Status.OVERDUE


def test_written_answers_can_be_turned_off():
    h = Harness(ChatRules(leave_by_reply=False))
    asked = h.say(ZHANG, "#请假 今天上午 看病", 0)
    h.say(LEADER, "批准", 1, reply_to=asked.message_id)
    assert h.state.leaves[(asked.message_id, ZHANG)].status == "pending"
