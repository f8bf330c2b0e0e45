"""The live bot: the real PTB Application, polling a fake Bot API on 127.0.0.1, a real SQLite
file. Windows are seconds long so a whole directive → reminders → fine day runs in real time."""

from __future__ import annotations

import asyncio
import time
from datetime import timedelta

from sqlalchemy import func, select

from tests.fakes.bot_api import FakeBotApi
from tests.live_support import (
    CHAT,
    CONFIG,
    LEADER,
    LI,
    WANG_OUTSIDER,
    ZHANG,
    Running,
    fines,
    until,
)
from tracker.adapters.db import orm
from tracker.adapters.db.engine import make_engine


async def test_a_directive_day_over_http(fake, sqlite_url):
    async with Running(fake, sqlite_url):
        directive = fake.push_message(CHAT, LEADER, "@zhangsan @lisi 把报价单发我 #任务")
        fake.push_message(CHAT, ZHANG, "收到")
        await fake.wait_for(lambda f: any("各记罚款" in t for t in f.sent_texts(CHAT)), timeout=10)

    texts = fake.sent_texts(CHAT)
    reminders = [m for m in fake.sent(CHAT) if "提醒" in m["text"]]
    assert len(reminders) == 1
    assert "销售部-李四" in reminders[0]["text"] and "销售部-张三" not in reminders[0]["text"]
    assert reminders[0]["reply_parameters"]["message_id"] == directive["message"]["message_id"]
    assert any(e.get("user", {}).get("id") == LI for e in reminders[0].get("entities", []))
    assert any("未确认提醒" in t for t in fake.sent_texts(LEADER))
    assert sum("各记罚款" in t for t in texts) == 1
    assert [(f.user_id, f.rule, f.amount_fen) for f in fines(sqlite_url)] == [
        (LI, "no_ack", 10_000)
    ]


async def test_a_restart_catches_up_once_and_says_it_was_away(fake, sqlite_url):
    async with Running(fake, sqlite_url):
        fake.push_message(CHAT, LEADER, "@lisi 把报价单发我 #任务")
        await fake.wait_for(
            lambda f: (
                f.calls
                and any(c.method == "getUpdates" and c.outcome == "ok" for c in f.calls[-3:])
            ),
            timeout=5,
        )
        await asyncio.sleep(0.5)
    with make_engine(sqlite_url).begin() as conn:  # pretend the bot was down for ten minutes
        last = conn.execute(select(orm.Heartbeat.at)).scalar_one()
        conn.execute(orm.Heartbeat.__table__.update().values(at=last - timedelta(minutes=10)))
    await asyncio.sleep(5.5)  # the fine falls due while the bot is away
    async with Running(fake, sqlite_url):
        await fake.wait_for(lambda f: any("各记罚款" in t for t in f.sent_texts(CHAT)), timeout=10)
    async with Running(fake, sqlite_url):
        await asyncio.sleep(1)

    texts = fake.sent_texts(CHAT)
    assert sum("离线" in t for t in texts) == 1
    assert sum("各记罚款" in t for t in texts) == 1
    assert len(fines(sqlite_url)) == 1
    assert texts.index(next(t for t in texts if "离线" in t)) < texts.index(
        next(t for t in texts if "各记罚款" in t)
    )


async def test_a_429_storm_loses_nothing_and_sends_nothing_twice(fake, sqlite_url):
    fake.fail_next("sendMessage", times=3, status=429, retry_after=1)
    async with Running(fake, sqlite_url):
        fake.push_message(CHAT, LEADER, "@zhangsan @lisi 把报价单发我 #任务")
        await fake.wait_for(
            lambda f: sum("各记罚款" in t for t in f.sent_texts(CHAT)) >= 1, timeout=20
        )
        await asyncio.sleep(1)
    texts = fake.sent_texts(CHAT)
    assert sum("各记罚款" in t for t in texts) == 1
    assert len(texts) == len(set(texts))
    with make_engine(sqlite_url).connect() as conn:
        rows = conn.execute(
            select(orm.Outbox.kind, orm.Outbox.status, func.count()).group_by(
                orm.Outbox.kind, orm.Outbox.status
            )
        ).all()
    outcome = {(kind, status): n for kind, status, n in rows}
    assert {k: n for k, n in outcome.items() if k[0] != "status_edit"} == {
        ("status", "sent"): 1,
        ("reminder", "sent"): 1,
        ("leader_notice", "sent"): 1,
        ("fine_no_ack", "sent"): 1,
    }
    assert {status for kind, status in outcome if kind == "status_edit"} <= {"sent", "skipped"}


