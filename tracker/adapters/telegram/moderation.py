"""The act a moderation row carries (`attachment`): delete the message, mute its author until a
time, or remove a member (banned and at once unbanned: they may be invited back, as 劝退 means).
Done before the row's words are sent; when Telegram says the bot lacks the right, the words
become the row's `failed` text (the chat is told what the bot could not do). An act already
done (a message gone, a member gone) counts as done, so a retried row does no harm."""

from __future__ import annotations

import json
from datetime import datetime

from telegram import ChatPermissions
from telegram.error import BadRequest

from tracker.adapters.db.outbox_store import OutboxRow

_NO_RIGHT = (
    "can't be deleted",
    "not enough rights",
    "administrator",
    "chat_admin_required",
    "can't remove chat owner",
    "method is available only for supergroups",
)
_DONE = ("message to delete not found", "user not found", "participant_id_invalid")
_TOO_LATE = 60  # seconds: Telegram takes an until_date closer than 30 s as "forever"


async def carry_out(bot, row: OutboxRow, now: datetime) -> str:
    """Do the row's act at `now` (the sender's clock); the words to send after it."""
    act = json.loads(row.attachment or "{}")
    chat, user = row.target_chat_id, act.get("user_id")
    try:
        if act.get("action") == "delete":
            await bot.delete_message(chat, act["message_id"])
        elif act.get("action") == "mute":
            if act["until"] - now.timestamp() > _TOO_LATE:  # a mute already over is not begun
                await bot.restrict_chat_member(
                    chat, user, ChatPermissions.no_permissions(), until_date=act["until"]
                )
        elif act.get("action") == "remove":
            await bot.ban_chat_member(chat, user)
            await bot.unban_chat_member(chat, user, only_if_banned=True)
    except BadRequest as exc:
        said = exc.message.lower()
        if any(words in said for words in _DONE):
            return row.text
        if any(words in said for words in _NO_RIGHT):
            return act.get("failed") or row.text
        raise
    return row.text
