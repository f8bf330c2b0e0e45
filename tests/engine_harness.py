"""The engine driven by hand: messages, reactions and the clock, events collected."""

from __future__ import annotations

from datetime import timedelta

from tests.builders import T0, Chat, FixedDeadlines, settings
from tracker.domain.chat_state import ChatState
from tracker.domain.engine import Engine
from tracker.domain.events import FinesBooked, ReminderDue
from tracker.domain.model import Status
from tracker.domain.rules import ChatRules


class Harness:
    def __init__(self, rules: ChatRules | None = None) -> None:
        self.engine = Engine(FixedDeadlines())
        self.state = ChatState.fresh(settings(rules))
        self.engine.add_chat(self.state)
        self.chat = Chat()
        self.events: list = []

    def say(self, sender: int, text: str, minutes: float = 0, **kw):
        message = self.chat.msg(sender, text, minutes, **kw)
        self.events += self.engine.tick(message.at)
        self.events += self.engine.handle_message(self.state, message)
        return message

    def react(self, user: int, message_id: int, emoji: str, minutes: float) -> None:
        reaction = self.chat.reaction(user, message_id, emoji, minutes)
        self.events += self.engine.tick(reaction.at)
        self.events += self.engine.handle_reaction(self.state, reaction)

    def advance(self, minutes: float) -> None:
        self.events += self.engine.tick(T0 + timedelta(minutes=minutes))

    def status(self, directive_id: int, user: int) -> Status:
        directive = self.directive(directive_id)
        return directive.assignments[user].status

    def directive(self, directive_id: int):
        for event in self.events:
            d = getattr(event, "directive", None)
            if d is not None and d.message_id == directive_id:
                return d
        raise AssertionError(f"no directive {directive_id}")

    def fines(self) -> list:
        return [f for e in self.events if isinstance(e, FinesBooked) for f in e.fines]

    def reminders(self) -> list:
        return [e.reminder for e in self.events if isinstance(e, ReminderDue)]