async def test_a_reaction_acknowledges(fake, sqlite_url):
    async with Running(fake, sqlite_url):
        directive = fake.push_message(CHAT, LEADER, "@zhangsan 把报价单发我 #任务")
        fake.push_reaction(CHAT, directive["message"]["message_id"], ZHANG, "👍")
        await asyncio.sleep(6)  # past the ack window
    assert fines(sqlite_url) == []
    assert not any("提醒" in t for t in fake.sent_texts(CHAT))


def board(fake: FakeBotApi) -> dict:
    return next(m for m in fake.sent(CHAT) if m["text"].startswith("📋"))


async def test_status_board_and_its_button(fake, sqlite_url):
    async with Running(fake, sqlite_url):
        directive = fake.push_message(CHAT, LEADER, "@zhangsan @lisi 把报价单发我 #任务")
        await fake.wait_for(lambda f: any(m["text"].startswith("📋") for m in f.sent(CHAT)))
        posted = board(fake)
        assert posted["reply_parameters"]["message_id"] == directive["message"]["message_id"]
        assert "⏳ 销售部-张三" in posted["text"] and "⏳ 销售部-李四" in posted["text"]
        button = posted["reply_markup"]["inline_keyboard"][0][0]
        assert button["text"] == "收到"
        board_message = next(
            c.result
            for c in fake.calls
            if c.method == "sendMessage"
            and c.outcome == "ok"
            and c.result["text"].startswith("📋")
        )
        fake.push_callback_query(ZHANG, board_message, button["callback_data"])
        fake.push_callback_query(WANG_OUTSIDER, board_message, button["callback_data"])
        await fake.wait_for(lambda f: any("✅ 销售部-张三" in e["text"] for e in f.edits(CHAT)))
        await fake.wait_for(
            lambda f: len([c for c in f.calls if c.method == "answerCallbackQuery"]) == 2
        )
        answers = [c.params.get("text") for c in fake.calls if c.method == "answerCallbackQuery"]
        assert answers == ["已确认，谢谢！", "这条任务不需要你确认。"]
        await fake.wait_for(
            lambda f: any("❌ 销售部-李四" in e["text"] for e in f.edits(CHAT)), timeout=12
        )
    assert [(f.user_id, f.rule) for f in fines(sqlite_url)] == [(LI, "no_ack")]
    last_edit = fake.edits(CHAT)[-1]["text"]
    assert "✅ 销售部-张三" in last_edit and "❌ 销售部-李四" in last_edit


def fine_announcement(fake: FakeBotApi) -> dict:
    return next(
        c.result
        for c in fake.calls
        if c.method == "sendMessage" and c.outcome == "ok" and "各记罚款" in c.result["text"]
    )


