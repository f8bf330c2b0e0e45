"""Appeals on SQL, inside the caller's transaction: one row per fine (its unique key is the
one-appeal rule), a decision written only while none is (so two leaders cannot both decide)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, select

from tracker.adapters.db import orm
from tracker.domain.appeals import AppealRow

_P = orm.Appeal.__table__


def appeal_of(conn: Connection, fine_id: int) -> AppealRow | None:
    row = conn.execute(select(_P).where(_P.c.fine_id == fine_id)).first()
    return None if row is None else _row(row)


def add_appeal(conn: Connection, appeal: AppealRow) -> None:
    conn.execute(
        _P.insert().values(
            fine_id=appeal.fine_id,
            chat_id=appeal.chat_id,
            user_id=appeal.user_id,
            reason=appeal.reason,
            at=appeal.at,
            message_id=appeal.message_id,
        )
    )


def decide_appeal(conn: Connection, fine_id: int, decision: str, by: int, at: datetime) -> bool:
    """True when this call decided it (it was open)."""
    done = conn.execute(
        _P.update()
        .where(_P.c.fine_id == fine_id, _P.c.decision.is_(None))
        .values(decision=decision, decided_by=by, decided_at=at)
    )
    return done.rowcount == 1


def open_appeals(conn: Connection, chat_id: int) -> list[AppealRow]:
    rows = conn.execute(
        select(_P).where(_P.c.chat_id == chat_id, _P.c.decision.is_(None)).order_by(_P.c.at)
    )
    return [_row(r) for r in rows]


def _row(r) -> AppealRow:
    return AppealRow(
        r.fine_id, r.chat_id, r.user_id, r.reason, r.at, r.message_id,
        r.decision, r.decided_by, r.decided_at,
    )  # fmt: skip
