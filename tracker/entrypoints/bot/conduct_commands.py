"""/warns: a member's warnings (their own; a leader's choice of member), or the chat's list for
a leader. /warn and /unwarn are the engine's (they change the ledger, live and in a replay)."""

from __future__ import annotations

from telegram import Update
from telegram.ext import CallbackContext

from tracker.domain.conduct.enforce import target_of
from tracker.entrypoints.bot.commands import ChatCommands
from tracker.entrypoints.bot.guard import group_chat
from tracker.entrypoints.bot.updates import incoming_message
from tracker.texts import conduct as texts
from tracker.texts import guide
from tracker.texts.common import local_time


class ConductCommands:
    def __init__(self, commands: ChatCommands) -> None:
        self.service, self.clock, self.answer = commands.service, commands.clock, commands.answer

    async def warns(self, update: Update, context: CallbackContext) -> None:
        chat = group_chat(self.service, update)
        message, user = update.effective_message, update.effective_user
        if chat is None or user is None:
            self.answer(message, guide.group_only())
            return
        rules, now = chat.settings.rules, self.clock()
        conduct, zone = rules.conduct, rules.timezone
        named, _ = target_of(chat, incoming_message(message))
        leader = user.id in chat.roster.leaders
        if named is not None and named != user.id and not leader:
            self.answer(message, texts.warns_usage())
            return
        book = chat.warn_book

        def lines(entries) -> list[str]:
            return [
                texts.warning_line(
                    local_time(e.at, zone),
                    e.rule,
                    e.words,
                    chat.roster.name(e.by) if e.by else None,
                    e.counts_at(now, conduct.warn_expiry),
                )
                for e in entries
            ]

        if named is None and leader:
            listed = [
                f"{chat.roster.name(uid)}：{len(book.counting(uid, now, conduct.warn_expiry))} 次"
                for uid in book.by_user
            ]
            self.answer(message, texts.chat_warnings(listed, conduct.warn_limit))
            return
        whom = user.id if named is None else named
        counting = len(book.counting(whom, now, conduct.warn_expiry))
        entries = lines(book.by_user.get(whom, ()))
        name = chat.roster.name(whom)
        self.answer(message, texts.member_warnings(name, entries, counting, conduct.warn_limit))
