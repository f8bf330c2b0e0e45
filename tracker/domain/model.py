"""Directives, assignments and fines, and the one table that says how an assignment may move.

Every status change goes through `Assignment.apply`, which looks the move up in TRANSITIONS; a
move that is not in the table is a bug and raises `IllegalTransition` naming state and event.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime


class Kind(enum.Enum):
    TASK = "task"
    NOTICE = "notice"


class Status(enum.Enum):
    PENDING = "pending"  # waiting for an acknowledgement, window still open
    ACKED = "acked"  # acknowledged in time
    LATE = "late"  # acknowledged after the window (the fine stays)
    OVERDUE = "overdue"  # a deadline passed unmet (no ack in time, or not done by done_due)
    DONE = "done"
    CANCELLED = "cancelled"
    LEFT = "left"  # the member left the chat with the assignment open (fines booked stay)
    AWAY = "away"  # the member was on approved leave when it reached them or fell due


class Event(enum.Enum):
    ACK = "ack"
    ACK_WINDOW_CLOSED = "ack_window_closed"
    DONE_DEADLINE_PASSED = "done_deadline_passed"
    COMPLETE = "complete"
    CANCEL = "cancel"
    # A leader ruled that an acknowledgement given the benefit of the doubt was none: back to
    # waiting inside the window, overdue after it.
    ACK_WITHDRAWN = "ack_withdrawn"
    ACK_REJECTED_LATE = "ack_rejected_late"
    MEMBER_LEFT = "member_left"
    ON_LEAVE = "on_leave"


S, E = Status, Event
# state -> event -> new state. Events absent for a state are illegal; None means "no change".
TRANSITIONS: dict[Status, dict[Event, Status | None]] = {
    S.PENDING: {
        E.ACK: S.ACKED,
        E.ACK_WINDOW_CLOSED: S.OVERDUE,
        E.DONE_DEADLINE_PASSED: S.OVERDUE,
        E.COMPLETE: S.DONE,
        E.CANCEL: S.CANCELLED,
        E.MEMBER_LEFT: S.LEFT,
        E.ON_LEAVE: S.AWAY,
    },
    S.ACKED: {
        E.ACK: None,
        E.ACK_WITHDRAWN: S.PENDING,
        E.ACK_REJECTED_LATE: S.OVERDUE,
        E.DONE_DEADLINE_PASSED: S.OVERDUE,
        E.COMPLETE: S.DONE,
        E.CANCEL: S.CANCELLED,
        E.MEMBER_LEFT: S.LEFT,
        E.ON_LEAVE: S.AWAY,
    },
    S.LATE: {
        E.ACK: None,
        E.ACK_REJECTED_LATE: S.OVERDUE,  # fined when the window closed: no second fine
        E.DONE_DEADLINE_PASSED: S.OVERDUE,
        E.COMPLETE: S.DONE,
        E.CANCEL: S.CANCELLED,
        E.MEMBER_LEFT: S.LEFT,
        E.ON_LEAVE: S.AWAY,
    },
    S.OVERDUE: {
        E.ACK: S.LATE,
        E.ACK_REJECTED_LATE: None,
        E.ACK_WINDOW_CLOSED: None,  # already overdue (a deadline inside the ack window)
        E.DONE_DEADLINE_PASSED: None,
        E.COMPLETE: S.DONE,
        E.CANCEL: S.CANCELLED,
        E.MEMBER_LEFT: S.LEFT,
        E.ON_LEAVE: S.AWAY,
    },
}
# Closed: late news (an ack, a completion, a deadline, a departure, leave) changes nothing.
_LATE_NEWS = (E.ACK, E.COMPLETE, E.CANCEL, E.DONE_DEADLINE_PASSED, E.MEMBER_LEFT, E.ON_LEAVE)
TERMINAL = frozenset({S.DONE, S.CANCELLED, S.LEFT, S.AWAY})
TRANSITIONS.update({closed: dict.fromkeys(_LATE_NEWS) for closed in TERMINAL})


DONE_STEP = "done"  # the step of a reminder before a completion deadline (at most 32 characters)


class IllegalTransition(Exception):
    def __init__(self, status: Status, event: Event) -> None:
        super().__init__(f"assignment in state {status.value!r} cannot take event {event.value!r}")


REACTION_UNLISTED, REACTION_UNTIMED = "reaction_unlisted", "reaction_untimed"


class Rule(enum.Enum):
    NO_ACK = "no_ack"
    UNRESOLVED = "unresolved"


@dataclass(slots=True, eq=False)
class Assignment:
    user_id: int
    name: str
    status: Status = Status.PENDING
    acked_at: datetime | None = None
    ack_message_id: int | None = None
    done_at: datetime | None = None
    # An acknowledgement given the benefit of the doubt (a reply to the directive that is
    # neither clearly yes nor clearly no): "pending" until a leader decides, then "accepted"
    # or "rejected"; None for a clear acknowledgement. The reply is kept as evidence.
    ack_review: str | None = None
    ack_text: str | None = None
    # A deadline this assignee promised in the reply ("下班前发群里") when the directive set none.
    done_due_at: datetime | None = None
    reviewed_by: int | None = None
    reviewed_at: datetime | None = None
    left_at: datetime | None = None  # the member left the chat with this open
    # The member's own acknowledgement window when leave deferred it (the chat's absent =
    # "defer"): from the first working moment after the leave to a full window later.
    ack_from: datetime | None = None
    ack_until: datetime | None = None
    # The status the database holds, as far as this process knows (None: not stored yet).
    # Writes are conditional on it, so a process with stale state cannot overwrite a newer one.
    stored_status: Status | None = None

    def apply(self, event: Event) -> bool:
        """Move by the table; True when the status changed."""
        try:
            new = TRANSITIONS[self.status][event]
        except KeyError:
            raise IllegalTransition(self.status, event) from None
        if new is None or new is self.status:
            return False
        self.status = new
        return True

    @property
    def open(self) -> bool:
        return self.status not in TERMINAL

    @property
    def awaiting_ack(self) -> bool:
        return self.acked_at is None and self.open


@dataclass(slots=True, eq=False)
class Directive:
    chat_id: int
    message_id: int
    kind: Kind
    author_id: int
    text: str
    created_at: datetime
    ack_due_at: datetime
    done_due_at: datetime | None = None
    deadline_phrase: str | None = None
    cancelled: bool = False
    cancelled_at: datetime | None = None
    assignments: dict[int, Assignment] = field(default_factory=dict)
    unresolved_mentions: tuple[str, ...] = ()

    @property
    def key(self) -> tuple[int, int]:
        return (self.chat_id, self.message_id)

    def ack_due_for(self, assignment: Assignment) -> datetime:
        """The end of this assignee's acknowledgement window (their own when leave deferred it)."""
        return assignment.ack_until or self.ack_due_at

    @property
    def status(self) -> str:
        return directive_status(self.cancelled, [a.status for a in self.assignments.values()])

    @property
    def open(self) -> bool:
        return not self.cancelled and any(a.open for a in self.assignments.values())


