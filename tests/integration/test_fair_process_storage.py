"""Leave, departures and /ok through the service on a real database (SQLite and PostgreSQL):
stored, loaded again after a restart, and reported by `replay --json`'s shape."""

from __future__ import annotations

import csv
from datetime import date, timedelta

from sqlalchemy import select

from tests.builders import LEADER, LI, NO_QUIET, T0, WANG, ZHANG, Chat, settings
from tests.support import db_url, new_service  # noqa: F401  (fixture)
from tracker.adapters.db import orm
from tracker.adapters.db.report_queries import chat_report
from tracker.adapters.db.repository import Repository
from tracker.adapters.files.fine_export import export_month
from tracker.domain.inbound import MemberSeen, Mention
from tracker.domain.rules import ChatRules
from tracker.services.reports import digest_report, stats_report

MIN, HOUR = timedelta(minutes=1), timedelta(hours=1)


def test_leave_asked_then_approved_after_a_restart_exempts_and_is_reported(db_url):  # noqa: F811
    service, engine = new_service(db_url)
    chat = Chat()
    asked = chat.msg(ZHANG, "/leave 今天全天 看病", 0)
    service.handle_message(asked)
    engine.dispose()

    service, engine = new_service(db_url)  # a restart: the request is loaded, still pending
    outcome, _ = service.decide_leave(chat.chat_id, asked.message_id, ZHANG, LEADER, True, T0)
    assert outcome == "ok"
    people = (
        Mention("@zhangsan", "zhangsan"),
        Mention("@lisi", "lisi"),
        Mention("王五", None, WANG),
    )
    task = chat.msg(LEADER, "@zhangsan @lisi 王五 把报表发我 #任务", 5, mentions=people)
    service.handle_message(task)
    service.handle_members(
        [MemberSeen(chat.chat_id, WANG, "销售部-王五", left=True, at=T0 + 6 * MIN)]
    )
    service.handle_message(chat.msg(LEADER, "/ok @lisi", 7, reply_to=task.message_id))
    service.tick(T0 + timedelta(hours=2))

    report = chat_report(engine, chat.chat_id)
    (directive,) = report["directives"]
    status = {a["user_id"]: (a["status"], a["ack_review"]) for a in directive["assignees"]}
    assert status == {ZHANG: ("away", None), LI: ("acked", "confirmed"), WANG: ("left", None)}
    assert report["fines"] == []
    assert report["leave"] == [
        {"user_id": ZHANG, "from": "2026-11-22T16:00:00Z", "until": "2026-11-23T16:00:00Z",
         "by": LEADER}
    ]  # fmt: skip
    with engine.connect() as conn:
        kinds = conn.execute(select(orm.Outbox.kind).order_by(orm.Outbox.id)).scalars().all()
        left_at = conn.execute(
            select(orm.Assignment.left_at).where(orm.Assignment.user_id == WANG)
        ).scalar_one()
    assert kinds.count("leave") == 2 and kinds.count("member_left") == 1  # asked, approved
    assert left_at == T0 + 6 * MIN
    digest = digest_report(Repository(engine), settings(), date(2026, 11, 23), T0 + 9 * HOUR)
    assert "🏖 请假：销售部-张三（至11月23日）" in digest
    engine.dispose()


def test_the_export_marks_the_fines_of_a_member_who_left(db_url, tmp_path):  # noqa: F811
    service, engine = new_service(db_url)
    chat = Chat()
    service.handle_message(chat.msg(LEADER, "@zhangsan @lisi 把报表发我 #任务", 0))
    service.tick(T0 + 31 * MIN)  # both fined: no acknowledgement
    service.handle_members([MemberSeen(chat.chat_id, ZHANG, None, left=True, at=T0 + 40 * MIN)])
    out = tmp_path / "fines.csv"
    export_month(engine, "2026-11", out, fmt="csv")
    rows = list(csv.reader(out.read_text(encoding="utf-8-sig").splitlines()))
    header, lines = rows[0], rows[1:]
    marked = {line[header.index("成员ID")]: line[header.index("成员状态")] for line in lines}
    assert marked == {str(ZHANG): "已退群", str(LI): ""}
    engine.dispose()


DEFERRING = settings(ChatRules(quiet_hours=NO_QUIET, digest=False, absent="defer"))


def deferring_chat(url: str, *said: tuple[int, str, float]) -> Chat:
    """A deferring chat where Zhang is on leave until 12:00 (recorded at 09:00) and `said`
    follows; the service then stops."""
    service, engine = new_service(url, DEFERRING)
    chat = Chat()
    service.handle_message(chat.msg(LEADER, "/leave @zhangsan 今天上午 培训", 0))
    for sender, text, minutes in said:
        service.handle_message(chat.msg(sender, text, minutes))
    engine.dispose()
    return chat


def test_a_deferred_window_survives_a_restart_and_fines_once_at_its_own_end(db_url):  # noqa: F811
    chat_settings = DEFERRING
    task = (LEADER, "@zhangsan @lisi 把报表发我 #任务", 60)
    chat = deferring_chat(db_url, task, (LI, "收到", 61))

    service, engine = new_service(db_url, chat_settings)  # a restart: the window is loaded
    service.tick(T0 + 3 * HOUR + 15 * MIN)  # 12:15: one reminder of Zhang's own window
    service.handle_message(chat.msg(ZHANG, "收到", 3 * 60 + 16))
    engine.dispose()

    service, engine = new_service(db_url, chat_settings)
    service.tick(T0 + 10 * HOUR)
    report = chat_report(engine, chat.chat_id)
    assert report["fines"] == []  # answered inside 12:00–12:30
    (directive,) = report["directives"]
    assert {a["user_id"]: a["status"] for a in directive["assignees"]} == {
        ZHANG: "acked",
        LI: "acked",
    }
    with engine.connect() as conn:
        own = conn.execute(
            select(orm.Assignment.ack_from, orm.Assignment.ack_until).where(
                orm.Assignment.user_id == ZHANG
            )
        ).one()
        steps = conn.execute(select(orm.Reminder.step)).scalars().all()
    assert tuple(own) == (T0 + 3 * HOUR, T0 + 3 * HOUR + 30 * MIN)
    assert steps == [f"remind_chat:0:{ZHANG}"]
    stats = stats_report(Repository(engine), chat_settings, date(2026, 11, 23), T0 + 10 * HOUR)
    assert "按时 2（100%）" in stats  # Zhang's answer judged against his own window
    engine.dispose()


def test_a_deferred_window_left_unanswered_is_fined_once_across_restarts(db_url):  # noqa: F811
    chat_settings, rules = DEFERRING, DEFERRING.rules
    chat = deferring_chat(db_url, (LEADER, "@zhangsan 把报表发我 #任务", 60))
    for hours in (2, 3.5, 5, 5):  # restarts before, at and after the end of his window
        service, engine = new_service(db_url, chat_settings)
        service.catch_up(T0 + timedelta(hours=hours), [chat_settings], rules)
        engine.dispose()
    service, engine = new_service(db_url, chat_settings)
    report = chat_report(engine, chat.chat_id)
    assert [(f["user_id"], f["rule"], f["booked_at"]) for f in report["fines"]] == [
        (ZHANG, "no_ack", "2026-11-23T04:30:00Z")
    ]
    engine.dispose()
