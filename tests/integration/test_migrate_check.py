"""migrate() on a database already at the newest revision: one query, no Alembic import."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from alembic.config import Config as AlembicConfig
from alembic.script import ScriptDirectory
from sqlalchemy import text

from tests.support import db_url, one_revision_behind, pg_url  # noqa: F401  (fixtures)
from tracker.adapters.db import schema
from tracker.adapters.db.engine import make_engine, migrate

ROOT = Path(__file__).resolve().parents[2]
PROBE = """
import sys
from tracker.adapters.db.engine import make_engine, migrate
migrate(make_engine(sys.argv[1]))
print("alembic" in sys.modules, any(m.startswith("alembic.") for m in sys.modules))
"""


def probe(url: str) -> str:
    result = subprocess.run(
        [sys.executable, "-c", PROBE, url], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_head_is_the_newest_migration():
    cfg = AlembicConfig()
    cfg.set_main_option("script_location", schema.MIGRATIONS)
    assert ScriptDirectory.from_config(cfg).get_current_head() == schema.HEAD


def test_migrate_imports_alembic_only_when_the_schema_is_behind(db_url):  # noqa: F811
    assert probe(db_url) == "True True"  # an empty database: Alembic builds the schema
    assert probe(db_url) == "False False"  # at the newest revision: one query
    engine = make_engine(db_url)
    one_revision_behind(engine)
    assert probe(db_url) == "True True"  # one revision behind: upgraded
    with engine.connect() as conn:
        assert schema.is_current(conn)
    engine.dispose()


def test_migrate_analyzes_postgresql_tables(pg_url):  # noqa: F811
    engine = make_engine(pg_url)
    migrate(engine)
    with engine.connect() as conn:
        never = conn.execute(
            text(
                "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE n.nspname = current_schema() AND c.relkind = 'r' AND c.reltuples < 0 "
                "AND c.relname <> 'alembic_version'"
            )
        ).scalar()
    assert never == 0  # every table analyzed (reltuples -1 means never)
    engine.dispose()


def test_boards_waiting_from_before_stored_buttons_get_them(db_url):  # noqa: F811
    """0010: the sender decides by the row, not by the text, so a board written before buttons
    were stored (pending or failed) gets the 收到 button, a cancelled one none; sent rows and
    rows of other kinds stay as they were."""
    from tracker.adapters.db.engine import ddl_transaction

    engine = make_engine(db_url)
    with engine.connect() as conn, ddl_transaction(conn):
        schema.upgrade(conn, "0009")
    columns = (
        "dedupe_key, source_chat_id, target_chat_id, reply_to_message_id, kind, text, "
        "mention_user_ids, status, created_at, attempts"
    )
    rows = [
        ("open", 7, "status", "📋 任务（#7）…", "pending"),
        ("edit", 7, "status_edit", "📋 任务（#7）已全部收到", "failed"),
        ("cancelled", 8, "status_edit", "📋 任务已取消。", "pending"),
        ("sent", 9, "status", "📋 任务（#9）…", "sent"),
        ("reminder", 7, "reminder", "请尽快回复", "pending"),
    ]
    with engine.begin() as conn:
        for key, reply_to, kind, body, status in rows:
            conn.execute(
                text(
                    f"INSERT INTO outbox ({columns}) VALUES (:key, -1001, -1001, :reply_to, "
                    ":kind, :body, '', :status, '2026-11-23 02:00:00', 0)"
                ),
                {"key": key, "reply_to": reply_to, "kind": kind, "body": body, "status": status},
            )
    migrate(engine)
    with engine.connect() as conn:
        found = dict(conn.execute(text("SELECT dedupe_key, buttons FROM outbox")).all())
    engine.dispose()
    assert found == {
        "open": '[["收到", "ack:7"]]',
        "edit": '[["收到", "ack:7"]]',
        "cancelled": "[]",
        "sent": None,
        "reminder": None,
    }
