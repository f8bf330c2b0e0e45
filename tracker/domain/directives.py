"""Decide whether a leader's message is a directive, which kind, and who must answer it.

A message is a directive when a leader tags it (#任务 #task #通知 #notice, /task /notice),
addresses
everyone with a notice word (@所有人, 全体 …), or @mentions members and asks them for something.
Thanks and praise ("@李四 辛苦了，谢谢") and questions are not directives.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from tracker.domain.inbound import IncomingMessage
from tracker.domain.model import Kind

TASK_TAGS = frozenset({"#任务", "#task", "#todo", "#工作任务"})
NOTICE_TAGS = frozenset({"#通知", "#notice", "#公告"})
TASK_COMMANDS = frozenset({"/task"})
NOTICE_COMMANDS = frozenset({"/notice"})

_MENTION_RE = re.compile(r"@[\w\-.]+")
# Words by which a manager asks for something: verbs of doing and sending, modal words, deadlines.
_REQUEST_RE = re.compile(
    r"请|麻烦|劳烦|务必|一定要|必须|需要|记得|别忘|尽快|马上|立刻|立即|抓紧|赶紧|及时|"
    r"把|将|给我|发给|发到|发群|报给|交给|交到|提交|上报|汇报|报送|报一下|回复|反馈|确认|"
    r"准备|完成|处理|跟进|跟一下|联系|对接|整理|统计|核对|核实|检查|落实|负责|安排|通知|提醒|"
    r"参加|出席|到场|过来|来一下|来我|去一趟|拜访|打电话|回电|修改|更新|补充|补齐|重做|"
    r"写一|做一|做个|做好|弄一|搞定|看一下|看看|查一下|查查|问一下|盯一下|催一下|带过来|带来|寄|"
    r"盯紧|盯着|看着点|注意|加快|加紧|催|改一下|改好|办一下|搞一下|弄好|写好|交上来|发我|加个班"
)
# Time words ask for something only when the message is not thanks or praise.
_WHEN_RE = re.compile(
    r"前|之前|以前|截止|截至|下班|上班|今天|今晚|明天|明早|后天|本周|这周|下周|周[一二三四五六日天]|"
    r"星期|月底|年底|\d+点|[一二三四五六七八九十两]+点|号|日前"
)
_THANKS_RE = re.compile(
    r"辛苦|谢谢|感谢|多谢|谢了|thx|thanks|棒|厉害|赞|好样|优秀|表扬|恭喜|祝贺|生日快乐|欢迎|"
    r"加油|干得漂亮|不错|很好|做得好|晚安|早安|早上好",
    re.IGNORECASE,
)
_QUESTION_END_RE = re.compile(r"[?？]\s*$|[吗呢么嘛]\s*[?？]?\s*$")


@dataclass(frozen=True, slots=True)
class Assignee:
    user_id: int
    name: str


@dataclass(frozen=True, slots=True)
class Detection:
    kind: Kind
    assignees: tuple[Assignee, ...]
    unresolved: tuple[str, ...]


class Roster:
    """What detection needs to know about a chat's people (built by the engine per chat)."""

    def __init__(self, leaders: Iterable[int]) -> None:
        self.leaders = frozenset(leaders)
        self.names: dict[int, str] = {}
        self.usernames: dict[str, int] = {}

    def learn(
        self, user_id: int, name: str | None, username: str | None = None, *, override=False
    ) -> None:
        """Remember a person. Configured names override; names seen in chat only fill gaps."""
        if name and (override or user_id not in self.names):
            self.names[user_id] = name
        else:
            self.names.setdefault(user_id, str(user_id))
        if username:
            self.usernames[username.lstrip("@").lower()] = user_id

    def find(self, mention) -> int | None:
        """The user a mention names: its user id, a known @username, or (for "@张三" typed as
        text) the one member whose name is it or ends in "-张三"; None when unsure."""
        if mention.user_id is not None:
            return mention.user_id
        if mention.username and mention.username.lower() in self.usernames:
            return self.usernames[mention.username.lower()]
        typed = mention.text.lstrip("@").strip()
        if not typed:
            return None
        found = [
            uid
            for uid, name in self.names.items()
            if name == typed or (name.endswith(typed) and not name[-len(typed) - 1].isalnum())
        ]
        return found[0] if len(found) == 1 else None

    def forget(self, user_id: int) -> None:
        self.names.pop(user_id, None)

    def name(self, user_id: int) -> str:
        return self.names.get(user_id) or str(user_id)

    def everyone_but_leaders(self) -> list[Assignee]:
        return [Assignee(uid, name) for uid, name in self.names.items() if uid not in self.leaders]


def asks_for_something(text: str) -> bool:
    """A careful reader's guess: a request word, and not merely thanks, praise or a question."""
    body = _MENTION_RE.sub(" ", text)
    strong = _REQUEST_RE.search(body)
    if not strong and not _WHEN_RE.search(body):
        return False
    if _QUESTION_END_RE.search(body) and not re.search(r"请|务必|必须|马上|尽快|把", body):
        return False
    if _THANKS_RE.search(body):
        # Praise with a request tail still counts ("辛苦了，明天把合同带来").
        return bool(_REQUEST_RE.search(_THANKS_RE.sub(" ", body)))
    return True


def detect(
    msg: IncomingMessage,
    roster: Roster,
    notice_words: tuple[str, ...],
    detect_mentions: bool,
    reply_author: int | None,
) -> Detection | None:
    """The directive this leader message makes, or None. `reply_author` is the sender of the
    message replied to, when known."""
    if msg.sender_id is None or msg.sender_id not in roster.leaders:
        return None
    tags = set(msg.hashtags)
    commands = set(msg.commands)
    lowered = msg.text.lower()
    tagged_notice = bool(tags & NOTICE_TAGS or commands & NOTICE_COMMANDS)
    tagged_task = bool(tags & TASK_TAGS or commands & TASK_COMMANDS)
    says_everyone = any(w.lower() in lowered for w in notice_words)

    if tagged_notice or (says_everyone and (tagged_task or asks_for_something(msg.text))):
        return Detection(Kind.NOTICE, tuple(roster.everyone_but_leaders()), ())
    if not tagged_task and not (detect_mentions and msg.mentions and asks_for_something(msg.text)):
        return None
    assignees, unresolved = _resolve_mentions(msg, roster)
    if tagged_task and msg.reply_to is not None:
        author = reply_author
        if author is not None and author not in roster.leaders:
            assignees.setdefault(author, Assignee(author, roster.name(author)))
    if not assignees and not unresolved:
        return None
    return Detection(Kind.TASK, tuple(assignees.values()), tuple(unresolved))


def _resolve_mentions(
    msg: IncomingMessage, roster: Roster
) -> tuple[dict[int, Assignee], list[str]]:
    assignees: dict[int, Assignee] = {}
    unresolved: list[str] = []
    for mention in msg.mentions:
        uid = mention.user_id
        if uid is None and mention.username:
            uid = roster.usernames.get(mention.username.lower())
        if uid is None:
            if mention.text not in unresolved:
                unresolved.append(mention.text)
            continue
        if uid == msg.sender_id:
            continue
        name = roster.names.get(uid) or mention.text.lstrip("@")
        assignees.setdefault(uid, Assignee(uid, name))
    return assignees, unresolved
