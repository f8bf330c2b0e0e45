"""Pieces of one Telegram Desktop export message: text, entities, peers, the reply, edits.
Its reactions and roster news are read in `export_events`.

`text` is a plain string when the message has no formatting at all, else a list mixing strings and
`{type, text, ...}` objects; `text_entities` is the same content as a flat list of objects.
Helpers for `export_reader`. Every value they read is checked for the shape and range Telegram
Desktop writes (`limits`, `export_values`): anything else raises `Malformed`, naming the key
(a JSON path within the message) and what was expected, which the reader turns into one
ExportFormatError line naming the message.
"""

from __future__ import annotations

from datetime import UTC, datetime
from sys import intern

from tracker.adapters.telegram.export_values import (
    Malformed,
    as_int,
    expected,
    message_id,
    peer_user_id,
    unix_time,
)
from tracker.adapters.telegram.limits import (
    MAX_MESSAGE_ID,
    MAX_USER_ID,
    MIN_MESSAGE_ID,
    MIN_USER_ID,
    USER_ID_LIKE,
)
from tracker.domain.inbound import IncomingMessage, Mention

Entities = tuple[tuple[Mention, ...], tuple[str, ...], tuple[str, ...]]
NO_ENTITIES: Entities = ((), (), ())
_UNSEEN = object()
_PEER_KEYS = (str, int, type(None))  # what may be looked up in the peers cache


def flatten(parts: list) -> str:
    """The visible text of a list-shaped `text`: strings as they are, objects by their `text`."""
    pieces = []
    for i, part in enumerate(parts):
        if type(part) is str:
            pieces.append(part)
        elif type(part) is dict:
            text = part.get("text", "")
            if type(text) is not str:
                raise expected(f"text[{i}].text", "a string", text)
            pieces.append(text)
        else:
            raise expected(f"text[{i}]", "a string or an object", part)
    return "".join(pieces)


def scan_entities(entities: list, key: str = "text_entities") -> Entities:
    """Mentions, hashtags (lower-cased, with '#') and commands (lower-cased, no '@botname').
    `key` names the list: the parts of a list-shaped `text` may be plain strings as well."""
    mentions: list[Mention] = []
    hashtags: list[str] = []
    commands: list[str] = []
    for i, entity in enumerate(entities):
        if type(entity) is not dict:
            if type(entity) is str and key == "text":
                continue
            raise expected(f"{key}[{i}]", "an object", entity)
        kind = entity.get("type")
        if type(kind) is not str:
            raise expected(f"{key}[{i}].type", "a string like 'mention'", kind)
        if kind == "plain":
            continue
        text = entity.get("text", "")
        if type(text) is not str:
            raise expected(f"{key}[{i}].text", "a string", text)
        if kind == "mention":
            mentions.append(Mention(text, username=text.lstrip("@").lower()))
        elif kind == "mention_name":
            if "user_id" not in entity:
                raise Malformed(f"{key}[{i}].user_id is missing")
            user_id = as_int(entity["user_id"])
            if user_id is None or not MIN_USER_ID <= user_id <= MAX_USER_ID:
                raise expected(f"{key}[{i}].user_id", USER_ID_LIKE, entity["user_id"])
            mentions.append(Mention(text, user_id=user_id))
        elif kind == "hashtag":
            hashtags.append(text.lower())
        elif kind == "bot_command":
            commands.append(text.lower().partition("@")[0])
    if not (mentions or hashtags or commands):
        return NO_ENTITIES
    return tuple(mentions), tuple(hashtags), tuple(commands)


