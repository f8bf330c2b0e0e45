"""The sender draws the weekly chart when it sends it: a good attachment goes out as a photo
with its caption; one that cannot be drawn is failed with the reason, not retried forever."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select
from telegram.ext import Application

from tests.fakes.bot_api import FakeBotApi
from tracker.adapters.db import orm
from tracker.adapters.db.engine import make_engine, migrate
from tracker.adapters.db.outbox_store import OutboxStore
from tracker.adapters.files.chart_data import chart_attachment
from tracker.adapters.telegram.sender import OutboxSender
from tracker.domain.stats import WeekPoint

CHAT = -1001987654321
NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)


@pytest.fixture
async def bot():
    async with FakeBotApi() as fake:
        fake.add_chat(CHAT, "销售部工作群")
        app = Application.builder().token(fake.token).base_url(fake.base_url).build()
        await app.initialize()
        yield fake, app.bot
        await app.shutdown()


def chart_row(engine, key: str, attachment: str) -> None:
    with engine.begin() as conn:
        conn.execute(
            orm.Outbox.__table__.insert().values(
                dedupe_key=key,
                source_chat_id=CHAT,
                target_chat_id=CHAT,
                kind="chart",
                text="📈 销售部工作群 近 8 周：按时确认率 80%→90%",
                status="pending",
                created_at=NOW,
                attachment=attachment,
            )
        )


async def test_a_chart_goes_out_as_a_photo_and_a_broken_one_is_failed(bot, tmp_path):
    fake, telegram_bot = bot
    engine = make_engine(f"sqlite:///{tmp_path / 'tracker.db'}")
    migrate(engine)
    points = [
        WeekPoint(date(2026, 11, 9), 10, 10, 8, timedelta(minutes=6)),
        WeekPoint(date(2026, 11, 16), 10, 10, 9, timedelta(minutes=4)),
    ]
    chart_row(engine, "digest:1:chart", chart_attachment("销售部工作群 近 8 周回复情况", points))
    chart_row(engine, "digest:2:chart", "{not json")
    sender = OutboxSender(OutboxStore(engine), telegram_bot, lambda: NOW, lambda c, u: None)

    assert await sender.drain() == 1
    photos = fake.succeeded("sendPhoto", chat_id=CHAT)
    assert len(photos) == 1 and photos[0]["caption"].startswith("📈 销售部工作群")
    with engine.connect() as conn:
        rows = conn.execute(
            select(orm.Outbox.dedupe_key, orm.Outbox.status, orm.Outbox.error).order_by(
                orm.Outbox.id
            )
        ).all()
    assert [(k, s) for k, s, _ in rows] == [
        ("digest:1:chart", "sent"),
        ("digest:2:chart", "failed"),
    ]
    assert rows[1].error.startswith("chart: JSONDecodeError")
