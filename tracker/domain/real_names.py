"""Real names (群名片): every rule book wants members named in a fixed format (部门-姓名,
地区+姓名 …). Telegram has no per-group nickname, so a member registers the name the group knows
them by with /name, or a leader sets it for them; the format is the chat's `name_format`, one of
the presets below or a regular expression of its own."""

from __future__ import annotations

import functools
import re

from tracker.domain.chat_state import ChatState
from tracker.domain.events import MemberLearned
from tracker.domain.inbound import IncomingMessage

NAME_COMMANDS = frozenset({"/name"})
_PART = r"[\u4e00-\u9fffA-Za-z0-9]{1,12}"
_PERSON = r"[\u4e00-\u9fff·A-Za-z]{2,10}"
_SEP = r"\s*[-－—–_·+＋]\s*"
# preset -> (pattern, example); 篇一/六: 部门+姓名, 篇三/九: 地区+姓名, 篇七: 公司+部门职位+姓名,
# 篇十三: 中心名称+姓名
PRESETS: dict[str, tuple[str, str]] = {
    "部门-姓名": (rf"{_PART}{_SEP}{_PERSON}", "销售部-张三"),
    "地区-姓名": (rf"{_PART}{_SEP}{_PERSON}", "杭州-张三"),
    "公司-部门职位-姓名": (rf"{_PART}{_SEP}{_PART}{_SEP}{_PERSON}", "华东公司-销售经理-张三"),
    "中心-姓名": (rf"{_PART}{_SEP}{_PERSON}", "客服中心-张三"),
    "姓名": (_PERSON, "张三"),
}


@functools.cache
def _compiled(name_format: str) -> re.Pattern:
    pattern = PRESETS[name_format][0] if name_format in PRESETS else name_format
    return re.compile(pattern)


def valid(name: str, name_format: str) -> bool:
    return bool(name) and _compiled(name_format).fullmatch(name) is not None


def example(name_format: str) -> str | None:
    return PRESETS[name_format][1] if name_format in PRESETS else None


def wanted(chat: ChatState, msg: IncomingMessage) -> tuple[int | None, str]:
    """Whose name a /name sets and to what: the sender's own, or (a leader's) the member it
    replies to or mentions; the name is the text after the command and the mention."""
    words = msg.text
    for token in (*msg.commands, *(m.text for m in msg.mentions)):
        words = words.replace(token, " ", 1)
    name = " ".join(words.split())
    user = msg.sender_id
    if msg.sender_id in chat.roster.leaders:
        if msg.reply_to_sender is not None and msg.reply_to_sender != msg.sender_id:
            user = msg.reply_to_sender
        for mention in msg.mentions:
            user = chat.roster.find(mention) or user
            break
    return user, name


def register(chat: ChatState, msg: IncomingMessage, events: list) -> bool:
    """A /name message: the name registered when it fits the chat's format (the bot's
    `feedback` answers one that does not). True when it was a /name."""
    if NAME_COMMANDS.isdisjoint(msg.commands):
        return False
    user, name = wanted(chat, msg)
    if user is None or user < 0 or not valid(name, chat.settings.rules.name_format):
        return True
    chat.roster.learn(user, name, override=True)
    username = next((u for u, uid in chat.roster.usernames.items() if uid == user), None)
    events.append(MemberLearned(chat.chat_id, user, name, username, registered=True))
    return True
