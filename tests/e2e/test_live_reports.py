"""Reports in the live bot: the real PTB Application polling the fake Bot API on 127.0.0.1, a
real SQLite file. /digest, /stats, /export and /paid as members and leaders type them, and the
daily digest (with the weekly chart) falling due while the bot runs."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import openpyxl
from sqlalchemy import select

from tests.fakes.bot_api import FakeBotApi
from tests.live_support import CONFIG
from tests.live_support import Running as LiveRunning
from tracker.adapters.db import orm
from tracker.adapters.db.engine import make_engine
from tracker.config.loading import parse_config
from tracker.domain.inbound import IncomingMessage, Mention
from tracker.domain.periods import month_cn
from tracker.entrypoints.bootstrap import build_service
from tracker.services.tracker import REPLAYED

CHAT = -1001987654321
LEADER, ZHANG, LI = 1001, 1002, 1003
PNG = b"\x89PNG\r\n\x1a\n"
FIRST_LIVE_ID = 101  # live message ids start above those of the history written beforehand

# the live bot's test config (the digest off; on only where a test wants one)
DEFAULTS, CHATS = CONFIG["defaults"], CONFIG["chats"]


class Running(LiveRunning):
    """The bot as `tracker run` starts it, with this module's config (the digest off)."""

    def __init__(self, fake: FakeBotApi, db_url: str, config=CONFIG) -> None:
        super().__init__(fake, db_url, config)


def history(db_url: str, config: dict, at: datetime) -> str:
    """Before the bot starts: 王总 gives 张三 and 李四 a task at `at`; 张三 acknowledges in time,
    李四 never does and is fined 100.00元. Written as a replay would (nothing to send).
    Returns the ledger month of the fine."""
    service, engine = build_service(parse_config(config, "test.toml"), db_url, REPLAYED)
    said = [
        (LEADER, "@zhangsan @lisi 把报价单发我 #任务", 0),
        (ZHANG, "收到", 2),
    ]
    for message_id, (sender, text, seconds) in enumerate(said, start=1):
        mentions = tuple(Mention(w, username=w[1:]) for w in text.split() if w[0] == "@")
        service.handle_message(
            IncomingMessage(
                CHAT,
                message_id,
                sender,
                None,
                at + timedelta(seconds=seconds),
                text,
                mentions=mentions,
                hashtags=tuple(w for w in text.split() if w[0] == "#"),
            )
        )
    service.tick(at + timedelta(minutes=1))
    service.uow.flush()  # a replay's unit of work writes per batch
    (period,) = {fine.period for fine in fines(engine)}
    engine.dispose()
    return period


def fines(engine) -> list:
    with engine.connect() as conn:
        return conn.execute(select(orm.Fine.__table__).order_by(orm.Fine.id)).all()


def replies(fake: FakeBotApi, chat_id: int, to: dict) -> list[str]:
    """Texts the bot sent in `chat_id` as replies to the pushed update `to`."""
    message_id = to["message"]["message_id"]
    return [
        m["text"]
        for m in fake.sent(chat_id)
        if (m.get("reply_parameters") or {}).get("message_id") == message_id
    ]


async def reply_to(fake: FakeBotApi, chat_id: int, update: dict) -> str:
    (text,) = await fake.wait_for(lambda f: replies(f, chat_id, update))
    return text


# -- commands ------------------------------------------------------------------------------------
async def test_digest_and_stats_answer_in_the_group(fake, sqlite_url):
    history(sqlite_url, CONFIG, datetime.now(UTC) - timedelta(minutes=10))
    async with Running(fake, sqlite_url):
        digest = fake.push_message(CHAT, ZHANG, "/digest", message_id=FIRST_LIVE_ID)
        stats = fake.push_message(CHAT, ZHANG, "/stats")
        digest_text = await reply_to(fake, CHAT, digest)
        stats_text = await reply_to(fake, CHAT, stats)

    assert digest_text.startswith("📋 销售部工作群 日清日结 · ")
    assert "• 销售部-李四：" in digest_text and "未确认，已逾期" in digest_text
    assert stats_text.startswith("📊 销售部工作群 自 ")
    assert "• 销售部-李四：收到 1 条，按时 0（0%），迟 0，未回 1" in stats_text
    assert "合计" in stats_text


