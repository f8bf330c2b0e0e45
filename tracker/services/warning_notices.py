"""Warnings in the chat: each one in reply to its evidence, and a leader's /unwarn. One outbox
row each, keyed so a warning is announced once."""

from __future__ import annotations

from collections.abc import Callable

from tracker.domain.chat_state import ChatState
from tracker.domain.events import Warned, WarningRevoked
from tracker.domain.outgoing import MessageKind
from tracker.texts import conduct as texts

Row = Callable[..., None]  # Notifier.row


def warning_notice(event: Warned | WarningRevoked, chats: dict[int, ChatState], row: Row) -> None:
    e = event.entry
    chat = chats[e.chat_id]
    if isinstance(event, Warned):
        key = f"warn:{e.chat_id}:{e.message_id}:{e.user_id}:{e.rule}"
        text = texts.warned(e.name, e.rule, e.words, event.count, event.limit)
        at = e.at
    else:
        key = f"unwarn:{e.chat_id}:{e.message_id}:{e.user_id}:{e.rule}"
        leader = chat.roster.name(e.revoked_by) if e.revoked_by else "负责人"
        text = texts.revoked(e.name, e.rule, leader, event.count, event.limit)
        at = e.revoked_at
    row(key, e.chat_id, e.chat_id, e.message_id, MessageKind.WARNING, text, (e.user_id,), at)
