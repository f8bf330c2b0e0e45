"""Real names (群名片): the formats the rule books ask for, and whose name a /name sets."""

from __future__ import annotations

import pytest

from tests.builders import LEADER, ZHANG, Chat, settings
from tracker.domain.chat_state import ChatState
from tracker.domain.inbound import Mention
from tracker.domain.real_names import register, valid, wanted


@pytest.mark.parametrize(
    ("name", "name_format", "ok"),
    [
        ("销售部-张三", "部门-姓名", True),
        ("销售部 - 张三", "部门-姓名", True),
        ("销售部—欧阳娜娜", "部门-姓名", True),
        ("张三", "部门-姓名", False),
        ("销售部张三", "部门-姓名", False),
        ("销售部-张三-经理-外联", "部门-姓名", False),
        ("华东公司-销售经理-张三", "公司-部门职位-姓名", True),
        ("华东公司-张三", "公司-部门职位-姓名", False),
        ("张三", "姓名", True),
        ("Zhang San", "姓名", False),
        ("A01-张三", r"[A-Z]\d{2}-[\u4e00-\u9fff]{2,4}", True),
        ("", "部门-姓名", False),
    ],
)
def test_the_formats_of_the_rule_books(name, name_format, ok):
    assert valid(name, name_format) is ok


def test_a_member_names_themselves_and_a_leader_names_the_member_replied_to_or_mentioned():
    state = ChatState.fresh(settings())
    chat = Chat()
    own = chat.msg(ZHANG, "/name 销售部-张小三")
    assert wanted(state, own) == (ZHANG, "销售部-张小三")
    by_reply = chat.msg(LEADER, "/name 市场部-张三", reply_to=1, reply_to_sender=ZHANG)
    assert wanted(state, by_reply) == (ZHANG, "市场部-张三")
    mentioned = chat.msg(LEADER, "/name @zhangsan 市场部-张三")
    assert wanted(state, mentioned) == (ZHANG, "市场部-张三")
    events: list = []
    assert register(state, mentioned, events)
    assert state.roster.name(ZHANG) == "市场部-张三" and events[0].registered
    events.clear()
    assert register(state, chat.msg(ZHANG, "/name 张三"), events) and events == []
    assert state.roster.name(ZHANG) == "市场部-张三"  # a name out of format changes nothing
    nobody = chat.msg(ZHANG, "/name", mentions=(Mention("@x", "x"),))
    assert not register(state, chat.msg(ZHANG, "收到"), []) and register(state, nobody, [])
