"""A real TrackerService on a real SQLite file, next to a plain model that knows only the rules.

The model does not ask the engine anything. It keeps, per directive and assignee, when the ack
window closes, when (if ever) the member acknowledged, finished or was cancelled, and derives from
the rule book which fines must exist by a given instant:

- no_ack: at created + 30 min, unless the member acknowledged, finished, or the directive was
  cancelled strictly before that instant (a message at the due instant comes after the step);
- unresolved #k (k < 5): at done_due + k days, unless finished or cancelled strictly before.

After every step the database must hold exactly the fines due by the last commit, each once, each
with its outbox row; restarts and crashes (with Telegram redelivering what was not committed) must
neither lose nor duplicate anything.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule
from sqlalchemy import func, select

from tests.builders import CHAT, LEADER, LI, NO_QUIET, T0, WANG, ZHANG, Chat, settings
from tests.support import new_service
from tracker.adapters.db import orm
from tracker.domain.inbound import IncomingMessage, Mention
from tracker.domain.model import Status
from tracker.domain.rules import ChatRules
from tracker.services.notifications import bounded_key

MEMBERS = (ZHANG, LI, WANG)
MENTIONS = {
    ZHANG: Mention("@zhangsan", username="zhangsan"),
    LI: Mention("@lisi", username="lisi"),
    WANG: Mention("王五", user_id=WANG),  # no username: a text mention carries the id
}
ACKS = ("收到", "好的", "1", "👍", "明白")
NON_ACKS = ("没收到", "收到了吗？")
# The rule book, written down twice: once for the model, once as the chat's configuration.
ACK_WINDOW = timedelta(minutes=30)
REMINDERS = (  # step, time after the directive: the laggards are reminded, the leader told
    ("remind_chat:0", timedelta(minutes=10)),
    ("remind_chat:1", timedelta(minutes=20)),
    ("tell_leader:0", timedelta(minutes=20)),
)
UNRESOLVED_MAX = 5
DONE_LEAD = timedelta(hours=1)
UNRESOLVED_REPEAT = timedelta(days=1)
RULES = ChatRules(
    quiet_hours=NO_QUIET,
    ack_window=ACK_WINDOW,
    remind_at=(timedelta(minutes=10), timedelta(minutes=20)),
    tell_leader_at=(timedelta(minutes=20),),
    unresolved_repeat=UNRESOLVED_REPEAT,
    unresolved_max=UNRESOLVED_MAX,
    done_remind_before=(DONE_LEAD,),
)
ALLOWED = {s.value for s in Status}

F, R, OB, A = (t.__table__ for t in (orm.Fine, orm.Reminder, orm.Outbox, orm.Assignment))
FineKey = tuple[int, int, str, int]  # (directive message id, user id, rule, sequence)


@dataclass
class Duty:
    """One assignee of one directive, as the rule book sees it."""

    acked_at: datetime | None = None
    done_at: datetime | None = None


@dataclass
class Order:
    """One directive, as the rule book sees it."""

    created_at: datetime
    done_due: datetime | None
    duties: dict[int, Duty]
    cancelled_at: datetime | None = None
    stored: bool = False  # committed at least once

    @property
    def ack_due(self) -> datetime:
        return self.created_at + ACK_WINDOW

    def open_for(self, user_id: int) -> bool:
        return self.cancelled_at is None and self.duties[user_id].done_at is None

    @property
    def open(self) -> bool:
        return any(self.open_for(u) for u in self.duties)

    def resolved_before(self, user_id: int, at: datetime) -> bool:
        duty = self.duties[user_id]
        return any(t is not None and t < at for t in (duty.done_at, self.cancelled_at))

    def lagging_at(self, user_id: int, at: datetime) -> bool:
        """Neither acknowledged nor finished nor cancelled strictly before `at`."""
        acked = self.duties[user_id].acked_at
        return not (acked is not None and acked < at) and not self.resolved_before(user_id, at)

    def unresolved_dues(self) -> list[datetime]:
        if self.done_due is None:
            return []
        return [self.done_due + k * UNRESOLVED_REPEAT for k in range(UNRESOLVED_MAX)]


def expected_fines(orders: dict[int, Order], until: datetime | None) -> dict[FineKey, datetime]:
    """Every fine the rules book by `until`, with the instant it is booked at."""
    fines: dict[FineKey, datetime] = {}
    if until is None:
        return fines
    for mid, order in orders.items():
        for uid in order.duties:
            if order.ack_due <= until and order.lagging_at(uid, order.ack_due):
                fines[(mid, uid, "no_ack", 0)] = order.ack_due
            for k, due in enumerate(order.unresolved_dues()):
                if due <= until and not order.resolved_before(uid, due):
                    fines[(mid, uid, "unresolved", k)] = due
    return fines


def expected_reminders(
    orders: dict[int, Order], until: datetime | None
) -> dict[tuple[int, str], tuple[frozenset[int], datetime]]:
    """Every reminder and leader notice sent by `until`: whom it names, when it is due."""
    reminders = {}
    if until is None:
        return reminders
    for mid, order in orders.items():
        for step, after in REMINDERS:
            due = order.created_at + after
            laggards = frozenset(u for u in order.duties if order.lagging_at(u, due))
            if due <= until and laggards:
                reminders[(mid, step)] = (laggards, due)
        if order.done_due is not None:  # an hour before the deadline: whoever is not done
            due = order.done_due - DONE_LEAD
            behind = frozenset(u for u in order.duties if not order.resolved_before(u, due))
            if order.created_at < due <= until and behind:
                reminders[(mid, "done:0")] = (behind, due)
    return reminders


def outbox_covers(key: str) -> set[tuple[int, str]]:
    """The (directive, step) or (directive, "rule:sequence") an outbox row speaks for.
    Chat reminders falling due at the same instant share one row ("reminders:" key)."""
    kind, _, rest = key.partition(":")
    _chat, _, rest = rest.partition(":")
    if kind in ("reminder", "fines"):
        mid, _, what = rest.partition(":")
        return {(int(mid), what)}
    if kind == "reminders":
        return {(int(mid), step) for mid, _, step in (p.partition(".") for p in rest.split("+"))}
    return set()


def long_reminder_keys(snap) -> dict[str, list[tuple[int, str]]]:
    """The outbox key of each set of chat reminders falling due together whose key was too long
    to keep (`bounded_key`): the same key the notifier builds, so the rows can be matched."""
    together: dict[datetime, list[tuple[int, str]]] = {}
    for (mid, step), (_, due) in snap.reminders.items():
        if step.startswith("remind_chat:"):
            together.setdefault(due, []).append((mid, step))
    keys = {}
    for group in together.values():
        steps = "+".join(f"{mid}.{step}" for mid, step in sorted(group))
        key = bounded_key(f"reminders:{CHAT}:{steps}")
        if len(group) > 1 and "#" in key:
            keys[key] = group
    return keys


@dataclass
class Snapshot:
    fines: dict[FineKey, datetime] = field(default_factory=dict)
    fine_rows: int = 0
    reminders: dict[tuple[int, str], tuple[str, datetime]] = field(default_factory=dict)
    reminder_rows: int = 0
    outbox: dict[str, str] = field(default_factory=dict)  # dedupe key -> mention_user_ids
    outbox_rows: int = 0
    assignments: list[tuple] = field(default_factory=list)


class TrackerMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.tmp = tempfile.mkdtemp(prefix="tracker-stateful-")
        self.url = f"sqlite:///{os.path.join(self.tmp, 'tracker.db')}"
        self.service, self.db = new_service(self.url, settings(RULES), batching=True)
        self.chat = Chat()
        self.now = T0
        self.orders: dict[int, Order] = {}
        self.committed_until: datetime | None = None  # the clock at the last commit
        self.uncommitted: list[IncomingMessage] = []
        self.in_db = Snapshot()  # what the database holds: read back after every commit

    def teardown(self) -> None:
        self.db.dispose()
        shutil.rmtree(self.tmp, ignore_errors=True)

    # -- helpers -----------------------------------------------------------------------------
    def say(self, sender: int, text: str, **kw) -> IncomingMessage:
        minutes = (self.now - T0) / timedelta(minutes=1)
        msg = self.chat.msg(sender, text, minutes, **kw)
        self.service.handle_message(msg)
        self.uncommitted.append(msg)
        return msg

    def open_orders(self) -> list[int]:
        return [mid for mid, order in sorted(self.orders.items()) if order.open]

    def open_duties(self) -> list[tuple[int, int]]:
        return [
            (mid, uid)
            for mid, order in sorted(self.orders.items())
            for uid in sorted(order.duties)
            if order.open_for(uid)
        ]

    def reopen(self) -> None:
        """A new process on the same file: reload the chat, as the bot does before polling."""
        self.db.dispose()
        self.service, self.db = new_service(self.url, settings(RULES), batching=True)
        self.service.chat(CHAT)

    def snapshot(self) -> Snapshot:
        snap = Snapshot()
        with self.db.connect() as conn:
            rows = conn.execute(
                select(F.c.message_id, F.c.user_id, F.c.rule, F.c.sequence, F.c.booked_at)
            ).all()
            snap.fines = {(m, u, r, s): at for m, u, r, s, at in rows}
            snap.fine_rows = len(rows)
            rows = conn.execute(select(R.c.message_id, R.c.step, R.c.user_ids, R.c.due_at)).all()
            snap.reminders = {(m, step): (users, at) for m, step, users, at in rows}
            snap.reminder_rows = len(rows)
            rows = conn.execute(select(OB.c.dedupe_key, OB.c.mention_user_ids)).all()
            snap.outbox = dict(rows)
            snap.outbox_rows = conn.execute(select(func.count()).select_from(OB)).scalar_one()
            snap.assignments = sorted(
                conn.execute(
                    select(A.c.message_id, A.c.user_id, A.c.status, A.c.acked_at, A.c.done_at)
                ).all()
            )
        return snap

    def after_commit(self) -> None:
        self.committed_until = self.now
        self.uncommitted.clear()
        for order in self.orders.values():
            order.stored = True
        snap = self.snapshot()
        self.check_assignments_against_the_rules(snap)
        assert set(self.in_db.outbox) <= set(snap.outbox), "an outbox row was lost"
        assert set(self.in_db.fines) <= set(snap.fines), "a fine was lost"
        assert set(self.in_db.reminders) <= set(snap.reminders), "a reminder was lost"
        self.in_db = snap

    def check_assignments_against_the_rules(self, snap: Snapshot) -> None:
        """The database right after a commit, against the model at the same instant."""
        stored = {(m, u) for m, o in self.orders.items() if o.stored for u in o.duties}
        keys = [(m, u) for m, u, *_ in snap.assignments]
        assert len(keys) == len(set(keys)), "an assignment has more than one row"
        assert set(keys) == stored
        for mid, uid, status, acked_at, done_at in snap.assignments:
            order, duty = self.orders[mid], self.orders[mid].duties[uid]
            where = f"directive {mid}, user {uid}: {status}"
            assert status in ALLOWED, where
            assert (status == "done") == (duty.done_at is not None), where
            assert done_at == duty.done_at, where
            cancelled = order.cancelled_at is not None and duty.done_at is None
            assert (status == "cancelled") == cancelled, where
            if duty.acked_at is not None:
                assert acked_at == duty.acked_at, where
            if status in ("acked", "late"):
                assert acked_at is not None, where
            if status == "acked":
                assert acked_at < order.ack_due, where
            if status == "pending":
                dues = [order.ack_due, *order.unresolved_dues()[:1]]
                assert duty.acked_at is None and all(self.now < d for d in dues), where
            if status == "overdue":
                dues = [order.ack_due, *order.unresolved_dues()[:1]]
                assert any(d <= self.now for d in dues), where

    # -- rules -------------------------------------------------------------------------------
    @rule(
        members=st.lists(st.sampled_from(MEMBERS), min_size=1, max_size=3, unique=True),
        # Deadlines inside the ack window too (a 15-minute task still needs its 收到).
        due=st.none() | st.integers(1, 45) | st.integers(1, 3 * 24 * 60),
        notice=st.integers(0, 3).map(lambda n: n == 0),
    )
    def post_directive(self, members, due, notice):
        deadline = "" if due is None else f" DUE+{due}"
        if notice:
            members = list(MEMBERS)  # a notice goes to everyone but the leaders
            msg = self.say(LEADER, f"#通知 明天上午9点全员开周会{deadline}")
        else:
            names = " ".join(MENTIONS[m].text for m in members)
            mentions = tuple(MENTIONS[m] for m in members)
            msg = self.say(LEADER, f"{names} 把报表发我{deadline} #任务", mentions=mentions)
        enforced = not notice or RULES.notice_completion  # a notice's deadline is advisory
        self.orders[msg.message_id] = Order(
            created_at=self.now,
            done_due=None if due is None or not enforced else self.now + timedelta(minutes=due),
            duties={m: Duty() for m in members},
        )

    @rule(member=st.sampled_from(MEMBERS), text=st.sampled_from(ACKS + NON_ACKS), data=st.data())
    def ack(self, member, text, data):
        mine = [mid for mid in self.open_orders() if member in self.orders[mid].duties]
        reply_to = data.draw(st.none() | st.sampled_from(mine)) if mine else None
        self.say(member, text, reply_to=reply_to)
        if text not in ACKS:
            return
        targets = [reply_to] if reply_to is not None else mine
        for mid in targets:
            order = self.orders[mid]
            if order.open_for(member) and order.duties[member].acked_at is None:
                order.duties[member].acked_at = self.now

    @precondition(lambda self: self.open_duties())
    @rule(data=st.data())
    def done(self, data):
        mid, uid = data.draw(st.sampled_from(self.open_duties()))
        self.say(uid, "已完成", reply_to=mid)
        self.orders[mid].duties[uid].done_at = self.now

    @precondition(lambda self: self.open_orders())
    @rule(data=st.data())
    def cancel(self, data):
        mid = data.draw(st.sampled_from(self.open_orders()))
        self.say(LEADER, "/cancel", reply_to=mid)
        self.orders[mid].cancelled_at = self.now

    @rule(
        step=st.one_of(
            st.integers(1, 120).map(lambda m: timedelta(minutes=m)),
            st.integers(1, 6).map(lambda d: timedelta(days=d)),
        )
    )
    def advance_time(self, step):
        self.now += step
        self.service.tick(self.now)

    @rule()
    def commit(self):
        self.service.uow.flush()
        self.after_commit()

    @rule()
    def restart(self):
        self.service.uow.flush()
        self.after_commit()
        before = self.in_db
        self.reopen()
        self.service.tick(self.now)
        self.after_commit()
        assert self.in_db.outbox_rows == before.outbox_rows, "restart duplicated outbox rows"
        assert self.in_db == before, "a restart changed what was already decided"

    @precondition(lambda self: self.chat.sent)
    @rule(data=st.data())
    def redeliver(self, data):
        """Telegram sends an old update again; it must change nothing."""
        self.service.handle_message(data.draw(st.sampled_from(self.chat.sent)))

    @rule(overlap=st.integers(0, 3))
    def crash_and_redeliver(self, overlap):
        """The process dies before committing; Telegram redelivers from a little before."""
        lost = list(self.uncommitted)
        again = self.chat.sent[-(len(lost) + overlap) :] if lost or overlap else []
        self.reopen()
        for msg in again:
            self.service.handle_message(msg)
        self.service.tick(self.now)
        self.uncommitted = lost

    # -- invariants --------------------------------------------------------------------------
    @invariant()
    def fines_in_the_database_are_exactly_those_due_by_the_last_commit(self):
        snap = self.in_db
        assert snap.fine_rows == len(snap.fines), "a fine was booked twice"
        expected = expected_fines(self.orders, self.committed_until)
        for key, booked_at in snap.fines.items():
            mid, uid, rule_name, _ = key
            assert key in expected, f"unexpected fine {key} booked at {booked_at}"
            assert booked_at == expected[key], f"fine {key} booked at {booked_at}"
            assert booked_at <= self.now, f"fine {key} booked in the future"
            if rule_name == "no_ack":
                acked_at = self.orders[mid].duties[uid].acked_at
                assert acked_at is None or acked_at >= booked_at, f"{key}: acked in time"
        missing = sorted(set(expected) - set(snap.fines))
        assert not missing, f"fines due by {self.committed_until} not in the database: {missing}"

    @invariant()
    def every_reminder_and_fine_has_one_outbox_row(self):
        snap = self.in_db
        assert snap.outbox_rows == len(snap.outbox), "an outbox key has two rows"
        assert snap.reminder_rows == len(snap.reminders), "a reminder was written twice"
        rows_for: dict[tuple[int, str], list[str]] = {}
        for key in snap.outbox:
            for item in outbox_covers(key):
                rows_for.setdefault(item, []).append(key)
        for key, group in long_reminder_keys(snap).items():  # cut to 128 characters, hashed
            if key in snap.outbox:
                for item in group:
                    rows_for.setdefault(item, []).append(key)
        for mid, uid, rule_name, seq in snap.fines:
            keys = rows_for.get((mid, f"{rule_name}:{seq}"), [])
            assert len(keys) == 1, f"fine {(mid, uid, rule_name, seq)} has outbox rows {keys}"
            assert str(uid) in snap.outbox[keys[0]].split(","), f"{keys[0]} does not name {uid}"
        for mid, step in snap.reminders:
            keys = rows_for.get((mid, step), [])
            assert len(keys) == 1, f"reminder {(mid, step)} has outbox rows {keys}"

    @invariant()
    def reminders_in_the_database_are_exactly_those_due_by_the_last_commit(self):
        snap = self.in_db
        found = {
            key: (frozenset(map(int, users.split(","))), due_at)
            for key, (users, due_at) in snap.reminders.items()
        }
        assert found == expected_reminders(self.orders, self.committed_until)

    @invariant()
    def open_directives_in_memory_match_the_model(self):
        state = self.service.engine.chats.get(CHAT)
        if state is None:
            return
        assert sorted(state.open) == self.open_orders()
        for mid, directive in state.open.items():
            assert set(directive.assignments) == set(self.orders[mid].duties)
            for uid, assignment in directive.assignments.items():
                assert assignment.open == self.orders[mid].open_for(uid), (mid, uid)


TestTrackerMachine = TrackerMachine.TestCase
TestTrackerMachine.settings = hypothesis_settings(
    max_examples=60,
    stateful_step_count=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)


def test_a_deadline_inside_the_ack_window_does_not_excuse_the_missing_ack(tmp_path):
    """The machine's shrunk counterexample: a task due in 15 minutes, never acknowledged.
    The ack window still closes at 30: the laggard is reminded at 10 and 20 and fined no_ack,
    besides the unresolved fine at 15."""
    service, engine = new_service(f"sqlite:///{tmp_path / 'tracker.db'}", settings(RULES))
    service.handle_message(Chat().msg(LEADER, "@zhangsan 把报表发我 DUE+15 #任务", 0))
    service.tick(T0 + timedelta(hours=1))
    with engine.connect() as conn:
        fines = sorted(conn.execute(select(F.c.rule, F.c.sequence, F.c.booked_at)).all())
        steps = sorted(conn.execute(select(R.c.step, R.c.user_ids, R.c.due_at)).all())
    engine.dispose()
    at = lambda minutes: T0 + timedelta(minutes=minutes)  # noqa: E731
    assert fines == [("no_ack", 0, at(30)), ("unresolved", 0, at(15))]
    assert steps == [
        ("remind_chat:0", str(ZHANG), at(10)),
        ("remind_chat:1", str(ZHANG), at(20)),
        ("tell_leader:0", str(ZHANG), at(20)),
    ]
