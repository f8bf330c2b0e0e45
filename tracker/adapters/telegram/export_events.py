"""What an export message says besides its text: the emoji reactions named members gave it,
and roster news (a member who joined, rejoined or left by themselves; members an admin
removed). Checked like `export_message`: a value of the wrong shape raises `Malformed` naming
its key."""

from __future__ import annotations

from datetime import UTC, datetime

from tracker.adapters.telegram.export_values import (
    Malformed,
    expected,
    local_time,
    peer_user_id,
    unix_time,
)
from tracker.adapters.telegram.limits import EARLIEST, END, MAX_COUNT, YEARS
from tracker.domain.inbound import BY_NAME, UNLISTED, IncomingReaction, MemberSeen

JOIN_ACTIONS = frozenset({"join_group_by_link", "join_group_by_request"})
SELF_ACTIONS = frozenset({"invite_members", "remove_members"})
UNTIMED = "reaction without a date (no acknowledgement; its member's no_ack fine there: 待核实)"
UNNAMED = "reaction the export does not name (no acknowledgement; no_ack fines there: 待核实)"


def reactions(
    m: dict, chat_id: int, mid: int, ts: int, skipped: dict[str, int]
) -> list[tuple[int, IncomingReaction]]:
    """(unix time, reaction) for each user in the `recent` lists of the emoji reactions. Custom
    and paid reactions are counted in `skipped`; so are a listed reaction without a date and
    the reactors of an emoji the list leaves out (Telegram Desktop names only the latest few),
    which come `timed=False` at the message's time (see `IncomingReaction`)."""
    listed = m["reactions"]
    if type(listed) is not list:
        raise expected("reactions", "a list", listed)
    found = []
    message_at = datetime.fromtimestamp(ts, UTC)
    for i, reaction in enumerate(listed):
        key = f"reactions[{i}]"
        if type(reaction) is not dict:
            raise expected(key, "an object", reaction)
        count = reaction.get("count", 0)
        if type(count) is not int or not 0 <= count <= MAX_COUNT:
            raise expected(f"{key}.count", f"a whole number from 0 to {MAX_COUNT}", count)
        kind = reaction.get("type")
        if type(kind) is not str:
            raise expected(f"{key}.type", "a string like 'emoji'", kind)
        if kind != "emoji":
            _count(skipped, "custom or paid reaction", count)
            continue
        emoji = reaction.get("emoji", "")
        if type(emoji) is not str:
            raise expected(f"{key}.emoji", "an emoji (a string)", emoji)
        recents = reaction.get("recent")
        if recents is not None and type(recents) is not list:
            raise expected(f"{key}.recent", "a list", recents)
        attributed = 0
        for j, recent in enumerate(recents or ()):
            where = f"{key}.recent[{j}]"
            if type(recent) is not dict:
                raise expected(where, "an object", recent)
            user_id = peer_user_id(recent.get("from_id"), f"{where}.from_id")
            if user_id is None:
                continue
            attributed += 1
            when = reaction_time(m, recent, ts, where)
            if when is None:
                _count(skipped, UNTIMED, 1)
                untimed = IncomingReaction(chat_id, mid, user_id, emoji, message_at, timed=False)
                found.append((ts, untimed))
                continue
            at = datetime.fromtimestamp(when, UTC)
            reacted = IncomingReaction(
                chat_id=chat_id, message_id=mid, user_id=user_id, emoji=emoji, at=at
            )
            found.append((when, reacted))
        if count > attributed:
            _count(skipped, UNNAMED, count - attributed)
            unnamed = IncomingReaction(chat_id, mid, UNLISTED, emoji, message_at, timed=False)
            found.append((ts, unnamed))
    return found


def reaction_time(m: dict, recent: dict, ts: int, where: str = "reaction") -> int | None:
    """`date_unixtime` if the entry has one; else the message's unix time plus the gap between the
    two naive desktop-local dates (exact unless a DST change falls in between)."""
    if "date_unixtime" in recent:
        return unix_time(recent, "date_unixtime", f"{where}.date")
    if "date" not in recent or "date" not in m:
        return None
    gap = local_time(recent["date"], f"{where}.date") - local_time(m["date"], "date")
    when = max(ts, ts + int(gap.total_seconds()))
    if not EARLIEST <= when < END:
        raise Malformed(f"{where}.date {recent['date']} is outside {YEARS}")
    return when


def member_seen(m: dict, chat_id: int, at: datetime) -> list[MemberSeen]:
    """A join by link or by request, a member who added (rejoined) or removed (left) only
    themselves, or the members an admin removed: member lists carry names, not ids, so those
    come `BY_NAME` for the replay to find in the chat's roster. An admin's invitation of others
    names nobody the rules need (a newcomer is learned when they speak)."""
    actor = m.get("actor")
    if actor is not None and type(actor) is not str:
        raise expected("actor", "a name (a string) or null", actor)
    action = m.get("action")
    if action is not None and type(action) is not str:
        raise expected("action", "a string like 'invite_members'", action)
    user_id = peer_user_id(m.get("actor_id"), "actor_id")
    if user_id is None:
        return []
    if action in JOIN_ACTIONS:
        return [MemberSeen(chat_id=chat_id, user_id=user_id, name=actor, at=at)]
    members = m.get("members")
    if action in SELF_ACTIONS and actor and members == [actor]:
        left = action == "remove_members"
        return [MemberSeen(chat_id=chat_id, user_id=user_id, name=actor, left=left, at=at)]
    if action == "remove_members" and members is not None:
        if type(members) is not list or not all(type(x) is str or x is None for x in members):
            raise expected("members", "a list of names", members)
        return [MemberSeen(chat_id, BY_NAME, name, left=True, at=at) for name in members if name]
    return []


def _count(skipped: dict[str, int], reason: str, n: int) -> None:
    skipped[reason] = skipped.get(reason, 0) + n
