"""Mutated configs through `load_config`, as the CLI reads them: every one is either a `Config`
whose values can be used, or one `ConfigError` line naming the file. Never a traceback.

Deterministic: the seed is fixed, so a failure names a case that reproduces.
"""

from __future__ import annotations

import json
import random
import re
import tomllib
from datetime import UTC, date, datetime, time
from pathlib import Path

import pytest

from tests.mutations import places, reshape, value_elsewhere
from tracker.config.loading import load_config
from tracker.domain.digest import DigestSchedule
from tracker.errors import ConfigError

EXAMPLE = Path(__file__).resolve().parents[2] / "config" / "tracker.example.toml"
CASES = 1_200
SEED = 20_261_123
T0 = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)

HUGE_INTS = [2**63, 2**64, -(2**63) - 1, 2**70, -(2**70), 10**30, 2**52, -(10**12), -1, 0]
STRINGS = [
    "",
    " ",
    "销售部-张三",
    "👍🏽✅",
    "\u202eabc",  # right-to-left override
    "a\u200bb",  # zero width space
    "a\x00b",
    "line\nbreak",
    "tab\there",
    "x" * 5_000,
    "０９:００",  # full-width digits
    "09:00+08:00",
    "18:00Z",
    "25:00",
    "99999999999999999999d",
    "999999999d",
    "367d",
    "-5m",
    "0s",
    "1h30",
    "100.001",
    "1e9",
    "-100.00",
    "99999999999999999999999999.99",
    "1000000.01",
    "Asia/Shanghai",
    "../../etc/passwd",
    "Mars/Olympus",
    "(?P<dept>a{4294967296})",
    "(?P<dept>" + "(" * 500 + ")" * 500 + ")",
    "[unclosed",
    "@",
    "@zhangsan",
    "mon",
    "周一",
    "0001-01-01",
    "9999-12-31",
    "2027-02-30",
]
SPECIAL = [
    1.5,
    float("nan"),
    float("inf"),
    -0.0,
    1e308,
    True,
    False,
    date(1, 1, 1),
    date(9999, 12, 31),
    time(9, 0),
    datetime(2026, 1, 1, 9, 0),
    datetime(2026, 1, 1, 9, 0, tzinfo=UTC),
    [],
    {},
    [1, "a", True],
    {"a": 1},
    ["09:00", "18:00"],
    ["09:00+08:00", "18:00"],
    ["10m", "20m"],
    [1001, 1002],
]


# -- a TOML writer for any value the mutations make (inline tables and arrays only) ---------
def key(name: str) -> str:
    return name if re.fullmatch(r"[A-Za-z0-9_-]+", name) else json.dumps(name)


def render(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value != value:
            return "nan"
        if value in (float("inf"), float("-inf")):
            return "inf" if value > 0 else "-inf"
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, list):
        return "[" + ", ".join(render(item) for item in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{key(k)} = {render(x)}" for k, x in value.items()) + " }"
    raise TypeError(type(value))


def document(data: dict) -> str:
    return "".join(f"{key(k)} = {render(x)}\n" for k, x in data.items())


def nested(depth: int, inner) -> list:
    for _ in range(depth):
        inner = [inner]
    return inner


# -- mutations ------------------------------------------------------------------------------
def any_value(rng: random.Random, data: dict):
    kind = rng.randrange(7)
    if kind == 0:
        return rng.choice(HUGE_INTS)
    if kind == 1:
        return rng.choice(STRINGS)
    if kind == 2:
        return rng.choice(SPECIAL)
    if kind == 3:  # nested lists, sometimes far deeper than anyone writes by hand
        return nested(rng.choice([2, 10, 50, 150]), rng.choice([1, "x", []]))
    if kind == 4:  # a value from elsewhere in the document: the wrong type for this key
        return value_elsewhere(rng, data, lambda v: json.loads(json.dumps(v, default=str)))
    if kind == 5:
        return rng.randint(-(2**40), 2**40)
    return {"unknown": rng.choice(STRINGS)}


# values of the right type that a config may well hold: some mutations must load
PLAUSIBLE = {
    int: [1, 1001, 2**52 - 1, 2**52, 0, 100, 101, -1001555000111, -4123456, -999],
    str: ["45m", "2h", "366d", "100.00", "0.5", "09:30", "23:59:59", "Asia/Tokyo", "sat", "张三"],
}


