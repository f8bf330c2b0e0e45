"""End-to-end live benchmark (issue 11): what members feel when one group floods.

    .venv/bin/python -m tests.bench.bench_live_e2e      (also run by `make bench`)

The real PTB Application (`tracker.bootstrap.build_application`, as `tracker run` builds it)
polls the fake Bot API over HTTP, with Telegram's flood control on (429 with retry_after past
20 messages a minute to a group or 30 a second from the bot), on a real SQLite file. The fake
runs in its own process, as Telegram would: it generates the traffic and stamps when each update
was posted; the bot process stamps when the decision on each update was committed.

200 groups. 199 quiet ones: a leader posts a task to two members every ~50 s; one replies 收到
within seconds, the other is reminded 10 s after the task and then answers (one in five never
does and is fined after 60 s). One flooding group
of 30 members: a notice to everyone every 2 s, and everyone acknowledges it: far more status
board edits than Telegram lets out of a group.

1. Burst: 10,000 updates queued at once; updates handled per second (goal ≥ 500), and how long
   Telegram's limits take to let out what they caused (the steady phase starts after that).
2. Steady: ~150 updates a second for 30 s while the flood goes on: latency from an update's
   posting to its decision committed, p50/p99, for the quiet groups (goal p99 < 50 ms); and how
   late the quiet groups' reminders leave, counted from their due instant plus the bot's
   deliberate delivery lag (goal < 2 s).
"""

from __future__ import annotations

import asyncio
import bisect
import cProfile
import logging
import multiprocessing
import os
import random
import statistics
import tempfile
import time
from datetime import UTC, timedelta
from pathlib import Path

from sqlalchemy import select

from tests.fakes.bot_api import FakeBotApi
from tracker.adapters.db import orm
from tracker.adapters.db.engine import make_engine
from tracker.config.loading import parse_config
from tracker.entrypoints.bootstrap import build_application

QUIET = [-1002000000000 - n for n in range(199)]
FLOOD = -1003000000000
LEADER = 1001
BURST = 10_000
STEADY_SECONDS, STEADY_RATE = 30, 150
LAG = timedelta(seconds=1)
# A quiet group's leader posts a task about every 50 s: one member answers at once, the other
# after the reminder (one in five never, and is fined). With its board and the board's edits,
# ~6 messages a minute to the group (Telegram allows 20) and, over 199 groups, ~20 a second
# from the bot (Telegram allows 30).
TASK_SHARE = 0.03
AFTER_REMINDER = 13.0  # seconds after the task


def members(chat_id: int) -> list[int]:
    count = 30 if chat_id == FLOOD else 5
    base = 10_000 + (abs(chat_id) % 1_000_000) * 100
    return [base + k for k in range(count)]


def config() -> dict:
    chats = []
    for chat_id in [*QUIET, FLOOD]:
        people = [{"id": u, "name": f"成员{u}", "username": f"u{u}"} for u in members(chat_id)]
        chats.append(
            {"id": chat_id, "name": f"群{chat_id}", "leaders": [LEADER], "members": people}
        )
    rules = {
        "clock": "wall",  # reminders fall due on any day the bench runs
        "ack_window": "60s",
        "remind_at": ["10s"],
        "tell_leader_at": [],
        "quiet_hours": ["00:00", "00:00"],
        "digest": False,
    }
    return {"defaults": rules, "chats": chats}


# -- the fake's process: Telegram and its users ----------------------------------------------


