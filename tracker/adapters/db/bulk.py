"""executemany on SQLite without SQLAlchemy's per-row parameter processing.

Measured on the 200,000-message replay: SQLAlchemy spent about three times as long building
parameters (construct_params, bind processors) as sqlite3 spent executing. Here a statement is
compiled once and rows go to the driver as tuples; times become the same text SQLAlchemy's
SQLite DateTime writes ("YYYY-MM-DD HH:MM:SS.ffffff", UTC). Other databases take the normal path.
"""

from __future__ import annotations

from datetime import UTC
from operator import itemgetter

from sqlalchemy import Connection, DateTime
from sqlalchemy.sql import Executable

from tracker.adapters.db.utc_type import UTCDateTime
from tracker.errors import StaleState

FAST_FROM = 20  # rows; below this the normal path is just as quick

_compiled: dict[tuple[int, tuple[str, ...]], tuple] = {}


def execute_many(
    conn: Connection, stmt: Executable, rows: list[dict], expect_all: bool = False
) -> None:
    """Run `stmt` once per row. With `expect_all`, every row must match exactly one row in the
    table (a conditional UPDATE), else StaleState is raised and the transaction rolls back."""
    if conn.dialect.name != "sqlite" or len(rows) < FAST_FROM:
        if expect_all and not conn.dialect.supports_sane_multi_rowcount:
            changed = sum(conn.execute(stmt, row).rowcount for row in rows)
        else:
            changed = conn.execute(stmt, rows).rowcount
        _check(expect_all, changed, rows)
        return
    key = (id(stmt), tuple(rows[0]))
    entry = _compiled.get(key)
    if entry is None or entry[0] is not stmt:
        compiled = stmt.compile(dialect=conn.dialect, column_keys=list(rows[0]))
        names = tuple(compiled.positiontup)
        times = tuple(
            i
            for i, n in enumerate(names)
            if isinstance(compiled.binds[n].type, DateTime | UTCDateTime)
        )
        get = itemgetter(*names) if len(names) > 1 else (lambda row, n=names[0]: (row[n],))
        entry = (stmt, str(compiled), get, times)
        _compiled[key] = entry
    _, sql, values, times = entry
    if times:
        params = []
        for row in rows:
            t = list(values(row))
            for i in times:
                if t[i] is not None:
                    t[i] = t[i].astimezone(UTC).replace(tzinfo=None).isoformat(" ", "microseconds")
            params.append(tuple(t))
    else:
        params = [values(row) for row in rows]
    _check(expect_all, conn.exec_driver_sql(sql, params).rowcount, rows)


def _check(expect_all: bool, changed: int, rows: list[dict]) -> None:
    if expect_all and changed != len(rows):
        raise StaleState(
            f"{len(rows) - changed} of {len(rows)} rows changed under us in another process"
        )