async def test_waive_why_and_fines_commands(fake, sqlite_url):
    async with Running(fake, sqlite_url):
        fake.push_message(CHAT, LEADER, "@lisi 把报价单发我 #任务")
        await fake.wait_for(lambda f: any("各记罚款" in t for t in f.sent_texts(CHAT)), 10)
        notice = fine_announcement(fake)

        fake.push_message(CHAT, ZHANG, "/waive 他请假了", reply_to=notice)
        await fake.wait_for(lambda f: any("只有本群负责人" in t for t in f.sent_texts(CHAT)))

        fake.push_message(CHAT, LEADER, "/why", reply_to=notice)
        await fake.wait_for(lambda f: any(t.startswith("罚款 #") for t in f.sent_texts(CHAT)))
        evidence = next(t for t in fake.sent_texts(CHAT) if t.startswith("罚款 #"))
        assert "销售部-李四" in evidence and "群内提醒" in evidence and "记账时间" in evidence

        fake.push_message(CHAT, LEADER, "/fines")
        await fake.wait_for(lambda f: any("罚款（不含已免除）" in t for t in f.sent_texts(CHAT)))

        fake.push_message(CHAT, LEADER, "/waive 已请假报备", reply_to=notice)
        await fake.wait_for(lambda f: any("已免除罚款" in t for t in f.sent_texts(CHAT)))
        fake.push_message(CHAT, LEADER, "/fines")
        await fake.wait_for(lambda f: any("没有罚款" in t for t in f.sent_texts(CHAT)))

    (fine,) = fines(sqlite_url)
    assert (fine.status, fine.waived_by, fine.waived_reason) == ("waived", LEADER, "已请假报备")


async def test_a_group_that_becomes_a_supergroup_keeps_its_directives(fake, sqlite_url):
    basic, super_id = -4001, -1004001
    config = {
        "defaults": CONFIG["defaults"],
        "chats": [CONFIG["chats"][0] | {"id": basic, "name": "小组"}],
    }
    fake.add_chat(basic, "小组", type="group", admins=[LEADER])
    async with Running(fake, sqlite_url, config):
        fake.push_message(basic, LEADER, "@zhangsan @lisi 把报价单发我 #任务")
        await fake.wait_for(lambda f: any(t.startswith("📋") for t in f.sent_texts(basic)))
        fake.push_migrate(basic, super_id)
        await asyncio.sleep(0.5)
        fake.push_message(super_id, ZHANG, "收到")
        await fake.wait_for(
            lambda f: any("各记罚款" in t for t in f.sent_texts(super_id)), timeout=10
        )
    assert [(f.chat_id, f.user_id, f.rule) for f in fines(sqlite_url)] == [
        (super_id, LI, "no_ack")
    ]


async def test_an_unconfigured_chat_is_led_by_its_administrators(fake, sqlite_url):
    other = -1007770001
    fake.add_chat(other, "新项目群", admins=[LEADER])
    async with Running(fake, sqlite_url):
        fake.push_my_chat_member(other, "administrator", old_status="left")
        await fake.wait_for(lambda f: any("群任务跟踪机器人" in t for t in f.sent_texts(other)))
        fake.push_message(other, ZHANG, "大家好")  # learned by speaking
        fake.push_message(other, LI, "@zhangsan 把报价单发我 #任务")  # not an admin: ignored
        fake.set_member_status(other, LI, "administrator")
        fake.push_chat_member(other, LI, "administrator", old_status="member")
        await asyncio.sleep(0.5)
        fake.push_message(other, LI, "@zhangsan 把合同发我 #任务")  # now a leader
        await fake.wait_for(lambda f: sum(t.startswith("📋") for t in f.sent_texts(other)) >= 1)
        await asyncio.sleep(0.3)
    boards = [t for t in fake.sent_texts(other) if t.startswith("📋")]
    assert len(boards) == 1 and "销售部-张三" in boards[0]
    welcome = next(t for t in fake.sent_texts(other) if "群任务跟踪机器人" in t)
    assert "看不到" not in welcome  # an administrator sees plain messages


def outbox_rows(db_url: str) -> list:
    with make_engine(db_url).connect() as conn:
        return conn.execute(
            select(orm.Outbox.kind, orm.Outbox.status, orm.Outbox.error).order_by(orm.Outbox.id)
        ).all()


