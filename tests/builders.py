"""Pure test builders, no database: the sales chat's ids, its settings, a message builder
(`Chat`) and a deadline reader with fixed answers."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta

from tracker.domain.inbound import IncomingMessage, IncomingReaction, Mention
from tracker.domain.rules import ChatRules, ChatSettings, Member

CHAT = -1001987654321
LEADER, ZHANG, LI, WANG = 1001, 1002, 1003, 1004
T0 = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)  # Monday 09:00 in Shanghai
NO_QUIET = (time(0, 0), time(0, 0))  # tests that run through the night post at once


def settings(rules: ChatRules | None = None) -> ChatSettings:
    return ChatSettings(
        chat_id=CHAT,
        name="销售部工作群",
        leaders=frozenset({LEADER}),
        members=(
            Member(ZHANG, "销售部-张三", "zhangsan"),
            Member(LI, "销售部-李四", "lisi"),
            Member(WANG, "销售部-王五", None),
        ),
        rules=rules or ChatRules(quiet_hours=NO_QUIET, digest=False),
    )


@dataclass
class Chat:
    """Builds messages for one chat with increasing ids; `minutes` are counted from T0."""

    chat_id: int = CHAT
    next_id: int = 1
    sent: list[IncomingMessage] = field(default_factory=list)

    def msg(self, sender: int, text: str, minutes: float = 0, **kw) -> IncomingMessage:
        mentions = kw.pop("mentions", None)
        if mentions is None:
            mentions = tuple(
                Mention(w, username=w[1:].lower()) for w in text.split() if w.startswith("@")
            )
        hashtags = tuple(w.lower() for w in text.split() if w.startswith("#"))
        commands = tuple(w.lower() for w in text.split() if w.startswith("/"))
        message = IncomingMessage(
            chat_id=self.chat_id,
            message_id=self.next_id,
            sender_id=sender,
            sender_name=None,
            at=T0 + timedelta(minutes=minutes),
            text=text,
            mentions=mentions,
            hashtags=hashtags,
            commands=commands,
            **kw,
        )
        self.next_id += 1
        self.sent.append(message)
        return message

    def reaction(self, user: int, message_id: int, emoji: str, minutes: float):
        return IncomingReaction(
            self.chat_id, message_id, user, emoji, T0 + timedelta(minutes=minutes)
        )


class FixedDeadlines:
    """Deadline reader for engine tests: "DUE+<minutes>" in the text sets the deadline."""

    @dataclass(frozen=True)
    class Reading:
        at: datetime
        phrase: str

    def __call__(self, text: str, now: datetime, **_):
        for word in text.split():
            if word.startswith("DUE+"):
                return self.Reading(now + timedelta(minutes=float(word[4:])), word)
        return None
