"""What an acknowledgement, a completion, a cancellation and a departure change on an assignment
and in the chat's indexes, each with the event it emits. The engine decides *whether*; these say
*what*."""

from __future__ import annotations

from datetime import datetime

from tracker.domain.chat_state import ChatState
from tracker.domain.events import AssignmentChanged, DirectiveCancelled, DomainEvent
from tracker.domain.inbound import IncomingMessage
from tracker.domain.model import Assignment, Directive, Event
from tracker.domain.on_time import acked_on_time


def acknowledge(
    chat: ChatState,
    directive: Directive,
    assignment: Assignment,
    at: datetime,
    message_id: int | None,
    events: list[DomainEvent],
    unsure: bool = False,
    text: str | None = None,
) -> None:
    """`unsure`: counted, but marked 待确认 with the reply kept for a leader to rule on."""
    late = not acked_on_time(at, directive.ack_due_for(assignment))
    assignment.apply(Event.ACK)
    assignment.acked_at = at
    assignment.ack_message_id = message_id
    if unsure:
        assignment.ack_review, assignment.ack_text = "pending", text
    chat.acked(directive, assignment.user_id)
    events.append(AssignmentChanged(directive, assignment, "late_ack" if late else "ack"))


def complete(
    chat: ChatState,
    directive: Directive,
    assignment: Assignment,
    msg: IncomingMessage,
    events: list[DomainEvent],
) -> None:
    """Done; a completion without an earlier ack counts as the ack too."""
    if not assignment.open:
        return
    if assignment.acked_at is None and assignment.status.value == "pending":
        assignment.acked_at, assignment.ack_message_id = msg.at, msg.message_id
    assignment.apply(Event.COMPLETE)
    assignment.done_at = msg.at
    chat.untrack_assignment(directive, assignment.user_id)
    events.append(AssignmentChanged(directive, assignment, "done"))


def cancel(
    chat: ChatState, directive: Directive, by: int | None, at: datetime
) -> list[DomainEvent]:
    """A leader's /cancel: every open assignment closes, the directive leaves the open set."""
    directive.cancelled = True
    directive.cancelled_at = at
    events: list[DomainEvent] = []
    for assignment in list(directive.assignments.values()):
        if assignment.apply(Event.CANCEL):
            events.append(AssignmentChanged(directive, assignment, "cancel"))
            chat.untrack_assignment(directive, assignment.user_id)
    chat.open.pop(directive.message_id, None)
    events.append(DirectiveCancelled(directive, by))
    return events


CONFIRMED = "confirmed"  # ack_review: a leader recorded the acknowledgement (/ok)


def confirm_for(
    chat: ChatState, directive: Directive, msg: IncomingMessage, events: list[DomainEvent]
) -> list[Assignment]:
    """A leader's /ok in reply to a directive: the members it names (or, naming nobody, the one
    still owing an answer) answered by phone or in person. Their acknowledgement is recorded at
    the leader's message, as the leader's (who and when); one already fined stays fined."""
    awaiting = [a for a in directive.assignments.values() if a.awaiting_ack]
    named = {chat.roster.find(m) for m in msg.mentions} - {None}
    chosen = [a for a in awaiting if a.user_id in named] if named else awaiting
    if not named and len(awaiting) != 1:
        return []
    for assignment in chosen:
        acknowledge(chat, directive, assignment, msg.at, msg.message_id, events)
        assignment.ack_review = CONFIRMED
        assignment.reviewed_by, assignment.reviewed_at = msg.sender_id, msg.at
    return chosen


def member_left(chat: ChatState, user_id: int, at: datetime) -> list[DomainEvent]:
    """The member left the chat: each assignment still open closes as `left` (no reminder and no
    fine after this; fines booked before stay). A return starts fresh, with the next directive."""
    events: list[DomainEvent] = []
    for directive in chat.open_for(user_id):
        assignment = directive.assignments[user_id]
        if assignment.apply(Event.MEMBER_LEFT):
            assignment.left_at = at
            events.append(AssignmentChanged(directive, assignment, "left"))
        chat.untrack_assignment(directive, user_id)
    return events
