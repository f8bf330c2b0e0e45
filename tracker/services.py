"""Use cases: the one path that both the live bot and `tracker replay` go through.

Every call records what the engine decided in the current unit of work together with the
messages to send; `commit()` writes both in one transaction. The live bot commits after each
update; replay commits in batches. Nothing here reads the wall clock: times come in.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import datetime, timedelta

from tracker import messages
from tracker.adapters.repository import Repository
from tracker.adapters.unit_of_work import UnitOfWork
from tracker.domain.chat_state import ChatState
from tracker.domain.engine import Engine
from tracker.domain.events import (
    DomainEvent,
)
from tracker.domain.inbound import IncomingMessage, IncomingReaction, MemberSeen
from tracker.domain.rules import ChatRules, ChatSettings
from tracker.errors import NotAllowed, UnknownChat
from tracker.notifications import Notifier

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
    ) -> None:
        self.find_chat = find_chat
        self.repository = repository
        self.engine = engine
        self.outbox_status = outbox_status  # replay writes rows that are never to be sent
        self.uow = UnitOfWork()
        self.adopted: dict[int, ChatSettings] = {}  # live chats without a config entry
        self._reload: set[int] = set()  # chats to load again after a failed commit
        self._last_update_id: int | None = None
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
        self.engine.reset()
        self.chat(new_chat_id)

    def catch_up(
        self, now: datetime, configured: Iterable[ChatSettings], defaults: ChatRules
    ) -> None:
        """On start: load every chat, say how long the bot was away, take what fell due."""
        self.adopted = {}
        for settings, moved_from in self.repository.adopted_chats(defaults):
            configured_as = self.find_chat(moved_from) if moved_from is not None else None
            if configured_as is not None:  # a configured group that became a supergroup
                settings = replace(configured_as, chat_id=settings.chat_id)
            self.adopted[settings.chat_id] = settings
        states = [self.chat(s.chat_id) for s in (*configured, *self.adopted.values())]
        last = self.repository.last_heartbeat()
        if last is not None and now - last > OFFLINE_NOTICE_AFTER:
            for state in states:
                text = messages.offline(last, now, state.settings.rules.timezone)
                self.announce(state.chat_id, "offline", text, now)
        self.tick(now)
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

    def announce(self, chat_id: int, kind: str, text: str, now: datetime) -> None:
        self.notifier.announce(chat_id, kind, text, now)

    def uow_outbox(self, row: dict) -> None:
        self.uow.add_outbox(row)

    # -- inbound -----------------------------------------------------------------------------
    def handle_message(self, msg: IncomingMessage) -> None:
        chat = self.engine.chats.get(msg.chat_id) or self.chat(msg.chat_id)
        self.tick(msg.at)
        events = self.engine.handle_message(chat, msg)
        if events:
            self._record(events, msg.at)
        if chat.ticked_until is None or msg.at > chat.ticked_until:
            chat.ticked_until = msg.at
        self.uow.touch(chat)

    def handle_reaction(self, reaction: IncomingReaction) -> None:
        chat = self.chat(reaction.chat_id)
        self.tick(reaction.at)
        self._record(self.engine.handle_reaction(chat, reaction), reaction.at)
        self.uow.touch(chat)

    def press_ack_button(self, chat_id: int, directive_id: int, user_id: int, at: datetime) -> str:
        """The 收到 button under a status board; returns the outcome for the answer."""
        chat = self.chat(chat_id)
        self.tick(at)
        outcome, events = self.engine.acknowledge(chat, directive_id, user_id, at)
        self._record(events, at)
        self.uow.touch(chat)
        return outcome

    def waive(self, chat_id: int, fines: list, by: int, reason: str, now: datetime) -> list:
        """A leader waives fines: they stay in the ledger, marked waived with who and why.
        Returns the fines that were still booked (already waived ones are left alone)."""
        chat = self.chat(chat_id)
        if by not in chat.settings.leaders:
            raise NotAllowed("only a leader of this chat may waive fines")
        open_fines = [f for f in fines if f.status == "booked"]
        self.uow.waivers += [
            {"id": f.id, "waived_at": now, "waived_by": by, "waived_reason": reason}
            for f in open_fines
        ]
        if open_fines:
            text = messages.waived(
                [(f.name, f.amount_fen, f.currency) for f in open_fines], reason
            )
            ids = "-".join(str(f.id) for f in open_fines)
            self.notifier.row(
                f"waived:{chat_id}:{ids}", chat_id, chat_id, None, "waived", text, (), now
            )
        return open_fines

    def handle_member(self, seen: MemberSeen) -> None:
        chat = self.chat(seen.chat_id)
        self._record(self.engine.handle_member(chat, seen), seen.at)

    def tick(self, now: datetime) -> datetime | None:
        """Take every step due by `now`; returns the next due instant (for the alarm clock)."""
        while self._reload:
            chat_id = next(iter(self._reload))
            self.chat(chat_id)  # may raise while the database is still away: try again later
            self._reload.discard(chat_id)
        due = self.engine.next_due()
        if due is None or due > now:
            return due
        events = self.engine.tick(now)
        if events:
            self._record(events, now)
            for chat_id in {_chat_of(e) for e in events}:
                self.uow.touch(self.engine.chats[chat_id])
        return self.engine.next_due()

    def commit(self) -> None:
        uow, self.uow = self.uow, UnitOfWork()
        try:
            self.repository.commit(uow)
        except Exception:
            # Memory may be ahead of the database: forget it; every chat is loaded again
            # before the next tick, so a quiet chat's fines still fall due.
            self._reload |= set(self.engine.chats)
            self.engine.reset()
            self._last_update_id = None
            raise

    def _record(self, events: list[DomainEvent], now: datetime | None) -> None:
        self.uow.record(events)
        self.notifier.on_events(events, now)


def _chat_of(event: DomainEvent) -> int:
    return event.directive.chat_id
