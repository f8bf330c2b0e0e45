"""The schema's revision and the planner's statistics.

A database already at `HEAD` is recognised by one query on `alembic_version`, without importing
Alembic (2 ms instead of 80 ms at each start); anything else goes through `alembic upgrade head`.
On PostgreSQL the tables are analyzed after migrations, and `analyze` refreshes the statistics
while a long replay fills them: the planner then plans on the tables as they are, not as they
were when empty (see docs/performance.md).
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Connection, inspect, text

from tracker.adapters.db import orm

HEAD = "0016"  # the newest file in migrations/versions (a test keeps the two equal)
MIGRATIONS = str(Path(__file__).resolve().parent / "migrations")


def is_current(conn: Connection) -> bool:
    """True when the database is at HEAD."""
    if not inspect(conn).has_table("alembic_version"):
        return False
    return conn.execute(text("SELECT version_num FROM alembic_version")).all() == [(HEAD,)]


def upgrade(conn: Connection, target: str = "head") -> None:
    """`alembic upgrade head` (or to `target`) on the caller's connection and transaction:
    every revision in it, or none (see `db.ddl_transaction`)."""
    from alembic import command
    from alembic.config import Config as AlembicConfig

    cfg = AlembicConfig()
    cfg.set_main_option("script_location", MIGRATIONS)
    cfg.attributes["connection"] = conn
    command.upgrade(cfg, target)


def analyze(conn: Connection) -> None:
    """ANALYZE the project's tables on PostgreSQL (its autovacuum may be off, or behind a
    replay); nothing on SQLite, whose planner needs no statistics for these queries."""
    if conn.dialect.name != "postgresql":
        return
    names = ", ".join(conn.dialect.identifier_preparer.quote(t.name) for t in _TABLES)
    conn.exec_driver_sql(f"ANALYZE {names}")


_TABLES = orm.Base.metadata.sorted_tables
