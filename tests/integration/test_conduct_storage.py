"""Conduct through the service on a real database (SQLite and PostgreSQL): a flood and a
leader's /warn are warnings stored once with their evidence and announced once; /unwarn revokes
the latest; a restart loads the ledger and keeps counting; `replay --json` lists them."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from tests.builders import LEADER, LI, ZHANG, Chat
from tests.support import db_url, new_service  # noqa: F401  (fixture)
from tracker.adapters.db import orm
from tracker.adapters.db.report_queries import chat_report


def warnings_said(engine) -> list[str]:
    with engine.connect() as conn:
        rows = conn.execute(
            select(orm.Outbox.text).where(orm.Outbox.kind == "warning").order_by(orm.Outbox.id)
        )
        return list(rows.scalars())


def test_flood_and_warn_are_stored_once_counted_across_a_restart_and_revoked(db_url):  # noqa: F811
    service, engine = new_service(db_url)
    chat = Chat()
    for minute in (1, 2, 3):
        service.handle_message(chat.msg(ZHANG, "老板看这里！！", minute))
    chatter = chat.msg(ZHANG, "周末去哪玩", 4)
    service.handle_message(chatter)
    service.handle_message(chat.msg(LEADER, "/warn 上班时间闲聊", 5, reply_to=chatter.message_id,
                                     reply_to_sender=ZHANG))  # fmt: skip
    engine.dispose()

    service, engine = new_service(db_url)  # a restart: the ledger is loaded, counting goes on
    service.handle_message(chat.msg(LEADER, "/warn @lisi 发无关内容", 6))
    ad = chat.msg(ZHANG, "加我微信 abc12345 低价代购", 7)
    service.handle_message(ad)
    service.handle_message(chat.msg(LEADER, "/unwarn", 8, reply_to=ad.message_id,
                                     reply_to_sender=ZHANG))  # fmt: skip

    said = warnings_said(engine)
    flood = "⚠️ 警告 销售部-张三：刷屏（同一内容连发）（“老板看这里！！ ×3”）。累计 1/3 次。"
    assert said[0] == flood
    assert said[1] == "⚠️ 警告 销售部-张三：负责人警告：上班时间闲聊。累计 2/3 次。"
    assert said[2] == "⚠️ 警告 销售部-李四：负责人警告：发无关内容。累计 1/3 次。"
    assert said[3].startswith("⚠️ 警告 销售部-张三：发广告（“加我微信 abc12345")
    assert said[3].endswith("累计 3/3 次。\n已达警告上限（3 次），按群规应予清退，请负责人处理。")
    assert said[4] == "↩️ 1001 撤销了 销售部-张三 的一次警告（发广告），现计 2/3 次。"
    assert len(said) == 5

    warnings = chat_report(engine, chat.chat_id)["warnings"]
    shown = [
        (w["user_id"], w["rule"], w["message_id"], w["by"], w["revoked_by"]) for w in warnings
    ]
    assert shown == [
        (ZHANG, "flood", 3, None, None),
        (ZHANG, "manual", chatter.message_id, LEADER, None),
        (LI, "manual", 6, LEADER, None),
        (ZHANG, "ad", ad.message_id, None, LEADER),
    ]
    assert warnings[0]["at"] == "2026-11-23T01:03:00Z"


def test_a_warning_message_fed_again_is_not_warned_twice(db_url):  # noqa: F811
    service, engine = new_service(db_url)
    chat = Chat()
    messages = [chat.msg(ZHANG, "看群公告", m) for m in (1, 2, 3)]
    for m in messages:
        service.handle_message(m)
    engine.dispose()
    service, engine = new_service(db_url)
    for m in messages:  # a redelivery after a restart
        service.handle_message(m)
    service.tick(messages[-1].at + timedelta(hours=1))
    assert len(chat_report(engine, chat.chat_id)["warnings"]) == 1
    assert len(warnings_said(engine)) == 1


def test_leaders_are_exempt_and_acknowledgements_never_flood(db_url):  # noqa: F811
    service, engine = new_service(db_url)
    chat = Chat()
    for minute in (1, 2, 3):
        service.handle_message(chat.msg(LEADER, "请看群公告", minute))
        service.handle_message(chat.msg(ZHANG, "收到", minute))
    assert chat_report(engine, chat.chat_id)["warnings"] == []
