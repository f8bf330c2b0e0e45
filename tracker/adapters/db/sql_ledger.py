"""The `Ledger` port on one SQL connection: the ledger's changes (`ledger`) and the digest's
and statistics' reads (`digest_queries`), inside the caller's transaction."""

from __future__ import annotations

from datetime import datetime, tzinfo

from sqlalchemy import Connection

from tracker.adapters.db import appeals, ledger
from tracker.adapters.db import digest_queries as q
from tracker.adapters.db.change_writes import insert_outbox


class SqlLedger:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def closed_months(self) -> set[str]:
        return ledger.closed_months(self.conn)

    def refuse_if_closed(self, month: str) -> None:
        ledger.refuse_if_closed(self.conn, month)

    def close_month(self, month: str, now: datetime) -> datetime | None:
        return ledger.close_month(self.conn, month, now)

    def mark_paid(self, month, user_id, by, now, chat_ids) -> tuple[int, int]:
        return ledger.mark_paid(self.conn, month, user_id, by, now, chat_ids)

    def waive(self, fines: list, by: int, reason: str, now: datetime, zone: tzinfo):
        return ledger.waive(self.conn, fines, by, reason, now, zone)

    def owed_at(self, chat_id: int, at: datetime, notices_complete: bool):
        return q.owed_at(self.conn, chat_id, at, notices_complete)

    def acks_between(self, chat_id: int, start: datetime, end: datetime):
        return q.acks_between(self.conn, chat_id, start, end)

    def directives_between(self, chat_id: int, start: datetime, end: datetime) -> int:
        return q.directives_between(self.conn, chat_id, start, end)

    def away_at(self, chat_id: int, at: datetime):
        return q.away_at(self.conn, chat_id, at)

    def fines_between(self, chat_id: int, start: datetime, end: datetime):
        return q.fines_between(self.conn, chat_id, start, end)

    def ack_samples(self, chat_id: int, start: datetime, end: datetime, as_of: datetime):
        return q.ack_samples(self.conn, chat_id, start, end, as_of=as_of)

    def fine_amounts(self, chat_id: int, start: datetime, end: datetime):
        return q.fine_amounts(self.conn, chat_id, start, end)

    def appeal_of(self, fine_id: int):
        return appeals.appeal_of(self.conn, fine_id)

    def add_appeal(self, appeal) -> None:
        appeals.add_appeal(self.conn, appeal)

    def decide_appeal(self, fine_id: int, decision: str, by: int, at: datetime) -> bool:
        return appeals.decide_appeal(self.conn, fine_id, decision, by, at)

    def open_appeals(self, chat_id: int):
        return appeals.open_appeals(self.conn, chat_id)

    def add_outbox(self, rows: list[dict]) -> None:
        insert_outbox(self.conn, rows)
