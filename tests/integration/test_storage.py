"""Storage on real SQLite files and PostgreSQL: schema, exact round trips, restarts, two
processes, and the fine and its outbox row committed in one transaction."""

from __future__ import annotations

import contextlib
import dataclasses
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from alembic.autogenerate import compare_metadata
from alembic.config import Config as AlembicConfig
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import event, inspect, select, text

from tests.builders import CHAT, LEADER, LI, T0, WANG, ZHANG, Chat, settings
from tests.support import ALLOW_OUTBOX, REFUSE_OUTBOX, new_service, run_sql
from tracker.adapters.db import orm, unit_of_work
from tracker.adapters.db.engine import MIGRATIONS, make_engine, migrate
from tracker.adapters.db.utc_type import UTCDateTime
from tracker.domain.rules import ChatRules
from tracker.errors import DatabaseError, StaleState, TrackerError

TABLES = {"chats", "members", "directives", "assignments", "fines", "reminders", "outbox"}
MIN = timedelta(minutes=1)
SHANGHAI = ZoneInfo("Asia/Shanghai")

# What each table holds, without surrogate ids, in a stable order.
CONTENT = {
    "chats": (orm.Chat, ("id", "title", "last_message_id", "ticked_until")),
    "directives": (
        orm.Directive,
        (
            "message_id",
            "kind",
            "author_id",
            "text",
            "created_at",
            "ack_due_at",
            "done_due_at",
            "deadline_phrase",
            "cancelled",
            "open",
            "unresolved_mentions",
        ),
    ),
    "assignments": (
        orm.Assignment,
        ("message_id", "user_id", "name", "status", "acked_at", "ack_message_id", "done_at"),
    ),
    "fines": (
        orm.Fine,
        ("message_id", "user_id", "rule", "sequence", "amount_fen", "currency", "booked_at"),
    ),
    "reminders": (orm.Reminder, ("message_id", "step", "to", "user_ids", "due_at")),
    "outbox": (
        orm.Outbox,
        (
            "dedupe_key",
            "source_chat_id",
            "target_chat_id",
            "reply_to_message_id",
            "kind",
            "text",
            "mention_user_ids",
            "status",
            "created_at",
        ),
    ),
}


def content(engine) -> dict[str, list[tuple]]:
    out = {}
    with engine.connect() as conn:
        for name, (model, columns) in CONTENT.items():
            table = model.__table__
            rows = conn.execute(select(*(table.c[c] for c in columns))).all()
            out[name] = sorted(tuple(r) for r in rows)
    return out


def fines(engine) -> list[tuple]:
    return [(m, u, r, s, at) for m, u, r, s, _, _, at in content(engine)["fines"]]


def outbox_keys(engine) -> list[str]:
    return [row[0] for row in content(engine)["outbox"]]


def assert_aware_utc(value) -> None:
    if isinstance(value, datetime):
        assert value.tzinfo is not None, f"{value!r} came back naive"
        assert value.utcoffset() == timedelta(0), f"{value!r} did not come back in UTC"


def restart(engine, url):
    """A new process on the same database; it loads the chat as the bot does before polling."""
    engine.dispose()
    service, engine = new_service(url)
    service.chat(CHAT)
    return service, engine


# A day and a half in a sales chat: a task with a deadline, a notice, acks in time and late,
# one member finishing, the clock running on past two unresolved fines.
Say = tuple[int, str, float, dict]
DAY: list[Say | float] = [
    (LEADER, "@zhangsan @lisi 把报表发我 DUE+240 #任务", 0, {}),
    (ZHANG, "收到", 5, {}),
    (LEADER, "#通知 下午三点全员开会", 12, {}),
    25.0,  # the clock alone: the task's reminders at 10 and 20, the notice's at 22
    (LI, "收到", 45, {}),  # one bare ack, late for both the task (30) and the notice (42)
    (ZHANG, "已完成", 300, {"reply_to": 1}),
    (WANG, "好的", 301, {}),  # late for the notice
    36 * 60.0,
]


def play(url: str, restart_after: int | None = None):
    """Run DAY on a fresh service; commit after every step; optionally restart after one."""
    service, engine = new_service(url)
    chat = Chat()
    for i, step in enumerate(DAY):
        if isinstance(step, float):
            service.tick(T0 + step * MIN)
        else:
            sender, words, minutes, kw = step
            service.handle_message(chat.msg(sender, words, minutes, **kw))
        if i == restart_after:
            service, engine = restart(engine, url)
    return service, engine, chat


