"""Delivers outbox rows through the Bot API: claim, send, mark sent or failed.

What happens when Telegram refuses a row is decided in `refusals`; how a row becomes Bot API
pieces (mentions, reply, buttons, a chart) in `message_parts`.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime

from telegram import Bot
from telegram.error import BadRequest, TelegramError

from tracker.adapters.db.outbox_store import OutboxRow, OutboxStore
from tracker.adapters.telegram.message_parts import (
    NameOf,
    chart_png,
    keyboard,
    mentions,
    reply_parameters,
)
from tracker.adapters.telegram.moderation import carry_out
from tracker.adapters.telegram.pacing import Pacer
from tracker.adapters.telegram.refusals import not_sent
from tracker.domain.outgoing import MessageKind

log = logging.getLogger("tracker.outbox")
IDLE = 5.0  # seconds between looks when nothing is due (commits wake the sender sooner)
IDLE_RETRY = 2.0
BATCH = 0.02  # seconds to gather the commits of a burst before looking


class OutboxSender:
    """Runs on its own (`run`), woken by commits: whatever an update caused goes out without the
    update's handler waiting for Telegram. Rows of one chat leave in order, one at a time;
    different chats are sent concurrently, each within Telegram's limits (`Pacer`)."""

    def __init__(
        self,
        store: OutboxStore,
        bot: Bot,
        clock: Callable[[], datetime],
        name_of: NameOf,
        pacer: Pacer | None = None,
        monotonic: Callable[[], float] = time.monotonic,
        max_in_flight: int = 32,
    ) -> None:
        self.store = store
        self.bot = bot
        self.clock = clock
        self.name_of = name_of
        self.pacer = pacer or Pacer()
        self.monotonic = monotonic
        self.max_in_flight = max_in_flight
        self._wake = asyncio.Event()
        self._sending: dict[int, asyncio.Task] = {}  # target chat -> its send in flight
        self._stopping = False

    def wake(self) -> None:
        """Something was committed: look at the outbox now."""
        self._wake.set()

    async def run(self) -> None:
        """Send for as long as the bot runs; cancelled by `stop`."""
        self._stopping = False
        while not self._stopping:
            self._wake.clear()
            try:
                pause = self.dispatch()
            except Exception:  # the database is away: try again shortly, never give up
                log.exception("outbox: cannot read what to send")
                pause = IDLE_RETRY
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), pause)
            await asyncio.sleep(BATCH)  # many commits in a burst: one look at the outbox

    async def stop(self, grace: float = 5.0) -> None:
        """Let sends in flight finish (a cancelled send would go out again after a restart)."""
        self._stopping = True
        self._wake.set()
        if self._sending:
            await asyncio.wait(list(self._sending.values()), timeout=grace)

    def dispatch(self) -> float:
        """Start every send that may go now; the seconds until it is worth looking again."""
        now, tick = self.clock(), self.monotonic()
        pause = IDLE
        for head in self.store.heads(now):
            if len(self._sending) >= self.max_in_flight:
                break
            chat = head.target_chat_id
            if chat in self._sending:
                continue
            if head.claimed_until is not None and head.claimed_until > now:
                # waiting to retry, held for quiet hours, or another sender's
                pause = min(pause, (head.claimed_until - now).total_seconds())
                continue
            ready = self.pacer.ready_at(chat, tick)
            if ready > tick:
                pause = min(pause, ready - tick)
                continue
            row = self._latest(head, now)
            if row is None or not self.store.take(row.id, now):
                continue  # nothing left to send now, or another sender has it
            self.pacer.sent(chat, tick)
            self._sending[chat] = asyncio.create_task(self._send_one(row))
        self.pacer.forget_idle(tick)
        return max(pause, 0.005)

    def _latest(self, row: OutboxRow | None, now: datetime) -> OutboxRow | None:
        """Status-board edits coalesce: an edit with a newer one of the same board behind it is
        skipped without a call to Telegram, and the chat's next row is looked at instead."""
        while (
            row is not None and row.kind is MessageKind.STATUS_EDIT and self.store.superseded(row)
        ):
            self.store.skipped(row.id, now, "superseded by a newer edit")
            row = self.store.head_of(row, now)
        return row

    async def _send_one(self, row: OutboxRow) -> None:
        try:
            await self._deliver(row)
        except Exception:  # a bug or the database away: the lease expires and it goes again
            log.exception("outbox row=%s chat=%s: unexpected failure", row.id, row.target_chat_id)
        finally:
            self._sending.pop(row.target_chat_id, None)
            self._wake.set()

    async def drain(self) -> int:
        """Send until nothing is claimable now, one row after another (for tools and tests:
        the live bot uses `run`); returns how many rows were delivered."""
        delivered = 0
        while rows := self.store.claim(self.clock()):
            for row in rows:
                delivered += await self._deliver(row)
        return delivered

    async def _deliver(self, row: OutboxRow) -> int:
        # a board still to send goes out with the newest text its waiting edits carry
        folded = self.store.newest_edit(row) if row.kind is MessageKind.STATUS else None
        try:
            if row.kind is MessageKind.STATUS_EDIT:
                return await self._edit_board(row)
            message = await self._post(row, folded)
        except TelegramError as exc:
            if not_sent(row, exc, self.store, self.pacer, self.clock(), self.monotonic()):
                return 0
            raise
        if message is None:
            return 0
        if folded is not None:
            self.store.sent_folded(row, folded, self.clock(), message.message_id)
        else:
            self.store.sent(row.id, self.clock(), message.message_id)
        log.info(
            "outbox row=%s chat=%s sent message=%s kind=%s",
            row.id,
            row.target_chat_id,
            message.message_id,
            row.kind,
        )
        return 1

    async def _post(self, row: OutboxRow, folded: OutboxRow | None):
        """The row as a new message (a chart as a photo); None when the chart cannot be
        drawn (the row is failed already)."""
        if row.kind is MessageKind.CHART:
            png = await self._draw_chart(row)
            if png is None:
                return None
            return await self.bot.send_photo(
                chat_id=row.target_chat_id, photo=png, caption=row.text, filename="weekly.png"
            )
        if folded is not None:
            return await self._send_text(replace(row, text=folded.text, buttons=folded.buttons))
        if row.kind is MessageKind.MODERATION:  # delete, mute or remove first (`moderation`)
            row = replace(row, text=await carry_out(self.bot, row, self.clock()))
        return await self._send_text(row)

    async def _send_text(self, row: OutboxRow):
        return await self.bot.send_message(
            chat_id=row.target_chat_id,
            text=row.text,
            entities=mentions(row, self.name_of) or None,
            reply_parameters=reply_parameters(row),
            reply_markup=keyboard(row),
        )

    async def _draw_chart(self, row: OutboxRow) -> bytes | None:
        """The weekly chart, drawn now (off the event loop: drawing takes longer than handling
        many updates) from the figures the digest stored with the row; a row that cannot be
        drawn is failed with the reason (retrying would not help)."""
        try:
            return await asyncio.get_running_loop().run_in_executor(
                None, chart_png, row.attachment or ""
            )
        except Exception as exc:  # a broken attachment or a plotting failure: not transient
            self.store.failed(row.id, self.clock(), f"chart: {type(exc).__name__}: {exc}")
            log.error("outbox row=%s chart cannot be drawn: %s", row.id, exc)
            return None

    async def _edit_board(self, row: OutboxRow) -> int:
        """Edit the status board in place; raises like send_message does."""
        now = self.clock()
        board = self.store.status_message_id(row.source_chat_id, row.reply_to_message_id)
        if board is None:
            self.store.skipped(row.id, now, "the status message was never delivered")
            return 0
        try:
            await self.bot.edit_message_text(
                row.text,
                chat_id=row.target_chat_id,
                message_id=board,
                reply_markup=keyboard(row),
            )
        except BadRequest as exc:
            if "not modified" not in exc.message:
                raise
        self.store.sent(row.id, self.clock(), board)
        log.info("outbox row=%s chat=%s edited message=%s", row.id, row.target_chat_id, board)
        return 1
