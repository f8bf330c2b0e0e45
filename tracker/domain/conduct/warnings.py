"""The warnings ledger of a chat: every warning a member got (a leader's /warn or a conduct
rule's), with its evidence, counted once.

A warning is keyed by (message, member, rule): the same message warned twice for the same rule
is one warning, which is what makes a redelivered update or a second replay harmless. It counts
towards the limit until a leader revokes it or, when the chat says so, until it expires.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta


@dataclass(frozen=True, slots=True)
class WarnEntry:
    chat_id: int
    user_id: int
    name: str
    rule: str  # a conduct rule ("flood", "ad" …) or "manual" for a leader's /warn
    message_id: int  # the evidence: the message warned about (or the /warn itself)
    at: datetime
    by: int | None  # the leader who warned; None for a rule
    words: str  # what showed it, or the leader's reason
    action: str = "warn"  # warn | delete | mute: what was done besides (settings.ACTIONS)
    revoked_at: datetime | None = None
    revoked_by: int | None = None

    @property
    def key(self) -> tuple[int, int, int, str]:
        return (self.chat_id, self.message_id, self.user_id, self.rule)

    def counts_at(self, at: datetime, expiry: timedelta | None) -> bool:
        if self.revoked_at is not None and self.revoked_at <= at:
            return False
        return expiry is None or at < self.at + expiry


class WarnBook:
    def __init__(self) -> None:
        self.by_user: dict[int, list[WarnEntry]] = {}
        self.keys: set[tuple[int, int, int, str]] = set()

    def load(self, entry: WarnEntry) -> None:
        self.keys.add(entry.key)
        self.by_user.setdefault(entry.user_id, []).append(entry)

    def add(self, entry: WarnEntry) -> bool:
        """False when this message was already warned for this rule."""
        if entry.key in self.keys:
            return False
        self.load(entry)
        return True

    def counting(self, user_id: int, at: datetime, expiry: timedelta | None) -> list[WarnEntry]:
        return [e for e in self.by_user.get(user_id, ()) if e.counts_at(at, expiry)]

    def revoke_latest(
        self, user_id: int, by: int, at: datetime, expiry: timedelta | None
    ) -> WarnEntry | None:
        """A leader's /unwarn: the member's latest warning that still counts stops counting."""
        counting = self.counting(user_id, at, expiry)
        if not counting:
            return None
        latest = counting[-1]
        revoked = replace(latest, revoked_at=at, revoked_by=by)
        entries = self.by_user[user_id]
        entries[entries.index(latest)] = revoked
        return revoked
