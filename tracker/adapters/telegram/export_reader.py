"""Telegram Desktop "Machine-readable JSON" exports (result.json) -> inbound domain objects.

Reads a one-chat export (the root has `messages`) or a full-account export (`chats.list` and
`left_chats.list`). Times come from `date_unixtime`; the naive desktop-local `date` serves only to
place a reaction, whose `recent` entry carries nothing better. A problem raises ExportFormatError
with one line naming the file and the place, where `message #N` is the 0-based position in
`messages`, with the message's id and the key at fault (a JSON path within the message) and what
was expected. What Telegram Desktop does not write is such a problem: an id outside Telegram's
ranges, a date outside 2000–2100, a value of another type (`limits`, `export_values`).
Skipped content (unsupported messages, custom or paid reactions, reactions nobody can be named
for) is counted in `ExportChat.skipped`, never dropped silently.

Items come in time order: by (unix time, kind, message id), and in file order where those are
equal. A one-chat export in Telegram Desktop's own layout (`export_layout`) is streamed:
`open_export` reads the chat's head and cuts the messages into runs, and the items are built a
run at a time as they are taken, each run parsed with orjson and merged into the ones still
held; an item goes out once no later run can hold anything earlier. Memory stays near a run
(about a megabyte of messages) however long the export, unless its times go backwards (an
imported history), when the reader holds what it must. Anything else is parsed whole.
`read_export` takes every item at once, as lists.
"""

from __future__ import annotations

import gc
import math
from bisect import bisect_left
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from operator import itemgetter
from pathlib import Path
from zoneinfo import ZoneInfo

import orjson

from tracker.adapters.telegram import export_layout
from tracker.adapters.telegram.export_file import parse, read_bytes, size_of
from tracker.adapters.telegram.export_items import (
    Converter,
    Item,
    ReadNotes,
    bot_api_id,
    identity,
    own_peer,
)
from tracker.adapters.telegram.export_values import clip
from tracker.errors import ExportFormatError

__all__ = ["Export", "ExportChat", "Item", "bot_api_id", "open_export", "read_export"]
_ORDER = itemgetter(0, 1, 2)
_TIME = itemgetter(0)
_ITEM = itemgetter(3)
_CHUNK_BYTES = export_layout.CHUNK_BYTES


@dataclass(frozen=True)
class ExportChat:
    """One exported chat: `items` in time order, `skipped` counts what was left out, by reason.

    From `open_export`, `items` is a one-pass iterator and `skipped` is complete once it is
    exhausted; from `read_export`, a list."""

    export_id: int
    bot_api_id: int
    name: str
    type: str
    items: Iterable[Item]
    skipped: dict[str, int] = field(default_factory=dict)
    notes: ReadNotes = field(default_factory=ReadNotes, compare=False)


@dataclass(eq=False)
class Export:
    """An opened export: its chats, and how much of the file has been read (for a progress bar)."""

    path: Path
    size: int
    chats: list[ExportChat]
    read: int = 0


ZoneFor = Callable[[int], ZoneInfo]  # a chat's Bot API id -> the zone of its naive local times


def read_export(
    path: str | Path, zone_for: ZoneFor | None = None, reactions: bool = True
) -> list[ExportChat]:
    """Every chat in the export that has a `messages` list, in file order, items as lists."""
    with _collector_paused():  # millions of acyclic objects: collections would only cost time
        chats = open_export(path, zone_for, reactions).chats
        return [replace(c, items=list(c.items)) for c in chats]


