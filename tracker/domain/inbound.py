"""What the engine reads: messages and reactions, already parsed from Telegram or an export."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True, slots=True)
class Mention:
    """An @username (user_id unknown), or a text mention of a user without one (user_id known)."""

    text: str
    username: str | None = None
    user_id: int | None = None


@dataclass(frozen=True, slots=True)
class IncomingMessage:
    """One chat message. `at` is aware UTC. `text` is the whole visible text (caption for media).

    `hashtags` are lower-cased with the leading '#'; `commands` are lower-cased with the
    leading '/' and without any '@botname' suffix.
    """

    chat_id: int
    message_id: int
    sender_id: int | None
    sender_name: str | None
    at: datetime
    text: str
    mentions: tuple[Mention, ...] = ()
    hashtags: tuple[str, ...] = ()
    commands: tuple[str, ...] = ()
    reply_to: int | None = None
    reply_to_sender: int | None = None  # known live; the engine remembers it for exports
    sticker_emoji: str | None = None
    sender_username: str | None = None  # known live; exports carry display names only
    is_forward: bool = False
    via_bot: bool = False
    extra: dict = field(default_factory=dict, compare=False, hash=False)


@dataclass(frozen=True, slots=True)
class IncomingReaction:
    """A member put an emoji reaction on a message. From an export, a reaction may come
    `timed=False` (its entry has no date: `at` is the message's time) or by `UNLISTED`
    (Telegram Desktop lists only the latest few reactors of an emoji): neither says who
    acknowledged when, so neither acknowledges; a no_ack fine it may contradict is marked."""

    chat_id: int
    message_id: int
    user_id: int
    emoji: str
    at: datetime
    timed: bool = True


UNLISTED = 0  # IncomingReaction.user_id of reactors an export counts but does not name


BY_NAME = 0  # MemberSeen.user_id of a member an export names (an admin removed them), id unknown


@dataclass(frozen=True, slots=True)
class MemberSeen:
    """Roster news: a user spoke, joined or left (left=True)."""

    chat_id: int
    user_id: int
    name: str | None
    username: str | None = None
    left: bool = False
    at: datetime | None = None