async def test_export_sends_the_month_as_xlsx_to_a_leader_in_private(fake, sqlite_url):
    month = history(sqlite_url, CONFIG, datetime.now(UTC) - timedelta(minutes=10))
    async with Running(fake, sqlite_url):
        fake.push_message(LEADER, LEADER, f"/export {month}")
        (sent,) = await fake.wait_for(lambda f: f.succeeded("sendDocument", chat_id=LEADER))

    assert sent["caption"].startswith(f"📎 {month_cn(month)}罚款明细（销售部工作群）：1 笔")
    assert "合计 100.00元" in sent["caption"]
    (upload,) = fake.uploads(LEADER)
    assert upload.filename == f"fines-{month}.xlsx"
    book = openpyxl.load_workbook(io.BytesIO(upload.data), read_only=True)
    assert book.sheetnames == ["罚款明细", "汇总"]
    header, *rows = book["罚款明细"].iter_rows(values_only=True)
    assert header[3] == "成员" and header[8] == "金额（元）"
    member_id = header.index("成员ID")
    assert [(r[1], r[3], r[5], r[9], r[member_id]) for r in rows] == [
        (month, "销售部-李四", "超时未确认", "未缴", LI)
    ]
    assert float(rows[0][8]) == 100.0


async def test_export_as_csv_on_request(fake, sqlite_url):
    month = history(sqlite_url, CONFIG, datetime.now(UTC) - timedelta(minutes=10))
    async with Running(fake, sqlite_url):
        fake.push_message(LEADER, LEADER, f"/export {month} csv")
        await fake.wait_for(lambda f: f.succeeded("sendDocument", chat_id=LEADER))
    (upload,) = fake.uploads(LEADER)
    assert upload.filename == f"fines-{month}.csv"
    text = upload.data.decode("utf-8-sig")
    assert text.startswith("记账时间,所属月份,群,成员") and "销售部-李四" in text


async def test_export_is_for_leaders_and_only_in_private(fake, sqlite_url):
    async with Running(fake, sqlite_url):
        fake.push_message(ZHANG, ZHANG, "/export")
        in_group = fake.push_message(CHAT, LEADER, "/export", message_id=FIRST_LIVE_ID)
        in_private = await fake.wait_for(lambda f: f.sent_texts(ZHANG))  # not quoted there
        assert in_private == ["抱歉，只有工作群的负责人可以导出罚款明细。"]
        assert await reply_to(fake, CHAT, in_group) == (
            "为保护隐私，请私聊我发送 /export 导出罚款明细。"
        )
    assert fake.succeeded("sendDocument") == []


async def test_paid_by_a_leader_replying_to_a_member_marks_the_month_paid(fake, sqlite_url):
    month = history(sqlite_url, CONFIG, datetime.now(UTC) - timedelta(minutes=10))
    async with Running(fake, sqlite_url):
        asked = fake.push_message(CHAT, LI, "这个月的罚款怎么交？", message_id=FIRST_LIVE_ID)
        refused = fake.push_message(CHAT, ZHANG, f"/paid {month}", reply_to=asked["message"])
        assert await reply_to(fake, CHAT, refused) == "抱歉，只有本群负责人可以登记缴纳罚款。"
        fake.push_message(CHAT, LEADER, f"/paid {month}", reply_to=asked["message"])
        announced = await fake.wait_for(
            lambda f: [t for t in f.sent_texts(CHAT) if "已登记缴纳" in t]
        )

    assert announced == [f"💴 已登记缴纳：销售部-李四 {month_cn(month)}罚款 1 笔，共 100.00元。"]
    (fine,) = fines(make_engine(sqlite_url))
    assert (fine.user_id, fine.status, fine.paid_by) == (LI, "paid", LEADER)
    assert fine.paid_at is not None


