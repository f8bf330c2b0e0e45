"""Reads for the daily digest and the statistics, on the caller's connection: what each member
still owed at an instant, the day's acknowledgements and fines, and ack samples."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, and_, func, or_, select

from tracker.adapters.db import orm
from tracker.adapters.db.sqlite_times import columns, utc
from tracker.domain.digest import AssignmentAsOf, FineLine
from tracker.domain.ledger import FineStatus
from tracker.domain.on_time import acked_on_time
from tracker.domain.stats import AckSample

_A, _D, _F = orm.Assignment.__table__, orm.Directive.__table__, orm.Fine.__table__
WAIVED, BOOKED = FineStatus.WAIVED.value, FineStatus.BOOKED.value
_JOIN = _A.join(_D, and_(_D.c.chat_id == _A.c.chat_id, _D.c.message_id == _A.c.message_id))


def owed_at(
    conn: Connection, chat_id: int, at: datetime, notices_complete: bool = False
) -> list[AssignmentAsOf]:
    """Assignments that may still have owed something at `at`: posted by then, not done,
    cancelled or left by then, and either not acknowledged by then or with a deadline to meet (the
    domain decides what each one owed)."""
    has_deadline = _D.c.done_due_at.is_not(None) | _A.c.done_due_at.is_not(None)
    if not notices_complete:
        has_deadline = has_deadline & (_D.c.kind == "task")
    wanted = (
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
        _A.c.done_due_at.label("promised_due"),  # the assignee's own, when the directive set none
        _A.c.ack_until,  # the assignee's own ack window, when leave deferred it
    )
    rows = conn.execute(
        select(*columns(conn, wanted))
        .select_from(_JOIN)
        .where(
            _A.c.chat_id == chat_id,
            _D.c.created_at <= at,
            or_(_A.c.done_at.is_(None), _A.c.done_at > at),
            or_(~_D.c.cancelled, _D.c.cancelled_at > at),
            or_(_A.c.left_at.is_(None), _A.c.left_at > at),
            _A.c.status != "away",  # on leave: owed nothing
            or_(_A.c.acked_at.is_(None), _A.c.acked_at > at, has_deadline),
        )
        .order_by(_A.c.message_id, _A.c.id)
    )
    return [_as_of(row) for row in rows]


def _as_of(row) -> AssignmentAsOf:
    (
        user_id,
        name,
        message_id,
        text,
        kind,
        created,
        ack_due,
        done_due,
        acked,
        done,
        cancelled_at,
        cancelled,
        promised,
        own_ack_due,
    ) = row
    return AssignmentAsOf(
        user_id,
        name,
        message_id,
        text,
        kind == "notice",
        utc(created),
        utc(own_ack_due) or utc(ack_due),
        utc(done_due) or utc(promised),
        utc(acked),
        utc(done),
        utc(cancelled_at),
        cancelled,
    )


def acks_between(
    conn: Connection, chat_id: int, start: datetime, end: datetime
) -> list[tuple[str, bool]]:
    """(name, on time) for each acknowledgement in [start, end] of a directive not cancelled
    by `end` (as the statistics count them)."""
    rows = conn.execute(
        select(*columns(conn, (_A.c.name, _A.c.acked_at, _D.c.ack_due_at, _A.c.ack_until)))
        .select_from(_JOIN)
        .where(
            _A.c.chat_id == chat_id,
            _A.c.acked_at >= start,
            _A.c.acked_at <= end,
            or_(~_D.c.cancelled, _D.c.cancelled_at > end),
        )
        .order_by(_A.c.acked_at, _A.c.id)
    )
    return [(name, acked_on_time(utc(at), utc(own) or utc(due))) for name, at, due, own in rows]


def directives_between(conn: Connection, chat_id: int, start: datetime, end: datetime) -> int:
    return conn.execute(
        select(func.count()).where(
            _D.c.chat_id == chat_id, _D.c.created_at >= start, _D.c.created_at <= end
        )
    ).scalar_one()


def fines_between(
    conn: Connection, chat_id: int, start: datetime, end: datetime
) -> list[FineLine]:
    """The fines booked in [start, end], with their status as of `end` (a waiver after the
    digest's instant does not change what that digest said)."""
    rows = conn.execute(
        select(
            _F.c.user_id,
            _F.c.name,
            _F.c.rule,
            _F.c.amount_fen,
            _F.c.currency,
            _F.c.status,
            _F.c.waived_at,
        )
        .where(
            _F.c.chat_id == chat_id,
            _F.c.booked_at >= start,
            _F.c.booked_at <= end,
            _F.c.rule != "reversal",  # a finance correction of a closed month, not a fine
        )
        .order_by(_F.c.booked_at, _F.c.id)
    )
    return [
        FineLine(*r[:5], status=r.status if r.status != WAIVED or r.waived_at <= end else BOOKED)
        for r in rows
    ]


def ack_samples(
    conn: Connection, chat_id: int, start: datetime, end: datetime, as_of: datetime
) -> list[AckSample]:
    """Every assignment of the directives posted in [start, end), oldest first, as it stood at
    `as_of`: a later ack is not yet one, a later cancellation not yet made."""
    wanted = (
        _A.c.user_id,
        _A.c.name,
        _D.c.created_at,
        _D.c.ack_due_at,
        _A.c.acked_at,
        _D.c.cancelled,
        _D.c.cancelled_at,
        _A.c.left_at,
        _A.c.status,
        _A.c.ack_from,  # a window leave deferred: judged from the member's return
        _A.c.ack_until,
    )
    rows = conn.execute(
        select(*columns(conn, wanted))
        .select_from(_JOIN)
        .where(_A.c.chat_id == chat_id, _D.c.created_at >= start, _D.c.created_at < end)
        .order_by(_D.c.created_at, _A.c.id)
    )
    samples = []
    for row in rows:
        user_id, name, created, ack_due, acked, cancelled, cancelled_at, left, status = row[:9]
        created, ack_due = utc(row.ack_from) or utc(created), utc(row.ack_until) or utc(ack_due)
        acked, cancelled_at, left = utc(acked), utc(cancelled_at), utc(left)
        acked = acked if acked is not None and acked <= as_of else None
        gone = (left is not None and left <= as_of and acked is None) or status == "away"
        samples.append(
            AckSample(
                user_id,
                name,
                created,
                ack_due,
                acked,
                gone or (bool(cancelled) and (cancelled_at is None or cancelled_at <= as_of)),
            )
        )
    return samples


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
            _F.c.status != WAIVED,
        )
        .order_by(_F.c.booked_at, _F.c.id)
    )
    return [tuple(r) for r in rows]


def away_at(conn: Connection, chat_id: int, at: datetime) -> list[tuple[str, datetime]]:
    """(name, until) of each member on approved leave at `at`, by name."""
    L = orm.Leave.__table__
    rows = conn.execute(
        select(*columns(conn, (L.c.name, L.c.ends_at)))
        .where(
            L.c.chat_id == chat_id,
            L.c.status == "approved",
            L.c.starts_at <= at,
            L.c.ends_at > at,
        )
        .order_by(L.c.name, L.c.ends_at)
    )
    until: dict[str, datetime] = {}
    for name, ends in rows:
        until[name] = max(until.get(name, utc(ends)), utc(ends))  # overlapping: the latest
    return list(until.items())
