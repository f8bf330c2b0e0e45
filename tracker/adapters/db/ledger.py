"""The fines ledger as finance sees it: payments, waivers, reversals and closed months.

Every function here works on the caller's connection, inside the caller's transaction, so a
change to the ledger and the message announcing it are committed together. A closed month's
fines never change; what a waiver does is decided in `tracker.domain.ledger`.
"""

from __future__ import annotations

from datetime import datetime, tzinfo

from sqlalchemy import Connection, select, update
from sqlalchemy.dialects import postgresql, sqlite

from tracker.adapters.db import orm
from tracker.domain.ledger import REVERSAL, FineStatus, Waiver, reversal_period, waiver
from tracker.domain.periods import month_cn
from tracker.errors import MonthClosed

_F, _M = orm.Fine.__table__, orm.ClosedMonth.__table__
WAIVED = FineStatus.WAIVED.value


def closed_months(conn: Connection) -> set[str]:
    return set(conn.execute(select(_M.c.month)).scalars())


def close_month(conn: Connection, month: str, now: datetime) -> datetime | None:
    """Close `month`; returns when it was closed before, if it already was."""
    before = conn.execute(select(_M.c.closed_at).where(_M.c.month == month)).scalar()
    if before is not None:
        return before
    insert = postgresql.insert if conn.dialect.name == "postgresql" else sqlite.insert
    conn.execute(insert(_M).values(month=month, closed_at=now).on_conflict_do_nothing())
    return None


def refuse_if_closed(conn: Connection, month: str) -> None:
    if month in closed_months(conn):
        raise MonthClosed(
            f"{month_cn(month)} is closed: its fines can no longer change "
            f"(a correction is booked as a reversal in an open month)"
        )


def mark_paid(
    conn: Connection,
    month: str,
    user_id: int,
    by: int | None,
    now: datetime,
    chat_ids: list[int] | None = None,
) -> tuple[int, int]:
    """Booked fines of a member in a ledger month become paid; returns (count, fen)."""
    refuse_if_closed(conn, month)
    where = [_F.c.period == month, _F.c.user_id == user_id, _F.c.status == FineStatus.BOOKED.value]
    if chat_ids is not None:
        where.append(_F.c.chat_id.in_(chat_ids))
    amounts = conn.execute(
        update(_F)
        .where(*where)
        .values(status=FineStatus.PAID.value, paid_at=now, paid_by=by)
        .returning(_F.c.amount_fen)
    ).scalars()
    amounts = list(amounts)  # what this statement changed, whatever else commits meanwhile
    return sum(a > 0 for a in amounts), sum(amounts)


def waive(conn: Connection, fines: list, by: int, reason: str, now: datetime, zone: tzinfo):
    """Waive booked fines; returns [(fine, reversed)] for those that changed. A fine of a closed
    month stays as it is and gets a reversal entry in the first open month instead."""
    closed = closed_months(conn)
    changed = []
    for fine in fines:
        status = conn.execute(select(_F.c.status).where(_F.c.id == fine.id)).scalar()
        reversed_already = (
            conn.execute(select(_F.c.id).where(_F.c.reverses == fine.id)).first() is not None
        )
        decision = waiver(fine.rule, status, fine.period, closed, reversed_already)
        if decision is Waiver.WAIVE:
            done = conn.execute(
                update(_F)
                .where(_F.c.id == fine.id, _F.c.status == FineStatus.BOOKED.value)
                .values(
                    status=FineStatus.WAIVED.value,
                    waived_at=now,
                    waived_by=by,
                    waived_reason=reason,
                )
            ).rowcount
            if done:
                changed.append((fine, False))
        elif decision is Waiver.REVERSE:
            conn.execute(_F.insert().values(**_reversal(fine, by, reason, now, zone, closed)))
            changed.append((fine, True))
    return changed


def _reversal(fine, by: int, reason: str, now: datetime, zone: tzinfo, closed: set[str]) -> dict:
    return {
        "chat_id": fine.chat_id,
        "message_id": fine.directive_message_id,
        "user_id": fine.user_id,
        "name": fine.name,
        "rule": REVERSAL,
        "sequence": fine.id,
        "amount_fen": -fine.amount_fen,
        "currency": fine.currency,
        "booked_at": now,
        "status": FineStatus.BOOKED.value,
        "waived_by": by,
        "waived_reason": reason,
        "period": reversal_period(now, zone, closed),
        "reverses": fine.id,
    }
