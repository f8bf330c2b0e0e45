"""When each chat's daily digest (日清日结) falls due, and queuing it in the unit of work.

A digest is written at commit (deferred work), read from the ledger as of its own instant, so it
says what was owed then, whenever it is written. A day without activity and with nothing to list
gets none, and the days after it up to now are passed over at once: the cost follows the chat's
messages, not the calendar's span. Replay's choice: `write=False` (`replay --json`, which does
not show them) lets a digest's day pass unwritten, its watermark moving on as for a superseded
one; replayed digests are also kept as texts (`written`) for the replay summary.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from functools import partial

from tracker.domain.chat_state import ChatState
from tracker.domain.digest import DigestSchedule, listed_until
from tracker.domain.outgoing import MessageKind
from tracker.services import digests
from tracker.services.ports import Ledger, UnitOfWork

OFFLINE_NOTICE_AFTER = timedelta(minutes=5)  # a start later than this is a catch-up


class DigestClock:
    def __init__(
        self,
        chats: dict[int, ChatState],
        uow: UnitOfWork,
        build: Callable[..., dict],
        write: bool,
        keep_texts: bool,
    ) -> None:
        self.chats = chats
        self.uow = uow
        self.build = build  # Notifier.build
        self.write = write
        self.keep_texts = keep_texts
        self.written: dict[int, list[str]] = {}  # chat -> texts, for the replay summary
        self._next: dict[int, tuple[date, datetime]] = {}  # chat -> next digest day, instant
        self._first: datetime | None = None  # the earliest of them
        self._news = True  # a chat was loaded: look at its digests on the next tick
        # chat -> a message, reaction or button press since its last digest: only a day with
        # activity or something the digest lists gets one (a silent, empty day none)
        self._active: dict[int, bool] = {}
        self._last_day: dict[int, date] = {}  # chat -> its last digest day (this process)

    def chat_loaded(self) -> None:
        self._news = True

    def activity(self, chat_id: int) -> None:
        self._active[chat_id] = True

    def due(self) -> datetime | None:
        return self._first

    def needs_look(self, now: datetime) -> bool:
        return self._news or (self._first is not None and self._first <= now)

    def reschedule(self) -> None:
        """The chats were loaded again: their next digests are worked out afresh."""
        self._next.clear()
        self._first, self._news = None, True

    def forget(self) -> None:
        """A commit failed: a digest it held is written again."""
        self.reschedule()
        self._active = dict.fromkeys(self._active, True)

    def take(self, now: datetime, catching_up: bool) -> None:
        """Queue every digest due by `now`. `catching_up` (on start): of several missed
        digests only the last is sent."""
        first = None
        for chat in {id(c): c for c in self.chats.values()}.values():
            rules = chat.settings.rules
            if not rules.digest:
                continue
            schedule = DigestSchedule(rules.timezone, rules.digest_time, rules.calendar)
            at = self._take_chat(chat, schedule, now, catching_up)
            first = at if first is None or at < first else first
        self._first = first
        self._news = False

    def _take_chat(self, chat, schedule: DigestSchedule, now, catching_up) -> datetime:
        if chat.digest_through is None:  # digests start once the bot sees the chat
            chat.digest_through = schedule.last_before(now)
            self.uow.touch(chat)
        day, at = self._next.get(chat.chat_id) or _next_digest(schedule, chat)
        if at <= now:
            # first look since a start: what happened after the last digest counts
            last = schedule.instant(chat.digest_through)
            news = chat.ticked_until is not None and chat.ticked_until > last
            self._active.setdefault(chat.chat_id, news)
            rules = chat.settings.rules
            listed = listed_until(
                chat.open.values(), rules.digest_max_age, rules.notice_completion
            )
        while at <= now:
            if not self._active[chat.chat_id] and (listed is None or at > listed):
                day = schedule.last_through(now)  # silent from here on: no digest up to now
                chat.digest_through = day
                self.uow.touch(chat)
                day = schedule.next_after(day)
                at = schedule.instant(day)
                break
            later = schedule.next_after(day)
            superseded = catching_up and schedule.instant(later) <= now
            if not superseded:
                self._active[chat.chat_id] = False
                if self.write:
                    self._queue(chat, schedule, day, at, now, catching_up)
            chat.digest_through = day
            self.uow.touch(chat)
            day, at = later, schedule.instant(later)
        self._next[chat.chat_id] = (day, at)
        return at

    def _queue(self, chat, schedule, day, at, now, catching_up) -> None:
        late = catching_up and now - at > OFFLINE_NOTICE_AFTER
        weekly = schedule.first_of_week(day, self._last_day.get(chat.chat_id))
        self._last_day[chat.chat_id] = day
        self.uow.defer(partial(self._write, chat.settings, day, at, now, late, weekly))

    def _write(self, settings, day, at, now, late, weekly, ledger: Ledger) -> None:
        sent_at = now if late else at
        rows = digests.digest_rows(ledger, self.build, settings, day, at, sent_at, late, weekly)
        ledger.add_outbox(rows)
        if self.keep_texts:
            chat_copy = [r["text"] for r in rows if r["kind"] == MessageKind.DIGEST]
            self.written.setdefault(settings.chat_id, []).extend(chat_copy)


def _next_digest(schedule: DigestSchedule, chat: ChatState) -> tuple[date, datetime]:
    day = schedule.next_after(chat.digest_through)
    return day, schedule.instant(day)
