"""The daily digest (日清日结) through TrackerService on real SQLite and PostgreSQL: when it is
booked, to whom, what it says as of its instant, and that nothing books it twice."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from sqlalchemy import select

from tests.builders import CHAT, LEADER, LI, WANG, ZHANG, Chat
from tests.digest_support import (
    DEPUTY,
    MONDAY,
    SIX_PM,
    chatter,
    digest_chat,
    digest_days,
    digest_through,
    local,
    monday,
    outbox,
)
from tests.support import new_service
from tracker.adapters.db import digest_queries as q
from tracker.adapters.db import orm
from tracker.adapters.db.fine_queries import FineQueries
from tracker.adapters.db.sql_ledger import SqlLedger
from tracker.adapters.files import chart_data
from tracker.adapters.files.charts import weekly_chart_png
from tracker.domain.rules import ChatSettings
from tracker.domain.stats import WeekPoint
from tracker.services import digests
from tracker.texts.digest import digest_text

TUESDAY, WEDNESDAY = MONDAY + timedelta(days=1), MONDAY + timedelta(days=2)
KEY = f"digest:{CHAT}"
MONDAY_DIGEST = "\n".join(
    [
        "📋 销售部工作群 日清日结 · 11月23日（周一）",
        "自 11月20日 18:00 以来指令 2 条；确认 2 人次：按时 1，迟到 1（销售部-李四）。",
        "💰 自 11月20日 18:00 以来罚款 3 笔，共 250.00元：销售部-李四 100.00元（超时未确认）、"
        "销售部-王五 100.00元（超时未确认）、销售部-李四 50.00元（逾期未完成）",
        "",
        "未清事项 2 项（其中逾期 2 项）：",
        # the most recent overdue first; the gist leaves out @mentions and #tags
        "• 销售部-李四：",
        "  「把报表发我 DUE+240」逾期未完成，已逾期 5 小时",
        "• 销售部-王五：",
        "  「销售部-王五 把合同发我」未确认，已逾期 7 小时 30 分钟",
    ]
)


def start(url, chat: ChatSettings | None = None, at=None, batching: bool = False):
    """A service that first sees the chat on Monday morning (digests start from then on)."""
    service, engine = new_service(url, chat or digest_chat(), batching=batching)
    service.chat(CHAT)
    service.tick(at or local(MONDAY, 8))
    return service, engine


def play_monday(service, chat: Chat | None = None) -> Chat:
    chat = chat or Chat()
    for message in monday(chat):
        service.handle_message(message)
    return chat


def restart(engine, url, chat: ChatSettings | None = None):
    engine.dispose()
    service, engine = new_service(url, chat or digest_chat())
    service.chat(CHAT)
    return service, engine


# -- a working day -------------------------------------------------------------------------------
def test_a_working_day_books_one_digest_to_the_chat_and_a_copy_to_each_leader(db_url):
    service, engine = start(db_url)
    play_monday(service)
    assert service.tick(local(MONDAY, 17, 59)) == SIX_PM  # the alarm clock is set for it
    assert outbox(engine) == []

    service.tick(local(MONDAY, 18, 1))

    rows = outbox(engine)
    assert [(r.dedupe_key, r.kind, r.target_chat_id) for r in rows] == [
        (f"{KEY}:2026-11-23", "digest", CHAT),
        (f"{KEY}:2026-11-23:leader:{LEADER}", "digest_leader", LEADER),
        (f"{KEY}:2026-11-23:leader:{DEPUTY}", "digest_leader", DEPUTY),
    ]
    assert {r.text for r in rows} == {MONDAY_DIGEST}
    assert {r.created_at for r in rows} == {SIX_PM}
    assert {r.status for r in rows} == {"pending"}
    assert "销售部-张三" not in MONDAY_DIGEST  # on time and done by noon: nothing to say
    assert digest_through(engine, CHAT) == MONDAY


def test_ticking_again_replaying_and_restarting_book_no_second_digest(db_url):
    service, engine = start(db_url)
    chat = play_monday(service)
    service.tick(local(MONDAY, 18, 1))
    first = outbox(engine)

    service.tick(local(MONDAY, 18, 30))
    service.tick(local(MONDAY, 23, 59))
    service, engine = restart(engine, db_url)
    for message in chat.sent:  # the same updates delivered again after the restart
        service.handle_message(message)
    service.tick(local(TUESDAY, 9))

    assert outbox(engine) == first
    assert digest_through(engine, CHAT) == MONDAY


def test_a_public_holiday_has_no_digest_and_the_next_working_day_has(db_url):
    service, engine = start(db_url, at=local(date(2026, 9, 30), 8))
    chat = Chat()
    for day in (date(2026, 9, 30) + timedelta(days=n) for n in range(9)):  # to 10-08
        service.handle_message(chatter(chat, local(day, 10)))  # someone says something daily
        service.tick(local(day, 18, 1))
    assert digest_days(engine) == [date(2026, 9, 30), date(2026, 10, 8)]
    assert digest_through(engine, CHAT) == date(2026, 10, 8)


def test_the_alarm_clock_sleeps_through_the_holiday_week(db_url):
    service, _ = start(db_url, at=local(date(2026, 9, 30), 8))
    assert service.tick(local(date(2026, 9, 30), 18, 1)) == local(date(2026, 10, 8), 18)


def test_digests_start_after_the_bot_first_sees_the_chat(db_url):
    service, engine = start(db_url, at=local(MONDAY, 20))  # first seen after 18:00
    service.tick(local(MONDAY, 23))
    assert digest_days(engine) == []
    assert digest_through(engine, CHAT) == MONDAY
    service.handle_message(chatter(Chat(), local(TUESDAY, 10)))
    service.tick(local(TUESDAY, 18))
    assert digest_days(engine) == [TUESDAY]


# -- catching up after downtime ------------------------------------------------------------------
def test_a_restart_after_two_missed_digests_sends_only_the_latest_marked_late(db_url):
    chat = digest_chat(leaders=(LEADER,))
    service, engine = start(db_url, chat)
    play_monday(service)
    down = local(MONDAY, 17)
    service.tick(down)
    service.heartbeat(down)

    back = local(WEDNESDAY, 9)  # Monday's and Tuesday's 18:00 passed while it was down
    service, engine = restart(engine, db_url, chat)
    service.catch_up(back, [chat], chat.rules)

    rows = outbox(engine)
    assert [(r.dedupe_key, r.kind) for r in rows] == [
        (f"{KEY}:2026-11-24", "digest"),
        (f"{KEY}:2026-11-24:leader:{LEADER}", "digest_leader"),
    ]
    text = rows[0].text
    assert text.startswith("📋 销售部工作群 日清日结 · 11月24日（周二）\n（补发：")
    assert "错过了 11月24日 18:00 的日报" in text
    assert "未确认，已逾期 1 天 8 小时" in text  # 王五, as of Tuesday 18:00 (31.5 hours)
    assert {r.created_at for r in rows} == {back}
    assert digest_through(engine, CHAT) == TUESDAY

    service, engine = restart(engine, db_url, chat)
    service.catch_up(back + timedelta(minutes=30), [chat], chat.rules)
    assert outbox(engine) == rows

    service.tick(local(WEDNESDAY, 18, 1))  # and the next one is on time again
    wednesday = [r for r in outbox(engine) if r.dedupe_key == f"{KEY}:2026-11-25"]
    assert len(wednesday) == 1 and "补发" not in wednesday[0].text


def test_a_restart_just_after_the_digest_time_sends_it_without_the_late_note(db_url):
    chat = digest_chat(leaders=(LEADER,))
    service, engine = start(db_url, chat)
    play_monday(service)
    service, engine = restart(engine, db_url, chat)
    service.catch_up(local(MONDAY, 18, 3), [chat], chat.rules)
    (row, _) = outbox(engine)
    assert row.text == MONDAY_DIGEST
    assert row.created_at == SIX_PM


# -- as of the instant ---------------------------------------------------------------------------
def test_the_digest_says_what_was_owed_at_18_00_though_later_messages_commit_with_it(db_url):
    """Replay commits in batches: the ack, the completion, the new directive and its fine
    after 18:00 are in the database when the digest row is written, in the same transaction."""
    service, engine = start(db_url, digest_chat(leaders=(LEADER,)))
    chat = Chat()
    task = chat.msg(LEADER, "@zhangsan @lisi 把报表发我 DUE+240 #任务", 0)
    batch = [
        task,
        chat.msg(ZHANG, "收到", 5),
        chat.msg(LI, "收到", 9 * 60 + 5),  # 18:05: late, after the digest
        chat.msg(ZHANG, "已完成", 9 * 60 + 10, reply_to=task.message_id),  # 18:10
        chat.msg(LEADER, "@lisi 把合同发我 #任务", 9 * 60 + 20),  # 18:20
    ]
    for message in batch:
        service.handle_message(message)
    service.tick(local(MONDAY, 19))  # books the 18:20 task's no-ack fine (18:50) as well

    (row, _) = outbox(engine)
    lines = row.text.splitlines()
    assert lines[1] == "自 11月20日 18:00 以来指令 1 条；确认 1 人次：按时 1，迟到 0。"
    assert lines[2].startswith("💰 自 11月20日 18:00 以来罚款 3 笔，共 200.00元：")
    assert lines[4:] == [
        "未清事项 2 项（其中逾期 2 项）：",
        "• 销售部-张三：",
        "  「把报表发我 DUE+240」逾期未完成，已逾期 5 小时",
        "• 销售部-李四：",
        "  「把报表发我 DUE+240」未确认，已逾期 8 小时 30 分钟",
    ]
    with engine.connect() as conn:  # as written in the digest's transaction
        statuses = conn.execute(
            select(orm.Assignment.user_id, orm.Assignment.status)
            .where(orm.Assignment.message_id == task.message_id)
            .order_by(orm.Assignment.user_id)
        ).all()
    assert statuses == [(ZHANG, "done"), (LI, "late")]
    assert len(FineQueries(engine).by_ids(CHAT, [1, 2, 3, 4])) == 4  # one more than it counts


def test_an_ack_counts_unless_its_directive_was_cancelled_before_the_digest(db_url):
    service, engine = start(db_url, digest_chat(leaders=(LEADER,)))
    chat = Chat()
    first = chat.msg(LEADER, "@zhangsan @lisi 把报表发我 #任务", 0)
    service.handle_message(first)
    service.handle_message(chat.msg(ZHANG, "收到", 5))
    service.handle_message(chat.msg(LEADER, "/cancel", 60, reply_to=first.message_id))  # 10:00
    second = chat.msg(LEADER, "@zhangsan 把合同发我 #任务", 120)
    service.handle_message(second)
    service.handle_message(chat.msg(ZHANG, "收到", 122))
    service.handle_message(chat.msg(LEADER, "/cancel", 570, reply_to=second.message_id))  # 18:30

    (row, _) = outbox(engine)
    assert row.text.splitlines()[1:] == [
        "自 11月20日 18:00 以来指令 2 条；确认 1 人次：按时 1，迟到 0。",
        "💰 自 11月20日 18:00 以来罚款 1 笔，共 100.00元：销售部-李四 100.00元（超时未确认）",
        "✅ 无未清事项。",  # 张三 acknowledged the second task, which has no deadline
    ]
    with engine.connect() as conn:  # nor is it read: an ack without a deadline owes nothing
        assert q.owed_at(conn, CHAT, SIX_PM) == []


def test_a_rebuilt_digest_agrees_with_the_one_sent_after_a_later_waiver(db_url):
    chat = digest_chat(leaders=(LEADER,))
    service, engine = start(db_url, chat)
    play_monday(service)
    service.tick(local(MONDAY, 18, 1))
    (fine, *_) = FineQueries(engine).by_ids(CHAT, [1])
    service.waive(CHAT, [fine], LEADER, "已请假报备", local(TUESDAY, 10))

    with engine.connect() as conn:
        rebuilt = digest_text(digests.collect(SqlLedger(conn), chat, MONDAY, SIX_PM))
    assert rebuilt == MONDAY_DIGEST


# -- the weekly chart ----------------------------------------------------------------------------
def test_the_first_digest_of_a_week_carries_a_chart_of_the_weeks_before(db_url):
    chat_settings = digest_chat(leaders=(LEADER,))
    first_monday = MONDAY - timedelta(weeks=2)  # 11-09
    service, engine = start(db_url, chat_settings, at=local(first_monday, 8))
    chat = Chat()
    for week in (-2, -1):  # the Mondays 11-09 and 11-16
        for message in monday(chat, days=7 * week):
            service.handle_message(message)
    service.handle_message(chatter(chat, local(MONDAY, 9)))  # this week's first digest is due
    for n in range(15):
        service.tick(local(first_monday + timedelta(days=n), 18, 1))

    charts = outbox(engine, ("chart",))
    assert [r.dedupe_key for r in charts] == [f"{KEY}:2026-11-16:chart", f"{KEY}:2026-11-23:chart"]
    assert date(2026, 11, 9) in digest_days(engine)  # the first week's digest, without a chart
    chart = charts[-1]
    assert (chart.kind, chart.target_chat_id, chart.created_at) == ("chart", CHAT, SIX_PM)
    title, points = chart_data.chart_points(chart.attachment)
    assert title == "销售部工作群 近 8 周回复情况"
    week = WeekPoint  # received, decided, on time, median: 张三 5 min, 李四 45 min, 王五 none
    assert points[-2:] == [
        week(date(2026, 11, 9), 3, 3, 1, timedelta(minutes=25)),
        week(date(2026, 11, 16), 3, 3, 1, timedelta(minutes=25)),
    ]
    assert [p.week_start for p in points] == [
        date(2026, 9, 28) + timedelta(weeks=k) for k in range(8)
    ]
    assert all(p.received == 0 for p in points[:-2])
    assert chart.text.startswith("📈 销售部工作群 近 8 周：按时确认率 33%")
    png = weekly_chart_png(points, title)
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and len(png) > 5_000


# -- crashes and switches ------------------------------------------------------------------------
def test_a_crash_between_tick_and_commit_writes_the_digest_exactly_once(db_url):
    chat = digest_chat(leaders=(LEADER,))
    service, engine = start(db_url, chat, batching=True)  # commits wait for a flush
    play_monday(service)
    service.tick(local(MONDAY, 17))
    service.uow.flush()  # the 13:00 fine: the digest is all that is left
    crashed = service
    crashed.tick(local(MONDAY, 18, 1))  # the digest is queued, never committed

    service, _ = new_service(db_url, chat)
    service.chat(CHAT)
    service.tick(local(MONDAY, 18, 2))
    assert [r.dedupe_key for r in outbox(engine)] == [
        f"{KEY}:2026-11-23",
        f"{KEY}:2026-11-23:leader:{LEADER}",
    ]

    crashed.uow.flush()  # a stale process that wakes up and commits after all adds nothing
    assert len(outbox(engine)) == 2
    assert outbox(engine)[0].text == MONDAY_DIGEST


def test_digest_off_writes_none_and_leaves_the_watermark_alone(db_url):
    chat = replace(digest_chat(), rules=replace(digest_chat().rules, digest=False))
    service, engine = start(db_url, chat)
    play_monday(service)
    assert service.tick(local(MONDAY, 17, 59)) == local(TUESDAY, 13)  # the next fine, not 18:00
    service.tick(local(MONDAY, 18, 1))
    assert outbox(engine) == []
    assert digest_through(engine, CHAT) is None


def test_digest_leaders_off_writes_the_chat_digest_only(db_url):
    service, engine = start(db_url, digest_chat(digest_to_leaders=False))
    play_monday(service)
    service.tick(local(MONDAY, 18, 1))
    assert [(r.kind, r.target_chat_id) for r in outbox(engine)] == [("digest", CHAT)]


def test_the_alarm_clock_still_names_the_digest_after_a_new_chat_is_adopted(db_url):
    service, _ = start(db_url)
    assert service.next_due() == SIX_PM
    service.adopt_chat(ChatSettings(-1007770001, "新项目群", frozenset({WANG})), local(MONDAY, 9))
    assert service.next_due() == SIX_PM
