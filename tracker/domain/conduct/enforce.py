"""The conduct rules applied to a chat's messages: a breach becomes a warning in the chat's
ledger (when the rule's action is "warn"), and a leader's /warn and /unwarn write to the same
ledger. Live and replay both come through here, so an export is judged as the chat was."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from tracker.domain.chat_state import ChatState
from tracker.domain.conduct import removals
from tracker.domain.conduct.detect import check
from tracker.domain.conduct.fines import FINE_COMMANDS, ConductFine, amount_and_reason
from tracker.domain.conduct.settings import FINE, MANUAL, OFF
from tracker.domain.conduct.warnings import WarnEntry
from tracker.domain.events import ConductFined, RemovalChanged, Warned, WarningRevoked
from tracker.domain.inbound import IncomingMessage

WARN_COMMANDS = frozenset({"/warn"})
UNWARN_COMMANDS = frozenset({"/unwarn"})


def judge(chat: ChatState, msg: IncomingMessage, events: list) -> None:
    """Count the message towards the chat's conduct rules; warn for the one it breaks."""
    conduct = chat.settings.rules.conduct
    if not conduct.any_on or msg.sender_id is None or msg.sender_id < 0:
        return  # no rule to judge by, or the group itself (an administrator)
    if conduct.leaders_exempt and msg.sender_id in chat.roster.leaders:
        return
    text = msg.text or msg.sticker_emoji or ""
    zone = chat.settings.rules.timezone
    breach = check(conduct, chat.conduct_memory, msg.sender_id, text, msg.at, zone)
    if breach is not None:
        action = conduct.action(breach.rule)
        warn(
            chat,
            msg.sender_id,
            breach.rule,
            msg.message_id,
            msg,
            None,
            breach.words,
            events,
            action,
        )
        if action == FINE:
            book(chat, msg.sender_id, breach.rule, msg.message_id, msg, None, breach.words, events)


def target_of(chat: ChatState, msg: IncomingMessage) -> tuple[int | None, int]:
    """Whom a leader's /warn or /unwarn names, and the message that is the evidence: the
    message it replies to, or the first member it mentions (then the command itself)."""
    if msg.reply_to is not None and msg.reply_to_sender is not None:
        return msg.reply_to_sender, msg.reply_to
    for mention in msg.mentions:
        user = chat.roster.find(mention)
        if user is not None:
            return user, msg.message_id
    return None, msg.message_id


def leader_command(chat: ChatState, msg: IncomingMessage, events: list) -> bool:
    """/warn, /unwarn or /fine from a leader; True when it was one (a usage line answers a command
    that names nobody, see the bot's `feedback`)."""
    commands = set(msg.commands)
    if not (commands & WARN_COMMANDS or commands & UNWARN_COMMANDS or commands & FINE_COMMANDS):
        return False
    user, evidence = target_of(chat, msg)
    if user is None or user < 0 or user in chat.roster.leaders:
        return True
    conduct = chat.settings.rules.conduct
    if commands & FINE_COMMANDS:
        fen, why = amount_and_reason(reason(msg))
        if fen is not None:
            book(chat, user, MANUAL, evidence, msg, msg.sender_id, why, events, fen)
        return True
    if commands & UNWARN_COMMANDS:
        revoked = chat.warn_book.revoke_latest(user, msg.sender_id, msg.at, conduct.warn_expiry)
        if revoked is not None:
            count = len(chat.warn_book.counting(user, msg.at, conduct.warn_expiry))
            events.append(WarningRevoked(revoked, count, conduct.warn_limit))
        return True
    warn(chat, user, MANUAL, evidence, msg, msg.sender_id, reason(msg), events)
    return True


def reason(msg: IncomingMessage) -> str:
    """The leader's words after the command and the mentions."""
    words = msg.text
    for token in (*msg.commands, *(m.text for m in msg.mentions)):
        words = words.replace(token, " ", 1)
    return " ".join(words.split())[:200]


def warn(chat, user_id, rule, message_id, msg, by, words, events, action="warn") -> None:
    conduct = chat.settings.rules.conduct
    entry = WarnEntry(
        chat_id=chat.chat_id,
        user_id=user_id,
        name=chat.roster.name(user_id),
        rule=rule,
        message_id=message_id,
        at=msg.at,
        by=by,
        words=words,
        action=action,
    )
    if chat.warn_book.add(entry):
        counting = chat.warn_book.counting(user_id, msg.at, conduct.warn_expiry)
        events.append(Warned(entry, len(counting), conduct.warn_limit))
        if len(counting) >= conduct.warn_limit:
            _propose(chat, entry, counting, events)


def book(chat, user_id, rule, message_id, msg, by, words, events, fen=None) -> None:
    """A conduct fine in the ledger: the rule's amount, or the leader's."""
    rules = chat.settings.rules
    fine = ConductFine(
        chat_id=chat.chat_id,
        user_id=user_id,
        name=chat.roster.name(user_id),
        rule=rule,
        message_id=message_id,
        amount_fen=rules.conduct.fine_fen if fen is None else fen,
        currency=rules.currency,
        at=msg.at,
        period=f"{msg.at.astimezone(rules.timezone):%Y-%m}",
        words=words,
        by=by,
    )
    events.append(ConductFined(fine))


def _propose(chat, entry: WarnEntry, counting: list[WarnEntry], events: list) -> None:
    """At the limit: a removal for the leaders to confirm, or done at once ("auto"); none while
    one is pending for the member."""
    conduct = chat.settings.rules.conduct
    current = chat.removals.get(entry.user_id)
    if conduct.remove_at_limit == OFF or (current and current.status == removals.PENDING):
        return
    removal = removals.Removal(
        chat_id=chat.chat_id,
        proposal_id=entry.message_id,
        user_id=entry.user_id,
        name=entry.name,
        proposed_at=entry.at,
        reasons=",".join(dict.fromkeys(e.rule for e in counting)),
        needed=conduct.remove_confirmations,
    )
    if conduct.remove_at_limit == "auto":
        removal = replace(removal, status=removals.REMOVED, decided_at=entry.at)
    chat.removals[entry.user_id] = removal
    events.append(RemovalChanged(removal))


def decide_removal(
    chat, proposal_id: int, user_id: int, by: int, remove: bool, at: datetime, events: list
) -> str:
    """A leader's 移出 / 保留 under a proposal: "ok" | "partial" (more leaders must confirm) |
    "already" | "twice" | "lapsed" | "gone" (no such proposal) | "not_leader"."""
    removal = chat.removals.get(user_id)
    if removal is None or removal.proposal_id != proposal_id:
        return "gone"
    if by not in chat.roster.leaders:
        return "not_leader"
    lapse_at = removal.proposed_at + chat.settings.rules.conduct.remove_timeout
    outcome, after = removals.press(removal, by, remove, at, lapse_at)
    if after != removal:
        chat.removals[user_id] = after
        events.append(RemovalChanged(after, by))
    return "partial" if after.status == removals.PENDING and outcome == "ok" else outcome
