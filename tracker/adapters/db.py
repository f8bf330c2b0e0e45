"""Database engine: URL handling, SQLite pragmas (WAL), and migrations applied on start."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config as AlembicConfig
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.exc import ArgumentError, OperationalError
from sqlalchemy.exc import DatabaseError as SADatabaseError

from tracker.errors import DatabaseError

DEFAULT_URL = "sqlite:///tracker.db"
MIGRATIONS = str(Path(__file__).resolve().parent.parent / "migrations")


def make_engine(url: str | None) -> Engine:
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
    return engine


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest revision (idempotent)."""
    cfg = AlembicConfig()
    cfg.set_main_option("script_location", MIGRATIONS)
    try:
        with engine.begin() as connection:
            cfg.attributes["connection"] = connection
            command.upgrade(cfg, "head")
    except (OperationalError, SADatabaseError) as exc:
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
        raise DatabaseError(f"database {engine.url!r}: {reason}") from None
