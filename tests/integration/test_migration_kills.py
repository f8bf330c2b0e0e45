"""A process killed in the middle of a migration: killed after every statement of every
migration on SQLite, from an empty database and from revision 0005 with data in it. Each kill
leaves the database as it was (the upgrade is one transaction), and the next start completes it
with nothing lost. On PostgreSQL, whose DDL is transactional anyway, one kill mid-upgrade."""

from __future__ import annotations

import gc
import os
import shutil
import subprocess
import sys
from pathlib import Path

from sqlalchemy import event, text

from tests.support import pg_url  # noqa: F401  (fixture)
from tracker.adapters.db import schema
from tracker.adapters.db.engine import ddl_transaction, make_engine, migrate

ROOT = Path(__file__).resolve().parents[2]
KILLED = 9  # the exit status of a child killed at its statement


def sqlite_schema(path: Path) -> list[tuple]:
    """Every table, index and constraint as SQLite keeps it. A table that Alembic rebuilt lists
    its constraints in an order that varies from one process to the next (it keeps them in a
    set): each statement's lines are compared as a sorted list."""
    engine = make_engine(f"sqlite:///{path}")
    with engine.connect() as conn:
        rows = conn.exec_driver_sql(
            "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name"
        ).all()
    engine.dispose()
    return [
        (kind, name, table, sorted(line.strip().rstrip(",").strip() for line in sql.splitlines()))
        if sql
        else (kind, name, table, None)
        for kind, name, table, sql in rows
    ]


def statements_of_migrate(path: Path) -> int:
    """How many statements migrate() runs on this database (which it leaves at HEAD)."""
    engine = make_engine(f"sqlite:///{path}")
    count = 0

    def counted(*_args) -> None:
        nonlocal count
        count += 1

    event.listen(engine, "after_cursor_execute", counted)
    migrate(engine)
    engine.dispose()
    return count


def migrate_killed_at(path: Path, n: int) -> int:
    """migrate() in a child process that dies (os._exit, no cleanup of any kind) right after
    its n-th statement; returns the child's exit status."""
    pid = os.fork()
    if pid == 0:  # the child: never returns
        status = 1
        try:
            gc.freeze()  # the parent's objects are not the child's to finalize
            engine = make_engine(f"sqlite:///{path}")
            done = 0

            def maybe_die(*_args) -> None:
                nonlocal done
                done += 1
                if done == n:
                    os._exit(KILLED)

            event.listen(engine, "after_cursor_execute", maybe_die)
            migrate(engine)
            status = 0
        finally:
            os._exit(status)
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status)


def version(path: Path) -> list[tuple]:
    engine = make_engine(f"sqlite:///{path}")
    with engine.connect() as conn:
        if not conn.exec_driver_sql(
            "SELECT 1 FROM sqlite_master WHERE name = 'alembic_version'"
        ).first():
            return []
        rows = conn.exec_driver_sql("SELECT version_num FROM alembic_version").all()
    engine.dispose()
    return [tuple(r) for r in rows]


def test_a_kill_after_any_statement_of_the_first_start_leaves_nothing_and_recovers(tmp_path):
    clean = tmp_path / "clean.db"
    total = statements_of_migrate(clean)
    expected = sqlite_schema(clean)
    assert total > 50  # every migration from 0001 on, table copies included
    for n in range(1, total + 1):
        path = tmp_path / f"killed-{n}.db"
        assert migrate_killed_at(path, n) == KILLED, f"statement {n} of {total} was not reached"
        # all or nothing: the transaction died with the process
        assert sqlite_schema(path) == [], f"killed after statement {n}: a partial schema"
        migrate(engine := make_engine(f"sqlite:///{path}"))  # the next start
        engine.dispose()
        assert sqlite_schema(path) == expected, f"killed after statement {n}"
        for suffix in ("", "-wal", "-shm", ".lock"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)


# Rows at revision 0005, before 0006 rebuilds `fines` (and adds its ledger month).
ROWS_AT_0005 = [
    "INSERT INTO chats (id, title, last_message_id, ticked_until) "
    "VALUES (-1001, '销售部工作群', 42, '2026-11-23 02:00:00.000000')",
    "INSERT INTO directives (chat_id, message_id, kind, author_id, text, created_at, "
    "ack_due_at, cancelled, open, unresolved_mentions) VALUES (-1001, 7, 'task', 1001, "
    "'把报表发我', '2026-11-23 01:00:00.000000', '2026-11-23 01:30:00.000000', 0, 1, '')",
    "INSERT INTO assignments (chat_id, message_id, user_id, name, status) VALUES "
    "(-1001, 7, 1002, '销售部-张三', 'overdue'), (-1001, 7, 1003, '销售部-李四', 'overdue')",
    "INSERT INTO fines (chat_id, message_id, user_id, name, rule, sequence, amount_fen, "
    "currency, booked_at, status) VALUES "
    "(-1001, 7, 1002, '销售部-张三', 'no_ack', 0, 10000, 'CNY', "
    "'2026-11-30 16:30:00.000000', 'booked'), "
    "(-1001, 7, 1003, '销售部-李四', 'no_ack', 0, 10000, 'CNY', "
    "'2026-11-23 01:30:00.000000', 'waived')",
]
FINE_COLUMNS = "id, chat_id, message_id, user_id, name, rule, amount_fen, booked_at, status"


