"""Telegram objects -> the engine's inbound types. No decisions here, only translation."""

from __future__ import annotations

from telegram import Message, MessageEntity, MessageReactionUpdated, ReactionTypeEmoji

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
    return IncomingMessage(
        chat_id=message.chat_id,
        message_id=message.message_id,
        sender_id=None if sender is None or message.sender_chat else sender.id,
        sender_name=None if sender is None else sender.full_name,
        at=message.date,
        text=text,
        mentions=tuple(mentions),
        hashtags=tuple(hashtags),
        commands=tuple(commands),
        reply_to=None if reply is None else reply.message_id,
        reply_to_sender=None if reply is None or reply.from_user is None else reply.from_user.id,
        sticker_emoji=message.sticker.emoji if message.sticker else None,
        sender_username=None if sender is None else sender.username,
        is_forward=message.forward_origin is not None,
        via_bot=message.via_bot is not None,
    )


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
