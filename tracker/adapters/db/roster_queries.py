"""The chats and members the database knows, for `tracker chats`."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from sqlalchemy import Connection, select

from tracker.adapters.db import orm
from tracker.errors import BadRequest


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


def find_member(
    conn: Connection, wanted: str, chat_ids: list[int] | None, configured: Iterable = ()
) -> tuple[int, str]:
    """(user id, name) of the member `wanted` names: a user id, @username or the name the
    ledger knows (in `chat_ids` when given); `configured` members (user_id, name, username)
    lend their usernames. Unknown or ambiguous: BadRequest, naming them."""
    F, M = orm.Fine.__table__, orm.Member.__table__
    text = wanted.strip()
    fines = select(F.c.user_id, F.c.name).distinct()
    members = select(M.c.user_id, M.c.name).where(M.c.username == text.removeprefix("@"))
    if chat_ids is not None:
        fines = fines.where(F.c.chat_id.in_(chat_ids))
        members = members.where(M.c.chat_id.in_(chat_ids))
    if text.isascii() and text.isdigit() and len(text) <= 19:
        found = conn.execute(fines.where(F.c.user_id == int(text))).all()
    elif text.startswith("@"):
        found = conn.execute(members).all()
    else:
        found = conn.execute(fines.where(F.c.name == text)).all()
    people = {row.user_id: row.name for row in found}
    if text.startswith("@"):
        people |= {m.user_id: m.name for m in configured if m.username == text[1:]}
    if not people:
        raise BadRequest(
            f"--member: no member {text!r} in the ledger (give a user id, "
            "@username or the name on the fines)"
        )
    if len(people) > 1:
        ids = ", ".join(str(u) for u in sorted(people))
        raise BadRequest(f"--member: {text!r} names several members ({ids}): give the user id")
    ((user_id, name),) = people.items()
    return user_id, name
