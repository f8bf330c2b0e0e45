"""Appeals' use cases (/appeal, the leaders' 免除 / 维持): each one unit of work, the appeal's
row and the chat's message about it committed together, or neither."""

from __future__ import annotations

from datetime import datetime

from tracker.domain.appeals import DENIED, GRANTED, AppealRow, refusal
from tracker.domain.chat_state import ChatState
from tracker.domain.outgoing import MessageKind
from tracker.errors import NotAllowed
from tracker.services.notifications import Notifier
from tracker.services.ports import Ledger, UnitOfWork
from tracker.texts import appeals as texts
from tracker.texts import notices


def file_appeal(
    uow: UnitOfWork,
    notifier: Notifier,
    chat: ChatState,
    fine,
    appellant: int,
    reason: str,
    message_id: int,
    now: datetime,
) -> str:
    """The fined member appeals one fine: "ok", or why not (see `appeals.refusal`). The leaders
    are asked in the chat, with the evidence and the 免除 / 维持 buttons."""
    outcome: list[str] = []
    window = chat.settings.rules.appeal_window
    zone = chat.settings.rules.timezone

    def write(ledger: Ledger) -> None:
        already = ledger.appeal_of(fine.id) is not None
        why = refusal(fine.user_id, fine.booked_at, fine.status, appellant, now, window, already)
        if why is not None:
            outcome.append(why)
            return
        ledger.add_appeal(AppealRow(fine.id, chat.chat_id, appellant, reason, now, message_id))
        text = texts.filed(fine.id, fine.name, fine.amount_fen, fine.currency, reason, now, zone)
        data = f"appeal:{fine.id}"
        buttons = [[[texts.GRANT, f"{data}:1"], [texts.DENY, f"{data}:0"]]]
        key = f"appeal:{chat.chat_id}:{fine.id}"
        row = notifier.build(
            key, chat.chat_id, chat.chat_id, message_id, MessageKind.APPEAL, text, (), now,
            buttons=buttons,
        )  # fmt: skip
        ledger.add_outbox([row])
        outcome.append("ok")

    with uow:
        uow.defer(write)
        uow.commit()
    return outcome[0]


def decide_appeal(
    uow: UnitOfWork,
    notifier: Notifier,
    chat: ChatState,
    fine,
    by: int,
    grant: bool,
    now: datetime,
) -> str:
    """A leader's 免除 (the fine is waived through the ledger) or 维持: "ok" | "already" |
    "gone"; the member is told either way, in reply to their appeal."""
    if by not in chat.settings.leaders:
        raise NotAllowed("only a leader of this chat may decide an appeal")
    outcome: list[str] = []
    zone, leader = chat.settings.rules.timezone, chat.roster.name(by)

    def write(ledger: Ledger) -> None:
        appeal = ledger.appeal_of(fine.id)
        if appeal is None:
            outcome.append("gone")
            return
        if not ledger.decide_appeal(fine.id, GRANTED if grant else DENIED, by, now):
            outcome.append("already")
            return
        rows = []
        if grant:
            reason = texts.waiver_reason(appeal.reason)
            changed = ledger.waive([fine], by, reason, now, zone)
            if changed:
                items = [(f.name, f.amount_fen, f.currency, rev) for f, rev in changed]
                rows.append(
                    notifier.build(
                        f"waived:{chat.chat_id}:{fine.id}", chat.chat_id, chat.chat_id, None,
                        MessageKind.WAIVED, notices.waived(items, reason), (), now,
                    )
                )  # fmt: skip
        text = texts.decided(fine.id, fine.name, leader, grant)
        rows.append(
            notifier.build(
                f"appeal-decided:{chat.chat_id}:{fine.id}", chat.chat_id, chat.chat_id,
                appeal.message_id, MessageKind.APPEAL, text, (appeal.user_id,), now,
            )
        )  # fmt: skip
        ledger.add_outbox(rows)
        outcome.append("ok")

    with uow:
        uow.defer(write)
        uow.commit()
    return outcome[0]
