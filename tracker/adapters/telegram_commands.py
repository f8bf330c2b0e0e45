"""Read-only chat commands: /help /status /mine /settings. They answer from the service's state
and reply directly (no state changes, so nothing goes through the outbox)."""

from __future__ import annotations

from telegram import BotCommand, Update
from telegram.ext import CallbackContext

from tracker import messages
from tracker.services import TrackerService

COMMANDS = [
    BotCommand("task", "发布任务（回复成员消息或 @成员）"),
    BotCommand("notice", "发布通知（全员需回复收到）"),
    BotCommand("done", "回复任务：标记已完成"),
    BotCommand("cancel", "回复任务：取消（仅领导）"),
    BotCommand("status", "本群未完成的任务"),
    BotCommand("mine", "我的待办"),
    BotCommand("settings", "本群规则"),
    BotCommand("help", "使用说明"),
]


class ChatCommands:
    def __init__(self, service: TrackerService) -> None:
        self.service = service

    async def help(self, update: Update, context: CallbackContext) -> None:
        await update.effective_message.reply_text(messages.help_text())

    async def status(self, update: Update, context: CallbackContext) -> None:
        chat = self._chat(update)
        if chat is None:
            await update.effective_message.reply_text(messages.group_only())
            return
        lines = [
            messages.status_line(d, chat.settings.rules.timezone)
            for d in sorted(chat.open.values(), key=lambda d: d.message_id)
        ]
        await update.effective_message.reply_text(messages.status(lines))

    async def mine(self, update: Update, context: CallbackContext) -> None:
        chat = self._chat(update)
        user = update.effective_user
        if chat is None or user is None:
            await update.effective_message.reply_text(messages.group_only())
            return
        lines = [
            messages.status_line(d, chat.settings.rules.timezone, only=user.id)
            for d in chat.open_for(user.id)
        ]
        await update.effective_message.reply_text(messages.mine(lines))

    async def settings(self, update: Update, context: CallbackContext) -> None:
        chat = self._chat(update)
        if chat is None:
            await update.effective_message.reply_text(messages.group_only())
            return
        leaders = [chat.roster.name(u) for u in sorted(chat.settings.leaders)]
        await update.effective_message.reply_text(messages.settings(chat.settings.rules, leaders))

    def _chat(self, update: Update):
        chat = update.effective_chat
        if chat is None or chat.type not in ("group", "supergroup"):
            return None
        if not self.service.knows(chat.id):
            return None
        return self.service.chat(chat.id)
