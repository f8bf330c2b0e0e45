"""A chat's conduct rules as data: for each rule what a breach costs and its numbers. Every
action but "off" is a warning; "delete" also deletes the message and "mute" mutes the member
for `mute_for` (both need the bot's admin rights; without them the bot says so); "fine" also
books `fine_fen` in the ledger. Defaults follow the majority of the rule books: flooding (the
same text three times in a row) and ads warn; the blocklist, links and posting hours are off
until a chat configures them; three warnings reach the limit (篇二 "第3次警告后给于劝退")."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import time, timedelta

OFF, WARN, DELETE, MUTE, FINE = "off", "warn", "delete", "mute", "fine"
ACTIONS = (OFF, WARN, DELETE, MUTE, FINE)
# What reaching the warn limit does: nothing but say so, ask the leaders (移出 / 保留), or
# remove the member at once; each removal is explained in the chat (篇二/十五).
REMOVAL_MODES = ("off", "confirm", "auto")

# Rule names as the replay's JSON and the ledger store them.
FLOOD, RATE, AD, LINK, BLOCKLIST, HOURS, MANUAL = (
    "flood",
    "rate",
    "ad",
    "link",
    "blocklist",
    "hours",
    "manual",
)

RULES = (FLOOD, RATE, AD, LINK, BLOCKLIST, HOURS)  # detected in the chat; MANUAL is a leader's


@dataclass(frozen=True, slots=True)
class ConductRules:
    flood: str = WARN  # the same text `flood_repeat` times in a row by one member
    flood_repeat: int = 3
    flood_window: timedelta = timedelta(minutes=10)  # a repeat later than this starts afresh
    rate: str = OFF  # `rate_messages` messages within `rate_window` by one member
    rate_messages: int = 10
    rate_window: timedelta = timedelta(minutes=1)
    ad: str = WARN  # selling words with a contact or a link (or two selling words)
    ad_words: tuple[str, ...] = ()  # more selling words, besides the built-in ones
    link: str = OFF  # any link, or one outside `link_allow`
    link_allow: tuple[str, ...] = ()  # domains (and their subdomains) always allowed
    blocklist: str = OFF
    blocked_words: tuple[str, ...] = ()
    hours: str = OFF  # posting outside `open_hours` (篇十四)
    open_hours: tuple[time, time] = (time(8, 0), time(22, 0))
    leaders_exempt: bool = True
    mute_for: timedelta = timedelta(hours=1)
    fine_fen: int = 5_000  # a conduct fine ("按相关条例"): 50 元 unless the chat says
    warn_limit: int = 3
    remove_at_limit: str = "confirm"
    remove_confirmations: int = 1  # leaders who must press 移出 (篇二: "t人需要2名以上管理员")
    remove_timeout: timedelta = timedelta(hours=24)  # an unanswered proposal lapses
    warn_expiry: timedelta | None = None  # None: a warning counts until a leader revokes it

    def action(self, rule: str) -> str:
        return getattr(self, rule)

    any_on: bool = field(init=False, compare=False, repr=False)  # a rule to judge messages by

    def __post_init__(self) -> None:
        object.__setattr__(self, "any_on", any(getattr(self, r) != OFF for r in RULES))
