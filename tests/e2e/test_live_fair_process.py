"""The fair process around a fine, live: the real PTB Application against the fake Bot API."""

from __future__ import annotations

from sqlalchemy import select

from tests.fakes.bot_api import FakeBotApi
from tests.live_support import (
    CHAT,
    LEADER,
    LI,
    ZHANG,
    Running,
    button_answers,
    fines,
    sent_result,
)
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


async def test_leave_asked_approved_by_button_exempts_and_a_member_cannot_approve(
    fake: FakeBotApi, sqlite_url
):
    async with Running(fake, sqlite_url):
        fake.push_message(CHAT, ZHANG, "/leave 今天全天 看病")
        await fake.wait_for(lambda f: any(t.startswith("📝") for t in f.sent_texts(CHAT)))
        request = sent_result(fake, "📝")
        rows = request["reply_markup"]["inline_keyboard"]
        assert [b["text"] for b in rows[0]] == ["批准", "驳回"]
        approve = rows[0][0]["callback_data"]
        fake.push_callback_query(LI, request, approve)  # a member may not approve
        fake.push_callback_query(LEADER, request, approve)
        fake.push_callback_query(LEADER, request, approve)  # twice: already decided
        await fake.wait_for(lambda f: len(button_answers(f)) == 3)
        assert button_answers(fake) == ["只有负责人可以审批请假", "已批准", "这条申请已经审批过了"]
        await fake.wait_for(lambda f: any("已批准 销售部-张三" in t for t in f.sent_texts(CHAT)))
        fake.push_message(CHAT, LEADER, "@zhangsan @lisi 把报价单发我 #任务")
        await fake.wait_for(lambda f: any("各记罚款" in t for t in f.sent_texts(CHAT)), timeout=10)
        fake.push_message(CHAT, LI, "/away")
        await fake.wait_for(lambda f: any("请假中" in t for t in f.sent_texts(CHAT)))

    assert [(f.user_id, f.rule) for f in fines(sqlite_url)] == [(LI, "no_ack")]
    boards = [m["text"] for m in fake.sent(CHAT) if m["text"].startswith("📋")]
    assert any("🏖 销售部-张三 请假" in t for t in boards)
    listing = next(t for t in fake.sent_texts(CHAT) if "请假中" in t)
    assert "销售部-张三" in listing and "看病" in listing
    with make_engine(sqlite_url).connect() as conn:
        leave = conn.execute(select(orm.Leave.status, orm.Leave.decided_by)).one()
    assert tuple(leave) == ("approved", LEADER)


async def test_a_refused_request_and_a_leaders_record_for_a_member(fake: FakeBotApi, sqlite_url):
    async with Running(fake, sqlite_url):
        fake.push_message(CHAT, LI, "#请假 今天下午 私事")
        await fake.wait_for(lambda f: any(t.startswith("📝") for t in f.sent_texts(CHAT)))
        request = sent_result(fake, "📝")
        refuse = request["reply_markup"]["inline_keyboard"][0][1]["callback_data"]
        fake.push_callback_query(LEADER, request, refuse)
        await fake.wait_for(lambda f: any("驳回了 销售部-李四" in t for t in f.sent_texts(CHAT)))
        fake.push_message(CHAT, LEADER, "/leave @zhangsan 今天全天 出差")
        await fake.wait_for(lambda f: any("已登记：销售部-张三" in t for t in f.sent_texts(CHAT)))
        fake.push_message(CHAT, ZHANG, "/leave @lisi 今天全天")
        fake.push_message(CHAT, ZHANG, "/leave 改天吧")
        await fake.wait_for(
            lambda f: (
                sum("用法：/leave" in t or "只有负责人" in t for t in f.sent_texts(CHAT)) == 2
            )
        )

    with make_engine(sqlite_url).connect() as conn:
        rows = conn.execute(
            select(orm.Leave.user_id, orm.Leave.status, orm.Leave.reason).order_by(orm.Leave.id)
        ).all()
    assert [tuple(r) for r in rows] == [(LI, "refused", "私事"), (ZHANG, "approved", "出差")]
