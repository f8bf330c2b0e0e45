"""The engine reads a member's reply with its context: reply or bare, to what, by whom."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.builders import LEADER, LI, ZHANG
from tests.unit.test_engine import Harness
from tracker.domain.model import Status


@pytest.fixture
def h() -> Harness:
    return Harness()


def test_a_plan_in_reply_to_the_directive_acknowledges_it(h):
    d = h.say(LEADER, "@zhangsan 今天把报价单整理出来 #任务")
    h.say(ZHANG, "正在处理，预计明天完成", 3, reply_to=d.message_id)
    assert h.status(d.message_id, ZHANG) is Status.ACKED
    assert h.directive(d.message_id).assignments[ZHANG].ack_review is None


def test_a_bare_plan_acknowledges_nothing_a_bare_ack_does(h):
    d = h.say(LEADER, "@zhangsan 今天把报价单整理出来 #任务")
    h.say(ZHANG, "这个我得跟财务核对一下，下午给您答复", 3)
    assert h.directive(d.message_id).assignments[ZHANG].acked_at is None
    h.say(ZHANG, "抱歉回复晚了，收到", 4)
    assert h.status(d.message_id, ZHANG) is Status.ACKED


def test_an_unclear_reply_to_the_directive_counts_and_waits_for_the_leader(h):
    d = h.say(LEADER, "@zhangsan 下午把合同带过来 #任务")
    h.say(ZHANG, "合同在老王那边放着", 2, reply_to=d.message_id)
    assignment = h.directive(d.message_id).assignments[ZHANG]
    assert assignment.status is Status.ACKED
    assert (assignment.ack_review, assignment.ack_text) == ("pending", "合同在老王那边放着")


def test_a_question_or_negation_in_reply_to_the_directive_acknowledges_nothing(h):
    d = h.say(LEADER, "@zhangsan 下午把合同带过来 #任务")
    h.say(ZHANG, "是发群里还是发邮箱？", 1, reply_to=d.message_id)
    h.say(ZHANG, "附件好像还没到哦", 2, reply_to=d.message_id)
    assert h.directive(d.message_id).assignments[ZHANG].acked_at is None
    h.advance(31)
    assert [f.user_id for f in h.fines()] == [ZHANG]


def test_an_ack_in_reply_to_a_leaders_other_message_acknowledges_no_directive(h):
    d = h.say(LEADER, "@zhangsan @lisi 把周报发群里 #任务")
    question = h.say(LEADER, "昨天的会议纪要谁整理的？", 1)
    h.say(ZHANG, "收到", 2, reply_to=question.message_id, reply_to_sender=LEADER)
    h.say(LI, "收到", 3)
    assert h.directive(d.message_id).assignments[ZHANG].acked_at is None
    assert h.status(d.message_id, LI) is Status.ACKED


def test_an_ack_in_reply_to_a_colleague_counts_as_a_bare_ack(h):
    d = h.say(LEADER, "@zhangsan @lisi 把周报发群里 #任务")
    li = h.say(LI, "收到", 1)
    h.say(ZHANG, "收到", 2, reply_to=li.message_id, reply_to_sender=LI)
    assert h.status(d.message_id, ZHANG) is Status.ACKED


def test_a_long_post_starting_with_a_thumb_acknowledges_nothing(h):
    d = h.say(LEADER, "@zhangsan 把周报发群里 #任务")
    h.say(ZHANG, "👍 今天签了两单，大家加油！晚上一起吃饭", 2)
    assert h.directive(d.message_id).assignments[ZHANG].acked_at is None


def test_a_done_report_closes_and_acknowledges_before_any_ack_reading(h):
    d = h.say(LEADER, "@zhangsan 把周报发群里 #任务")
    h.say(ZHANG, "已发群里", 5, reply_to=d.message_id)
    assert h.status(d.message_id, ZHANG) is Status.DONE


@pytest.mark.parametrize(
    "text",
    ["漏洞已经修复，但是服务器还要重启", "报告已经提交了吗", "小王说他那边已经完成了"],
)
def test_news_questions_and_others_work_do_not_close_a_directive(h, text):
    d = h.say(LEADER, "@zhangsan 把周报发群里 #任务")
    h.say(ZHANG, text, 5, reply_to=d.message_id)
    assert h.status(d.message_id, ZHANG) is not Status.DONE


def test_not_ack_words_of_the_chat_override_the_reader():
    from tracker.domain.rules import ChatRules

    h = Harness(ChatRules(not_ack_words=("收到了吧",), extra_ack_words=("阅",)))
    d = h.say(LEADER, "@zhangsan @lisi 把周报发群里 #任务")
    h.say(ZHANG, "阅", 1)
    h.say(LI, "收到了吧", 2)
    assert h.status(d.message_id, ZHANG) is Status.ACKED
    assert h.directive(d.message_id).assignments[LI].acked_at is None


def review(h: Harness, directive_id: int, user: int, accepted: bool, minutes: float):
    from datetime import timedelta

    from tests.builders import T0

    at = T0 + timedelta(minutes=minutes)
    h.events += h.engine.tick(at)
    outcome, events = h.engine.review_ack(h.state, directive_id, user, LEADER, accepted, at)
    h.events += events
    return outcome


def test_not_counted_inside_the_window_waits_again_and_is_fined_at_its_end(h):
    d = h.say(LEADER, "@zhangsan 下午把合同带过来 #任务")
    h.say(ZHANG, "合同在老王那边放着", 2, reply_to=d.message_id)
    assert review(h, d.message_id, ZHANG, False, 5) == "ok"
    assert h.status(d.message_id, ZHANG) is Status.PENDING
    assert review(h, d.message_id, ZHANG, True, 6) == "already"
    h.advance(31)
    assert [(f.user_id, f.booked_at) for f in h.fines()] == [(ZHANG, d.at + timedelta(minutes=30))]


def test_not_counted_after_the_window_books_the_fine_at_the_ruling_once(h):
    d = h.say(LEADER, "@zhangsan @lisi 下午把合同带过来 #任务")
    h.say(ZHANG, "合同在老王那边放着", 2, reply_to=d.message_id)
    h.say(LI, "收到", 3)
    h.advance(40)
    assert h.fines() == []
    assert review(h, d.message_id, ZHANG, False, 45) == "ok"
    (fine,) = h.fines()
    assert (fine.user_id, fine.booked_at) == (ZHANG, d.at + timedelta(minutes=45))
    assert h.status(d.message_id, ZHANG) is Status.OVERDUE
    assert review(h, d.message_id, ZHANG, False, 46) == "already"
    assert len(h.fines()) == 1


def test_counted_keeps_the_acknowledgement(h):
    d = h.say(LEADER, "@zhangsan 下午把合同带过来 #任务")
    h.say(ZHANG, "合同在老王那边放着", 2, reply_to=d.message_id)
    assert review(h, d.message_id, ZHANG, True, 3) == "ok"
    h.advance(40)
    assert h.fines() == []
    assignment = h.directive(d.message_id).assignments[ZHANG]
    assert (assignment.ack_review, assignment.reviewed_by) == ("accepted", LEADER)


def test_a_promise_with_a_time_sets_that_assignees_own_deadline(h):
    d = h.say(LEADER, "@zhangsan @lisi 把周报发群里 #任务")
    h.say(ZHANG, "收到 DUE+120 前发群里", 2, reply_to=d.message_id)
    h.say(LI, "收到", 3, reply_to=d.message_id)
    directive = h.directive(d.message_id)
    assert directive.done_due_at is None
    assert directive.assignments[ZHANG].done_due_at == d.at + timedelta(minutes=122)
    assert directive.assignments[LI].done_due_at is None
    h.advance(123)
    assert [(f.user_id, f.rule.value, f.sequence) for f in h.fines()] == [(ZHANG, "unresolved", 0)]
    assert h.status(d.message_id, LI) is Status.ACKED


def test_a_directives_own_deadline_is_not_replaced_by_a_promise(h):
    d = h.say(LEADER, "@zhangsan 把周报发群里 DUE+60 #任务")
    h.say(ZHANG, "收到 DUE+300 前发群里", 2, reply_to=d.message_id)
    assert h.directive(d.message_id).assignments[ZHANG].done_due_at is None
