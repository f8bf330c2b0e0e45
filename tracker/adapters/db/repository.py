"""The `Store` port on SQL: a chat's open state loaded as domain objects, adopted chats, the
last update seen, and the two writes that are a transaction of their own."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime

from sqlalchemy import BigInteger, Engine, insert, literal, select
from sqlalchemy.dialects import postgresql, sqlite

from tracker.adapters.db import orm, schema
from tracker.adapters.db.conduct_queries import removals_of
from tracker.adapters.db.engine import begin_snapshot
from tracker.adapters.db.sql_ledger import SqlLedger
from tracker.domain.chat_state import NO_MESSAGE, ChatState
from tracker.domain.conduct.warnings import WarnEntry
from tracker.domain.leave import Leave
from tracker.domain.model import Assignment, Directive, Kind, Status
from tracker.domain.rules import ChatRules, ChatSettings


class Repository:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def load_chat(self, settings: ChatSettings) -> ChatState:
        """The chat as the database knows it: watermarks, learned roster, open directives.
        Read in one snapshot: a directive another process opens meanwhile is in none of the
        queries, or in all of them (its assignments with it)."""
        state = ChatState.fresh(settings)
        D, A = orm.Directive.__table__, orm.Assignment.__table__
        with self.engine.connect() as conn:
            begin_snapshot(conn)
            chat = conn.execute(
                select(orm.Chat.__table__).where(orm.Chat.id == settings.chat_id)
            ).first()
            if chat is not None:
                state.last_message_id, state.ticked_until = chat.last_message_id, chat.ticked_until
                state.digest_through = chat.digest_through
            for m in conn.execute(
                select(orm.Member.__table__).where(orm.Member.chat_id == settings.chat_id)
            ):
                if m.left_chat:
                    state.roster.forget(m.user_id)
                else:
                    state.roster.learn(m.user_id, m.name, m.username, override=m.registered)
            directives: dict[int, Directive] = {}
            for d in conn.execute(select(D).where(D.c.chat_id == settings.chat_id, D.c.open)):
                directives[d.message_id] = _directive_of(d)
            if directives:
                query = (
                    select(A)
                    .join(D, (D.c.chat_id == A.c.chat_id) & (D.c.message_id == A.c.message_id))
                    .where(D.c.chat_id == settings.chat_id, D.c.open)
                    .order_by(A.c.id)  # the order they were assigned in: names list alike
                )
                for a in conn.execute(query):
                    directives[a.message_id].assignments[a.user_id] = _assignment_of(a)
            L = orm.Leave.__table__
            current = L.c.chat_id == settings.chat_id
            if state.ticked_until is not None:  # leave over before the chat's clock: history
                current &= L.c.ends_at > state.ticked_until
            for row in conn.execute(select(L).where(current).order_by(L.c.id)):
                state.add_leave(_leave_of(row))
            W = orm.WarningRecord.__table__
            for row in conn.execute(
                select(W).where(W.c.chat_id == settings.chat_id).order_by(W.c.id)
            ):
                state.warn_book.load(WarnEntry(*(row._mapping[f] for f in _WARN_FIELDS)))
            state.removals = removals_of(conn, settings.chat_id)
        for directive in directives.values():
            state.track(directive)
        return state

    def adopted_chats(self, rules: ChatRules) -> list[tuple[ChatSettings, int | None]]:
        """Chats the live bot joined without a config entry (or that moved to a new id), with
        the leaders it learned and the id they came from."""
        C = orm.Chat.__table__
        with self.engine.connect() as conn:
            rows = conn.execute(select(C).where(C.c.adopted_leaders.is_not(None))).all()
        return [
            (
                ChatSettings(
                    r.id,
                    r.title,
                    frozenset(int(u) for u in r.adopted_leaders.split(",") if u),
                    rules=rules,
                ),
                r.migrated_from,
            )
            for r in rows
        ]

    def stored_chat(self, chat_id: int, rules: ChatRules) -> ChatSettings | None:
        """A chat the database holds, with `rules` and no leaders known (for reading reports of
        a database without its config)."""
        C = orm.Chat.__table__
        with self.engine.connect() as conn:
            row = conn.execute(select(C.c.id, C.c.title).where(C.c.id == chat_id)).first()
        return None if row is None else ChatSettings(row.id, row.title, frozenset(), rules=rules)

    def migrate_chat(self, settings: ChatSettings, old_chat_id: int) -> None:
        """A group became a supergroup: everything moves to the new id in one transaction; the
        new chat's message ids start afresh, so its watermark does too."""
        new = settings.chat_id
        D, A, F = orm.Directive.__table__, orm.Assignment.__table__, orm.Fine.__table__
        with self.engine.begin() as conn:
            # Keys are referenced by foreign keys: copy parents, move children, drop the old.
            for table in (D, A):
                columns = [c for c in table.columns if c.name != "id"]
                moved = select(
                    *(
                        literal(new, BigInteger).label("chat_id") if c.name == "chat_id" else c
                        for c in columns
                    )
                ).where(table.c.chat_id == old_chat_id)
                conn.execute(insert(table).from_select([c.name for c in columns], moved))
            fines = [
                dict(r._mapping) for r in conn.execute(select(F).where(F.c.chat_id == old_chat_id))
            ]
            conn.execute(F.delete().where(F.c.chat_id == old_chat_id))
            if fines:
                conn.execute(insert(F), [f | {"chat_id": new} for f in fines])  # same fine ids
            conn.execute(A.delete().where(A.c.chat_id == old_chat_id))
            conn.execute(D.delete().where(D.c.chat_id == old_chat_id))
            moved = (
                orm.Member,
                orm.Reminder,
                orm.Leave,
                orm.Appeal,
                orm.WarningRecord,
                orm.RemovalRecord,
            )
            for t in (m.__table__ for m in moved):
                conn.execute(t.update().where(t.c.chat_id == old_chat_id).values(chat_id=new))
            box = orm.Outbox.__table__
            for column in ("source_chat_id", "target_chat_id"):
                conn.execute(
                    box.update().where(box.c[column] == old_chat_id).values({column: new})
                )
            C = orm.Chat.__table__
            old = conn.execute(select(C).where(C.c.id == old_chat_id)).first()
            conn.execute(C.delete().where(C.c.id.in_([old_chat_id, new])))
            conn.execute(
                C.insert().values(
                    id=new,
                    title=settings.name,
                    last_message_id=NO_MESSAGE,
                    ticked_until=None if old is None else old.ticked_until,
                    digest_through=None if old is None else old.digest_through,
                    adopted_leaders=",".join(map(str, sorted(settings.leaders))),
                    migrated_from=old_chat_id,
                )
            )

    def save_adopted(self, settings: ChatSettings) -> None:
        leaders = ",".join(map(str, sorted(settings.leaders)))
        with self.engine.begin() as conn:
            insert = postgresql.insert if conn.dialect.name == "postgresql" else sqlite.insert
            stmt = insert(orm.Chat.__table__).values(
                id=settings.chat_id,
                title=settings.name,
                last_message_id=NO_MESSAGE,
                adopted_leaders=leaders,
            )
            conn.execute(
                stmt.on_conflict_do_update(
                    index_elements=["id"],
                    set_={
                        "title": stmt.excluded.title,
                        "adopted_leaders": stmt.excluded.adopted_leaders,
                    },
                )
            )

    def last_update_id(self) -> int:
        with self.engine.connect() as conn:
            value = conn.execute(
                select(orm.BotState.value).where(orm.BotState.name == "last_update_id")
            ).scalar()
        return value or 0

    def last_heartbeat(self) -> datetime | None:
        with self.engine.connect() as conn:
            return conn.execute(
                select(orm.Heartbeat.at).where(orm.Heartbeat.name == "live")
            ).scalar()

    @contextmanager
    def reading(self) -> Iterator[SqlLedger]:
        with self.engine.connect() as conn:
            begin_snapshot(conn)
            yield SqlLedger(conn)

    def analyze(self) -> None:
        """Fresh planner statistics for tables that grew (PostgreSQL only; `schema.analyze`)."""
        if self.engine.dialect.name == "postgresql":
            with self.engine.begin() as conn:
                schema.analyze(conn)


