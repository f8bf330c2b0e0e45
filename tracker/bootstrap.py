"""The only wiring: database, migrations, engine, service."""

from __future__ import annotations

from tracker.adapters.db import make_engine, migrate
from tracker.adapters.repository import Repository
from tracker.config import Config
from tracker.domain.deadlines import read_deadline
from tracker.domain.engine import Engine
from tracker.services import PENDING, TrackerService


def build_service(config: Config, db_url: str | None, outbox_status: str = PENDING):
    """A service on a migrated database; returns (service, sqlalchemy engine)."""
    db = make_engine(db_url or config.database_url)
    migrate(db)
    service = TrackerService(
        config.find_chat, Repository(db), Engine(read_deadline), outbox_status=outbox_status
    )
    return service, db
