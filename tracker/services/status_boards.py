"""The live bot's status board under each directive: who has acknowledged, with a 收到 button
for the members and a leader's 算作收到 / 不算 under a reply marked 待确认. Replay posts none
(`Notifier.status_boards`)."""

from __future__ import annotations

import zlib
from collections.abc import Callable
from datetime import datetime

from tracker.domain.chat_state import ChatState
from tracker.domain.events import (
    AssignmentChanged,
    DirectiveCancelled,
    DirectiveEdited,
    DirectiveOpened,
    DomainEvent,
)
from tracker.domain.outgoing import MessageKind
from tracker.texts import notices

Row = Callable[..., None]  # Notifier.row


def post_boards(
    events: list[DomainEvent], now: datetime | None, chats: dict[int, ChatState], row: Row
) -> None:
    """One new board per new directive, one edit per directive whose people changed."""
    touched: dict[tuple[int, int], tuple] = {}
    for event in events:
        if isinstance(
            event, DirectiveOpened | AssignmentChanged | DirectiveCancelled | DirectiveEdited
        ):
            new = isinstance(event, DirectiveOpened)
            touched[event.directive.key] = (event.directive, new)
    for (chat_id, mid), (d, new) in touched.items():
        text = notices.status_board(d, chats[chat_id].settings.rules.timezone)
        at = now or d.created_at
        buttons = board_buttons(d)
        if new:
            row(
                f"status:{chat_id}:{mid}",
                chat_id,
                chat_id,
                mid,
                MessageKind.STATUS,
                text,
                (),
                at,
                buttons,
            )
        else:
            digest = f"{zlib.crc32(text.encode()):08x}"
            row(
                f"status-edit:{chat_id}:{mid}:{at.isoformat()}:{digest}",
                chat_id,
                chat_id,
                mid,
                MessageKind.STATUS_EDIT,
                text,
                (),
                at,
                buttons,
            )


def board_buttons(directive) -> list[list[list[str]]]:
    """Under a board: 收到 for the members, and for each reply marked 待确认 the leader's
    算作收到 / 不算; nothing under a cancelled or finished directive."""
    if not directive.open:
        return []
    mid = directive.message_id
    rows = [[[notices.BUTTON_ACK, f"ack:{mid}"]]]
    for a in directive.assignments.values():
        if a.ack_review == "pending" and a.open:
            keep, drop = notices.review_buttons(a.name)
            rows.append(
                [[keep, f"review:{mid}:{a.user_id}:1"], [drop, f"review:{mid}:{a.user_id}:0"]]
            )
    return rows
