"""Removal after the warn limit (篇二 "第3次警告后给于劝退"): proposed to the leaders, confirmed
by as many of them as the chat asks (篇二 "t人需要2名以上管理员"), or kept; a proposal nobody
answers lapses after `remove_timeout`. One proposal per member at a time."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

PENDING, REMOVED, KEPT, LAPSED = "pending", "removed", "kept", "lapsed"


@dataclass(frozen=True, slots=True)
class Removal:
    chat_id: int
    proposal_id: int  # the message whose warning reached the limit
    user_id: int
    name: str
    proposed_at: datetime
    reasons: str  # the rules of the warnings that count, comma-separated
    needed: int  # leaders who must confirm
    status: str = PENDING
    confirmed_by: tuple[int, ...] = ()
    decided_by: int | None = None
    decided_at: datetime | None = None


def press(
    removal: Removal, by: int, remove: bool, at: datetime, lapse_at: datetime
) -> tuple[str, Removal]:
    """A leader's 移出 / 保留: ("ok" | "already" | "twice" | "lapsed", the removal now)."""
    if removal.status != PENDING:
        return "already", removal
    if at >= lapse_at:
        return "lapsed", replace(removal, status=LAPSED, decided_at=lapse_at)
    if not remove:
        return "ok", replace(removal, status=KEPT, decided_by=by, decided_at=at)
    if by in removal.confirmed_by:
        return "twice", removal
    confirmed = (*removal.confirmed_by, by)
    if len(confirmed) < removal.needed:
        return "ok", replace(removal, confirmed_by=confirmed)
    return "ok", replace(removal, status=REMOVED, confirmed_by=confirmed, decided_at=at)
