"""A directive edited live (a replay reads an export's final text at once): the members the new
text names besides those it named are added, each with an acknowledgement window of their own
from the edit (they could not have answered before it); a new completion deadline replaces the
old one, its warning and fines following it. Members the edit no longer names keep their duty
(a leader cancels with /cancel or records with /ok). Pure."""

from __future__ import annotations

from datetime import UTC, datetime

from tracker.domain.absence import exempt
from tracker.domain.chat_state import ChatState
from tracker.domain.directives import detect
from tracker.domain.events import DirectiveEdited, DomainEvent
from tracker.domain.inbound import IncomingMessage
from tracker.domain.model import Assignment, Directive, Kind


def edit(
    chat: ChatState, directive: Directive, msg: IncomingMessage, read_deadline
) -> list[DomainEvent]:
    """The edit's event first (a member added while on leave is treated as on a new directive),
    or nothing when the editor leads nothing or the new text changes no one's duty."""
    if msg.sender_id not in chat.roster.leaders:
        return []
    rules = chat.settings.rules
    found = detect(
        msg, chat.roster, rules.notice_words, rules.detect_mentions, msg.reply_to_sender
    )
    if found is None or found.kind is not directive.kind:
        return []  # no longer a directive of its kind: the leader cancels it if so
    added = []
    for person in found.assignees:
        if person.user_id in directive.assignments:
            continue
        assignment = Assignment(person.user_id, person.name)
        assignment.ack_from, assignment.ack_until = msg.at, rules.ack_due(msg.at)
        directive.assignments[person.user_id] = assignment
        added.append(assignment)
    moved = _new_deadline(chat, directive, msg, read_deadline)
    if not added and moved is None:
        return []
    directive.text = msg.text
    if moved is not None:
        directive.done_due_at, directive.deadline_phrase = moved
    chat.track(directive)
    events: list[DomainEvent] = [
        DirectiveEdited(directive, tuple(added), moved is not None, msg.at)
    ]
    if added:
        exempt(chat, directive, msg.at, events)
    return events


def _new_deadline(chat, directive, msg, read_deadline) -> tuple[datetime, str] | None:
    """(deadline, phrase) when the edit names a deadline ahead of it other than the one set."""
    rules = chat.settings.rules
    if directive.kind is Kind.NOTICE and not rules.notice_completion:
        return None
    reading = read_deadline(
        msg.text,
        directive.created_at.astimezone(rules.timezone),
        conventions=rules.deadline_conventions,
        workdays=rules.calendar.is_workday,
    )
    if reading is None:
        return None
    due = reading.at.astimezone(UTC)
    if due == directive.done_due_at or due <= msg.at:
        return None
    return due, reading.phrase
