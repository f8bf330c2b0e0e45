"""Database fixtures for tests: services and URLs on a real SQLite file or a PostgreSQL schema,
and the triggers that make an outbox insert fail."""

from __future__ import annotations

import os
import uuid

import pytest
from sqlalchemy import text

from tests.builders import FixedDeadlines, settings
from tracker.adapters.db.engine import make_engine, migrate
from tracker.adapters.db.repository import Repository
from tracker.adapters.db.unit_of_work import BatchingUnitOfWork, SqlUnitOfWork
from tracker.domain.engine import Engine
from tracker.domain.rules import ChatSettings
from tracker.services.tracker import TrackerService


def new_service(
    url: str, chat: ChatSettings | None = None, outbox_status="pending", batching: bool = False
):
    """A service on a migrated database: a transaction per use case (the live bot's unit of
    work), or with `batching` one per `service.uow.flush()` (the replay's)."""
    chat = chat or settings()
    engine = make_engine(url)
    migrate(engine)

    def find(chat_id: int):
        return chat if chat_id == chat.chat_id else None

    uow = BatchingUnitOfWork(engine) if batching else SqlUnitOfWork(engine)
    service = TrackerService(
        find, Repository(engine), uow, Engine(FixedDeadlines()), outbox_status
    )
    return service, engine


@pytest.fixture
def sqlite_url(tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'tracker.db'}"


def postgres_url() -> str | None:
    return os.environ.get("TRACKER_TEST_DATABASE_URL")


@pytest.fixture
def pg_url():
    """A fresh schema in the PostgreSQL test database, dropped afterwards."""
    base = postgres_url()
    if not base:
        if os.environ.get("TRACKER_REQUIRE_POSTGRES"):
            pytest.fail("TRACKER_TEST_DATABASE_URL is required here")
        pytest.skip("TRACKER_TEST_DATABASE_URL is not set")
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = make_engine(base)
    with admin.begin() as conn:
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    sep = "&" if "?" in base else "?"
    yield f"{base}{sep}options=-csearch_path%3D{schema}"
    with admin.begin() as conn:
        conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
    admin.dispose()


@pytest.fixture(params=["sqlite", "postgres"])
def db_url(request, tmp_path):
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'tracker.db'}"
    return request.getfixturevalue("pg_url")


# A trigger that makes every outbox insert fail: proves a change and its messages commit together.
REFUSE_OUTBOX = {
    "sqlite": [
        "CREATE TRIGGER refuse_outbox BEFORE INSERT ON outbox "
        "BEGIN SELECT RAISE(ABORT, 'outbox refused'); END"
    ],
    "postgresql": [
        "CREATE FUNCTION refuse_outbox() RETURNS trigger LANGUAGE plpgsql AS "
        "$$ BEGIN RAISE EXCEPTION 'outbox refused'; END $$",
        "CREATE TRIGGER refuse_outbox BEFORE INSERT ON outbox "
        "FOR EACH ROW EXECUTE FUNCTION refuse_outbox()",
    ],
}
ALLOW_OUTBOX = {
    "sqlite": ["DROP TRIGGER refuse_outbox"],
    "postgresql": ["DROP TRIGGER refuse_outbox ON outbox", "DROP FUNCTION refuse_outbox()"],
}


def run_sql(engine, statements: list[str]) -> None:
    with engine.begin() as conn:
        for sql in statements:
            conn.exec_driver_sql(sql)


def one_revision_behind(engine) -> None:
    """Take a migrated database back to the revision before HEAD (`alembic downgrade -1`),
    as a database is after the code was upgraded."""
    from alembic import command
    from alembic.config import Config as AlembicConfig

    from tracker.adapters.db import schema
    from tracker.adapters.db.engine import ddl_transaction

    cfg = AlembicConfig()
    cfg.set_main_option("script_location", schema.MIGRATIONS)
    with engine.connect() as conn, ddl_transaction(conn):
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "-1")