async def test_5xx_and_dropped_connections_are_retried_without_duplicates(fake, sqlite_url):
    fake.fail_next("sendMessage", times=2, status=502)
    fake.drop_next("sendMessage", times=1)
    async with Running(fake, sqlite_url):
        fake.push_message(CHAT, LEADER, "@lisi 把报价单发我 #任务")
        await fake.wait_for(lambda f: any("各记罚款" in t for t in f.sent_texts(CHAT)), 30)
        await asyncio.sleep(1)
    texts = fake.sent_texts(CHAT)
    assert sum(t.startswith("📋") for t in texts) == 1
    assert sum("提醒" in t for t in texts) == 1 and sum("各记罚款" in t for t in texts) == 1
    assert {status for kind, status, _ in outbox_rows(sqlite_url) if kind != "status_edit"} == {
        "sent"
    }


async def test_a_kicked_bot_marks_its_messages_failed_with_the_reason(fake, sqlite_url):
    async with Running(fake, sqlite_url):
        fake.set_member_status(CHAT, fake.bot_id, "kicked")
        fake.push_message(CHAT, LEADER, "@lisi 把报价单发我 #任务")
        await until(lambda: fines(sqlite_url))
        await asyncio.sleep(1)  # the fine's announcement is tried and fails for good
    failed = [
        (kind, error) for kind, status, error in outbox_rows(sqlite_url) if status == "failed"
    ]
    assert failed and all("Forbidden" in error for _, error in failed)
    assert [(f.user_id, f.rule) for f in fines(sqlite_url)] == [(LI, "no_ack")]  # still booked


async def test_settings_tell_the_rules_and_the_calendar(fake, sqlite_url):
    async with Running(fake, sqlite_url):
        fake.push_message(CHAT, LEADER, "大家早")  # the roster learns the leader's name
        fake.push_message(CHAT, ZHANG, "/settings")
        await fake.wait_for(lambda f: any(t.startswith("本群规则") for t in f.sent_texts(CHAT)))
    text = next(t for t in fake.sent_texts(CHAT) if t.startswith("本群规则"))
    assert "负责人：王总" in text and "5 秒 内回复「收到」" in text and "免打扰：未设置" in text


async def test_id_tells_the_numbers_a_config_needs(fake, sqlite_url):
    other = -1001555000111
    fake.add_chat(other, "新建工作群", admins=[fake.users[LEADER]])
    async with Running(fake, sqlite_url):
        said = fake.push_message(CHAT, LI, "我是李四")
        fake.push_message(CHAT, LEADER, "/id", reply_to=said["message"])
        fake.push_message(other, LEADER, "/id")
        await fake.wait_for(lambda f: any(t.startswith("本群 ID") for t in f.sent_texts(other)))
        await fake.wait_for(lambda f: any(t.startswith("本群 ID") for t in f.sent_texts(CHAT)))
    here = next(t for t in fake.sent_texts(CHAT) if t.startswith("本群 ID"))
    assert here.splitlines()[:3] == [
        f"本群 ID：{CHAT}（超级群）",
        f"你：王总 @wangzong，ID {LEADER}",
        f"被回复的成员：销售部-李四 @lisi，ID {LI}",
    ]
    assert "本群已在配置中" in here
    there = next(t for t in fake.sent_texts(other) if t.startswith("本群 ID"))
    assert f"本群 ID：{other}（超级群）" in there and "还不在配置中" in there


async def test_a_reply_sent_in_time_but_delivered_a_little_late_is_in_time(fake, sqlite_url):
    """As in a replay of the export: the message's own date decides, not its arrival."""
    async with Running(fake, sqlite_url):
        directive = fake.push_message(CHAT, LEADER, "@zhangsan 把报价单发我 #任务")
        sent = directive["message"]["date"] + 4  # written 4 s in, 1 s before the window closes
        # ... and reaching the bot only after the window closed (but within the clock's lag)
        await asyncio.sleep(directive["message"]["date"] + 5.4 - time.time())
        fake.push_message(CHAT, ZHANG, "收到", date=sent)
        await asyncio.sleep(2)
    assert fines(sqlite_url) == []
    assert not any("各记罚款" in t for t in fake.sent_texts(CHAT))
