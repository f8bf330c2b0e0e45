"""Appeals (申诉), live: the real PTB Application against the fake Bot API, a real SQLite file."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from tests.fakes.bot_api import FakeBotApi
from tests.live_support import (
    CHAT,
    LEADER,
    LI,
    ZHANG,
    Running,
    button_answers,
    fined_for_silence,
    fines,
    sent_result,
)
from tracker.adapters.db import orm
from tracker.adapters.db.engine import make_engine
from tracker.adapters.files.fine_export import export_month
from tracker.domain.appeals import refusal


async def test_an_appeal_granted_waives_the_fine_once_and_tells_the_member(
    fake: FakeBotApi, sqlite_url
):
    async with Running(fake, sqlite_url):
        notice = await fined_for_silence(fake)
        fake.push_message(CHAT, ZHANG, "/appeal 不是我的也申诉", reply_to=notice)
        fake.push_message(CHAT, LI, "/appeal 当时在飞机上，没有网络", reply_to=notice)
        await fake.wait_for(lambda f: any(t.startswith("📨") for t in f.sent_texts(CHAT)))
        request = sent_result(fake, "📨")
        assert "当时在飞机上" in request["text"]
        grant = request["reply_markup"]["inline_keyboard"][0][0]["callback_data"]
        fake.push_callback_query(LI, request, grant)  # a member may not decide
        fake.push_callback_query(LEADER, request, grant)
        fake.push_callback_query(LEADER, request, grant)  # twice: already decided
        await fake.wait_for(lambda f: len(button_answers(f)) == 3)
        await fake.wait_for(lambda f: any("申诉，罚款已免除" in t for t in f.sent_texts(CHAT)))
        fake.push_message(CHAT, LI, "/appeal 再申诉一次", reply_to=notice)
        await fake.wait_for(lambda f: any("无需申诉" in t for t in f.sent_texts(CHAT)))

    assert button_answers(fake) == ["只有负责人可以处理申诉", "已免除", "这条申诉已经处理过了"]
    texts = fake.sent_texts(CHAT)
    assert any("只能对自己的罚款提出申诉" in t for t in texts)
    assert any("已提交申诉" in t for t in texts)
    assert sum("已免除罚款" in t for t in texts) == 1
    (fine,) = fines(sqlite_url)
    assert (fine.user_id, fine.status, fine.waived_by) == (LI, "waived", LEADER)
    with make_engine(sqlite_url).connect() as conn:
        appeal = conn.execute(select(orm.Appeal.__table__)).one()
    assert (appeal.fine_id, appeal.user_id, appeal.decision, appeal.decided_by) == (
        fine.id, LI, "granted", LEADER
    )  # fmt: skip
    out = io.BytesIO()
    engine = make_engine(sqlite_url)
    export_month(engine, fine.period, out, fmt="csv")
    engine.dispose()
    (header, line) = list(csv.reader(io.StringIO(out.getvalue().decode("utf-8-sig"))))
    assert line[header.index("申诉")] == "申诉通过" and line[header.index("状态")] == "已免除"


async def test_an_appeal_denied_keeps_the_fine_and_only_one_appeal_per_fine(
    fake: FakeBotApi, sqlite_url
):
    async with Running(fake, sqlite_url):
        await fined_for_silence(fake)
        (fine,) = fines(sqlite_url)
        fake.push_message(CHAT, LI, f"/appeal {fine.id} 我回复了收到，机器人没认出来")
        await fake.wait_for(lambda f: any(t.startswith("📨") for t in f.sent_texts(CHAT)))
        fake.push_message(CHAT, LI, f"/appeal {fine.id} 再申诉一次")
        fake.push_message(CHAT, LEADER, "/appeals")
        await fake.wait_for(lambda f: any("待处理的申诉" in t for t in f.sent_texts(CHAT)))
        request = sent_result(fake, "📨")
        deny = request["reply_markup"]["inline_keyboard"][0][1]["callback_data"]
        fake.push_callback_query(LEADER, request, deny)
        await fake.wait_for(lambda f: any("申诉未通过" in t for t in f.sent_texts(CHAT)))

    texts = fake.sent_texts(CHAT)
    assert any("每笔罚款只能申诉一次" in t for t in texts)
    listing = next(t for t in texts if "待处理的申诉" in t)
    assert f"#{fine.id}" in listing and "机器人没认出来" in listing
    (kept,) = fines(sqlite_url)
    assert kept.status == "booked"


async def test_shen_su_in_reply_to_the_notice_appeals_like_the_command(
    fake: FakeBotApi, sqlite_url
):
    async with Running(fake, sqlite_url):
        await fined_for_silence(fake)
        fake.push_message(
            CHAT, LI, "申诉 我在医院，手机没电", reply_to=sent_result(fake, "各记罚款")
        )
        await fake.wait_for(lambda f: any(t.startswith("📨") for t in f.sent_texts(CHAT)))

    assert "我在医院" in sent_result(fake, "📨")["text"]
    with make_engine(sqlite_url).connect() as conn:
        (appeal,) = conn.execute(select(orm.Appeal.user_id, orm.Appeal.decision)).all()
    assert tuple(appeal) == (LI, None)


def test_who_may_appeal_what_and_when():
    booked = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)
    window = timedelta(days=3)

    def why(appellant=LI, later=timedelta(hours=1), status="booked", already=False):
        return refusal(LI, booked, status, appellant, booked + later, window, already)

    assert why() is None
    assert why(appellant=ZHANG) == "not_yours"
    assert why(status="waived") == "waived"
    assert why(already=True) == "already"
    assert why(later=timedelta(days=3, seconds=1)) == "too_late"
    assert why(later=timedelta(days=3)) is None
