"""Escalation policy as data: what happens how long after a directive, and what it costs."""

from __future__ import annotations

import enum
import functools
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from tracker.domain.clock import (
    QuietHours,
    WorkCalendar,
    WorkingHours,
    add_business_time,
    next_working_day,
    next_working_instant,
    subtract_business_time,
)
from tracker.domain.conduct.settings import ConductRules
from tracker.domain.deadlines.conventions import DeadlineConventions

DEFAULT_NOTICE_WORDS = ("@所有人", "@全体成员", "@all", "@everyone", "全体")


class Action(enum.Enum):
    REMIND_CHAT = "remind_chat"
    TELL_LEADER = "tell_leader"
    FINE_NO_ACK = "fine_no_ack"
    FINE_UNRESOLVED = "fine_unresolved"
    REMIND_DONE = "remind_done"  # a completion deadline is near: who has not reported done


@dataclass(frozen=True, slots=True)
class Step:
    """One escalation step: `action` at `after` past the directive; `index` orders its kind."""

    after: timedelta
    action: Action
    index: int


@dataclass(frozen=True, slots=True)
class ChatRules:
    """Every per-chat rule. Money in integer fen. Defaults follow the seed rules (篇六, 篇十三)."""

    timezone: ZoneInfo = field(default_factory=lambda: ZoneInfo("Asia/Shanghai"))
    ack_window: timedelta = timedelta(minutes=30)
    remind_at: tuple[timedelta, ...] = (timedelta(minutes=10), timedelta(minutes=20))
    tell_leader_at: tuple[timedelta, ...] = (timedelta(minutes=20),)
    fine_no_ack_fen: int = 10_000
    fine_unresolved_fen: int = 5_000
    currency: str = "CNY"
    unresolved_repeat: timedelta = timedelta(days=1)
    unresolved_max: int = 5
    # Before a completion deadline, the assignees not done yet are reminded this long ahead.
    done_remind_before: tuple[timedelta, ...] = (timedelta(hours=1),)
    # "end_of_workday": a task without a deadline phrase is due at the end of that working day
    # (the next one's, when posted after it); "none": it has no completion deadline.
    default_done: str = "none"
    # Leave a member asks for waits for a leader's 批准 when true; a leader's is approved at once.
    leave_approval: bool = True
    # A leader's reply to a leave request in words (批准 / 同意 / 好的, 驳回 / 不行) decides it as
    # the buttons do; an exported chat has only such replies.
    leave_by_reply: bool = True
    # A member on approved leave: "exempt" (not an assignee for the span) or "defer" (they owe
    # the acknowledgement from the first working moment after the leave, a full window then).
    absent: str = "exempt"
    # A fined member may appeal a fine (申诉) this long after it was booked.
    appeal_window: timedelta = timedelta(days=3)
    # Posts by the group itself (an administrator posting anonymously) are a leader's: their
    # #任务 / #通知 are directives. Reminders meant for their author go to the leaders.
    anonymous_admins_lead: bool = True
    # Untagged leader messages that @mention members and ask for something count as directives.
    detect_mentions: bool = True
    # Notices need an acknowledgement; their deadline is enforced only when this is on.
    notice_completion: bool = False
    notice_words: tuple[str, ...] = DEFAULT_NOTICE_WORDS
    # Extra phrases this chat accepts as an acknowledgement, besides the built-in ones.
    extra_ack_words: tuple[str, ...] = ()
    # Phrases that never acknowledge in this chat, whatever else the reply says.
    not_ack_words: tuple[str, ...] = ()
    # "wall": windows run on the clock. "business": they count working time only.
    clock: str = "wall"
    working_hours: tuple[time, time] = (time(9, 0), time(18, 0))
    quiet_hours: tuple[time, time] = (time(22, 0), time(8, 0))  # nothing posted to the chat
    calendar: WorkCalendar = field(default_factory=WorkCalendar)
    # How this chat's deadlines read 下班前, 明早, 上午, 下午, 晚上 without a clock.
    deadline_conventions: DeadlineConventions = field(default_factory=DeadlineConventions)
    # The daily overdue digest (日清日结) at this local time on working days; leaders get a
    # private copy. The first digest of a week carries the weekly statistics chart.
    digest: bool = True
    digest_time: time = time(18, 0)
    digest_to_leaders: bool = True
    digest_max_age: timedelta = timedelta(days=7)  # older overdue items: counted, not listed
    # The department in a nickname like 销售部-张三 (seed rule 部门+姓名); None: the built-in
    # reading. A regular expression with a group named "dept".
    department_pattern: str | None = None
    # The format of a registered name (/name, 群名片): a preset of `real_names` or a regex.
    name_format: str = "部门-姓名"
    # Flooding, ads, links, banned words, posting hours, and the warnings they earn.
    conduct: ConductRules = field(default_factory=ConductRules)

    def later(self, start: datetime, amount: timedelta) -> datetime:
        """`start` + `amount` on this chat's clock (business time skips nights and holidays)."""
        if self.clock == "wall" or not amount:
            return start + amount
        local = start.astimezone(self.timezone)
        hours = WorkingHours(*self.working_hours)
        return add_business_time(local, amount, self.calendar, hours).astimezone(UTC)

    def earlier(self, end: datetime, amount: timedelta) -> datetime:
        """`end` - `amount` on this chat's clock (the mirror of `later`)."""
        if self.clock == "wall" or not amount:
            return end - amount
        local = end.astimezone(self.timezone)
        hours = WorkingHours(*self.working_hours)
        return subtract_business_time(local, amount, self.calendar, hours).astimezone(UTC)

    def done_reminders(self, created_at: datetime, done_due_at: datetime) -> list[datetime]:
        """When the assignees are reminded of a completion deadline: each lead before it, those
        that fall after the directive was posted (a deadline in ten minutes gets no 1h
        reminder), the earliest first."""
        dues = {self.earlier(done_due_at, lead) for lead in self.done_remind_before}
        return sorted(due for due in dues if created_at < due < done_due_at)

    def default_done_at(self, posted_at: datetime) -> datetime | None:
        """The completion deadline of a task whose text names none (same-day work, 当天完成)."""
        if self.default_done != "end_of_workday":
            return None
        local = posted_at.astimezone(self.timezone)
        end = self.deadline_conventions.end_of_day
        day = local.date()
        if not (self.calendar.is_workday(day) and local.time() < end):
            day = next_working_day(day, self.calendar)
        return datetime.combine(day, end, tzinfo=self.timezone).astimezone(UTC)

    def back_to_work(self, leave_end: datetime) -> datetime:
        """Where a deferred acknowledgement window starts: the first working moment at or after
        the end of a leave (a leave ending on a holiday or at night waits for the next opening)."""
        local = leave_end.astimezone(self.timezone)
        hours = WorkingHours(*self.working_hours)
        return next_working_instant(local, self.calendar, hours).astimezone(UTC)

    def quiet_until(self, at: datetime) -> datetime | None:
        """The end of quiet hours when `at` falls inside them, else None."""
        quiet = QuietHours(*self.quiet_hours)
        local = at.astimezone(self.timezone)
        return quiet.end_after(local).astimezone(UTC) if quiet.contains(local) else None

    def step_due(self, created_at: datetime, step: Step) -> datetime:
        """When a step falls due; a reminder to the chat in quiet hours waits for their end."""
        due = self.later(created_at, step.after)
        if step.action is Action.REMIND_CHAT:
            return self.quiet_until(due) or due
        return due

    def ack_steps(self) -> tuple[Step, ...]:
        """Reminders, leader notices and the no-ack fine, in time order (fine last on ties)."""
        return _ack_steps(self.remind_at, self.tell_leader_at, self.ack_window)

    def ack_due(self, created_at: datetime) -> datetime:
        return self.later(created_at, self.ack_window)

    def unresolved_due(self, done_due_at: datetime, occurrence: int) -> datetime:
        """When the `occurrence`-th (0-based) unresolved fine falls due."""
        return self.later(done_due_at, occurrence * self.unresolved_repeat)

    def fine_fen(self, action: Action) -> int:
        if action is Action.FINE_NO_ACK:
            return self.fine_no_ack_fen
        return self.fine_unresolved_fen