def open_export(
    path: str | Path, zone_for: ZoneFor | None = None, reactions: bool = True
) -> Export:
    """The export's chats, read as their items are taken. A file that is not an export, or a
    broken head, raises here; a broken message raises when the items reach it. `zone_for`
    gives the zone in which a chat's messages without `date_unixtime` (exports older than 2022)
    are read; without it they are refused. `reactions` False leaves every reaction out."""
    path = Path(path)
    size = size_of(path)
    try:
        layout = export_layout.find(path, size, _CHUNK_BYTES)
    except OSError as exc:
        raise ExportFormatError(f"{path}: cannot read: {exc.strerror or exc}") from None
    if layout is not None:
        export = Export(path, size, [])
        export.chats.append(_streamed_chat(export, layout, zone_for, reactions))
        return export
    with _collector_paused():
        root = parse(path, read_bytes(path))
        chats = [
            _read_chat(f"{path}: {where}", chat, [chat["messages"]], zone_for, reactions)
            for where, chat in _chat_objects(path, root)
        ]
    return Export(path, size, chats, read=size)


@contextmanager
def _collector_paused() -> Iterator[None]:
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _migrated(messages: object) -> bool:
    return type(messages) is list and any(
        type(m) is dict and m.get("action") == "migrate_from_group" for m in messages
    )


def _streamed_chat(
    export: Export, layout: export_layout.Layout, zone_for, reactions: bool
) -> ExportChat:
    where, chat = f"{export.path}: ", layout.head
    export_id, chat_type = identity(where, chat)
    chat_id, skipped = bot_api_id(export_id, chat_type), {}
    local = ReadNotes(zone_for(chat_id) if zone_for else None, migrated=layout.migrated)
    convert = Converter(where, chat_id, own_peer(export_id, chat_type), skipped, local, reactions)
    items = _in_time_order(export, layout, convert)
    name = chat.get("name") or ""
    return ExportChat(export_id, chat_id, name, chat_type, items, skipped, local)


def _in_time_order(export: Export, layout: export_layout.Layout, convert) -> Iterator[Item]:
    """Each run's items merged with those held back; out go the ones earlier than anything a
    later run can hold (`after[i]`: the least lower bound of runs i, i+1, ...)."""
    runs = layout.runs
    after = [math.inf] * (len(runs) + 1)
    for i in range(len(runs) - 1, -1, -1):
        after[i] = min(runs[i].earliest, after[i + 1])
    held: list = []
    with export.path.open("rb") as f:
        for i, run in enumerate(runs):
            data = export_layout.read_run(f, run)
            try:
                batch = orjson.loads(b"[" + data + b"]")
            except orjson.JSONDecodeError:
                _broken(export.path, run.offset - layout.bom)
            del data
            export.read = run.offset + run.length
            entries = convert(batch)
            del batch
            if held:
                entries = held + entries  # held first: equal keys keep their file order
            entries.sort(key=_ORDER)
            bound = after[i + 1]
            cut = len(entries) if bound == math.inf else bisect_left(entries, bound, key=_TIME)
            held = entries[cut:]
            del entries[cut:]
            yield from map(_ITEM, entries)
    export.read = export.size


def _broken(path: Path, offset: int):
    parse(path, read_bytes(path))  # raises, naming the line and column in the whole file
    raise ExportFormatError(f"{path}: unexpected layout of messages at byte {offset}")


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
                name = clip(str(chat.get("name")), 40)
                found.append((f"{section}.list[{index}] ({name}): ", chat))
    if not sections:
        raise ExportFormatError(not_export)
    return found


def _read_chat(
    where: str, chat: dict, batches: list[list], zone_for=None, reactions: bool = True
) -> ExportChat:
    export_id, chat_type = identity(where, chat)
    chat_id, skipped = bot_api_id(export_id, chat_type), {}
    migrated = any(_migrated(batch) for batch in batches)
    local = ReadNotes(zone_for(chat_id) if zone_for else None, migrated=migrated)
    convert = Converter(where, chat_id, own_peer(export_id, chat_type), skipped, local, reactions)
    entries = [entry for batch in batches for entry in convert(batch)]
    entries.sort(key=_ORDER)
    items = [entry[3] for entry in entries]
    name = chat.get("name") or ""
    return ExportChat(export_id, chat_id, name, chat_type, items, skipped, local)
