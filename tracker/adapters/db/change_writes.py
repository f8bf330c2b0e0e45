"""Writes a change buffer (`changes.Changes`) in the caller's transaction, with executemany.

Chat state first, then the directives and what changed in them, then the ledger, reminders and
outbox rows. Inserts on idempotency keys do nothing on conflict: a fine, a reminder or an outbox
row that is already there is already done; an assignment is updated only from the status this
process loaded (`StaleState` otherwise).
"""

from __future__ import annotations

import functools

from sqlalchemy import Connection, bindparam, func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.sql import Executable

from tracker.adapters.db import orm
from tracker.adapters.db.bulk import execute_many
from tracker.adapters.db.changes import Changes
from tracker.domain.model import Directive
from tracker.domain.periods import first_open

_A, _D = orm.Assignment.__table__, orm.Directive.__table__
_MEMBER = ("name", "username", "left_chat")


def write_changes(conn: Connection, changes: Changes) -> None:
    ignore = _insert_ignoring(conn.dialect.name)
    _write_chats(conn, changes, _upserts(conn.dialect.name))
    _write_directives(conn, changes, ignore)
    if changes.fines:
        _into_open_months(conn, changes.fines)
    for table, rows in (
        (orm.Fine, changes.fines),
        (orm.Reminder, changes.reminders),
        (orm.Outbox, changes.outbox),
    ):
        if rows:
            execute_many(conn, ignore[table.__tablename__], rows)


def _write_chats(conn: Connection, changes: Changes, upsert: dict[str, Executable]) -> None:
    """Chats' watermarks, members, the last update seen and the heartbeat."""
    if changes.chats:
        rows = [
            {
                "id": c.chat_id,
                "title": c.settings.name,
                "last_message_id": c.last_message_id,
                "ticked_until": c.ticked_until,
                "digest_through": c.digest_through,
            }
            for c in changes.chats.values()
        ]
        conn.execute(upsert["chats"], rows)
    if changes.members:
        conn.execute(upsert["members"], list(changes.members.values()))
    if changes.last_update_id is not None:
        conn.execute(
            upsert["bot_state"], {"name": "last_update_id", "value": changes.last_update_id}
        )
    if changes.heartbeat is not None:
        conn.execute(upsert["heartbeat"], {"name": "live", "at": changes.heartbeat})
    for table in ("leaves", "warnings", "removals"):
        if rows := getattr(changes, table):
            conn.execute(upsert[table], list(rows.values()))


def _write_directives(conn: Connection, changes: Changes, ignore: dict[str, Executable]) -> None:
    """New directives with their assignments, then the changes to those already stored
    (each assignment update conditional on the status this process loaded)."""
    if changes.new_directives:
        directives = list(changes.new_directives.values())
        execute_many(conn, ignore[_D.name], [_directive_row(d) for d in directives])
        rows = [_assignment_row(d, a) for d in directives for a in d.assignments.values()]
        if rows:
            execute_many(conn, ignore[_A.name], rows)
    if changes.new_assignments:  # members an edit added to a stored directive
        rows = [_assignment_row(d, a) for d, a in changes.new_assignments.values()]
        execute_many(conn, ignore[_A.name], rows)
    if changes.dirty_assignments:
        execute_many(
            conn,
            _UPDATE_ASSIGNMENT,
            [
                {
                    **_assignment_row(d, a),
                    "k_chat": d.chat_id,
                    "k_msg": d.message_id,
                    "k_user": a.user_id,
                    "k_status": a.stored_status.value if a.stored_status else a.status.value,
                }
                for d, a in changes.dirty_assignments.values()
            ],
            expect_all=True,
        )
    if changes.dirty_directives:
        execute_many(
            conn,
            _UPDATE_DIRECTIVE,
            [
                {
                    "k_chat": d.chat_id,
                    "k_msg": d.message_id,
                    "cancelled": d.cancelled,
                    "cancelled_at": d.cancelled_at,
                    "open": d.open,
                    "text": d.text,
                    "done_due_at": d.done_due_at,
                    "deadline_phrase": d.deadline_phrase,
                }
                for d in changes.dirty_directives.values()
            ],
        )


def insert_outbox(conn: Connection, rows: list[dict]) -> None:
    """Outbox rows written by deferred work; a row already there is already done."""
    if rows:
        conn.execute(_insert_ignoring(conn.dialect.name)[orm.Outbox.__tablename__], rows)


def _into_open_months(conn: Connection, fines: list[dict]) -> None:
    """A fine due in a month finance has closed counts in the first open month after it."""
    closed = set(conn.execute(select(orm.ClosedMonth.month)).scalars())
    if closed:
        for row in fines:
            row["period"] = first_open(row["period"], closed)


@functools.cache
def _insert_ignoring(dialect: str) -> dict[str, Executable]:
    """INSERT ... ON CONFLICT DO NOTHING per table, built once per dialect."""
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    tables = (_D, _A, orm.Fine.__table__, orm.Reminder.__table__, orm.Outbox.__table__)
    return {t.name: insert(t).on_conflict_do_nothing() for t in tables}


