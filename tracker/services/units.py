"""The two small objects every use case goes through: its guarded unit of work, and the
recorder of the engine's decisions."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from tracker.domain.events import DomainEvent
from tracker.services.notifications import Notifier
from tracker.services.ports import UnitOfWork


class Guarded:
    """A use case's unit of work; a failure inside it also makes memory forget. A class, not
    a generator context manager: it wraps every message of a replay."""

    __slots__ = ("uow", "forget")

    def __init__(self, uow: UnitOfWork, forget: Callable[[], None]) -> None:
        self.uow, self.forget = uow, forget

    def __enter__(self) -> UnitOfWork:
        self.uow.__enter__()
        return self.uow

    def __exit__(self, exc_type, exc, tb) -> None:
        try:
            if exc_type is not None:
                self.forget()
        finally:
            self.uow.__exit__(exc_type, exc, tb)


class Recorder:
    """The engine's decisions into the unit of work, with the messages they cause. Not a bound
    method of the service: that would make a cycle, and the service (which holds the database's
    writer lock until it is dropped) would then live until the garbage collector ran."""

    __slots__ = ("uow", "notifier")

    def __init__(self, uow: UnitOfWork, notifier: Notifier) -> None:
        self.uow, self.notifier = uow, notifier

    def __call__(self, events: list[DomainEvent], now: datetime | None) -> None:
        self.uow.record(events)
        self.notifier.on_events(events, now)
