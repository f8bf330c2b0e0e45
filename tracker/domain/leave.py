"""Leave and absence (请假, 出差, 休假): who is away when, who asked, who approved.

A member asks for themselves (`/leave 明天全天 看病`, or `#请假 …`); a leader records leave for
members directly (`/leave @张三 12月8日到12月10日 出差`), approved at once. A request waits
for a leader's 批准 / 驳回 when the chat asks for approval. A member on approved leave is never
reminded, told on or fined for the span: an assignment that reaches them then, or one still
open when a step falls due in it, closes as `away` (the chat's `absent = "exempt"`). Pure.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from tracker.domain.deadlines.spans import Span
from tracker.domain.replies.reading import Verdict, read_reply

PENDING, APPROVED, REFUSED = "pending", "approved", "refused"
LEAVE_COMMANDS = frozenset({"/leave"})
LEAVE_TAGS = frozenset({"#请假", "#出差", "#休假", "#leave"})
_MENTION = re.compile(r"@\S+")
_VERB = re.compile(r"/leave(?:@\w+)?|#(?:请假|出差|休假|leave)", re.IGNORECASE)


@dataclass(slots=True, eq=False)
class Leave:
    chat_id: int
    request_id: int  # the message that asked for it or recorded it (one per chat)
    user_id: int
    name: str
    start: datetime  # UTC, [start, end)
    end: datetime
    reason: str
    asked_by: int
    asked_at: datetime
    status: str = PENDING
    decided_by: int | None = None
    decided_at: datetime | None = None

    def covers(self, at: datetime) -> bool:
        return self.status == APPROVED and self.start <= at < self.end


def is_leave_message(commands: tuple[str, ...], hashtags: tuple[str, ...]) -> bool:
    return not LEAVE_COMMANDS.isdisjoint(commands) or not LEAVE_TAGS.isdisjoint(hashtags)


@dataclass(frozen=True, slots=True)
class Request:
    """What a leave message says: the span (None: unreadable), the reason, and the @names typed
    as text (the message's mentions carry the rest)."""

    span: Span | None
    reason: str
    named: tuple[str, ...]


def read_request(
    text: str,
    mention_texts: tuple[str, ...],
    now_local: datetime,
    read_span: Callable[[str, datetime], Span | None],
) -> Request:
    """The span is the shortest run of leading words that reads as the whole text does; the
    rest is the reason ("明天全天 出差" → 明天全天 and 出差; "12月8日 到 12月10日 回老家")."""
    body = _VERB.sub(" ", text)
    for mention in mention_texts:
        body = body.replace(mention, " ")
    named = tuple(_MENTION.findall(body))
    words = _MENTION.sub(" ", body).split()
    whole = read_span(" ".join(words), now_local) if words else None
    for cut in range(1, len(words) + 1):
        span = read_span(" ".join(words[:cut]), now_local)
        if span is not None and (
            whole is None or (span.start, span.end) == (whole.start, whole.end)
        ):
            return Request(span, " ".join(words[cut:]), named)
    return Request(None, " ".join(words), named)


# A leader's answer to a leave request, written instead of pressing a button (and the only
# answer an exported chat has): refusals first, then approvals; a question decides nothing.
_REFUSE = re.compile(r"驳回|不批|不准|不同意|不予|不行|不可以|不能请|拒绝|没批")
_APPROVE = re.compile(r"批准|同意|准假|准了|批了|已批|准予|可以|没问题|去吧|好的|^好|^行|ok", re.I)
_ASKS = re.compile(r"[?？]|吗\W*$|为什么|为啥|什么事|多久|几天|哪天")


def read_decision(text: str) -> bool | None:
    """A leader's reply to a leave request: True approves ("批准", "同意，注意安全", "好的",
    "收到"), False refuses ("驳回，月底不能请假", "不行"), None decides nothing ("几天？",
    "可以吗", a remark)."""
    body = text.strip()
    if not body:
        return None
    if _REFUSE.search(body):
        return False
    if _ASKS.search(body):
        return None
    if _APPROVE.search(body) or read_reply(body).verdict is Verdict.ACK:
        return True
    return None


def utc_span(span: Span) -> tuple[datetime, datetime]:
    return span.start.astimezone(UTC), span.end.astimezone(UTC)
