"""Reads about fines for chat commands: month totals, the fines behind an announcement, the
evidence for one fine."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine, case, func, select

from tracker.adapters.db import orm
from tracker.domain.ledger import FineStatus

_F, _O, _D, _R, _A, _M = (
    orm.Fine.__table__,
    orm.Outbox.__table__,
    orm.Directive.__table__,
    orm.Reminder.__table__,
    orm.Assignment.__table__,
    orm.Member.__table__,
)


@dataclass(frozen=True, slots=True)
class FineRow:
    id: int
    chat_id: int
    directive_message_id: int
    user_id: int
    name: str
    rule: str
    sequence: int
    amount_fen: int
    currency: str
    booked_at: datetime
    status: str
    waived_reason: str | None
    period: str | None = None
    doubt: str | None = None  # 待核实: a replayed export's reaction may contradict it
    evidence: str | None = None  # a conduct fine's words or reason
    booked_by: int | None = None  # the leader of a /fine


@dataclass(frozen=True, slots=True)
class Evidence:
    fine: FineRow
    directive_text: str
    created_at: datetime
    ack_due_at: datetime
    done_due_at: datetime | None
    deadline_phrase: str | None  # None also when the member named their own time
    member_promised: bool  # the member's own "明天下午前完成" set the deadline
    reminders: list[tuple[datetime, str]]  # (due_at, "chat" | "leader") naming this member
    # (pending | accepted | rejected, the reply, the leader's name, when) for a 待确认 reply
    review: tuple[str, str, str | None, datetime | None] | None = None


def _review(conn, chat_id: int, a) -> tuple[str, str, str | None, datetime | None]:
    leader = None
    if a.reviewed_by is not None:
        leader = conn.execute(
            select(_M.c.name).where(_M.c.chat_id == chat_id, _M.c.user_id == a.reviewed_by)
        ).scalar()
    return (a.ack_review, a.ack_text or "", leader, a.reviewed_at)


def _fine(row) -> FineRow:
    return FineRow(
        row.id,
        row.chat_id,
        row.message_id,
        row.user_id,
        row.name,
        row.rule,
        row.sequence,
        row.amount_fen,
        row.currency,
        row.booked_at,
        row.status,
        row.waived_reason,
        row.period,
        row.doubt,
        row.evidence,
        row.booked_by,
    )


class FineQueries:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def by_ids(self, chat_id: int, ids: list[int]) -> list[FineRow]:
        with self.engine.connect() as conn:
            rows = conn.execute(select(_F).where(_F.c.chat_id == chat_id, _F.c.id.in_(ids)))
            return [_fine(r) for r in rows]

    def behind_announcement(self, chat_id: int, bot_message_id: int) -> list[FineRow]:
        """The fines a bot message in this chat announced (a reply to it names them)."""
        with self.engine.connect() as conn:
            key = conn.execute(
                select(_O.c.dedupe_key).where(
                    _O.c.target_chat_id == chat_id,
                    _O.c.sent_message_id == bot_message_id,
                    _O.c.kind.like("fine_%"),
                )
            ).scalar()
            if key is None:
                return []
            # fines:<chat>:<directive>:<rule>:<sequence>[:rejected|member:<member>]: a leader's
            # 不算, or a deadline the member promised, announced for that member alone
            _, chat, message, rule, sequence, *rejected = key.split(":")
            query = select(_F).where(
                _F.c.chat_id == int(chat),
                _F.c.message_id == int(message),
                _F.c.rule == rule,
                _F.c.sequence == int(sequence),
            )
            if rejected:
                query = query.where(_F.c.user_id == int(rejected[1]))
            return [_fine(r) for r in conn.execute(query)]

    def month_totals(self, chat_id: int, period: str) -> list[tuple]:
        """(name, count, fen) per member for the fines that count (not waived) in a ledger
        month; a reversal entry lowers the sum."""
        with self.engine.connect() as conn:
            return conn.execute(
                select(
                    _F.c.name,
                    func.sum(case((_F.c.amount_fen > 0, 1), else_=0)),
                    func.sum(_F.c.amount_fen),
                )
                .where(
                    _F.c.chat_id == chat_id,
                    _F.c.status.in_((FineStatus.BOOKED.value, FineStatus.PAID.value)),
                    _F.c.period == period,
                )
                .group_by(_F.c.user_id, _F.c.name)
                .order_by(func.sum(_F.c.amount_fen).desc())
            ).all()

    def review_of(self, chat_id: int, ack_message_id: int):
        """A leader's ruling on the reply with this message id: (decision, reply, leader, at)."""
        with self.engine.connect() as conn:
            a = conn.execute(
                select(_A.c.ack_review, _A.c.ack_text, _A.c.reviewed_by, _A.c.reviewed_at).where(
                    _A.c.chat_id == chat_id,
                    _A.c.ack_message_id == ack_message_id,
                    _A.c.ack_review.is_not(None),
                )
            ).first()
            return None if a is None else _review(conn, chat_id, a)

    def evidence(self, fine: FineRow) -> Evidence:
        with self.engine.connect() as conn:
            d = conn.execute(
                select(_D).where(
                    _D.c.chat_id == fine.chat_id, _D.c.message_id == fine.directive_message_id
                )
            ).one()
            reminders = [
                (r.due_at, r.to)
                for r in conn.execute(
                    select(_R)
                    .where(
                        _R.c.chat_id == fine.chat_id,
                        _R.c.message_id == fine.directive_message_id,
                    )
                    .order_by(_R.c.due_at)
                )
                if str(fine.user_id) in r.user_ids.split(",")
            ]
            a = conn.execute(
                select(
                    _A.c.ack_review,
                    _A.c.ack_text,
                    _A.c.reviewed_by,
                    _A.c.reviewed_at,
                    _A.c.done_due_at,
                    _A.c.ack_until,
                ).where(
                    _A.c.chat_id == fine.chat_id,
                    _A.c.message_id == fine.directive_message_id,
                    _A.c.user_id == fine.user_id,
                )
            ).first()
            promised = a is not None and a.done_due_at is not None
            review = None
            if a is not None and a.ack_review is not None:
                review = _review(conn, fine.chat_id, a)
        return Evidence(
            fine,
            d.text,
            d.created_at,
            (a.ack_until if a is not None else None) or d.ack_due_at,
            a.done_due_at if promised else d.done_due_at,
            d.deadline_phrase if not promised else None,
            promised,
            reminders,
            review,
        )
