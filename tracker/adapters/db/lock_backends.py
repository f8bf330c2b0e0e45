"""How the writer lock is held (`writer_lock`): nothing for an in-memory SQLite database, an
OS lock on a file beside a SQLite file, a session-level advisory lock on PostgreSQL."""

from __future__ import annotations

import fcntl
import os
import re
import time
import zlib
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import Connection, Engine, create_engine, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.pool import NullPool

from tracker.errors import DatabaseError

POLL = 0.1
SETTLE = 1.0  # how long a loser waits for a new holder to write its name
PG_CLASS = 0x74726B31  # "trk1": the advisory lock's first key; the second is the schema's


@dataclass(frozen=True)
class Holder:
    """Who holds a database's writer lock, as far as it said."""

    pid: int | None = None
    host: str | None = None
    command: str | None = None
    since: datetime | None = None

    def describe(self) -> str:
        if self.pid is None and self.command is None:
            return "another process (it does not say which)"
        what = f"`{self.command}`" if self.command else "another process"
        where = [f"pid {self.pid}" if self.pid is not None else "pid unknown"]
        if self.host:
            where[0] += f" on host {self.host}"
        if self.since is not None:
            where.append(f"since {self.since.astimezone():%Y-%m-%d %H:%M:%S}")
        return f"{what} ({', '.join(where)})"


class OwnMemory:
    """An in-memory SQLite database belongs to its process alone: nobody else can write."""

    def acquire(self, me: Holder, wait: float, busy) -> None:
        return None

    def release(self) -> None:
        return None


# -- SQLite: an OS lock on a file beside the database --------------------------------------------
class FileLock:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.fd: int | None = None

    def acquire(self, me: Holder, wait: float, busy) -> None:
        try:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            raise DatabaseError(
                f"cannot open the lock file {self.path}: {exc.strerror or exc}"
            ) from None
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    holder = self._holder(fd)
                    os.close(fd)
                    raise busy(holder) from None
                time.sleep(POLL)
        body = (
            f"pid={me.pid}\nhost={me.host}\ncommand={me.command}\n"
            f"since={me.since.isoformat(timespec='seconds')}\n"
        ).encode()
        os.ftruncate(fd, 0)
        os.pwrite(fd, body, 0)
        self.fd = fd

    @staticmethod
    def _holder(fd: int) -> Holder:
        # A holder writes its name just after it takes the lock: give it a moment to do so.
        settle = time.monotonic() + SETTLE
        holder = _parse_file(os.pread(fd, 4096, 0))
        while holder == Holder() and time.monotonic() < settle:
            time.sleep(POLL / 4)
            holder = _parse_file(os.pread(fd, 4096, 0))
        return holder

    def release(self) -> None:
        if self.fd is None:
            return
        fd, self.fd = self.fd, None
        try:
            os.ftruncate(fd, 0)  # a reader in between sees nobody, not the last holder
        finally:
            os.close(fd)  # closing the only descriptor lets go of the flock


def _parse_file(raw: bytes) -> Holder:
    fields = dict(
        line.split("=", 1) for line in raw.decode("utf-8", "replace").splitlines() if "=" in line
    )
    try:
        pid = int(fields["pid"]) if "pid" in fields else None
    except ValueError:
        pid = None
    try:
        since = datetime.fromisoformat(fields["since"]) if "since" in fields else None
    except ValueError:
        since = None
    return Holder(pid, fields.get("host") or None, fields.get("command") or None, since)


# -- PostgreSQL: a session-level advisory lock on a connection of its own ------------------------
_APP_NAME = re.compile(r"^tracker-writer (\d+)@(\S*) (.*)$")


class AdvisoryLock:
    def __init__(self, engine: Engine) -> None:
        # Its own engine without a pool: the lock's session is nobody else's, and disposing
        # the application's engine does not end it.
        self.engine = create_engine(engine.url, poolclass=NullPool)
        self.conn: Connection | None = None

    def acquire(self, me: Holder, wait: float, busy) -> None:
        try:
            conn = self.engine.connect().execution_options(isolation_level="AUTOCOMMIT")
            schema = conn.execute(text("SELECT current_schema()")).scalar() or ""
            keys = {"k1": PG_CLASS, "k2": zlib.crc32(schema.encode()) & 0x7FFFFFFF}
            # Named before it locks, so whoever finds the lock held also finds the name.
            name = f"tracker-writer {me.pid}@{(me.host or '')[:24]} {me.command}"
            conn.execute(
                text("SELECT set_config('application_name', :name, false)"),
                {"name": name.encode("ascii", "replace").decode()[:63]},
            )
            deadline = time.monotonic() + wait
            while not conn.execute(text("SELECT pg_try_advisory_lock(:k1, :k2)"), keys).scalar():
                if time.monotonic() >= deadline:
                    holder = _pg_holder(conn, keys)
                    if holder is None:  # it let go in between: try once more
                        continue
                    conn.close()
                    self.engine.dispose()
                    raise busy(holder)
                time.sleep(POLL)
        except DBAPIError as exc:
            reason = str(exc.orig or exc).strip().splitlines()[0]
            raise DatabaseError(f"database {self.engine.url!r}: {reason}") from None
        self.conn = conn

    def release(self) -> None:
        if self.conn is None:
            return
        conn, self.conn = self.conn, None
        try:
            conn.close()  # the session ends, and its advisory locks with it
        finally:
            self.engine.dispose()


def _pg_holder(conn: Connection, keys: dict) -> Holder | None:
    row = conn.execute(
        text(
            "SELECT a.application_name, a.state_change FROM pg_locks l "
            "JOIN pg_stat_activity a ON a.pid = l.pid "
            "WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 2 "
            "AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database()) "
            "AND l.classid = CAST(:k1 AS oid) AND l.objid = CAST(:k2 AS oid)"
        ),
        keys,
    ).first()
    if row is None:
        return None
    found = _APP_NAME.match(row.application_name or "")
    if found is None:
        return Holder(since=row.state_change)
    return Holder(int(found[1]), found[2] or None, found[3] or None, row.state_change)
