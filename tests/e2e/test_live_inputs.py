"""Hardening through the live bot (the real PTB Application polling the fake Bot API): a chat is
matched by its own id only, malformed command arguments get the usage line, and a dormant group
gets no daily digest."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from tests.e2e.test_live_reports import (
    CHAT,
    CONFIG,
    FIRST_LIVE_ID,
    LEADER,
    ZHANG,
    Running,
    digest_soon,
    digest_texts,
    fines,
    history,
    reply_to,
)
from tracker.adapters.db import orm
from tracker.adapters.db.engine import make_engine
from tracker.domain.periods import month_cn
from tracker.texts import answers, guide

BASIC = -1987654321  # a basic group whose id is the supergroup's export id (1987654321) negated
OUTSIDER = 1009  # leads the basic group; nothing to do with the sales chat
DORMANT = -1005550001111  # a configured group where nobody says anything


@pytest.fixture
async def fake(fake):
    """The sales group's fake Bot API, and a basic group led by someone from elsewhere."""
    outsider = fake.make_user(OUTSIDER, "别的组-赵", "zhao")
    fake.add_chat(BASIC, "小组", type="group", admins=[outsider])
    yield fake


# -- chat ids are exact --------------------------------------------------------------------------
async def test_a_basic_group_with_the_supergroup_s_export_id_cannot_read_its_fines(
    fake, sqlite_url
):
    month = history(sqlite_url, CONFIG, datetime.now(UTC) - timedelta(minutes=10))
    (fine,) = fines(make_engine(sqlite_url))  # 李四's, in the sales supergroup
    async with Running(fake, sqlite_url):
        fake.push_my_chat_member(BASIC, "administrator", old_status="left")
        await fake.wait_for(lambda f: any("群任务跟踪机器人" in t for t in f.sent_texts(BASIC)))
        asked = {
            command: fake.push_message(BASIC, OUTSIDER, command)
            for command in ("/fines", "/digest", "/status", f"/why {fine.id}")
        }
        replies = {command: await reply_to(fake, BASIC, u) for command, u in asked.items()}
        in_sales = fake.push_message(CHAT, ZHANG, "/fines", message_id=FIRST_LIVE_ID)
        sales = await reply_to(fake, CHAT, in_sales)

    assert replies["/fines"] == f"{month_cn(month)} 本群没有罚款。"
    assert replies["/digest"].startswith("📋 小组 日清日结")
    assert "销售部" not in replies["/digest"] and "李四" not in replies["/digest"]
    assert replies["/status"] == answers.status([])
    assert replies[f"/why {fine.id}"] == guide.why_usage()  # not this group's fine
    assert "• 销售部-李四：1 笔，100.00元" in sales  # the supergroup still sees its own
    assert all("李四" not in t for t in fake.sent_texts(BASIC))


# -- malformed arguments get the usage line ------------------------------------------------------
async def test_why_and_waive_with_anything_but_an_id_answer_the_usage_line(fake, sqlite_url):
    history(sqlite_url, CONFIG, datetime.now(UTC) - timedelta(minutes=10))
    bad_ids = ["²", "１", "9" * 25, "2147483648", "0", "#", "abc", "#²"]
    async with Running(fake, sqlite_url):
        whys = [fake.push_message(CHAT, ZHANG, f"/why {word}") for word in bad_ids]
        waives = [fake.push_message(CHAT, LEADER, f"/waive {word} 请假") for word in bad_ids]
        why_answers = [await reply_to(fake, CHAT, u) for u in whys]
        waive_answers = [await reply_to(fake, CHAT, u) for u in waives]

    assert why_answers == [guide.why_usage()] * len(bad_ids)
    assert waive_answers == [guide.waive_usage()] * len(bad_ids)
    assert [f.status for f in fines(make_engine(sqlite_url))] == ["booked"]  # nothing waived


