"""Read models of conduct: a chat's warnings, in the shape `replay --json` prints."""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy import Connection, select

from tracker.adapters.db import orm
from tracker.adapters.db.report_columns import columns, iso
from tracker.domain.conduct.removals import REMOVED, Removal

W, R = orm.WarningRecord.__table__, orm.RemovalRecord.__table__
_WARNING = (
    "id",
    "user_id",
    "rule",
    "message_id",
    "at",
    "by",
    "action",
    "revoked_at",
    "revoked_by",
)


def warnings(stream: Connection, conn: Connection, chat_id: int) -> Iterator[dict]:
    """Every warning in the order given: who, for which rule, the evidence, by whom (None: a
    rule), and when a leader revoked it (None: it still stands, unless it expired)."""
    query = columns(W, conn, _WARNING).where(W.c.chat_id == chat_id).order_by(W.c.at, W.c.id)
    for w in stream.execute(query):
        yield {
            "id": w.id,
            "user_id": w.user_id,
            "rule": w.rule,
            "message_id": w.message_id,
            "at": iso(w.at),
            "by": w.by,
            "action": w.action,
            "revoked_at": iso(w.revoked_at),
            "revoked_by": w.revoked_by,
        }


def removals(stream: Connection, conn: Connection, chat_id: int) -> Iterator[dict]:
    """Members removed after the warn limit: when, for which rules, who confirmed."""
    names = ("user_id", "decided_at", "reasons", "confirmed_by")
    query = columns(R, conn, names).where(R.c.chat_id == chat_id, R.c.status == REMOVED)
    for r in stream.execute(query.order_by(R.c.decided_at, R.c.id)):
        yield {
            "user_id": r.user_id,
            "at": iso(r.decided_at),
            "reason": r.reasons,
            "confirmed_by": [int(u) for u in r.confirmed_by.split(",") if u],
        }


def removals_of(conn: Connection, chat_id: int) -> dict[int, Removal]:
    """Each member's latest removal proposal, for the engine."""
    latest: dict[int, Removal] = {}
    for row in conn.execute(select(R).where(R.c.chat_id == chat_id).order_by(R.c.id)):
        fields = {name: row._mapping[name] for name in Removal.__slots__}
        by = tuple(int(u) for u in row.confirmed_by.split(",") if u)
        latest[row.user_id] = Removal(**(fields | {"confirmed_by": by}))
    return latest
