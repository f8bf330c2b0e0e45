"""Conduct fines: a rule whose action is "fine", or a leader's `/fine @成员 50 理由`. They go
into the same ledger as the response fines (waivers, appeals, payments, month close, export),
named by their rule and keyed by the message that shows them: the same message is fined once
for the same rule."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from tracker.domain.money import parse_fen

FINE_COMMANDS = frozenset({"/fine"})
_AMOUNT = re.compile(r"(?<![\d.])(\d{1,6}(?:\.\d{1,2})?)\s*(?:元|块|rmb|yuan)?", re.IGNORECASE)
MAX_FEN = 100_000_00  # 100,000 元: a typo, not a fine


@dataclass(frozen=True, slots=True)
class ConductFine:
    chat_id: int
    user_id: int
    name: str
    rule: str  # a conduct rule ("flood", "ad" …) or "manual"
    message_id: int  # the evidence: the message fined for (or the /fine itself)
    amount_fen: int
    currency: str
    at: datetime
    period: str  # the ledger month in the chat's zone
    words: str  # what showed it, or the leader's reason
    by: int | None  # the leader; None for a rule


def amount_and_reason(words: str) -> tuple[int | None, str]:
    """ "50 上班时间打游戏" -> (5000, "上班时间打游戏"); no amount, zero or absurd: None."""
    found = _AMOUNT.search(words)
    if found is None:
        return None, words.strip()
    fen = parse_fen(found[1])
    reason = (words[: found.start()] + " " + words[found.end() :]).strip()
    return (fen if 0 < fen <= MAX_FEN else None), " ".join(reason.split())
