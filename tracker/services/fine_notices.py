"""What the bot says in the chat about a fine, a reply a leader did not count, and a completion
deadline coming near: one outbox row each, keyed so a second process writes the same key."""

from __future__ import annotations

from collections.abc import Callable

from tracker.domain.chat_state import ChatState
from tracker.domain.events import AckReviewed, FinesBooked, ReminderDue
from tracker.domain.model import Rule
from tracker.domain.on_time import acked_on_time
from tracker.domain.outgoing import MessageKind
from tracker.texts import notices

Row = Callable[..., None]  # Notifier.row


def done_reminder(event: ReminderDue, chats: dict[int, ChatState], row: Row) -> None:
    """The completion deadline is near: the assignees not done yet, in reply to the directive."""
    r, d = event.reminder, event.directive
    rules = chats[d.chat_id].settings.rules
    promised = d.assignments[r.user_ids[0]].done_due_at if d.done_due_at is None else None
    deadline = promised or d.done_due_at
    row(
        f"reminder:{d.chat_id}:{d.message_id}:{r.step}",
        d.chat_id,
        d.chat_id,
        d.message_id,
        MessageKind.DONE_REMINDER,
        notices.done_reminder(list(event.names), deadline, rules.timezone),
        r.user_ids,
        r.due_at,
    )


def rejection_notice(event: AckReviewed, chats: dict[int, ChatState], row: Row) -> None:
    """不算 inside the window: the member is told to acknowledge (after it, the fine says
    it, see `fine_notice`)."""
    d, a = event.directive, event.assignment
    if a.reviewed_at is None or not acked_on_time(a.reviewed_at, d.ack_due_for(a)):
        return
    chat = chats[d.chat_id]
    text = notices.ack_rejected(
        a.name,
        a.ack_text or "",
        chat.roster.name(event.by),
        d.ack_due_for(a),
        chat.settings.rules.timezone,
    )
    row(
        f"rejected:{d.chat_id}:{d.message_id}:{a.user_id}",
        d.chat_id,
        d.chat_id,
        d.message_id,
        MessageKind.ACK_REJECTED,
        text,
        (a.user_id,),
        a.reviewed_at,
    )


def fine_notice(event: FinesBooked, chats: dict[int, ChatState], row: Row) -> None:
    d, fines = event.directive, event.fines
    first = fines[0]
    chat = chats[d.chat_id]
    rules = chat.settings.rules
    names = [f.name for f in fines]
    key = f"fines:{d.chat_id}:{d.message_id}:{first.rule.value}:{first.sequence}"
    if first.rule is Rule.UNRESOLVED and d.done_due_at is None:
        key += f":member:{first.user_id}"  # a deadline the member promised, alone
    if event.rejected_by is not None:
        key += f":rejected:{first.user_id}"  # the window's own announcement has the key
        reply = d.assignments[first.user_id].ack_text or ""
        leader = chat.roster.name(event.rejected_by)
        text = notices.ack_rejected_fine(
            first.name, reply, leader, first.amount_fen, first.currency
        )
    elif first.rule is Rule.NO_ACK:
        text = notices.no_ack_fines(names, rules.ack_window, first.amount_fen, first.currency)
    else:
        deadline = d.done_due_at or d.assignments[first.user_id].done_due_at
        later = first.sequence + 1
        next_at = rules.unresolved_due(deadline, later) if later < rules.unresolved_max else None
        text = notices.unresolved_fines(
            names,
            first.sequence,
            first.amount_fen,
            first.currency,
            deadline,
            next_at,
            rules.timezone,
        )
    row(
        key,
        d.chat_id,
        d.chat_id,
        d.message_id,
        MessageKind.fine(first.rule),
        text,
        tuple(f.user_id for f in fines),
        first.booked_at,
    )
