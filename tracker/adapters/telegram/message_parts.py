"""An outbox row's Bot API pieces: the mentions that notify members, the reply it answers, its
buttons, and a chart drawn from the figures the digest stored."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import timedelta

from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    MessageEntity,
    ReplyParameters,
    User,
)

from tracker.adapters.db.outbox_store import OutboxRow

NameOf = Callable[[int, int], str | None]  # (chat id, user id) -> display name


def mentions(row: OutboxRow, name_of: NameOf) -> list[MessageEntity]:
    """Text mentions on the members' names, so Telegram notifies them even without a
    username."""
    entities = []
    for user_id in row.mention_user_ids:
        name = name_of(row.source_chat_id, user_id)
        at = row.text.find(name) if name else -1
        if at < 0:
            continue
        offset = len(row.text[:at].encode("utf-16-le")) // 2
        length = len(name.encode("utf-16-le")) // 2
        entities.append(
            MessageEntity(
                MessageEntity.TEXT_MENTION,
                offset,
                length,
                user=User(id=user_id, first_name=name, is_bot=False),
            )
        )
    return entities


def reply_parameters(row: OutboxRow) -> ReplyParameters | None:
    if not row.reply_to_message_id:
        return None
    return ReplyParameters(row.reply_to_message_id, allow_sending_without_reply=True)


def keyboard(row: OutboxRow) -> InlineKeyboardMarkup | None:
    """The buttons the row was written with (migration 0010 gave them to the boards written
    before they were stored)."""
    rows = json.loads(row.buttons) if row.buttons is not None else []
    if not rows:
        return None
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(label, callback_data=data) for label, data in r] for r in rows]
    )


def chart_png(attachment: str) -> bytes:
    """The weekly chart from the figures stored with the row; slow (run it off the loop)."""
    from tracker.adapters.files.chart_data import chart_points
    from tracker.adapters.files.charts import weekly_chart_png

    title, points = chart_points(attachment)
    return weekly_chart_png(points, title)


def seconds(value) -> timedelta:
    """Telegram's retry_after: an int of seconds in older PTB, a timedelta in newer."""
    return value if isinstance(value, timedelta) else timedelta(seconds=float(value))