def rows(path: Path, sql: str) -> list[tuple]:
    engine = make_engine(f"sqlite:///{path}")
    with engine.connect() as conn:
        found = [tuple(r) for r in conn.exec_driver_sql(sql)]
    engine.dispose()
    return found


def at_0005_with_rows(path: Path) -> None:
    engine = make_engine(f"sqlite:///{path}")
    with engine.connect() as conn, ddl_transaction(conn):
        schema.upgrade(conn, "0005")
    with engine.begin() as conn:
        for sql in ROWS_AT_0005:
            conn.exec_driver_sql(sql)
    engine.dispose()  # the last connection folds the WAL back into the file


def test_a_kill_during_an_upgrade_from_0005_keeps_every_row_and_recovers(tmp_path):
    clean = tmp_path / "clean.db"
    statements_of_migrate(clean)
    expected = sqlite_schema(clean)
    template = tmp_path / "at-0005.db"
    at_0005_with_rows(template)
    before_schema = sqlite_schema(template)
    fines_before = rows(template, f"SELECT {FINE_COLUMNS} FROM fines ORDER BY id")
    assert len(fines_before) == 2 and not Path(f"{template}-wal").exists()
    probe = tmp_path / "probe.db"
    shutil.copy(template, probe)
    total = statements_of_migrate(probe)
    assert total > 20  # 0006 to HEAD
    for n in range(1, total + 1):
        path = tmp_path / f"killed-{n}.db"
        shutil.copy(template, path)
        assert migrate_killed_at(path, n) == KILLED, f"statement {n} of {total} was not reached"
        assert version(path) == [("0005",)], f"killed after statement {n}"
        assert sqlite_schema(path) == before_schema, f"killed after statement {n}"
        migrate(engine := make_engine(f"sqlite:///{path}"))
        engine.dispose()
        after = sqlite_schema(path)
        assert after == expected, f"killed after statement {n}"
        assert not [name for _, name, *_ in after if name.startswith("_alembic_tmp")]
        assert rows(path, f"SELECT {FINE_COLUMNS} FROM fines ORDER BY id") == fines_before
        # 0006 put each fine in its month, in Shanghai time: 16:30Z on 30 Nov is 1 Dec there
        assert rows(path, "SELECT period FROM fines ORDER BY id") == [("2026-12",), ("2026-11",)]
        assert rows(path, "SELECT id, last_message_id FROM chats") == [(-1001, 42)]
        assert len(rows(path, "SELECT * FROM assignments")) == 2
        for suffix in ("", "-wal", "-shm", ".lock"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)


KILL_MID_UPGRADE = """
import os, sys
from sqlalchemy import event
from tracker.adapters.db.engine import make_engine, migrate

engine = make_engine(sys.argv[1])

@event.listens_for(engine, "after_cursor_execute")
def die(conn, cursor, statement, *_):
    if statement.lstrip().upper().startswith("CREATE TABLE CLOSED_MONTHS"):  # in 0006
        os._exit(9)

migrate(engine)
"""


def test_postgresql_killed_mid_upgrade_stays_at_the_old_revision(pg_url):  # noqa: F811
    engine = make_engine(pg_url)
    with engine.connect() as conn, ddl_transaction(conn):
        schema.upgrade(conn, "0005")
    with engine.begin() as conn:
        for sql in ROWS_AT_0005:
            conn.exec_driver_sql(sql.replace(", 0, 1, ''", ", false, true, ''"))
    engine.dispose()
    killed = subprocess.run(
        [sys.executable, "-c", KILL_MID_UPGRADE, pg_url], cwd=ROOT, capture_output=True, timeout=60
    )
    assert killed.returncode == KILLED, killed.stderr
    with engine.connect() as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).all() == [("0005",)]
        tables = conn.execute(
            text(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = "
                "current_schema()"
            )
        ).scalars()
        assert "closed_months" not in set(tables)
        columns = set(
            conn.execute(
                text(
                    "SELECT column_name FROM information_schema.columns WHERE table_schema = "
                    "current_schema() AND table_name = 'fines'"
                )
            ).scalars()
        )
        assert "period" not in columns  # 0006's first change, made before the kill, is gone
    migrate(engine)  # the next start
    with engine.connect() as conn:
        assert schema.is_current(conn)
        assert conn.execute(
            text("SELECT user_id, amount_fen, status, period FROM fines ORDER BY id")
        ).all() == [(1002, 10000, "booked", "2026-12"), (1003, 10000, "waived", "2026-11")]
    engine.dispose()
