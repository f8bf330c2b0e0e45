"""The live bot: its life (start, catch-up, heartbeat, the alarm clock, stop) and the updates the
rules read — messages, migrations, reactions. Each handler turns an update into one use case
(which commits), re-arms the alarm clock and wakes the outbox sender, which runs on its own: no
handler waits for Telegram to accept a message, so one busy group never holds up the others.
Buttons are in `buttons.py`, members and the bot's own membership in `membership.py`. No rule
is decided here."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from telegram import Update
from telegram.ext import Application, CallbackContext

from tracker.adapters.telegram.sender import OutboxSender
from tracker.domain.rules import ChatRules, ChatSettings
from tracker.entrypoints.bot.answers import Answers
from tracker.entrypoints.bot.buttons import Buttons
from tracker.entrypoints.bot.feedback import feedback
from tracker.entrypoints.bot.membership import GROUPS, Membership
from tracker.entrypoints.bot.scheduler import WakeScheduler
from tracker.entrypoints.bot.updates import (
    incoming_message,
    incoming_reactions,
    message_problem,
    reaction_problem,
    unusable,
)
from tracker.errors import TrackerError
from tracker.services.tracker import TrackerService

log = logging.getLogger("tracker.bot")
HEARTBEAT_EVERY = timedelta(seconds=30)
# SQLite's WAL is copied back into the database by this job, in a thread, never inside a commit
CHECKPOINT_EVERY = timedelta(seconds=2)
# PostgreSQL's planner statistics, refreshed in a thread (its autovacuum may be off or behind)
ANALYZE_EVERY = timedelta(hours=1)
# The live clock runs this far behind the wall clock: a message reaches the bot a little after
# its own date, and it must be judged before any step that falls due after that date, exactly
# as a replay of the export (ordered by date) judges it. Reminders go out this much later.
DELIVERY_LAG = timedelta(seconds=5)


class LiveBot:
    def __init__(
        self,
        service: TrackerService,
        sender: OutboxSender,
        clock: Callable[[], datetime],
        defaults: ChatRules,
        configured: tuple[ChatSettings, ...],
        lag: timedelta = DELIVERY_LAG,
        checkpoint: Callable[[], None] | None = None,
    ) -> None:
        self.service = service
        self.sender = sender
        self.clock = clock
        self.defaults = defaults
        self.configured = configured
        self.lag = lag
        self.checkpoint = checkpoint
        self.scheduler: WakeScheduler | None = None
        self.answer = Answers(service, clock, sender.wake)
        self.members = Membership(service, clock, self.engine_now, defaults, self._rearm)
        self.buttons = Buttons(service, clock, self.engine_now, self._rearm)
        self._sending: asyncio.Task | None = None

    # -- lifecycle ---------------------------------------------------------------------------
    async def post_init(self, app: Application) -> None:
        self.scheduler = WakeScheduler(app.job_queue, self.wake)
        now = self.clock()
        released = self.sender.store.take_over(now)
        if released:
            log.warning("took over %s outbox row(s) left in flight by a stopped process", released)
        due = self.service.catch_up(now - self.lag, self.configured, self.defaults)
        for year in self.defaults.calendar.unknown_years(now.date(), now.date() + timedelta(366)):
            log.warning(
                "chinese-calendar has no data for %s: working days are Monday-Friday "
                "plus [calendar] holidays/workdays from the config",
                year,
            )
        self._rearm(due)
        self._sending = asyncio.create_task(self.sender.run(), name="outbox sender")
        app.job_queue.run_repeating(self.heartbeat, interval=HEARTBEAT_EVERY, first=0)
        if self.checkpoint is not None:
            app.job_queue.run_repeating(self.checkpoint_wal, interval=CHECKPOINT_EVERY)
        app.job_queue.run_repeating(self.analyze, interval=ANALYZE_EVERY)
        log.info("started at %s", now.isoformat())

    async def post_stop(self, app: Application) -> None:
        """After the last update: let sends in flight finish, then stop the sender."""
        if self._sending is not None:
            await self.sender.stop()
            self._sending.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._sending
            self._sending = None

    async def wake(self, context: CallbackContext) -> None:
        self._rearm(self.service.tick(self.clock() - self.lag))

    async def heartbeat(self, context: CallbackContext) -> None:
        """Says the bot is up (a restart tells the groups how long it was away)."""
        self.service.heartbeat(self.clock())

    async def checkpoint_wal(self, context: CallbackContext) -> None:
        await asyncio.to_thread(self.checkpoint)

    async def analyze(self, context: CallbackContext) -> None:
        try:
            await asyncio.to_thread(self.service.analyze)
        except Exception as exc:  # statistics can wait for the next hour
            log.warning("ANALYZE failed: %s", exc)

    async def on_error(self, update: object, context: CallbackContext) -> None:
        """Log first, in one line; a failed commit has already reset the engine to reload."""
        chat = getattr(getattr(update, "effective_chat", None), "id", None)
        log.error(
            "update failed chat=%s: %s: %s",
            chat,
            type(context.error).__name__,
            context.error,
            exc_info=not isinstance(context.error, TrackerError),
        )

    def engine_now(self) -> datetime:
        """The engine's clock: the wall clock less the delivery lag."""
        return self.clock() - self.lag

    def _rearm(self, due: datetime | None) -> None:
        """After a use case committed: send what it queued, wake when the next thing is due."""
        self.sender.wake()
        if self.scheduler is not None:
            self.scheduler.arm(None if due is None else due + self.lag)

    # -- updates -----------------------------------------------------------------------------
    def _again(self, update: Update) -> bool:
        """Dedupe: an update handled before (redelivered after a restart) is not again."""
        if self.service.seen_update(update.update_id):
            log.info("update=%s seen before: ignored", update.update_id)
            return True
        return False

    async def on_message(self, update: Update, context: CallbackContext) -> None:
        message = update.effective_message
        if message is None or message.chat.type not in GROUPS:
            return
        why = message_problem(message)
        if unusable("message", message.chat_id, message.message_id, why):
            return
        if self._again(update):
            return
        if not await self.members.ensure_chat(message.chat, context):
            return
        incoming = incoming_message(message)
        answer = feedback(self.service.chat(message.chat_id), incoming)
        self._rearm(self.service.handle_message(incoming, update.update_id, answer))
        log.info("message chat=%s message=%s handled", message.chat_id, message.message_id)

    async def on_edit(self, update: Update, context: CallbackContext) -> None:
        """An edited message: a directive's new text, a reply read again (`Engine.handle_edit`)."""
        message = update.edited_message
        if message is None or message.chat.type not in GROUPS or message.edit_date is None:
            return
        why = message_problem(message)
        if unusable("edit", message.chat_id, message.message_id, why) or self._again(update):
            return
        if not self.service.knows(message.chat_id):
            return  # nothing was decided in a chat not yet tracked
        self._rearm(self.service.handle_edit(incoming_message(message), update.update_id))
        log.info("edit chat=%s message=%s handled", message.chat_id, message.message_id)

    async def on_migrate(self, update: Update, context: CallbackContext) -> None:
        message = update.effective_message
        if message is None:
            return
        # the old group says where it went; the supergroup, where it came from (sent by the
        # anonymous-admin bot when an anonymous admin upgraded it): whichever comes, once
        old, new = message.chat_id, message.migrate_to_chat_id
        if new is None:
            old, new = message.migrate_from_chat_id, message.chat_id
        if old is None:
            return
        self._rearm(self.service.migrate_chat(old, new))
        log.info("chat=%s migrated to %s", old, new)

    async def on_reaction(self, update: Update, context: CallbackContext) -> None:
        reaction = update.message_reaction
        if reaction is None:
            return
        why = reaction_problem(reaction)
        if unusable("reaction", reaction.chat.id, reaction.message_id, why):
            return
        if self._again(update):
            return
        if not await self.members.ensure_chat(reaction.chat, context):
            return
        items = incoming_reactions(reaction)
        self._rearm(self.service.handle_reactions(items, update.update_id))
