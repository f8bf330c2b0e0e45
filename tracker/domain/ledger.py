"""The fines ledger's rules, pure: a fine's status, and what waiving one does.

A closed month's fines never change: waiving one of them books a reversal (a negative fine
naming it) in the first open month instead, once. In an open month a booked fine becomes
waived; a paid one stays paid (a payment is not undone by a waiver). A payment for a closed
month is refused."""

from __future__ import annotations

import enum
from datetime import datetime, tzinfo

from tracker.domain.periods import first_open, month_of

REVERSAL = "reversal"  # the rule of a reversal entry


class FineStatus(enum.StrEnum):
    BOOKED = "booked"  # owed
    PAID = "paid"
    WAIVED = "waived"  # a leader let it go; listed, not counted


class Waiver(enum.Enum):
    NOTHING = "nothing"  # already waived, a reversal itself, gone, or paid in an open month
    WAIVE = "waive"  # the fine becomes waived
    REVERSE = "reverse"  # the fine stays; a reversal entry is booked in an open month


def waiver(
    rule: str, status: str | None, period: str, closed: set[str], reversed_already: bool
) -> Waiver:
    """What waiving one fine does, from what the ledger holds now (`status` None: no such
    fine any more; the caller's copy may be stale)."""
    if rule == REVERSAL or status is None or status == FineStatus.WAIVED:
        return Waiver.NOTHING
    if period not in closed:
        return Waiver.WAIVE if status == FineStatus.BOOKED else Waiver.NOTHING
    return Waiver.NOTHING if reversed_already else Waiver.REVERSE


def reversal_period(now: datetime, zone: tzinfo, closed: set[str]) -> str:
    """The ledger month a reversal booked at `now` goes in: this month, or the first open one
    after it."""
    return first_open(month_of(now, zone), closed)
