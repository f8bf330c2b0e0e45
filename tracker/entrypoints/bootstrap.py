"""The only wiring: database, migrations, engine, service, and the live Telegram application.

This is also the only place that reads the wall clock.
"""

from __future__ import annotations

import os
import weakref
from datetime import UTC, datetime, timedelta

from tracker.adapters.db.engine import checkpoint, make_engine, migrate
from tracker.adapters.db.repository import Repository
from tracker.adapters.db.unit_of_work import BatchingUnitOfWork, SqlUnitOfWork
from tracker.adapters.db.writer_lock import WriterLock
from tracker.config.loading import Config
from tracker.domain.deadlines.reader import read_deadline
from tracker.domain.engine import Engine
from tracker.services.tracker import PENDING, TrackerService


def wall_clock() -> datetime:
    return datetime.now(UTC)


def build_service(
    config: Config,
    db_url: str | None,
    outbox_status: str = PENDING,
    live: bool = False,
    digests: bool = True,
):
    """A service on a migrated database; returns (service, sqlalchemy engine).

    The service writes: it holds the database's writer lock from before the migrations until
    it is dropped (for `tracker run` and `tracker replay`, the process's life). Another process
    holding it makes this wait `TRACKER_LOCK_WAIT` seconds, then raise `DatabaseInUse`."""
    db = make_engine(db_url or config.database_url, manual_checkpoints=live)
    lock = WriterLock(db).acquire()
    try:
        migrate(db)
    except BaseException:
        lock.release()
        raise
    # live: a transaction per use case; replay: one per batch (`tracker.entrypoints.replay`)
    uow = SqlUnitOfWork(db) if live else BatchingUnitOfWork(db)
    service = TrackerService(
        config.find_chat if live else config.find_export_chat,
        Repository(db),
        uow,
        Engine(read_deadline),
        outbox_status=outbox_status,
        status_messages=live,
        digests=digests,
    )
    weakref.finalize(service, lock.release)
    return service, db


def build_application(
    config: Config,
    db_url: str | None,
    token: str,
    base_url: str | None = None,
    clock=wall_clock,
    lag: timedelta | None = None,
):
    """The python-telegram-bot Application with every handler wired to one service."""
    os.environ.setdefault("PTB_TIMEDELTA", "1")  # RetryAfter.retry_after as a timedelta
    from telegram import Update
    from telegram.ext import Application

    from tracker.adapters.db.fine_queries import FineQueries
    from tracker.adapters.db.outbox_store import OutboxStore
    from tracker.adapters.telegram.sender import OutboxSender
    from tracker.entrypoints.bot.appeal_commands import AppealCommands
    from tracker.entrypoints.bot.commands import COMMANDS, ChatCommands
    from tracker.entrypoints.bot.conduct_commands import ConductCommands
    from tracker.entrypoints.bot.handlers import LiveBot
    from tracker.entrypoints.bot.report_commands import ReportCommands
    from tracker.entrypoints.bot.routes import add_handlers

    service, db = build_service(config, db_url, live=True)

    def name_of(chat_id: int, user_id: int) -> str | None:
        state = service.engine.chats.get(chat_id)
        return None if state is None else state.roster.names.get(user_id)

    # No PTB rate limiter: the outbox sender paces every message (adapters/telegram/pacing.py).
    builder = Application.builder().token(token)
    if base_url:
        builder = builder.base_url(base_url).base_file_url(base_url.replace("/bot", "/file/bot"))
    live_holder: dict = {}

    async def post_init(app: Application) -> None:
        await app.bot.set_my_commands(COMMANDS)
        await live_holder["bot"].post_init(app)

    async def post_stop(app: Application) -> None:
        await live_holder["bot"].post_stop(app)

    app = builder.post_init(post_init).post_stop(post_stop).concurrent_updates(False).build()
    sender = OutboxSender(OutboxStore(db), app.bot, clock, name_of)
    live = LiveBot(
        service, sender, clock, config.defaults, config.chats, checkpoint=lambda: checkpoint(db)
    )
    if lag is not None:
        live.lag = lag
    live_holder["bot"] = live
    commands = ChatCommands(service, FineQueries(db), clock, live.answer)
    reports = ReportCommands(service, db, clock, config.chats, live.answer)
    add_handlers(app, live, commands, reports, AppealCommands(commands), ConductCommands(commands))
    return app, live, Update.ALL_TYPES
