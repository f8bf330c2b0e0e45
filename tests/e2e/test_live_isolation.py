"""One busy group never stalls the others (issue 11): with the fake Bot API holding a flooding
group under 429s, or answering it slowly, another group's ack is decided and its board goes out
while the flooding group's queue still waits; afterwards everything is sent, once."""

from __future__ import annotations

import copy

from sqlalchemy import select

from tests.live_support import CHAT, CONFIG, LEADER, LI, ZHANG, Running, until
from tracker.adapters.db import orm
from tracker.adapters.db.engine import make_engine

BUSY = -1001987650000


def two_chats() -> dict:
    config = copy.deepcopy(CONFIG)
    config["defaults"] |= {"ack_window": "60s", "remind_at": [], "tell_leader_at": []}
    busy = copy.deepcopy(config["chats"][0]) | {"id": BUSY, "name": "客服部工作群"}
    config["chats"].append(busy)
    return config


def acked(db_url: str, chat_id: int, user_id: int) -> bool:
    with make_engine(db_url).connect() as conn:
        return (
            conn.execute(
                select(orm.Assignment.acked_at).where(
                    orm.Assignment.chat_id == chat_id, orm.Assignment.user_id == user_id
                )
            ).scalar()
            is not None
        )


def pending(db_url: str, chat_id: int) -> int:
    with make_engine(db_url).connect() as conn:
        return len(
            conn.execute(
                select(orm.Outbox.id).where(
                    orm.Outbox.target_chat_id == chat_id, orm.Outbox.status == "pending"
                )
            ).all()
        )


def boards(fake, chat_id: int) -> list[str]:
    return [t for t in fake.sent_texts(chat_id) if t.startswith("📋")]


async def test_a_group_held_under_429s_does_not_delay_another_groups_ack(fake, sqlite_url):
    fake.add_chat(BUSY, "客服部工作群", admins=[fake.users[LEADER]])
    fake.rate_limit(group=(3, 4.0))  # stricter than the bot's own pacing: 429s will come
    async with Running(fake, sqlite_url, two_chats()):
        posted = [
            fake.push_message(BUSY, LEADER, f"@zhangsan 第{n + 1}份报表发我 #任务")["message"]
            for n in range(6)
        ]
        await fake.wait_for(
            lambda f: any(c.status == 429 for c in f.calls if c.params.get("chat_id") == BUSY)
        )
        directive = fake.push_message(CHAT, LEADER, "@lisi 把报价单发我 #任务")
        fake.push_message(CHAT, LI, "收到", reply_to=directive["message"])
        await until(lambda: acked(sqlite_url, CHAT, LI), timeout=3)
        await fake.wait_for(lambda f: len(boards(f, CHAT)) == 1, timeout=3)
        assert pending(sqlite_url, BUSY) > 0, "the busy group's queue must still be waiting"

        await fake.wait_for(lambda f: len(boards(f, BUSY)) == 6, timeout=20)
    under = [
        m["reply_parameters"]["message_id"] for m in fake.sent(BUSY) if m["text"].startswith("📋")
    ]
    assert under == [m["message_id"] for m in posted]  # each once, in order, none lost


async def test_a_slow_answer_for_one_group_does_not_hold_another(fake, sqlite_url):
    fake.add_chat(BUSY, "客服部工作群", admins=[fake.users[LEADER]])
    async with Running(fake, sqlite_url, two_chats()):
        fake.delay_next("sendMessage", 6)  # the busy group's board hangs for 6 s
        fake.push_message(BUSY, LEADER, "@zhangsan 把周报发我 #任务")
        await fake.wait_for(lambda f: any(c.params.get("chat_id") == BUSY for c in f.calls))
        directive = fake.push_message(CHAT, LEADER, "@lisi 把报价单发我 #任务")
        fake.push_message(CHAT, ZHANG, "收到")  # not his: nothing happens
        fake.push_message(CHAT, LI, "好的", reply_to=directive["message"])
        await until(lambda: acked(sqlite_url, CHAT, LI), timeout=3)
        await fake.wait_for(lambda f: len(boards(f, CHAT)) == 1, timeout=3)
        assert boards(fake, BUSY) == []  # still hanging
        await fake.wait_for(lambda f: len(boards(f, BUSY)) == 1, timeout=10)


async def test_in_a_held_group_a_reminder_overtakes_the_board_and_the_board_takes_its_edits(
    fake, sqlite_url
):
    config = copy.deepcopy(CONFIG)
    config["defaults"] |= {"ack_window": "60s", "remind_at": ["2s"], "tell_leader_at": []}
    async with Running(fake, sqlite_url, config) as running:
        sender = running.live.sender
        sender.pacer.hold(CHAT, sender.monotonic() + 4.5)  # as after a 429 from Telegram
        directive = fake.push_message(CHAT, LEADER, "@zhangsan @lisi 把报价单发我 #任务")
        fake.push_message(CHAT, LI, "收到", reply_to=directive["message"])
        await until(lambda: acked(sqlite_url, CHAT, LI), timeout=3)
        await fake.wait_for(lambda f: len(f.sent(CHAT)) == 2, timeout=10)
        first, board = fake.sent_texts(CHAT)
        assert first.startswith("⏰ 提醒") and "张三" in first and "李四" not in first
        assert (
            board.startswith("📋")
            and "✅ 销售部-李四 已确认" in board
            and "⏳ 销售部-张三" in board
        )
        assert (
            fake.sent(CHAT)[1]["reply_parameters"]["message_id"]
            == directive["message"]["message_id"]
        )
        await until(lambda: pending(sqlite_url, CHAT) == 0, timeout=3)
        assert fake.edits(CHAT) == []  # the ack's edit went out inside the board itself
