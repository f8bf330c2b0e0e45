"""Misused verbs get one polite line; correct use gets none."""

from __future__ import annotations

import pytest

from tests.builders import LEADER, LI, ZHANG, Chat, FixedDeadlines, settings
from tracker.domain.chat_state import ChatState
from tracker.domain.engine import Engine
from tracker.entrypoints.bot.feedback import feedback


@pytest.fixture
def world():
    engine = Engine(FixedDeadlines())
    state = ChatState.fresh(settings())
    engine.add_chat(state)
    chat = Chat()
    directive = chat.msg(LEADER, "@zhangsan 把报价单发我 #任务")
    engine.handle_message(state, directive)
    return state, chat, directive.message_id


@pytest.mark.parametrize(
    ("sender", "text", "reply", "expected"),
    [
        (ZHANG, "/cancel", True, "只有本群负责人可以取消任务"),
        (ZHANG, "/task @lisi 做报表", False, "只有本群负责人可以发布任务"),
        (LEADER, "/cancel", False, "用法：回复要取消"),
        (LEADER, "/task 做报表", False, "用法：/task"),
        (LI, "/done", False, "用法：回复要完成"),
        (LI, "/done", True, "用法：回复要完成"),
        (ZHANG, "/ok", True, "只有本群负责人可以代成员确认收到"),
        (LEADER, "/ok @zhangsan", False, "用法：回复那条任务发送 /ok @成员"),
        (LEADER, "/ok @lisi", True, "用法：回复那条任务发送 /ok @成员"),  # not on this task
    ],
)
def test_misused_verbs_get_one_line(world, sender, text, reply, expected):
    state, chat, directive = world
    answer = feedback(state, chat.msg(sender, text, 1, reply_to=directive if reply else None))
    assert answer is not None and expected in answer and "\n" not in answer


@pytest.mark.parametrize(
    ("sender", "text", "reply"),
    [
        (LEADER, "/cancel", True),
        (LEADER, "/task @lisi 做报表", False),
        (ZHANG, "/done", True),
        (ZHANG, "/done", False),  # one open task: a bare /done is clear
        (LEADER, "/done", True),
        (ZHANG, "收到", False),
        (LEADER, "/ok @zhangsan", True),
        (LEADER, "/ok", True),  # one member still owes an answer: clear
    ],
)
def test_correct_use_gets_no_answer(world, sender, text, reply):
    state, chat, directive = world
    assert (
        feedback(state, chat.msg(sender, text, 1, reply_to=directive if reply else None)) is None
    )


@pytest.mark.parametrize(
    ("sender", "text", "expected"),
    [
        (ZHANG, "/warn @lisi 刷屏", "抱歉，只有本群负责人可以警告成员"),
        (ZHANG, "/fine @lisi 50 迟到", "抱歉，只有本群负责人可以记罚款"),
        (LEADER, "/warn 刷屏", "用法：回复成员的消息发送 /warn"),
        (LEADER, "/fine @lisi 迟到", "用法：回复成员的消息发送 /fine 金额"),
        (LEADER, "/fine @lisi 0 迟到", "用法：回复成员的消息发送 /fine 金额"),
        (LEADER, "/unwarn @lisi", "销售部-李四 目前没有可撤销的警告。"),
        (LEADER, "/warn @lisi 刷屏", None),
        (LEADER, "/fine @lisi 50 迟到", None),
        (ZHANG, "/name 张三", "名片「张三」不符合本群格式「部门-姓名」（例如 销售部-张三）"),
        (ZHANG, "/name @lisi 销售部-李四", "只有负责人可以为他人登记群名片"),
        (ZHANG, "/name 销售部-张小三", "✅ 已登记群名片：销售部-张小三。"),
        (
            LEADER,
            "/name @lisi 销售部-李小四",
            "✅ 已将 销售部-李四 的群名片登记为：销售部-李小四。",
        ),
    ],
)
def test_conduct_and_name_verbs_are_answered(world, sender, text, expected):
    state, chat, _ = world
    answer = feedback(state, chat.msg(sender, text, 1))
    assert (answer is None and expected is None) or answer.startswith(expected)
