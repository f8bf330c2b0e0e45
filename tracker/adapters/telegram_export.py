"""Telegram Desktop "Machine-readable JSON" exports (result.json) -> inbound domain objects.

Reads a one-chat export (the root has `messages`) or a full-account export (`chats.list` and
`left_chats.list`). Times come from `date_unixtime`; the naive desktop-local `date` serves only to
place a reaction, whose `recent` entry carries nothing better. A problem raises ExportFormatError
with one line naming the file and the place, where `message #N` is the 0-based position in
`messages`. Skipped content is counted in `ExportChat.skipped`, never dropped silently.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from operator import itemgetter
from pathlib import Path

import orjson

from tracker.adapters.telegram_text import (
    NO_ENTITIES,
    as_int,
    flatten,
    member_seen,
    peer_user_id,
    problem,
    reactions,
    scan_entities,
    short_repr,
)
from tracker.domain.inbound import IncomingMessage, IncomingReaction, MemberSeen
from tracker.errors import ExportFormatError

Item = IncomingMessage | IncomingReaction | MemberSeen

SUPERGROUP_TYPES = frozenset({"private_supergroup", "public_supergroup"})
# Items sort by (at, kind, message id): roster news first, then messages, then reactions.
SEEN, MESSAGE, REACTION = 0, 1, 2
_ORDER = itemgetter(0, 1, 2)
_MALFORMED = (KeyError, TypeError, ValueError, AttributeError, OverflowError, OSError)


@dataclass(frozen=True)
class ExportChat:
    """One exported chat: `items` in time order, `skipped` counts what was left out, by reason."""

    export_id: int
    bot_api_id: int
    name: str
    type: str
    items: list[Item]
    skipped: dict[str, int] = field(default_factory=dict)


def bot_api_id(export_id: int, chat_type: str) -> int:
    """The id the Bot API uses: -100<id> for supergroups, -<id> for basic groups, else as is."""
    if chat_type in SUPERGROUP_TYPES:
        return int(f"-100{export_id}")
    if chat_type == "private_group":
        return -export_id
    return export_id


def read_export(path: str | Path) -> list[ExportChat]:
    """Every chat in the export that has a `messages` list, in file order."""
    path = Path(path)
    with _collector_paused():  # millions of acyclic objects: collections would only cost time
        root = _load(path)
        return [_read_chat(f"{path}: {where}", chat) for where, chat in _chat_objects(path, root)]


@contextmanager
def _collector_paused() -> Iterator[None]:
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _load(path: Path) -> object:
    if path.is_dir():
        hint = " (did you mean result.json inside it?)" if (path / "result.json").is_file() else ""
        raise ExportFormatError(f"{path}: is a directory, expected an export file{hint}")
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise ExportFormatError(f"{path}: no such file") from None
    except OSError as exc:
        raise ExportFormatError(f"{path}: cannot read: {exc.strerror or exc}") from None
    try:
        return orjson.loads(data.removeprefix(b"\xef\xbb\xbf"))
    except orjson.JSONDecodeError as exc:
        where = f"line {exc.lineno} column {exc.colno}"
        raise ExportFormatError(f"{path}: not valid JSON: {exc.msg} at {where}") from None


def _chat_objects(path: Path, root: object) -> list[tuple[str, dict]]:
    """(where, chat) for the one chat, or for each chat with `messages` of a full export."""
    not_export = f"{path}: not a Telegram Desktop export (no 'messages' and no 'chats.list')"
    if type(root) is not dict:
        raise ExportFormatError(not_export)
    if "messages" in root:
        return [("", root)]
    found, sections = [], 0
    for section in ("chats", "left_chats"):
        listing = root.get(section)
        if type(listing) is not dict or "list" not in listing:
            continue
        sections += 1
        if type(listing["list"]) is not list:
            raise ExportFormatError(f"{path}: {section}.list is not a list")
        for index, chat in enumerate(listing["list"]):
            if type(chat) is not dict:
                raise ExportFormatError(f"{path}: {section}.list[{index}] is not an object")
            if "messages" in chat:
                found.append((f"{section}.list[{index}] ({chat.get('name')}): ", chat))
    if not sections:
        raise ExportFormatError(not_export)
    return found


def _read_chat(where: str, chat: dict) -> ExportChat:
    export_id, chat_type = chat.get("id"), chat.get("type") or ""
    if type(export_id) is not int:
        raise ExportFormatError(f"{where}the chat id is missing or not a number")
    if type(chat["messages"]) is not list:
        raise ExportFormatError(f"{where}messages is not a list")
    chat_id, skipped = bot_api_id(export_id, chat_type), {}
    entries = _convert(where, chat["messages"], chat_id, _own_peer(export_id, chat_type), skipped)
    entries.sort(key=_ORDER)
    items = [entry[3] for entry in entries]
    return ExportChat(export_id, chat_id, chat.get("name") or "", chat_type, items, skipped)


def _own_peer(export_id: int, chat_type: str) -> str:
    """How `reply_to_peer_id` names this chat."""
    if chat_type == "private_group":
        return f"chat{export_id}"
    if chat_type in SUPERGROUP_TYPES or chat_type.endswith("_channel"):
        return f"channel{export_id}"
    return f"user{export_id}"


def _convert(where: str, messages: list, chat_id: int, own_peer: str, skipped: dict) -> list:
    """(unix time, kind, message id, item) per message, roster news or reaction, in file order."""
    entries: list[tuple[int, int, int, Item]] = []
    append = entries.append
    senders: dict[int, int] = {}  # message id -> sender id, for reply_to_sender
    for index, m in enumerate(messages):
        if type(m) is not dict:
            raise ExportFormatError(f"{where}message #{index}: expected an object")
        kind = m.get("type")
        if kind != "message" and kind != "service":
            reason = "unsupported message" if kind == "unsupported" else f"message type {kind!r}"
            skipped[reason] = skipped.get(reason, 0) + 1
            continue
        try:
            mid = m["id"]
            if type(mid) is not int and (mid := as_int(mid)) is None:
                raise ValueError("id is not a number")
            ts = int(m["date_unixtime"])
            at = datetime.fromtimestamp(ts, UTC)
            if kind == "message":
                append((ts, MESSAGE, mid, _message(m, chat_id, mid, at, own_peer, senders)))
                if "reactions" in m:
                    for when, reacted in reactions(m, chat_id, mid, ts, skipped):
                        append((when, REACTION, mid, reacted))
            elif seen := member_seen(m, chat_id, at):
                append((ts, SEEN, mid, seen))
        except _MALFORMED as exc:
            raise ExportFormatError(f"{where}message #{index}{problem(m, exc)}") from None
    return entries


def _message(
    m: dict, chat_id: int, mid: int, at: datetime, own_peer: str, senders: dict[int, int]
) -> IncomingMessage:
    text = m.get("text", "")
    mentions, hashtags, commands = NO_ENTITIES
    if type(text) is not str:
        if type(text) is not list:
            raise TypeError(f"text is neither a string nor a list: {short_repr(text)}")
        entities = m.get("text_entities")
        mentions, hashtags, commands = scan_entities(entities if type(entities) is list else text)
        text = flatten(text)
    sender_id = peer_user_id(m.get("from_id"))
    if sender_id is not None:
        senders[mid] = sender_id
    reply_to = m.get("reply_to_message_id")
    if reply_to is not None and m.get("reply_to_peer_id", own_peer) != own_peer:
        reply_to = None  # a reply to a message in another chat
    extra = {}
    if "edited_unixtime" in m:
        extra["edited_at"] = datetime.fromtimestamp(int(m["edited_unixtime"]), UTC)
    media = m.get("media_type") or ("photo" if "photo" in m else "file" if "file" in m else None)
    if media:
        extra["media"] = media
    return IncomingMessage(
        chat_id=chat_id,
        message_id=mid,
        sender_id=sender_id,
        sender_name=m.get("from"),
        at=at,
        text=text,
        mentions=mentions,
        hashtags=hashtags,
        commands=commands,
        reply_to=reply_to,
        reply_to_sender=senders.get(reply_to) if reply_to is not None else None,
        sticker_emoji=m.get("sticker_emoji"),
        is_forward="forwarded_from" in m,
        via_bot="via_bot" in m,
        extra=extra,
    )