def mutate(rng: random.Random, data: dict) -> dict:
    container, k, _ = rng.choice(list(places(data)))
    action = rng.randrange(8)
    if action >= 6 and type(container[k]) in PLAUSIBLE:
        container[k] = rng.choice(PLAUSIBLE[type(container[k])])
        return data
    unknown = ["extra", "ID", "leader", "Fines", "时区"]
    if not reshape(rng, action, container, k, unknown, lambda: any_value(rng, data)):
        container[k] = any_value(rng, data)
    return data


def text_mutation(rng: random.Random, text: str) -> bytes:
    """Damage the file itself: nesting, huge literals, bytes that are not UTF-8, truncation."""
    kind = rng.randrange(6)
    if kind == 0:
        depth = rng.choice([300, 1_000, 5_000])
        return (text + "deep = " + "[" * depth + "]" * depth + "\n").encode()
    if kind == 1:
        return (text + "[defaults]\nunresolved_max = " + "9" * 5_000 + "\n").encode()
    if kind == 2:
        cut = rng.randrange(len(text))
        return text[:cut].encode()
    if kind == 3:
        raw = bytearray(text.encode())
        raw.insert(rng.randrange(len(raw)), rng.choice([0xFF, 0xC3, 0x00, 0x7F]))
        return bytes(raw)
    if kind == 4:
        depth = rng.choice([100, 1_000])
        return (text + "t = " + "{ a = " * depth + "1" + " }" * depth + "\n").encode()
    return ("\ufeff" + text).encode()


# -- what an accepted config must allow ------------------------------------------------------
def use(config) -> None:
    """What the bot does with the rules first: due times, a digest day, the department rule."""
    for rules in (config.defaults, *(chat.rules for chat in config.chats)):
        rules.ack_steps()
        rules.step_due(T0, rules.ack_steps()[0])
        rules.later(T0, rules.digest_max_age)
        rules.unresolved_due(T0, max(rules.unresolved_max - 1, 0))
        rules.quiet_until(T0)
        schedule = DigestSchedule(rules.timezone, rules.digest_time, rules.calendar)
        schedule.instant(schedule.next_after(date(2026, 11, 23)))
        if rules.department_pattern:
            re.compile(rules.department_pattern).search("销售部-张三")
        assert 0 <= rules.fine_no_ack_fen <= 100_000_000
        assert 0 <= rules.unresolved_max <= 100
    for chat in config.chats:
        assert -(2**63) < chat.chat_id < 0
        assert all(0 < user < 2**52 for user in chat.leaders)
        assert all(0 < member.user_id < 2**52 for member in chat.members)


def test_a_thousand_mutated_configs_load_or_fail_in_one_line(tmp_path):
    base = tomllib.loads(EXAMPLE.read_text(encoding="utf-8"))
    rng = random.Random(SEED)
    path = tmp_path / "tracker.toml"
    outcomes = {"loaded": 0, "refused": 0}
    for case in range(CASES):
        data = json.loads(json.dumps(base, default=str))  # a deep copy, dates as strings
        for _ in range(rng.choice([1, 1, 2, 3])):
            data = mutate(rng, data)
        text = document(data)
        raw = text_mutation(rng, text) if rng.random() < 0.15 else text.encode()
        path.write_bytes(raw)
        try:
            config = load_config(path)
        except ConfigError as error:
            message = str(error)
            assert message.startswith(f"{path}: "), (case, message)
            assert "\n" not in message and "\r" not in message, (case, message)
            assert len(message) < 1_000, (case, len(message))
            outcomes["refused"] += 1
        except Exception as error:  # noqa: BLE001  (the point: anything else is a bug)
            pytest.fail(f"case {case}: {type(error).__name__}: {error!s:.300}\n{raw[:500]!r}")
        else:
            use(config)
            outcomes["loaded"] += 1
    # both sides are exercised: a fuzz that only ever fails (or passes) proves little
    assert outcomes["loaded"] >= CASES // 20, outcomes
    assert outcomes["refused"] >= CASES // 2, outcomes
