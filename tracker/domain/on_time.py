"""When a reply counts as on time: the one comparison every judge of a reply uses (the engine
taking an acknowledgement, a leader's review, the statistics, the digest, the replay summary).

The acknowledgement window runs from the directive up to its due instant, that instant
excluded: a reply at 10:30:00.000 to a window due at 10:30 is late, and the fine for it is
booked at that same instant."""

from __future__ import annotations

from datetime import datetime


def acked_on_time(at: datetime, ack_due_at: datetime) -> bool:
    """A reply (or a leader's review of one) at `at` falls inside the window due at
    `ack_due_at`."""
    return at < ack_due_at


def window_closed(now: datetime, ack_due_at: datetime) -> bool:
    """By `now` the window has ended: a member who has not replied has missed it."""
    return not acked_on_time(now, ack_due_at)
