"""What the engine decided: the service persists these and turns some into messages to send."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from tracker.domain.conduct.fines import ConductFine
from tracker.domain.conduct.removals import Removal
from tracker.domain.conduct.warnings import WarnEntry
from tracker.domain.leave import Leave
from tracker.domain.model import Assignment, Directive, Fine, Reminder


@dataclass(frozen=True, slots=True)
class DirectiveOpened:
    directive: Directive


@dataclass(frozen=True, slots=True)
class AssignmentChanged:
    """An assignment's status, ack or completion changed (ack, late ack, done, cancel, overdue,
    the member left)."""

    directive: Directive
    assignment: Assignment
    cause: str  # "ack" | "late_ack" | "done" | "cancel" | "overdue" | "left" | "away"


@dataclass(frozen=True, slots=True)
class DirectiveEdited:
    """A leader edited a directive live: the members it now also names (each with a window of
    their own from the edit), and whether its completion deadline moved."""

    directive: Directive
    added: tuple[Assignment, ...]
    deadline_moved: bool
    at: datetime


@dataclass(frozen=True, slots=True)
class DirectiveCancelled:
    directive: Directive
    by: int


@dataclass(frozen=True, slots=True)
class ReminderDue:
    reminder: Reminder
    directive: Directive
    names: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class FinesBooked:
    """Fines of one rule and sequence for one directive, booked at the same instant."""

    directive: Directive
    fines: tuple[Fine, ...]
    rejected_by: int | None = None  # a leader ruled the reply was no acknowledgement (不算)


@dataclass(frozen=True, slots=True)
class AckReviewed:
    """A leader decided on an acknowledgement given the benefit of the doubt (待确认)."""

    directive: Directive
    assignment: Assignment
    accepted: bool
    by: int


@dataclass(frozen=True, slots=True)
class MemberLearned:
    chat_id: int
    user_id: int
    name: str
    username: str | None
    left: bool = False
    registered: bool = False  # the member's name set with /name (群名片): it wins over others


@dataclass(frozen=True, slots=True)
class LeaveChanged:
    """Leave asked for, recorded by a leader, approved or refused (`decided` for the last two)."""

    leave: Leave
    decided: bool = False


@dataclass(frozen=True, slots=True)
class Warned:
    """A member got a warning (a leader's /warn or a conduct rule): `count` of the chat's
    `limit` now counting; at the limit the rule books remove them (篇二)."""

    entry: WarnEntry
    count: int
    limit: int


@dataclass(frozen=True, slots=True)
class WarningRevoked:
    """A leader's /unwarn: `entry` (now revoked) no longer counts; `count` still do."""

    entry: WarnEntry
    count: int
    limit: int


@dataclass(frozen=True, slots=True)
class RemovalChanged:
    """A removal proposed, confirmed by one more leader, decided (removed, kept) or lapsed."""

    removal: Removal
    by: int | None = None


@dataclass(frozen=True, slots=True)
class ConductFined:
    """A conduct fine booked (a rule's "fine" action or a leader's /fine)."""

    fine: ConductFine


DomainEvent = (
    DirectiveOpened
    | DirectiveEdited
    | AssignmentChanged
    | DirectiveCancelled
    | ReminderDue
    | FinesBooked
    | AckReviewed
    | MemberLearned
    | LeaveChanged
    | Warned
    | WarningRevoked
    | RemovalChanged
    | ConductFined
)
