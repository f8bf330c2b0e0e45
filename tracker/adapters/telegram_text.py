"""Pieces of one Telegram Desktop export message: text, entities, peers, reactions, roster news.

`text` is a plain string when the message has no formatting at all, else a list mixing strings and
`{type, text, ...}` objects; `text_entities` is the same content as a flat list of objects.
Helpers for `tracker.adapters.telegram_export`; they raise KeyError/TypeError/ValueError on
malformed input, which the reader turns into one ExportFormatError line.
"""

from __future__ import annotations

from datetime import UTC, datetime
from sys import intern

from tracker.domain.inbound import IncomingMessage, IncomingReaction, MemberSeen, Mention

Entities = tuple[tuple[Mention, ...], tuple[str, ...], tuple[str, ...]]
NO_ENTITIES: Entities = ((), (), ())
JOIN_ACTIONS = frozenset({"join_group_by_link", "join_group_by_request"})
SELF_ACTIONS = frozenset({"invite_members", "remove_members"})
_UNSEEN = object()


def flatten(parts: list) -> str:
    """The visible text of a list-shaped `text`: strings as they are, objects by their `text`."""
    return "".join([p if type(p) is str else p.get("text", "") for p in parts])


def scan_entities(entities: list) -> Entities:
    """Mentions, hashtags (lower-cased, with '#') and commands (lower-cased, no '@botname')."""
    mentions: list[Mention] = []
    hashtags: list[str] = []
    commands: list[str] = []
    for entity in entities:
        if type(entity) is not dict:
            continue
        kind = entity.get("type")
        if kind == "plain":
            continue
        text = entity.get("text", "")
        if kind == "mention":
            mentions.append(Mention(text, username=text.lstrip("@").lower()))
        elif kind == "mention_name":
            mentions.append(Mention(text, user_id=int(entity["user_id"])))
        elif kind == "hashtag":
            hashtags.append(text.lower())
        elif kind == "bot_command":
            commands.append(text.lower().partition("@")[0])
    if not (mentions or hashtags or commands):
        return NO_ENTITIES
    return tuple(mentions), tuple(hashtags), tuple(commands)


def peer_user_id(peer: object) -> int | None:
    """`"user123"` -> 123; a chat or channel peer (`"chat…"`, `"channel…"`) or nothing -> None.

    Exports from before 2021 wrote a bare integer, which is always a user.
    """
    if type(peer) is str:
        return int(peer[4:]) if peer.startswith("user") else None
    if type(peer) is int:
        return peer
    return None


def message(
    m: dict,
    chat_id: int,
    mid: int,
    at: datetime,
    own_peer: str,
    senders: dict[int, int],
    peers: dict[object, int | None],
) -> IncomingMessage:
    """One `type: message` entry; `senders` and `peers` are the chat's running caches."""
    text = m.get("text", "")
    mentions, hashtags, commands = NO_ENTITIES
    if type(text) is not str:
        if type(text) is not list:
            raise TypeError(f"text is neither a string nor a list: {short_repr(text)}")
        entities = m.get("text_entities")
        mentions, hashtags, commands = scan_entities(entities if type(entities) is list else text)
        text = flatten(text)
    elif (
        (entities := m.get("text_entities"))
        and type(entities) is list
        and (len(entities) > 1 or entities[0].get("type") != "plain")
    ):  # hand-made or converted exports: a plain string text with typed entities beside it
        mentions, hashtags, commands = scan_entities(entities)
    from_id = m.get("from_id")
    sender_id = peers.get(from_id, _UNSEEN)
    if sender_id is _UNSEEN:
        sender_id = peers[from_id] = peer_user_id(from_id)
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
        sender_name=intern(name) if (name := m.get("from")) else name,
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


def reactions(
    m: dict, chat_id: int, mid: int, ts: int, skipped: dict[str, int]
) -> list[tuple[int, IncomingReaction]]:
    """(unix time, reaction) for each user in the `recent` lists of the emoji reactions. Custom
    and paid reactions, and reactions nobody can be named for, are counted in `skipped`."""
    found = []
    for reaction in m["reactions"]:
        count = reaction.get("count", 0)
        if reaction.get("type") != "emoji":
            _count(skipped, "custom or paid reaction", count)
            continue
        emoji, attributed = reaction.get("emoji", ""), 0
        for recent in reaction.get("recent") or ():
            user_id = peer_user_id(recent.get("from_id"))
            if user_id is None:
                continue
            attributed += 1
            when = reaction_time(m, recent, ts)
            if when is None:
                _count(skipped, "reaction without a date", 1)
                continue
            at = datetime.fromtimestamp(when, UTC)
            reacted = IncomingReaction(
                chat_id=chat_id, message_id=mid, user_id=user_id, emoji=emoji, at=at
            )
            found.append((when, reacted))
        if count > attributed:
            _count(skipped, "reaction by an unknown user", count - attributed)
    return found


def reaction_time(m: dict, recent: dict, ts: int) -> int | None:
    """`date_unixtime` if the entry has one; else the message's unix time plus the gap between the
    two naive desktop-local dates (exact unless a DST change falls in between)."""
    if "date_unixtime" in recent:
        return int(recent["date_unixtime"])
    if "date" not in recent or "date" not in m:
        return None
    gap = datetime.fromisoformat(recent["date"]) - datetime.fromisoformat(m["date"])
    return max(ts, ts + int(gap.total_seconds()))


def member_seen(m: dict, chat_id: int, at: datetime) -> MemberSeen | None:
    """A join by link or by request, or a member who added (rejoined) or removed (left) only
    themselves. Member lists carry names, not ids, so nobody else can be identified."""
    user_id = peer_user_id(m.get("actor_id"))
    if user_id is None:
        return None
    action, actor = m.get("action"), m.get("actor")
    if action in JOIN_ACTIONS:
        return MemberSeen(chat_id=chat_id, user_id=user_id, name=actor, at=at)
    if action in SELF_ACTIONS and actor and m.get("members") == [actor]:
        left = action == "remove_members"
        return MemberSeen(chat_id=chat_id, user_id=user_id, name=actor, left=left, at=at)
    return None


def problem(m: dict, exc: Exception) -> str:
    """What is wrong with message `m`, as the tail of `message #N`: `" (id 5): date_unixtime…"`."""
    mid, ts = m.get("id"), m.get("date_unixtime")
    if mid is None:
        return ": id is missing"
    if as_int(mid) is None:
        return f": id is not a number: {short_repr(mid)}"
    if ts is None:
        return f" (id {mid}): date_unixtime is missing"
    if as_int(ts) is None:
        return f" (id {mid}): date_unixtime is not a number: {short_repr(ts)}"
    try:
        datetime.fromtimestamp(as_int(ts), UTC)
    except (OverflowError, OSError, ValueError):
        return f" (id {mid}): date_unixtime is out of range: {short_repr(ts)}"
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
    """A one-line repr for error messages."""
    return clip(repr(value), limit)


def clip(text: str, limit: int) -> str:
    """`text` on one line, cut to `limit` characters."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _count(skipped: dict[str, int], reason: str, n: int) -> None:
    skipped[reason] = skipped.get(reason, 0) + n
