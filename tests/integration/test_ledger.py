"""The fines ledger on real SQLite and PostgreSQL: ledger months (periods) in the chat's zone and
past closed months, payments, waivers, reversals of a closed month's fines, and that a waiver and
its announcement are committed together or not at all."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from tests.builders import CHAT, LEADER, LI, NO_QUIET, T0, ZHANG, Chat, settings
from tests.support import ALLOW_OUTBOX, REFUSE_OUTBOX, new_service, run_sql
from tracker.adapters.db import ledger, orm
from tracker.adapters.db.fine_queries import FineQueries
from tracker.adapters.files.fine_export import export_month
from tracker.domain.rules import ChatRules
from tracker.errors import DatabaseError, MonthClosed, NotAllowed

SHANGHAI, NEW_YORK = ZoneInfo("Asia/Shanghai"), ZoneInfo("America/New_York")
DECEMBER_1 = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)  # 10:00 in Shanghai
MIN = timedelta(minutes=1)


def minutes_to(at: datetime) -> float:
    """Chat.msg counts minutes from T0 (Monday 2026-11-23 09:00 in Shanghai)."""
    return (at - T0) / MIN


def chat_in(zone: ZoneInfo = SHANGHAI):
    return settings(ChatRules(digest=False, quiet_hours=NO_QUIET, timezone=zone))


def fines(engine) -> list:
    with engine.connect() as conn:
        return conn.execute(select(orm.Fine.__table__).order_by(orm.Fine.id)).all()


def outbox(engine, kind: str) -> list:
    with engine.connect() as conn:
        return conn.execute(
            select(orm.Outbox.__table__).where(orm.Outbox.kind == kind).order_by(orm.Outbox.id)
        ).all()


def close(engine, month: str) -> datetime | None:
    with engine.begin() as conn:
        return ledger.close_month(conn, month, DECEMBER_1)


def a_month_of_fines(url):
    """November: 张三 never acks task 1 (100.00 at 09:30), reports task 2 done 30 minutes after
    its 11:00 deadline (50.00 at 11:00) and never acks task 4 (100.00 at 11:10); 李四 never acks
    task 1 (100.00). December 1st: 张三 never acks task 6 (100.00 at 10:30, period 2026-12)."""
    service, engine = new_service(url, chat_in())
    chat = Chat()
    service.handle_message(chat.msg(LEADER, "@zhangsan @lisi 把报表发我 #任务", 0))
    service.handle_message(chat.msg(LEADER, "@zhangsan 把合同发我 DUE+60 #任务", 60))
    service.handle_message(chat.msg(ZHANG, "收到", 65, reply_to=2))
    service.handle_message(chat.msg(LEADER, "@zhangsan 把发票发我 #任务", 100))
    service.handle_message(chat.msg(ZHANG, "已完成", 150, reply_to=2))
    service.tick(T0 + 200 * MIN)
    december = datetime(2026, 12, 1, 10, 0, tzinfo=SHANGHAI).astimezone(UTC)
    service.handle_message(chat.msg(LEADER, "@zhangsan 把周报发我 #任务", minutes_to(december)))
    service.tick(december + 40 * MIN)
    booked = [(f.message_id, f.user_id, f.rule, f.amount_fen, f.period) for f in fines(engine)]
    assert sorted(booked) == [
        (1, ZHANG, "no_ack", 10_000, "2026-11"),
        (1, LI, "no_ack", 10_000, "2026-11"),
        (2, ZHANG, "unresolved", 5_000, "2026-11"),
        (4, ZHANG, "no_ack", 10_000, "2026-11"),
        (6, ZHANG, "no_ack", 10_000, "2026-12"),
    ]
    return service, engine


def fine_of(engine, message_id: int, user_id: int = ZHANG):
    """The fine as the chat commands read it (what /waive passes to the service)."""
    (row,) = [f for f in fines(engine) if (f.message_id, f.user_id) == (message_id, user_id)]
    (fine,) = FineQueries(engine).by_ids(CHAT, [row.id])
    return fine


# -- periods -------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "closed, period",
    [
        ((), "2026-11"),
        (("2026-10",), "2026-11"),
        (("2026-11",), "2026-12"),
        (("2026-11", "2026-12"), "2027-01"),
    ],
)
def test_a_fine_falling_due_in_a_closed_month_is_booked_in_the_next_open_one(
    db_url, closed, period
):
    service, engine = new_service(db_url, chat_in())
    for month in closed:
        close(engine, month)
    chat = Chat()
    posted = datetime(2026, 11, 30, 23, 0, tzinfo=SHANGHAI).astimezone(UTC)
    service.handle_message(chat.msg(LEADER, "@zhangsan 把报表发我 #任务", minutes_to(posted)))
    service.tick(posted + 40 * MIN)

    (fine,) = fines(engine)
    assert (fine.rule, fine.booked_at, fine.period) == ("no_ack", posted + 30 * MIN, period)
    out = io.BytesIO()
    listed = export_month(engine, period, out, "csv", settings_of=lambda _: chat_in())
    assert (listed.fines, listed.total_fen) == (1, 10_000)
    assert "2026-11-30 23:30:00" in out.getvalue().decode("utf-8-sig")
    engine.dispose()


@pytest.mark.parametrize("zone, period", [(NEW_YORK, "2026-11"), (SHANGHAI, "2026-12")])
def test_a_fines_period_is_the_month_of_its_booking_in_the_chats_zone(db_url, zone, period):
    """2026-12-01 03:00 UTC is still 30 November, 22:00, in New York (EST, UTC-5)."""
    service, engine = new_service(db_url, chat_in(zone))
    chat = Chat()
    due = datetime(2026, 12, 1, 3, 0, tzinfo=UTC)
    service.handle_message(
        chat.msg(LEADER, "@zhangsan 把报表发我 #任务", minutes_to(due - 30 * MIN))
    )
    service.tick(due + MIN)

    (fine,) = fines(engine)
    assert (fine.booked_at, fine.period) == (due, period)
    with engine.begin() as conn:
        assert ledger.mark_paid(conn, period, ZHANG, LEADER, DECEMBER_1) == (1, 10_000)
    out = io.BytesIO()
    export_month(engine, period, out, "csv", settings_of=lambda _: chat_in(zone))
    local = f"{due.astimezone(zone):%Y-%m-%d %H:%M:%S}"
    assert local == ("2026-11-30 22:00:00" if zone is NEW_YORK else "2026-12-01 11:00:00")
    assert f"{local},{period}," in out.getvalue().decode("utf-8-sig")
    engine.dispose()


# -- payments ------------------------------------------------------------------------------------
def test_mark_paid_pays_only_the_booked_fines_of_that_member_and_month(db_url):
    service, engine = a_month_of_fines(db_url)
    with engine.begin() as conn:
        ledger.waive(conn, [fine_of(engine, 4)], LEADER, "请假已报备", DECEMBER_1, SHANGHAI)
    before = {f.id: f for f in fines(engine)}

    with engine.begin() as conn:
        assert ledger.mark_paid(conn, "2026-11", ZHANG, LEADER, DECEMBER_1) == (2, 15_000)
    after = {f.id: f for f in fines(engine)}
    paid = {i for i, f in after.items() if f.status == "paid"}
    assert paid == {
        i
        for i, f in before.items()
        if (f.user_id, f.period, f.status) == (ZHANG, "2026-11", "booked")
    }
    assert {(after[i].paid_at, after[i].paid_by) for i in paid} == {(DECEMBER_1, LEADER)}
    for i in set(after) - paid:
        assert after[i] == before[i]  # 李四's, the waived one and December's: untouched
    assert {after[i].status for i in set(after) - paid} == {"booked", "waived"}

    with engine.begin() as conn:
        assert ledger.mark_paid(conn, "2026-11", ZHANG, LEADER, DECEMBER_1) == (0, 0)
        assert ledger.mark_paid(conn, "2026-11", LI, None, DECEMBER_1, [CHAT + 1]) == (0, 0)
        assert ledger.mark_paid(conn, "2026-11", LI, None, DECEMBER_1, [CHAT]) == (1, 10_000)
        assert ledger.mark_paid(conn, "2026-12", ZHANG, None, DECEMBER_1) == (1, 10_000)
    engine.dispose()


def test_mark_paid_refuses_a_closed_month_and_changes_nothing(db_url):
    service, engine = a_month_of_fines(db_url)
    assert close(engine, "2026-11") is None
    assert close(engine, "2026-11") == DECEMBER_1  # closed before: when
    before = fines(engine)

    with pytest.raises(MonthClosed) as info, engine.begin() as conn:
        ledger.mark_paid(conn, "2026-11", ZHANG, LEADER, DECEMBER_1)
    assert "\n" not in str(info.value) and "2026年11月" in str(info.value)
    assert fines(engine) == before
    with engine.begin() as conn:
        assert ledger.mark_paid(conn, "2026-12", ZHANG, LEADER, DECEMBER_1) == (1, 10_000)
    engine.dispose()


def test_a_payment_and_its_announcement_are_written_in_one_commit(db_url):
    service, engine = a_month_of_fines(db_url)
    run_sql(engine, REFUSE_OUTBOX[engine.dialect.name])  # the announcement is refused
    with pytest.raises(DatabaseError, match="outbox refused"):
        service.record_payment(CHAT, LI, "2026-11", LEADER, DECEMBER_1)
    assert outbox(engine, "paid") == [] and {f.status for f in fines(engine)} == {"booked"}
    run_sql(engine, ALLOW_OUTBOX[engine.dialect.name])
    service.record_payment(CHAT, LI, "2026-11", LEADER, DECEMBER_1)
    (row,) = outbox(engine, "paid")
    assert "销售部-李四" in row.text and "100.00元" in row.text
    assert [f.user_id for f in fines(engine) if f.status == "paid"] == [LI]
    with pytest.raises(NotAllowed):
        service.record_payment(CHAT, LI, "2026-11", ZHANG, DECEMBER_1)
    engine.dispose()


# -- waivers -------------------------------------------------------------------------------------
def test_waiving_a_closed_months_fine_twice_books_one_reversal(db_url):
    service, engine = a_month_of_fines(db_url)
    close(engine, "2026-11")
    fine = fine_of(engine, 1)

    with engine.begin() as conn:
        changed = ledger.waive(conn, [fine, fine], LEADER, "系统故障", DECEMBER_1, SHANGHAI)
    assert changed == [(fine, True)]
    with engine.begin() as conn:
        assert ledger.waive(conn, [fine], LEADER, "又一次", DECEMBER_1, SHANGHAI) == []
    (reversal,) = [f for f in fines(engine) if f.reverses is not None]
    assert (reversal.rule, reversal.amount_fen, reversal.reverses) == (
        "reversal",
        -10_000,
        fine.id,
    )
    assert (reversal.period, reversal.status, reversal.booked_at) == (
        "2026-12",
        "booked",
        DECEMBER_1,
    )
    assert (reversal.user_id, reversal.waived_by, reversal.waived_reason) == (
        ZHANG,
        LEADER,
        "系统故障",
    )
    original = [f for f in fines(engine) if f.id == fine.id][0]
    assert (original.status, original.period) == ("booked", "2026-11")

    (as_read,) = FineQueries(engine).by_ids(CHAT, [reversal.id])
    with engine.begin() as conn:  # a reversal is not waived in turn
        assert ledger.waive(conn, [as_read], LEADER, "撤销冲销", DECEMBER_1, SHANGHAI) == []

    second = dict(reversal._mapping) | {"sequence": reversal.sequence + 1}
    del second["id"]
    with pytest.raises(IntegrityError), engine.begin() as conn:  # the schema says so too
        conn.execute(orm.Fine.__table__.insert().values(**second))
    assert len([f for f in fines(engine) if f.reverses is not None]) == 1
    engine.dispose()


def test_a_stale_read_of_a_fine_waived_before_its_month_closed_books_no_reversal(db_url):
    service, engine = a_month_of_fines(db_url)
    stale = fine_of(engine, 1)  # read while booked
    with engine.begin() as conn:
        assert ledger.waive(conn, [stale], LEADER, "请假", DECEMBER_1, SHANGHAI) != []
    close(engine, "2026-11")
    with engine.begin() as conn:
        ledger.waive(conn, [stale], LEADER, "请假", DECEMBER_1, SHANGHAI)
    assert [f for f in fines(engine) if f.reverses is not None] == []
    engine.dispose()


def test_waiving_through_the_service_twice_announces_and_reverses_once(db_url):
    service, engine = a_month_of_fines(db_url)
    close(engine, "2026-11")
    fine = fine_of(engine, 2)
    for _ in range(2):
        service.waive(CHAT, [fine], LEADER, "系统故障", DECEMBER_1)
    assert len([f for f in fines(engine) if f.reverses == fine.id]) == 1
    (row,) = outbox(engine, "waived")
    assert (
        row.text == "✅ 已免除罚款：销售部-张三 50.00元（原月份已结账，本月冲销）。原因：系统故障"
    )
    engine.dispose()


def test_a_paid_fine_of_an_open_month_is_not_waived(db_url):
    service, engine = a_month_of_fines(db_url)
    with engine.begin() as conn:
        ledger.mark_paid(conn, "2026-11", LI, LEADER, DECEMBER_1)
    fine = fine_of(engine, 1, LI)
    with engine.begin() as conn:
        assert ledger.waive(conn, [fine], LEADER, "请假", DECEMBER_1, SHANGHAI) == []
    assert fine_of(engine, 1, LI).status == "paid"
    engine.dispose()


def test_only_a_leader_may_waive(db_url):
    service, engine = a_month_of_fines(db_url)
    fine = fine_of(engine, 1)
    with pytest.raises(NotAllowed, match="leader"):
        service.waive(CHAT, [fine], ZHANG, "我请假了", DECEMBER_1)
    assert fine_of(engine, 1).status == "booked"
    assert outbox(engine, "waived") == []
    engine.dispose()


def test_a_waiver_and_its_announcement_are_committed_together_or_not_at_all(db_url):
    service, engine = a_month_of_fines(db_url)
    first, second = fine_of(engine, 1), fine_of(engine, 4)

    service.waive(CHAT, [first], LEADER, "请假已报备", DECEMBER_1)
    assert fine_of(engine, 1).waived_reason == "请假已报备"
    assert fine_of(engine, 1).status == "waived"
    (row,) = outbox(engine, "waived")
    assert (row.dedupe_key, row.target_chat_id) == (f"waived:{CHAT}:{first.id}", CHAT)

    # The status change is written, then the outbox refuses the announcement: neither stays.
    run_sql(engine, REFUSE_OUTBOX[engine.dialect.name])
    with pytest.raises(DatabaseError, match="outbox refused"):
        service.waive(CHAT, [second], LEADER, "出差", DECEMBER_1)
    assert fine_of(engine, 4).status == "booked"
    assert len(outbox(engine, "waived")) == 1
    run_sql(engine, ALLOW_OUTBOX[engine.dialect.name])

    service.waive(CHAT, [second], LEADER, "出差", DECEMBER_1)
    assert fine_of(engine, 4).status == "waived"
    assert [r.dedupe_key for r in outbox(engine, "waived")] == [
        f"waived:{CHAT}:{first.id}",
        f"waived:{CHAT}:{second.id}",
    ]
    engine.dispose()


@pytest.mark.parametrize("zone, period", [(NEW_YORK, "2026-11"), (SHANGHAI, "2026-12")])
def test_a_reversal_counts_in_the_open_month_of_the_waiver_in_the_chats_zone(db_url, zone, period):
    """An October fine, October closed, waived at 2026-12-01 03:00 UTC: in New York that is
    still 30 November, so the reversal counts in November; in Shanghai, in December."""
    service, engine = new_service(db_url, chat_in(zone))
    chat = Chat()
    posted = datetime(2026, 10, 30, 12, 0, tzinfo=zone).astimezone(UTC)
    service.handle_message(chat.msg(LEADER, "@zhangsan 把报表发我 #任务", minutes_to(posted)))
    service.tick(posted + 31 * MIN)
    close(engine, "2026-10")
    (fine,) = FineQueries(engine).by_ids(CHAT, [fines(engine)[0].id])
    assert fine.period == "2026-10"

    service.waive(CHAT, [fine], LEADER, "系统故障", datetime(2026, 12, 1, 3, 0, tzinfo=UTC))
    (reversal,) = [f for f in fines(engine) if f.reverses == fine.id]
    assert (reversal.period, reversal.amount_fen) == (period, -10_000)
    engine.dispose()
