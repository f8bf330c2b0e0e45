"""The change buffer of one unit of work: what the engine decided, coalesced.

An assignment touched ten times is written once, in its final state; fines, reminders and
outbox rows are kept as rows; work that must read what the same transaction wrote (a digest, a
waiver) is kept to run last (`defer`). `change_writes` writes a buffer in one transaction.
"""

from __future__ import annotations

from datetime import datetime  # noqa: F401  (annotation below)

from tracker.domain.chat_state import ChatState
from tracker.domain.events import (
    AssignmentChanged,
    ConductFined,
    DirectiveCancelled,
    DirectiveEdited,
    DirectiveOpened,
    DomainEvent,
    FinesBooked,
    LeaveChanged,
    MemberLearned,
    ReminderDue,
    RemovalChanged,
    Warned,
    WarningRevoked,
)
from tracker.domain.ledger import FineStatus
from tracker.domain.model import Directive
from tracker.services.ports import Deferred


class Changes:
    def __init__(self) -> None:
        self.chats: dict[int, ChatState] = {}
        self.members: dict[tuple[int, int], dict] = {}
        self.new_directives: dict[tuple[int, int], Directive] = {}
        self.dirty_directives: dict[tuple[int, int], Directive] = {}
        self.dirty_assignments: dict[tuple[int, int, int], tuple[Directive, object]] = {}
        self.new_assignments: dict[tuple[int, int, int], tuple[Directive, object]] = {}
        self.fines: list[dict] = []
        self.reminders: list[dict] = []
        self.outbox: list[dict] = []
        self.leaves: dict[tuple[int, int, int], dict] = {}
        self.warnings: dict[tuple[int, int, int, str], dict] = {}
        self.removals: dict[tuple[int, int, int], dict] = {}
        self.heartbeat: datetime | None = None
        self.last_update_id: int | None = None  # the Telegram update this work came from
        # Work that reads what this transaction wrote (a digest, a payment) and writes more;
        # run last, in the same transaction, before the commit.
        self.deferred: list[Deferred] = []

    def __bool__(self) -> bool:
        return bool(
            self.chats
            or self.members
            or self.new_directives
            or self.dirty_directives
            or self.new_assignments
            or self.fines
            or self.reminders
            or self.outbox
            or self.leaves
            or self.warnings
            or self.removals
            or self.heartbeat
            or self.deferred
            or self.last_update_id is not None
        )

    def touch(self, chat: ChatState) -> None:
        self.chats[chat.chat_id] = chat

    def record(self, events: list[DomainEvent]) -> None:
        for event in events:
            if isinstance(event, AssignmentChanged):
                d, a = event.directive, event.assignment
                if d.key not in self.new_directives:
                    self.dirty_assignments[(d.chat_id, d.message_id, a.user_id)] = (d, a)
                    self.dirty_directives[d.key] = d
            elif isinstance(event, DirectiveOpened):
                self.new_directives[event.directive.key] = event.directive
            elif isinstance(event, DirectiveEdited):
                d = event.directive
                if d.key not in self.new_directives:  # else written whole, as it is now
                    self.dirty_directives[d.key] = d
                    for a in event.added:
                        self.new_assignments[(d.chat_id, d.message_id, a.user_id)] = (d, a)
            elif isinstance(event, DirectiveCancelled):
                if event.directive.key not in self.new_directives:
                    self.dirty_directives[event.directive.key] = event.directive
            elif isinstance(event, FinesBooked):
                self.fines.extend(_fine_row(f) for f in event.fines)
            elif isinstance(event, ConductFined):
                self.fines.append(_conduct_fine_row(event.fine))
            elif isinstance(event, ReminderDue):
                self.reminders.append(_reminder_row(event))
            elif isinstance(event, LeaveChanged):
                leave = event.leave
                self.leaves[(leave.chat_id, leave.request_id, leave.user_id)] = _leave_row(leave)
            elif isinstance(event, Warned | WarningRevoked):
                self.warnings[event.entry.key] = _warning_row(event.entry)
            elif isinstance(event, RemovalChanged):
                r = event.removal
                self.removals[(r.chat_id, r.proposal_id, r.user_id)] = _removal_row(r)
            elif isinstance(event, MemberLearned):
                self.members[(event.chat_id, event.user_id)] = {
                    "chat_id": event.chat_id,
                    "user_id": event.user_id,
                    "name": event.name,
                    "username": event.username,
                    "left_chat": event.left,
                    "registered": event.registered,
                }

    def stored(self) -> None:
        """After the commit: what was written is now what the database holds."""
        for directive in self.new_directives.values():
            for assignment in directive.assignments.values():
                assignment.stored_status = assignment.status
        for _, assignment in self.dirty_assignments.values():
            assignment.stored_status = assignment.status
        for _, assignment in self.new_assignments.values():
            assignment.stored_status = assignment.status

    def add_outbox(self, row: dict) -> None:
        self.outbox.append(row)

    def defer(self, work: Deferred) -> None:
        self.deferred.append(work)


def _fine_row(f) -> dict:
    return {
        "chat_id": f.chat_id,
        "message_id": f.directive_message_id,
        "user_id": f.user_id,
        "name": f.name,
        "rule": f.rule.value,
        "sequence": f.sequence,
        "amount_fen": f.amount_fen,
        "currency": f.currency,
        "booked_at": f.booked_at,
        "status": FineStatus.BOOKED.value,
        "period": f.period or f"{f.booked_at:%Y-%m}",
        "doubt": f.doubt,
        "evidence": None,
        "booked_by": None,
    }


def _reminder_row(event: ReminderDue) -> dict:
    r = event.reminder
    return {
        "chat_id": r.chat_id,
        "message_id": r.directive_message_id,
        "step": r.step,
        "to": r.to,
        "user_ids": ",".join(map(str, r.user_ids)),
        "due_at": r.due_at,
    }


def _leave_row(leave) -> dict:
    return {
        "chat_id": leave.chat_id,
        "request_id": leave.request_id,
        "user_id": leave.user_id,
        "name": leave.name,
        "starts_at": leave.start,
        "ends_at": leave.end,
        "reason": leave.reason,
        "asked_by": leave.asked_by,
        "asked_at": leave.asked_at,
        "status": leave.status,
        "decided_by": leave.decided_by,
        "decided_at": leave.decided_at,
    }


def _warning_row(entry) -> dict:
    return {
        "chat_id": entry.chat_id,
        "message_id": entry.message_id,
        "user_id": entry.user_id,
        "rule": entry.rule,
        "name": entry.name,
        "at": entry.at,
        "by": entry.by,
        "words": entry.words,
        "action": entry.action,
        "revoked_at": entry.revoked_at,
        "revoked_by": entry.revoked_by,
    }


def _removal_row(r) -> dict:
    row = {name: getattr(r, name) for name in r.__slots__}
    return row | {"confirmed_by": ",".join(map(str, r.confirmed_by))}


def _conduct_fine_row(f) -> dict:
    return {
        "chat_id": f.chat_id,
        "message_id": f.message_id,
        "user_id": f.user_id,
        "name": f.name,
        "rule": f.rule,
        "sequence": 0,
        "amount_fen": f.amount_fen,
        "currency": f.currency,
        "booked_at": f.at,
        "status": FineStatus.BOOKED.value,
        "period": f.period,
        "doubt": None,
        "evidence": f.words,
        "booked_by": f.by,
    }