# -- schema --------------------------------------------------------------------------------------
def _schema(engine) -> dict:
    insp = inspect(engine)
    return {
        t: (
            sorted((c["name"], c["nullable"]) for c in insp.get_columns(t)),
            sorted(tuple(u["column_names"]) for u in insp.get_unique_constraints(t)),
            sorted((i["name"], tuple(i["column_names"])) for i in insp.get_indexes(t)),
        )
        for t in insp.get_table_names()
    }


def test_migrations_build_the_schema_from_an_empty_database_and_rerun_cleanly(db_url):
    engine = make_engine(db_url)
    assert inspect(engine).get_table_names() == []
    migrate(engine)
    first = _schema(engine)
    assert set(first) == set(orm.Base.metadata.tables) | {"alembic_version"}
    assert set(first) >= TABLES
    migrate(engine)  # a second start: nothing to do, nothing changes
    assert _schema(engine) == first
    cfg = AlembicConfig()
    cfg.set_main_option("script_location", MIGRATIONS)
    head = ScriptDirectory.from_config(cfg).get_current_head()
    with engine.connect() as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).all() == [(head,)]
        diff = compare_metadata(MigrationContext.configure(conn), orm.Base.metadata)
    assert diff == [], "the migrations and the models disagree"
    engine.dispose()


# -- a day, exactly -----------------------------------------------------------------------------
def test_a_directive_day_round_trips_rows_and_utc_times(db_url):
    service, engine = new_service(db_url)
    chat = Chat()
    words = "@zhangsan @lisi 把报表发我 DUE+240 #任务"
    posted = chat.msg(LEADER, words, 0)
    # Posted with a Shanghai offset: the database must keep the instant, in UTC.
    service.handle_message(dataclasses.replace(posted, at=posted.at.astimezone(SHANGHAI)))
    service.handle_message(chat.msg(ZHANG, "收到", 5))
    service.tick(T0 + timedelta(days=1))

    got = content(engine)
    at = lambda minutes: T0 + minutes * MIN  # noqa: E731
    assert got["chats"] == [(CHAT, "销售部工作群", 2, T0 + timedelta(days=1))]
    assert got["directives"] == [
        (1, "task", LEADER, words, T0, at(30), at(240), "DUE+240", False, True, "")
    ]
    assert got["assignments"] == [
        (1, ZHANG, "销售部-张三", "overdue", at(5), 2, None),
        (1, LI, "销售部-李四", "overdue", None, None, None),
    ]
    assert got["reminders"] == [
        (1, "done:0", "chat", f"{ZHANG},{LI}", at(180)),  # an hour before the deadline
        (1, "remind_chat:0", "chat", str(LI), at(10)),
        (1, "remind_chat:1", "chat", str(LI), at(20)),
        (1, "tell_leader:0", "leader", str(LI), at(20)),
    ]
    assert got["fines"] == [
        (1, ZHANG, "unresolved", 0, 5_000, "CNY", at(240)),
        (1, LI, "no_ack", 0, 10_000, "CNY", at(30)),
        (1, LI, "unresolved", 0, 5_000, "CNY", at(240)),
    ]
    outbox = {row[0]: row[1:5] + row[6:] for row in got["outbox"]}
    done_reminder = (CHAT, CHAT, 1, "done_reminder", "1002,1003", "pending", at(180))
    assert outbox == {
        f"reminder:{CHAT}:1:done:0": done_reminder,
        f"reminder:{CHAT}:1:remind_chat:0": (CHAT, CHAT, 1, "reminder", "1003", "pending", at(10)),
        f"reminder:{CHAT}:1:remind_chat:1": (CHAT, CHAT, 1, "reminder", "1003", "pending", at(20)),
        f"reminder:{CHAT}:1:tell_leader:0": (
            CHAT,
            LEADER,
            None,
            "leader_notice",
            "",
            "pending",
            at(20),
        ),
        f"fines:{CHAT}:1:no_ack:0": (CHAT, CHAT, 1, "fine_no_ack", "1003", "pending", at(30)),
        f"fines:{CHAT}:1:unresolved:0": (
            CHAT,
            CHAT,
            1,
            "fine_unresolved",
            "1002,1003",
            "pending",
            at(240),
        ),
    }
    for rows in got.values():
        for row in rows:
            for value in row:
                assert_aware_utc(value)

    # The stored value itself is the UTC instant (01:00), not Shanghai wall time (09:00).
    with engine.connect() as conn:
        raw = conn.exec_driver_sql("SELECT created_at FROM directives").scalar_one()
    if engine.dialect.name == "sqlite":
        assert str(raw).startswith("2026-11-23 01:00:00")
    else:
        assert raw == T0 and raw.utcoffset() is not None

    # A new process reads back the same instants, aware and in UTC.
    service, engine = restart(engine, db_url)
    directive = service.engine.chats[CHAT].open[1]
    assert (directive.created_at, directive.ack_due_at, directive.done_due_at) == (
        T0,
        at(30),
        at(240),
    )
    assert directive.assignments[ZHANG].acked_at == at(5)
    for value in (
        directive.created_at,
        directive.done_due_at,
        directive.assignments[ZHANG].acked_at,
    ):
        assert_aware_utc(value)
    assert service.engine.chats[CHAT].ticked_until == T0 + timedelta(days=1)
    engine.dispose()


