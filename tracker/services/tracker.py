"""Use cases: the one path that both the live bot and `tracker replay` go through.

Every call records what the engine decided in the current unit of work together with the
messages to send; `commit()` writes both in one transaction. The live bot commits after each
update; replay commits in batches. Nothing here reads the wall clock: times come in.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import date, datetime, timedelta
from functools import partial

from tracker.adapters.db import ledger
from tracker.adapters.db.repository import Repository
from tracker.adapters.db.unit_of_work import UnitOfWork, insert_outbox
from tracker.domain.chat_state import ChatState
from tracker.domain.digest import DigestSchedule, listed_until
from tracker.domain.engine import Engine
from tracker.domain.events import (
    DomainEvent,
)
from tracker.domain.inbound import IncomingMessage, IncomingReaction, MemberSeen
from tracker.domain.outgoing import MessageKind
from tracker.domain.rules import ChatRules, ChatSettings
from tracker.errors import NotAllowed, UnknownChat
from tracker.services import digests
from tracker.services.notifications import Notifier
from tracker.texts import notices

PENDING, REPLAYED = "pending", "replayed"
OFFLINE_NOTICE_AFTER = timedelta(minutes=5)


class TrackerService:
    def __init__(
        self,
        find_chat: Callable[[int], ChatSettings | None],
        repository: Repository,
        engine: Engine,
        outbox_status: str = PENDING,
        status_messages: bool = False,
        digests: bool = True,
    ) -> None:
        self.find_chat = find_chat
        self.repository = repository
        self.engine = engine
        self.outbox_status = outbox_status  # replay writes rows that are never to be sent
        # False (`replay --json`, which does not show them): a digest's day passes unwritten,
        # its watermark moves on as for a superseded one
        self.digests = digests
        self.digests_written: dict[int, list[str]] = {}  # chat -> texts, for the replay summary
        self.uow = UnitOfWork()
        self.adopted: dict[int, ChatSettings] = {}  # live chats without a config entry
        self._reload: set[int] = set()  # chats to load again after a failed commit
        self._last_update_id: int | None = None
        self._digests: dict[int, tuple[date, datetime]] = {}  # chat -> next digest day, instant
        self._first_digest: datetime | None = None  # the earliest of them
        self._digest_news = True  # a chat was loaded: look at its digests on the next tick
        # chat -> a message, reaction or button press since its last digest: only a day with
        # activity or something the digest lists gets one (a silent, empty day none)
        self._active: dict[int, bool] = {}
        self._written: dict[int, date] = {}  # chat -> its last digest day (this process)
        self._last_tick: datetime | None = None
        # the live bot also keeps a status board per directive; replay rows are never sent
        self.notifier = Notifier(
            engine.chats, self.uow_outbox, outbox_status, status_boards=status_messages
        )

    # -- chats -------------------------------------------------------------------------------
    def chat(self, chat_id: int) -> ChatState:
        state = self.engine.chats.get(chat_id)
        if state is not None:
            return state
        settings = self.find_chat(chat_id) or self.adopted.get(chat_id)
        if settings is None:
            raise UnknownChat(f"chat {chat_id} is not in the config: add a [[chats]] entry")
        state = self.repository.load_chat(settings)
        self.engine.add_chat(state)
        self._digest_news = True
        if settings.chat_id != chat_id:
            self.engine.chats[chat_id] = state  # the export id and the Bot API id, one chat
        return state

    def knows(self, chat_id: int) -> bool:
        return (
            chat_id in self.engine.chats
            or self.find_chat(chat_id) is not None
            or (chat_id in self.adopted)
        )

    def adopt_chat(self, settings: ChatSettings) -> None:
        """Track a chat the config does not name (the live bot was added to it), or take its
        new leaders (its administrators changed)."""
        self.repository.save_adopted(settings)
        self.adopted[settings.chat_id] = settings
        state = self.engine.chats.get(settings.chat_id)
        if state is None:
            self.chat(settings.chat_id)
            return
        state.settings = settings
        state.roster.leaders = settings.leaders

    def is_adopted(self, chat_id: int) -> bool:
        return chat_id in self.adopted and self.find_chat(chat_id) is None

    def migrate_chat(self, old_chat_id: int, new_chat_id: int) -> None:
        """A group became a supergroup: its rules, roster and open directives move along."""
        if not self.knows(old_chat_id) or self.knows(new_chat_id):
            return
        self.commit()
        settings = replace(self.chat(old_chat_id).settings, chat_id=new_chat_id)
        self.repository.migrate_chat(settings, old_chat_id)
        self.adopted[new_chat_id] = settings
        others = {c for c in self.engine.chats if c != old_chat_id}
        self.engine.reset()
        self._digests.clear()
        self._first_digest = None
        self._reload |= others - {new_chat_id}  # every other chat comes back before the tick
        self.chat(new_chat_id)

    def catch_up(
        self, now: datetime, configured: Iterable[ChatSettings], defaults: ChatRules
    ) -> None:
        """On start: load every chat, say how long the bot was away, take what fell due."""
        self.adopted = {}
        moved: set[int] = set()
        for settings, moved_from in self.repository.adopted_chats(defaults):
            configured_as = self.find_chat(moved_from) if moved_from is not None else None
            if configured_as is not None:  # a configured group that became a supergroup
                settings = replace(configured_as, chat_id=settings.chat_id)
                moved.add(configured_as.chat_id)
            self.adopted[settings.chat_id] = settings
        live = [s for s in configured if s.chat_id not in moved]  # the old id is gone
        states = [self.chat(s.chat_id) for s in (*live, *self.adopted.values())]
        last = self.repository.last_heartbeat()
        if last is not None and now - last > OFFLINE_NOTICE_AFTER:
            for state in states:
                text = notices.offline(last, now, state.settings.rules.timezone)
                self.announce(state.chat_id, MessageKind.OFFLINE, text, now)
        self.tick(now, catching_up=True)
        self.heartbeat(now)

    def seen_update(self, update_id: int) -> bool:
        """True for a Telegram update already handled (redelivered after a restart); else
        remember it with the work it causes, in the same commit."""
        if self._last_update_id is None:
            self._last_update_id = self.repository.last_update_id()
        if update_id <= self._last_update_id:
            return True
        self._last_update_id = self.uow.last_update_id = update_id
        return False

    def heartbeat(self, now: datetime) -> None:
        self.uow.heartbeat = now

    def announce(self, chat_id: int, kind: MessageKind, text: str, now: datetime) -> None:
        self.notifier.announce(chat_id, kind, text, now)

    def answer(self, chat_id: int, message_id: int, text: str, now: datetime) -> None:
        """Queue the bot's answer to a command (sent by the outbox after `commit`)."""
        self.notifier.answer(chat_id, message_id, text, now)

    def uow_outbox(self, row: dict) -> None:
        self.uow.add_outbox(row)

    # -- inbound -----------------------------------------------------------------------------
    def handle_message(self, msg: IncomingMessage) -> None:
        chat = self.engine.chats.get(msg.chat_id) or self.chat(msg.chat_id)
        self.tick(msg.at)
        if msg.message_id > chat.last_message_id:  # not one seen before
            self._active[chat.chat_id] = True
        events = self.engine.handle_message(chat, msg)
        if events:
            self._record(events, msg.at)
        if chat.ticked_until is None or msg.at > chat.ticked_until:
            chat.ticked_until = msg.at
        self.uow.touch(chat)

    def handle_reaction(self, reaction: IncomingReaction) -> None:
        chat = self.chat(reaction.chat_id)
        self.tick(reaction.at)
        self._active[chat.chat_id] = True
        self._record(self.engine.handle_reaction(chat, reaction), reaction.at)
        self.uow.touch(chat)

    def press_ack_button(self, chat_id: int, directive_id: int, user_id: int, at: datetime) -> str:
        """The 收到 button under a status board; returns the outcome for the answer."""
        chat = self.chat(chat_id)
        self.tick(at)
        self._active[chat.chat_id] = True
        outcome, events = self.engine.acknowledge(chat, directive_id, user_id, at)
        self._record(events, at)
        self.uow.touch(chat)
        return outcome

    def review_ack(
        self, chat_id: int, directive_id: int, user_id: int, by: int, accepted: bool, at: datetime
    ) -> str:
        """A leader's 算作收到 / 不算 under a board; returns the outcome for the answer."""
        chat = self.chat(chat_id)
        if by not in chat.settings.leaders:
            return "not_leader"
        self.tick(at)
        self._active[chat.chat_id] = True
        outcome, events = self.engine.review_ack(chat, directive_id, user_id, by, accepted, at)
        self._record(events, at)
        self.uow.touch(chat)
        return outcome

    def waive(self, chat_id: int, fines: list, by: int, reason: str, now: datetime) -> None:
        """A leader waives fines: they stay in the ledger, marked waived with who and why (a
        closed month's fine gets a reversal entry in an open month instead). The ledger change
        and its announcement are written in the next commit, together."""
        chat = self.chat(chat_id)
        if by not in chat.settings.leaders:
            raise NotAllowed("only a leader of this chat may waive fines")
        zone = chat.settings.rules.timezone

        def write(conn) -> None:
            changed = ledger.waive(conn, fines, by, reason, now, zone)
            if not changed:
                return
            text = notices.waived(
                [(f.name, f.amount_fen, f.currency, rev) for f, rev in changed], reason
            )
            ids = "-".join(str(f.id) for f, _ in changed)
            row = self.notifier.build(
                f"waived:{chat_id}:{ids}",
                chat_id,
                chat_id,
                None,
                MessageKind.WAIVED,
                text,
                (),
                now,
            )
            insert_outbox(conn, [row])

        self.uow.deferred.append(write)

    def record_payment(
        self, chat_id: int, user_id: int, month: str, by: int, now: datetime
    ) -> None:
        """A leader records that a member paid a month's fines in this chat (/paid)."""
        chat = self.chat(chat_id)
        if by not in chat.settings.leaders:
            raise NotAllowed("only a leader of this chat may record payments")
        name = chat.roster.name(user_id)

        def write(conn) -> None:
            count, fen = ledger.mark_paid(conn, month, user_id, by, now, [chat_id])
            text = notices.paid(name, month, count, fen)
            key = f"paid:{chat_id}:{user_id}:{month}:{now.isoformat()}"
            insert_outbox(
                conn,
                [
                    self.notifier.build(
                        key, chat_id, chat_id, None, MessageKind.PAID, text, (), now
                    )
                ],
            )

        self.uow.deferred.append(write)

    def handle_member(self, seen: MemberSeen) -> None:
        chat = self.chat(seen.chat_id)
        self._record(self.engine.handle_member(chat, seen), seen.at)

    def tick(self, now: datetime, catching_up: bool = False) -> datetime | None:
        """Take every step and digest due by `now`; returns the next due instant (for the alarm
        clock). `catching_up` (on start): of several missed digests only the last is sent."""
        self._last_tick = now
        while self._reload:
            chat_id = next(iter(self._reload))
            self.chat(chat_id)  # may raise while the database is still away: try again later
            self._reload.discard(chat_id)
        due = self.engine.next_due()
        if due is not None and due <= now:
            events = self.engine.tick(now)
            if events:
                self._record(events, now)
                for chat_id in {_chat_of(e) for e in events}:
                    self.uow.touch(self.engine.chats[chat_id])
        if self._digest_news or (self._first_digest is not None and self._first_digest <= now):
            self._take_digests(now, catching_up)
        return self.next_due()

    def next_due(self) -> datetime | None:
        if self._reload and self._last_tick is not None:
            return self._last_tick  # chats still to load again after a failed commit: at once
        due = self.engine.next_due()
        if self._first_digest is not None and (due is None or self._first_digest < due):
            return self._first_digest
        return due

    # -- digests -----------------------------------------------------------------------------
    def _take_digests(self, now: datetime, catching_up: bool) -> None:
        """Queue every digest due by `now`. Each is written at commit, read from the ledger as
        of its own instant, so it says what was owed then, whenever it is written. A day without
        activity and with nothing to list gets none, and the days after it up to `now` are
        passed over at once: the cost follows the chat's messages, not the calendar's span."""
        first = None
        for chat in {id(c): c for c in self.engine.chats.values()}.values():
            rules = chat.settings.rules
            if not rules.digest:
                continue
            schedule = DigestSchedule(rules.timezone, rules.digest_time, rules.calendar)
            if chat.digest_through is None:  # digests start once the bot sees the chat
                chat.digest_through = schedule.last_before(now)
                self.uow.touch(chat)
            day, at = self._digests.get(chat.chat_id) or _next_digest(schedule, chat)
            if at <= now:
                # first look since a start: what happened after the last digest counts
                last = schedule.instant(chat.digest_through)
                news = chat.ticked_until is not None and chat.ticked_until > last
                self._active.setdefault(chat.chat_id, news)
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
                if self.digests and not superseded:
                    late = catching_up and now - at > OFFLINE_NOTICE_AFTER
                    weekly = schedule.first_of_week(day, self._written.get(chat.chat_id))
                    self._written[chat.chat_id] = day
                    work = partial(self._write_digest, chat.settings, day, at, now, late, weekly)
                    self.uow.deferred.append(work)
                chat.digest_through = day
                self.uow.touch(chat)
                day, at = later, schedule.instant(later)
            self._digests[chat.chat_id] = (day, at)
            first = at if first is None or at < first else first
        self._first_digest = first
        self._digest_news = False

    def _write_digest(self, settings, day, at, now, late, weekly, conn) -> None:
        sent_at = now if late else at
        rows = digests.digest_rows(
            conn, self.notifier.build, settings, day, at, sent_at, late, weekly
        )
        insert_outbox(conn, rows)
        if self.outbox_status == REPLAYED:
            chat_copy = [r["text"] for r in rows if r["kind"] == MessageKind.DIGEST]
            self.digests_written.setdefault(settings.chat_id, []).extend(chat_copy)

    def analyze(self) -> None:
        """Let the database's planner see how the tables have grown (a long replay)."""
        self.repository.analyze()

    def commit(self) -> None:
        uow, self.uow = self.uow, UnitOfWork()
        try:
            self.repository.commit(uow)
        except Exception:
            # Memory may be ahead of the database: forget it; every chat is loaded again
            # before the next tick, so a quiet chat's fines still fall due.
            self._reload |= set(self.engine.chats)
            self.engine.reset()
            self._digests.clear()
            self._first_digest, self._digest_news = None, True
            self._active = dict.fromkeys(self._active, True)  # a lost digest is written again
            self._last_update_id = None
            raise

    def _record(self, events: list[DomainEvent], now: datetime | None) -> None:
        self.uow.record(events)
        self.notifier.on_events(events, now)


def _next_digest(schedule: DigestSchedule, chat: ChatState) -> tuple[date, datetime]:
    day = schedule.next_after(chat.digest_through)
    return day, schedule.instant(day)


def _chat_of(event: DomainEvent) -> int:
    return event.directive.chat_id
