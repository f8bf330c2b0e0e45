"""Due instants of every open directive, and what happens when each one comes.

The queue is a heap of (due_at, order, seq, chat, directive, action, index, member). Entries of
closed directives are dropped when they come up, not searched for and removed. `member` is set
for a deadline one assignee promised ("下班前发群里") when the directive set none, and, as
(user id, window start), for the steps of an acknowledgement window leave deferred: an entry of
a window deferred again since is stale and passes.
"""

from __future__ import annotations

import heapq
import itertools
from datetime import datetime

from tracker.domain.absence import DEFERRED, exempt
from tracker.domain.chat_state import ChatState
from tracker.domain.events import (
    AssignmentChanged,
    DirectiveEdited,
    DomainEvent,
    FinesBooked,
    ReminderDue,
)
from tracker.domain.inbound import UNLISTED
from tracker.domain.model import (
    DONE_STEP,
    REACTION_UNLISTED,
    REACTION_UNTIMED,
    Directive,
    Event,
    Fine,
    Reminder,
    Rule,
)
from tracker.domain.rules import Action, ChatRules

_ORDER = {
    Action.REMIND_CHAT: 0,
    Action.TELL_LEADER: 1,
    Action.FINE_NO_ACK: 2,
    Action.FINE_UNRESOLVED: 3,
    Action.REMIND_DONE: 4,
}


class Timeline:
    def __init__(self) -> None:
        self._heap: list[tuple] = []
        self._seq = itertools.count()

    def next_due(self) -> datetime | None:
        return self._heap[0][0] if self._heap else None

    def schedule(self, directive: Directive, rules: ChatRules, after: datetime | None) -> None:
        """Queue the directive's steps that fall due strictly after `after` (None: all)."""
        for step in rules.ack_steps():
            due = rules.step_due(directive.created_at, step)
            if after is None or due > after:
                self._push(due, directive, step.action, step.index)
        for assignment in directive.assignments.values():
            if assignment.ack_from is not None and assignment.awaiting_ack:
                self._own_window(directive, assignment, rules, after)
        if directive.done_due_at is not None:
            self._schedule_unresolved(directive, directive.done_due_at, rules, after, None)
            return
        for assignment in directive.assignments.values():
            if assignment.done_due_at is not None and assignment.open:
                self.promised(directive, assignment.user_id, assignment.done_due_at, rules, after)

    def promised(self, directive, user_id: int, due_at: datetime, rules, after) -> None:
        """An assignee's own deadline: fined alone when it passes unmet."""
        self._schedule_unresolved(directive, due_at, rules, after, user_id)

    def deferred(self, events: list[DomainEvent], rules: ChatRules, after: datetime) -> None:
        """Queue the own windows of the assignments `events` deferred past a leave."""
        for event in events:
            if isinstance(event, AssignmentChanged) and event.cause == DEFERRED:
                self._own_window(event.directive, event.assignment, rules, after)

    def edited(self, event: DirectiveEdited, rules: ChatRules) -> None:
        """Queue the steps an edit brought: the added members' windows, a moved deadline's
        warning and fines (the old deadline's entries pass as stale)."""
        directive, at = event.directive, event.at
        for assignment in event.added:
            if assignment.awaiting_ack:
                self._own_window(directive, assignment, rules, at)
        if event.deadline_moved:
            self._schedule_unresolved(directive, directive.done_due_at, rules, at, None)

    def _own_window(self, directive, assignment, rules: ChatRules, after) -> None:
        owner = (assignment.user_id, assignment.ack_from)
        for step in rules.ack_steps():
            due = rules.step_due(assignment.ack_from, step)
            if after is None or due > after:
                self._push(due, directive, step.action, step.index, owner)

    def _schedule_unresolved(self, directive, done_due_at, rules, after, member) -> None:
        for index, due in enumerate(rules.done_reminders(directive.created_at, done_due_at)):
            if after is None or due > after:
                self._push(due, directive, Action.REMIND_DONE, index, member)
        for k in range(rules.unresolved_max):
            due = rules.unresolved_due(done_due_at, k)
            if after is None or due > after:
                self._push(due, directive, Action.FINE_UNRESOLVED, k, member)
                break

    def _push(self, due, directive: Directive, action: Action, index: int, member=None) -> None:
        entry = (
            due,
            _ORDER[action],
            next(self._seq),
            directive.chat_id,
            directive.message_id,
            action,
            index,
            member,
        )
        heapq.heappush(self._heap, entry)

    def _remind_done(self, chat, directive, due, index, member, events) -> None:
        """The deadline is near: everyone not done yet (the one who promised, for a promise),
        not a member on leave."""
        people = directive.assignments.values()
        behind = [
            a
            for a in people
            if a.open
            and (member is None or a.user_id == member)
            and chat.away(a.user_id, due) is None
        ]
        if not behind:
            return
        step = f"{DONE_STEP}:{index}" + (f":{member}" if member else "")
        reminder = Reminder(
            chat_id=chat.chat_id,
            directive_message_id=directive.message_id,
            step=step,
            to="chat",
            user_ids=tuple(a.user_id for a in behind),
            due_at=due,
        )
        events.append(ReminderDue(reminder, directive, tuple(a.name for a in behind)))

    def run_until(self, now: datetime, chats: dict[int, ChatState]) -> list[DomainEvent]:
        """Take every step due at or before `now`, in time order."""
        events: list[DomainEvent] = []
        heap = self._heap
        while heap and heap[0][0] <= now:
            due, _, _, chat_id, message_id, action, index, member = heapq.heappop(heap)
            chat = chats.get(chat_id)
            if chat is None:
                continue
            chat.ticked_until = now
            directive = chat.open.get(message_id)
            if directive is None:
                continue
            self._take(chat, directive, due, action, index, member, events)
        return events

    def _take(self, chat, directive, due, action, index, member, events) -> None:
        rules = chat.settings.rules
        seen = len(events)
        exempt(chat, directive, due, events)  # on leave now: away, neither reminded nor fined
        self.deferred(events[seen:], rules, due)
        if not directive.open:
            chat.open.pop(directive.message_id, None)
            return
        if member is None and _moved_since(directive, rules, due, action, index):
            return
        if action is Action.REMIND_DONE:
            self._remind_done(chat, directive, due, index, member, events)
            return
        if action in (Action.REMIND_CHAT, Action.TELL_LEADER):
            laggards = _unanswered(directive, member)
            if not laggards:
                return
            to = "chat" if action is Action.REMIND_CHAT else "leader"
            reminder = Reminder(
                chat_id=chat.chat_id,
                directive_message_id=directive.message_id,
                step=f"{action.value}:{index}" + (f":{member[0]}" if member else ""),
                to=to,
                user_ids=tuple(a.user_id for a in laggards),
                due_at=due,
            )
            events.append(ReminderDue(reminder, directive, tuple(a.name for a in laggards)))
            return
        if action is Action.FINE_NO_ACK:
            fined = _unanswered(directive, member)
            rule, event = Rule.NO_ACK, Event.ACK_WINDOW_CLOSED
        else:
            people = directive.assignments.values()
            owing = [a for a in people if a.open and (member is None or a.user_id == member)]
            fined = [a for a in owing if chat.away(a.user_id, due) is None]  # deferring: not now
            rule, event = Rule.UNRESOLVED, Event.DONE_DEADLINE_PASSED
            if owing and index + 1 < rules.unresolved_max:
                promised = directive.assignments[member].done_due_at if member else None
                nxt = rules.unresolved_due(promised or directive.done_due_at, index + 1)
                self._push(nxt, directive, action, index + 1, member)
        fines = []
        for assignment in fined:
            if assignment.apply(event):
                events.append(AssignmentChanged(directive, assignment, "overdue"))
            fines.append(_fine(chat, directive, assignment, rule, index, due, action))
        if fines:
            events.append(FinesBooked(directive, tuple(fines)))


