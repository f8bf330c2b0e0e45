"""Chat commands for reports: /digest and /stats answer from the ledger; /export sends a
leader the month's fines as a file in private chat; /paid records a payment through the
service (the ledger change and its announcement commit together)."""

from __future__ import annotations

import asyncio
import io
from collections.abc import Callable
from datetime import date, datetime, timedelta
from functools import partial

from sqlalchemy import Engine
from telegram import Update
from telegram.ext import CallbackContext

from tracker.adapters.files.fine_export import export_month
from tracker.domain.periods import YEARS, month_of, parse_month
from tracker.domain.rules import ChatSettings
from tracker.entrypoints.bot.answers import Answers
from tracker.entrypoints.bot.guard import group_chat, leader_in_group
from tracker.errors import MonthClosed, NotAllowed
from tracker.services.reports import digest_report, stats_report
from tracker.services.tracker import TrackerService
from tracker.texts import fine_answers, guide

STATS_DAYS = 30


class ReportCommands:
    def __init__(
        self,
        service: TrackerService,
        db: Engine,
        clock: Callable[[], datetime],
        configured: tuple[ChatSettings, ...],
        answer: Answers,
    ) -> None:
        self.answer = answer
        self.service = service
        self.db = db
        self.clock = clock
        self.configured = configured

    def _chat(self, update: Update):
        return group_chat(self.service, update)

    async def digest(self, update: Update, context: CallbackContext) -> None:
        chat = self._chat(update)
        if chat is None:
            self.answer(update.effective_message, guide.group_only())
            return
        now = self.clock()
        day = now.astimezone(chat.settings.rules.timezone).date()
        text = digest_report(self.service.store, chat.settings, day, now)
        self.answer(update.effective_message, text)

    async def stats(self, update: Update, context: CallbackContext) -> None:
        chat = self._chat(update)
        if chat is None:
            self.answer(update.effective_message, guide.group_only())
            return
        now = self.clock()
        since = _since(context.args or [], now, chat.settings.rules.timezone)
        if since is None:
            self.answer(update.effective_message, guide.stats_usage())
            return
        text = stats_report(self.service.store, chat.settings, since, now)
        self.answer(update.effective_message, text)

    async def export(self, update: Update, context: CallbackContext) -> None:
        message, user = update.effective_message, update.effective_user
        if update.effective_chat.type != "private":
            self.answer(message, guide.export_private_only())
            return
        led = self._led_by(user.id)
        if not led:
            self.answer(message, guide.leads_no_chat())
            return
        args = [a.lower() for a in context.args or []]
        fmt = "csv" if "csv" in args else "xlsx"
        months = [a for a in args if a not in ("csv", "xlsx")]
        try:
            month = (
                parse_month(months[0]) if months else month_of(self.clock(), led[0].rules.timezone)
            )
        except ValueError:
            self.answer(message, guide.export_usage())
            return
        out = io.BytesIO()
        # a big month takes seconds: off the event loop, so updates and the outbox go on
        result = await asyncio.get_running_loop().run_in_executor(
            None,
            partial(
                export_month,
                self.db,
                month,
                out,
                fmt,
                [s.chat_id for s in led],
                self._settings_of(led),
            ),
        )
        caption = fine_answers.export_caption(
            month, result.fines, result.total_fen, [s.name for s in led]
        )
        await message.reply_document(
            document=out.getvalue(), filename=f"fines-{month}.{fmt}", caption=caption
        )

    async def paid(self, update: Update, context: CallbackContext) -> None:
        chat = leader_in_group(self.service, update, "/paid", self.answer)
        if chat is None:
            return
        message, user = update.effective_message, update.effective_user
        member = _member(update, chat)
        # the month is the argument that reads as one; the others name the member
        numbers = [a for a in context.args or [] if any(c.isdigit() for c in a)]
        months = [m for a in numbers if (m := _month_or_none(a))]
        month = months[0] if months else month_of(self.clock(), chat.settings.rules.timezone)
        if member is None or len(months) != len(numbers):  # no member, or a month misspelt
            self.answer(message, guide.paid_usage())
            return
        try:
            self.service.record_payment(chat.chat_id, member, month, user.id, self.clock())
            self.answer.wake_sender()
        except MonthClosed:
            self.answer(message, fine_answers.month_closed(month))
        except NotAllowed:
            self.answer(message, guide.leaders_only("/paid"))

    def _led_by(self, user_id: int) -> list[ChatSettings]:
        chats = [*self.configured, *self.service.adopted.values()]
        return [s for s in chats if user_id in s.leaders]

    @staticmethod
    def _settings_of(chats: list[ChatSettings]):
        by_id = {s.chat_id: s for s in chats}
        return by_id.get


def _month_or_none(text: str) -> str | None:
    try:
        return parse_month(text)
    except ValueError:
        return None


def _since(args: list[str], now: datetime, zone) -> date | None:
    """The first day of the statistics: the argument, else 30 days back; None when the
    argument is no date the ledger can hold (2026-13-01, 0001-01-01, text)."""
    if not args:
        return now.astimezone(zone).date() - timedelta(days=STATS_DAYS)
    try:
        day = date.fromisoformat(args[0])
    except ValueError:
        return None
    return day if day.year in YEARS else None


def _member(update: Update, chat) -> int | None:
    """The member named by a text mention, an @username, or the replied-to message."""
    message = update.effective_message
    for entity, text in message.parse_entities().items():
        if entity.user is not None:
            return entity.user.id
        if entity.type == "mention":
            found = chat.roster.usernames.get(text.lstrip("@").lower())
            if found is not None:
                return found
    reply = message.reply_to_message
    if reply is not None and reply.from_user is not None and not reply.from_user.is_bot:
        return reply.from_user.id
    return None
