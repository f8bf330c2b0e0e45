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

import os
import socket
import sys
import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Engine

from tracker.adapters.db.lock_backends import AdvisoryLock, FileLock, Holder, OwnMemory
from tracker.errors import DatabaseError, DatabaseInUse

WAIT_ENV = "TRACKER_LOCK_WAIT"
DEFAULT_WAIT = 10.0  # seconds: a bot being restarted lets go within that


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
    backend: FileLock | AdvisoryLock | OwnMemory
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
            return OwnMemory()
        return FileLock(Path(url.database + ".lock"))
    if name == "postgresql":
        return AdvisoryLock(engine)
    raise DatabaseError(f"database {url!r}: only SQLite and PostgreSQL are supported")
