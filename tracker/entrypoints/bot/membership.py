"""Members joining and leaving (chat_member updates, or the join and leave service messages when
those do not come), the bot's own membership (a welcome, a warning when it cannot read the
group), and adopting a group the config does not name: its administrators become its leaders."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

from telegram import Chat, ChatMember, Update
from telegram.constants import ChatMemberStatus
from telegram.error import TelegramError
from telegram.ext import CallbackContext

from tracker.domain.inbound import MemberSeen
from tracker.domain.outgoing import MessageKind
from tracker.domain.rules import ChatRules, ChatSettings
from tracker.entrypoints.bot.updates import message_problem, problem, unusable
from tracker.errors import TrackerError
from tracker.services.tracker import TrackerService
from tracker.texts import notices

log = logging.getLogger("tracker.bot")
GROUPS = (Chat.GROUP, Chat.SUPERGROUP)
JOINED = (ChatMemberStatus.MEMBER, ChatMemberStatus.ADMINISTRATOR)


class Membership:
    def __init__(
        self,
        service: TrackerService,
        clock: Callable[[], datetime],
        engine_now: Callable[[], datetime],
        defaults: ChatRules,
        rearm: Callable[[datetime | None], None],
    ) -> None:
        self.service = service
        self.clock = clock
        self.engine_now = engine_now
        self.defaults = defaults
        self._rearm = rearm

    async def on_chat_member(self, update: Update, context: CallbackContext) -> None:
        change = update.chat_member
        if change is None:
            return
        user = change.new_chat_member.user
        why = problem(change.chat.id, change.date, [user, change.from_user])
        if unusable("member change", change.chat.id, user.id, why):
            return
        if not await self.ensure_chat(change.chat, context):
            return
        left = change.new_chat_member.status in (ChatMember.LEFT, ChatMember.BANNED)
        seen = MemberSeen(
            change.chat.id, user.id, user.full_name, user.username, left=left, at=change.date
        )
        self._rearm(self.service.handle_members([seen]))
        admin = (ChatMember.ADMINISTRATOR, ChatMember.OWNER)
        statuses = (change.old_chat_member.status, change.new_chat_member.status)
        if self.service.is_adopted(change.chat.id) and any(s in admin for s in statuses):
            await self._adopt(change.chat, context)  # its leaders are its administrators

    async def on_members_changed(self, update: Update, context: CallbackContext) -> None:
        """Join and leave service messages: the roster when chat_member updates do not come."""
        message = update.effective_message
        if message is None:
            return
        why = message_problem(message)
        if unusable("member message", message.chat_id, message.message_id, why):
            return
        if not await self.ensure_chat(message.chat, context):
            return
        seen = [
            MemberSeen(message.chat_id, u.id, u.full_name, u.username, at=message.date)
            for u in message.new_chat_members or ()
            if not u.is_bot
        ]
        gone = message.left_chat_member
        if gone is not None and not gone.is_bot:
            seen.append(
                MemberSeen(
                    message.chat_id,
                    gone.id,
                    gone.full_name,
                    gone.username,
                    left=True,
                    at=message.date,
                )
            )
        self._rearm(self.service.handle_members(seen))

    async def on_my_chat_member(self, update: Update, context: CallbackContext) -> None:
        change = update.my_chat_member
        if change is None or change.chat.type not in GROUPS:
            return
        status = change.new_chat_member.status
        if status not in JOINED:
            log.warning("chat=%s the bot was removed (%s)", change.chat.id, status)
            return
        if not await self.ensure_chat(change.chat, context):
            return
        me = await context.bot.get_me()
        sees_all = status == ChatMemberStatus.ADMINISTRATOR or me.can_read_all_group_messages
        self.service.announce(
            change.chat.id, MessageKind.WELCOME, notices.welcome(sees_all), self.clock()
        )
        self._rearm(self.service.next_due())
        if not sees_all:
            log.warning(
                "chat=%s the bot cannot see plain messages: make it an admin or turn "
                "privacy mode off in BotFather",
                change.chat.id,
            )

    async def ensure_chat(self, chat: Chat, context: CallbackContext) -> bool:
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
            self._rearm(self.service.adopt_chat(settings, self.engine_now()))
        except TrackerError as exc:
            log.error("chat=%s %s", chat.id, exc)
            return False
        log.info("chat=%s adopted with leaders %s (its administrators)", chat.id, sorted(leaders))
        return True
