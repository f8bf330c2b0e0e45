"""Which leader messages that @mention members ask them for something (a careful reader's guess),
and how notices, tags and replies assign people."""

from __future__ import annotations

import pytest

from tests.builders import LEADER, LI, WANG, ZHANG, Chat
from tracker.domain.directives import Roster, asks_for_something, detect
from tracker.domain.inbound import Mention
from tracker.domain.model import Kind
from tracker.domain.rules import DEFAULT_NOTICE_WORDS

ASKS = [
    "@张三 下午的客户会你参加一下",
    "@lisi 辛苦了，明天把合同带来",
    "@王五 报价单今天发我",
    "@zhangsan 你跟一下这个客户",
    "@zhangsan 这个客户交给你了",
    "@zhangsan 明天早上八点到公司",
    "@zhangsan 你负责这个项目",
    "@zhangsan 把PPT改一下发我",
    "@lisi 盯紧点",
    "@zhangsan 今晚加个班",
    "@lisi 请尽快回复客户",
    "@lisi 周五前提交方案",
    "@zhangsan 务必在下班前处理完",
    "@lisi 麻烦整理一下上个月的发票",
]
NOT_ASKS = [
    "@lisi 客户资料",
    "@zhangsan 在吗",
    "@zhangsan 方案不错",
    "@lisi 辛苦了，谢谢",
    "@lisi 好的",
    "@lisi 收到",
    "@zhangsan 这个月业绩不错",
    "@zhangsan 生日快乐",
    "@lisi 上次那个客户怎么样了？",
    "@zhangsan 谢谢你的报告",
    "@lisi 大家今天都很棒",
    "@zhangsan 恭喜签单！",
]


@pytest.mark.parametrize("text", ASKS)
def test_a_mention_with_a_request_asks_for_something(text):
    assert asks_for_something(text)


@pytest.mark.parametrize("text", NOT_ASKS)
def test_thanks_praise_greetings_and_questions_ask_for_nothing(text):
    assert not asks_for_something(text)


def roster() -> Roster:
    r = Roster([LEADER])
    r.learn(ZHANG, "销售部-张三", "zhangsan", override=True)
    r.learn(LI, "销售部-李四", "lisi", override=True)
    r.learn(WANG, "销售部-王五", override=True)
    return r


def find(text: str, sender: int = LEADER, **kw):
    message = Chat().msg(sender, text, **kw)
    return detect(message, roster(), DEFAULT_NOTICE_WORDS, True, kw.get("reply_to_sender"))


def test_a_notice_goes_to_everyone_but_the_leaders():
    found = find("@所有人 月底前把报销单交到财务")
    assert found.kind is Kind.NOTICE
    assert {a.user_id for a in found.assignees} == {ZHANG, LI, WANG}


def test_praise_to_everyone_is_not_a_notice():
    assert find("@所有人 这个月大家辛苦了，谢谢") is None


def test_a_tag_makes_a_directive_even_without_a_request_word():
    found = find("@zhangsan 客户资料 #任务")
    assert found.kind is Kind.TASK and [a.user_id for a in found.assignees] == [ZHANG]


def test_a_member_cannot_assign():
    assert find("@lisi 把报表发我 #任务", sender=ZHANG) is None


def test_mentions_are_resolved_or_reported():
    found = find("@zhangsan @ghost 把报表发我")
    assert [a.user_id for a in found.assignees] == [ZHANG]
    assert found.unresolved == ("@ghost",)


def test_a_text_mention_carries_its_user_id():
    found = find("王五 把报表发我", mentions=(Mention("王五", user_id=WANG),))
    assert [a.user_id for a in found.assignees] == [WANG]


def test_a_tagged_reply_assigns_the_member_replied_to():
    found = find("#任务 跟进一下", reply_to=7, reply_to_sender=LI)
    assert [a.user_id for a in found.assignees] == [LI]
