"""How the read models select and print times: stored text on SQLite, cut rather than parsed."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import String, select, type_coerce

from tracker.adapters.db.utc_type import UTCDateTime

YIELD_ROWS = 2_000  # rows fetched at a time (a server-side cursor on PostgreSQL)


def iso(at: datetime | str | None) -> str | None:
    """UTC "…Z" text; SQLite's stored text ("2026-11-23 01:30:00.000000", UTC) is cut, not
    parsed, which keeps a 60,000-row report quick."""
    if at is None:
        return None
    if type(at) is str:
        return f"{at[:10]}T{at[11:19]}Z"
    return at.astimezone(UTC).replace(tzinfo=None).isoformat(timespec="seconds") + "Z"


def columns(table, conn, names: tuple[str, ...]):
    """SELECT of `names`, time columns left as stored text on SQLite (see `iso`)."""
    columns = [table.c[n] for n in names]
    if conn.dialect.name != "sqlite":
        return select(*columns)
    return select(
        *(
            type_coerce(c, String).label(c.name) if isinstance(c.type, UTCDateTime) else c
            for c in columns
        )
    )
