"""PTB handlers: each turns an update into a service call, commits, re-arms the alarm clock
and wakes the outbox sender, which runs on its own: no handler waits for Telegram to accept a
message, so one busy group never holds up the others. No rule is decided here."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from telegram import Chat, ChatMember, Update
from telegram.constants import ChatMemberStatus
from telegram.error import TelegramError
from telegram.ext import Application, CallbackContext

from tracker.adapters.telegram.sender import OutboxSender
from tracker.domain.inbound import MemberSeen
from tracker.domain.outgoing import MessageKind
from tracker.domain.rules import ChatRules, ChatSettings
from tracker.entrypoints.bot.answers import Answers
from tracker.entrypoints.bot.feedback import feedback
from tracker.entrypoints.bot.scheduler import WakeScheduler
from tracker.entrypoints.bot.updates import (
    incoming_message,
    incoming_reactions,
    message_problem,
    problem,
    reaction_problem,
)
from tracker.errors import TrackerError
from tracker.services.tracker import TrackerService
from tracker.texts import answers, notices

log = logging.getLogger("tracker.bot")
GROUPS = (Chat.GROUP, Chat.SUPERGROUP)
JOINED = (ChatMemberStatus.MEMBER, ChatMemberStatus.ADMINISTRATOR)
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
        self.answer = Answers(service, clock, self._commit_and_rearm)
        self._sending: asyncio.Task | None = None

    # -- lifecycle ---------------------------------------------------------------------------
    async def post_init(self, app: Application) -> None:
        self.scheduler = WakeScheduler(app.job_queue, self.wake)
        now = self.clock()
        released = self.sender.store.take_over(now)
        if released:
            log.warning("took over %s outbox row(s) left in flight by a stopped process", released)
        self.service.catch_up(now - self.lag, self.configured, self.defaults)
        for year in self.defaults.calendar.unknown_years(now.date(), now.date() + timedelta(366)):
            log.warning(
                "chinese-calendar has no data for %s: working days are Monday-Friday "
                "plus [calendar] holidays/workdays from the config",
                year,
            )
        self._commit_and_rearm()
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
        self.service.tick(self.clock() - self.lag)
        self._commit_and_rearm()

    async def heartbeat(self, context: CallbackContext) -> None:
        """Says the bot is up (a restart tells the groups how long it was away)."""
        self.service.heartbeat(self.clock())
        self._commit_and_rearm()

    async def checkpoint_wal(self, context: CallbackContext) -> None:
        await asyncio.to_thread(self.checkpoint)

    async def analyze(self, context: CallbackContext) -> None:
        try:
            await asyncio.to_thread(self.service.repository.analyze)
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

    def _commit_and_rearm(self) -> None:
        self.service.commit()
        self.sender.wake()
        if self.scheduler is not None:
            due = self.service.next_due()
            self.scheduler.arm(None if due is None else due + self.lag)

    # -- updates -----------------------------------------------------------------------------
    def _again(self, update: Update) -> bool:
        if self.service.seen_update(update.update_id):
            log.info("update=%s seen before: ignored", update.update_id)
            return True
        return False

    def _unusable(self, what: str, chat_id: int, item_id: object, why: str | None) -> bool:
        """An update holding what Telegram cannot send, or dated outside 2000–2100: one log
        line, and it is not fed to the rules."""
        if why is None:
            return False
        log.warning("%s chat=%s id=%s ignored: %s", what, chat_id, item_id, why)
        return True

    async def on_message(self, update: Update, context: CallbackContext) -> None:
        message = update.effective_message
        if message is None or message.chat.type not in GROUPS:
            return
        why = message_problem(message)
        if self._unusable("message", message.chat_id, message.message_id, why):
            return
        if self._again(update):
            return
        if not await self._ensure_chat(message.chat, context):
            return
        incoming = incoming_message(message)
        answer = feedback(self.service.chat(message.chat_id), incoming)
        self.service.handle_message(incoming)
        self._commit_and_rearm()
        if answer is not None:
            self.answer(message, answer)
        log.info("message chat=%s message=%s handled", message.chat_id, message.message_id)

    async def on_migrate(self, update: Update, context: CallbackContext) -> None:
        message = update.effective_message
        if message is None or message.migrate_to_chat_id is None:
            return
        self.service.migrate_chat(message.chat_id, message.migrate_to_chat_id)
        self._commit_and_rearm()
        log.info("chat=%s migrated to %s", message.chat_id, message.migrate_to_chat_id)

    async def on_reaction(self, update: Update, context: CallbackContext) -> None:
        reaction = update.message_reaction
        if reaction is None:
            return
        why = reaction_problem(reaction)
        if self._unusable("reaction", reaction.chat.id, reaction.message_id, why):
            return
        if self._again(update):
            return
        if not await self._ensure_chat(reaction.chat, context):
            return
        for item in incoming_reactions(reaction):
            self.service.handle_reaction(item)
        self._commit_and_rearm()

    async def on_button(self, update: Update, context: CallbackContext) -> None:
        query = update.callback_query
        message = query.message if query is not None else None
        if message is not None and (query.data or "").startswith("review:"):
            await self._review(query, message)
            return
        if message is None or not (query.data or "").startswith("ack:"):
            if query is not None:
                await query.answer()
            return
        try:
            directive_id = int(query.data.removeprefix("ack:"))
        except ValueError:
            await query.answer()
            return
        outcome = "closed"
        if self.service.knows(message.chat.id):
            outcome = self.service.press_ack_button(
                message.chat.id, directive_id, query.from_user.id, self.clock()
            )
            self._commit_and_rearm()
        await query.answer(answers.button_answer(outcome))
        log.info(
            "button chat=%s directive=%s user=%s %s",
            message.chat.id,
            directive_id,
            query.from_user.id,
            outcome,
        )

    async def _review(self, query, message) -> None:
        """算作收到 / 不算 under a board: review:<directive>:<member>:<1|0>."""
        try:
            _, directive_id, user_id, verdict = query.data.split(":")
            directive_id, user_id, accepted = int(directive_id), int(user_id), verdict == "1"
        except ValueError:
            await query.answer()
            return
        outcome = "closed"
        if self.service.knows(message.chat.id):
            # on the engine's clock (behind by the lag), so a ruling and the window's own fine
            # step are taken in one order
            now = self.clock() - self.lag
            outcome = self.service.review_ack(
                message.chat.id, directive_id, user_id, query.from_user.id, accepted, now
            )
            self._commit_and_rearm()
        await query.answer(answers.review_answer(outcome, accepted))
        log.info(
            "review chat=%s directive=%s member=%s by=%s accepted=%s %s",
            message.chat.id,
            directive_id,
            user_id,
            query.from_user.id,
            accepted,
            outcome,
        )

    async def on_chat_member(self, update: Update, context: CallbackContext) -> None:
        change = update.chat_member
        if change is None:
            return
        user = change.new_chat_member.user
        why = problem(change.chat.id, change.date, [user, change.from_user])
        if self._unusable("member change", change.chat.id, user.id, why):
            return
        if not await self._ensure_chat(change.chat, context):
            return
        left = change.new_chat_member.status in (ChatMember.LEFT, ChatMember.BANNED)
        self.service.handle_member(
            MemberSeen(
                change.chat.id, user.id, user.full_name, user.username, left=left, at=change.date
            )
        )
        admin = (ChatMember.ADMINISTRATOR, ChatMember.OWNER)
        statuses = (change.old_chat_member.status, change.new_chat_member.status)
        if self.service.is_adopted(change.chat.id) and any(s in admin for s in statuses):
            await self._adopt(change.chat, context)  # its leaders are its administrators
        self._commit_and_rearm()

    async def on_members_changed(self, update: Update, context: CallbackContext) -> None:
        """Join and leave service messages: the roster when chat_member updates do not come."""
        message = update.effective_message
        if message is None:
            return
        why = message_problem(message)
        if self._unusable("member message", message.chat_id, message.message_id, why):
            return
        if not await self._ensure_chat(message.chat, context):
            return
        for user in message.new_chat_members or ():
            if not user.is_bot:
                self.service.handle_member(
                    MemberSeen(
                        message.chat_id, user.id, user.full_name, user.username, at=message.date
                    )
                )
        gone = message.left_chat_member
        if gone is not None and not gone.is_bot:
            self.service.handle_member(
                MemberSeen(
                    message.chat_id,
                    gone.id,
                    gone.full_name,
                    gone.username,
                    left=True,
                    at=message.date,
                )
            )
        self._commit_and_rearm()

    async def on_my_chat_member(self, update: Update, context: CallbackContext) -> None:
        change = update.my_chat_member
        if change is None or change.chat.type not in GROUPS:
            return
        status = change.new_chat_member.status
        if status not in JOINED:
            log.warning("chat=%s the bot was removed (%s)", change.chat.id, status)
            return
        if not await self._ensure_chat(change.chat, context):
            return
        me = await context.bot.get_me()
        sees_all = status == ChatMemberStatus.ADMINISTRATOR or me.can_read_all_group_messages
        self.service.announce(
            change.chat.id, MessageKind.WELCOME, notices.welcome(sees_all), self.clock()
        )
        if not sees_all:
            log.warning(
                "chat=%s the bot cannot see plain messages: make it an admin or turn "
                "privacy mode off in BotFather",
                change.chat.id,
            )
        self._commit_and_rearm()

    async def _ensure_chat(self, chat: Chat, context: CallbackContext) -> bool:
        """Configured chats are known; others get their administrators as leaders."""
        if self.service.knows(chat.id):
            return True
        return await self._adopt(chat, context)

    async def _adopt(self, chat: Chat, context: CallbackContext) -> bool:
        try:
            admins = await context.bot.get_chat_administrators(chat.id)
        except TelegramError as exc:
            log.error("chat=%s cannot read the administrators: %s", chat.id, exc)
            return False
        leaders = frozenset(a.user.id for a in admins if not a.user.is_bot)
        settings = ChatSettings(chat.id, chat.title or str(chat.id), leaders, rules=self.defaults)
        try:
            self.service.adopt_chat(settings)
        except TrackerError as exc:
            log.error("chat=%s %s", chat.id, exc)
            return False
        self.service.tick(self.clock() - self.lag)  # its digests are scheduled from now on
        log.info("chat=%s adopted with leaders %s (its administrators)", chat.id, sorted(leaders))
        return True
