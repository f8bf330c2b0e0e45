"""One chat of an export, message by message: its identity (`id` and `type`, checked; the Bot API
id it has) and its messages in file order turned into time-ordered items (`Converter`)."""

from __future__ import annotations

from array import array
from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from tracker.adapters.telegram.export_events import member_seen, reactions
from tracker.adapters.telegram.export_message import message
from tracker.adapters.telegram.export_values import (
    local_time,
    message_id,
    problem,
    short_repr,
    unix_time,
)
from tracker.adapters.telegram.limits import (
    EARLIEST,
    END,
    MAX_MESSAGE_ID,
    MAX_USER_ID,
    MIN_MESSAGE_ID,
)
from tracker.domain.chat_ids import MAX_BASIC_GROUP, MAX_SUPERGROUP, supergroup_id
from tracker.domain.inbound import IncomingMessage, IncomingReaction, MemberSeen
from tracker.errors import ExportFormatError

Item = IncomingMessage | IncomingReaction | MemberSeen

SUPERGROUP_TYPES = frozenset({"private_supergroup", "public_supergroup"})
# Items sort by (at, kind, message id): roster news first, then messages, then reactions.
SEEN, MESSAGE, REACTION = 0, 1, 2
_MALFORMED = (KeyError, TypeError, ValueError, AttributeError, OverflowError, OSError)


def bot_api_id(export_id: int, chat_type: str) -> int:
    """The id the Bot API uses for the chat an export names (see `domain.chat_ids`)."""
    if chat_type in SUPERGROUP_TYPES:
        return supergroup_id(export_id)
    if chat_type == "private_group":
        return -export_id
    return export_id


def identity(where: str, chat: dict) -> tuple[int, str]:
    """The chat's `id` and `type`, checked: Telegram Desktop's id of a group is 1 to 10¹² - 1
    (a supergroup's or a channel's at most 10¹² - 2³¹), of a person a user id."""
    export_id, chat_type, name = chat.get("id"), chat.get("type"), chat.get("name")
    if chat_type is None:
        chat_type = ""
    elif type(chat_type) is not str:
        raise ExportFormatError(
            f"{where}chat type: expected a string like 'private_supergroup', "
            f"got {short_repr(chat_type)}"
        )
    if name is not None and type(name) is not str:
        raise ExportFormatError(f"{where}chat name: expected a string, got {short_repr(name)}")
    if export_id is None:
        raise ExportFormatError(f"{where}the chat id is missing")
    most = _max_export_id(chat_type)
    if type(export_id) is not int or not 1 <= export_id <= most:
        raise ExportFormatError(
            f"{where}chat id: expected Telegram Desktop's id of the chat (a whole number from 1 "
            f"to {most}), got {short_repr(export_id)}"
        )
    return export_id, chat_type


def _max_export_id(chat_type: str) -> int:
    if chat_type in SUPERGROUP_TYPES or chat_type.endswith("_channel"):
        return MAX_SUPERGROUP
    if chat_type == "private_group":
        return MAX_BASIC_GROUP
    return MAX_USER_ID


def own_peer(export_id: int, chat_type: str) -> str:
    """How `reply_to_peer_id` names this chat."""
    if chat_type == "private_group":
        return f"chat{export_id}"
    if chat_type in SUPERGROUP_TYPES or chat_type.endswith("_channel"):
        return f"channel{export_id}"
    return f"user{export_id}"


RENUMBER = -(2**31)  # moves a basic group's message ids below its supergroup's


@dataclass(eq=False)
class ReadNotes:
    """What reading a chat had to decide, to say so. The messages of an export older than 2022
    (no `date_unixtime`) are timed by their naive `date`, the exporting computer's local time,
    read in `zone` (`local_times` of them; no zone: such a message is refused). A supergroup
    that was a basic group (`migrated`: its `migrate_from_group` message is in the file) starts
    its ids again at 1: the `renumbered` messages before that one, the basic group's, get their
    ids moved below (by `RENUMBER`), so ids keep growing with time and never collide."""

    zone: ZoneInfo | None = None
    local_times: int = 0
    migrated: bool = False
    renumbered: int = 0


