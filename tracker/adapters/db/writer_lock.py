"""One writing process per database, enforced.

The engine keeps each chat's open state in memory and writes it back (watermarks, assignments,
the outbox): two processes doing that to one database at once undo each other's work. So a
process that writes (the live bot, a replay, a migration) first takes the database's writer
lock and keeps it for as long as it writes; another one waits a little (`TRACKER_LOCK_WAIT`
seconds, 10 by default) and then stops with one line naming the holder. Readers (`tracker
digest`, `stats`, `export`, `chats`) never take it, and neither do `fines mark-paid` and `month
close`: each is one short transaction with a conditional write (`UPDATE … WHERE status =
'booked'`, `INSERT … ON CONFLICT DO NOTHING`) that the database orders with the writer's, on
rows the writer does not keep in memory, so finance can use them while the bot runs.

- SQLite: `flock` on a file beside the database (`tracker.db` -> `tracker.db.lock`). It holds
  the holder's pid, host, command and start time as text, works across processes, and the
  kernel releases it when the process dies, however it dies. The file itself stays.
- PostgreSQL: a session-level advisory lock on a dedicated connection, for the process's life;
  the holder is named in that session's `application_name`, so its description lives and dies
  with the lock (no table to go stale). The key is fixed per schema: two deployments in two
  schemas of one database do not block each other.

Within one process the lock is re-entrant: the bot's service and the migration it runs first
share it. `WriterLock` is the whole interface; several replicas on one PostgreSQL (issue 17)
can replace what is behind it without touching its callers.
"""

from __future__ import annotations

import fcntl
import os
import re
import socket
import sys
import threading
import time
import zlib
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Connection, Engine, create_engine, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.pool import NullPool

from tracker.errors import DatabaseError, DatabaseInUse

WAIT_ENV = "TRACKER_LOCK_WAIT"
DEFAULT_WAIT = 10.0  # seconds: a bot being restarted lets go within that
POLL = 0.1
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


def lock_wait() -> float:
    """Seconds to wait for the lock: `TRACKER_LOCK_WAIT`, else `DEFAULT_WAIT`."""
    raw = os.environ.get(WAIT_ENV, "").strip()
    if not raw:
        return DEFAULT_WAIT
    try:
        value = float(raw)
    except ValueError:
        value = -1.0
    if not 0 <= value <= 86_400:
        raise DatabaseError(f"{WAIT_ENV}: expected seconds from 0 to 86400, got {raw!r}")
    return value


def this_command() -> str:
    """How this process was started, in a few words ("tracker run", "tracker replay")."""
    argv = sys.argv or ["python"]
    first = Path(argv[0]).name
    if first == "__main__.py":  # python -m tracker
        first = Path(argv[0]).parent.name
    if not first or first.startswith("-"):  # python -c …
        first = f"python {first}".strip()
    words = [first]
    for arg in argv[1:]:
        if arg.startswith("-") or "/" in arg or "." in arg:
            break
        words.append(arg)
        if len(words) == 3:
            break
    return " ".join(words)


class WriterLock:
    """The right to write to one database; held by one process at a time.

    `acquire()` waits up to `wait` seconds, then raises `DatabaseInUse` (one line naming the
    holder). It is re-entrant within a process; `release()` lets go once every `acquire` of
    this process has been matched. Also a context manager."""

    def __init__(self, engine: Engine, command: str | None = None, wait: float | None = None):
        self.engine = engine
        self.command = command or this_command()
        self.wait = lock_wait() if wait is None else wait
        self.key = _key(engine)
        self.held = False

    def acquire(self) -> WriterLock:
        if self.held:
            return self
        with _REGISTRY_LOCK:
            entry = _HELD.get(self.key)
            if entry is not None and entry.pid == os.getpid():
                entry.count += 1
                self.held = True
                return self
            backend = _backend(self.engine)
            # the wall clock here is a label for people, not the rules' clock
            me = Holder(os.getpid(), socket.gethostname(), self.command, datetime.now(UTC))
            backend.acquire(me, self.wait, self._busy)
            _HELD[self.key] = _Entry(backend, os.getpid())
            self.held = True
        return self

    def release(self) -> None:
        if not self.held:
            return
        self.held = False
        with _REGISTRY_LOCK:
            entry = _HELD.get(self.key)
            if entry is None or entry.pid != os.getpid():
                return
            entry.count -= 1
            if entry.count == 0:
                del _HELD[self.key]
                entry.backend.release()

    def __enter__(self) -> WriterLock:
        return self.acquire()

    def __exit__(self, *_exc) -> None:
        self.release()

    def _busy(self, holder: Holder) -> DatabaseInUse:
        url = self.engine.url
        url = url.set(drivername=url.get_backend_name()).render_as_string(hide_password=True)
        return DatabaseInUse(
            f"database {url} is in use by {holder.describe()}: stop it first, or wait"
        )


@dataclass
class _Entry:
    backend: _FileLock | _AdvisoryLock | _OwnMemory
    pid: int
    count: int = 1


_HELD: dict[str, _Entry] = {}
# re-entrant: a service dropped (its finalizer releasing) during an acquire in the same thread
_REGISTRY_LOCK = threading.RLock()


def _key(engine: Engine) -> str:
    url = engine.url
    if url.get_backend_name() == "sqlite":
        if url.database in (None, "", ":memory:"):
            return f"sqlite-memory:{id(engine)}"
        return "sqlite:" + os.path.realpath(url.database)
    return url.render_as_string(hide_password=True)


def _backend(engine: Engine):
    url = engine.url
    name = url.get_backend_name()
    if name == "sqlite":
        if url.database in (None, "", ":memory:"):
            return _OwnMemory()
        return _FileLock(Path(url.database + ".lock"))
    if name == "postgresql":
        return _AdvisoryLock(engine)
    raise DatabaseError(f"database {url!r}: only SQLite and PostgreSQL are supported")


class _OwnMemory:
    """An in-memory SQLite database belongs to its process alone: nobody else can write."""

    def acquire(self, me: Holder, wait: float, busy) -> None:
        return None

    def release(self) -> None:
        return None


# -- SQLite: an OS lock on a file beside the database --------------------------------------------
class _FileLock:
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
                    holder = _parse_file(os.pread(fd, 4096, 0))
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


class _AdvisoryLock:
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
            deadline = time.monotonic() + wait
            while not conn.execute(text("SELECT pg_try_advisory_lock(:k1, :k2)"), keys).scalar():
                if time.monotonic() >= deadline:
                    holder = _pg_holder(conn, keys)
                    conn.close()
                    self.engine.dispose()
                    raise busy(holder)
                time.sleep(POLL)
            name = f"tracker-writer {me.pid}@{(me.host or '')[:24]} {me.command}"
            conn.execute(
                text("SELECT set_config('application_name', :name, false)"),
                {"name": name.encode("ascii", "replace").decode()[:63]},
            )
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


def _pg_holder(conn: Connection, keys: dict) -> Holder:
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
        return Holder()
    found = _APP_NAME.match(row.application_name or "")
    if found is None:
        return Holder(since=row.state_change)
    return Holder(int(found[1]), found[2] or None, found[3] or None, row.state_change)
