"""What Telegram can send: the ranges of ids and dates, for the export reader and the live mapping.

A value outside them is not a chat's data (a damaged or hand-made export, a bug somewhere): an
export holding one is refused in one line naming the message, and a live update holding one is
logged in one line and not fed to the rules. Nothing out of range reaches the engine or the
database (whose id columns are 64-bit, and whose dates must survive a due time added to them).
"""

from __future__ import annotations

from datetime import UTC, datetime

from tracker.config.values import MAX_USER_ID
from tracker.domain.chat_ids import MAX_GROUP_CHAT_ID, MIN_GROUP_CHAT_ID

MIN_USER_ID = 1
# Message ids are 32-bit. Telegram Desktop shifts the messages a supergroup had as a basic group
# by -10**9, so an export may hold negative ones.
MIN_MESSAGE_ID = -(2**31)
MAX_MESSAGE_ID = 2**31 - 1
MESSAGE_ID_LIKE = f"a message id (a whole number from {MIN_MESSAGE_ID} to {MAX_MESSAGE_ID})"
USER_ID_LIKE = f"a user id (a whole number from {MIN_USER_ID} to {MAX_USER_ID})"
MAX_COUNT = 2**31 - 1  # a reaction's count

FIRST_YEAR, LAST_YEAR = 2000, 2100
YEARS = f"{FIRST_YEAR}–{LAST_YEAR}"
EARLIEST = int(datetime(FIRST_YEAR, 1, 1, tzinfo=UTC).timestamp())  # unix times in range:
END = int(datetime(LAST_YEAR + 1, 1, 1, tzinfo=UTC).timestamp())  # EARLIEST <= t < END


def datetime_in_range(at: datetime) -> bool:
    """An aware time (UTC years) or a naive one (its own years) within 2000–2100."""
    return FIRST_YEAR <= at.year <= LAST_YEAR


def day_of(ts: int) -> str:
    """A unix time as the UTC day it falls on, or as the number when no calendar holds it."""
    try:
        return datetime.fromtimestamp(ts, UTC).date().isoformat()
    except (OverflowError, OSError, ValueError):
        return "after 9999-12-31" if ts > 0 else "before 0001-01-01"


def outside(what: str, ts: int) -> str:
    """`date 1970-01-01 is outside 2000–2100`."""
    return f"{what} {day_of(ts)} is outside {YEARS}"


def user_id_in_range(user_id: object) -> bool:
    return type(user_id) is int and MIN_USER_ID <= user_id <= MAX_USER_ID


def group_chat_id_in_range(chat_id: object) -> bool:
    return type(chat_id) is int and MIN_GROUP_CHAT_ID <= chat_id <= MAX_GROUP_CHAT_ID
