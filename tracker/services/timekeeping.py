"""The clock's side of the rules: every reminder, fine and digest due by an instant, the next
instant something falls due (for the alarm clock), and the notice of a long absence."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from tracker.domain.chat_state import ChatState
from tracker.domain.engine import Engine
from tracker.domain.events import DomainEvent
from tracker.domain.outgoing import MessageKind
from tracker.services.digest_clock import OFFLINE_NOTICE_AFTER, DigestClock
from tracker.services.notifications import Notifier
from tracker.services.ports import Store, UnitOfWork
from tracker.services.roster import Chats
from tracker.texts import notices

Record = Callable[[list[DomainEvent], datetime | None], None]


@dataclass(frozen=True)
class Steps:
    """What every step of a use case works with: the chats, the engine, the unit of work, how
    the engine's decisions are recorded (with the messages they cause), the digest clock."""

    chats: Chats
    engine: Engine
    uow: UnitOfWork
    record: Record
    digests: DigestClock


class Timekeeper:
    def __init__(self, steps: Steps) -> None:
        self.chats, self.engine, self.uow = steps.chats, steps.engine, steps.uow
        self.record, self.digests = steps.record, steps.digests
        self.last_tick: datetime | None = None

    def tick(self, now: datetime, catching_up: bool = False) -> None:
        """Take every step and digest due by `now`."""
        self.last_tick = now
        self.chats.load_pending()
        due = self.engine.next_due()
        if due is not None and due <= now:
            events = self.engine.tick(now)
            if events:
                self.record(events, now)
                for chat_id in {e.directive.chat_id for e in events}:
                    self.uow.touch(self.engine.chats[chat_id])
        if self.digests.needs_look(now):
            self.digests.take(now, catching_up)

    def next_due(self) -> datetime | None:
        if self.chats.pending and self.last_tick is not None:
            return self.last_tick  # chats still to load again after a failed commit: at once
        due, digest = self.engine.next_due(), self.digests.due()
        if digest is not None and (due is None or digest < due):
            return digest
        return due


def tell_absence(store: Store, notifier: Notifier, states: list[ChatState], now: datetime) -> None:
    """On start after more than a few minutes away: each chat is told for how long."""
    last = store.last_heartbeat()
    if last is None or now - last <= OFFLINE_NOTICE_AFTER:
        return
    for state in states:
        text = notices.offline(last, now, state.settings.rules.timezone)
        notifier.announce(state.chat_id, MessageKind.OFFLINE, text, now)