def directive_status(cancelled: bool, states: list[Status]) -> str:
    """open | overdue | done | cancelled | closed (everyone left or away), from the directive's
    flag and its assignments."""
    if cancelled:
        return "cancelled"
    if states and all(s in TERMINAL for s in states):
        if Status.DONE in states:
            return "done"
        return "cancelled" if Status.CANCELLED in states else "closed"
    if Status.OVERDUE in states:
        return "overdue"
    return "open"


@dataclass(frozen=True, slots=True)
class Fine:
    chat_id: int
    directive_message_id: int
    user_id: int
    name: str
    rule: Rule
    sequence: int
    amount_fen: int
    currency: str
    booked_at: datetime
    period: str = ""  # the ledger month in the chat's zone, "2026-11"
    # Why a replay cannot be sure of it (待核实): the export lists reactors of the directive it
    # does not name ("reaction_unlisted"), or one by this member without a date
    # ("reaction_untimed"); None: nothing speaks against it.
    doubt: str | None = None


@dataclass(frozen=True, slots=True)
class Reminder:
    chat_id: int
    directive_message_id: int
    step: str  # e.g. "remind_chat:0", "tell_leader:0", "done:0" (":<user>" for a promise)
    to: str  # "chat" | "leader"
    user_ids: tuple[int, ...]
    due_at: datetime

    @property
    def about_done(self) -> bool:
        """Before a completion deadline (not about the acknowledgement)."""
        return self.step.startswith(DONE_STEP + ":")
