"""What a month's plan should cost, computed from the plan alone (not from the engine).

`examples/sales-month/plan.json` says, for every directive, when each assignee acknowledged and
reported done. The rules, as the README states them:

- no ack before created_at + 30 min (or none at all): 100.00, booked at that instant;
- a task with a deadline not done before it: 50.00 at the deadline and again every day after,
  at most 5 times, while it stays open;
- the replay's clock stops 30 minutes after the last message, so later fines are not booked.

An answer at the very instant a fine falls due comes too late: the engine takes what is due
before it reads a message of the same instant. The plan keeps clear of such instants anyway.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

ACK_WINDOW = timedelta(minutes=30)
NO_ACK_FEN = 10_000
UNRESOLVED_FEN = 5_000
UNRESOLVED_REPEAT = timedelta(days=1)
UNRESOLVED_MAX = 5
TIMEZONE = ZoneInfo("Asia/Shanghai")
SEPARATORS = ("-", "—", "－", "–")  # 部门-姓名, as the seed rule books write it


@dataclass(frozen=True, order=True)
class ExpectedFine:
    booked_at: datetime
    directive_message_id: int
    user_id: int
    rule: str  # "no_ack" | "unresolved"
    sequence: int
    amount_fen: int


@dataclass(frozen=True)
class DaySummary:
    acks_on_time: int
    acks_late: int
    fines: int
    fines_fen: int


def load_plan(path: str | Path) -> dict:
    return json.loads(Path(path).read_text(encoding="utf-8"))


def parse_time(text: str | None) -> datetime | None:
    return None if text is None else datetime.fromisoformat(text.replace("Z", "+00:00"))


def department(name: str) -> str | None:
    """The part before the first separator ("销售一部-张伟" -> "销售一部"); none -> None."""
    cuts = [name.find(s) for s in SEPARATORS if s in name]
    if not cuts:
        return None
    head = name[: min(cuts)].strip()
    return head or None


def replay_end(plan: dict) -> datetime:
    return parse_time(plan["last_message_at"]) + ACK_WINDOW


def expected_fines(plan: dict) -> list[ExpectedFine]:
    end = replay_end(plan)
    fines = []
    for d in plan["directives"]:
        created = parse_time(d["created_at"])
        deadline = parse_time(d["deadline_at"]) if d["kind"] == "task" else None
        for a in d["assignees"]:
            ack, done = parse_time(a["ack_at"]), parse_time(a["done_at"])
            key = (d["message_id"], a["user_id"])
            due = created + ACK_WINDOW
            if (ack is None or ack >= due) and due <= end:
                fines.append(ExpectedFine(due, *key, "no_ack", 0, NO_ACK_FEN))
            if deadline is None:
                continue
            for k in range(UNRESOLVED_MAX):
                due = deadline + k * UNRESOLVED_REPEAT
                if due > end or (done is not None and done < due):
                    break  # the clock stopped, or done in time for this one and the rest
                fines.append(ExpectedFine(due, *key, "unresolved", k, UNRESOLVED_FEN))
    return sorted(fines)


def totals_by_member(fines: list[ExpectedFine]) -> dict[int, int]:
    totals: Counter[int] = Counter()
    for f in fines:
        totals[f.user_id] += f.amount_fen
    return dict(totals)


def totals_by_department(fines: list[ExpectedFine], plan: dict) -> dict[str | None, int]:
    names = {m["user_id"]: m["name"] for m in plan["roster"]}
    totals: Counter[str | None] = Counter()
    for f in fines:
        totals[department(names[f.user_id])] += f.amount_fen
    return dict(totals)


def by_day(plan: dict, fines: list[ExpectedFine]) -> dict[date, DaySummary]:
    """Per local day: acks in time and late (by when they came), fines booked and their sum."""
    on_time: Counter[date] = Counter()
    late: Counter[date] = Counter()
    for d in plan["directives"]:
        due = parse_time(d["created_at"]) + ACK_WINDOW
        for a in d["assignees"]:
            ack = parse_time(a["ack_at"])
            if ack is not None:
                (late if ack >= due else on_time)[_local_day(ack)] += 1
    booked: dict[date, list[int]] = defaultdict(list)
    for f in fines:
        booked[_local_day(f.booked_at)].append(f.amount_fen)
    days = sorted(set(on_time) | set(late) | set(booked))
    return {
        day: DaySummary(on_time[day], late[day], len(booked[day]), sum(booked[day]))
        for day in days
    }


def _local_day(at: datetime) -> date:
    return at.astimezone(TIMEZONE).date()
