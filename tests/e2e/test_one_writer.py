"""One writer per database, with real processes on SQLite and PostgreSQL: a second writer
stops with one line naming the holder (or waits for it), readers go on, two replays at once
end as one replay does, and two first starts on an empty database do not race."""

from __future__ import annotations

import gc
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import inspect, select

from tests.builders import LEADER, Chat
from tests.cli_runner import run_tracker
from tests.support import db_url, one_revision_behind, pg_url  # noqa: F401  (fixtures)
from tracker.adapters.db import orm, schema
from tracker.adapters.db.engine import make_engine, migrate
from tracker.adapters.db.writer_lock import WriterLock
from tracker.config.loading import load_config
from tracker.entrypoints.bootstrap import build_service
from tracker.errors import DatabaseInUse
from tracker.services.tracker import REPLAYED

ROOT = Path(__file__).resolve().parents[2]
DAY, MONTH = ROOT / "examples" / "sales-day", ROOT / "examples" / "sales-month"
CHAT = "-1001987654321"  # the sales-day chat
QUICK = {"TRACKER_LOCK_WAIT": "0.3"}


def shown(url: str) -> str:
    """The database as the line names it (no driver, no password)."""
    parsed = make_engine(url).url
    return parsed.set(drivername=parsed.get_backend_name()).render_as_string(hide_password=True)


def in_use(url: str, command: str, pid: int) -> re.Pattern:
    return re.compile(
        rf"database {re.escape(shown(url))} is in use by `{re.escape(command)}` "
        rf"\(pid {pid} on host {re.escape(socket.gethostname()[:24])}, "
        r"since \d{4}-\d\d-\d\d \d\d:\d\d:\d\d\): stop it first, or wait"
    )


def tracker(*args, **env) -> subprocess.CompletedProcess:
    return run_tracker(*args, **env)


def one_error_line(done: subprocess.CompletedProcess, pattern: re.Pattern) -> None:
    assert done.returncode == 2, done.stderr
    lines = done.stderr.splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith("tracker: error: ")
    assert pattern.fullmatch(lines[0].removeprefix("tracker: error: ")), lines[0]


HOLD = """
import sys
from tracker.adapters.db.engine import make_engine
from tracker.adapters.db.writer_lock import WriterLock

lock = WriterLock(make_engine(sys.argv[1]), command=sys.argv[2], wait=0).acquire()
print("held", flush=True)
sys.stdin.read()  # until the test lets go
"""


class Holder:
    """Another process holding the writer lock, as `command` would."""

    def __init__(self, url: str, command: str = "tracker run") -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-c", HOLD, url, command],
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        line = self.proc.stdout.readline()
        assert line == "held\n", self.proc.stderr.read()
        self.pid = self.proc.pid

    def let_go(self) -> None:
        self.proc.stdin.close()
        self.proc.wait(timeout=30)

    def kill(self) -> None:
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(timeout=30)


def replay_day(url: str, **env) -> subprocess.CompletedProcess:
    return tracker(
        "replay", DAY / "result.json", "--config", DAY / "tracker.toml", "--db", url, "--json",
        **env,
    )  # fmt: skip


# -- the lock itself -----------------------------------------------------------------------------
def test_a_second_writer_stops_with_one_line_until_the_holder_dies(db_url):  # noqa: F811
    engine = make_engine(db_url)
    holder = Holder(db_url, "tracker run")
    try:
        with pytest.raises(DatabaseInUse) as refused:
            WriterLock(engine, wait=0.3).acquire()
        assert in_use(db_url, "tracker run", holder.pid).fullmatch(str(refused.value))
    finally:
        holder.kill()  # SIGKILL: nothing of its own lets go, the OS (or the server) does
    lock = WriterLock(engine, wait=10).acquire()
    assert lock.held
    lock.release()
    engine.dispose()


def test_a_second_writer_waits_for_the_holder_to_let_go(db_url):  # noqa: F811
    engine = make_engine(db_url)
    holder = Holder(db_url)
    threading.Timer(0.5, holder.let_go).start()
    started = time.monotonic()
    with WriterLock(engine, wait=30) as lock:
        assert lock.held
        assert time.monotonic() - started >= 0.4
    engine.dispose()


PROBE = """
import sys
from tracker.adapters.db.engine import make_engine
from tracker.adapters.db.writer_lock import WriterLock
from tracker.errors import DatabaseInUse

try:
    WriterLock(make_engine(sys.argv[1]), wait=0).acquire()
except DatabaseInUse:
    print("in use")
else:
    print("free")
"""


