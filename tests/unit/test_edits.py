"""Messages edited live (the engine's `handle_edit`): a leader's directive that now names more
members or another deadline, a member's reply read again, and edits that change nothing."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

from tests.builders import LEADER, LI, T0, ZHANG
from tests.engine_harness import Harness
from tracker.domain.events import DirectiveEdited
from tracker.domain.model import Rule, Status


def edit(h: Harness, original, sender: int, text: str, minutes: float) -> list:
    """`original` edited to `text` at `minutes` (the clock ticks there first)."""
    shape = h.chat.msg(sender, text, minutes)  # mentions and tags parsed as for a new one
    msg = dataclasses.replace(shape, message_id=original.message_id, reply_to=original.reply_to)
    h.events += h.engine.tick(msg.at)
    events = h.engine.handle_edit(h.state, msg)
    h.events += events
    return events


def fined(h: Harness) -> list[tuple]:
    return [(f.user_id, f.rule, f.booked_at - T0) for f in h.fines()]


def test_a_member_the_edit_adds_gets_a_window_of_their_own_from_the_edit():
    h = Harness()
    d = h.say(LEADER, "@zhangsan 把报表发我 #任务", 0)
    (event,) = edit(h, d, LEADER, "@zhangsan @lisi 把报表发我 #任务", 40)
    assert isinstance(event, DirectiveEdited)
    assert [a.user_id for a in event.added] == [LI] and not event.deadline_moved
    added = h.directive(d.message_id).assignments[LI]
    assert (added.ack_from, added.ack_until) == (
        T0 + timedelta(minutes=40),
        T0 + timedelta(minutes=70),
    )
    h.advance(90)
    m = timedelta(minutes=1)
    assert fined(h) == [(ZHANG, Rule.NO_ACK, 30 * m), (LI, Rule.NO_ACK, 70 * m)]
    reminded = [(r.due_at - T0, r.step) for r in h.reminders() if LI in r.user_ids]
    assert reminded == [(50 * m, f"remind_chat:0:{LI}"), (60 * m, f"remind_chat:1:{LI}"),
                        (60 * m, f"tell_leader:0:{LI}")]  # fmt: skip


def test_an_added_member_who_answers_in_their_window_is_on_time():
    h = Harness()
    d = h.say(LEADER, "@zhangsan 把报表发我 #任务", 0)
    h.say(ZHANG, "收到", 1)
    edit(h, d, LEADER, "@zhangsan @lisi 把报表发我 #任务", 40)
    h.say(LI, "收到", 55, reply_to=d.message_id)
    h.advance(120)
    assert h.fines() == [] and h.status(d.message_id, LI) is Status.ACKED


def test_a_moved_deadline_warns_and_fines_at_the_new_one_only():
    h = Harness()
    d = h.say(LEADER, "@zhangsan 把报表发我 DUE+180 #任务", 0)
    h.say(ZHANG, "收到", 1)
    (event,) = edit(h, d, LEADER, "@zhangsan 把报表发我 DUE+300 #任务", 30)
    assert event.deadline_moved and not event.added
    assert h.directive(d.message_id).done_due_at == T0 + timedelta(minutes=300)
    h.advance(299)
    assert h.fines() == []
    assert [r.due_at - T0 for r in h.reminders() if r.about_done] == [timedelta(minutes=240)]
    h.advance(301)
    assert fined(h) == [(ZHANG, Rule.UNRESOLVED, timedelta(minutes=300))]


def test_a_members_edited_reply_is_read_again():
    h = Harness()
    d = h.say(LEADER, "@zhangsan 把报表发我 #任务", 0)
    asked = h.say(ZHANG, "发哪里？", 5, reply_to=d.message_id)
    edit(h, asked, ZHANG, "收到，发您邮箱", 10)
    h.advance(60)
    assert h.fines() == [] and h.status(d.message_id, ZHANG) is Status.ACKED


def test_edits_that_change_no_duty_change_nothing():
    h = Harness()
    d = h.say(LEADER, "@zhangsan 把报表发我 #任务", 0)
    assert edit(h, d, LI, "@zhangsan @lisi 把报表发我 #任务", 5) == []  # not a leader
    assert edit(h, d, LEADER, "@zhangsan 把周报发我 #任务", 6) == []  # wording only
    assert edit(h, d, LEADER, "大家辛苦了", 7) == []  # no longer a directive: /cancel does that
    assert list(h.directive(d.message_id).assignments) == [ZHANG]
