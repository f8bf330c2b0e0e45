"""Leave in the chat: a request with the leaders' 批准 / 驳回 buttons, a leader's record, a
decision. One outbox row each, in reply to the leave message, keyed so it is written once."""

from __future__ import annotations

from collections.abc import Callable

from tracker.domain.chat_state import ChatState
from tracker.domain.events import LeaveChanged
from tracker.domain.leave import APPROVED, PENDING
from tracker.domain.outgoing import MessageKind
from tracker.texts import leave as texts

Row = Callable[..., None]  # Notifier.row


def leave_notice(event: LeaveChanged, chats: dict[int, ChatState], row: Row) -> None:
    leave = event.leave
    chat = chats[leave.chat_id]
    span = texts.span_text(leave.start, leave.end, chat.settings.rules.timezone)
    key = f"leave:{leave.chat_id}:{leave.request_id}:{leave.user_id}:{leave.status}"
    buttons = None
    if event.decided:
        leader = chat.roster.name(leave.decided_by) if leave.decided_by else "负责人"
        text = texts.decided(leave.name, span, leader, leave.status == APPROVED)
    elif leave.status == PENDING:
        text = texts.requested(leave.name, span, leave.reason)
        data = f"leave:{leave.request_id}:{leave.user_id}"
        buttons = [[[texts.APPROVE, f"{data}:1"], [texts.REFUSE, f"{data}:0"]]]
    else:
        text = texts.recorded(leave.name, span, leave.reason)
    at = leave.decided_at if event.decided else leave.asked_at
    row(
        key,
        leave.chat_id,
        leave.chat_id,
        leave.request_id,
        MessageKind.LEAVE,
        text,
        (leave.user_id,),
        at,
        buttons,
    )
