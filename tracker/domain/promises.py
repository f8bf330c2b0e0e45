"""An assignee's own completion deadline, read from their reply ("收到，下班前发群里") when the
directive set none (a notice's only when the chat enforces notices' deadlines). Pure."""

from __future__ import annotations

from datetime import UTC, datetime

from tracker.domain.chat_state import ChatState
from tracker.domain.inbound import IncomingMessage
from tracker.domain.model import Assignment, Directive, Kind


def promised(
    chat: ChatState,
    directive: Directive,
    assignment: Assignment,
    msg: IncomingMessage,
    text: str,
    read_deadline,
) -> datetime | None:
    """The deadline the reply promises, ahead of it, or None."""
    rules = chat.settings.rules
    if directive.done_due_at is not None or assignment.done_due_at is not None:
        return None
    if directive.kind is Kind.NOTICE and not rules.notice_completion:
        return None
    reading = read_deadline(
        text,
        msg.at.astimezone(rules.timezone),
        conventions=rules.deadline_conventions,
        workdays=rules.calendar.is_workday,
    )
    if reading is None or reading.at.astimezone(UTC) <= msg.at:
        return None
    return reading.at.astimezone(UTC)