class Converter:
    """Batches of one chat's messages, in file order -> (unix time, kind, message id, item) per
    message, roster news or reaction; keeps what later messages need (who sent each message)."""

    def __init__(
        self,
        where: str,
        chat_id: int,
        own_peer: str,
        skipped: dict[str, int],
        notes: ReadNotes | None = None,
        use_reactions: bool = True,
    ) -> None:
        self.where, self.chat_id, self.own_peer, self.skipped = where, chat_id, own_peer, skipped
        self.notes = notes or ReadNotes()
        self.use_reactions = use_reactions  # False: `--reactions ignore`
        self.senders = _Senders()  # message id -> sender id, for reply_to_sender
        self.peers: dict[object, int | None] = {}  # from_id -> user id, parsed once per sender
        self.index = -1  # position in `messages`

    def __call__(self, batch: object) -> list[tuple[int, int, int, Item]]:
        where, chat_id, own_peer, skipped = self.where, self.chat_id, self.own_peer, self.skipped
        senders, peers = self.senders, self.peers
        if type(batch) is not list:
            raise ExportFormatError(f"{where}messages is not a list")
        entries: list[tuple[int, int, int, Item]] = []
        append = entries.append
        index = self.index
        for m in batch:
            index += 1
            if type(m) is not dict:
                raise ExportFormatError(f"{where}message #{index}: expected an object")
            kind = m.get("type")
            if kind is None:
                ident = f" (id {short_repr(m['id'])})" if "id" in m else ""
                raise ExportFormatError(f"{where}message #{index}{ident}: type is missing")
            if kind != "message" and kind != "service":
                why = (
                    "unsupported message"
                    if kind == "unsupported"
                    else f"message type {short_repr(kind)}"
                )
                skipped[why] = skipped.get(why, 0) + 1
                continue
            try:
                mid = m["id"]
                if type(mid) is not int or not MIN_MESSAGE_ID <= mid <= MAX_MESSAGE_ID:
                    mid = message_id(mid)
                renumber = self._renumber(m, mid) if self.notes.migrated else 0
                mid += renumber
                ts = m.get("date_unixtime")
                ts = int(ts) if type(ts) is str and len(ts) <= 10 and ts.isdecimal() else None
                if ts is None or not EARLIEST <= ts < END:
                    ts = self._time(m)
                at = datetime.fromtimestamp(ts, UTC)
                if kind == "message":
                    item = message(m, chat_id, mid, at, own_peer, senders, peers, renumber)
                    append((ts, MESSAGE, mid, item))
                    if "reactions" in m:
                        if not self.use_reactions:
                            why = "message's reactions (--reactions ignore)"
                            skipped[why] = skipped.get(why, 0) + 1
                            continue
                        for when, reacted in reactions(m, chat_id, mid, ts, skipped):
                            append((when, REACTION, mid, reacted))
                else:
                    for seen in member_seen(m, chat_id, at):
                        append((ts, SEEN, mid, seen))
            except _MALFORMED as exc:
                raise ExportFormatError(f"{where}message #{index}{problem(m, exc)}") from None
        self.index = index
        return entries

    def _renumber(self, m: dict, mid: int) -> int:
        """The basic group's messages come first, up to the supergroup's migrate_from_group."""
        if m.get("action") == "migrate_from_group":
            self.notes.migrated = False
            return 0
        if mid <= 0:  # written below the supergroup's ids already
            return 0
        self.notes.renumbered += 1
        return RENUMBER

    def _time(self, m: dict) -> int:
        """A message without a usable `date_unixtime`: its local `date` in the zone given for an
        old export, or the one line saying what is wrong."""
        if "date_unixtime" not in m and self.notes.zone is not None:
            at = local_time(m.get("date"), "date").replace(tzinfo=self.notes.zone)
            self.notes.local_times += 1
            return int(at.timestamp())
        return unix_time(m, "date_unixtime", "date")


class _Senders:
    """Message id -> sender id, the `senders` map `export_message.message` keeps: 8 bytes a
    message in an array while the ids are dense (a chat numbers its messages 1, 2, 3, ...;
    an export may start anywhere), a dict for the others."""

    __slots__ = ("_base", "_ids", "_other")
    _NONE = -(1 << 63)
    _GAP = 1 << 16  # a jump in ids past this goes to the dict

    def __init__(self) -> None:
        self._base: int | None = None
        self._ids = array("q")
        self._other: dict[int, int] = {}

    def __setitem__(self, mid: int, sender: int) -> None:
        if self._base is None:
            self._base = mid
        i, ids = mid - self._base, self._ids
        if 0 <= i < len(ids) + self._GAP and self._NONE < sender < 1 << 63:
            if i >= len(ids):
                ids.extend([self._NONE] * (i + 1 - len(ids)))
            ids[i] = sender
            if self._other:
                self._other.pop(mid, None)
        else:
            self._other[mid] = sender
            if 0 <= i < len(ids):
                ids[i] = self._NONE

    def get(self, mid: int, default: int | None = None) -> int | None:
        sender = self._other.get(mid)
        if sender is not None:
            return sender
        i = mid - self._base if self._base is not None and type(mid) is int else -1
        if 0 <= i < len(self._ids) and (sender := self._ids[i]) != self._NONE:
            return sender
        return default
