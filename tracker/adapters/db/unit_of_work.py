"""The `UnitOfWork` port on SQL: one database transaction per `commit()`.

`SqlUnitOfWork` is the live bot's: every use case's commit is a transaction. `BatchingUnitOfWork`
is the replay's: a use case's commit keeps its work, and `flush()` writes everything kept in one
transaction (thousands of messages a commit; the changes are coalesced, `changes.Changes`).
Either way the state, the ledger and the outbox rows of the work go in together or not at all.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError, IntegrityError

from tracker.adapters.db.change_writes import write_changes
from tracker.adapters.db.changes import Changes
from tracker.adapters.db.sql_ledger import SqlLedger
from tracker.domain.chat_state import ChatState
from tracker.domain.events import DomainEvent
from tracker.errors import DatabaseError, StaleState
from tracker.services.ports import Deferred


class SqlUnitOfWork:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.changes = Changes()

    def __enter__(self) -> SqlUnitOfWork:
        self.changes = Changes()
        return self

    def __exit__(self, *exc) -> None:
        self.changes = Changes()  # what was not committed is dropped

    def __bool__(self) -> bool:
        return bool(self.changes)

    @property
    def heartbeat(self) -> datetime | None:
        return self.changes.heartbeat

    @heartbeat.setter
    def heartbeat(self, at: datetime | None) -> None:
        self.changes.heartbeat = at

    @property
    def last_update_id(self) -> int | None:
        return self.changes.last_update_id

    @last_update_id.setter
    def last_update_id(self, update_id: int | None) -> None:
        self.changes.last_update_id = update_id

    def touch(self, chat: ChatState) -> None:
        self.changes.touch(chat)

    def record(self, events: list[DomainEvent]) -> None:
        self.changes.record(events)

    def add_outbox(self, row: dict) -> None:
        self.changes.add_outbox(row)

    def defer(self, work: Deferred) -> None:
        self.changes.defer(work)

    def commit(self) -> None:
        changes, self.changes = self.changes, Changes()
        write(self.engine, changes)

    def flush(self) -> None:
        return None  # every commit was written


class BatchingUnitOfWork(SqlUnitOfWork):
    """A use case's commit keeps its work for the next `flush()`."""

    def __enter__(self) -> BatchingUnitOfWork:
        return self

    def __exit__(self, exc_type, *exc) -> None:
        if exc_type is not None:
            self.changes = Changes()

    def commit(self) -> None:
        return None

    def flush(self) -> None:
        SqlUnitOfWork.commit(self)


def write(engine: Engine, changes: Changes) -> None:
    """One transaction: the changes, then the deferred work on the same connection."""
    if not changes:
        return
    try:
        with engine.begin() as conn:
            write_changes(conn, changes)
            if changes.deferred:
                ledger = SqlLedger(conn)
                for work in changes.deferred:
                    work(ledger)
    except StaleState:
        raise
    except IntegrityError as exc:
        raise DatabaseError(f"database refused a write: {_first_line(exc)}") from None
    except DBAPIError as exc:
        raise DatabaseError(f"database {engine.url!r}: {_first_line(exc)}") from None
    changes.stored()


def _first_line(exc: DBAPIError) -> str:
    return str(exc.orig or exc).strip().splitlines()[0]
