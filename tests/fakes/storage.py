"""In-memory versions of the ports (`tracker.services.ports`), so the use cases are tested
without a database: a unit of work that keeps what each commit wrote, a store that remembers
chats between "processes", and a ledger over the fines the commits booked.

The fakes keep what a test can check (events, touched chats, outbox rows, fines and their
status); the digest's reads answer from the fines and directives they hold, the rest empty."""

from __future__ import annotations

import copy
from contextlib import nullcontext
from dataclasses import dataclass, field
from datetime import datetime, tzinfo

from tracker.domain.chat_state import ChatState
from tracker.domain.digest import FineLine
from tracker.domain.events import DirectiveOpened, DomainEvent, FinesBooked
from tracker.domain.ledger import FineStatus, Waiver, waiver
from tracker.domain.rules import ChatRules, ChatSettings
from tracker.errors import DatabaseError, MonthClosed


@dataclass
class StoredFine:
    id: int
    chat_id: int
    user_id: int
    name: str
    rule: str
    amount_fen: int
    currency: str
    booked_at: datetime
    period: str
    status: str = FineStatus.BOOKED.value


@dataclass
class FakeLedger:
    fines: list[StoredFine] = field(default_factory=list)
    closed: set[str] = field(default_factory=set)
    directives: list[tuple[int, datetime]] = field(default_factory=list)  # chat, created_at
    outbox: list[dict] = field(default_factory=list)

    def book(self, events: list[DomainEvent]) -> None:
        for event in events:
            if isinstance(event, FinesBooked):
                for f in event.fines:
                    self.fines.append(
                        StoredFine(
                            len(self.fines) + 1,
                            f.chat_id,
                            f.user_id,
                            f.name,
                            f.rule.value,
                            f.amount_fen,
                            f.currency,
                            f.booked_at,
                            f.period,
                        )
                    )
            elif isinstance(event, DirectiveOpened):
                d = event.directive
                self.directives.append((d.chat_id, d.created_at))

    def closed_months(self) -> set[str]:
        return set(self.closed)

    def refuse_if_closed(self, month: str) -> None:
        if month in self.closed:
            raise MonthClosed(f"{month} is closed")

    def close_month(self, month: str, now: datetime) -> datetime | None:
        self.closed.add(month)
        return None

    def mark_paid(self, month, user_id, by, now, chat_ids) -> tuple[int, int]:
        self.refuse_if_closed(month)
        paid = [
            f
            for f in self.fines
            if f.period == month
            and f.user_id == user_id
            and f.status == FineStatus.BOOKED
            and (chat_ids is None or f.chat_id in chat_ids)
        ]
        for f in paid:
            f.status = FineStatus.PAID.value
        return len(paid), sum(f.amount_fen for f in paid)

    def waive(self, fines: list, by: int, reason: str, now: datetime, zone: tzinfo):
        changed = []
        for fine in fines:
            stored = next((f for f in self.fines if f.id == fine.id), None)
            status = None if stored is None else stored.status
            if waiver(fine.rule, status, fine.period, self.closed, False) is Waiver.WAIVE:
                stored.status = FineStatus.WAIVED.value
                changed.append((fine, False))
        return changed

    def owed_at(self, chat_id, at, notices_complete):
        return []

    def acks_between(self, chat_id, start, end):
        return []

    def directives_between(self, chat_id, start, end) -> int:
        return sum(c == chat_id and start <= at <= end for c, at in self.directives)

    def away_at(self, chat_id, at) -> list:
        return []

    def fines_between(self, chat_id, start, end) -> list[FineLine]:
        return [
            FineLine(f.user_id, f.name, f.rule, f.amount_fen, f.currency, f.status)
            for f in self.fines
            if f.chat_id == chat_id and start <= f.booked_at <= end
        ]

    def ack_samples(self, chat_id, start, end, as_of):
        return []

    def fine_amounts(self, chat_id, start, end):
        return []

    def add_outbox(self, rows: list[dict]) -> None:
        self.outbox.extend(rows)


class FakeUnitOfWork:
    """Commits into lists; `fail_next` makes the next commit raise as a refused write does."""

    def __init__(self, store: FakeStore) -> None:
        self.store = store
        self.ledger = store.ledger
        self.commits: list[dict] = []  # what each commit wrote
        self.fail_next = False
        self.last_update_id: int | None = None
        self.heartbeat: datetime | None = None
        self._reset()

    def _reset(self) -> None:
        self.events: list[DomainEvent] = []
        self.touched: dict[int, ChatState] = {}
        self.rows: list[dict] = []
        self.deferred: list = []
        self.last_update_id = self.heartbeat = None

    def __enter__(self) -> FakeUnitOfWork:
        self._reset()
        return self

    def __exit__(self, *exc) -> None:
        self._reset()

    def __bool__(self) -> bool:
        return bool(self.events or self.touched or self.rows or self.deferred)

    def touch(self, chat: ChatState) -> None:
        self.touched[chat.chat_id] = chat

    def record(self, events: list[DomainEvent]) -> None:
        self.events.extend(events)

    def add_outbox(self, row: dict) -> None:
        self.rows.append(row)

    def defer(self, work) -> None:
        self.deferred.append(work)

    def commit(self) -> None:
        if self.fail_next:
            self.fail_next = False
            self._reset()
            raise DatabaseError("database refused a write: (the fake said no)")
        before = len(self.ledger.outbox)
        self.ledger.book(self.events)
        self.ledger.outbox.extend(self.rows)
        for work in self.deferred:
            work(self.ledger)
        for chat in self.touched.values():  # what a restart loads
            self.store.chats[chat.chat_id] = copy.deepcopy(chat)
        self.store.update_id = max(self.store.update_id, self.last_update_id or 0)
        self.store.heartbeat = self.heartbeat or self.store.heartbeat
        self.commits.append(
            {
                "events": list(self.events),
                "chats": sorted(self.touched),
                "outbox": self.ledger.outbox[before:],
                "update_id": self.last_update_id,
                "heartbeat": self.heartbeat,
            }
        )
        self._reset()

    def flush(self) -> None:
        return None

    @property
    def outbox(self) -> list[dict]:
        return self.ledger.outbox


class FakeStore:
    """Chats as the last commit left them: a new service on the same store is a restart."""

    def __init__(self) -> None:
        self.ledger = FakeLedger()
        self.chats: dict[int, ChatState] = {}
        self.adopted: dict[int, ChatSettings] = {}
        self.update_id = 0
        self.heartbeat: datetime | None = None

    def load_chat(self, settings: ChatSettings) -> ChatState:
        state = self.chats.get(settings.chat_id)
        return copy.deepcopy(state) if state is not None else ChatState.fresh(settings)

    def adopted_chats(self, rules: ChatRules):
        return [(s, None) for s in self.adopted.values()]

    def save_adopted(self, settings: ChatSettings) -> None:
        self.adopted[settings.chat_id] = settings

    def migrate_chat(self, settings: ChatSettings, old_chat_id: int) -> None:
        raise DatabaseError("the fake store does not move chats")

    def last_update_id(self) -> int:
        return self.update_id

    def last_heartbeat(self) -> datetime | None:
        return self.heartbeat

    def analyze(self) -> None:
        return None

    def reading(self):
        return nullcontext(self.ledger)
