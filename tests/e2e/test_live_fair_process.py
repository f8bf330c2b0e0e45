"""The fair process around a fine, live: the real PTB Application against the fake Bot API."""

from __future__ import annotations

from sqlalchemy import select

from tests.fakes.bot_api import FakeBotApi
from tests.live_support import CHAT, LEADER, LI, ZHANG, Running, fines
from tracker.adapters.db import orm
from tracker.adapters.db.engine import make_engine


async def test_a_member_who_leaves_is_not_fined_and_the_leader_is_told_once(
    fake: FakeBotApi, sqlite_url
):
    async with Running(fake, sqlite_url):
        fake.push_message(CHAT, LEADER, "@zhangsan @lisi 把报价单发我 #任务")
        await fake.wait_for(lambda f: f.sent(CHAT), timeout=5)  # the status board
        fake.push_chat_member(CHAT, ZHANG, "left", old_status="member")
        await fake.wait_for(lambda f: any("成员退群" in t for t in f.sent_texts(LEADER)))
        await fake.wait_for(lambda f: any("各记罚款" in t for t in f.sent_texts(CHAT)), timeout=10)

    told = [t for t in fake.sent_texts(LEADER) if "成员退群" in t]
    assert len(told) == 1 and "销售部-张三" in told[0] and "把报价单发我" in told[0]
    reminders = [t for t in fake.sent_texts(CHAT) if "提醒" in t or "罚款" in t]
    assert reminders and all("销售部-张三" not in t for t in reminders)
    assert [(f.user_id, f.rule) for f in fines(sqlite_url)] == [(LI, "no_ack")]
    with make_engine(sqlite_url).connect() as conn:
        rows = conn.execute(
            select(orm.Assignment.user_id, orm.Assignment.status, orm.Assignment.left_at)
        ).all()
    status = {user: (state, left_at is not None) for user, state, left_at in rows}
    assert status[ZHANG] == ("left", True)
    assert status[LI] == ("overdue", False)


async def test_a_leaders_ok_confirms_for_a_member_and_a_members_ok_is_refused(
    fake: FakeBotApi, sqlite_url
):
    async with Running(fake, sqlite_url):
        task = fake.push_message(CHAT, LEADER, "@zhangsan @lisi 把报价单发我 #任务")
        await fake.wait_for(lambda f: f.sent(CHAT), timeout=5)
        mid = task["message"]["message_id"]
        fake.push_message(CHAT, LI, "/ok", reply_to=mid)
        await fake.wait_for(lambda f: any("只有本群负责人" in t for t in f.sent_texts(CHAT)))
        fake.push_message(CHAT, LEADER, "/ok @zhangsan 他电话里说收到了", reply_to=mid)
        await fake.wait_for(lambda f: any("各记罚款" in t for t in f.sent_texts(CHAT)), timeout=10)

    refusals = [t for t in fake.sent_texts(CHAT) if "只有本群负责人" in t]
    assert refusals == ["抱歉，只有本群负责人可以代成员确认收到（成员请直接回复「收到」）。"]
    assert [(f.user_id, f.rule) for f in fines(sqlite_url)] == [(LI, "no_ack")]
    with make_engine(sqlite_url).connect() as conn:
        zhang = conn.execute(
            select(
                orm.Assignment.status, orm.Assignment.ack_review, orm.Assignment.reviewed_by
            ).where(orm.Assignment.user_id == ZHANG)
        ).one()
    assert tuple(zhang) == ("acked", "confirmed", LEADER)