class Traffic:
    """What members and leaders post; stamps each update's posting time."""

    def __init__(self, fake: FakeBotApi, seed: int) -> None:
        self.fake = fake
        self.rng = random.Random(seed)
        self.posted: dict[tuple[int, int], float] = {}
        self.tasks: dict[int, list[dict]] = {c: [] for c in QUIET}  # unanswered tasks per chat
        self.notice: dict | None = None
        self.flood_acked = 0

    def post(self, chat_id: int, user: int, text: str, reply_to: dict | None = None) -> dict:
        msg = self.fake.push_message(chat_id, user, text, reply_to=reply_to)["message"]
        self.posted[(chat_id, msg["message_id"])] = time.time()
        return msg

    def quiet_step(self, chat_id: int) -> None:
        first, second, *_ = members(chat_id)
        waiting = self.tasks[chat_id]
        head = waiting[0] if waiting else None
        if head and not head["first"] and self.rng.random() < 0.6:
            self.post(chat_id, first, "收到", reply_to=head["task"])
            head["first"] = True
        elif head and head["first"] and time.time() - head["at"] > AFTER_REMINDER:
            if self.rng.random() < 0.8:  # one in five never answers and is fined
                self.post(chat_id, second, "好的，马上弄", reply_to=head["task"])
            waiting.pop(0)
        elif self.rng.random() < TASK_SHARE:
            task = self.post(chat_id, LEADER, f"@u{first} @u{second} 把本周报表整理好发群里 #任务")
            waiting.append({"task": task, "at": time.time(), "first": False})
        else:
            self.post(chat_id, self.rng.choice(members(chat_id)), "客户那边说下周再谈")

    def flood_step(self) -> None:
        people = members(FLOOD)
        if self.notice is None or self.flood_acked >= len(people):
            self.notice = self.post(FLOOD, LEADER, "@所有人 明天上午九点全体开会，请准时参加")
            self.flood_acked = 0
            return
        self.post(FLOOD, people[self.flood_acked], "收到", reply_to=self.notice)
        self.flood_acked += 1

    def step(self) -> None:
        if self.rng.random() < 0.1:
            self.flood_step()
        else:
            self.quiet_step(self.rng.choice(QUIET))


async def telegram(pipe) -> None:
    logging.getLogger("aiohttp").setLevel(logging.ERROR)
    async with FakeBotApi() as fake:
        fake.rate_limit()
        fake.make_user(LEADER, "王总")
        for chat_id in [*QUIET, FLOOD]:
            fake.add_chat(chat_id, f"群{chat_id}", admins=[fake.users[LEADER]])
            for u in members(chat_id):
                fake.make_user(u, f"成员{u}", f"u{u}")
        traffic = Traffic(fake, seed=11)
        loop = asyncio.get_running_loop()
        pipe.send((fake.token, fake.base_url))
        await loop.run_in_executor(None, pipe.recv)  # "burst"
        for _ in range(BURST):
            traffic.step()
        burst = dict(traffic.posted)
        await loop.run_in_executor(None, pipe.recv)  # "steady"
        traffic.posted.clear()
        started = time.monotonic()
        sent = 0
        while (elapsed := time.monotonic() - started) < STEADY_SECONDS:
            while sent < elapsed * STEADY_RATE:
                traffic.step()
                sent += 1
            await asyncio.sleep(0.005)
        pipe.send(("steady done", traffic.posted, burst))
        await loop.run_in_executor(None, pipe.recv)  # "stop"
        calls = [
            (
                c.method,
                int(c.params.get("chat_id", 0) or 0),
                c.time,
                c.outcome,
                c.status,
                (c.params.get("reply_parameters") or {}).get("message_id"),
                str(c.params.get("text", "")),
            )
            for c in fake.calls
            if c.method in ("sendMessage", "editMessageText")
        ]
        pipe.send(calls)


def run_telegram(pipe) -> None:
    asyncio.run(telegram(pipe))


# -- the bot's process ------------------------------------------------------------------------

SQL_TIME: dict[str, list[float]] = {}


def sql_timing(engine) -> None:
    from sqlalchemy import event

    @event.listens_for(engine, "before_cursor_execute")
    def before(conn, cursor, statement, params, context, many):
        conn.info["t0"] = time.perf_counter()

    @event.listens_for(engine, "after_cursor_execute")
    def after(conn, cursor, statement, params, context, many):
        took = time.perf_counter() - conn.info.pop("t0")
        entry = SQL_TIME.setdefault(" ".join(statement.split())[:110], [0, 0.0])
        entry[0] += 1
        entry[1] += took


