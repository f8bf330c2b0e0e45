"""The live bot under test: the real PTB Application polling the fake Bot API on 127.0.0.1,
with a real database. The sales group's ids, its config (windows of seconds, so a whole
directive -> reminders -> fine day runs in real time), the shared `fake` fixture (registered
for every test in conftest.py), and `Running`, which starts and stops the bot as `tracker run`
does."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from sqlalchemy import select

from tests.fakes.bot_api import FakeBotApi
from tracker.adapters.db import orm
from tracker.adapters.db.engine import make_engine
from tracker.config.loading import parse_config
from tracker.entrypoints.bootstrap import build_application

CHAT = -1001987654321
LEADER, ZHANG, LI = 1001, 1002, 1003
WANG_OUTSIDER = 1009
LAG = timedelta(seconds=1)  # the live clock's delivery lag, short for tests

CONFIG = {
    "defaults": {
        # Telegram dates are whole seconds (a message may look up to 1 s older than it is):
        # steps at least 2 s apart keep the tests free of races with the polling.
        "ack_window": "5s",
        "remind_at": ["2s"],
        "tell_leader_at": "3s",
        "quiet_hours": ["00:00", "00:00"],  # the tests run at any hour
        "digest": False,  # an 18:00 digest would add rows to the exact outboxes checked here
    },
    "chats": [
        {
            "id": CHAT,
            "name": "销售部工作群",
            "leaders": [LEADER],
            "members": [
                {"id": ZHANG, "name": "销售部-张三", "username": "zhangsan"},
                {"id": LI, "name": "销售部-李四", "username": "lisi"},
            ],
        }
    ],
}


@pytest.fixture
async def fake():
    """The fake Bot API on 127.0.0.1 with the sales group: 王总 leads it (an administrator),
    张三 and 李四 are members; 王总 and 张三 have private chats with the bot; 财务-王 is a user
    outside the group."""
    async with FakeBotApi() as server:
        leader = server.make_user(LEADER, "王总", "wangzong")
        server.make_user(ZHANG, "销售部-张三", "zhangsan")
        server.make_user(LI, "销售部-李四", "lisi")
        server.make_user(WANG_OUTSIDER, "财务-王", "wangcw")
        server.add_chat(CHAT, "销售部工作群", admins=[leader])
        server.add_chat(LEADER, "王总", type="private")
        server.add_chat(ZHANG, "销售部-张三", type="private")
        yield server


class Running:
    """Start and stop the bot the way `tracker run` does, but inside the test's event loop."""

    def __init__(self, fake: FakeBotApi, db_url: str, config=CONFIG) -> None:
        self.app, self.live, self.updates = build_application(
            parse_config(config, "test.toml"), db_url, fake.token, fake.base_url, lag=LAG
        )

    async def __aenter__(self):
        await self.app.initialize()
        await self.app.post_init(self.app)
        await self.app.start()
        await self.app.updater.start_polling(
            poll_interval=0, timeout=1, allowed_updates=self.updates
        )
        return self

    async def __aexit__(self, *exc) -> None:
        await self.app.updater.stop()
        await self.app.stop()
        await self.app.post_stop(self.app)  # as run_polling does after stop()
        await self.app.shutdown()


async def until(condition, timeout: float = 10) -> None:
    for _ in range(int(timeout * 20)):
        if condition():
            return
        await asyncio.sleep(0.05)
    raise AssertionError("condition not met in time")


def fines(db_url: str) -> list:
    with make_engine(db_url).connect() as conn:
        return conn.execute(select(orm.Fine.__table__)).all()


def sent_result(fake, needle: str) -> dict:
    """The first message the bot sent whose text holds `needle`, as Telegram returned it."""
    return next(
        c.result
        for c in fake.calls
        if c.method == "sendMessage" and c.outcome == "ok" and needle in c.result["text"]
    )


def button_answers(fake) -> list[str]:
    """What the bot answered to each button press, in order."""
    return [c.params.get("text") for c in fake.calls if c.method == "answerCallbackQuery"]


async def fined_for_silence(fake) -> dict:
    """A leader's task to 李四, who never answers: the fine notice, as Telegram returned it."""
    fake.push_message(CHAT, LEADER, "@lisi 把报价单发我 #任务")
    await fake.wait_for(lambda f: any("各记罚款" in t for t in f.sent_texts(CHAT)), timeout=10)
    return sent_result(fake, "各记罚款")