# -- restarts and redelivery -------------------------------------------------------------------
@pytest.mark.parametrize("restart_after", range(len(DAY) - 1))
def test_a_restart_in_the_middle_catches_up_exactly_once(db_url, tmp_path, restart_after):
    _, reference, _ = play(f"sqlite:///{tmp_path / 'reference.db'}")
    expected = content(reference)
    # A day worth checking: 7 fines (4 on the task, 3 on the notice), 7 reminders (one before
    # the task's deadline), 11 messages.
    assert [len(expected[t]) for t in ("fines", "reminders", "outbox")] == [7, 7, 11]
    _, engine, _ = play(db_url, restart_after=restart_after)
    assert content(engine) == expected
    reference.dispose()
    engine.dispose()


def test_refeeding_the_same_messages_to_a_new_service_books_nothing_twice(db_url):
    _, engine, chat = play(db_url)
    before = content(engine)
    engine.dispose()
    service, engine = new_service(db_url)  # the first message loads the chat
    sent = iter(chat.sent)
    for step in DAY:
        if isinstance(step, float):
            service.tick(T0 + step * MIN)
        else:
            service.handle_message(next(sent))
    assert content(engine) == before
    engine.dispose()


def test_two_services_on_one_database_book_each_fine_and_outbox_row_once(db_url):
    first, engine_a = new_service(db_url, batching=True)
    chat = Chat()
    first.handle_message(chat.msg(LEADER, "@zhangsan @lisi 把报表发我 DUE+60 #任务", 0))
    first.uow.flush()
    second, engine_b = new_service(
        db_url, batching=True
    )  # another process, its own engine and memory
    second.chat(CHAT)
    first.chat(CHAT)

    for later in (T0 + 31 * MIN, T0 + timedelta(days=2)):
        first.tick(later)
        second.tick(later)
        first.uow.flush()
        with contextlib.suppress(StaleState):  # "another process got there first": it reloads
            second.uow.flush()

    booked = fines(engine_a)
    keys = [f[:4] for f in booked]
    assert len(keys) == len(set(keys)) == 2 + 2 * 2  # no_ack, unresolved #0 and #1, each
    outbox = outbox_keys(engine_a)
    assert len(outbox) == len(set(outbox))
    assert sorted(outbox) == sorted(
        [f"reminder:{CHAT}:1:{s}" for s in ("remind_chat:0", "remind_chat:1", "tell_leader:0")]
        + [f"fines:{CHAT}:1:{k}" for k in ("no_ack:0", "unresolved:0", "unresolved:1")]
    )
    assert len(content(engine_a)["reminders"]) == 3
    engine_a.dispose()
    engine_b.dispose()


def test_a_second_process_with_older_state_does_not_undo_an_ack_the_first_recorded(db_url):
    """Two processes overlap (say, during a deploy). The new one loaded the chat before the old
    one recorded ZHANG's ack; its tick must neither fine him nor overwrite the ack."""
    old, engine = new_service(db_url, batching=True)
    chat = Chat()
    old.handle_message(chat.msg(LEADER, "@zhangsan 把报表发我 #任务", 0))
    old.uow.flush()
    new, engine_new = new_service(db_url, batching=True)
    new.chat(CHAT)
    old.handle_message(chat.msg(ZHANG, "收到", 5))
    old.uow.flush()
    new.tick(T0 + 31 * MIN)
    with contextlib.suppress(TrackerError):  # refusing the stale write is one way to get it right
        new.uow.flush()
    assert fines(engine) == []
    assert [row[3:5] for row in content(engine)["assignments"]] == [("acked", T0 + 5 * MIN)]
    engine.dispose()
    engine_new.dispose()