@functools.cache
def _upserts(dialect: str) -> dict[str, Executable]:
    """INSERT ... ON CONFLICT DO UPDATE, built once per dialect (about 200 µs a commit else)."""
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    # SQLite's max() of two arguments is PostgreSQL's greatest()
    greatest = func.greatest if dialect == "postgresql" else func.max

    def upsert(table, keys: list[str], columns=(), rising=(), kept=()) -> Executable:
        stmt = insert(table)
        set_ = {k: stmt.excluded[k] for k in columns}
        for k in rising:  # never lower than what is stored (the larger of the two)
            set_[k] = greatest(table.c[k], stmt.excluded[k])
        for k in kept:  # once set, never unset (a warning written again stays revoked)
            set_[k] = func.coalesce(stmt.excluded[k], table.c[k])
        return stmt.on_conflict_do_update(index_elements=keys, set_=set_)

    return {
        # The message watermark only moves forwards: a process holding an older state (a
        # replay behind the bot, say) must not make the next start see old messages as new.
        "chats": upsert(
            orm.Chat.__table__,
            ["id"],
            ("title", "ticked_until", "digest_through"),
            rising=("last_message_id",),
        ),
        "members": upsert(  # once registered (/name), a member stays so
            orm.Member.__table__, ["chat_id", "user_id"], _MEMBER, rising=("registered",)
        ),
        "bot_state": upsert(orm.BotState.__table__, ["name"], ("value",)),
        "heartbeat": upsert(orm.Heartbeat.__table__, ["name"], ("at",)),
        "leaves": upsert(
            orm.Leave.__table__,
            ["chat_id", "request_id", "user_id"],
            ("status", "decided_by", "decided_at"),
        ),
        "warnings": upsert(
            orm.WarningRecord.__table__,
            ["chat_id", "message_id", "user_id", "rule"],
            kept=("revoked_at", "revoked_by"),
        ),
        "removals": upsert(
            orm.RemovalRecord.__table__,
            ["chat_id", "proposal_id", "user_id"],
            ("status", "confirmed_by", "decided_by", "decided_at"),
        ),
    }


_UPDATE_ASSIGNMENT = (
    _A.update()
    .where(
        _A.c.chat_id == bindparam("k_chat"),
        _A.c.message_id == bindparam("k_msg"),
        _A.c.user_id == bindparam("k_user"),
        _A.c.status == bindparam("k_status"),  # what this process last knew: no stale write
    )
    .values(
        status=bindparam("status"),
        acked_at=bindparam("acked_at"),
        ack_message_id=bindparam("ack_message_id"),
        done_at=bindparam("done_at"),
        ack_review=bindparam("ack_review"),
        ack_text=bindparam("ack_text"),
        reviewed_by=bindparam("reviewed_by"),
        reviewed_at=bindparam("reviewed_at"),
        done_due_at=bindparam("done_due_at"),
        left_at=bindparam("left_at"),
        ack_from=bindparam("ack_from"),
        ack_until=bindparam("ack_until"),
    )
)
_UPDATE_DIRECTIVE = (
    _D.update()
    .where(_D.c.chat_id == bindparam("k_chat"), _D.c.message_id == bindparam("k_msg"))
    .values(
        cancelled=bindparam("cancelled"),
        cancelled_at=bindparam("cancelled_at"),
        open=bindparam("open"),
        text=bindparam("text"),  # an edit's (live)
        done_due_at=bindparam("done_due_at"),
        deadline_phrase=bindparam("deadline_phrase"),
    )
)


def _directive_row(d: Directive) -> dict:
    return {
        "chat_id": d.chat_id,
        "message_id": d.message_id,
        "kind": d.kind.value,
        "author_id": d.author_id,
        "text": d.text,
        "created_at": d.created_at,
        "ack_due_at": d.ack_due_at,
        "done_due_at": d.done_due_at,
        "deadline_phrase": d.deadline_phrase,
        "cancelled": d.cancelled,
        "cancelled_at": d.cancelled_at,
        "open": d.open,
        "unresolved_mentions": "\n".join(d.unresolved_mentions),
    }


def _assignment_row(d: Directive, a) -> dict:
    return {
        "chat_id": d.chat_id,
        "message_id": d.message_id,
        "user_id": a.user_id,
        "name": a.name,
        "status": a.status.value,
        "acked_at": a.acked_at,
        "ack_message_id": a.ack_message_id,
        "done_at": a.done_at,
        "ack_review": a.ack_review,
        "ack_text": a.ack_text,
        "reviewed_by": a.reviewed_by,
        "reviewed_at": a.reviewed_at,
        "done_due_at": a.done_due_at,
        "left_at": a.left_at,
        "ack_from": a.ack_from,
        "ack_until": a.ack_until,
    }
