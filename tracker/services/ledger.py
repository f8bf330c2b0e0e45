"""The fines ledger's use cases, shared by the bot (/waive, /paid) and the CLI (`tracker fines
mark-paid`, `tracker month close`). Each is one unit of work: the ledger's change and the chat's
announcement of it are committed together, or neither is."""

from __future__ import annotations

from datetime import datetime

from tracker.domain.chat_state import ChatState
from tracker.domain.outgoing import MessageKind
from tracker.errors import NotAllowed
from tracker.services.notifications import Notifier
from tracker.services.ports import Ledger, UnitOfWork
from tracker.texts import notices


def waive(
    uow: UnitOfWork,
    notifier: Notifier,
    chat: ChatState,
    fines: list,
    by: int,
    reason: str,
    now: datetime,
) -> None:
    """A leader waives fines: they stay in the ledger, marked waived with who and why (a closed
    month's fine gets a reversal entry in an open month instead), and the chat is told."""
    if by not in chat.settings.leaders:
        raise NotAllowed("only a leader of this chat may waive fines")
    chat_id, zone = chat.chat_id, chat.settings.rules.timezone

    def write(ledger: Ledger) -> None:
        changed = ledger.waive(fines, by, reason, now, zone)
        if not changed:
            return
        text = notices.waived(
            [(f.name, f.amount_fen, f.currency, rev) for f, rev in changed], reason
        )
        key = f"waived:{chat_id}:{'-'.join(str(f.id) for f, _ in changed)}"
        row = notifier.build(key, chat_id, chat_id, None, MessageKind.WAIVED, text, (), now)
        ledger.add_outbox([row])

    with uow:
        uow.defer(write)
        uow.commit()


def record_payment(
    uow: UnitOfWork,
    notifier: Notifier,
    chat: ChatState,
    user_id: int,
    month: str,
    by: int,
    now: datetime,
) -> None:
    """A leader records that a member paid a month's fines in this chat (/paid)."""
    if by not in chat.settings.leaders:
        raise NotAllowed("only a leader of this chat may record payments")
    chat_id, name = chat.chat_id, chat.roster.name(user_id)

    def write(ledger: Ledger) -> None:
        count, fen = ledger.mark_paid(month, user_id, by, now, [chat_id])
        text = notices.paid(name, month, count, fen)
        key = f"paid:{chat_id}:{user_id}:{month}:{now.isoformat()}"
        ledger.add_outbox(
            [notifier.build(key, chat_id, chat_id, None, MessageKind.PAID, text, (), now)]
        )

    with uow:
        uow.defer(write)
        uow.commit()


def mark_paid(
    uow: UnitOfWork, month: str, user_id: int, now: datetime, chat_ids: list[int] | None
) -> tuple[int, int]:
    """Finance records a payment (no chat is told); returns (count, fen) marked paid."""
    done: list[tuple[int, int]] = []
    with uow:
        uow.defer(
            lambda ledger: done.append(ledger.mark_paid(month, user_id, None, now, chat_ids))
        )
        uow.commit()
    return done[0]


def close_month(uow: UnitOfWork, month: str, now: datetime) -> datetime | None:
    """Close a ledger month; returns when it was closed before, if it already was."""
    before: list[datetime | None] = []
    with uow:
        uow.defer(lambda ledger: before.append(ledger.close_month(month, now)))
        uow.commit()
    return before[0]
