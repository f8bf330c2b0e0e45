"""How a handler answers the person who wrote: through the outbox, like every other message.

The answer is a use case of its own (queued and committed); the sender delivers it within the
chat's limits. So a command in a group that is over Telegram's limit delays its own answer, never
the handling of other chats' updates, and an answer survives a restart between the command and
the send.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from telegram import Message

from tracker.services.tracker import TrackerService


class Answers:
    def __init__(
        self,
        service: TrackerService,
        clock: Callable[[], datetime],
        wake_sender: Callable[[], None],
    ) -> None:
        self.service = service
        self.clock = clock
        self.wake_sender = wake_sender

    def __call__(self, message: Message, text: str) -> None:
        self.service.answer(message.chat_id, message.message_id, text, self.clock())
        self.wake_sender()
