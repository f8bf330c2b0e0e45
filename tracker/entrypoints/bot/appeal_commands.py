"""/appeal, /appeals and the leaders' 免除 / 维持 under an appeal. A fined member appeals one
fine (a reply to its notice, or by id) within the chat's window; each press is one use case."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.ext import CallbackContext

from tracker.entrypoints.bot.commands import ChatCommands
from tracker.entrypoints.bot.guard import group_chat, leader_in_group
from tracker.errors import NotAllowed
from tracker.texts import appeals as texts
from tracker.texts import guide

log = logging.getLogger("tracker.bot")


class AppealCommands:
    def __init__(self, commands: ChatCommands) -> None:
        self.commands = commands
        self.service, self.fines = commands.service, commands.fines
        self.clock, self.answer = commands.clock, commands.answer

    async def appeal(self, update: Update, context: CallbackContext) -> None:
        chat = group_chat(self.service, update)
        message, user = update.effective_message, update.effective_user
        if chat is None or user is None:
            self.answer(message, guide.group_only())
            return
        args = context.args
        if args is None:  # "申诉 理由" as a reply, not a command
            args = (message.text or "").split()[1:]
        found, reason = self.commands.target_fines(update, args)
        mine = [f for f in found if f.user_id == user.id]
        if not found or not reason:
            self.answer(message, texts.USAGE)
            return
        if not mine:
            self.answer(message, texts.answer("not_yours", 0))
            return
        rules = chat.settings.rules
        outcome = self.service.file_appeal(
            chat.chat_id, mine[0], user.id, reason, message.message_id, self.clock()
        )
        self.answer(message, texts.answer(outcome, rules.appeal_window.days))
        self.answer.wake_sender()

    async def open_appeals(self, update: Update, context: CallbackContext) -> None:
        chat = leader_in_group(self.service, update, "/appeals", self.answer)
        if chat is None:
            return
        zone = chat.settings.rules.timezone
        rows = self.service.open_appeals(chat.chat_id)
        names = {f.id: f.name for f in self.fines.by_ids(chat.chat_id, [a.fine_id for a in rows])}
        lines = [
            texts.open_line(a.fine_id, names.get(a.fine_id, str(a.user_id)), a.reason, a.at, zone)
            for a in rows
        ]
        self.answer(update.effective_message, texts.open_list(lines))

    async def on_button(self, update: Update, context: CallbackContext) -> None:
        """免除 / 维持 under an appeal: appeal:<fine id>:<1|0>."""
        query = update.callback_query
        message = query.message
        try:
            _, fine_id, verdict = (query.data or "").split(":")
            fine_id, grant = int(fine_id), verdict == "1"
        except ValueError:
            await query.answer()
            return
        outcome = "gone"
        found = self.fines.by_ids(message.chat.id, [fine_id]) if message is not None else []
        if found and self.service.knows(message.chat.id):
            try:
                outcome = self.service.decide_appeal(
                    message.chat.id, found[0], query.from_user.id, grant, self.clock()
                )
                self.answer.wake_sender()
            except NotAllowed:
                outcome = "not_leader"
        await query.answer(texts.button_answer(outcome, grant))
        log.info("appeal fine=%s by=%s %s", fine_id, query.from_user.id, outcome)