async def test_paid_stats_and_export_with_impossible_dates_answer_the_usage_line(fake, sqlite_url):
    history(sqlite_url, CONFIG, datetime.now(UTC) - timedelta(minutes=10))
    async with Running(fake, sqlite_url):
        paid = [
            fake.push_message(CHAT, LEADER, f"/paid @lisi {month}")
            for month in ("0001-01", "9999-12", "２０２６-１１")
        ]
        stats = [
            fake.push_message(CHAT, ZHANG, f"/stats {day}")
            for day in ("0001-01-01", "9999-12-31", "2026-13-01", "昨天")
        ]
        paid_answers = [await reply_to(fake, CHAT, u) for u in paid]
        stats_answers = [await reply_to(fake, CHAT, u) for u in stats]
        for month in ("0001-01", "9999-12"):
            fake.push_message(LEADER, LEADER, f"/export {month}")
        exports = await fake.wait_for(lambda f: len(f.sent_texts(LEADER)) >= 2 and f)

    assert paid_answers == [guide.paid_usage()] * 3
    assert stats_answers == [guide.stats_usage()] * 4
    assert exports.sent_texts(LEADER) == [guide.export_usage()] * 2
    assert fake.succeeded("sendDocument") == []
    assert [f.status for f in fines(make_engine(sqlite_url))] == ["booked"]  # nothing paid


# -- a dormant group gets no digest --------------------------------------------------------------
async def test_a_dormant_group_gets_no_daily_all_clear(fake, sqlite_url):
    fake.add_chat(DORMANT, "闲置群", admins=[LEADER])
    config = digest_soon()
    config["chats"] = [*config["chats"], {"id": DORMANT, "name": "闲置群", "leaders": [LEADER]}]
    async with Running(fake, sqlite_url, config):
        fake.push_message(CHAT, ZHANG, "今天的报表我下午发")
        await fake.wait_for(lambda f: digest_texts(f, CHAT), timeout=15)
        await fake.wait_for(lambda f: digest_texts(f, LEADER))

    # both chats' digests fell due at the same instant, in the same tick and commit
    with make_engine(sqlite_url).connect() as conn:
        rows = conn.execute(
            select(orm.Outbox.source_chat_id, orm.Outbox.kind).where(
                orm.Outbox.kind.in_(("digest", "digest_leader", "chart"))
            )
        ).all()
        through = conn.execute(
            select(orm.Chat.id, orm.Chat.digest_through).where(orm.Chat.id.in_((CHAT, DORMANT)))
        ).all()
    assert sorted(rows) == [(CHAT, "digest"), (CHAT, "digest_leader")]
    assert digest_texts(fake, DORMANT) == []
    assert len({day for _, day in through}) == 1  # the dormant one's day passed all the same


# -- a date outside 2000–2100 is logged in one line, not fed to the rules ------------------------
async def test_messages_and_reactions_dated_outside_2000_2100_are_logged_and_left_out(
    fake, sqlite_url, caplog
):
    """A directive dated 1970 had been taken and fined at once; one dated 9999 failed with a
    traceback (its due time overflowed). Now each is one warning, and the day goes on."""
    caplog.set_level(logging.WARNING, logger="tracker.bot")
    async with Running(fake, sqlite_url):
        long_ago = fake.push_message(CHAT, LEADER, "@zhangsan @lisi 把报价单发我 #任务", date=0)
        far_off = datetime(9999, 12, 31, tzinfo=UTC)
        too_late = fake.push_message(CHAT, LEADER, "@zhangsan 把合同发我 #任务", date=far_off)
        fake.push_reaction(CHAT, long_ago["message"]["message_id"], ZHANG, "👍", date=0)
        today = fake.push_message(CHAT, LEADER, "@lisi 把发票发我 #任务")
        await fake.wait_for(lambda f: any(m["text"].startswith("📋") for m in f.sent(CHAT)))

    boards = [m for m in fake.sent(CHAT) if m["text"].startswith("📋")]
    today_id = today["message"]["message_id"]
    assert [b["reply_parameters"]["message_id"] for b in boards] == [today_id]
    with make_engine(sqlite_url).connect() as conn:
        directives = conn.execute(select(orm.Directive.message_id)).scalars().all()
    assert directives == [today_id]
    assert fines(make_engine(sqlite_url)) == []
    logged = [r.getMessage() for r in caplog.records if r.name == "tracker.bot"]
    logged = [line for line in logged if "ignored" in line or "failed" in line]
    old_id, late_id = long_ago["message"]["message_id"], too_late["message"]["message_id"]
    assert logged == [
        f"message chat={CHAT} id={old_id} ignored: date 1970-01-01 is outside 2000–2100",
        f"message chat={CHAT} id={late_id} ignored: date 9999-12-31 is outside 2000–2100",
        f"reaction chat={CHAT} id={old_id} ignored: date 1970-01-01 is outside 2000–2100",
    ]