@functools.cache
def _ack_steps(
    remind_at: tuple[timedelta, ...], tell_leader_at: tuple[timedelta, ...], window: timedelta
) -> tuple[Step, ...]:
    steps = [Step(t, Action.REMIND_CHAT, i) for i, t in enumerate(remind_at)]
    steps += [Step(t, Action.TELL_LEADER, i) for i, t in enumerate(tell_leader_at)]
    steps.append(Step(window, Action.FINE_NO_ACK, 0))
    order = {Action.REMIND_CHAT: 0, Action.TELL_LEADER: 1, Action.FINE_NO_ACK: 2}
    return tuple(sorted(steps, key=lambda s: (s.after, order[s.action], s.index)))


@dataclass(frozen=True, slots=True)
class Member:
    user_id: int
    name: str
    username: str | None = None


@dataclass(frozen=True, slots=True)
class ChatSettings:
    """A chat as configured: who leads it, who is in it (as far as the config knows), its rules."""

    chat_id: int
    name: str
    leaders: frozenset[int]
    members: tuple[Member, ...] = ()
    rules: ChatRules = field(default_factory=ChatRules)

    @property
    def leading(self) -> frozenset[int]:
        """Who leads in the chat: its leaders, and the chat itself (its administrators posting
        anonymously) when `anonymous_admins_lead`."""
        if self.rules.anonymous_admins_lead:
            return self.leaders | {self.chat_id}
        return self.leaders

    def inboxes(self, author_id: int) -> list[int]:
        """Where a word meant for a directive's author goes privately: the author, or every
        leader for a directive the group posted anonymously (it has no inbox)."""
        return [author_id] if author_id > 0 else sorted(self.leaders)
