"""Warnings and removals in the chat: each warning in reply to its evidence (after deleting it
or muting its author when the rule says so), a leader's /unwarn, a removal proposed with
移出 / 保留 for the leaders, and the removal itself, explained publicly (篇二/十五). One outbox row
each, keyed so each is said once; an act rides on its row (`attachment`), so the sender does it
and says it together, or says why it could not."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime

from tracker.domain.chat_state import ChatState
from tracker.domain.conduct import removals
from tracker.domain.conduct.settings import DELETE, MUTE
from tracker.domain.events import ConductFined, RemovalChanged, Warned, WarningRevoked
from tracker.domain.outgoing import MessageKind
from tracker.texts import conduct as texts
from tracker.texts.common import money

Row = Callable[..., None]  # Notifier.row
ConductEvent = Warned | WarningRevoked | RemovalChanged | ConductFined


def warning_notice(event: ConductEvent, chats: dict[int, ChatState], row: Row) -> None:
    if isinstance(event, RemovalChanged):
        _removal(event, chats[event.removal.chat_id], row)
        return
    if isinstance(event, ConductFined):
        _fined(event, chats[event.fine.chat_id], row)
        return
    e = event.entry
    chat = chats[e.chat_id]
    if isinstance(event, WarningRevoked):
        key = f"unwarn:{e.chat_id}:{e.message_id}:{e.user_id}:{e.rule}"
        leader = chat.roster.name(e.revoked_by) if e.revoked_by else "负责人"
        text = texts.revoked(e.name, e.rule, leader, event.count, event.limit)
        row(key, e.chat_id, e.chat_id, e.message_id, MessageKind.WARNING, text, (), e.revoked_at)
        return
    key = f"warn:{e.chat_id}:{e.message_id}:{e.user_id}:{e.rule}"
    text = texts.warned(e.name, e.rule, e.words, event.count, event.limit)
    conduct = chat.settings.rules.conduct
    if e.action not in (DELETE, MUTE):
        row(key, e.chat_id, e.chat_id, e.message_id, MessageKind.WARNING, text, (e.user_id,), e.at)
        return
    act: dict = {"action": e.action, "user_id": e.user_id, "message_id": e.message_id}
    if e.action == MUTE:
        act["until"] = int((e.at + conduct.mute_for).timestamp())
    act["failed"] = text + "\n" + texts.cannot(e.action, e.name)
    text += "\n" + texts.done(e.action, conduct.mute_for)
    reply_to = None if e.action == DELETE else e.message_id  # the message will be gone
    kind = MessageKind.MODERATION
    row(key, e.chat_id, e.chat_id, reply_to, kind, text, (e.user_id,), e.at, act=json.dumps(act))


def _fined(event: ConductFined, chat: ChatState, row: Row) -> None:
    """Keyed as the response fines' notices are, so /why, /waive and /appeal in reply to it
    find the fine."""
    f = event.fine
    key = f"fines:{f.chat_id}:{f.message_id}:{f.rule}:0:member:{f.user_id}"
    leader = chat.roster.name(f.by) if f.by else None
    text = texts.fined(f.name, f.rule, f.words, money(f.amount_fen, f.currency), leader)
    kind = MessageKind.FINE_CONDUCT
    row(key, f.chat_id, f.chat_id, f.message_id, kind, text, (f.user_id,), f.at)


def _removal(event: RemovalChanged, chat: ChatState, row: Row) -> None:
    r = event.removal
    reasons = [texts.rule_name(rule) for rule in r.reasons.split(",") if rule]
    leader = chat.roster.name(event.by) if event.by else None
    key = f"removal:{r.chat_id}:{r.proposal_id}:{r.user_id}:{r.status}:{len(r.confirmed_by)}"
    at: datetime = r.decided_at or r.proposed_at
    kind, buttons, act = MessageKind.REMOVAL, None, None
    limit = chat.settings.rules.conduct.warn_limit
    if r.status == removals.PENDING and not r.confirmed_by:
        text = texts.removal_proposed(r.name, reasons, limit, r.needed)
        data = f"remove:{r.proposal_id}:{r.user_id}"
        buttons = [[[texts.REMOVE, f"{data}:1"], [texts.KEEP, f"{data}:0"]]]
    elif r.status == removals.PENDING:
        text = texts.removal_confirmed_in_part(r.name, leader, len(r.confirmed_by), r.needed)
        at = r.proposed_at if event.by is None else at
    elif r.status == removals.REMOVED:
        names = [chat.roster.name(u) for u in r.confirmed_by]
        text = texts.removed(r.name, reasons, limit, names)
        kind = MessageKind.MODERATION
        act = json.dumps(
            {"action": "remove", "user_id": r.user_id, "failed": texts.cannot_remove(r.name)}
        )
    elif r.status == removals.KEPT:
        text = texts.kept(r.name, leader)
    else:
        text = texts.lapsed(r.name, chat.settings.rules.conduct.remove_timeout)
    row(key, r.chat_id, r.chat_id, None, kind, text, (r.user_id,), at, buttons=buttons, act=act)
