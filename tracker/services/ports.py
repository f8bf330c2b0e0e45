"""What the use cases need from storage, as Protocols: the SQL versions live in
`tracker.adapters.db`, the in-memory ones in `tests/fakes/storage.py`. The use cases import no
storage module; the wiring (`tracker.entrypoints.bootstrap`) hands them one.

- `UnitOfWork`: one transaction. Inside `with uow:` a use case records what the engine decided
  (`record`, `touch`), the messages to send (`add_outbox`) and work that must read what the
  same transaction wrote (`defer`: a digest, a waiver); `commit()` writes all of it at once.
  Leaving the block without a commit drops it.
- `Ledger`: what deferred work reads and writes inside that transaction.
- `Store`: reads outside any unit of work (a chat's open state on first sight, a report), and
  the two writes that are a transaction of their own (adopting a chat, moving one to a new id).
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import datetime, tzinfo
from typing import Protocol

from tracker.domain.appeals import AppealRow
from tracker.domain.chat_state import ChatState
from tracker.domain.digest import AssignmentAsOf, FineLine
from tracker.domain.events import DomainEvent
from tracker.domain.rules import ChatRules, ChatSettings
from tracker.domain.stats import AckSample


class Ledger(Protocol):
    def closed_months(self) -> set[str]: ...

    def appeal_of(self, fine_id: int) -> AppealRow | None: ...

    def add_appeal(self, appeal: AppealRow) -> None: ...

    def decide_appeal(self, fine_id: int, decision: str, by: int, at: datetime) -> bool: ...

    def open_appeals(self, chat_id: int) -> list[AppealRow]: ...

    def refuse_if_closed(self, month: str) -> None: ...

    def close_month(self, month: str, now: datetime) -> datetime | None: ...

    def mark_paid(
        self, month: str, user_id: int, by: int | None, now: datetime, chat_ids: list[int] | None
    ) -> tuple[int, int]: ...

    def waive(
        self, fines: list, by: int, reason: str, now: datetime, zone: tzinfo
    ) -> list[tuple[object, bool]]: ...

    def owed_at(
        self, chat_id: int, at: datetime, notices_complete: bool
    ) -> list[AssignmentAsOf]: ...

    def acks_between(
        self, chat_id: int, start: datetime, end: datetime
    ) -> list[tuple[str, bool]]: ...

    def directives_between(self, chat_id: int, start: datetime, end: datetime) -> int: ...

    def fines_between(self, chat_id: int, start: datetime, end: datetime) -> list[FineLine]: ...

    def away_at(self, chat_id: int, at: datetime) -> list[tuple[str, datetime]]: ...

    def ack_samples(
        self, chat_id: int, start: datetime, end: datetime, as_of: datetime
    ) -> list[AckSample]: ...

    def fine_amounts(
        self, chat_id: int, start: datetime, end: datetime
    ) -> list[tuple[int, str, int]]: ...

    def add_outbox(self, rows: list[dict]) -> None: ...


Deferred = Callable[[Ledger], None]


class UnitOfWork(Protocol):
    heartbeat: datetime | None
    last_update_id: int | None  # the Telegram update this work came from

    def __enter__(self) -> UnitOfWork: ...

    def __exit__(self, *exc) -> None: ...

    def __bool__(self) -> bool: ...  # anything to write

    def touch(self, chat: ChatState) -> None: ...

    def record(self, events: list[DomainEvent]) -> None: ...

    def add_outbox(self, row: dict) -> None: ...

    def defer(self, work: Deferred) -> None: ...

    def commit(self) -> None: ...

    def flush(self) -> None: ...  # write what commits kept (batching); else nothing to do


class Store(Protocol):
    def load_chat(self, settings: ChatSettings) -> ChatState: ...

    def adopted_chats(self, rules: ChatRules) -> list[tuple[ChatSettings, int | None]]: ...

    def save_adopted(self, settings: ChatSettings) -> None: ...

    def migrate_chat(self, settings: ChatSettings, old_chat_id: int) -> None: ...

    def last_update_id(self) -> int: ...

    def last_heartbeat(self) -> datetime | None: ...

    def analyze(self) -> None: ...

    def reading(self) -> AbstractContextManager[Ledger]: ...  # one consistent read, no writes
