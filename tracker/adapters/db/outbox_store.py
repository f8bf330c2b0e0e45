"""The outbox table as a work queue: claim with a conditional UPDATE, then mark sent or failed.

A claim is a lease (`claimed_until`): a sender that dies mid-send leaves a row that another
sender, or the same bot after a restart, may take again once the lease expires.

Each target chat has two lanes, each in id order (while an earlier row of a lane waits, later
ones wait too): its status boards and their edits, and everything else (reminders, fines,
digests, notices). When Telegram's limits hold a chat or the bot back, the second lane goes
first: a reminder has a deadline, a board is a view that may catch up. Answers to commands
(kind "reply") are outside both lanes and go first of all.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Engine, case, func, or_, select, union_all, update

from tracker.adapters.db import orm
from tracker.domain import outgoing
from tracker.domain.outgoing import MessageKind

_O = orm.Outbox.__table__
LEASE = timedelta(seconds=60)
REPLY = MessageKind.REPLY.value  # an answer to a command: outside its chat's order
BOARD_KINDS = tuple(kind.value for kind in outgoing.BOARD_KINDS)
STATUS_EDIT = MessageKind.STATUS_EDIT.value
# 0: answers, 1: reminders, fines and the rest, 2: status boards
_URGENCY = case((_O.c.kind == REPLY, 0), (_O.c.kind.in_(BOARD_KINDS), 2), else_=1)


@dataclass(frozen=True, slots=True)
class OutboxRow:
    id: int
    target_chat_id: int
    reply_to_message_id: int | None
    kind: MessageKind
    text: str
    mention_user_ids: tuple[int, ...]
    source_chat_id: int
    attempts: int
    attachment: str | None = None
    buttons: str | None = None  # JSON rows of [label, callback data]; None: the kind decides
    claimed_until: datetime | None = None  # in flight, waiting to retry or held till then


class OutboxStore:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def claim(self, now: datetime, limit: int = 50) -> list[OutboxRow]:
        """Rows this sender now holds: the head of each chat's queue, oldest first."""
        self.coalesce_edits(now)
        claimed = []
        for row in self.heads(now):
            if row.claimed_until is not None and row.claimed_until > now:
                continue
            if self.take(row.id, now):
                claimed.append(row)
                if len(claimed) >= limit:
                    break
        return claimed

    def heads(self, now: datetime) -> list[OutboxRow]:
        """The row each lane of each chat sends next, most urgent first, then oldest first;
        `claimed_until` says whether it may go now. A lane goes in id order (a board before its
        edits, a reminder before the fine), so a head that is in flight, waiting to retry or
        held for quiet hours holds its lane back; answers to commands go as soon as they may."""
        pending = _O.c.status == "pending"
        ordered = (
            select(func.min(_O.c.id))
            .where(pending, _O.c.kind != REPLY)
            .group_by(_O.c.target_chat_id, _URGENCY)
        )
        answers = select(_O.c.id).where(pending, _O.c.kind == REPLY)
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(_O)
                .where(_O.c.id.in_(union_all(ordered, answers).scalar_subquery()))
                .order_by(_URGENCY, _O.c.id)
            ).all()
        return [_row(row) for row in rows]

    def head_of(self, row: OutboxRow, now: datetime) -> OutboxRow | None:
        """The next row of `row`'s lane (after a skipped edit), if it may go now."""
        lane = (
            _O.c.kind.in_(BOARD_KINDS)
            if row.kind in BOARD_KINDS
            else _O.c.kind.not_in((*BOARD_KINDS, REPLY))
        )
        with self.engine.connect() as conn:
            found = conn.execute(
                select(_O)
                .where(_O.c.status == "pending", _O.c.target_chat_id == row.target_chat_id, lane)
                .order_by(_O.c.id)
                .limit(1)
            ).first()
        if found is None or (found.claimed_until is not None and found.claimed_until > now):
            return None
        return _row(found)

    def newest_edit(self, board: OutboxRow) -> OutboxRow | None:
        """The newest edit waiting for a board that is itself still to send."""
        with self.engine.connect() as conn:
            found = conn.execute(
                select(_O)
                .where(*_edits_of(board), _O.c.id > board.id)
                .order_by(_O.c.id.desc())
                .limit(1)
            ).first()
        return None if found is None else _row(found)

    def sent_folded(
        self, board: OutboxRow, edit: OutboxRow, now: datetime, message_id: int | None
    ) -> None:
        """The board went out with its newest edit's text: it is stored with the text sent, and
        that edit and the older ones are done without a call of their own."""
        with self.engine.begin() as conn:
            conn.execute(
                update(_O)
                .where(_O.c.id == board.id)
                .values(
                    status="sent",
                    sent_at=now,
                    sent_message_id=message_id,
                    error=None,
                    text=edit.text,
                    buttons=edit.buttons,
                )
            )
            conn.execute(
                update(_O)
                .where(*_edits_of(board), _O.c.id > board.id, _O.c.id <= edit.id)
                .values(status="skipped", sent_at=now, error="folded into the board it edits")
            )

    def superseded(self, row: OutboxRow) -> bool:
        """A newer edit of the same status board is waiting: this one need not be sent."""
        with self.engine.connect() as conn:
            return (
                conn.execute(
                    select(_O.c.id).where(*_edits_of(row), _O.c.id > row.id).limit(1)
                ).first()
                is not None
            )

    def take(self, row_id: int, now: datetime) -> bool:
        """Lease one row; False when another sender got there first."""
        with self.engine.begin() as conn:
            return (
                conn.execute(
                    update(_O)
                    .where(
                        _O.c.id == row_id,
                        _O.c.status == "pending",
                        or_(_O.c.claimed_until.is_(None), _O.c.claimed_until <= now),
                    )
                    .values(claimed_until=now + LEASE, attempts=_O.c.attempts + 1, error=None)
                ).rowcount
                == 1
            )

    def coalesce_edits(self, now: datetime, chat_id: int | None = None) -> int:
        """Only the latest text of a status board matters: every older edit still waiting (not
        in flight) is skipped without a call to Telegram. One chat's boards, or every chat's."""
        later = _O.alias("later")
        edits = [later.c.status == "pending", later.c.kind == STATUS_EDIT]
        mine = [_O.c.status == "pending", _O.c.kind == STATUS_EDIT]
        if chat_id is not None:
            edits.append(later.c.target_chat_id == chat_id)
            mine.append(_O.c.target_chat_id == chat_id)
        latest = (
            select(func.max(later.c.id))
            .where(*edits)
            .group_by(later.c.source_chat_id, later.c.reply_to_message_id)
        )
        not_in_flight = or_(
            _O.c.claimed_until.is_(None), _O.c.claimed_until <= now, _O.c.error.is_not(None)
        )
        with self.engine.begin() as conn:
            return conn.execute(
                update(_O)
                .where(*mine, not_in_flight, _O.c.id.not_in(latest.scalar_subquery()))
                .values(status="skipped", sent_at=now, error="superseded by a newer edit")
            ).rowcount

    def take_over(self, now: datetime) -> int:
        """On start: leases held by a process that died are released at once, so its chats are
        not blocked for a whole lease. (A row it had sent but not yet marked goes out again:
        Telegram offers no idempotency key, so that one narrow window stays at-least-once.)"""
        with self.engine.begin() as conn:
            return conn.execute(
                update(_O)
                .where(_O.c.status == "pending", _O.c.claimed_until > now, _O.c.error.is_(None))
                .values(claimed_until=now)
            ).rowcount

    def sent(self, row_id: int, now: datetime, message_id: int | None) -> None:
        self._set(row_id, status="sent", sent_at=now, sent_message_id=message_id, error=None)

    def failed(self, row_id: int, now: datetime, reason: str) -> None:
        self._set(row_id, status="failed", sent_at=now, error=reason[:500])

    def skipped(self, row_id: int, now: datetime, reason: str) -> None:
        self._set(row_id, status="skipped", sent_at=now, error=reason[:500])

    def status_message_id(self, chat_id: int, directive_id: int) -> int | None:
        """The Telegram id of the status board posted under a directive, once it is sent."""
        with self.engine.connect() as conn:
            return conn.execute(
                select(_O.c.sent_message_id).where(
                    _O.c.dedupe_key == f"status:{chat_id}:{directive_id}", _O.c.status == "sent"
                )
            ).scalar()

    def retry_at(self, row_id: int, when: datetime, reason: str) -> None:
        """Give the row back, not to be tried before `when`."""
        self._set(row_id, claimed_until=when, error=reason[:500])

    def retarget(self, old_chat_id: int, new_chat_id: int) -> None:
        """A group became a supergroup: everything still to send goes to the new id."""
        with self.engine.begin() as conn:
            conn.execute(
                update(_O)
                .where(_O.c.target_chat_id == old_chat_id, _O.c.status == "pending")
                .values(target_chat_id=new_chat_id)
            )

    def _set(self, row_id: int, **values) -> None:
        with self.engine.begin() as conn:
            conn.execute(update(_O).where(_O.c.id == row_id).values(**values))


def _edits_of(board: OutboxRow) -> tuple:
    """Conditions for the edits still waiting of the board `board` is, or is an edit of."""
    return (
        _O.c.status == "pending",
        _O.c.kind == STATUS_EDIT,
        _O.c.source_chat_id == board.source_chat_id,
        _O.c.reply_to_message_id == board.reply_to_message_id,
    )


def _row(row) -> OutboxRow:
    return OutboxRow(
        id=row.id,
        target_chat_id=row.target_chat_id,
        reply_to_message_id=row.reply_to_message_id,
        kind=MessageKind(row.kind),
        text=row.text,
        mention_user_ids=tuple(int(u) for u in row.mention_user_ids.split(",") if u),
        source_chat_id=row.source_chat_id,
        attempts=row.attempts + 1,
        attachment=row.attachment,
        buttons=row.buttons,
        claimed_until=row.claimed_until,
    )
