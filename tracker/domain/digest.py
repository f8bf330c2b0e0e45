"""The daily overdue digest (日清日结): when it falls due, and what each item's state was at
that instant. Pure: rows and instants come in; nothing here reads the clock or the database.

A digest is rebuilt from the ledger *as of* its instant (acks, completions and cancellations
carry their times), so the live bot, a replay and `tracker digest --date` say the same thing.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo

from tracker.domain.clock import WorkCalendar
from tracker.domain.model import Directive, Kind

_DAY = timedelta(days=1)


class ItemState(enum.Enum):
    UNACKED = "unacked"  # the ack window closed without an acknowledgement
    PAST_DEADLINE = "past_deadline"  # acknowledged, deadline passed, not done
    AWAITING_ACK = "awaiting_ack"  # the ack window is still open
    DUE = "due"  # acknowledged, deadline ahead

    @property
    def overdue(self) -> bool:
        return self in (ItemState.UNACKED, ItemState.PAST_DEADLINE)


@dataclass(frozen=True, slots=True)
class AssignmentAsOf:
    """One member's part of one directive, as stored (times UTC)."""

    user_id: int
    name: str
    message_id: int
    text: str
    notice: bool
    created_at: datetime
    ack_due_at: datetime
    done_due_at: datetime | None
    acked_at: datetime | None
    done_at: datetime | None
    cancelled_at: datetime | None  # None with `cancelled` means: cancelled at an unknown time
    cancelled: bool


@dataclass(frozen=True, slots=True)
class OpenItem:
    user_id: int
    name: str
    message_id: int
    text: str
    state: ItemState
    since: datetime | None  # overdue since (ack due or deadline); or the deadline ahead

    def late_by(self, at: datetime) -> timedelta | None:
        return at - self.since if self.state.overdue and self.since is not None else None


def item_at(a: AssignmentAsOf, at: datetime, notices_complete: bool = False) -> OpenItem | None:
    """What a member still owed on a directive at instant `at`; None when nothing."""
    if a.created_at > at:
        return None
    if a.cancelled and (a.cancelled_at is None or a.cancelled_at <= at):
        return None
    if a.done_at is not None and a.done_at <= at:
        return None
    acked = a.acked_at is not None and a.acked_at <= at
    if not acked:
        if a.ack_due_at <= at:
            return _item(a, ItemState.UNACKED, a.ack_due_at)
        return _item(a, ItemState.AWAITING_ACK, a.ack_due_at)
    if a.done_due_at is None or (a.notice and not notices_complete):
        return None  # acknowledged, and no deadline to meet: nothing is owed (nor fined)
    if a.done_due_at <= at:
        return _item(a, ItemState.PAST_DEADLINE, a.done_due_at)
    return _item(a, ItemState.DUE, a.done_due_at)


def _item(a: AssignmentAsOf, state: ItemState, since: datetime | None) -> OpenItem:
    return OpenItem(a.user_id, a.name, a.message_id, a.text, state, since)


def listed_until(
    directives: Iterable[Directive], max_age: timedelta, notices_complete: bool = False
) -> datetime | None:
    """The last instant at which a digest still lists something these directives owe, as
    they stand now; None when they owe nothing. Whatever is owed is listed from its due time
    (the ack window's end, the deadline) until `max_age` past it; after that it is only counted
    (see `texts.digest`), and it alone does not make a day worth a digest: a dormant chat is
    not told every working day for years what it owed long ago."""
    last = None
    for directive in directives:
        if directive.cancelled:
            continue
        for a in directive.assignments.values():
            if not a.open:
                continue
            if a.acked_at is None:
                due = directive.ack_due_at
            else:  # the same reading as `item_at`: acknowledged, owed only a deadline
                due = directive.done_due_at or a.done_due_at
                if due is None or (directive.kind is Kind.NOTICE and not notices_complete):
                    continue
            until = due + max_age
            last = until if last is None or until > last else last
    return last


def sort_items(items: list[OpenItem], at: datetime) -> list[OpenItem]:
    """Overdue items first, the most recent first (what today left open leads); then acks
    still awaited and deadlines ahead, the soonest first."""

    def key(i: OpenItem) -> tuple:
        since = (i.since or at).timestamp()
        return (not i.state.overdue, -since if i.state.overdue else since, i.message_id, i.user_id)

    return sorted(items, key=key)


@dataclass(frozen=True, slots=True)
class DigestSchedule:
    """Digests at `at` local time on the chat's working days."""

    zone: tzinfo
    at: time
    calendar: WorkCalendar

    def instant(self, day: date) -> datetime:
        return datetime.combine(day, self.at, tzinfo=self.zone).astimezone(UTC)

    def last_before(self, moment: datetime) -> date:
        """The latest day whose digest instant is at or before `moment` (working or not):
        digests start after the bot first sees a chat."""
        day = moment.astimezone(self.zone).date()
        return day if self.instant(day) <= moment else day - _DAY

    def last_through(self, moment: datetime) -> date:
        """The latest working day whose digest instant is at or before `moment`."""
        day = self.last_before(moment)
        return day if self.calendar.is_workday(day) else self.previous_before(day)

    def next_after(self, through: date) -> date:
        """The first working day after `through`."""
        day = through + _DAY
        for _ in range(400):
            if self.calendar.is_workday(day):
                return day
            day += _DAY
        raise ValueError(f"no working day in the 400 days after {through}: check the calendar")

    def previous_before(self, day: date) -> date:
        """The last working day before `day`: its digest closed the period this one opens."""
        before = day - _DAY
        for _ in range(400):
            if self.calendar.is_workday(before):
                return before
            before -= _DAY
        raise ValueError(f"no working day in the 400 days before {day}: check the calendar")

    def first_of_week(self, day: date, previous: date | None = None) -> bool:
        """True for the week's first digest day (Monday, or the first working day after a
        holiday Monday): the weekly statistics go with it. `previous`, the last day that had a
        digest when known: if it was before this week, the silent days before `day` had none,
        and `day`'s is the week's first."""
        monday = day - timedelta(days=day.isoweekday() - 1)
        if previous is not None and previous < monday:
            return True
        return all(
            not self.calendar.is_workday(monday + timedelta(days=k))
            for k in range((day - monday).days)
        )


@dataclass(frozen=True, slots=True)
class FineLine:
    """A fine as the digest lists it (its status as of the digest's instant)."""

    user_id: int
    name: str
    rule: str
    amount_fen: int
    currency: str
    status: str
