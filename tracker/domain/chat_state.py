"""One chat as the engine holds it in memory: settings, roster, open directives, watermarks."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from tracker.domain.conduct.detect import Memory
from tracker.domain.conduct.removals import Removal
from tracker.domain.conduct.warnings import WarnBook
from tracker.domain.directives import Roster
from tracker.domain.leave import Leave
from tracker.domain.model import Directive
from tracker.domain.rules import ChatSettings

NO_MESSAGE = -(2**31) - 1  # the watermark before any message (an export's ids may be negative)


@dataclass(eq=False)
class ChatState:
    settings: ChatSettings
    roster: Roster
    last_message_id: int = NO_MESSAGE
    ticked_until: datetime | None = None
    digest_through: date | None = None  # the last local day whose digest is done
    open: dict[int, Directive] = field(default_factory=dict)  # by directive message id
    open_by_user: dict[int, dict[int, None]] = field(default_factory=dict)  # user -> directive ids
    awaiting_by_user: dict[int, dict[int, None]] = field(default_factory=dict)  # not yet acked
    leaves: dict[tuple[int, int], Leave] = field(default_factory=dict)  # (request, user) -> leave
    leave_of: dict[int, list[Leave]] = field(default_factory=dict)  # user -> their leaves
    # (message, user or UNLISTED): an export's ack reactions that say no one time (a replay's)
    unsure_reactions: set[tuple[int, int]] = field(default_factory=set)
    conduct_memory: Memory = field(default_factory=Memory)  # flood and burst counters
    warn_book: WarnBook = field(default_factory=WarnBook)
    removals: dict[int, Removal] = field(default_factory=dict)  # member -> latest proposal

    @classmethod
    def fresh(cls, settings: ChatSettings) -> ChatState:
        roster = Roster(settings.leading)
        for member in settings.members:
            roster.learn(member.user_id, member.name, member.username, override=True)
        return cls(settings=settings, roster=roster)

    @property
    def chat_id(self) -> int:
        return self.settings.chat_id

    def track(self, directive: Directive) -> None:
        self.open[directive.message_id] = directive
        for user_id, assignment in directive.assignments.items():
            if assignment.open:
                self.open_by_user.setdefault(user_id, {})[directive.message_id] = None
            if assignment.awaiting_ack:
                self.awaiting_by_user.setdefault(user_id, {})[directive.message_id] = None

    def add_leave(self, leave: Leave) -> None:
        self.leaves[(leave.request_id, leave.user_id)] = leave
        self.leave_of.setdefault(leave.user_id, []).append(leave)

    def away(self, user_id: int, at: datetime) -> Leave | None:
        """The approved leave `user_id` is on at `at`, if any."""
        for leave in self.leave_of.get(user_id, ()):
            if leave.covers(at):
                return leave
        return None

    def acked(self, directive: Directive, user_id: int) -> None:
        _discard(self.awaiting_by_user, user_id, directive.message_id)

    def untrack_assignment(self, directive: Directive, user_id: int) -> None:
        _discard(self.open_by_user, user_id, directive.message_id)
        _discard(self.awaiting_by_user, user_id, directive.message_id)
        if not directive.open:
            self.open.pop(directive.message_id, None)

    def duty(self, directive_id: int, user_id: int) -> tuple[str, Directive | None, object]:
        """The open directive and its assignment for a button press, or why there is none:
        ("closed" | "not_assignee" | "ok", directive, assignment)."""
        directive = self.open.get(directive_id)
        if directive is None:
            return "closed", None, None
        assignment = directive.assignments.get(user_id)
        if assignment is None:
            return "not_assignee", directive, None
        return "ok", directive, assignment

    def open_for(self, user_id: int) -> list[Directive]:
        return [self.open[mid] for mid in self.open_by_user.get(user_id, ())]

    def awaiting_for(self, user_id: int) -> list[Directive]:
        return [self.open[mid] for mid in self.awaiting_by_user.get(user_id, ())]


def _discard(index: dict[int, dict[int, None]], user_id: int, message_id: int) -> None:
    ids = index.get(user_id)
    if ids is not None:
        ids.pop(message_id, None)
        if not ids:
            del index[user_id]
