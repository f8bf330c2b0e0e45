"""Read models: what happened in a chat, from the database, in the shape `replay --json` prints.

The database is the source of truth, and a second replay into the same database shows what the
first booked: the report is read back, each list as one stream of rows (only the columns it
shows), and `write_reports` encodes it a few hundred rows at a time, so a million-message replay
reports in flat memory."""

from __future__ import annotations

from collections.abc import Iterator
from itertools import groupby, islice
from operator import itemgetter
from typing import BinaryIO

import orjson
from sqlalchemy import Connection, Engine, select

from tracker.adapters.db import orm
from tracker.adapters.db.conduct_queries import removals, warnings
from tracker.adapters.db.report_columns import YIELD_ROWS, columns, iso
from tracker.domain.leave import APPROVED
from tracker.domain.model import Status, directive_status
from tracker.domain.money import fen_text

D, A = orm.Directive.__table__, orm.Assignment.__table__
R, F, L = orm.Reminder.__table__, orm.Fine.__table__, orm.Leave.__table__
P = orm.Appeal.__table__
_ASSIGNEE = ("message_id", "user_id", "name", "status", "acked_at", "ack_message_id", "ack_review")
_DIRECTIVE = (
    "message_id",
    "kind",
    "author_id",
    "created_at",
    "ack_due_at",
    "done_due_at",
    "cancelled",
    "unresolved_mentions",
)
_REMINDER = ("message_id", "user_ids", "to", "due_at")
_FINE = (
    "id",
    "user_id",
    "name",
    "rule",
    "amount_fen",
    "currency",
    "message_id",
    "booked_at",
    "doubt",
)
_WRITE_ROWS = 500  # objects encoded and written at a time


def chat_report(engine: Engine, chat_id: int, detail: bool = False) -> dict:
    """The `replay --json` shape; `detail` adds each directive's text and deadline phrase."""
    with engine.connect() as conn:
        parts = _Parts(conn, chat_id, detail)
        directives = list(parts.directives())
        return {
            "id": chat_id,
            "directives": directives,
            "unresolved_mentions": parts.unresolved,
            "reminders": list(parts.reminders()),
            "fines": list(parts.fines()),
            "leave": list(parts.leave()),
            "appeals": list(parts.appeals()),
            "warnings": list(warnings(parts.stream, conn, chat_id)),
            "removals": list(removals(parts.stream, conn, chat_id)),
        }


def write_reports(engine: Engine, chat_ids: list[int], out: BinaryIO) -> None:
    """`{"chats": [chat_report(...), ...]}` and a newline, the bytes orjson writes for it, written
    a few hundred rows at a time: memory stays flat however long the history."""
    out.write(b'{"chats":[')
    for n, chat_id in enumerate(chat_ids):
        with engine.connect() as conn:
            parts = _Parts(conn, chat_id, detail=False)
            out.write(b'%s{"id":%s,"directives":' % (b"," if n else b"", orjson.dumps(chat_id)))
            _array(out, parts.directives())
            out.write(b',"unresolved_mentions":' + orjson.dumps(parts.unresolved))
            out.write(b',"reminders":')
            _array(out, parts.reminders())
            out.write(b',"fines":')
            _array(out, parts.fines())
            out.write(b',"leave":')
            _array(out, parts.leave())
            out.write(b',"appeals":')
            _array(out, parts.appeals())
            out.write(b',"warnings":')
            _array(out, warnings(parts.stream, conn, chat_id))
            out.write(b',"removals":')
            _array(out, removals(parts.stream, conn, chat_id))
            out.write(b"}")
    out.write(b"]}\n")


def _array(out: BinaryIO, objects: Iterator[dict]) -> None:
    out.write(b"[")
    first = True
    while chunk := list(islice(objects, _WRITE_ROWS)):
        out.write((b"" if first else b",") + b",".join(map(orjson.dumps, chunk)))
        first = False
    out.write(b"]")


