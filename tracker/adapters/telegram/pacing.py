"""Telegram's sending limits, kept where messages leave: per chat and for the whole bot.

Telegram answers 429 when a group gets more than about 20 messages a minute, a private chat more
than about one a second, or the bot more than about 30 a second overall (edits count too). The
sender asks `ready_at` before it claims a chat's next row, so a group over its limit waits alone
and no send ever sits in a queue holding anything. PTB's AIORateLimiter is not used: it waits
inside the call (the caller is stuck) and pauses every chat of the bot after any 429.

Time is passed in (monotonic seconds), so the arithmetic is tested without sleeping.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass


@dataclass(frozen=True)
class Limit:
    count: int
    seconds: float


# Counted when a call leaves; Telegram counts when it arrives, and calls that leave a loop busy
# for a moment arrive bunched: a window is kept this much longer than Telegram's.
MARGIN = 0.25
GROUP = Limit(20, 60.0)
PRIVATE = Limit(1, 1.0)
BOT = Limit(30, 1.0)


class _Window:
    """At most `limit.count` events in any `limit.seconds`."""

    __slots__ = ("limit", "times", "blocked_until")

    def __init__(self, limit: Limit) -> None:
        self.limit = limit
        self.times: deque[float] = deque()
        self.blocked_until = 0.0

    def ready_at(self, now: float) -> float:
        span = self.limit.seconds + MARGIN
        while self.times and self.times[0] <= now - span:
            self.times.popleft()
        earliest = now
        if len(self.times) >= self.limit.count:
            earliest = self.times[len(self.times) - self.limit.count] + span
        return max(earliest, self.blocked_until)


class Pacer:
    def __init__(self, group: Limit = GROUP, private: Limit = PRIVATE, bot: Limit = BOT) -> None:
        self.group, self.private = group, private
        self._bot = _Window(bot)
        self._chats: dict[int, _Window] = {}

    def ready_at(self, chat_id: int, now: float) -> float:
        """The earliest instant a message to `chat_id` may leave (`now` when it may now)."""
        window = self._chats.get(chat_id)
        chat = now if window is None else window.ready_at(now)
        return max(chat, self._bot.ready_at(now))

    def sent(self, chat_id: int, now: float) -> None:
        """Count one call to `chat_id` (a message, a photo, an edit) made at `now`."""
        self._window(chat_id).times.append(now)
        self._bot.times.append(now)

    def hold(self, chat_id: int, until: float) -> None:
        """Telegram said 429 for this chat: nothing goes to it before `until`."""
        window = self._window(chat_id)
        window.blocked_until = max(window.blocked_until, until)

    def forget_idle(self, now: float) -> None:
        """Drop the windows of chats with nothing counted and nothing held (memory stays flat
        with thousands of quiet chats)."""
        for chat_id in [
            c for c, w in self._chats.items() if w.ready_at(now) <= now and not w.times
        ]:
            del self._chats[chat_id]

    def _window(self, chat_id: int) -> _Window:
        window = self._chats.get(chat_id)
        if window is None:
            window = self._chats[chat_id] = _Window(self.group if chat_id < 0 else self.private)
        return window
