"""Checking one value of an exported message: ids, peers, unix and local times, and how a
value that is wrong is named in the one line that reports it."""

from __future__ import annotations

from datetime import datetime

from tracker.adapters.telegram.limits import (
    EARLIEST,
    END,
    MAX_MESSAGE_ID,
    MAX_USER_ID,
    MESSAGE_ID_LIKE,
    MIN_MESSAGE_ID,
    MIN_USER_ID,
    USER_ID_LIKE,
    YEARS,
    datetime_in_range,
    outside,
)

PEER_LIKE = "a sender like 'user123' (or 'channel…', 'chat…')"

LOCAL_TIME_LIKE = "a local time like '2026-11-23T09:05:00'"

_PEER_KINDS = ("user", "channel", "chat")

_USER_ID_DIGITS = len(str(MAX_USER_ID))


class Malformed(ValueError):
    """A value Telegram Desktop does not write; the text names its key and what was expected."""


def expected(key: str, what: str, value: object) -> Malformed:
    return Malformed(f"{key}: expected {what}, got {short_repr(value)}")


def peer_user_id(peer: object, key: str = "from_id") -> int | None:
    """`"user123"` -> 123; a chat or channel peer (`"chat…"`, `"channel…"`) or nothing -> None.

    Exports from before 2021 wrote a bare integer, which is always a user. Anything else, and a
    user id outside Telegram's range, raises Malformed."""
    if type(peer) is str:
        for kind in _PEER_KINDS:
            if peer.startswith(kind):
                digits = peer[len(kind) :]
                if digits and digits.isascii() and digits.isdigit():
                    if kind != "user":
                        return None
                    user_id = int(digits) if len(digits) <= _USER_ID_DIGITS else 0
                    if MIN_USER_ID <= user_id <= MAX_USER_ID:
                        return user_id
                    raise expected(key, f"'user' and {USER_ID_LIKE}", peer)
                break
        raise expected(key, PEER_LIKE, peer)
    if type(peer) is int:
        if MIN_USER_ID <= peer <= MAX_USER_ID:
            return peer
        raise expected(key, USER_ID_LIKE, peer)
    if peer is None:
        return None
    raise expected(key, PEER_LIKE, peer)


def message_id(value: object, key: str = "id") -> int:
    """A message id (an integer, or a string of digits) within Telegram's range."""
    mid = value if type(value) is int else as_int(value)
    if mid is None or not MIN_MESSAGE_ID <= mid <= MAX_MESSAGE_ID:
        raise expected(key, MESSAGE_ID_LIKE, value)
    return mid


def unix_time(entry: dict, key: str, what: str) -> int:
    """`entry[key]`, a unix time (a string of digits, or an integer) within 2000–2100; `what`
    names it when it is not (`date 1970-01-01 is outside 2000–2100`)."""
    value = entry.get(key)
    ts = value if type(value) is int else as_int(value)
    if ts is None:
        if key not in entry:
            raise Malformed(f"{key} is missing")
        if type(value) is str and value.strip().isdecimal():  # beyond what int() reads
            digits = len(value.strip())
            raise Malformed(f"{key}: expected a unix time within {YEARS}, got {digits} digits")
        raise expected(key, "a unix time (a string of digits)", value)
    if not EARLIEST <= ts < END:
        raise Malformed(outside(what, ts))
    return ts


def local_time(value: object, key: str) -> datetime:
    """A naive desktop-local time as Telegram Desktop writes it, within 2000–2100."""
    if type(value) is not str:
        raise expected(key, LOCAL_TIME_LIKE, value)
    try:
        at = datetime.fromisoformat(value)
    except ValueError:
        raise expected(key, LOCAL_TIME_LIKE, value) from None
    if at.tzinfo is not None:
        raise expected(key, f"{LOCAL_TIME_LIKE} (no zone)", value)
    if not datetime_in_range(at):
        raise Malformed(f"{key} {at.date().isoformat()} is outside {YEARS}")
    return at


def problem(m: dict, exc: Exception) -> str:
    """What is wrong with message `m`, as the tail of `message #N`: `" (id 5): date 1970-…"`."""
    if "id" not in m:
        return ": id is missing"
    try:
        mid = message_id(m["id"])
    except Malformed as bad:
        return f": {bad}"
    if isinstance(exc, Malformed):
        return f" (id {mid}): {exc}"
    if isinstance(exc, KeyError):
        return f" (id {mid}): malformed message: {short_repr(exc.args[0])} is missing"
    return f" (id {mid}): malformed message: {clip(str(exc) or type(exc).__name__, 80)}"


def as_int(value: object) -> int | None:
    """An integer or a string of digits as an int; anything else None."""
    if type(value) is int:
        return value
    if type(value) is str:
        try:
            return int(value)
        except ValueError:
            return None
    return None


def short_repr(value: object, limit: int = 40) -> str:
    """A one-line repr for error messages (never the repr of a huge value whole)."""
    if type(value) is str and len(value) > limit:
        value = value[:limit]
    elif type(value) is int and value.bit_length() > 128:
        return "an integer beyond 128 bits"
    elif type(value) in (list, dict) and len(value) > limit:
        return f"a {'list' if type(value) is list else 'object'} of {len(value)} items"
    try:
        text = repr(value)
    except (RecursionError, ValueError):
        text = f"a nested {type(value).__name__}"
    return clip(text, limit)


def clip(text: str, limit: int) -> str:
    """`text` on one line, cut to `limit` characters."""
    text = " ".join(text[: limit * 4].split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