class _Parts:
    """The report's lists for one chat, each read as a stream of rows, only the columns shown."""

    def __init__(self, conn: Connection, chat_id: int, detail: bool) -> None:
        self.conn, self.chat_id, self.detail = conn, chat_id, detail
        self.unresolved: list[dict] = []  # filled as the directives are read
        self.stream = conn.execution_options(yield_per=YIELD_ROWS)

    def _assignees(self) -> Iterator[tuple[int, list[dict]]]:
        """(directive message id, its assignees) in message id order."""
        names = _ASSIGNEE + (("ack_text",) if self.detail else ())
        query = columns(A, self.conn, names).where(A.c.chat_id == self.chat_id)
        rows = self.stream.execute(query.order_by(A.c.message_id, A.c.id))
        for message_id, group in groupby(rows, key=itemgetter(0)):
            people = []
            for a in group:
                person = {
                    "user_id": a.user_id,
                    "name": a.name,
                    "status": a.status,
                    "acked_at": iso(a.acked_at),
                    "ack_message_id": a.ack_message_id,
                    # "pending" (待确认: counted, a leader may rule), "accepted", "rejected"
                    "ack_review": a.ack_review,
                }
                if self.detail:
                    person["ack_text"] = a.ack_text
                people.append(person)
            yield message_id, people

    def directives(self) -> Iterator[dict]:
        names = _DIRECTIVE + (("text", "deadline_phrase") if self.detail else ())
        query = columns(D, self.conn, names).where(D.c.chat_id == self.chat_id)
        assignees = self._assignees()
        pending = next(assignees, None)
        for d in self.stream.execute(query.order_by(D.c.message_id)):
            while pending is not None and pending[0] < d.message_id:
                pending = next(assignees, None)  # a directive's rows without it: not shown
            people: list[dict] = []
            if pending is not None and pending[0] == d.message_id:
                people, pending = pending[1], next(assignees, None)
            row = {
                "message_id": d.message_id,
                "kind": d.kind,
                "author_id": d.author_id,
                "created_at": iso(d.created_at),
                "ack_due_at": iso(d.ack_due_at),
                "done_due_at": iso(d.done_due_at),
                "status": directive_status(d.cancelled, [Status(p["status"]) for p in people]),
                "assignees": people,
            }
            if self.detail:
                row |= {"text": d.text, "deadline_phrase": d.deadline_phrase}
            yield row
            for mention in filter(None, d.unresolved_mentions.split("\n")):
                self.unresolved.append({"directive_message_id": d.message_id, "mention": mention})

    def reminders(self) -> Iterator[dict]:
        query = columns(R, self.conn, _REMINDER).where(R.c.chat_id == self.chat_id)
        for r in self.stream.execute(query.order_by(R.c.due_at, R.c.id)):
            yield {
                "directive_message_id": r.message_id,
                "user_ids": [int(u) for u in r.user_ids.split(",") if u],
                "to": r.to,
                "due_at": iso(r.due_at),
            }

    def leave(self) -> Iterator[dict]:
        """Approved leave: who, [from, until), and the leader who approved or recorded it."""
        names = ("user_id", "starts_at", "ends_at", "decided_by")
        query = columns(L, self.conn, names).where(L.c.chat_id == self.chat_id)
        query = query.where(L.c.status == APPROVED).order_by(L.c.starts_at, L.c.id)
        for v in self.stream.execute(query):
            yield {
                "user_id": v.user_id,
                "from": iso(v.starts_at),
                "until": iso(v.ends_at),
                "by": v.decided_by,
            }

    def appeals(self) -> Iterator[dict]:
        """Appeals (申诉): the fine, who appealed when, the decision (None: open), by whom."""
        names = ("fine_id", "user_id", "at", "decision", "decided_by")
        query = columns(P, self.conn, names).where(P.c.chat_id == self.chat_id)
        for a in self.stream.execute(query.order_by(P.c.at, P.c.fine_id)):
            yield {
                "fine_id": a.fine_id,
                "user_id": a.user_id,
                "at": iso(a.at),
                "decision": a.decision,
                "by": a.decided_by,
            }

    def fines(self) -> Iterator[dict]:
        query = columns(F, self.conn, _FINE).where(F.c.chat_id == self.chat_id)
        for f in self.stream.execute(query.order_by(F.c.booked_at, F.c.id)):
            yield {
                "id": f.id,
                "user_id": f.user_id,
                "name": f.name,
                "rule": f.rule,
                "amount": fen_text(f.amount_fen),
                "currency": f.currency,
                "directive_message_id": f.message_id,
                "booked_at": iso(f.booked_at),
                "doubt": f.doubt,
            }


def digests_sent(engine: Engine, chat_id: int) -> list[str]:
    """The texts of the daily digests a replay (or the bot) wrote for the chat, oldest first."""
    box = orm.Outbox.__table__
    with engine.connect() as conn:
        return list(
            conn.execute(
                select(box.c.text)
                .where(box.c.target_chat_id == chat_id, box.c.kind == "digest")
                .order_by(box.c.id)
            ).scalars()
        )


def stored_chats(engine: Engine) -> set[int]:
    """The chats the database holds (a chat not among them has no rows of any kind yet)."""
    with engine.connect() as conn:
        return set(conn.execute(select(orm.Chat.id)).scalars())
