"""What the bot says about what happened: events in, outbox rows out (never sent from here).

Reminders to one chat that fall due at the same instant become one message.
"""

from __future__ import annotations

import hashlib
import json
import zlib
from collections.abc import Callable
from datetime import datetime

from tracker.domain.chat_state import ChatState
from tracker.domain.events import (
    AckReviewed,
    ConductFined,
    DirectiveEdited,
    DirectiveOpened,
    DomainEvent,
    FinesBooked,
    LeaveChanged,
    ReminderDue,
    RemovalChanged,
    Warned,
    WarningRevoked,
)
from tracker.domain.outgoing import MessageKind
from tracker.services.departures import tell_leaders
from tracker.services.fine_notices import done_reminder, fine_notice, rejection_notice
from tracker.services.leave_notices import leave_notice
from tracker.services.status_boards import post_boards
from tracker.services.warning_notices import warning_notice
from tracker.texts import notices

Emit = Callable[[dict], None]


KEY_LIMIT = 128  # characters of outbox.dedupe_key (VARCHAR(128); PostgreSQL enforces it)


def bounded_key(key: str) -> str:
    """The key as it is while it fits; else its head and a digest of the whole (the same in
    every process). Reminders falling due together in a busy chat join all their steps."""
    if len(key) <= KEY_LIMIT:
        return key
    digest = hashlib.blake2b(key.encode(), digest_size=16).hexdigest()
    return f"{key[: KEY_LIMIT - len(digest) - 1]}#{digest}"


