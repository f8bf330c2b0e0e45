"""Telegram objects -> the engine's inbound types. No decisions here, only translation, and the
check that an update holds what Telegram can send (`adapters.telegram.limits`): an id outside
Telegram's ranges cannot come from it, a date outside 2000–2100 can (an inaccessible message
is dated 0).
The handlers log such an update in one line and do not feed it to the rules."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime

from telegram import Message, MessageEntity, MessageReactionUpdated, ReactionTypeEmoji, User

from tracker.adapters.telegram.limits import (
    MAX_MESSAGE_ID,
    MAX_USER_ID,
    MIN_USER_ID,
    YEARS,
    datetime_in_range,
    group_chat_id_in_range,
    user_id_in_range,
)
from tracker.domain.chat_ids import MIN_GROUP_CHAT_ID
from tracker.domain.inbound import IncomingMessage, IncomingReaction, Mention

_ENTITY_TYPES = (
    MessageEntity.MENTION,
    MessageEntity.TEXT_MENTION,
    MessageEntity.HASHTAG,
    MessageEntity.BOT_COMMAND,
)


def incoming_message(message: Message) -> IncomingMessage:
    text = message.text or message.caption or ""
    entities = (
        message.parse_entities(_ENTITY_TYPES)
        if message.text
        else message.parse_caption_entities(_ENTITY_TYPES)
    )
    mentions, hashtags, commands = [], [], []
    for entity, value in entities.items():
        if entity.type == MessageEntity.MENTION:
            mentions.append(Mention(value, username=value.lstrip("@").lower()))
        elif entity.type == MessageEntity.TEXT_MENTION and entity.user is not None:
            mentions.append(Mention(value, user_id=entity.user.id))
        elif entity.type == MessageEntity.HASHTAG:
            hashtags.append(value.lower())
        elif entity.type == MessageEntity.BOT_COMMAND:
            commands.append(value.split("@", 1)[0].lower())
    sender = message.from_user
    reply = message.reply_to_message
    if reply is not None and reply.forum_topic_created is not None:
        reply = None  # in a forum topic every message "replies" to the topic's first one
    sender_id, sender_name = _sender(message)
    return IncomingMessage(
        chat_id=message.chat_id,
        message_id=message.message_id,
        sender_id=sender_id,
        sender_name=sender_name,
        at=message.edit_date or message.date,  # an edited message: when it was edited
        text=text,
        mentions=tuple(mentions),
        hashtags=tuple(hashtags),
        commands=tuple(commands),
        reply_to=None if reply is None else reply.message_id,
        reply_to_sender=None if reply is None else _sender(reply)[0],
        sticker_emoji=message.sticker.emoji if message.sticker else None,
        sender_username=None if sender is None or message.sender_chat else sender.username,
        is_forward=message.forward_origin is not None,
        via_bot=message.via_bot is not None,
    )


def _sender(message) -> tuple[int | None, str | None]:
    """A member by their user id; the group itself (an administrator posting anonymously) by
    the chat's id, under their signature or the group's title; a channel or nobody: None."""
    if message.sender_chat is not None:
        if message.sender_chat.id != message.chat_id:
            return None, None  # a channel's post, forwarded into its discussion group
        return message.chat_id, message.author_signature or message.chat.title
    sender = message.from_user
    return (None, None) if sender is None else (sender.id, sender.full_name)


def incoming_reactions(update: MessageReactionUpdated) -> list[IncomingReaction]:
    """Only reactions newly added by a user count; removing one does not un-acknowledge."""
    if update.user is None:
        return []
    before = {r.emoji for r in update.old_reaction if isinstance(r, ReactionTypeEmoji)}
    return [
        IncomingReaction(update.chat.id, update.message_id, update.user.id, r.emoji, update.date)
        for r in update.new_reaction
        if isinstance(r, ReactionTypeEmoji) and r.emoji not in before
    ]


def message_problem(message: Message) -> str | None:
    """What makes a group message unusable, in a few words, or None when it can be fed."""
    users = [message.from_user]
    message_ids = [message.message_id]
    if (reply := message.reply_to_message) is not None:
        users.append(reply.from_user)
        message_ids.append(reply.message_id)
    for entity in message.entities or message.caption_entities or ():
        users.append(entity.user)
    users.extend(message.new_chat_members or ())
    users.append(message.left_chat_member)
    return problem(message.chat_id, message.date, users, message_ids)


def reaction_problem(update: MessageReactionUpdated) -> str | None:
    return problem(update.chat.id, update.date, [update.user], [update.message_id])


def problem(
    chat_id: int,
    at: datetime | None,
    users: Iterable[User | None] = (),
    message_ids: Iterable[int] = (),
) -> str | None:
    """An id outside Telegram's ranges, or a date outside 2000–2100, named; else None."""
    if not group_chat_id_in_range(chat_id):
        return f"chat id {chat_id} is not a group's (expected {MIN_GROUP_CHAT_ID} to -1)"
    for message_id in message_ids:
        if type(message_id) is not int or not 1 <= message_id <= MAX_MESSAGE_ID:
            return f"message id {message_id} is not one (expected 1 to {MAX_MESSAGE_ID})"
    for user in users:
        if user is not None and not user_id_in_range(user.id):
            return f"user id {user.id} is not one (expected {MIN_USER_ID} to {MAX_USER_ID})"
    if at is not None and not datetime_in_range(at):
        return f"date {at.date().isoformat()} is outside {YEARS}"
    return None


def unusable(what: str, chat_id: int, item_id: object, why: str | None) -> bool:
    """An update holding what Telegram cannot send, or dated outside 2000–2100: one log line,
    and it is not fed to the rules."""
    if why is None:
        return False
    logging.getLogger("tracker.bot").warning(
        "%s chat=%s id=%s ignored: %s", what, chat_id, item_id, why
    )
    return True
