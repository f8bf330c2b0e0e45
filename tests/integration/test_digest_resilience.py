"""The digest keeps its schedule through trouble: a failed commit, a group that became a
supergroup, late-evening fines, and acks that came after the digest's instant."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import text

from tests.builders import CHAT, LEADER, Chat
from tests.digest_support import (
    MONDAY,
    SIX_PM,
    chatter,
    digest_chat,
    digest_days,
    local,
    monday,
)
from tests.support import ALLOW_OUTBOX, REFUSE_OUTBOX, new_service, run_sql
from tracker.adapters.db.sql_ledger import SqlLedger
from tracker.domain.outgoing import MessageKind
from tracker.errors import DatabaseError
from tracker.services import digests
from tracker.texts.digest import digest_text

TUESDAY = MONDAY + timedelta(days=1)


def start(url):
    service, engine = new_service(url, digest_chat(leaders=(LEADER,)))
    service.chat(CHAT)
    service.tick(local(MONDAY, 8))
    return service, engine


def test_a_failed_commit_keeps_the_alarm_armed_until_the_chats_are_back(db_url):
    service, engine = start(db_url)
    assert service.next_due() == SIX_PM
    run_sql(engine, REFUSE_OUTBOX[engine.dialect.name])
    with pytest.raises(DatabaseError):
        service.announce(CHAT, MessageKind.WELCOME, "欢迎", local(MONDAY, 8))
    run_sql(engine, ALLOW_OUTBOX[engine.dialect.name])
    # the chats are to be loaded again: the alarm asks for a tick at once, not never
    assert service.next_due() == local(MONDAY, 8)
    service.tick(local(MONDAY, 9))
    assert service.next_due() == SIX_PM


def test_a_fine_falling_due_after_the_digest_is_in_the_next_day_s(db_url):
    service, engine = start(db_url)
    chat = Chat()
    # 17:50 a task for 李四, who never answers: the no-ack fine falls due at 18:20
    service.handle_message(chat.msg(LEADER, "@lisi 报价单发我 #任务", minutes=8 * 60 + 50))
    service.tick(local(TUESDAY, 18, 1))
    settings = digest_chat(leaders=(LEADER,))
    with engine.connect() as conn:
        monday_text = digest_text(digests.collect(SqlLedger(conn), settings, MONDAY, SIX_PM))
        tuesday_text = digest_text(
            digests.collect(SqlLedger(conn), settings, TUESDAY, local(TUESDAY, 18))
        )
    assert "罚款" in monday_text and "💰" not in monday_text  # not yet at 18:00
    assert "💰 今日罚款 1 笔，共 100.00元：销售部-李四 100.00元（超时未确认）" in tuesday_text
    assert digest_days(engine) == [MONDAY, TUESDAY]


def test_the_weekly_chart_counts_acks_as_they_stood_at_the_digest(db_url):
    service, engine = start(db_url)
    chat = Chat()
    for message in monday(chat, days=-7):  # the Monday before: 16 November
        service.handle_message(message)
    settings = digest_chat(leaders=(LEADER,))
    before = MONDAY - timedelta(days=7)
    with engine.connect() as conn:
        early = digests.weekly_points(SqlLedger(conn), settings, MONDAY, local(before, 9, 10))
        later = digests.weekly_points(SqlLedger(conn), settings, MONDAY, SIX_PM)
    # at 09:10 on the 16th only 张三 had acknowledged (李四 at 09:45); by the 23rd both had
    assert (early[-1].received, early[-1].on_time) == (3, 1)
    assert early[-1].median_ack == timedelta(minutes=5)
    assert later[-1].median_ack == timedelta(minutes=25)  # 5 and 45 minutes


def test_a_configured_group_that_became_a_supergroup_gets_one_digest_a_day(db_url):
    service, engine = start(db_url)
    new_id = -1009999000111
    service.migrate_chat(CHAT, new_id)
    chat = Chat(chat_id=new_id)
    service.handle_message(chatter(chat, local(MONDAY, 10)))  # each day has a message
    engine.dispose()
    service, engine = new_service(db_url, digest_chat(leaders=(LEADER,)))
    service.catch_up(local(TUESDAY, 8), [digest_chat(leaders=(LEADER,))], digest_chat().rules)
    service.handle_message(chatter(chat, local(TUESDAY, 10)))
    service.tick(local(TUESDAY, 18, 1))
    with engine.connect() as conn:
        keys = [
            k
            for (k,) in conn.execute(
                text("SELECT dedupe_key FROM outbox WHERE kind = 'digest' ORDER BY id")
            )
        ]
    # Monday's was missed while "down" (sent late on start), Tuesday's on time; the old id,
    # still in the config, gets none
    assert keys == [f"digest:{new_id}:2026-11-23", f"digest:{new_id}:2026-11-24"]
