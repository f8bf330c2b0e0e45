"""Telegram Desktop's own layout of a one-chat export, read from disk a run of messages at a time.

Telegram Desktop indents by one space a level, so each message sits between "\\n  {" and
"\\n  }", and a JSON string never holds a raw newline: the `messages` array can be cut between
two messages without parsing it. `find` reads the chat's head and the end of the file, then cuts
the messages into runs of about `CHUNK_BYTES` (never holding the file), noting for each run a
lower bound of the times in it: every `"date_unixtime"` of the run (a message's or a reaction's)
read by a pattern, or minus infinity when one is written in any other way. A reaction without a
`date_unixtime` is timed at or after its message, so the bound holds for everything in the run.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from pathlib import Path

import orjson

BOM = b"\xef\xbb\xbf"
CHUNK_BYTES = 1 << 20
MESSAGES_KEY = b'\n "messages": ['
END = b"\n ]\n}"
BETWEEN = b"\n  },\n  {"  # the end of one message and the start of the next
_TAIL_BYTES = 1 << 16  # trailing whitespace past this: the file is parsed whole instead
_TIME_KEY = b'"date_unixtime"'
_TIME = re.compile(rb'"date_unixtime": "(\d{1,19})"')  # longer: not a time, read as "otherwise"
_SPACE = b" \t\r\n"
# as Telegram Desktop writes the key and value (a message's text cannot hold it unescaped)
_MIGRATED = b'"action": "migrate_from_group"'


@dataclass(frozen=True)
class Run:
    """Whole messages at `offset` in the file, `length` bytes; every time in them >= `earliest`."""

    offset: int
    length: int
    earliest: float
    migrated: bool = False  # holds a migrate_from_group message


@dataclass(frozen=True)
class Layout:
    """A one-chat export in Telegram Desktop's layout: the chat without its messages, and runs."""

    head: dict
    runs: list[Run]
    bom: int  # bytes of a byte order mark before the document
    migrated: bool = False  # a migrate_from_group message is in it (see export_items.ReadNotes)


def find(path: Path, size: int, chunk_bytes: int = CHUNK_BYTES) -> Layout | None:
    """The layout of the file, or None when it is anything else (then it is parsed whole)."""
    with path.open("rb") as f:
        found = _head(f, chunk_bytes)
        if found is None:
            return None
        head, start, bom = found
        stop = _stop(f, size)
        if stop is None or stop < start:
            return None
        runs = list(_runs(f, start, stop, chunk_bytes))
        return Layout(head, runs, bom, any(run.migrated for run in runs))


def _head(f, chunk_bytes: int) -> tuple[dict, int, int] | None:
    """(chat without messages, offset of the first message, BOM length) or None."""
    data = b""
    while (key := data.find(MESSAGES_KEY)) < 0:
        block = f.read(chunk_bytes)
        if not block:
            return None
        data += block
    bom = len(BOM) if data.startswith(BOM) else 0
    try:
        chat = orjson.loads(data[bom:key].rstrip().removesuffix(b",") + b"}")
    except orjson.JSONDecodeError:
        return None
    if type(chat) is not dict or "messages" in chat:
        return None
    return chat, key + len(MESSAGES_KEY), bom


def _stop(f, size: int) -> int | None:
    """Where the last message ends: the file must end in END (and whitespace)."""
    f.seek(max(0, size - _TAIL_BYTES))
    tail = f.read()
    end = len(tail)
    while end and tail[end - 1] in _SPACE:
        end -= 1
    if not tail.endswith(END, 0, end):
        return None
    return size - len(tail) + end - len(END)


def _runs(f, start: int, stop: int, chunk_bytes: int):
    """Runs of whole messages between `start` and `stop`, each cut between two messages."""
    f.seek(start)
    offset, rest, left = start, b"", stop - start
    while left > 0:
        block = f.read(min(chunk_bytes, left))
        if not block:  # the file shrank under us: what is left fails to parse, clearly
            break
        left -= len(block)
        data = rest + block if rest else block
        cut = data.rfind(BETWEEN) if left > 0 else -1
        if cut < 0:
            rest = data
            continue
        end = cut + 4  # after "\n  }"; the "," is skipped
        yield Run(offset, end, earliest(data[:end]), _MIGRATED in data[:end])
        offset, rest = offset + end + 1, data[end + 1 :]
    if rest:
        yield Run(offset, len(rest), earliest(rest), _MIGRATED in rest)


def earliest(run: bytes) -> float:
    """A lower bound of the times in a run: the least `date_unixtime`, or -inf when one of
    them is not a plain string of up to 19 digits (the reader then holds everything until it
    is read, and says what is wrong with it)."""
    found = _TIME.findall(run)
    if len(found) != run.count(_TIME_KEY):
        return -math.inf
    return min(map(int, found)) if found else math.inf


def read_run(f, run: Run) -> bytes:
    f.seek(run.offset)
    return f.read(run.length)
