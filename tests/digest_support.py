"""Helpers for the digest tests: a Monday of directives, outbox and watermark reads, the CLI."""

from __future__ import annotations

import subprocess
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import select

from tests.builders import LEADER, LI, NO_QUIET, T0, WANG, ZHANG, Chat, settings
from tests.cli_runner import run_tracker
from tracker.adapters.db import orm
from tracker.domain.inbound import Mention
from tracker.domain.rules import ChatRules, ChatSettings

ROOT = Path(__file__).resolve().parents[1]
SHANGHAI = ZoneInfo("Asia/Shanghai")
DEPUTY = 1009  # a second leader of the chat
DIGEST_KINDS = ("digest", "digest_leader", "chart")


def digest_chat(leaders=(LEADER, DEPUTY), **rules) -> ChatSettings:
    """The sales chat of tests/support.py with the digest on (and no quiet hours)."""
    chat = settings(ChatRules(quiet_hours=NO_QUIET, digest=True, **rules))
    return replace(chat, leaders=frozenset(leaders))


def local(day: date, hh: int, mm: int = 0) -> datetime:
    """A Shanghai wall-clock time as aware UTC."""
    return datetime.combine(day, time(hh, mm), tzinfo=SHANGHAI).astimezone(UTC)


MONDAY = date(2026, 11, 23)
SIX_PM = local(MONDAY, 18)


def monday(chat: Chat, days: int = 0):
    """A working day's messages (`days` after Monday 2026-11-23), as the engine reads them:
    09:00 a task for 张三 and 李四 due 13:00; 张三 acks at 09:05 (on time) and reports done at
    12:00; 李四 acks at 09:45 (late: a no-ack fine) and never finishes (an unresolved fine at
    13:00); 10:00 a task for 王五, who never acks (a no-ack fine at 10:30).

    At 18:00 李四 is past the deadline, 王五 never acknowledged; fines 250.00元."""
    m = days * 24 * 60
    first = chat.next_id
    return [
        chat.msg(LEADER, "@zhangsan @lisi 把报表发我 DUE+240 #任务", m + 0),
        chat.msg(ZHANG, "收到", m + 5),
        chat.msg(LI, "收到", m + 45),
        chat.msg(
            LEADER,
            "销售部-王五 把合同发我 #任务",
            m + 60,
            mentions=(Mention("销售部-王五", user_id=WANG),),
        ),
        chat.msg(ZHANG, "已完成", m + 180, reply_to=first),
    ]


def chatter(chat: Chat, at: datetime, text: str = "早上好", sender: int = ZHANG):
    """A plain message (no directive, no ack) at `at`: activity, nothing owed."""
    return chat.msg(sender, text, (at - T0) / timedelta(minutes=1))


def outbox(engine, kinds=DIGEST_KINDS) -> list:
    with engine.connect() as conn:
        return conn.execute(
            select(orm.Outbox.__table__)
            .where(orm.Outbox.kind.in_(kinds))
            .order_by(orm.Outbox.dedupe_key)
        ).all()


def digest_keys(engine) -> list[str]:
    return [row.dedupe_key for row in outbox(engine)]


def digest_days(engine) -> list[date]:
    """The days of the digests booked for the chat itself (not the leader copies)."""
    return [
        date.fromisoformat(r.dedupe_key.rsplit(":", 1)[1]) for r in outbox(engine, ("digest",))
    ]


def digest_through(engine, chat_id: int) -> date | None:
    with engine.connect() as conn:
        return conn.execute(
            select(orm.Chat.digest_through).where(orm.Chat.id == chat_id)
        ).scalar_one_or_none()


def run_cli(*args, timeout: float = 120) -> subprocess.CompletedProcess:
    """`python -m tracker ARGS` in a real process, from the project root."""
    return run_tracker(*args, timeout=timeout)


def days(first: date, last: date):
    day = first
    while day <= last:
        yield day
        day += timedelta(days=1)
