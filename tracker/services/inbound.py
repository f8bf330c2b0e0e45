"""What members and leaders do, into the engine: messages, reactions, the 收到 button, a
leader's ruling on a reply, members joining and leaving. Each step first takes what fell due
before it (so a fine due at 10:30 is booked before a reply at 10:31 is read), then records the
engine's decisions and marks the chat active for its digest."""

from __future__ import annotations

from datetime import datetime

from tracker.domain.conduct import enforce
from tracker.domain.inbound import IncomingMessage, IncomingReaction, MemberSeen
from tracker.services.timekeeping import Steps, Timekeeper


class Inbound:
    def __init__(self, steps: Steps, clock: Timekeeper) -> None:
        self.chats, self.engine, self.uow = steps.chats, steps.engine, steps.uow
        self.record, self.digests = steps.record, steps.digests
        self.clock = clock

    def message(self, msg: IncomingMessage) -> None:
        chat = self.engine.chats.get(msg.chat_id) or self.chats.get(msg.chat_id)
        self.clock.tick(msg.at)
        if msg.message_id > chat.last_message_id:  # not one seen before
            self.digests.activity(chat.chat_id)
        events = self.engine.handle_message(chat, msg)
        if events:
            self.record(events, msg.at)
        if chat.ticked_until is None or msg.at > chat.ticked_until:
            chat.ticked_until = msg.at
        self.uow.touch(chat)

    def edit(self, msg: IncomingMessage) -> None:
        """A message edited live; `msg.at` is the edit's time."""
        chat = self.engine.chats.get(msg.chat_id) or self.chats.get(msg.chat_id)
        self.clock.tick(msg.at)
        self.record(self.engine.handle_edit(chat, msg), msg.at)
        self.uow.touch(chat)

    def reaction(self, reaction: IncomingReaction) -> None:
        chat = self.chats.get(reaction.chat_id)
        self.clock.tick(reaction.at)
        self.digests.activity(chat.chat_id)
        self.record(self.engine.handle_reaction(chat, reaction), reaction.at)
        self.uow.touch(chat)

    def ack_button(self, chat_id: int, directive_id: int, user_id: int, at: datetime) -> str:
        chat = self.chats.get(chat_id)
        self.clock.tick(at)
        self.digests.activity(chat.chat_id)
        outcome, events = self.engine.acknowledge(chat, directive_id, user_id, at)
        self.record(events, at)
        self.uow.touch(chat)
        return outcome

    def review(
        self, chat_id: int, directive_id: int, user_id: int, by: int, accepted: bool, at: datetime
    ) -> str:
        chat = self.chats.get(chat_id)
        if by not in chat.settings.leaders:
            return "not_leader"
        self.clock.tick(at)
        self.digests.activity(chat.chat_id)
        outcome, events = self.engine.review_ack(chat, directive_id, user_id, by, accepted, at)
        self.record(events, at)
        self.uow.touch(chat)
        return outcome

    def leave_decision(
        self, chat_id: int, request_id: int, user_id: int, by: int, approve: bool, at: datetime
    ) -> str:
        chat = self.chats.get(chat_id)
        self.clock.tick(at)
        outcome, events = self.engine.decide_leave(chat, request_id, user_id, by, approve, at)
        self.record(events, at)
        self.uow.touch(chat)
        return outcome

    def removal_decision(
        self, chat_id: int, proposal_id: int, user_id: int, by: int, remove: bool, at: datetime
    ) -> str:
        chat = self.chats.get(chat_id)
        self.clock.tick(at)
        events: list = []
        outcome = enforce.decide_removal(chat, proposal_id, user_id, by, remove, at, events)
        self.record(events, at)
        self.uow.touch(chat)
        return outcome

    def member(self, seen: MemberSeen) -> None:
        chat = self.chats.get(seen.chat_id)
        if seen.at is not None:
            self.clock.tick(seen.at)  # a fine due before the member left is booked first
        self.record(self.engine.handle_member(chat, seen), seen.at)
        self.uow.touch(chat)
