"""The engine alone: directives, acks, escalation, fines, completion, cancel. No database."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.builders import LEADER, LI, T0, WANG, ZHANG
from tests.engine_harness import Harness
from tracker.domain.inbound import Mention
from tracker.domain.model import Kind, Rule, Status
from tracker.domain.rules import ChatRules


@pytest.fixture
def h() -> Harness:
    return Harness()


def test_tagged_task_assigns_mentioned_members(h):
    d = h.say(LEADER, "@zhangsan @lisi 把本周客户拜访计划发群里 #任务")
    directive = h.directive(d.message_id)
    assert directive.kind is Kind.TASK
    assert set(directive.assignments) == {ZHANG, LI}
    assert directive.ack_due_at == T0 + timedelta(minutes=30)


def test_untagged_mention_with_a_request_is_a_directive(h):
    d = h.say(LEADER, "@zhangsan 下午把合同带过来")
    assert set(h.directive(d.message_id).assignments) == {ZHANG}


@pytest.mark.parametrize(
    "text",
    ["@lisi 辛苦了，谢谢", "@zhangsan 做得好，大家今天都很棒", "@lisi 在吗？", "大家今天都很棒"],
)
def test_thanks_praise_and_questions_are_not_directives(h, text):
    h.say(LEADER, text)
    assert h.events == [] or all(type(e).__name__ == "MemberLearned" for e in h.events)


def test_a_member_cannot_post_a_directive(h):
    h.say(ZHANG, "@lisi 把报表发我 #任务")
    assert not h.state.open


def test_notice_assigns_everyone_but_leaders(h):
    d = h.say(LEADER, "#通知 明天上午9点全员开周会，收到请回复")
    directive = h.directive(d.message_id)
    assert directive.kind is Kind.NOTICE
    assert set(directive.assignments) == {ZHANG, LI, WANG}


def test_at_all_with_request_is_a_notice(h):
    d = h.say(LEADER, "@所有人 月底前把报销单交到财务")
    assert h.directive(d.message_id).kind is Kind.NOTICE


def test_text_mention_carries_user_id(h):
    d = h.say(
        LEADER, "王五 今天把样品寄出 #任务", mentions=(Mention("销售部-王五", user_id=WANG),)
    )
    assert set(h.directive(d.message_id).assignments) == {WANG}


def test_unknown_username_is_reported_not_fined(h):
    d = h.say(LEADER, "@zhangsan @nobody 把报价单发我 #任务")
    directive = h.directive(d.message_id)
    assert directive.unresolved_mentions == ("@nobody",)
    h.advance(60)
    assert {f.user_id for f in h.fines()} == {ZHANG}


def test_tagged_reply_to_a_member_assigns_that_member(h):
    question = h.say(LI, "客户要求下周发货，怎么处理")
    d = h.say(LEADER, "#任务 你跟进一下", reply_to=question.message_id, reply_to_sender=LI)
    assert set(h.directive(d.message_id).assignments) == {LI}


def test_bare_ack_covers_all_pending_directives(h):
    a = h.say(LEADER, "@zhangsan 把报表发我 #任务", 0)
    b = h.say(LEADER, "@zhangsan 明天拜访客户 #任务", 1)
    h.say(ZHANG, "收到", 2)
    assert h.status(a.message_id, ZHANG) is Status.ACKED
    assert h.status(b.message_id, ZHANG) is Status.ACKED


def test_ack_as_reply_acknowledges_only_that_directive(h):
    a = h.say(LEADER, "@zhangsan 把报表发我 #任务", 0)
    b = h.say(LEADER, "@zhangsan 明天拜访客户 #任务", 1)
    h.say(ZHANG, "好的", 2, reply_to=a.message_id)
    assert h.status(a.message_id, ZHANG) is Status.ACKED
    assert h.status(b.message_id, ZHANG) is Status.PENDING


@pytest.mark.parametrize("text", ["没收到", "收到了吗？", "是哪个合同？"])
def test_non_acks_change_nothing(h, text):
    d = h.say(LEADER, "@zhangsan 把报表发我 #任务", 0)
    h.say(ZHANG, text, 1)
    assert h.status(d.message_id, ZHANG) is Status.PENDING


def test_ack_from_a_non_assignee_changes_nothing(h):
    d = h.say(LEADER, "@zhangsan 把报表发我 #任务", 0)
    h.say(LI, "收到", 1)
    assert LI not in h.directive(d.message_id).assignments
    assert h.status(d.message_id, ZHANG) is Status.PENDING


def test_escalation_reminds_twice_tells_leader_then_fines_once(h):
    d = h.say(LEADER, "@zhangsan @lisi 把报表发我 #任务", 0)
    h.say(ZHANG, "收到", 5)
    h.advance(120)
    steps = [(r.step, r.to, r.user_ids, r.due_at - T0) for r in h.reminders()]
    assert steps == [
        ("remind_chat:0", "chat", (LI,), timedelta(minutes=10)),
        ("remind_chat:1", "chat", (LI,), timedelta(minutes=20)),
        ("tell_leader:0", "leader", (LI,), timedelta(minutes=20)),
    ]
    fines = h.fines()
    assert [(f.user_id, f.rule, f.amount_fen, f.booked_at - T0) for f in fines] == [
        (LI, Rule.NO_ACK, 10_000, timedelta(minutes=30))
    ]
    assert h.status(d.message_id, LI) is Status.OVERDUE


def test_ack_in_time_means_no_reminder_and_no_fine(h):
    h.say(LEADER, "@zhangsan 把报表发我 #任务", 0)
    h.say(ZHANG, "1", 29.9)
    h.advance(24 * 60)
    assert h.reminders()[:1] == [r for r in h.reminders() if r.step == "remind_chat:0"]
    assert h.fines() == []


def test_ack_at_the_due_instant_is_late(h):
    d = h.say(LEADER, "@zhangsan 把报表发我 #任务", 0)
    h.say(ZHANG, "收到", 30)
    assert h.status(d.message_id, ZHANG) is Status.LATE
    assert len(h.fines()) == 1


def test_late_ack_is_recorded_and_fine_stays(h):
    d = h.say(LEADER, "@zhangsan 把报表发我 #任务", 0)
    h.say(ZHANG, "收到", 45)
    assignment = h.directive(d.message_id).assignments[ZHANG]
    assert assignment.status is Status.LATE
    assert assignment.acked_at == T0 + timedelta(minutes=45)
    assert len(h.fines()) == 1


def test_reaction_on_directive_acknowledges(h):
    d = h.say(LEADER, "@zhangsan 把报表发我 #任务", 0)
    h.react(ZHANG, d.message_id, "👍", 3)
    assert h.status(d.message_id, ZHANG) is Status.ACKED


def test_done_reply_closes_for_that_member_only(h):
    d = h.say(LEADER, "@zhangsan @lisi 把报表发我 DUE+120 #任务", 0)
    h.say(ZHANG, "收到", 1)
    h.say(LI, "收到", 1)
    h.say(ZHANG, "已完成", 60, reply_to=d.message_id)
    h.advance(125)
    assert h.status(d.message_id, ZHANG) is Status.DONE
    assert [(f.user_id, f.rule) for f in h.fines()] == [(LI, Rule.UNRESOLVED)]


def test_unresolved_fine_repeats_up_to_the_maximum(h):
    h.say(LEADER, "@zhangsan 把报表发我 DUE+60 #任务", 0)
    h.say(ZHANG, "收到", 1)
    h.advance(60 + 10 * 24 * 60)
    unresolved = [f for f in h.fines() if f.rule is Rule.UNRESOLVED]
    assert [f.sequence for f in unresolved] == [0, 1, 2, 3, 4]
    assert unresolved[1].booked_at - unresolved[0].booked_at == timedelta(days=1)
    assert all(f.amount_fen == 5_000 for f in unresolved)


def test_done_stops_the_unresolved_fines(h):
    d = h.say(LEADER, "@zhangsan 把报表发我 DUE+60 #任务", 0)
    h.say(ZHANG, "收到", 1)
    h.advance(60 + 24 * 60 + 1)
    h.say(ZHANG, "搞定了", 60 + 30 * 60, reply_to=d.message_id)
    h.advance(60 + 10 * 24 * 60)
    assert len(h.fines()) == 2


def test_leader_cancel_stops_everything(h):
    d = h.say(LEADER, "@zhangsan 把报表发我 DUE+60 #任务", 0)
    h.say(LEADER, "/cancel", 5, reply_to=d.message_id)
    h.advance(10 * 24 * 60)
    assert h.fines() == [] and h.reminders() == []
    assert h.directive(d.message_id).status == "cancelled"


def test_leader_done_reply_closes_for_everyone(h):
    d = h.say(LEADER, "@zhangsan @lisi 把报表发我 #任务", 0)
    h.say(LEADER, "/done", 5, reply_to=d.message_id)
    assert h.directive(d.message_id).status == "done"


def test_repeated_message_id_is_ignored(h):
    d = h.say(LEADER, "@zhangsan 把报表发我 #任务", 0)
    again = h.engine.handle_message(h.state, d)
    assert again == []


def test_escalation_steps_follow_the_chat_rules():
    h = Harness(
        ChatRules(
            ack_window=timedelta(minutes=45),
            remind_at=(timedelta(minutes=30),),
            tell_leader_at=(),
            fine_no_ack_fen=5_000,
        )
    )
    h.say(LEADER, "@zhangsan 把报表发我 #任务", 0)
    h.advance(60)
    assert [(r.step, r.due_at - T0) for r in h.reminders()] == [
        ("remind_chat:0", timedelta(minutes=30))
    ]
    assert [(f.amount_fen, f.booked_at - T0) for f in h.fines()] == [
        (5_000, timedelta(minutes=45))
    ]


def test_a_notice_needs_an_ack_but_its_time_is_no_completion_deadline(h):
    d = h.say(LEADER, "#通知 DUE+60 全员开周会", 0)
    h.say(ZHANG, "收到", 1)
    h.advance(10 * 24 * 60)
    assert h.directive(d.message_id).done_due_at is None
    assert {f.rule for f in h.fines()} == {Rule.NO_ACK}


def test_notice_completion_can_be_switched_on():
    h = Harness(ChatRules(notice_completion=True))
    h.say(LEADER, "#通知 DUE+60 月底前交报销单", 0)
    h.advance(61)
    assert Rule.UNRESOLVED in {f.rule for f in h.fines()}
