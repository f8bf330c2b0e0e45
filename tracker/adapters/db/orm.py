"""Tables as typed SQLAlchemy models, times in UTC, idempotency keys in the schema."""

from __future__ import annotations

from datetime import date

from sqlalchemy import (
    BigInteger,
    ForeignKeyConstraint,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy import text as sql_text
from sqlalchemy.orm import Mapped, mapped_column

from tracker.adapters.db.orm_base import Base, chat_id, user_id, utc, utc_or_none
from tracker.adapters.db.orm_conduct import RemovalRecord, WarningRecord  # noqa: F401
from tracker.domain.chat_state import NO_MESSAGE
from tracker.domain.ledger import FineStatus


class Chat(Base):
    __tablename__ = "chats"
    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    title: Mapped[str] = mapped_column(String(255), default="")
    last_message_id: Mapped[int] = mapped_column(BigInteger, default=NO_MESSAGE)
    ticked_until: Mapped[utc_or_none]
    # For chats the config does not describe: the leaders learned from the administrators.
    adopted_leaders: Mapped[str | None] = mapped_column(Text)
    migrated_from: Mapped[int | None] = mapped_column(BigInteger)
    # The last local day whose digest is done (sent, or skipped while the bot was away).
    digest_through: Mapped[date | None]


class BotState(Base):  # small counters of the live bot, e.g. the last update id handled
    __tablename__ = "bot_state"
    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    value: Mapped[int] = mapped_column(BigInteger)


class Heartbeat(Base):
    """When the live bot was last known to be running, to tell chats how long it was away."""

    __tablename__ = "heartbeat"
    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    at: Mapped[utc]


class Member(Base):
    __tablename__ = "members"
    chat_id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    user_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    name: Mapped[str] = mapped_column(String(255))
    username: Mapped[str | None] = mapped_column(String(64))
    left_chat: Mapped[bool] = mapped_column(default=False)
    registered: Mapped[bool] = mapped_column(default=False, server_default=sql_text("false"))


class Directive(Base):
    __tablename__ = "directives"
    __table_args__ = (UniqueConstraint("chat_id", "message_id"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    chat_id: Mapped[chat_id]
    message_id: Mapped[int] = mapped_column(BigInteger)
    kind: Mapped[str] = mapped_column(String(16))
    author_id: Mapped[user_id]
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[utc]
    ack_due_at: Mapped[utc]
    done_due_at: Mapped[utc_or_none]
    deadline_phrase: Mapped[str | None] = mapped_column(String(255))
    cancelled: Mapped[bool] = mapped_column(default=False)
    cancelled_at: Mapped[utc_or_none]
    open: Mapped[bool] = mapped_column(default=True)
    unresolved_mentions: Mapped[str] = mapped_column(Text, default="")  # newline-separated


class Assignment(Base):
    __tablename__ = "assignments"
    __table_args__ = (
        UniqueConstraint("chat_id", "message_id", "user_id"),
        ForeignKeyConstraint(
            ["chat_id", "message_id"], ["directives.chat_id", "directives.message_id"]
        ),
        # found by the unique key above (the unit of work's conditional UPDATE, the fines' foreign
        # key); no index on status, whose changes would each write it (migration 0009)
        Index("ix_assignments_acked", "chat_id", "acked_at"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    chat_id: Mapped[chat_id]
    message_id: Mapped[int] = mapped_column(BigInteger)
    user_id: Mapped[user_id]
    name: Mapped[str] = mapped_column(String(255))
    status: Mapped[str] = mapped_column(String(16))
    acked_at: Mapped[utc_or_none]
    ack_message_id: Mapped[int | None] = mapped_column(BigInteger)
    done_at: Mapped[utc_or_none]
    # pending | accepted | rejected: an acknowledgement a leader is asked to confirm (待确认)
    ack_review: Mapped[str | None] = mapped_column(String(16))
    ack_text: Mapped[str | None] = mapped_column(Text)  # the reply it was read from
    reviewed_by: Mapped[int | None] = mapped_column(BigInteger)
    reviewed_at: Mapped[utc_or_none]
    done_due_at: Mapped[utc_or_none]  # promised by the assignee when the directive set none
    left_at: Mapped[utc_or_none]  # the member left the chat with it open (status `left`)
    ack_from: Mapped[utc_or_none]  # the member's own ack window, deferred past their leave
    ack_until: Mapped[utc_or_none]


class Fine(Base):
    __tablename__ = "fines"
    __table_args__ = (
        # no foreign key to assignments: a conduct fine points at the message that shows it
        UniqueConstraint("chat_id", "message_id", "user_id", "rule", "sequence"),
        UniqueConstraint("reverses", name="uq_fines_reverses"),
        Index("ix_fines_period", "period", "chat_id"),
        Index("ix_fines_booked", "chat_id", "booked_at"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    chat_id: Mapped[chat_id]
    message_id: Mapped[int] = mapped_column(BigInteger)
    user_id: Mapped[user_id]
    name: Mapped[str] = mapped_column(String(255))
    rule: Mapped[str] = mapped_column(String(16))
    sequence: Mapped[int]
    amount_fen: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3))
    booked_at: Mapped[utc]
    status: Mapped[str] = mapped_column(String(16), default=FineStatus.BOOKED.value)
    waived_at: Mapped[utc_or_none]
    waived_by: Mapped[int | None] = mapped_column(BigInteger)
    waived_reason: Mapped[str | None] = mapped_column(Text)
    period: Mapped[str | None] = mapped_column(String(7))  # ledger month, "2026-11"
    paid_at: Mapped[utc_or_none]
    paid_by: Mapped[int | None] = mapped_column(BigInteger)
    reverses: Mapped[int | None]  # a reversal entry: the fine it cancels (amount negative)
    # 待核实: why a replayed export cannot be sure (a reaction it does not name or date)
    doubt: Mapped[str | None] = mapped_column(String(32))
    evidence: Mapped[str | None] = mapped_column(Text)  # a conduct fine's words or reason
    booked_by: Mapped[int | None] = mapped_column(BigInteger)  # the leader of a /fine


class Leave(Base):  # leave asked for or recorded in a chat: a row per request and member
    __tablename__ = "leaves"
    __table_args__ = (UniqueConstraint("chat_id", "request_id", "user_id"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    chat_id: Mapped[chat_id]
    request_id: Mapped[int] = mapped_column(BigInteger)  # the message that asked or recorded
    user_id: Mapped[user_id]
    name: Mapped[str] = mapped_column(String(255))
    starts_at: Mapped[utc]
    ends_at: Mapped[utc]
    reason: Mapped[str] = mapped_column(Text, default="")
    asked_by: Mapped[int] = mapped_column(BigInteger)
    asked_at: Mapped[utc]
    status: Mapped[str] = mapped_column(String(16))  # pending | approved | refused
    decided_by: Mapped[int | None] = mapped_column(BigInteger)
    decided_at: Mapped[utc_or_none]


class Appeal(Base):  # a fined member's appeal (申诉): one per fine, decided once
    __tablename__ = "appeals"
    # no foreign key: a chat's migration rewrites its fines, with the same ids
    fine_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    chat_id: Mapped[chat_id]
    user_id: Mapped[user_id]
    reason: Mapped[str] = mapped_column(Text)
    at: Mapped[utc]
    message_id: Mapped[int | None] = mapped_column(BigInteger)  # the member's /appeal
    decision: Mapped[str | None] = mapped_column(String(16))  # granted | denied
    decided_by: Mapped[int | None] = mapped_column(BigInteger)
    decided_at: Mapped[utc_or_none]


class ClosedMonth(Base):  # a ledger month finance has closed: its fines no longer change
    __tablename__ = "closed_months"
    month: Mapped[str] = mapped_column(String(7), primary_key=True)
    closed_at: Mapped[utc]


class Reminder(Base):
    __tablename__ = "reminders"
    __table_args__ = (UniqueConstraint("chat_id", "message_id", "step"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    chat_id: Mapped[chat_id]
    message_id: Mapped[int] = mapped_column(BigInteger)
    step: Mapped[str] = mapped_column(String(32))
    to: Mapped[str] = mapped_column(String(8))
    user_ids: Mapped[str] = mapped_column(Text)  # comma-separated
    due_at: Mapped[utc]


class Outbox(Base):
    """A message to send. Written in the same transaction as the change that caused it."""

    __tablename__ = "outbox"
    __table_args__ = (
        Index("ix_outbox_status", "status", "id"),
        # the head of each chat's queue (OutboxStore.heads): only rows still to send
        Index(
            "ix_outbox_pending_chat",
            "target_chat_id",
            "id",
            sqlite_where=sql_text("status = 'pending'"),
            postgresql_where=sql_text("status = 'pending'"),
        ),
        # a newer edit of the same status board waiting (OutboxStore.superseded)
        Index(
            "ix_outbox_pending_edits",
            "source_chat_id",
            "reply_to_message_id",
            "id",
            sqlite_where=sql_text("status = 'pending' AND kind = 'status_edit'"),
            postgresql_where=sql_text("status = 'pending' AND kind = 'status_edit'"),
        ),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    dedupe_key: Mapped[str] = mapped_column(String(128), unique=True)
    source_chat_id: Mapped[chat_id]
    target_chat_id: Mapped[chat_id]
    reply_to_message_id: Mapped[int | None] = mapped_column(BigInteger)
    kind: Mapped[str] = mapped_column(String(32))
    text: Mapped[str] = mapped_column(Text)
    mention_user_ids: Mapped[str] = mapped_column(Text, default="")  # comma-separated
    status: Mapped[str] = mapped_column(String(16))  # pending | sent | failed | replayed
    created_at: Mapped[utc]
    attempts: Mapped[int] = mapped_column(default=0)
    claimed_until: Mapped[utc_or_none]
    sent_at: Mapped[utc_or_none]
    sent_message_id: Mapped[int | None] = mapped_column(BigInteger)
    error: Mapped[str | None] = mapped_column(Text)
    attachment: Mapped[str | None] = mapped_column(Text)  # JSON: a photo or file to render
    buttons: Mapped[str | None] = mapped_column(Text)  # JSON: [[label, callback data], …] rows
