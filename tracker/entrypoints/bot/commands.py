"""Chat commands. Queries (/help /status /mine /overdue /fines /why /settings) answer directly
from the service's state and the ledger; /waive changes the ledger through the service, and its
announcement goes through the outbox like every other message caused by a change."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime

from telegram import BotCommand, Update
from telegram.ext import CallbackContext

from tracker.adapters.db.fine_queries import FineQueries
from tracker.domain.leave import PENDING, REFUSED
from tracker.domain.periods import month_cn, month_of
from tracker.domain.replies.reading import ChatWords, read_reply
from tracker.entrypoints.bot.answers import Answers
from tracker.entrypoints.bot.guard import group_chat, leader_in_group
from tracker.errors import NotAllowed
from tracker.services.tracker import TrackerService
from tracker.texts import answers, conduct, fine_answers, guide
from tracker.texts import leave as leave_texts
from tracker.texts.common import RESPONSE_RULES, local_time

MAX_ID = 2**31 - 1  # fines.id is an INTEGER column: 32 bits on PostgreSQL
_ID = re.compile(r"#?([0-9]{1,10})", re.ASCII)

COMMANDS = [BotCommand(verb, description) for verb, description in guide.MENU]


class ChatCommands:
    def __init__(
        self,
        service: TrackerService,
        fines: FineQueries,
        clock: Callable[[], datetime],
        answer: Answers,
    ) -> None:
        self.service = service
        self.fines = fines
        self.clock = clock
        self.answer = answer

    async def overdue(self, update: Update, context: CallbackContext) -> None:
        chat = self._chat(update)
        if chat is None:
            self.answer(update.effective_message, guide.group_only())
            return
        zone = chat.settings.rules.timezone
        lines = [
            answers.status_line(d, zone)
            for d in sorted(chat.open.values(), key=lambda d: d.message_id)
            if d.status == "overdue"
        ]
        self.answer(update.effective_message, answers.overdue(lines))

    async def month_fines(self, update: Update, context: CallbackContext) -> None:
        chat = self._chat(update)
        if chat is None:
            self.answer(update.effective_message, guide.group_only())
            return
        period = month_of(self.clock(), chat.settings.rules.timezone)
        rows = self.fines.month_totals(chat.chat_id, period)
        self.answer(update.effective_message, fine_answers.month_fines(month_cn(period), rows))

    async def why(self, update: Update, context: CallbackContext) -> None:
        chat = self._chat(update)
        if chat is None:
            self.answer(update.effective_message, guide.group_only())
            return
        found, _ = self.target_fines(update, context.args or [])
        reply = update.effective_message.reply_to_message
        if not found and reply is not None and not context.args and not reply.from_user.is_bot:
            self.answer(update.effective_message, self._reading(chat, reply))
            return
        if not found:
            self.answer(update.effective_message, guide.why_usage())
            return
        zone = chat.settings.rules.timezone
        text = "\n\n".join(self._evidence(chat, f, zone) for f in found)
        self.answer(update.effective_message, text)

    def _evidence(self, chat, fine, zone) -> str:
        if fine.rule in RESPONSE_RULES:
            return fine_answers.fine_evidence(self.fines.evidence(fine), zone)
        leader = chat.roster.name(fine.booked_by) if fine.booked_by else None
        return conduct.fine_evidence(fine, leader, local_time(fine.booked_at, zone))

    def _reading(self, chat, reply) -> str:
        """How a member's message was read: the decisive words, and a leader's ruling if any."""
        rules = chat.settings.rules
        text = reply.text or reply.caption or (reply.sticker.emoji if reply.sticker else "") or ""
        reading = read_reply(text, ChatWords(rules.extra_ack_words, rules.not_ack_words))
        lines = [fine_answers.reading_explained(reading)]
        review = self.fines.review_of(chat.chat_id, reply.message_id)
        if review is not None:
            lines.append(fine_answers.review_line(*review, rules.timezone).removeprefix("• "))
        return "\n".join(lines)

    async def waive(self, update: Update, context: CallbackContext) -> None:
        chat = leader_in_group(self.service, update, "/waive", self.answer)
        if chat is None:
            return
        message, user = update.effective_message, update.effective_user
        found, reason = self.target_fines(update, context.args or [])
        if not found or not reason:
            self.answer(message, guide.waive_usage())
            return
        try:
            self.service.waive(chat.chat_id, found, user.id, reason, self.clock())
            self.answer.wake_sender()
        except NotAllowed:
            self.answer(message, guide.leaders_only("/waive"))

    def target_fines(self, update: Update, args: list[str]) -> tuple[list, str]:
        """Fines named by id in the arguments, else those of the replied-to announcement;
        and the rest of the arguments as the reason."""
        chat_id = update.effective_chat.id
        if args and args[0].lstrip("#").isdigit():  # Unicode digits too: "²" is no reason
            fine_id = fine_id_of(args[0])
            found = [] if fine_id is None else self.fines.by_ids(chat_id, [fine_id])
            return found, " ".join(args[1:])
        reply = update.effective_message.reply_to_message
        if reply is None:
            return [], " ".join(args)
        found = self.fines.behind_announcement(chat_id, reply.message_id)
        named = {e.user.id for e in update.effective_message.entities if e.user}
        if named:
            found = [f for f in found if f.user_id in named]
        return found, " ".join(a for a in args if not a.startswith("@"))

    async def help(self, update: Update, context: CallbackContext) -> None:
        self.answer(update.effective_message, guide.help_text())

    async def status(self, update: Update, context: CallbackContext) -> None:
        chat = self._chat(update)
        if chat is None:
            self.answer(update.effective_message, guide.group_only())
            return
        lines = [
            answers.status_line(d, chat.settings.rules.timezone)
            for d in sorted(chat.open.values(), key=lambda d: d.message_id)
        ]
        self.answer(update.effective_message, answers.status(lines))

    async def mine(self, update: Update, context: CallbackContext) -> None:
        chat = self._chat(update)
        user = update.effective_user
        if chat is None or user is None:
            self.answer(update.effective_message, guide.group_only())
            return
        lines = [
            answers.status_line(d, chat.settings.rules.timezone, only=user.id)
            for d in chat.open_for(user.id)
        ]
        self.answer(update.effective_message, answers.mine(lines))

    async def away(self, update: Update, context: CallbackContext) -> None:
        """/away: who is on leave now or has leave ahead (asked for or approved)."""
        chat = self._chat(update)
        if chat is None:
            self.answer(update.effective_message, guide.group_only())
            return
        now, zone = self.clock(), chat.settings.rules.timezone
        current = [v for v in chat.leaves.values() if v.end > now and v.status != REFUSED]
        lines = [
            leave_texts.away_line(
                v.name, leave_texts.span_text(v.start, v.end, zone), v.reason, v.status == PENDING
            )
            for v in sorted(current, key=lambda v: (v.start, v.name))
        ]
        self.answer(update.effective_message, leave_texts.away(lines))

    async def settings(self, update: Update, context: CallbackContext) -> None:
        chat = self._chat(update)
        if chat is None:
            self.answer(update.effective_message, guide.group_only())
            return
        leaders = [chat.roster.name(u) for u in sorted(chat.settings.leaders)]
        year = self.clock().astimezone(chat.settings.rules.timezone).year
        text = answers.settings(chat.settings.rules, leaders, year)
        self.answer(update.effective_message, text)

    async def ids(self, update: Update, context: CallbackContext) -> None:
        """The numeric ids a config needs: this chat's, the sender's, and whoever the message
        replies to. Anyone may ask, in any chat: they are not secret to its members."""
        message, chat, user = (
            update.effective_message,
            update.effective_chat,
            update.effective_user,
        )
        replied = message.reply_to_message.from_user if message.reply_to_message else None
        people = [(u.id, u.full_name, u.username) for u in (user, replied) if u is not None]
        configured = self.service.find_chat(chat.id) is not None
        self.answer(message, answers.ids(chat.id, chat.type, people, configured))

    def _chat(self, update: Update):
        return group_chat(self.service, update)


def fine_id_of(word: str) -> int | None:
    """The fine id a command argument names ("12", "#12"), or None when it names none: "²",
    "１２", 0 and a number past the id column's range are no id, and must not reach the
    database (PostgreSQL refuses to compare them with it)."""
    match = _ID.fullmatch(word)
    if match is None:
        return None
    value = int(match.group(1))
    return value if 0 < value <= MAX_ID else None