def message(
    m: dict,
    chat_id: int,
    mid: int,
    at: datetime,
    own_peer: str,
    senders: dict[int, int],
    peers: dict[object, int | None],
    renumber: int = 0,
) -> IncomingMessage:
    """One `type: message` entry; `senders` and `peers` are the chat's running caches.
    `renumber`: added to a positive id this message replies to (a message of the group before
    it became a supergroup, whose ids `Converter` moves below the supergroup's)."""
    text, (mentions, hashtags, commands) = _text(m)
    from_id = m.get("from_id")
    if type(from_id) not in _PEER_KEYS:
        peer_user_id(from_id)  # raises: a list, an object, a float, a boolean
    sender_id = peers.get(from_id, _UNSEEN)
    if sender_id is _UNSEEN:  # the chat itself: an administrator posting anonymously
        sender_id = peers[from_id] = chat_id if from_id == own_peer else peer_user_id(from_id)
    if sender_id is not None:
        senders[mid] = sender_id
    reply_to = _reply_to(m, own_peer, renumber)
    extra = _extra(m)
    name = m.get("from")
    if name is not None and type(name) is not str:
        raise expected("from", "a name (a string) or null", name)
    if sender_id == chat_id and type(m.get("author")) is str and m["author"]:
        name = m["author"]  # the signature an anonymous administrator posted under
    sticker = m.get("sticker_emoji")
    if sticker is not None and type(sticker) is not str:
        raise expected("sticker_emoji", "an emoji (a string) or null", sticker)
    if "\x00" in text:  # PostgreSQL cannot store it, and no reader sees it
        text = text.replace("\x00", "")
    if name and "\x00" in name:
        name = name.replace("\x00", "")
    return IncomingMessage(
        chat_id=chat_id,
        message_id=mid,
        sender_id=sender_id,
        sender_name=intern(name) if name else name,
        at=at,
        text=text,
        mentions=mentions,
        hashtags=hashtags,
        commands=commands,
        reply_to=reply_to,
        reply_to_sender=senders.get(reply_to) if reply_to is not None else None,
        sticker_emoji=sticker,
        is_forward="forwarded_from" in m,
        via_bot="via_bot" in m,
        extra=extra,
    )


def _text(m: dict) -> tuple[str, tuple]:
    """The message's text as one string, and its (mentions, hashtags, commands)."""
    text = m.get("text", "")
    mentions, hashtags, commands = NO_ENTITIES
    if type(text) is str:
        entities = m.get("text_entities")
        if entities:
            if type(entities) is not list:
                raise expected("text_entities", "a list", entities)
            first = entities[0]
            if len(entities) > 1 or type(first) is not dict or first.get("type") != "plain":
                # hand-made or converted exports: a plain string text with typed entities
                mentions, hashtags, commands = scan_entities(entities)
        elif entities is not None and type(entities) is not list:
            raise expected("text_entities", "a list", entities)
    elif type(text) is list:
        entities = m.get("text_entities")
        if entities is None:
            mentions, hashtags, commands = scan_entities(text, "text")
        elif type(entities) is list:
            mentions, hashtags, commands = scan_entities(entities)
        else:
            raise expected("text_entities", "a list", entities)
        text = flatten(text)
    else:
        raise expected("text", "a string or a list", text)
    return text, (mentions, hashtags, commands)


def _reply_to(m: dict, own_peer: str, renumber: int = 0) -> int | None:
    """The id of the message this one answers, when that message is in this chat (or, for a
    message from before the group became a supergroup, in the group it was)."""
    reply_to = m.get("reply_to_message_id")
    if reply_to is not None:
        if type(reply_to) is not int or not MIN_MESSAGE_ID <= reply_to <= MAX_MESSAGE_ID:
            reply_to = message_id(reply_to, "reply_to_message_id")
        peer = m.get("reply_to_peer_id", own_peer)
        if renumber:
            if type(peer) is str and peer.startswith("chat"):
                peer = own_peer
            if reply_to > 0:
                reply_to += renumber
        if peer != own_peer:
            if type(peer) is not str:
                raise expected("reply_to_peer_id", "a chat like 'channel1987654321'", peer)
            reply_to = None  # a reply to a message in another chat
    return reply_to


def _extra(m: dict) -> dict:
    """What the rules may want beyond the text: when it was edited, what media it carries."""
    extra = {}
    if "edited_unixtime" in m:
        edited = unix_time(m, "edited_unixtime", "edited")
        extra["edited_at"] = datetime.fromtimestamp(edited, UTC)
    media = m.get("media_type")
    if media is not None and type(media) is not str:
        raise expected("media_type", "a string like 'sticker'", media)
    media = media or ("photo" if "photo" in m else "file" if "file" in m else None)
    if media:
        extra["media"] = media
    return extra