def test_catching_up_on_start_books_what_fell_due_while_down_once(db_url):
    service, engine = new_service(db_url)
    chat = Chat()
    service.handle_message(chat.msg(LEADER, "@zhangsan 把报表发我 #任务", 0))
    for _ in range(2):  # back an hour later, then a second start at the same instant
        engine.dispose()
        service, engine = new_service(db_url)
        service.catch_up(T0 + timedelta(hours=1), [settings()], ChatRules())
        assert fines(engine) == [(1, ZHANG, "no_ack", 0, T0 + 30 * MIN)]
        assert len(content(engine)["reminders"]) == 3
    engine.dispose()


def test_tick_after_a_failed_commit_still_takes_what_falls_due(db_url, monkeypatch):
    """A commit fails (the database blinked); the engine forgets everything to reload it. The
    alarm clock's next tick must still book the fine of a chat where nobody writes."""
    service, engine = new_service(db_url)
    chat = Chat()
    service.handle_message(chat.msg(LEADER, "@zhangsan 把报表发我 #任务", 0))

    def blink(engine, changes):
        raise DatabaseError("database is locked")

    monkeypatch.setattr(unit_of_work, "write", blink)
    with pytest.raises(DatabaseError):
        service.handle_message(chat.msg(LEADER, "大家辛苦了", 1))
    monkeypatch.undo()

    service.tick(T0 + timedelta(hours=1))  # the wake-up job; no message comes
    assert fines(engine) == [(1, ZHANG, "no_ack", 0, T0 + 30 * MIN)]
    engine.dispose()


# -- one transaction -----------------------------------------------------------------------------
def _a_directive_awaiting_its_fine(url):
    service, engine = new_service(url)
    chat = Chat()
    service.handle_message(chat.msg(LEADER, "@zhangsan 把报表发我 #任务", 0))
    return service, engine, chat


def _the_tick(service) -> None:
    service.tick(T0 + 31 * MIN)  # reminders and the no_ack fine, all in one unit of work


def _assert_nothing_of_the_tick_was_kept(engine) -> None:
    got = content(engine)
    assert got["fines"] == [] and got["outbox"] == [] and got["reminders"] == []
    assert [row[3] for row in got["assignments"]] == ["pending"]
    assert got["chats"][0][3] == T0  # the tick mark did not move either


def _assert_booked_once_after_reloading(service, engine, chat) -> None:
    # The next update reloads the chat from the database and takes the steps again.
    service.handle_message(chat.msg(ZHANG, "收到", 40))
    service.tick(T0 + timedelta(days=1))
    assert fines(engine) == [(1, ZHANG, "no_ack", 0, T0 + 30 * MIN)]
    assert outbox_keys(engine) == sorted(
        [f"fines:{CHAT}:1:no_ack:0"]
        + [f"reminder:{CHAT}:1:{s}" for s in ("remind_chat:0", "remind_chat:1", "tell_leader:0")]
    )
    assert [row[3] for row in content(engine)["assignments"]] == ["late"]


def test_an_outbox_row_the_database_refuses_takes_its_fine_down_with_it(db_url):
    service, engine, chat = _a_directive_awaiting_its_fine(db_url)
    # The fine rows are inserted first, then the outbox rows; the database refuses the latter.
    run_sql(engine, REFUSE_OUTBOX[engine.dialect.name])
    with pytest.raises(DatabaseError, match="outbox refused"):
        _the_tick(service)
    _assert_nothing_of_the_tick_was_kept(engine)
    run_sql(engine, ALLOW_OUTBOX[engine.dialect.name])
    _assert_booked_once_after_reloading(service, engine, chat)
    engine.dispose()


def test_a_crash_after_writing_fine_and_outbox_row_keeps_neither(db_url, monkeypatch):
    service, engine, chat = _a_directive_awaiting_its_fine(db_url)
    write = unit_of_work.write_changes
    written: list[int] = []

    def write_then_crash(conn, changes):
        write(conn, changes)
        (count,) = conn.execute(text("SELECT count(*) FROM fines")).one()
        written.append(count)
        raise RuntimeError("process killed before COMMIT")

    monkeypatch.setattr(unit_of_work, "write_changes", write_then_crash)
    with pytest.raises(RuntimeError, match="before COMMIT"):
        _the_tick(service)
    assert written == [1]  # the fine was in the transaction when it died
    _assert_nothing_of_the_tick_was_kept(engine)
    monkeypatch.undo()
    _assert_booked_once_after_reloading(service, engine, chat)
    engine.dispose()


