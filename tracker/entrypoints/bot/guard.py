"""The checks every chat command starts with: is this a tracked group, is the sender a leader.
Each answers the user politely itself and says whether the command may go on."""

from __future__ import annotations

from telegram import Update

from tracker.domain.chat_state import ChatState
from tracker.entrypoints.bot.answers import Answers
from tracker.services.tracker import TrackerService
from tracker.texts import guide


def group_chat(service: TrackerService, update: Update) -> ChatState | None:
    """The tracked group the update comes from, else None."""
    chat = update.effective_chat
    if chat is None or chat.type not in ("group", "supergroup"):
        return None
    return service.chat(chat.id) if service.knows(chat.id) else None


def leader_in_group(service: TrackerService, update: Update, verb: str, answer: Answers):
    """The group when the sender leads it; else a polite reply and None."""
    chat = group_chat(service, update)
    message, user = update.effective_message, update.effective_user
    if chat is None or user is None:
        answer(message, guide.group_only())
        return None
    if user.id not in chat.settings.leaders:
        answer(message, guide.leaders_only(verb))
        return None
    return chat
