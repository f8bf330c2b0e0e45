"""The use cases on in-memory ports (`tests/fakes/storage.py`), no database: each is one unit
of work that commits once, holds its state, ledger and messages together, and forgets what it
decided when the commit fails."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.builders import CHAT, LEADER, LI, T0, ZHANG, Chat, FixedDeadlines, settings
from tests.fakes.storage import FakeStore, FakeUnitOfWork
from tracker.domain.engine import Engine
from tracker.domain.events import FinesBooked
from tracker.domain.ledger import FineStatus
from tracker.domain.outgoing import BOARD_KINDS, MessageKind
from tracker.domain.rules import ChatRules
from tracker.errors import DatabaseError, NotAllowed
from tracker.services.tracker import TrackerService

MIN = timedelta(minutes=1)
TASK = "@zhangsan 把报表发我 #任务"


def service_on(store: FakeStore, live: bool = False) -> tuple[TrackerService, FakeUnitOfWork]:
    uow = FakeUnitOfWork(store)
    chat = settings()
    find = lambda chat_id: chat if chat_id == CHAT else None  # noqa: E731
    service = TrackerService(find, store, uow, Engine(FixedDeadlines()), status_messages=live)
    return service, uow


def kinds(rows: list[dict]) -> list[str]:
    return [r["kind"] for r in rows]


def fines_of(store: FakeStore) -> list[tuple[int, str, str]]:
    return [(f.user_id, f.rule, f.status) for f in store.ledger.fines]


def test_each_use_case_commits_once_with_what_it_decided():
    store = FakeStore()
    service, uow = service_on(store)
    chat = Chat()
    service.handle_message(chat.msg(LEADER, TASK, 0))
    service.handle_message(chat.msg(ZHANG, "大家好", 1))
    due = service.tick(T0 + 31 * MIN)
    assert len(uow.commits) == 3
    last = uow.commits[-1]
    assert any(isinstance(e, FinesBooked) for e in last["events"])
    assert sorted(kinds(last["outbox"])) == sorted(
        [MessageKind.REMINDER, MessageKind.REMINDER, MessageKind.LEADER_NOTICE]
        + [MessageKind.FINE_NO_ACK]
    )
    assert last["chats"] == [CHAT]
    assert fines_of(store) == [(ZHANG, "no_ack", FineStatus.BOOKED)]
    assert due is None  # nothing else falls due: no deadline, digests off

    assert service.tick(T0 + 90 * MIN) is None
    assert fines_of(store) == [(ZHANG, "no_ack", FineStatus.BOOKED)]  # once


def test_an_acknowledgement_in_time_books_nothing():
    store = FakeStore()
    service, uow = service_on(store)
    chat = Chat()
    assert service.handle_message(chat.msg(LEADER, TASK, 0)) == T0 + 10 * MIN  # first reminder
    service.handle_message(chat.msg(ZHANG, "收到", 5))
    service.tick(T0 + timedelta(hours=2))
    assert store.ledger.fines == [] and store.ledger.outbox == []


def test_the_update_id_and_the_answer_commit_with_the_message():
    store = FakeStore()
    service, uow = service_on(store)
    msg = Chat().msg(LEADER, TASK, 0)
    service.handle_message(msg, update_id=41, answer="已记录")
    (commit,) = uow.commits
    assert commit["update_id"] == 41
    assert [(r["kind"], r["reply_to_message_id"]) for r in commit["outbox"]] == [
        (MessageKind.REPLY, msg.message_id)
    ]
    assert service.seen_update(41) and not service.seen_update(42)
    again, _ = service_on(store)  # a restart
    assert again.seen_update(41)


def test_a_failed_commit_forgets_and_the_next_tick_books_the_fine_once():
    store = FakeStore()
    service, uow = service_on(store)
    chat = Chat()
    service.handle_message(chat.msg(LEADER, TASK, 0))
    uow.fail_next = True
    with pytest.raises(DatabaseError):
        service.tick(T0 + 31 * MIN)
    assert store.ledger.fines == []  # nothing of the failed tick was kept
    assert service.next_due() == T0 + 31 * MIN  # the chats are to be loaded again: at once
    service.tick(T0 + 40 * MIN)
    assert fines_of(store) == [(ZHANG, "no_ack", FineStatus.BOOKED)]
    assert kinds(store.ledger.outbox).count(MessageKind.FINE_NO_ACK) == 1


def test_a_waiver_and_its_announcement_commit_together():
    store = FakeStore()
    service, uow = service_on(store)
    chat = Chat()
    service.handle_message(chat.msg(LEADER, TASK, 0))
    service.tick(T0 + 31 * MIN)
    (fine,) = store.ledger.fines
    with pytest.raises(NotAllowed):
        service.waive(CHAT, [fine], ZHANG, "不算", T0 + 40 * MIN)
    commits = len(uow.commits)
    service.waive(CHAT, [fine], LEADER, "请假已报备", T0 + 40 * MIN)
    assert len(uow.commits) == commits + 1
    assert fines_of(store) == [(ZHANG, "no_ack", FineStatus.WAIVED)]
    assert kinds(uow.commits[-1]["outbox"]) == [MessageKind.WAIVED]

    uow.fail_next = True  # the payment's commit is refused: neither change nor message stays
    with pytest.raises(DatabaseError):
        service.record_payment(CHAT, ZHANG, "2026-11", LEADER, T0 + 50 * MIN)
    assert kinds(store.ledger.outbox).count(MessageKind.PAID) == 0


def test_a_payment_marks_the_month_paid_and_tells_the_chat():
    store = FakeStore()
    service, uow = service_on(store)
    chat = Chat()
    service.handle_message(chat.msg(LEADER, "@zhangsan @lisi 把报表发我 #任务", 0))
    service.tick(T0 + 31 * MIN)
    service.record_payment(CHAT, LI, "2026-11", LEADER, T0 + 50 * MIN)
    assert sorted(fines_of(store)) == [
        (ZHANG, "no_ack", FineStatus.BOOKED),
        (LI, "no_ack", FineStatus.PAID),
    ]
    (row,) = uow.commits[-1]["outbox"]
    assert row["kind"] == MessageKind.PAID and "销售部-李四" in row["text"]


def test_catching_up_after_an_absence_tells_the_chat_and_books_what_fell_due():
    store = FakeStore()
    service, uow = service_on(store)
    service.heartbeat(T0 - MIN)
    service.handle_message(Chat().msg(LEADER, TASK, 0))
    again, uow = service_on(store)  # down from T0 to T0 + 2 h
    again.catch_up(T0 + timedelta(hours=2), [settings()], ChatRules())
    (commit,) = uow.commits
    assert commit["heartbeat"] == T0 + timedelta(hours=2)
    assert MessageKind.OFFLINE in kinds(commit["outbox"])
    assert fines_of(store) == [(ZHANG, "no_ack", FineStatus.BOOKED)]


def test_status_boards_are_the_live_bot_s_step_only():
    for live, boards in ((True, 1), (False, 0)):
        service, uow = service_on(FakeStore(), live=live)
        service.handle_message(Chat().msg(LEADER, TASK, 0))
        assert sum(r["kind"] in BOARD_KINDS for r in uow.outbox) == boards
