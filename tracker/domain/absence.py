"""Leave in the engine: a leave message recorded or asked for, a leader's 批准 / 驳回, and what
approved leave does to a member's assignments (see `leave.py`): with the chat's absent =
"exempt" they close as `away`; with "defer" one still awaiting an acknowledgement gets the
member's own window, starting at the first working moment after the leave (`DEFERRED` events:
the timeline queues that window's steps), and the steps of a completion deadline pass over a
member on leave."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from tracker.domain.chat_state import ChatState
from tracker.domain.deadlines.spans import Span, read_span
from tracker.domain.events import AssignmentChanged, DomainEvent, LeaveChanged
from tracker.domain.inbound import IncomingMessage
from tracker.domain.leave import (
    APPROVED,
    PENDING,
    REFUSED,
    Leave,
    read_decision,
    read_request,
    utc_span,
)
from tracker.domain.model import Assignment, Directive, Event

DEFERRED = "deferred"  # the cause of an AssignmentChanged whose ack window leave moved
SpanReader = Callable[[str, datetime], Span | None]


def span_reader(rules) -> SpanReader:
    """Spans read with the chat's deadline conventions and working days."""
    return lambda text, now: read_span(
        text, now, rules.deadline_conventions, rules.calendar.is_workday
    )


def requested(chat: ChatState, msg: IncomingMessage) -> list[DomainEvent]:
    """A leave message: a leader's for the members it names is approved at once; anyone's for
    themselves waits for a leader when the chat asks for approval. Nothing is recorded when the
    span cannot be read or a member names others (`feedback` tells them why)."""
    rules = chat.settings.rules
    request = read_request(
        msg.text,
        tuple(m.text for m in msg.mentions),
        msg.at.astimezone(rules.timezone),
        span_reader(rules),
    )
    if request.span is None or request.span.end.astimezone(msg.at.tzinfo) <= msg.at:
        return []
    leader = msg.sender_id in chat.roster.leaders
    named = [uid for uid in (chat.roster.find(m) for m in msg.mentions) if uid is not None]
    if named and not leader:
        return []
    start, end = utc_span(request.span)
    approved = leader or not rules.leave_approval
    events: list[DomainEvent] = []
    for user_id in dict.fromkeys(named or [msg.sender_id]):
        leave = Leave(
            chat.chat_id,
            msg.message_id,
            user_id,
            chat.roster.name(user_id),
            start,
            end,
            request.reason,
            msg.sender_id,
            msg.at,
            APPROVED if approved else PENDING,
            msg.sender_id if approved else None,
            msg.at if approved else None,
        )
        chat.add_leave(leave)
        events.append(LeaveChanged(leave))
        if approved:
            events += release(chat, leave.user_id, msg.at)
    return events


def replied(chat: ChatState, msg: IncomingMessage) -> list[DomainEvent] | None:
    """A leader's written answer to a pending leave request (批准 / 驳回 in words, the chat's
    `leave_by_reply`): decided as the buttons would. None when the message is no such answer."""
    if msg.reply_to is None or not chat.settings.rules.leave_by_reply:
        return None
    asked = [x for x in chat.leaves.values() if x.request_id == msg.reply_to]
    if not any(x.status == PENDING for x in asked):
        return None
    approve = read_decision(msg.text)
    if approve is None:
        return None  # a question or a remark: the request waits
    events: list[DomainEvent] = []
    for leave in asked:
        events += decide(chat, leave.request_id, leave.user_id, msg.sender_id, approve, msg.at)[1]
    return events


def decide(
    chat: ChatState, request_id: int, user_id: int, by: int, approve: bool, at: datetime
) -> tuple[str, list[DomainEvent]]:
    """A leader's 批准 / 驳回: "not_leader" | "gone" | "already" | "ok"."""
    if by not in chat.roster.leaders:
        return "not_leader", []
    leave = chat.leaves.get((request_id, user_id))
    if leave is None:
        return "gone", []
    if leave.status != PENDING:
        return "already", []
    leave.status = APPROVED if approve else REFUSED
    leave.decided_by, leave.decided_at = by, at
    events: list[DomainEvent] = [LeaveChanged(leave, decided=True)]
    if approve:
        events += release(chat, user_id, at)
    return "ok", events


def release(chat: ChatState, user_id: int, at: datetime) -> list[DomainEvent]:
    """The member is on leave at `at`: each of their open assignments closes as `away` (or,
    deferring, waits for them to come back)."""
    if chat.away(user_id, at) is None:
        return []
    events: list[DomainEvent] = []
    for directive in chat.open_for(user_id):
        _on_leave(chat, directive, user_id, at, events)
    return events


def exempt(chat: ChatState, directive: Directive, at: datetime, events: list) -> None:
    """Before a step of `directive` at `at` (or as it opens): assignees on leave are away (or,
    deferring, owe their acknowledgement after the leave)."""
    if not chat.leave_of:
        return
    for user_id in list(directive.assignments):
        if directive.assignments[user_id].open and chat.away(user_id, at) is not None:
            _on_leave(chat, directive, user_id, at, events)


def _on_leave(chat: ChatState, directive: Directive, user_id: int, at, events: list) -> None:
    if chat.settings.rules.absent != "defer":
        _away(chat, directive, user_id, events)
        return
    assignment = directive.assignments[user_id]
    if assignment.awaiting_ack:
        _defer(chat, directive, assignment, at, events)


def _defer(chat: ChatState, directive: Directive, assignment: Assignment, at, events) -> None:
    rules = chat.settings.rules
    start = back_from_leave(chat, assignment.user_id, at)
    if assignment.ack_from == start:
        return
    assignment.ack_from, assignment.ack_until = start, rules.ack_due(start)
    events.append(AssignmentChanged(directive, assignment, DEFERRED))


def back_from_leave(chat: ChatState, user_id: int, at: datetime) -> datetime:
    """The first working moment after the leave `user_id` is on at `at`, across back-to-back
    and overlapping leaves (a leave to Friday and one from Monday make one absence)."""
    rules = chat.settings.rules
    back = at
    while (leave := chat.away(user_id, back)) is not None:
        back = rules.back_to_work(leave.end)
    return back


def _away(chat: ChatState, directive: Directive, user_id: int, events: list) -> None:
    assignment = directive.assignments[user_id]
    if assignment.apply(Event.ON_LEAVE):
        events.append(AssignmentChanged(directive, assignment, "away"))
    chat.untrack_assignment(directive, user_id)
