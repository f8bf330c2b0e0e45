"""Read models of conduct: a chat's warnings, in the shape `replay --json` prints."""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy import Connection

from tracker.adapters.db import orm
from tracker.adapters.db.report_columns import columns, iso

W = orm.WarningRecord.__table__
_WARNING = ("id", "user_id", "rule", "message_id", "at", "by", "revoked_at", "revoked_by")


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
            "revoked_at": iso(w.revoked_at),
            "revoked_by": w.revoked_by,
        }
