"""Telegram's group ids, in one place: the Bot API id of a group and the id Telegram Desktop's
export gives it, with TDLib's ranges. A basic group N is -N to the Bot API; a supergroup or a
channel N is -(10**12 + N), which prints as -100N when N has ten digits."""

from __future__ import annotations

SUPERGROUP_OFFSET = 10**12
MAX_BASIC_GROUP = 10**12 - 1  # the largest export id of a basic group
MAX_SUPERGROUP = 10**12 - 2**31  # of a supergroup or a channel
MIN_GROUP_CHAT_ID = -(SUPERGROUP_OFFSET + MAX_SUPERGROUP)  # the lowest Bot API group id
MAX_GROUP_CHAT_ID = -1


def is_supergroup(chat_id: int) -> bool:
    """A Bot API id of a supergroup or a channel."""
    return chat_id < -SUPERGROUP_OFFSET


def supergroup_id(export_id: int) -> int:
    return -(SUPERGROUP_OFFSET + export_id)


def export_id(chat_id: int) -> int:
    """The export id N of a chat: -(10**12 + N) (supergroup), -N (basic group), N -> N."""
    if is_supergroup(chat_id):
        return -chat_id - SUPERGROUP_OFFSET
    return abs(chat_id)
