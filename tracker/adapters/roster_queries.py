"""The chats and members the database knows, for `tracker chats`."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from sqlalchemy import Connection, select

from tracker.adapters import orm


@dataclass(frozen=True)
class KnownMember:
    user_id: int
    name: str
    username: str | None
    left: bool


@dataclass(frozen=True)
class KnownChat:
    chat_id: int
    title: str
    members: tuple[KnownMember, ...]


def known_chats(conn: Connection, configured: Callable[[int], Iterable]) -> list[KnownChat]:
    """Every chat with the members the bot learned, the config names (`configured(chat_id)`:
    members with user_id, name, username) or that were ever assigned something; by name."""
    people: dict[int, dict[int, KnownMember]] = {}
    for row in conn.execute(select(orm.Member.__table__)):
        people.setdefault(row.chat_id, {})[row.user_id] = KnownMember(
            row.user_id, row.name, row.username, bool(row.left_chat)
        )
    A = orm.Assignment.__table__
    assigned = conn.execute(select(A.c.chat_id, A.c.user_id).distinct()).all()
    chats = conn.execute(select(orm.Chat.id, orm.Chat.title).order_by(orm.Chat.id)).all()
    for chat in chats:
        known = people.setdefault(chat.id, {})
        for m in configured(chat.id):
            known.setdefault(m.user_id, KnownMember(m.user_id, m.name, m.username, False))
    for chat_id, user_id in assigned:
        people.setdefault(chat_id, {}).setdefault(user_id, KnownMember(user_id, "", None, False))
    return [
        KnownChat(
            c.id,
            c.title,
            tuple(sorted(people[c.id].values(), key=lambda m: (m.name == "", m.name, m.user_id))),
        )
        for c in chats
    ]
