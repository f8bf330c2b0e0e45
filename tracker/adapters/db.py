"""Database engine: URL handling, SQLite pragmas (WAL), and migrations applied on start."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine, create_engine, event, make_url
from sqlalchemy.exc import ArgumentError, OperationalError
from sqlalchemy.exc import DatabaseError as SADatabaseError

from tracker.adapters import schema
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


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest revision (idempotent). A database already there costs one
    query and no Alembic import; after migrations PostgreSQL's tables are analyzed."""
    try:
        with engine.begin() as connection:
            if not schema.is_current(connection):
                schema.upgrade(connection)
                schema.analyze(connection)
    except (OperationalError, SADatabaseError) as exc:
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
        raise DatabaseError(f"database {engine.url!r}: {reason}") from None