class Stamps:
    """When the decision on each handled message was committed (wall clock)."""

    def __init__(self, service) -> None:
        self.done: dict[tuple[int, int], float] = {}
        handle = service.handle_message

        def handle_message(msg, *args, **kwargs):
            due = handle(msg, *args, **kwargs)  # a use case commits before it returns
            self.done[(msg.chat_id, msg.message_id)] = time.time()
            return due

        service.handle_message = handle_message


async def bot(pipe, db_url: str) -> dict:
    token, base_url = pipe.recv()
    cfg = parse_config(config(), "bench.toml")
    app, live, updates = build_application(cfg, db_url, token, base_url, lag=LAG)
    stamps = Stamps(live.service)
    if os.environ.get("BENCH_SQL"):  # time per SQL statement, printed at the end
        sql_timing(live.service.store.engine)
    await app.initialize()
    await app.post_init(app)
    await app.start()
    await app.updater.start_polling(poll_interval=0, timeout=5, allowed_updates=updates)
    loop = asyncio.get_running_loop()

    pipe.send("burst")
    started = time.time()
    while len(stamps.done) < BURST:
        await asyncio.sleep(0.01)
    burst_seconds = max(stamps.done.values()) - started
    drained = await drain_quiet(live.service.store.engine)
    drain_seconds = time.time() - started

    stamps.done.clear()
    pipe.send("steady")
    _, posted, _ = await loop.run_in_executor(None, pipe.recv)
    deadline = time.monotonic() + 30
    while not set(posted) <= set(stamps.done) and time.monotonic() < deadline:
        await asyncio.sleep(0.05)
    await asyncio.sleep(12)  # the last tasks' reminders fall due
    await app.updater.stop()
    pipe.send("stop")
    calls = await loop.run_in_executor(None, pipe.recv)
    await app.stop()
    await app.post_stop(app)
    await app.shutdown()
    return {
        "burst_seconds": burst_seconds,
        "drain_seconds": drain_seconds if drained else None,
        "posted": posted,
        "done": dict(stamps.done),
        "calls": calls,
    }


async def drain_quiet(engine, limit: float = 180) -> bool:
    """Wait until the quiet groups have nothing left to send (the flood never drains)."""
    pending = select(orm.Outbox.id).where(
        orm.Outbox.status == "pending", orm.Outbox.target_chat_id != FLOOD
    )
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        with engine.connect() as conn:
            if conn.execute(pending.limit(1)).first() is None:
                return True
        await asyncio.sleep(0.5)
    return False


def reminder_lateness(
    db_url: str, calls: list, since: float, until: float
) -> tuple[list[float], int]:
    """Per reminder due in the window: how late the first reminder sent to its chat at or after
    its instant left; and how many were due with none sent by the end. A reminder leaves at its
    due instant when a message dated then reaches its chat, else up to the lag after it."""
    with make_engine(db_url).connect() as conn:
        due = [
            (r.chat_id, r.due_at.replace(tzinfo=UTC).timestamp())
            for r in conn.execute(select(orm.Reminder.__table__)).all()
            if r.chat_id != FLOOD
        ]
    sent: dict[int, list[float]] = {}
    for method, chat_id, at, outcome, _, _, text in calls:
        if method == "sendMessage" and outcome == "ok" and "提醒" in text:
            sent.setdefault(chat_id, []).append(at)
    late, never = [], 0
    for chat_id, when in due:
        if not since <= when <= until:
            continue
        times = sorted(sent.get(chat_id, []))
        i = bisect.bisect_left(times, when - 0.05)  # both clocks are this machine's
        if i < len(times):
            late.append(times[i] - when)
        else:
            never += 1
    return late, never


def percentile(values: list[float], q: int) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


