"""The buttons under a status board: 收到 for a member, and a leader's 算作收到 / 不算 on a
reply marked 待确认. Each press is one use case; the press is answered in a word."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

from telegram import Update
from telegram.ext import CallbackContext

from tracker.services.tracker import TrackerService
from tracker.texts import answers
from tracker.texts import conduct as conduct_texts
from tracker.texts import leave as leave_texts

log = logging.getLogger("tracker.bot")


class Buttons:
    def __init__(
        self,
        service: TrackerService,
        clock: Callable[[], datetime],
        engine_now: Callable[[], datetime],
        rearm: Callable[[datetime | None], None],
    ) -> None:
        self.service = service
        self.clock = clock
        self.engine_now = engine_now
        self._rearm = rearm

    async def on_button(self, update: Update, context: CallbackContext) -> None:
        query = update.callback_query
        message = query.message if query is not None else None
        if message is not None and (query.data or "").startswith("review:"):
            await self._review(query, message)
            return
        if message is not None and (query.data or "").startswith("leave:"):
            await self._leave(query, message)
            return
        if message is not None and (query.data or "").startswith("remove:"):
            await self._removal(query, message)
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
            outcome, due = self.service.press_ack_button(
                message.chat.id, directive_id, query.from_user.id, self.clock()
            )
            self._rearm(due)
        await query.answer(answers.button_answer(outcome))
        log.info(
            "button chat=%s directive=%s user=%s %s",
            message.chat.id,
            directive_id,
            query.from_user.id,
            outcome,
        )

    async def _leave(self, query, message) -> None:
        """批准 / 驳回 under a leave request: leave:<request>:<member>:<1|0>."""
        try:
            _, request_id, user_id, verdict = query.data.split(":")
            request_id, user_id, approve = int(request_id), int(user_id), verdict == "1"
        except ValueError:
            await query.answer()
            return
        outcome = "gone"
        if self.service.knows(message.chat.id):
            outcome, due = self.service.decide_leave(
                message.chat.id,
                request_id,
                user_id,
                query.from_user.id,
                approve,
                self.engine_now(),
            )
            self._rearm(due)
        await query.answer(leave_texts.button_answer(outcome, approve))
        log.info(
            "leave chat=%s request=%s user=%s %s", message.chat.id, request_id, user_id, outcome
        )

    async def _removal(self, query, message) -> None:
        """移出 / 保留 under a removal proposal: remove:<proposal>:<member>:<1|0>."""
        try:
            _, proposal_id, user_id, verdict = query.data.split(":")
            proposal_id, user_id, remove = int(proposal_id), int(user_id), verdict == "1"
        except ValueError:
            await query.answer()
            return
        outcome = "gone"
        if self.service.knows(message.chat.id):
            outcome, due = self.service.decide_removal(
                message.chat.id, proposal_id, user_id, query.from_user.id, remove, self.clock()
            )
            self._rearm(due)
        await query.answer(conduct_texts.removal_answer(outcome, remove))
        log.info("removal chat=%s member=%s %s", message.chat.id, user_id, outcome)

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
            now = self.engine_now()
            outcome, due = self.service.review_ack(
                message.chat.id, directive_id, user_id, query.from_user.id, accepted, now
            )
            self._rearm(due)
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
