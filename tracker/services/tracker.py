"""The use cases: the one path that both the live bot and `tracker replay` go through.

Each public method is one unit of work: `with uow:` the engine decides, its decisions and the
messages to send are recorded, `uow.commit()` writes them in one transaction, and the method
returns what the caller must re-arm (the next instant something falls due). A failure anywhere
inside drops the work and makes memory forget what it had decided (every chat is loaded again
before the next tick). Nothing here reads the wall clock: times come in.

What only the live bot does is a named step, and replay's choice is stated: status boards
(`status_messages`; replay: none), update dedupe (`update_id`; replay: none, the message
watermark does it), adopting and moving chats (`adopt_chat`, `migrate_chat`; replay: never),
answers to the writer (`answer`; replay: none). The live bot commits each use case; replay's
`BatchingUnitOfWork` keeps the work for one transaction per batch.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime

from tracker.domain.chat_state import ChatState
from tracker.domain.engine import Engine
from tracker.domain.inbound import IncomingMessage, IncomingReaction, MemberSeen
from tracker.domain.outgoing import MessageKind
from tracker.domain.rules import ChatRules, ChatSettings
from tracker.services import appeals, ledger
from tracker.services.digest_clock import DigestClock
from tracker.services.inbound import Inbound
from tracker.services.notifications import Notifier
from tracker.services.ports import Store, UnitOfWork
from tracker.services.roster import Chats
from tracker.services.timekeeping import Steps, Timekeeper, tell_absence
from tracker.services.units import Guarded, Recorder

PENDING, REPLAYED = "pending", "replayed"
Due = datetime | None  # when to wake next


class TrackerService:
    def __init__(
        self,
        find_chat: Callable[[int], ChatSettings | None],
        store: Store,
        uow: UnitOfWork,
        engine: Engine,
        outbox_status: str = PENDING,
        status_messages: bool = False,
        digests: bool = True,
    ) -> None:
        self.store = store
        self.uow = uow
        self.engine = engine
        # replay writes rows that are never to be sent, and keeps no status boards
        self.notifier = Notifier(
            engine.chats, uow.add_outbox, outbox_status, status_boards=status_messages
        )
        self.digest_clock = DigestClock(
            engine.chats, uow, self.notifier.build, digests, keep_texts=outbox_status == REPLAYED
        )
        self.chats = Chats(find_chat, store, engine, loaded=self.digest_clock.chat_loaded)
        record = Recorder(uow, self.notifier)
        steps = Steps(self.chats, engine, uow, record, self.digest_clock)
        self.clock = Timekeeper(steps)
        self.inbound = Inbound(steps, self.clock)
        self._last_update_id: int | None = None

    # -- chats (reads) -----------------------------------------------------------------------
    def chat(self, chat_id: int) -> ChatState:
        return self.chats.get(chat_id)

    def knows(self, chat_id: int) -> bool:
        return self.chats.knows(chat_id)

    def is_adopted(self, chat_id: int) -> bool:
        return self.chats.is_adopted(chat_id)

    @property
    def adopted(self) -> dict[int, ChatSettings]:
        return self.chats.adopted

    def find_chat(self, chat_id: int) -> ChatSettings | None:
        return self.chats.find_chat(chat_id)

    def seen_update(self, update_id: int) -> bool:
        """True for a Telegram update already handled (redelivered after a restart)."""
        if self._last_update_id is None:
            self._last_update_id = self.store.last_update_id()
        return update_id <= self._last_update_id

    def next_due(self) -> Due:
        return self.clock.next_due()

    @property
    def digests_written(self) -> dict[int, list[str]]:
        return self.digest_clock.written

    # -- use cases ---------------------------------------------------------------------------
    def catch_up(
        self, now: datetime, configured: Iterable[ChatSettings], defaults: ChatRules
    ) -> Due:
        """On start: load every chat, say how long the bot was away, take what fell due (of
        several missed digests only the last is sent)."""
        with self._unit() as uow:
            states = self.chats.load_all(configured, defaults)
            tell_absence(self.store, self.notifier, states, now)
            self.clock.tick(now, catching_up=True)
            uow.heartbeat = now
            uow.commit()
        return self.next_due()

    def tick(self, now: datetime) -> Due:
        """Every reminder, fine and digest due by `now`."""
        with self._unit() as uow:
            self.clock.tick(now)
            uow.commit()
        return self.next_due()

    def heartbeat(self, now: datetime) -> None:
        """The bot is up (a restart tells the groups how long it was away)."""
        with self._unit() as uow:
            uow.heartbeat = now
            uow.commit()

    def handle_message(
        self, msg: IncomingMessage, update_id: int | None = None, answer: str | None = None
    ) -> Due:
        """A message; live also passes its update (dedupe) and the answer to its writer."""
        with self._unit() as uow:
            self.inbound.message(msg)
            if answer is not None:
                self.notifier.answer(msg.chat_id, msg.message_id, answer, msg.at)
            self._commit(uow, update_id)
        return self.next_due()

    def handle_edit(self, msg: IncomingMessage, update_id: int | None = None) -> Due:
        """A message edited live (`msg.at`: when); a replay reads the final text at once."""
        with self._unit() as uow:
            self.inbound.edit(msg)
            self._commit(uow, update_id)
        return self.next_due()

    def handle_reactions(
        self, reactions: Iterable[IncomingReaction], update_id: int | None = None
    ) -> Due:
        with self._unit() as uow:
            for reaction in reactions:
                self.inbound.reaction(reaction)
            self._commit(uow, update_id)
        return self.next_due()

    def handle_members(self, seen: Iterable[MemberSeen], update_id: int | None = None) -> Due:
        with self._unit() as uow:
            for one in seen:
                self.inbound.member(one)
            self._commit(uow, update_id)
        return self.next_due()

    def press_ack_button(
        self, chat_id: int, directive_id: int, user_id: int, at: datetime
    ) -> tuple[str, Due]:
        """The 收到 button under a status board; returns the outcome for the answer."""
        with self._unit() as uow:
            outcome = self.inbound.ack_button(chat_id, directive_id, user_id, at)
            uow.commit()
        return outcome, self.next_due()

    def review_ack(
        self, chat_id: int, directive_id: int, user_id: int, by: int, accepted: bool, at: datetime
    ) -> tuple[str, Due]:
        """A leader's 算作收到 / 不算 under a board; returns the outcome for the answer."""
        with self._unit() as uow:
            outcome = self.inbound.review(chat_id, directive_id, user_id, by, accepted, at)
            uow.commit()
        return outcome, self.next_due()

    def decide_leave(
        self, chat_id: int, request_id: int, user_id: int, by: int, approve: bool, at: datetime
    ) -> tuple[str, Due]:
        with self._unit() as uow:  # 批准 / 驳回 under a leave request
            outcome = self.inbound.leave_decision(chat_id, request_id, user_id, by, approve, at)
            uow.commit()
        return outcome, self.next_due()

    def decide_removal(
        self, chat_id: int, proposal_id: int, user_id: int, by: int, remove: bool, at: datetime
    ) -> tuple[str, Due]:
        with self._unit() as uow:  # 移出 / 保留 under a removal proposal
            outcome = self.inbound.removal_decision(chat_id, proposal_id, user_id, by, remove, at)
            uow.commit()
        return outcome, self.next_due()

    def announce(self, chat_id: int, kind: MessageKind, text: str, now: datetime) -> None:
        """A message to a chat that no rule caused (welcome, offline notice)."""
        with self._unit() as uow:
            self.notifier.announce(chat_id, kind, text, now)
            uow.commit()

    def answer(self, chat_id: int, message_id: int, text: str, now: datetime) -> None:
        with self._unit() as uow:  # the bot's answer to a command (sent by the outbox)
            self.notifier.answer(chat_id, message_id, text, now)
            uow.commit()

    def waive(self, chat_id: int, fines: list, by: int, reason: str, now: datetime) -> None:
        ledger.waive(self.uow, self.notifier, self.chat(chat_id), fines, by, reason, now)

    def file_appeal(self, chat_id: int, fine, by: int, reason: str, message_id: int, now):
        """The fined member's /appeal: "ok" or why not (`domain.appeals.refusal`)."""
        chat = self.chat(chat_id)
        return appeals.file_appeal(
            self.uow, self.notifier, chat, fine, by, reason, message_id, now
        )

    def decide_appeal(self, chat_id: int, fine, by: int, grant: bool, now: datetime) -> str:
        """A leader's 免除 / 维持: "ok" | "already" | "gone" (NotAllowed for a member)."""
        chat = self.chat(chat_id)
        return appeals.decide_appeal(self.uow, self.notifier, chat, fine, by, grant, now)

    def open_appeals(self, chat_id: int) -> list:
        with self.store.reading() as ledger:
            return ledger.open_appeals(chat_id)

    def record_payment(self, chat_id: int, user_id: int, month: str, by: int, now: datetime):
        ledger.record_payment(self.uow, self.notifier, self.chat(chat_id), user_id, month, by, now)

    def adopt_chat(self, settings: ChatSettings, now: datetime) -> Due:
        """Live only: track a chat the config does not name (the bot was added to it), or take
        its new leaders; its digests are scheduled from `now` on."""
        self.chats.adopt(settings)
        return self.tick(now)

    def migrate_chat(self, old_chat_id: int, new_chat_id: int) -> Due:
        """Live only: a group became a supergroup; its rules, roster and open work move."""
        if self.chats.migrate(old_chat_id, new_chat_id):
            self.digest_clock.reschedule()
        return self.next_due()

    def analyze(self) -> None:
        """Let the database's planner see how the tables have grown (a long replay)."""
        self.store.analyze()

    # -- inside a unit of work ---------------------------------------------------------------
    def _unit(self) -> Guarded:
        return Guarded(self.uow, self._forget)

    def _commit(self, uow: UnitOfWork, update_id: int | None) -> None:
        if update_id is not None:
            uow.last_update_id = update_id  # remembered with the work it caused
        uow.commit()
        if update_id is not None:
            self._last_update_id = update_id

    def _forget(self) -> None:
        """Memory may be ahead of the database: forget it all."""
        self.chats.forget()
        self.digest_clock.forget()
        self._last_update_id = None