def main() -> None:
    logging.basicConfig(level=logging.ERROR)
    for noisy in ("tracker", "apscheduler", "telegram", "httpx"):
        logging.getLogger(noisy).setLevel(logging.ERROR)
    with tempfile.TemporaryDirectory() as tmp:
        db_url = os.environ.get("BENCH_DB") or f"sqlite:///{Path(tmp) / 'live.db'}"
        ours, theirs = multiprocessing.Pipe()
        fake = multiprocessing.get_context("spawn").Process(
            target=run_telegram, args=(theirs,), daemon=True
        )
        fake.start()
        if profile := os.environ.get("BENCH_PROFILE"):  # where the bot's time goes
            with cProfile.Profile() as prof:
                result = asyncio.run(bot(ours, db_url))
            prof.dump_stats(profile)
        else:
            result = asyncio.run(bot(ours, db_url))
        fake.join(10)
        posted, done, calls = result["posted"], result["done"], result["calls"]
        quiet = [done[k] - t for k, t in posted.items() if k[0] != FLOOD and k in done]
        flood = [done[k] - t for k, t in posted.items() if k[0] == FLOOD and k in done]
        lost = [k for k in posted if k not in done]
        first, last = min(posted.values()), max(posted.values())
        late, never = reminder_lateness(db_url, calls, first, last)
        if dump := os.environ.get("BENCH_DUMP"):  # the calls and the window, for a closer look
            import pickle

            Path(dump).write_bytes(pickle.dumps((calls, first, last)))
        flood_429 = sum(1 for c in calls if c[1] == FLOOD and c[4] == 429)
        flood_sent = sum(1 for c in calls if c[1] == FLOOD and c[3] == "ok")
        quiet_429 = sum(1 for c in calls if c[1] != FLOOD and c[4] == 429)
        if os.environ.get("BENCH_CALLS"):
            import collections

            kinds = collections.Counter((c[0], c[3], c[4], c[6][:6]) for c in calls)
            for k, n in kinds.most_common(20):
                print(n, k)

    for sql, (n, took) in sorted(SQL_TIME.items(), key=lambda kv: -kv[1][1])[:15]:
        print(f"{took:7.2f} s {n:7d} × {1e6 * took / n:7.0f} µs  {sql}")
    print("live, end to end: PTB + fake Bot API (flood control on) + SQLite, 200 groups")
    rate = BURST / result["burst_seconds"]
    print(f"  burst of {BURST:,} updates: {result['burst_seconds']:.2f} s, {rate:,.0f} updates/s")
    print("    (goal ≥ 500 updates/s)")
    drain = result["drain_seconds"]
    print(
        "  the burst's messages to the quiet groups all delivered after "
        + (f"{drain:.1f} s" if drain is not None else "more than 180 s (not drained)")
        + " (Telegram lets ~30 a second out of a bot)"
    )
    ms = [v * 1000 for v in quiet]
    print(
        f"  steady {STEADY_RATE}/s for {STEADY_SECONDS} s, quiet groups, posted → committed (ms): "
        f"p50 {percentile(ms, 50):.1f}   p99 {percentile(ms, 99):.1f}   max {max(ms):.1f}   "
        f"({len(ms):,} updates, {len(lost)} not handled; goal p99 < 50 ms)"
    )
    fms = [v * 1000 for v in flood]
    print(
        f"    the flooding group itself: p50 {percentile(fms, 50):.1f}   "
        f"p99 {percentile(fms, 99):.1f}"
    )
    if late:
        print(
            f"  quiet groups' reminders, sent − due (s, the bot's {LAG.total_seconds():.0f} s lag "
            "included): "
            f"p50 {percentile(late, 50):.3f}   p99 {percentile(late, 99):.3f}   "
            f"max {max(late):.3f}   ({len(late)} reminders, {never} due and not sent; "
            "goal < 2 s)"
        )
    print(
        f"  flooding group: {flood_sent} messages and edits let out, {flood_429} answered 429; "
        f"quiet groups: {quiet_429} answered 429"
    )


if __name__ == "__main__":
    main()
