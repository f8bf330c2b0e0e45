"""Appeals (申诉, 篇二 "享有…申诉的自由"): a fined member asks the leaders to reconsider one fine.

One appeal per fine, by the member fined, within the chat's window after the booking; a leader
decides once: 免除 waives the fine through the ledger (a reversal if its month is closed), 维持
keeps it. Pure: the rule of who may appeal what, and when.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

GRANTED, DENIED = "granted", "denied"


@dataclass(frozen=True, slots=True)
class AppealRow:
    fine_id: int
    chat_id: int
    user_id: int
    reason: str
    at: datetime
    message_id: int | None  # the member's /appeal message (the decision replies to it)
    decision: str | None = None  # None while open; "granted" | "denied"
    decided_by: int | None = None
    decided_at: datetime | None = None


def refusal(
    fine_user_id: int,
    booked_at: datetime,
    fine_status: str,
    appellant: int,
    now: datetime,
    window: timedelta,
    already: bool,
) -> str | None:
    """Why this member may not appeal this fine now, or None: "not_yours" | "waived" |
    "already" | "too_late"."""
    if fine_user_id != appellant:
        return "not_yours"
    if fine_status == "waived":
        return "waived"
    if already:
        return "already"
    if now - booked_at > window:
        return "too_late"
    return None
