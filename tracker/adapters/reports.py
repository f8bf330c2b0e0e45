"""Read models: what happened in a chat, from the database, in the shape `replay --json` prints."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Engine, String, select, type_coerce

from tracker.adapters import orm
from tracker.domain.model import Status, directive_status


def iso(at: datetime | str | None) -> str | None:
    """UTC "…Z" text; SQLite's stored text ("2026-11-23 01:30:00.000000", UTC) is cut, not
    parsed, which keeps a 60,000-row report quick."""
    if at is None:
        return None
    if type(at) is str:
        return f"{at[:10]}T{at[11:19]}Z"
    return at.astimezone(UTC).replace(tzinfo=None).isoformat(timespec="seconds") + "Z"


def _rows(table, conn):
    """SELECT * with time columns left as stored text on SQLite (see `iso`)."""
    if conn.dialect.name != "sqlite":
        return select(table)
    return select(
        *(
            type_coerce(c, String).label(c.name) if isinstance(c.type, orm.UTCDateTime) else c
            for c in table.columns
        )
    )


def amount(fen: int) -> str:
    sign = "-" if fen < 0 else ""
    return f"{sign}{abs(fen) // 100}.{abs(fen) % 100:02d}"


def chat_report(engine: Engine, chat_id: int, detail: bool = False) -> dict:
    """The `replay --json` shape; `detail` adds each directive's text and deadline phrase."""
    D, A = orm.Directive.__table__, orm.Assignment.__table__
    R, F = orm.Reminder.__table__, orm.Fine.__table__
    with engine.connect() as conn:
        assignments: dict[int, list[dict]] = {}
        for a in conn.execute(
            _rows(A, conn).where(A.c.chat_id == chat_id).order_by(A.c.message_id, A.c.id)
        ):
            person = assignments.setdefault(a.message_id, [])
            person.append(
                {
                    "user_id": a.user_id,
                    "name": a.name,
                    "status": a.status,
                    "acked_at": iso(a.acked_at),
                    "ack_message_id": a.ack_message_id,
                    # "pending" (待确认: counted, a leader may rule), "accepted", "rejected"
                    "ack_review": a.ack_review,
                }
            )
            if detail:
                person[-1]["ack_text"] = a.ack_text
        directives, unresolved = [], []
        for d in conn.execute(
            _rows(D, conn).where(D.c.chat_id == chat_id).order_by(D.c.message_id)
        ):
            people = assignments.get(d.message_id, [])
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
            if detail:
                row |= {"text": d.text, "deadline_phrase": d.deadline_phrase}
            directives.append(row)
            for mention in filter(None, d.unresolved_mentions.split("\n")):
                unresolved.append({"directive_message_id": d.message_id, "mention": mention})
        reminders = [
            {
                "directive_message_id": r.message_id,
                "user_ids": [int(u) for u in r.user_ids.split(",") if u],
                "to": r.to,
                "due_at": iso(r.due_at),
            }
            for r in conn.execute(
                _rows(R, conn).where(R.c.chat_id == chat_id).order_by(R.c.due_at, R.c.id)
            )
        ]
        fines = [
            {
                "id": f.id,
                "user_id": f.user_id,
                "name": f.name,
                "rule": f.rule,
                "amount": amount(f.amount_fen),
                "currency": f.currency,
                "directive_message_id": f.message_id,
                "booked_at": iso(f.booked_at),
            }
            for f in conn.execute(
                _rows(F, conn).where(F.c.chat_id == chat_id).order_by(F.c.booked_at, F.c.id)
            )
        ]
    return {
        "id": chat_id,
        "directives": directives,
        "unresolved_mentions": unresolved,
        "reminders": reminders,
        "fines": fines,
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
