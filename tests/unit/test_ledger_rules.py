"""What waiving a fine does, decided without a database."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from tracker.domain.ledger import REVERSAL, FineStatus, Waiver, reversal_period, waiver

OPEN, CLOSED = "2026-12", "2026-11"


@pytest.mark.parametrize(
    ("rule", "status", "period", "reversed_already", "expected"),
    [
        ("no_ack", FineStatus.BOOKED, OPEN, False, Waiver.WAIVE),
        ("no_ack", FineStatus.PAID, OPEN, False, Waiver.NOTHING),  # a payment stays
        ("no_ack", FineStatus.WAIVED, OPEN, False, Waiver.NOTHING),
        ("no_ack", None, OPEN, False, Waiver.NOTHING),  # gone meanwhile
        ("unresolved", FineStatus.BOOKED, CLOSED, False, Waiver.REVERSE),
        ("unresolved", FineStatus.PAID, CLOSED, False, Waiver.REVERSE),
        ("unresolved", FineStatus.BOOKED, CLOSED, True, Waiver.NOTHING),  # once
        ("no_ack", FineStatus.WAIVED, CLOSED, False, Waiver.NOTHING),
        (REVERSAL, FineStatus.BOOKED, OPEN, False, Waiver.NOTHING),
    ],
)
def test_waiving_one_fine(rule, status, period, reversed_already, expected):
    assert waiver(rule, status, period, {CLOSED}, reversed_already) is expected


def test_a_reversal_goes_in_the_first_open_month_in_the_chats_zone():
    shanghai = ZoneInfo("Asia/Shanghai")
    late_on_the_30th = datetime(2026, 11, 30, 17, 0, tzinfo=UTC)  # 1 Dec in Shanghai
    assert reversal_period(late_on_the_30th, shanghai, set()) == "2026-12"
    assert reversal_period(late_on_the_30th, UTC, set()) == "2026-11"
    assert reversal_period(late_on_the_30th, UTC, {"2026-11", "2026-12"}) == "2027-01"
