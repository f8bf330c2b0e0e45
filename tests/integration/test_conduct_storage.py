"""Conduct through the service on a real database (SQLite and PostgreSQL): a flood and a
leader's /warn are warnings stored once with their evidence and announced once; /unwarn revokes
the latest; a restart loads the ledger and keeps counting; `replay --json` lists them."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from sqlalchemy import select

from tests.builders import LEADER, LI, T0, ZHANG, Chat, settings
from tests.support import db_url, new_service  # noqa: F401  (fixture)
from tracker.adapters.db import orm
from tracker.adapters.db.fine_queries import FineQueries
from tracker.adapters.db.report_queries import chat_report
from tracker.adapters.files.fine_export import export_month
from tracker.domain.conduct.settings import FINE, ConductRules


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


def test_a_registered_name_wins_over_the_config_and_survives_a_restart(db_url):  # noqa: F811
    service, engine = new_service(db_url)
    chat = Chat()
    service.handle_message(chat.msg(ZHANG, "/name 华东区-张三丰", 1))
    service.handle_message(chat.msg(LEADER, "/name @lisi 不合格式", 2))  # refused: no change
    engine.dispose()
    service, engine = new_service(db_url)  # the config still says 销售部-张三
    assert service.chat(chat.chat_id).roster.name(ZHANG) == "华东区-张三丰"
    assert service.chat(chat.chat_id).roster.name(LI) == "销售部-李四"
    service.handle_message(chat.msg(LEADER, "@zhangsan 把报价单发我 #任务", 3))
    service.tick(chat.sent[-1].at + timedelta(minutes=15))
    with engine.connect() as conn:
        reminder = conn.execute(
            select(orm.Outbox.text).where(orm.Outbox.kind == "reminder")
        ).scalar_one()
        registered = conn.execute(
            select(orm.Member.registered).where(orm.Member.user_id == ZHANG)
        ).scalar_one()
    assert "华东区-张三丰" in reminder and registered


def test_conduct_fines_join_the_one_ledger_waived_exported_and_booked_once(db_url, tmp_path):  # noqa: F811
    rules = replace(settings().rules, conduct=ConductRules(ad=FINE, fine_fen=2_000))
    service, engine = new_service(db_url, settings(rules))
    chat = Chat()
    ad = chat.msg(ZHANG, "加我微信 abc12345 低价代购", 1)
    service.handle_message(ad)
    late = chat.msg(LI, "开会又迟到了", 2)
    service.handle_message(late)
    service.handle_message(chat.msg(LEADER, "/fine 30元 开会迟到", 3, reply_to=late.message_id,
                                     reply_to_sender=LI))  # fmt: skip
    engine.dispose()
    service, engine = new_service(db_url, settings(rules))
    service.handle_message(ad)  # a redelivery: fined once
    fines = chat_report(engine, chat.chat_id)["fines"]
    shown = [(f["user_id"], f["rule"], f["amount"], f["directive_message_id"]) for f in fines]
    assert shown == [
        (ZHANG, "ad", "20.00", ad.message_id),
        (LI, "manual", "30.00", late.message_id),
    ]
    with engine.connect() as conn:
        said = (
            conn.execute(
                select(orm.Outbox.text)
                .where(orm.Outbox.kind == "fine_conduct")
                .order_by(orm.Outbox.id)
            )
            .scalars()
            .all()
        )
        rows = conn.execute(select(orm.Fine.id, orm.Fine.evidence, orm.Fine.booked_by)).all()
    assert said[0].startswith("💰 销售部-张三 罚款 20.00元：发广告（“加我微信 abc12345")
    assert said[1].startswith("💰 销售部-李四 罚款 30.00元：违反群规：开会迟到（1001 记罚）。")
    assert [(r.evidence, r.booked_by) for r in rows][1] == ("开会迟到", LEADER)
    service.waive(chat.chat_id, [FineQueries(engine).by_ids(chat.chat_id, [rows[1].id])[0]],
                  LEADER, "情况特殊", T0 + timedelta(hours=1))  # fmt: skip
    out = tmp_path / "fines.csv"
    export_month(engine, "2026-11", out, "csv", settings_of=lambda c: settings(rules))
    exported = out.read_text(encoding="utf-8-sig")
    assert "加我微信 abc12345" in exported and "发广告" in exported
    assert "开会迟到" in exported and "情况特殊" in exported
