"""Database engine: URL handling, SQLite pragmas (WAL), migrations applied on start, and
read snapshots."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Connection, Engine, create_engine, event, make_url
from sqlalchemy.exc import ArgumentError, OperationalError
from sqlalchemy.exc import DatabaseError as SADatabaseError

from tracker.adapters.db import schema
from tracker.adapters.db.writer_lock import WriterLock
from tracker.errors import DatabaseError

DEFAULT_URL = "sqlite:///tracker.db"
MIGRATIONS = schema.MIGRATIONS


def make_engine(url: str | None, manual_checkpoints: bool = False) -> Engine:
    """`manual_checkpoints`: SQLite never checkpoints its WAL inside a commit; the caller runs
    `checkpoint` off the update path instead (the live bot does, in a thread)."""
    url = url or DEFAULT_URL
    if url.startswith("postgres://"):
        url = "postgresql://" + url.removeprefix("postgres://")
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    try:
        engine = create_engine(url)
    except (ArgumentError, ModuleNotFoundError) as exc:
        raise DatabaseError(f"database URL {url!r} is not usable: {exc}") from None
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
        if manual_checkpoints:
            event.listen(engine, "connect", _no_autocheckpoint)
    return engine


def missing_sqlite_file(url: str | None) -> str | None:
    """The path of the SQLite file `url` names when that file does not exist (None otherwise,
    and for other databases and in-memory SQLite)."""
    try:
        parsed = make_url(url or DEFAULT_URL)
    except ArgumentError:
        return None  # make_engine says what is wrong with it
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return None if Path(parsed.database).exists() else parsed.database


def checkpoint(engine: Engine) -> None:
    """Copy the WAL back into the database without waiting for readers or writers."""
    if engine.dialect.name == "sqlite":
        with engine.connect() as connection:
            connection.exec_driver_sql("PRAGMA wal_checkpoint(PASSIVE)")


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


def _no_autocheckpoint(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA wal_autocheckpoint=0")
    cursor.close()


def migrate(engine: Engine, wait: float | None = None) -> None:
    """Bring the schema to the newest revision (idempotent). A database already there costs one
    query, no lock and no Alembic import. Otherwise the upgrade runs under the writer lock
    (waiting up to `wait` seconds for it; a process that holds it already goes on) and in one
    transaction, on SQLite too: a process killed in the middle leaves the database at the
    revision it started from, and the next start does it all again. After migrations
    PostgreSQL's tables are analyzed."""
    try:
        with engine.connect() as connection:
            if schema.is_current(connection):
                return
        with (
            WriterLock(engine, wait=wait),
            engine.connect() as connection,
            ddl_transaction(connection),
        ):
            if not schema.is_current(connection):  # not done while this one waited
                schema.upgrade(connection)
                schema.analyze(connection)
    except (OperationalError, SADatabaseError) as exc:
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
        raise DatabaseError(f"database {engine.url!r}: {reason}") from None


@contextmanager
def ddl_transaction(connection: Connection) -> Iterator[None]:
    """One transaction that DDL takes part in, committed at the end, rolled back on error.

    PostgreSQL's DDL is transactional as it is. pysqlite's is not: it opens a transaction only
    before INSERT/UPDATE/DELETE, so Alembic's CREATE TABLE and the batch table copies of a
    SQLite upgrade each committed on their own, and a process killed in between left a half-built
    schema (`table chats already exists`, `_alembic_tmp_fines`). SQLAlchemy's recipe for
    pysqlite applies here, on this connection only: the driver's own transaction handling off
    (`isolation_level = None`) and BEGIN emitted by us, IMMEDIATE to take SQLite's write lock at
    once; the driver's commit and rollback end whatever transaction is open. The other
    connections keep the driver's default: made general, a transaction that reads before it
    writes would start as a reader and could not become a writer once another connection had
    committed (SQLITE_BUSY_SNAPSHOT, no waiting), e.g. `fines mark-paid` beside the bot."""
    if connection.dialect.name != "sqlite":
        with connection.begin():
            yield
        return
    raw = connection.connection.driver_connection
    before = raw.isolation_level
    raw.isolation_level = None
    try:
        with connection.begin():
            connection.exec_driver_sql("BEGIN IMMEDIATE")
            yield
    finally:
        raw.isolation_level = before


def begin_snapshot(connection: Connection) -> Connection:
    """Make the reads on `connection`, from its first to its close, one consistent snapshot:
    REPEATABLE READ on PostgreSQL; on SQLite (WAL) an explicit read transaction, which pysqlite
    would not open for SELECTs. Call it before the connection's first statement."""
    if connection.dialect.name == "sqlite":
        connection.exec_driver_sql("BEGIN")
    else:
        connection.execution_options(isolation_level="REPEATABLE READ")
    return connection
