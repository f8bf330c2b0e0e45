"""A member left the chat with tasks open: each leader who gave them is told once, privately,
which of their directives the member left (the assignments close as `left` in the engine)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from tracker.domain.chat_state import ChatState
from tracker.domain.events import AssignmentChanged, DomainEvent
from tracker.domain.model import Directive
from tracker.domain.outgoing import MessageKind
from tracker.texts import notices

Row = Callable[..., None]  # Notifier.row


def tell_leaders(
    events: list[DomainEvent], now: datetime | None, chats: dict[int, ChatState], row: Row
) -> None:
    left: dict[tuple[int, int, int], list[tuple[Directive, str]]] = {}
    for event in events:
        if isinstance(event, AssignmentChanged) and event.cause == "left":
            d, a = event.directive, event.assignment
            for leader in chats[d.chat_id].settings.inboxes(d.author_id):
                left.setdefault((d.chat_id, a.user_id, leader), []).append((d, a.name))
    for (chat_id, user_id, leader), closed in left.items():
        at = now or closed[0][0].created_at
        ids = "+".join(str(d.message_id) for d, _ in closed)
        row(
            f"left:{chat_id}:{user_id}:{leader}:{ids}",
            chat_id,
            leader,
            None,
            MessageKind.MEMBER_LEFT,
            notices.member_left(
                chats[chat_id].settings.name, closed[0][1], [d.text for d, _ in closed]
            ),
            (),
            at,
        )