def other_process_sees(url: str) -> str:
    done = subprocess.run(
        [sys.executable, "-c", PROBE, url], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_the_lock_is_one_per_process_and_let_go_after_the_last_release(db_url):  # noqa: F811
    engine = make_engine(db_url)
    first = WriterLock(engine, command="tracker run").acquire()
    migrate(engine)  # takes it again inside, as the bot's start does: no wait, no error
    second = WriterLock(make_engine(db_url)).acquire()
    assert other_process_sees(db_url) == "in use"
    first.release()
    assert other_process_sees(db_url) == "in use"
    second.release()
    assert other_process_sees(db_url) == "free"
    engine.dispose()


# -- the commands --------------------------------------------------------------------------------
PAUSED_REPLAY = """
import sys, time
from pathlib import Path
import tracker.entrypoints.replay

ready, gate = Path(sys.argv[1]), Path(sys.argv[2])
feed = tracker.entrypoints.replay._feed

def paused(*args, **kw):  # the lock is taken and the schema migrated: hold still here
    ready.touch()
    while not gate.exists():
        time.sleep(0.05)
    return feed(*args, **kw)

tracker.entrypoints.replay._feed = paused
sys.argv = ["tracker", *sys.argv[3:]]
from tracker.entrypoints.cli.app import main
main()
"""


def test_a_bot_or_replay_started_while_a_replay_runs_gets_the_line(db_url, tmp_path):  # noqa: F811
    reference = f"sqlite:///{tmp_path / 'reference.db'}"
    single = replay_day(reference)
    assert single.returncode == 0, single.stderr
    assert replay_day(db_url).returncode == 0  # data for the readers below
    ready, gate = tmp_path / "ready", tmp_path / "gate"
    running = subprocess.Popen(
        [sys.executable, "-c", PAUSED_REPLAY, ready, gate, "replay", DAY / "result.json",
         "--config", DAY / "tracker.toml", "--db", db_url, "--json"],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while not ready.exists():
            assert running.poll() is None, running.stderr.read()
            assert time.monotonic() < deadline
            time.sleep(0.05)
        line = in_use(db_url, "tracker replay", running.pid)
        bot = tracker(
            "run", "--config", DAY / "tracker.toml", "--db", db_url,
            TELEGRAM_BOT_TOKEN="123456:fake-token-never-used", **QUICK,
        )  # fmt: skip
        one_error_line(bot, line)
        one_error_line(replay_day(db_url, **QUICK), line)
        # readers do not need the lock
        for args in (
            ("chats",),
            ("digest", "--chat", CHAT, "--date", "2026-11-23"),
            ("stats", "--chat", CHAT, "--since", "2026-11-01"),
            ("export", "--month", "2026-11", "--format", "csv", "-o", tmp_path / "f.csv"),
            ("migrate",),  # the schema is current: nothing to write
        ):
            done = tracker(*args, "--config", DAY / "tracker.toml", "--db", db_url, **QUICK)
            assert done.returncode == 0, (args, done.stderr)
            if args == ("chats",):
                assert "销售部工作群" in done.stdout
    finally:
        gate.touch()
        out, err = running.communicate(timeout=120)
    assert running.returncode == 0, err
    assert out == single.stdout  # what it booked: what a single replay books


def test_ledger_commands_run_beside_the_writer(db_url, tmp_path):  # noqa: F811
    """`fines mark-paid` and `month close` are one short transaction each, with a conditional
    write (a booked fine becomes paid; a month is closed unless it is): they go on beside the
    bot."""
    assert replay_day(db_url).returncode == 0
    holder = Holder(db_url)
    try:
        with make_engine(db_url).connect() as conn:
            member = conn.execute(
                select(orm.Fine.user_id).where(orm.Fine.status == "booked")
            ).scalar()
        assert member is not None
        paid = tracker(
            "fines", "mark-paid", "--month", "2026-11", "--member", member,
            "--config", DAY / "tracker.toml", "--db", db_url, **QUICK,
        )  # fmt: skip
        assert paid.returncode == 0 and "as paid" in paid.stdout, paid.stderr
        closed = tracker(
            "month", "close", "2026-11", "--config", DAY / "tracker.toml", "--db", db_url, **QUICK
        )
        assert closed.returncode == 0 and "closed 2026-11" in closed.stdout, closed.stderr
    finally:
        holder.let_go()


def test_a_migration_behind_a_holder_stops_with_the_line(db_url):  # noqa: F811
    migrate(engine := make_engine(db_url))
    one_revision_behind(engine)  # as after an upgrade of the code
    holder = Holder(db_url, "tracker run")
    try:
        done = tracker("migrate", "--db", db_url, **QUICK)
        one_error_line(done, in_use(db_url, "tracker run", holder.pid))
    finally:
        holder.let_go()
    assert tracker("migrate", "--db", db_url, **QUICK).returncode == 0
    with engine.connect() as conn:
        assert schema.is_current(conn)
    engine.dispose()


# -- at once -------------------------------------------------------------------------------------
def replay_month(url: str, wait: str, out: Path) -> subprocess.CompletedProcess:
    """`tracker replay --json` of the month, started now; its output goes to files (a pipe
    nobody reads would stall the writer, lock in hand, and its rival with it)."""
    with open(f"{out}.out", "w") as stdout, open(f"{out}.err", "w") as stderr:
        return subprocess.Popen(
            [sys.executable, "-m", "tracker", "replay", MONTH / "result.json",
             "--config", MONTH / "tracker.toml", "--db", url, "--json"],
            cwd=ROOT, stdout=stdout, stderr=stderr, text=True,
            env={**os.environ, "TRACKER_LOCK_WAIT": wait},
        )  # fmt: skip


def finished(proc: subprocess.Popen, out: Path) -> subprocess.CompletedProcess:
    proc.wait(timeout=300)
    return subprocess.CompletedProcess(
        proc.args, proc.returncode, Path(f"{out}.out").read_text(), Path(f"{out}.err").read_text()
    )


def content(url: str) -> dict[str, list[tuple]]:
    """What the replay wrote, without surrogate ids."""
    tables = {
        orm.Chat: ("id", "last_message_id", "ticked_until", "digest_through"),
        orm.Directive: ("chat_id", "message_id", "kind", "open", "cancelled"),
        orm.Assignment: ("chat_id", "message_id", "user_id", "status", "acked_at"),
        orm.Fine: ("chat_id", "message_id", "user_id", "rule", "sequence", "booked_at"),
        orm.Reminder: ("chat_id", "message_id", "step", "due_at"),
        orm.Outbox: ("dedupe_key", "kind", "status"),
        orm.Member: ("chat_id", "user_id", "name"),
    }
    engine = make_engine(url)
    with engine.connect() as conn:
        found = {
            model.__tablename__: sorted(
                tuple(r) for r in conn.execute(select(*(model.__table__.c[c] for c in columns)))
            )
            for model, columns in tables.items()
        }
    engine.dispose()
    return found


@pytest.mark.parametrize("wait", ["0", "60"])
def test_two_replays_at_once_end_as_one_replay_does(db_url, tmp_path, wait):  # noqa: F811
    reference = f"sqlite:///{tmp_path / 'reference.db'}"
    single = finished(replay_month(reference, wait, tmp_path / "single"), tmp_path / "single")
    assert single.returncode == 0, single.stderr
    outs = [tmp_path / "a", tmp_path / "b"]
    both = [replay_month(db_url, wait, out) for out in outs]
    results = [finished(p, out) for p, out in zip(both, outs, strict=True)]
    assert any(r.returncode == 0 for r in results), [r.stderr for r in results]
    for proc, result in zip(both, results, strict=True):
        if result.returncode == 0:
            assert result.stdout == single.stdout
        else:  # it lost the race: the one line, nothing else
            assert wait == "0", result.stderr
            holder = next(other for other in both if other is not proc)
            one_error_line(result, in_use(db_url, "tracker replay", holder.pid))
            assert result.stdout == ""
    if wait == "60":  # the second waited, then replayed the same, booking nothing twice
        assert [r.returncode for r in results] == [0, 0]
    assert content(db_url) == content(reference)


def test_two_first_starts_on_an_empty_database_do_not_race(db_url, tmp_path):  # noqa: F811
    starts = [
        subprocess.Popen(
            [sys.executable, "-m", "tracker", "migrate", "--db", db_url],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(3)
    ]
    for start in starts:
        _, err = start.communicate(timeout=120)
        assert start.returncode == 0, err
    engine, clean = make_engine(db_url), make_engine(f"sqlite:///{tmp_path / 'clean.db'}")
    migrate(clean)
    with engine.connect() as conn:
        assert schema.is_current(conn)
        tables = set(inspect(conn).get_table_names())
    with clean.connect() as conn:
        assert tables == set(inspect(conn).get_table_names())
    engine.dispose()
    clean.dispose()


def test_a_dropped_service_lets_the_lock_go_without_the_garbage_collector(tmp_path):
    """The service holds the writer lock until it is dropped: no reference cycle may keep it
    (a script that replays in-process and then runs `tracker export` relies on it)."""
    url = f"sqlite:///{tmp_path / 'one.db'}"
    config = load_config(DAY / "tracker.toml")
    gc.disable()
    try:
        service, engine = build_service(config, url, REPLAYED)
        chat = Chat(chat_id=config.chats[0].chat_id)
        service.handle_message(chat.msg(LEADER, "@zhangsan 把报表发我 #任务"))
        service.uow.flush()
        assert other_process_sees(url) == "in use"
        del service
        assert other_process_sees(url) == "free"
    finally:
        gc.enable()
    engine.dispose()