def _unanswered(directive: Directive, owner: tuple | None) -> list:
    """Who an acknowledgement step is about: those still owing an answer in the directive's own
    window, or the one member whose deferred window the step belongs to."""
    if owner is None:
        return [a for a in directive.assignments.values() if a.awaiting_ack and a.ack_from is None]
    assignment = directive.assignments.get(owner[0])
    if assignment is None or not assignment.awaiting_ack or assignment.ack_from != owner[1]:
        return []
    return [assignment]


def _fine(chat: ChatState, directive: Directive, assignment, rule: Rule, index, due, action):
    rules = chat.settings.rules
    return Fine(
        chat_id=chat.chat_id,
        directive_message_id=directive.message_id,
        user_id=assignment.user_id,
        name=assignment.name,
        rule=rule,
        sequence=index,
        amount_fen=rules.fine_fen(action),
        currency=rules.currency,
        booked_at=due,
        period=f"{due.astimezone(rules.timezone):%Y-%m}",
        doubt=_doubt(chat, directive, assignment.user_id) if rule is Rule.NO_ACK else None,
    )


def _doubt(chat: ChatState, directive: Directive, user_id: int) -> str | None:
    """Why a replayed export cannot be sure the member did not acknowledge by a reaction."""
    unsure = chat.unsure_reactions
    if not unsure:
        return None
    if (directive.message_id, user_id) in unsure:
        return REACTION_UNTIMED
    if (directive.message_id, UNLISTED) in unsure:
        return REACTION_UNLISTED
    return None


def _moved_since(directive: Directive, rules: ChatRules, due, action: Action, index) -> bool:
    """A step of a completion deadline an edit has moved since it was queued (stale)."""
    done_due = directive.done_due_at
    if done_due is None or action not in (Action.REMIND_DONE, Action.FINE_UNRESOLVED):
        return False
    if action is Action.FINE_UNRESOLVED:
        return due != rules.unresolved_due(done_due, index)
    return due not in rules.done_reminders(directive.created_at, done_due)