def _directive_of(d) -> Directive:
    return Directive(
        chat_id=d.chat_id,
        message_id=d.message_id,
        kind=Kind(d.kind),
        author_id=d.author_id,
        text=d.text,
        created_at=d.created_at,
        ack_due_at=d.ack_due_at,
        done_due_at=d.done_due_at,
        deadline_phrase=d.deadline_phrase,
        cancelled=d.cancelled,
        cancelled_at=d.cancelled_at,
        unresolved_mentions=tuple(filter(None, d.unresolved_mentions.split("\n"))),
    )


def _assignment_of(a) -> Assignment:
    return Assignment(
        user_id=a.user_id,
        name=a.name,
        status=Status(a.status),
        acked_at=a.acked_at,
        ack_message_id=a.ack_message_id,
        done_at=a.done_at,
        ack_review=a.ack_review,
        ack_text=a.ack_text,
        reviewed_by=a.reviewed_by,
        reviewed_at=a.reviewed_at,
        done_due_at=a.done_due_at,
        left_at=a.left_at,
        ack_from=a.ack_from,
        ack_until=a.ack_until,
        stored_status=Status(a.status),
    )


_WARN_FIELDS = WarnEntry.__slots__  # the columns of the warnings table by those names


def _leave_of(row) -> Leave:
    return Leave(
        row.chat_id,
        row.request_id,
        row.user_id,
        row.name,
        row.starts_at,
        row.ends_at,
        row.reason,
        row.asked_by,
        row.asked_at,
        row.status,
        row.decided_by,
        row.decided_at,
    )
