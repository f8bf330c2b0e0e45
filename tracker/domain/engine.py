"""The engine: reads messages and reactions, decides, and returns events. Pure: `now` comes in.

It keeps the open directives of every chat in memory (the service loads them from the database
on first use) and a queue of due instants. Timeline work lives in `timeline.py`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Protocol

from tracker.domain import absence, edits, real_names, reviews
from tracker.domain.chat_state import ChatState
from tracker.domain.conduct import enforce
from tracker.domain.directives import Detection, detect
from tracker.domain.events import (
    DirectiveOpened,
    DomainEvent,
    MemberLearned,
)
from tracker.domain.inbound import UNLISTED, IncomingMessage, IncomingReaction, MemberSeen
from tracker.domain.leader_replies import DONE_COMMANDS, OK_COMMANDS, leader_reply
from tracker.domain.leave import is_leave_message
from tracker.domain.model import Assignment, Directive, Kind
from tracker.domain.promises import promised
from tracker.domain.replies import acks
from tracker.domain.replies.reading import ChatWords, Verdict, read_reply
from tracker.domain.timeline import Timeline
from tracker.domain.transitions import acknowledge, complete, member_left


class DeadlineReading(Protocol):
    at: datetime
    phrase: str


DeadlineReader = Callable[[str, datetime], DeadlineReading | None]


class Engine:
    def __init__(self, read_deadline: DeadlineReader) -> None:
        self.chats: dict[int, ChatState] = {}
        self.timeline = Timeline()
        self.read_deadline = read_deadline

    # -- state -------------------------------------------------------------------------------
    def add_chat(self, state: ChatState) -> None:
        """Adopt a chat (fresh or loaded) and queue every step still ahead of its tick mark."""
        self.chats[state.chat_id] = state
        for directive in state.open.values():
            self.timeline.schedule(directive, state.settings.rules, after=state.ticked_until)

    def reset(self) -> None:
        """Forget everything; chats are loaded again from the database on next use."""
        self.chats.clear()
        self.timeline = Timeline()

    def tick(self, now: datetime) -> list[DomainEvent]:
        return self.timeline.run_until(now, self.chats)

    def next_due(self) -> datetime | None:
        return self.timeline.next_due()

    # -- inbound -----------------------------------------------------------------------------
    def handle_message(self, chat: ChatState, msg: IncomingMessage) -> list[DomainEvent]:
        """Decide on one message; the caller has already ticked the clock up to `msg.at`."""
        if msg.message_id <= chat.last_message_id:
            return []  # seen before: redelivery or a second replay
        chat.last_message_id = msg.message_id
        events: list[DomainEvent] = []
        sender = msg.sender_id
        if sender is None or (sender < 0 and sender not in chat.roster.leaders):
            return events  # nobody, or a chat (a channel, anonymous admins the chat ignores)
        handle = msg.sender_username.lower() if msg.sender_username else None
        if sender < 0:  # the group itself: named by the signature, in memory, never a member
            chat.roster.learn(sender, msg.sender_name, override=True)
        elif (sender not in chat.roster.names and msg.sender_name) or (
            handle and chat.roster.usernames.get(handle) != sender
        ):
            chat.roster.learn(sender, msg.sender_name, handle)
            name = chat.roster.name(sender)
            events.append(MemberLearned(chat.chat_id, sender, name, handle))
        enforce.judge(chat, msg, events)
        if msg.is_forward or msg.via_bot or real_names.register(chat, msg, events):
            return events
        if is_leave_message(msg.commands, msg.hashtags):
            events += absence.requested(chat, msg)
            self.timeline.deferred(events, chat.settings.rules, msg.at)
            return events
        if sender in chat.roster.leaders:
            if (decided := absence.replied(chat, msg)) is not None:
                self.timeline.deferred(decided, chat.settings.rules, msg.at)
                return events + decided
            if enforce.leader_command(chat, msg, events):
                return events
            if leader_reply(chat, msg, events) or not OK_COMMANDS.isdisjoint(msg.commands):
                return events  # handled, or an /ok without its directive (`feedback` says so)
            detection = detect(
                msg,
                chat.roster,
                chat.settings.rules.notice_words,
                chat.settings.rules.detect_mentions,
                msg.reply_to_sender,
            )
            if detection is not None:
                events.append(self._open(chat, msg, detection))
                return events
        if sender in chat.open_by_user:
            self._member_reply(chat, msg, events)
        return events

    def handle_edit(self, chat: ChatState, msg: IncomingMessage) -> list[DomainEvent]:
        """A message edited live, `msg.at` the edit's time (a replay reads an export's final
        text at once): a leader's open directive takes its new text (see `edits`); a member's
        edited reply is read again."""
        if msg.sender_id is None or msg.is_forward or msg.via_bot:
            return []
        directive = chat.open.get(msg.message_id)
        if directive is None:
            events: list[DomainEvent] = []
            if msg.sender_id in chat.open_by_user:
                self._member_reply(chat, msg, events)
            return events
        events = edits.edit(chat, directive, msg, self.read_deadline)
        if events:
            self.timeline.edited(events[0], chat.settings.rules)
        return events

    def handle_reaction(self, chat: ChatState, reaction: IncomingReaction) -> list[DomainEvent]:
        if not acks.is_ack(reaction.emoji):
            return []
        if not reaction.timed or reaction.user_id == UNLISTED:
            chat.unsure_reactions.add((reaction.message_id, reaction.user_id))
            return []  # who or when is unknown: the fine it may contradict is marked, not skipped
        _, events = self.acknowledge(chat, reaction.message_id, reaction.user_id, reaction.at)
        return events

    def acknowledge(
        self, chat: ChatState, directive_id: int, user_id: int, at: datetime
    ) -> tuple[str, list[DomainEvent]]:
        """An ack of one directive without a message (a reaction, the 收到 button).
        Returns why nothing happened, if so: "closed" | "not_assignee" | "already" | "ok"."""
        found, directive, assignment = chat.duty(directive_id, user_id)
        if found != "ok":
            return found, []
        if not assignment.awaiting_ack:
            return "already", []
        events: list[DomainEvent] = []
        acknowledge(chat, directive, assignment, at, None, events)
        return "ok", events

    def decide_leave(
        self, chat: ChatState, request_id: int, user_id: int, by: int, approve: bool, at
    ) -> tuple[str, list[DomainEvent]]:
        """A leader's 批准 / 驳回 on leave a member asked for (see `absence`)."""
        found, events = absence.decide(chat, request_id, user_id, by, approve, at)
        self.timeline.deferred(events, chat.settings.rules, at)
        return found, events

    def review_ack(
        self, chat: ChatState, directive_id: int, user_id: int, by: int, accepted: bool, at
    ) -> tuple[str, list[DomainEvent]]:
        """A leader's 算作收到 / 不算 on an acknowledgement marked 待确认 (see `reviews`)."""
        return reviews.review(chat, directive_id, user_id, by, accepted, at)

    def handle_member(self, chat: ChatState, seen: MemberSeen) -> list[DomainEvent]:
        events: list[DomainEvent] = []
        if seen.left:
            events += member_left(chat, seen.user_id, seen.at)
            chat.roster.forget(seen.user_id)
        else:
            chat.roster.learn(seen.user_id, seen.name, seen.username)
        name = chat.roster.name(seen.user_id)
        events.append(MemberLearned(chat.chat_id, seen.user_id, name, seen.username, seen.left))
        return events

    # -- decisions ---------------------------------------------------------------------------
    def _open(self, chat: ChatState, msg: IncomingMessage, found: Detection) -> DirectiveOpened:
        rules = chat.settings.rules
        local_now = msg.at.astimezone(rules.timezone)
        reading = None
        if found.kind is Kind.TASK or rules.notice_completion:
            # N个工作日 counts this chat's working days (holidays, 调休)
            reading = self.read_deadline(
                msg.text,
                local_now,
                conventions=rules.deadline_conventions,
                workdays=rules.calendar.is_workday,
            )
        done_due = None if reading is None else reading.at.astimezone(UTC)
        if done_due is None and (found.kind is Kind.TASK or rules.notice_completion):
            done_due = rules.default_done_at(msg.at)  # same-day work, when the chat says so
        directive = Directive(
            chat_id=chat.chat_id,
            message_id=msg.message_id,
            kind=found.kind,
            author_id=msg.sender_id,
            text=msg.text,
            created_at=msg.at,
            ack_due_at=rules.ack_due(msg.at),
            done_due_at=done_due,
            deadline_phrase=None if reading is None else reading.phrase,
            assignments={a.user_id: Assignment(a.user_id, a.name) for a in found.assignees},
            unresolved_mentions=found.unresolved,
        )
        # on leave as it reaches them: stored as `away` with the directive, no event of its own
        absence.exempt(chat, directive, msg.at, [])
        chat.track(directive)
        self.timeline.schedule(directive, rules, after=msg.at)
        return DirectiveOpened(directive)

    def _member_reply(self, chat: ChatState, msg: IncomingMessage, events: list) -> None:
        """An assignee spoke. A reply to the directive is read with its context; a bare message
        acknowledges only when it clearly does; a reply to a leader's other message (a question,
        a remark) answers that message and no directive."""
        sender = msg.sender_id
        if not OK_COMMANDS.isdisjoint(msg.commands):
            return  # a leader's verb: the member is told so (`feedback`), it answers nothing
        target = chat.open.get(msg.reply_to) if msg.reply_to is not None else None
        if target is None and msg.reply_to_sender in chat.roster.leaders:
            return
        mine = target.assignments.get(sender) if target is not None else None
        if target is not None and mine is None:
            return  # someone else's directive
        text = msg.text or msg.sticker_emoji or ""
        if not DONE_COMMANDS.isdisjoint(msg.commands) or acks.is_done(text):
            if mine is not None:
                complete(chat, target, mine, msg, events)
            elif len(chat.open_by_user.get(sender, ())) == 1:  # a bare "已完成" is clear only then
                (only,) = chat.open_for(sender)
                if acks.names_the_task(text, only.text):  # not 样品已寄出 for 回访记录
                    complete(chat, only, only.assignments[sender], msg, events)
            return
        if sender not in chat.awaiting_by_user:
            return
        rules = chat.settings.rules
        reading = read_reply(text, ChatWords(rules.extra_ack_words, rules.not_ack_words))
        if mine is not None:
            if mine.awaiting_ack and reading.verdict is not Verdict.NOT:
                unsure = reading.verdict is Verdict.UNSURE  # the benefit of the doubt
                acknowledge(chat, target, mine, msg.at, msg.message_id, events, unsure, text)
                self._promise(chat, target, mine, msg, text)
            return
        if reading.verdict is Verdict.ACK:  # a promise or a plan needs the reply's context
            awaiting = chat.awaiting_for(sender)
            for directive in awaiting:
                assignment = directive.assignments[sender]
                acknowledge(chat, directive, assignment, msg.at, msg.message_id, events)
            if len(awaiting) == 1:
                self._promise(chat, awaiting[0], awaiting[0].assignments[sender], msg, text)

    def _promise(self, chat, directive, assignment, msg: IncomingMessage, text: str) -> None:
        """收到，下班前发群里: the assignee's own deadline (see `promises`)."""
        due = promised(chat, directive, assignment, msg, text, self.read_deadline)
        if due is not None:
            assignment.done_due_at = due
            rules = chat.settings.rules
            self.timeline.promised(directive, assignment.user_id, due, rules, msg.at)
