"""Reads for the daily digest and the statistics, on the caller's connection: what each member
still owed at an instant, the day's acknowledgements and fines, and ack samples."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, and_, func, or_, select

from tracker.adapters import orm
from tracker.domain.digest import AssignmentAsOf
from tracker.domain.stats import AckSample

_A, _D, _F = orm.Assignment.__table__, orm.Directive.__table__, orm.Fine.__table__
_JOIN = _A.join(_D, and_(_D.c.chat_id == _A.c.chat_id, _D.c.message_id == _A.c.message_id))


@dataclass(frozen=True, slots=True)
class FineLine:
    user_id: int
    name: str
    rule: str
    amount_fen: int
    currency: str
    status: str


def owed_at(conn: Connection, chat_id: int, at: datetime) -> list[AssignmentAsOf]:
    """Assignments of directives posted by `at` that were not done by then (the domain decides
    what each one still owed)."""
    rows = conn.execute(
        select(
            _A.c.user_id,
            _A.c.name,
            _A.c.message_id,
            _D.c.text,
            _D.c.kind,
            _D.c.created_at,
            _D.c.ack_due_at,
            _D.c.done_due_at,
            _A.c.acked_at,
            _A.c.done_at,
            _D.c.cancelled_at,
            _D.c.cancelled,
        )
        .select_from(_JOIN)
        .where(
            _A.c.chat_id == chat_id,
            _D.c.created_at <= at,
            or_(_A.c.done_at.is_(None), _A.c.done_at > at),
            or_(~_D.c.cancelled, _D.c.cancelled_at > at),
        )
        .order_by(_A.c.message_id, _A.c.id)
    )
    return [
        AssignmentAsOf(
            r.user_id,
            r.name,
            r.message_id,
            r.text,
            r.kind == "notice",
            r.created_at,
            r.ack_due_at,
            r.done_due_at,
            r.acked_at,
            r.done_at,
            r.cancelled_at,
            r.cancelled,
        )
        for r in rows
    ]


def acks_between(
    conn: Connection, chat_id: int, start: datetime, end: datetime
) -> list[tuple[str, bool]]:
    """(name, on time) for each acknowledgement in [start, end] of a directive not cancelled
    by `end` (as the statistics count them)."""
    rows = conn.execute(
        select(_A.c.name, _A.c.acked_at < _D.c.ack_due_at)
        .select_from(_JOIN)
        .where(
            _A.c.chat_id == chat_id,
            _A.c.acked_at >= start,
            _A.c.acked_at <= end,
            or_(~_D.c.cancelled, _D.c.cancelled_at > end),
        )
        .order_by(_A.c.acked_at, _A.c.id)
    )
    return [(name, bool(on_time)) for name, on_time in rows]


def directives_between(conn: Connection, chat_id: int, start: datetime, end: datetime) -> int:
    return conn.execute(
        select(func.count()).where(
            _D.c.chat_id == chat_id, _D.c.created_at >= start, _D.c.created_at <= end
        )
    ).scalar_one()


def fines_between(
    conn: Connection, chat_id: int, start: datetime, end: datetime
) -> list[FineLine]:
    rows = conn.execute(
        select(_F.c.user_id, _F.c.name, _F.c.rule, _F.c.amount_fen, _F.c.currency, _F.c.status)
        .where(_F.c.chat_id == chat_id, _F.c.booked_at >= start, _F.c.booked_at <= end)
        .order_by(_F.c.booked_at, _F.c.id)
    )
    return [FineLine(*r) for r in rows]


def ack_samples(conn: Connection, chat_id: int, start: datetime, end: datetime) -> list[AckSample]:
    """Every assignment of the directives posted in [start, end), oldest first."""
    rows = conn.execute(
        select(
            _A.c.user_id,
            _A.c.name,
            _D.c.created_at,
            _D.c.ack_due_at,
            _A.c.acked_at,
            _D.c.cancelled,
            _A.c.status,
        )
        .select_from(_JOIN)
        .where(_A.c.chat_id == chat_id, _D.c.created_at >= start, _D.c.created_at < end)
        .order_by(_D.c.created_at, _A.c.id)
    )
    return [
        AckSample(
            r.user_id,
            r.name,
            r.created_at,
            r.ack_due_at,
            r.acked_at,
            bool(r.cancelled) or r.status == "cancelled",
        )
        for r in rows
    ]


def fine_amounts(
    conn: Connection, chat_id: int, start: datetime, end: datetime
) -> list[tuple[int, str, int]]:
    """(user id, name, fen) of the fines booked in [start, end) that count (not waived)."""
    rows = conn.execute(
        select(_F.c.user_id, _F.c.name, _F.c.amount_fen)
        .where(
            _F.c.chat_id == chat_id,
            _F.c.booked_at >= start,
            _F.c.booked_at < end,
            _F.c.status != "waived",
        )
        .order_by(_F.c.booked_at, _F.c.id)
    )
    return [tuple(r) for r in rows]
