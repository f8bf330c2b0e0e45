"""Telegram Desktop "Machine-readable JSON" exports (result.json) -> inbound domain objects.

Reads a one-chat export (the root has `messages`) or a full-account export (`chats.list` and
`left_chats.list`). Times come from `date_unixtime`; the naive desktop-local `date` serves only to
place a reaction, whose `recent` entry carries nothing better. A problem raises ExportFormatError
with one line naming the file and the place, where `message #N` is the 0-based position in
`messages`. Skipped content is counted in `ExportChat.skipped`, never dropped silently.

A one-chat export in Telegram Desktop's own layout (one space of indent per level, so each message
sits between "\\n  {" and "\\n  }", and JSON strings never hold a raw newline) is parsed about a
megabyte of messages at a time, which keeps memory near the size of the file; anything else is
parsed whole.
"""

from __future__ import annotations

import gc
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from operator import itemgetter
from pathlib import Path

import orjson

from tracker.adapters.telegram_text import as_int, member_seen, message, problem, reactions
from tracker.domain.inbound import IncomingMessage, IncomingReaction, MemberSeen
from tracker.errors import ExportFormatError

Item = IncomingMessage | IncomingReaction | MemberSeen

SUPERGROUP_TYPES = frozenset({"private_supergroup", "public_supergroup"})
# Items sort by (at, kind, message id): roster news first, then messages, then reactions.
SEEN, MESSAGE, REACTION = 0, 1, 2
_ORDER = itemgetter(0, 1, 2)
_MALFORMED = (KeyError, TypeError, ValueError, AttributeError, OverflowError, OSError)
_CHUNK_BYTES = 1 << 20
_MESSAGES_KEY = b'\n "messages": ['
_END = b"\n ]\n}"
_BETWEEN = b"\n  },\n  {"  # the end of one message and the start of the next


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
        data = _read_bytes(path)
        if single := _split_single_chat(path, data):
            return [_read_chat(f"{path}: ", *single)]
        root = _parse(path, data)
        del data
        chats = _chat_objects(path, root)
        return [_read_chat(f"{path}: {where}", chat, [chat["messages"]]) for where, chat in chats]


@contextmanager
def _collector_paused() -> Iterator[None]:
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _read_bytes(path: Path) -> bytes:
    if path.is_dir():
        hint = " (did you mean result.json inside it?)" if (path / "result.json").is_file() else ""
        raise ExportFormatError(f"{path}: is a directory, expected an export file{hint}")
    try:
        return path.read_bytes().removeprefix(b"\xef\xbb\xbf")
    except FileNotFoundError:
        raise ExportFormatError(f"{path}: no such file") from None
    except OSError as exc:
        raise ExportFormatError(f"{path}: cannot read: {exc.strerror or exc}") from None


def _parse(path: Path, data: bytes) -> object:
    try:
        return orjson.loads(data)
    except orjson.JSONDecodeError as exc:
        where = f"line {exc.lineno} column {exc.colno}"
        raise ExportFormatError(f"{path}: not valid JSON: {exc.msg} at {where}") from None


def _split_single_chat(path: Path, data: bytes) -> tuple[dict, Iterator[list]] | None:
    """(chat without messages, batches of messages) for Telegram Desktop's layout, else None."""
    key = data.find(_MESSAGES_KEY)
    end = len(data)
    while end and data[end - 1] in b" \t\r\n":
        end -= 1
    if key < 0 or not data.endswith(_END, key, end):
        return None
    head = data[:key].rstrip().removesuffix(b",") + b"}"
    try:
        chat = orjson.loads(head)
    except orjson.JSONDecodeError:
        return None
    if type(chat) is not dict or "messages" in chat:
        return None
    return chat, _batches(path, data, key + len(_MESSAGES_KEY), end - len(_END))


def _batches(path: Path, data: bytes, start: int, stop: int) -> Iterator[list]:
    while start < stop:
        cut = data.find(_BETWEEN, min(start + _CHUNK_BYTES, stop), stop)
        end = stop if cut < 0 else cut + 4
        try:
            yield orjson.loads(b"[" + data[start:end] + b"]")
        except orjson.JSONDecodeError:
            _parse(path, data)  # raises, naming the line and column in the whole file
            layout = f"{path}: unexpected layout of messages at byte {start}"
            raise ExportFormatError(layout) from None
        start = end + 1


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


def _read_chat(where: str, chat: dict, batches: Iterable[list]) -> ExportChat:
    export_id, chat_type = chat.get("id"), chat.get("type") or ""
    if type(export_id) is not int:
        raise ExportFormatError(f"{where}the chat id is missing or not a number")
    chat_id, skipped = bot_api_id(export_id, chat_type), {}
    entries = _convert(where, batches, chat_id, _own_peer(export_id, chat_type), skipped)
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


def _convert(
    where: str, batches: Iterable[list], chat_id: int, own_peer: str, skipped: dict[str, int]
) -> list[tuple[int, int, int, Item]]:
    """(unix time, kind, message id, item) per message, roster news or reaction, in file order."""
    entries: list[tuple[int, int, int, Item]] = []
    append = entries.append
    senders: dict[int, int] = {}  # message id -> sender id, for reply_to_sender
    peers: dict[object, int | None] = {}  # from_id -> user id, parsed once per sender
    index = -1
    for batch in batches:
        if type(batch) is not list:
            raise ExportFormatError(f"{where}messages is not a list")
        for m in batch:
            index += 1
            if type(m) is not dict:
                raise ExportFormatError(f"{where}message #{index}: expected an object")
            kind = m.get("type")
            if kind is None:
                ident = f" (id {m['id']})" if "id" in m else ""
                raise ExportFormatError(f"{where}message #{index}{ident}: type is missing")
            if kind != "message" and kind != "service":
                why = "unsupported message" if kind == "unsupported" else f"message type {kind!r}"
                skipped[why] = skipped.get(why, 0) + 1
                continue
            try:
                mid = m["id"]
                if type(mid) is not int and (mid := as_int(mid)) is None:
                    raise ValueError("id is not a number")
                ts = int(m["date_unixtime"])
                at = datetime.fromtimestamp(ts, UTC)
                if kind == "message":
                    item = message(m, chat_id, mid, at, own_peer, senders, peers)
                    append((ts, MESSAGE, mid, item))
                    if "reactions" in m:
                        for when, reacted in reactions(m, chat_id, mid, ts, skipped):
                            append((when, REACTION, mid, reacted))
                elif seen := member_seen(m, chat_id, at):
                    append((ts, SEEN, mid, seen))
            except _MALFORMED as exc:
                raise ExportFormatError(f"{where}message #{index}{problem(m, exc)}") from None
    return entries
