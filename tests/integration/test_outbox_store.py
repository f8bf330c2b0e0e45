"""The outbox as a work queue, on SQLite and PostgreSQL: leases, order per chat, take-over."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from tracker.adapters.db import orm
from tracker.adapters.db.engine import make_engine, migrate
from tracker.adapters.db.outbox_store import LEASE, OutboxStore
from tracker.adapters.db.unit_of_work import SqlUnitOfWork

NOW = datetime(2026, 11, 24, 2, 0, tzinfo=UTC)


def store_with(url: str, targets: list[int], kinds: list[str] | None = None) -> OutboxStore:
    engine = make_engine(url)
    migrate(engine)
    uow = SqlUnitOfWork(engine)
    for i, target in enumerate(targets):
        kind = kinds[i] if kinds else "reminder"
        uow.add_outbox(
            {
                "dedupe_key": f"k{i}",
                "source_chat_id": target,
                "target_chat_id": target,
                "reply_to_message_id": 7 if kind in ("status", "status_edit") else None,
                "kind": kind,
                "text": f"m{i}",
                "mention_user_ids": "",
                "status": "pending",
                "created_at": NOW,
                "attempts": 0,
                "claimed_until": None,
                "sent_at": None,
                "error": None,
            }
        )
    uow.commit()
    return OutboxStore(engine)


def test_one_row_per_chat_per_round_in_id_order(db_url):
    store = store_with(db_url, [-1, -1, -2, -1])
    first = store.claim(NOW)
    assert [(r.target_chat_id, r.text) for r in first] == [(-1, "m0"), (-2, "m2")]
    assert store.claim(NOW) == []  # both chats have a row in flight
    store.sent(first[0].id, NOW, 10)
    assert [r.text for r in store.claim(NOW)] == ["m1"]


def test_a_second_sender_cannot_take_a_claimed_row(db_url):
    store = store_with(db_url, [-1])
    other = OutboxStore(make_engine(db_url))
    assert len(store.claim(NOW)) == 1
    assert other.claim(NOW) == []
    assert [r.text for r in other.claim(NOW + LEASE + timedelta(seconds=1))] == ["m0"]


def test_a_row_waiting_to_retry_blocks_its_chat_until_then(db_url):
    store = store_with(db_url, [-1, -1])
    (row,) = store.claim(NOW)
    store.retry_at(row.id, NOW + timedelta(seconds=30), "flood control")
    assert store.claim(NOW + timedelta(seconds=10)) == []
    assert store.take_over(NOW + timedelta(seconds=10)) == 0  # a back-off is kept
    again = store.claim(NOW + timedelta(seconds=31))
    assert [(r.text, r.attempts) for r in again] == [("m0", 2)]


def test_take_over_releases_rows_left_in_flight_by_a_dead_process(db_url):
    store = store_with(db_url, [-1, -1])
    store.claim(NOW)
    assert store.take_over(NOW + timedelta(seconds=1)) == 1
    assert [r.text for r in store.claim(NOW + timedelta(seconds=1))] == ["m0"]


def test_failed_rows_are_never_claimed_again(db_url):
    store = store_with(db_url, [-1, -1])
    (row,) = store.claim(NOW)
    store.failed(row.id, NOW, "Forbidden: bot was kicked from the supergroup chat")
    assert [r.text for r in store.claim(NOW)] == ["m1"]


def test_an_answer_to_a_command_does_not_wait_behind_its_chats_queue(db_url):
    store = store_with(db_url, [-1, -1, -1], ["reminder", "reminder", "reply"])
    first = store.claim(NOW)
    assert [r.text for r in first] == ["m2", "m0"]  # the answer first; m1 waits behind m0
    store.retry_at(first[1].id, NOW + timedelta(minutes=5), "flood control")
    store.sent(first[0].id, NOW, 11)
    assert store.claim(NOW + timedelta(minutes=1)) == []


def test_only_the_latest_edit_of_a_board_is_sent(db_url):
    kinds = ["status", "status_edit", "status_edit", "status_edit"]
    store = store_with(db_url, [-1, -1, -1, -1], kinds)
    assert store.coalesce_edits(NOW) == 2  # m1 and m2: m3 says it all
    (board,) = store.claim(NOW)
    store.sent(board.id, NOW, 99)
    assert [r.text for r in store.claim(NOW)] == ["m3"]


def test_a_chats_reminders_and_fines_go_before_its_boards(db_url):
    kinds = ["status", "status_edit", "reminder", "fine_no_ack"]
    store = store_with(db_url, [-1, -1, -1, -1], kinds)
    assert [r.text for r in store.heads(NOW)] == ["m2", "m0"]  # one head per lane, urgent first
    (reminder, board) = store.claim(NOW)
    store.sent(reminder.id, NOW, 10)
    assert [r.text for r in store.heads(NOW)] == ["m3", "m0"]  # the board is still in flight


def test_a_board_still_to_send_goes_with_its_newest_edit(db_url):
    kinds = ["status", "status_edit", "status_edit", "reminder"]
    store = store_with(db_url, [-1, -1, -1, -1], kinds)
    board = next(r for r in store.heads(NOW) if r.kind == "status")
    newest = store.newest_edit(board)
    assert newest.text == "m2"
    store.sent_folded(board, newest, NOW, 99)
    assert [r.text for r in store.heads(NOW)] == ["m3"]  # both edits are done
    assert store.status_message_id(-1, 7) is None  # the row's key is k0, not status:…
    with store.engine.connect() as conn:
        rows = conn.execute(
            select(orm.Outbox.text, orm.Outbox.status).order_by(orm.Outbox.id)
        ).all()
    assert [tuple(r) for r in rows] == [
        ("m2", "sent"),  # stored with the text it was sent with
        ("m1", "skipped"),
        ("m2", "skipped"),
        ("m3", "pending"),
    ]