def test_stored_times_are_utc_whatever_the_offset_given():
    # A unit check of the column type, no database: the bind value is the UTC instant.
    column = UTCDateTime()
    local = datetime(2026, 11, 23, 9, 0, tzinfo=SHANGHAI)
    sqlite_dialect = make_engine("sqlite://").dialect
    assert column.process_bind_param(local, sqlite_dialect) == datetime(2026, 11, 23, 1, 0)
    back = column.process_result_value(datetime(2026, 11, 23, 1, 0), sqlite_dialect)
    assert back == local and back.tzinfo is UTC
    with pytest.raises(ValueError, match="naive"):
        column.process_bind_param(datetime(2026, 11, 23, 1, 0), sqlite_dialect)


def test_a_promised_deadline_and_a_pending_review_survive_a_restart(db_url):
    service, engine = new_service(db_url)
    chat = Chat()
    directive = chat.msg(LEADER, "@zhangsan @lisi 把报表发我 #任务", 0)
    service.handle_message(directive)
    service.handle_message(chat.msg(ZHANG, "收到 DUE+60 前发你", 2, reply_to=directive.message_id))
    service.handle_message(chat.msg(LI, "合同在老王那边", 3, reply_to=directive.message_id))
    engine.dispose()
    service, engine = new_service(db_url)  # a restart: everything comes back from the rows
    service.catch_up(T0 + 2 * timedelta(hours=1), [settings()], ChatRules())
    assert fines(engine) == [(1, ZHANG, "unresolved", 0, T0 + 62 * MIN)]
    with engine.connect() as conn:
        rows = conn.execute(
            select(orm.Assignment.user_id, orm.Assignment.ack_review, orm.Assignment.ack_text)
        ).all()
        box = conn.execute(
            select(orm.Outbox.dedupe_key, orm.Outbox.text).where(
                orm.Outbox.kind == "fine_unresolved"
            )
        ).all()
    assert [key for key, _ in box] == [f"fines:{CHAT}:1:unresolved:0:member:{ZHANG}"]
    assert "未在截止时间" in box[0][1] and "前完成这条任务" in box[0][1]
    assert sorted(rows) == [(ZHANG, None, None), (LI, "pending", "合同在老王那边")]
    engine.dispose()


# -- two processes, one database ------------------------------------------------------------------
def test_the_message_watermark_never_moves_backwards(db_url):
    """A process holding an older state (a replay behind the bot) commits after the one that
    saw newer messages: the stored watermark stays at the newest."""
    ahead, engine = new_service(db_url, batching=True)
    behind, engine_behind = new_service(db_url, batching=True)
    chat = Chat()
    early = chat.msg(LEADER, "早上好", 0)
    late = [chat.msg(ZHANG, f"第{i}条", i) for i in range(1, 4)]
    behind.chat(CHAT)
    ahead.chat(CHAT)
    for message in late:
        ahead.handle_message(message)
    ahead.uow.flush()
    behind.handle_message(early)
    behind.uow.flush()
    assert content(engine)["chats"][0][2] == late[-1].message_id
    engine.dispose()
    engine_behind.dispose()


def test_a_chat_loads_in_one_snapshot_while_another_process_writes(db_url):
    """Between load_chat's query of the open directives and that of their assignments, another
    process commits a new directive with its assignments: the loaded state holds neither (the
    snapshot), rather than assignments of a directive it does not know (a KeyError)."""
    writer, engine = new_service(db_url, batching=True)
    chat = Chat()
    writer.handle_message(chat.msg(LEADER, "@zhangsan 把报表发我 #任务", 0))
    writer.uow.flush()
    reader, reader_engine = new_service(db_url, batching=True)
    interleaved: list[str] = []

    @event.listens_for(reader_engine, "before_cursor_execute")
    def between(conn, cursor, statement, *_):
        if statement.lstrip().startswith("SELECT assignments.") and not interleaved:
            interleaved.append(statement)
            writer.handle_message(chat.msg(LEADER, "@lisi 把合同发我 #任务", 1))
            writer.uow.flush()  # another connection, committed before the query runs

    state = reader.store.load_chat(settings())
    assert interleaved, "the assignments query was not seen"
    assert sorted(state.open) == [1]
    assert sorted(state.open[1].assignments) == [ZHANG]
    with engine.connect() as conn:  # the second directive is there for the next load
        assert conn.execute(select(orm.Directive.message_id)).scalars().all() == [1, 2]
    engine.dispose()
    reader_engine.dispose()
