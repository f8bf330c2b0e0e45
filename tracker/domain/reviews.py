"""A leader's ruling on an acknowledgement given the benefit of the doubt (待确认).

算作收到 keeps it and records who decided. 不算 takes it back: inside the ack window the member
is waiting again (reminded and fined as anyone else); after it, the `no_ack` fine is booked at
the ruling, once (a late acknowledgement was already fined when the window closed).
"""

from __future__ import annotations

from datetime import datetime

from tracker.domain.chat_state import ChatState
from tracker.domain.events import AckReviewed, AssignmentChanged, DomainEvent, FinesBooked
from tracker.domain.model import Event, Fine, Rule, Status
from tracker.domain.on_time import acked_on_time
from tracker.domain.rules import Action

PENDING, ACCEPTED, REJECTED = "pending", "accepted", "rejected"


def review(
    chat: ChatState, directive_id: int, user_id: int, by: int, accepted: bool, at: datetime
) -> tuple[str, list[DomainEvent]]:
    """Returns the outcome ("closed" | "not_assignee" | "already" | "ok") and the events."""
    found, directive, assignment = chat.duty(directive_id, user_id)
    if found != "ok":
        return found, []
    if assignment.ack_review != PENDING:
        return "already", []
    assignment.ack_review = ACCEPTED if accepted else REJECTED
    assignment.reviewed_by, assignment.reviewed_at = by, at
    events: list[DomainEvent] = [AckReviewed(directive, assignment, accepted, by)]
    if accepted:
        events.append(AssignmentChanged(directive, assignment, "review"))
        return "ok", events
    was = assignment.status
    assignment.acked_at = assignment.ack_message_id = None
    if acked_on_time(at, directive.ack_due_for(assignment)):
        assignment.apply(Event.ACK_WITHDRAWN)
        chat.track(directive)  # waiting again: reminded, fined at the window's end
        events.append(AssignmentChanged(directive, assignment, "review"))
        return "ok", events
    assignment.apply(Event.ACK_REJECTED_LATE)
    events.append(AssignmentChanged(directive, assignment, "review"))
    if was is Status.ACKED:  # a late one (LATE) was fined when the window closed
        rules = chat.settings.rules
        fine = Fine(
            chat_id=chat.chat_id,
            directive_message_id=directive.message_id,
            user_id=user_id,
            name=assignment.name,
            rule=Rule.NO_ACK,
            sequence=0,
            amount_fen=rules.fine_fen(Action.FINE_NO_ACK),
            currency=rules.currency,
            booked_at=at,
            period=f"{at.astimezone(rules.timezone):%Y-%m}",
        )
        events.append(FinesBooked(directive, (fine,), rejected_by=by))
    return "ok", events
