"""Shared test fixtures: a chat, a message builder, services on real SQLite or PostgreSQL."""

from __future__ import annotations

import os
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta

import pytest
from sqlalchemy import text

from tracker.adapters.db.engine import make_engine, migrate
from tracker.adapters.db.repository import Repository
from tracker.domain.engine import Engine
from tracker.domain.inbound import IncomingMessage, IncomingReaction, Mention
from tracker.domain.rules import ChatRules, ChatSettings, Member
from tracker.services.tracker import TrackerService

CHAT = -1001987654321
LEADER, ZHANG, LI, WANG = 1001, 1002, 1003, 1004
T0 = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)  # Monday 09:00 in Shanghai
NO_QUIET = (time(0, 0), time(0, 0))  # tests that run through the night post at once


def settings(rules: ChatRules | None = None) -> ChatSettings:
    return ChatSettings(
        chat_id=CHAT,
        name="销售部工作群",
        leaders=frozenset({LEADER}),
        members=(
            Member(ZHANG, "销售部-张三", "zhangsan"),
            Member(LI, "销售部-李四", "lisi"),
            Member(WANG, "销售部-王五", None),
        ),
        rules=rules or ChatRules(quiet_hours=NO_QUIET, digest=False),
    )


@dataclass
class Chat:
    """Builds messages for one chat with increasing ids; `minutes` are counted from T0."""

    chat_id: int = CHAT
    next_id: int = 1
    sent: list[IncomingMessage] = field(default_factory=list)

    def msg(self, sender: int, text: str, minutes: float = 0, **kw) -> IncomingMessage:
        mentions = kw.pop("mentions", None)
        if mentions is None:
            mentions = tuple(
                Mention(w, username=w[1:].lower()) for w in text.split() if w.startswith("@")
            )
        hashtags = tuple(w.lower() for w in text.split() if w.startswith("#"))
        commands = tuple(w.lower() for w in text.split() if w.startswith("/"))
        message = IncomingMessage(
            chat_id=self.chat_id,
            message_id=self.next_id,
            sender_id=sender,
            sender_name=None,
            at=T0 + timedelta(minutes=minutes),
            text=text,
            mentions=mentions,
            hashtags=hashtags,
            commands=commands,
            **kw,
        )
        self.next_id += 1
        self.sent.append(message)
        return message

    def reaction(self, user: int, message_id: int, emoji: str, minutes: float):
        return IncomingReaction(
            self.chat_id, message_id, user, emoji, T0 + timedelta(minutes=minutes)
        )


class FixedDeadlines:
    """Deadline reader for engine tests: "DUE+<minutes>" in the text sets the deadline."""

    @dataclass(frozen=True)
    class Reading:
        at: datetime
        phrase: str

    def __call__(self, text: str, now: datetime, **_):
        for word in text.split():
            if word.startswith("DUE+"):
                return self.Reading(now + timedelta(minutes=float(word[4:])), word)
        return None


def new_service(url: str, chat: ChatSettings | None = None, outbox_status="pending"):
    chat = chat or settings()
    engine = make_engine(url)
    migrate(engine)

    def find(chat_id: int):
        return chat if chat_id == chat.chat_id else None

    service = TrackerService(find, Repository(engine), Engine(FixedDeadlines()), outbox_status)
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