# -- the daily digest while the bot runs ---------------------------------------------------------
def midday_zone(now: datetime) -> str:
    """A fixed-offset zone where `now` is around noon, so a digest a few seconds ahead never
    crosses midnight, whatever hour the tests run at (POSIX signs: Etc/GMT-8 is UTC+8)."""
    offset = 12 - now.astimezone(UTC).hour  # -11 .. +12 hours
    return "Etc/GMT" if offset == 0 else f"Etc/GMT{-offset:+d}"


def digest_soon(seconds: float = 5) -> dict:
    """A config whose digest falls due `seconds` from now, on a day that is the first working
    day of its week: [calendar] dates override holidays and weekends, whatever today is."""
    now = datetime.now(UTC)
    zone = midday_zone(now)
    at = (now + timedelta(seconds=seconds)).astimezone(ZoneInfo(zone))
    today = at.date()
    earlier = [today - timedelta(days=k) for k in range(1, today.weekday() + 1)]  # to Monday
    return {
        "calendar": {
            "workdays": [today.isoformat()],
            "holidays": [day.isoformat() for day in earlier],
        },
        "defaults": DEFAULTS
        | {"timezone": zone, "digest": True, "digest_time": at.strftime("%H:%M:%S")},
        "chats": CHATS,
    }


def digest_texts(fake: FakeBotApi, chat_id: int) -> list[str]:
    return [t for t in fake.sent_texts(chat_id) if "日清日结" in t]


async def test_a_digest_falling_due_goes_to_the_chat_and_privately_to_the_leader(fake, sqlite_url):
    config = digest_soon()
    async with Running(fake, sqlite_url, config):
        fake.push_message(CHAT, LEADER, "@lisi 把报价单发我 #任务")
        in_chat = await fake.wait_for(lambda f: digest_texts(f, CHAT), timeout=15)
        private = await fake.wait_for(lambda f: digest_texts(f, LEADER))

    assert in_chat == private
    (text,) = in_chat
    assert "指令 1 条" in text and "• 销售部-李四：" in text and "补发" not in text
    with make_engine(sqlite_url).connect() as conn:
        kinds = conn.execute(
            select(orm.Outbox.kind, orm.Outbox.status).where(
                orm.Outbox.kind.in_(("digest", "digest_leader", "chart"))
            )
        ).all()
    assert sorted(kinds) == [("digest", "sent"), ("digest_leader", "sent")]  # no earlier weeks
    assert fake.succeeded("sendPhoto") == []


async def test_the_week_first_digest_sends_the_weekly_chart_as_a_photo(fake, sqlite_url):
    config = digest_soon()
    quiet = config | {"defaults": config["defaults"] | {"digest": False}}
    history(sqlite_url, quiet, datetime.now(UTC) - timedelta(weeks=1))  # last week's figures
    async with Running(fake, sqlite_url, config):
        (photo,) = await fake.wait_for(lambda f: f.succeeded("sendPhoto", chat_id=CHAT), 15)
        await fake.wait_for(lambda f: digest_texts(f, LEADER))

    assert photo["caption"].startswith("📈 销售部工作群 近 8 周：按时确认率 50%")
    (upload,) = fake.uploads(CHAT)
    assert upload.data.startswith(PNG) and upload.filename == "weekly.png"
    assert len(digest_texts(fake, CHAT)) == 1
    assert fake.succeeded("sendPhoto", chat_id=LEADER) == []  # the chart is for the chat


async def test_a_digest_still_falls_due_after_the_bot_is_added_to_a_new_group(fake, sqlite_url):
    """Adopting a chat loads it: the alarm clock must keep every chat's digest (each has a
    message today: a silent group gets none)."""
    other = -1007770001
    fake.add_chat(other, "新项目群", admins=[LEADER])
    async with Running(fake, sqlite_url, digest_soon()):
        fake.push_my_chat_member(other, "administrator", old_status="left")
        await fake.wait_for(lambda f: any("群任务跟踪机器人" in t for t in f.sent_texts(other)))
        fake.push_message(other, ZHANG, "大家好")
        fake.push_message(CHAT, ZHANG, "大家好")
        await fake.wait_for(lambda f: digest_texts(f, CHAT), timeout=15)
        await fake.wait_for(lambda f: digest_texts(f, other))
    assert len(digest_texts(fake, CHAT)) == len(digest_texts(fake, other)) == 1