class Notifier:
    def __init__(
        self, chats: dict[int, ChatState], emit: Emit, outbox_status: str, status_boards: bool
    ) -> None:
        self.chats = chats
        self.emit = emit
        self.outbox_status = outbox_status
        self.status_boards = status_boards

    def on_events(self, events: list[DomainEvent], now: datetime | None) -> None:
        if self.status_boards:
            post_boards(events, now, self.chats, self.row)
        tell_leaders(events, now, self.chats, self.row)
        in_chat: dict[tuple[int, datetime], list[ReminderDue]] = {}
        for event in events:
            if isinstance(event, ReminderDue):
                if event.reminder.about_done:
                    done_reminder(event, self.chats, self.row)
                elif event.reminder.to == "chat":
                    key = (event.reminder.chat_id, event.reminder.due_at)
                    in_chat.setdefault(key, []).append(event)
                else:
                    self._tell_leader(event)
            elif isinstance(event, LeaveChanged):
                leave_notice(event, self.chats, self.row)
            elif isinstance(event, Warned | WarningRevoked | RemovalChanged | ConductFined):
                warning_notice(event, self.chats, self.row)
            elif isinstance(event, FinesBooked):
                fine_notice(event, self.chats, self.row)
            elif isinstance(event, AckReviewed) and not event.accepted:
                rejection_notice(event, self.chats, self.row)
            elif isinstance(event, DirectiveEdited):
                self._edited(event)
            elif isinstance(event, DirectiveOpened) and event.directive.unresolved_mentions:
                d = event.directive
                text = notices.unresolved_mentions(list(d.unresolved_mentions))
                self.row(
                    f"unresolved:{d.chat_id}:{d.message_id}",
                    d.chat_id,
                    d.chat_id,
                    d.message_id,
                    MessageKind.UNRESOLVED_MENTIONS,
                    text,
                    (),
                    now or d.created_at,
                )
        for together in in_chat.values():
            # the same order in every process, so the outbox key is the same too
            together.sort(key=lambda e: (e.directive.message_id, e.reminder.step))
            self._remind(together)

    def _edited(self, event: DirectiveEdited) -> None:
        """Once per edit that changed someone's duty, in reply to the directive."""
        d = event.directive
        zone = self.chats[d.chat_id].settings.rules.timezone
        added = [(a.name, a.ack_until) for a in event.added if a.awaiting_ack]
        deadline = (d.deadline_phrase, d.done_due_at) if event.deadline_moved else None
        self.row(
            f"edited:{d.chat_id}:{d.message_id}:{event.at.isoformat()}",
            d.chat_id,
            d.chat_id,
            d.message_id,
            MessageKind.EDITED,
            notices.directive_edited(added, deadline, zone),
            tuple(a.user_id for a in event.added if a.awaiting_ack),
            event.at,
        )

    def announce(self, chat_id: int, kind: MessageKind, text: str, now: datetime) -> None:
        """A message to a chat that no rule caused (welcome, offline notice)."""
        self.row(
            f"{kind}:{chat_id}:{now.isoformat()}", chat_id, chat_id, None, kind, text, (), now
        )

    def answer(self, chat_id: int, message_id: int, text: str, now: datetime) -> None:
        """The bot's answer to a command, as a reply to it; one per distinct text, so a
        redelivered command is not answered twice."""
        digest = zlib.crc32(text.encode())
        key = f"reply:{chat_id}:{message_id}:{digest:08x}"
        self.row(key, chat_id, chat_id, message_id, MessageKind.REPLY, text, (), now)

    def row(
        self, key, source, target, reply_to, kind, text, mention_ids, at, buttons=None, act=None
    ):
        """One outbox row into the unit of work (`act`: what the sender does before it)."""
        self.emit(
            self.build(key, source, target, reply_to, kind, text, mention_ids, at, act, buttons)
        )

    def build(
        self,
        key,
        source,
        target,
        reply_to,
        kind,
        text,
        mention_ids,
        at,
        attachment=None,
        buttons=None,
    ) -> dict:
        """An outbox row. Posts to a group in its quiet hours wait for their end (a fine is
        booked at its due time all the same; only the announcement waits)."""
        hold = None
        state = self.chats.get(target)
        if (
            state is not None and kind != MessageKind.REPLY
        ):  # someone asked: the answer is not held
            hold = state.settings.rules.quiet_until(at)
        return {
            "dedupe_key": bounded_key(key),
            "source_chat_id": source,
            "target_chat_id": target,
            "reply_to_message_id": reply_to,
            "kind": MessageKind(kind).value,
            "text": text,
            "mention_user_ids": ",".join(map(str, mention_ids)),
            "status": self.outbox_status,
            "created_at": at,
            "attempts": 0,
            "claimed_until": hold,  # not to be sent before (see OutboxStore.claim)
            "sent_at": None,
            "error": None if hold is None else "quiet hours",
            "attachment": attachment,
            "buttons": None if buttons is None else json.dumps(buttons, ensure_ascii=False),
        }

    def _remind(self, together: list[ReminderDue]) -> None:
        first = together[0]
        r, d = first.reminder, first.directive
        if len(together) == 1:
            text = notices.chat_reminder(list(first.names), _time_left(first))
            self.row(
                f"reminder:{d.chat_id}:{d.message_id}:{r.step}",
                d.chat_id,
                d.chat_id,
                d.message_id,
                MessageKind.REMINDER,
                text,
                r.user_ids,
                r.due_at,
            )
            return
        items = [(e.directive.text, list(e.names), _time_left(e)) for e in together]
        users = tuple(dict.fromkeys(u for e in together for u in e.reminder.user_ids))
        steps = "+".join(f"{e.directive.message_id}.{e.reminder.step}" for e in together)
        self.row(
            f"reminders:{d.chat_id}:{steps}",
            d.chat_id,
            d.chat_id,
            None,
            MessageKind.REMINDER,
            notices.chat_reminders(items),
            users,
            r.due_at,
        )

    def _tell_leader(self, event: ReminderDue) -> None:
        r, d = event.reminder, event.directive
        settings = self.chats[d.chat_id].settings
        text = notices.leader_notice(
            settings.name, d.text, list(event.names), r.due_at - d.created_at
        )
        for inbox in settings.inboxes(d.author_id):
            self.row(
                f"reminder:{d.chat_id}:{d.message_id}:{r.step}"
                + ("" if inbox == d.author_id else f":{inbox}"),
                d.chat_id,
                inbox,
                None,
                MessageKind.LEADER_NOTICE,
                text,
                (),
                r.due_at,
            )


def _time_left(e: ReminderDue):
    """What is left of the reminded members' window (their own when leave deferred it)."""
    d, r = e.directive, e.reminder
    return d.ack_due_for(d.assignments[r.user_ids[0]]) - r.due_at
