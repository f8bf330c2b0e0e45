"""Mutated Telegram Desktop exports, replayed as `tracker replay` does (issue 12): every case
either replays or is refused with one TrackerError line. Never a traceback.

Deterministic: case N of a seed is always the same file, so a failure names a case that
reproduces (`python -m tests.bench.bench_export_fuzz --only N`). Used by
`tests/integration/test_export_fuzz.py` (2,000 cases by default) and by
`tests/bench/bench_export_fuzz.py` (10,000, with the counts for docs/performance.md).
"""

from __future__ import annotations

import copy
import io
import json
import random
import re
import shutil
import subprocess
import traceback
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from tests import cli_runner
from tests.export_shapes import message_entry
from tests.mutations import places, reshape, value_elsewhere
from tracker.adapters.db.report_queries import write_reports
from tracker.adapters.telegram import export_reader as telegram_export
from tracker.adapters.telegram.export_reader import open_export
from tracker.config.loading import Config, load_config
from tracker.entrypoints.bootstrap import build_service
from tracker.entrypoints.replay import replay, select_chats
from tracker.errors import ExportFormatError, TrackerError, UnknownChat
from tracker.services.tracker import REPLAYED

SEED = 20_261_212
ZONE = ZoneInfo("Asia/Shanghai")
ROOT = Path(__file__).resolve().parents[1]
EXPORT_ID = 1987654321
CHAT_ID = -1001987654321
T0 = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)  # 09:00 in Shanghai, a Monday
LOCAL = timedelta(hours=8)
CONFIG = {
    "defaults": {"timezone": "Asia/Shanghai", "ack_window": "30m", "remind_at": ["10m", "20m"]},
    "chats": [
        {
            "id": CHAT_ID,
            "name": "销售部工作群",
            "leaders": [1001],
            "members": [
                {"id": 1002, "name": "销售部-张三", "username": "zhangsan"},
                {"id": 1003, "name": "销售部-李四", "username": "lisi"},
                {"id": 1004, "name": "销售部-王五"},
                {"id": 1005, "name": "销售部-赵六"},
                {"id": 1006, "name": "销售部-孙七"},
            ],
        }
    ],
}
NAMES = {1001: "王总", 1002: "销售部-张三", 1003: "销售部-李四", 1004: "销售部-王五"}
NAMES |= {1005: "销售部-赵六", 1006: "销售部-孙七"}


# -- a small valid export: every shape the reader knows ---------------------------------------
def _unix(seconds: int) -> str:
    return str(int((T0 + timedelta(seconds=seconds)).timestamp()))


def _local(seconds: int) -> str:
    return (T0 + timedelta(seconds=seconds) + LOCAL).strftime("%Y-%m-%dT%H:%M:%S")


def _msg(mid: int, who: int, text: object, at: int, **fields) -> dict:
    return message_entry(mid, who, NAMES[who], text, _local(at), _unix(at), **fields)


def _service(mid: int, who: int, action: str, at: int, **fields) -> dict:
    return {
        "id": mid,
        "type": "service",
        "date": _local(at),
        "date_unixtime": _unix(at),
        "actor": NAMES[who],
        "actor_id": f"user{who}",
        "action": action,
        "text": "",
        "text_entities": [],
    } | fields


def base_export() -> dict:
    """A morning of a sales group: two directives, a notice, acks by reply, reaction and
    sticker, a /done, a photo, an edit, a forward, a channel post, an unsupported message."""
    thumbs = {
        "type": "emoji",
        "count": 2,
        "emoji": "👍",
        "recent": [
            {"from": NAMES[1004], "from_id": "user1004", "date": _local(95)},
            {"from": NAMES[1005], "from_id": "user1005", "date_unixtime": _unix(130)},
        ],
    }
    custom = {"type": "custom_emoji", "count": 1, "document_id": "5368324170671202286"}
    task = [
        {"type": "mention", "text": "@zhangsan"},
        " ",
        {"type": "mention_name", "text": "销售部-王五", "user_id": 1004},
        " ",
        {"type": "mention", "text": "@lisi"},
        " 今天下班前把本周拜访计划发群里 ",
        {"type": "hashtag", "text": "#任务"},
    ]
    messages = [
        _service(
            1, 1001, "create_group", 0, title="销售部工作群", members=["王总", "销售部-张三"]
        ),
        _service(2, 1006, "join_group_by_link", 30, inviter="王总"),
        _msg(3, 1001, task, 60, reactions=[thumbs, custom]),
        _msg(4, 1002, "收到！马上执行", 70, reply_to_message_id=3),
        _msg(5, 1003, "好的", 200),
        _msg(6, 1005, "", 210, media_type="sticker", sticker_emoji="👍", file="s.webp"),
        _msg(7, 1001, [{"type": "hashtag", "text": "#通知"}, " 明天上午10点开会，全员参加"], 400),
        _msg(
            8,
            1006,
            "收到",
            420,
            photo="photos/p.jpg",
            edited=_local(480),
            edited_unixtime=_unix(480),
        ),
        _msg(9, 1002, "客户的需求在这里", 500, forwarded_from="客户-李总"),
        _msg(
            10,
            1004,
            [{"type": "bot_command", "text": "/done@tracker_bot"}],
            900,
            reply_to_message_id=3,
        ),
        {"id": 11, "type": "unsupported"},
        _msg(12, 1003, "1", 1_000, reply_to_message_id=7),
        _msg(
            13,
            1001,
            [{"type": "mention", "text": "@lisi"}, " 明天上午10点前交报价单 ", "#任务"],
            1_200,
        ),
        _msg(14, 1003, "看这个", 1_300, via_bot="@gif"),
        _msg(15, 1001, "公告", 1_400) | {"from": "销售部工作群", "from_id": f"channel{EXPORT_ID}"},
        _msg(16, 1003, "收到", 5_000, reply_to_message_id=13),
        _msg(17, 1005, "收到", 5_100, reply_to_message_id=7, reply_to_peer_id="channel777"),
    ]
    return {
        "name": "销售部工作群",
        "type": "private_supergroup",
        "id": EXPORT_ID,
        "messages": messages,
    }


# -- mutations of the document ----------------------------------------------------------------
HUGE_INTS = [
    2**31 - 1,
    2**31,
    -(2**31),
    -(2**31) - 1,
    2**52 - 1,
    2**52,
    2**63 - 1,
    2**63,
    2**64 - 1,
    2**64,
    10**25,
    -(2**63) - 1,
    -(10**25),
    -1,
    0,
    1,
]
STRINGS = [
    "",
    " ",
    "收到",
    "👍🏽✅",
    "\u202e收到",  # right-to-left override
    "a\u200bb",  # zero width space
    "a\x00b",
    "line\nbreak",
    "x" * 100_000,
    "user0",
    "user-1",
    "user" + "9" * 25,
    "user１００２",  # full-width digits
    "user 1002",
    "user1002",
    "channel",
    "chat-5",
    "peer5",
    "0",
    "-1",
    "946684799",  # 1999-12-31T23:59:59Z
    "946684800",  # 2000-01-01
    "4133980799",  # 2100-12-31T23:59:59Z
    "4133980800",  # 2101-01-01
    "253402300799",  # 9999-12-31
    "-62135596800",  # 0001-01-01
    "9" * 30,
    "9" * 5_000,  # beyond Python's 4,300 digits for int()
    "1.5e9",
    "１７９５３９３８１２",  # full-width digits: Python's int() reads them
    "0001-01-01T00:00:00",
    "9999-12-31T23:59:59",
    "2026-02-30T00:00:00",
    "2026-11-23T09:00:00+08:00",
    "private_supergroup",
    "private_group",
    "emoji",
    "mention_name",
    "bot_command",
    "hashtag",
    "message",
    "service",
    "join_group_by_link",
    "remove_members",
]
SPECIAL = [1.5, -0.0, 1e300, True, False, None, [], {}, [1, "a", None], {"a": 1}, [[[[[]]]]]]
# keys worth aiming at: ids, times, peers, and the structures the reader walks
TARGETS = (
    "id",
    "from_id",
    "actor_id",
    "user_id",
    "reply_to_message_id",
    "reply_to_peer_id",
    "date_unixtime",
    "edited_unixtime",
    "date",
    "type",
    "text",
    "text_entities",
    "reactions",
    "recent",
    "count",
    "emoji",
    "from",
    "actor",
    "action",
    "members",
    "name",
    "messages",
    "media_type",
    "sticker_emoji",
)
PLAUSIBLE = {
    int: [1, 2, 3, 13, 1002, 1004, 99, -999_999_997, 2**31 - 1, 2**52 - 1, EXPORT_ID],
    str: ["user1003", "user1006", "channel55", "chat42", _unix(20_000), _unix(-86_400), "收到"],
}


def any_value(rng: random.Random, doc: dict):
    kind = rng.randrange(6)
    if kind == 0:
        return rng.choice(HUGE_INTS)
    if kind == 1:
        return rng.choice(STRINGS)
    if kind == 2:
        return copy.deepcopy(rng.choice(SPECIAL))
    if kind == 3:  # a value from elsewhere in the document: most likely the wrong type here
        return value_elsewhere(rng, doc)
    if kind == 4:
        return rng.randint(-(2**40), 2**40)
    return {"unknown": rng.choice(STRINGS), "nested": [rng.choice(HUGE_INTS)]}


def mutate(rng: random.Random, doc: dict) -> None:
    spots = list(places(doc))
    aimed = [s for s in spots if s[1] in TARGETS]
    container, k, _ = rng.choice(aimed if aimed and rng.random() < 0.6 else spots)
    messages = doc.get("messages") if isinstance(doc.get("messages"), list) else None
    action = rng.randrange(12)
    unknown = ["extra", "ID", "Type", "reactions", "reply_to_message_id"]
    if reshape(rng, action, container, k, unknown, lambda: any_value(rng, doc)):
        return
    if action in (4, 5) and type(container[k]) in PLAUSIBLE:
        container[k] = rng.choice(PLAUSIBLE[type(container[k])])  # right type, other value
    elif action == 6 and messages:  # a duplicate message id (the whole message, or the id)
        original = rng.choice(messages)
        if rng.random() < 0.5:
            messages.insert(rng.randrange(len(messages) + 1), copy.deepcopy(original))
        elif isinstance(original, dict):
            other = rng.choice(messages)
            if isinstance(other, dict) and "id" in other:
                original["id"] = other["id"]
    elif action == 7 and messages:  # out of order: a date moved back or ahead, or a shuffle
        message = rng.choice(messages)
        if rng.random() < 0.3:
            rng.shuffle(messages)
        elif isinstance(message, dict) and re.fullmatch(
            r"\d{1,12}", str(message.get("date_unixtime"))
        ):
            shift = rng.choice([-1, 1]) * rng.choice([60, 3_600, 86_400 * 40, 86_400 * 3_000])
            message["date_unixtime"] = str(int(message["date_unixtime"]) + shift)
    elif action == 8 and messages:  # a message dropped, or a junk entry among the messages
        if rng.random() < 0.5:
            del messages[rng.randrange(len(messages))]
        else:
            messages.insert(rng.randrange(len(messages) + 1), any_value(rng, doc))
    else:
        container[k] = any_value(rng, doc)


# -- damage to the file itself ----------------------------------------------------------------
def render(doc: dict, rng: random.Random) -> bytes:
    """The document as Telegram Desktop writes it (one space a level), or compact."""
    desktop = rng.random() < 0.75
    ascii_only = rng.random() < 0.1
    text = json.dumps(doc, ensure_ascii=ascii_only, indent=1 if desktop else None)
    return text.encode("utf-8", "surrogatepass")


def damage(rng: random.Random, raw: bytes) -> bytes:
    kind = rng.randrange(10)
    if kind == 0:  # truncated: an export copied before it was written out
        return raw[: rng.randrange(len(raw))]
    if kind == 1:
        return b"\xef\xbb\xbf" + raw  # a BOM (Windows editors)
    if kind == 2:
        return raw.decode("utf-8", "surrogatepass").encode("utf-16")  # with its BOM
    if kind == 3:
        return raw.decode("utf-8", "surrogatepass").encode("gb18030", "replace")
    if kind == 4:  # bytes that are not UTF-8
        cut = rng.randrange(len(raw))
        return raw[:cut] + rng.choice([b"\xff", b"\xc3", b"\x00", b"\xed\xa0\x80"]) + raw[cut:]
    if kind == 5:  # nested junk, deeper than a parser may go, inside the first message
        depth = rng.choice([10, 500, 1_100, 5_000])
        junk = b'"junk": ' + b"[" * depth + b"]" * depth + b", "
        at = raw.find(b'"id"', raw.find(b'"messages"'))
        return raw[:at] + junk + raw[at:] if at > 0 else raw
    if kind == 6:  # a number beyond any integer type
        at = raw.find(b'"id": ') + 6
        return raw[:at] + b"9" * rng.choice([20, 400, 5_000]) + raw[at:]
    if kind == 7:
        return raw.replace(b"\n", b"\r\n")  # Windows line ends: not Telegram Desktop's layout
    if kind == 8:
        return raw + rng.choice([b"\n{}", b"\x00", b"  \n\n", b"]"])  # something after the end
    return b"\xef\xbb\xbf\xef\xbb\xbf" + raw  # two BOMs


# -- the export in the shape of another Telegram Desktop version --------------------------------
def as_before_2022(doc: dict) -> dict:
    """No `date_unixtime` anywhere (local `date` only), integer `from_id`s, no `text_entities`."""
    for m in doc["messages"]:
        m.pop("date_unixtime", None)
        m.pop("text_entities", None)
        m.pop("edited_unixtime", None)
        for key in ("from_id", "actor_id"):
            if type(m.get(key)) is str and m[key].startswith("user"):
                m[key] = int(m[key][4:])
        for reaction in m.get("reactions", ()):
            for recent in reaction.get("recent", ()):
                recent.pop("date_unixtime", None)
    return doc


def as_full_account(doc: dict) -> dict:
    """The chat inside a full-account export, beside a personal chat and a group not configured."""
    other = {"name": "客服部工作群", "type": "private_supergroup", "id": 1987650000}
    other["messages"] = [_msg(1, 1001, "大家辛苦了", 10)]
    personal = {"name": "张三", "type": "personal_chat", "id": 1002}
    personal["messages"] = [_msg(1, 1002, "王总早", 5)]
    return {
        "about": "Here is the data you requested.",
        "chats": {"about": "", "list": [personal, doc, other]},
        "left_chats": {"about": "", "list": []},
    }


def as_migrated(doc: dict) -> dict:
    """A supergroup that was a basic group: the same messages, then its migrate_from_group and
    its own, numbered from 1 again."""
    old = doc["messages"]
    for m in old:
        if type(m.get("id")) is int:
            m["id"] += 50_000
        if type(m.get("reply_to_message_id")) is int:
            m["reply_to_message_id"] += 50_000
    new = [
        _service(1, 1001, "migrate_from_group", 6_000, title="销售部工作群"),
        _msg(2, 1001, [{"type": "mention", "text": "@lisi"}, " 把合同发我 ", "#任务"], 6_100),
        _msg(3, 1003, "收到", 6_200, reply_to_message_id=2),
    ]
    doc["messages"] = old + new
    return doc


VERSIONS = (lambda doc: doc, as_before_2022, as_full_account, as_migrated)
VERSION_WEIGHTS = (6, 2, 1, 1)


def case_bytes(seed: int, case: int) -> bytes:
    """Case `case` of `seed`: the base export in some version's shape, one to three mutations,
    sometimes damaged."""
    rng = random.Random(f"{seed}:{case}")
    (version,) = rng.choices(VERSIONS, VERSION_WEIGHTS)
    doc = version(base_export())
    for _ in range(rng.choice([1, 1, 1, 2, 3])):
        mutate(rng, doc)
    raw = render(doc, rng)
    return damage(rng, raw) if rng.random() < 0.2 else raw


# -- one case through the replay --------------------------------------------------------------
@dataclass
class Tally:
    cases: int = 0
    succeeded: int = 0
    refused: Counter = field(default_factory=Counter)  # by kind
    errors: Counter = field(default_factory=Counter)  # by TrackerError class
    tracebacks: list[str] = field(default_factory=list)
    bad_lines: list[str] = field(default_factory=list)  # refusals that are not one clear line
    outcomes: dict[int, str] = field(default_factory=dict)  # case -> "ok" or the error line
    config: Path | None = None  # the config file the cases were replayed with

    @property
    def refused_total(self) -> int:
        return sum(self.refused.values())


def refusal_kind(exc: TrackerError, path: Path) -> str:
    """What a refusal was about, for the counts: the message without its path and numbers."""
    if isinstance(exc, UnknownChat):
        return "chat not in the config"
    text = str(exc).removeprefix(f"{path}: ")
    if text.startswith("not valid JSON"):
        return "not valid JSON"
    if text.startswith("the file is UTF-16"):
        return "UTF-16, not UTF-8"
    if "not a Telegram Desktop export" in text or re.search(r"is not (a list|an object)$", text):
        return "not an export"
    if text.startswith(("chat ", "the chat")):
        return "chat id, type or name"
    if text.startswith("unexpected layout"):
        return "layout"
    found = re.match(r"message #\d+(?: \(id [^)]*\))?: (.*)", text)
    if found is None:
        return "other"
    tail = found.group(1)
    if tail.startswith("expected an object"):
        return "message not an object"
    if "is outside 2000–2100" in tail:
        return "date outside 2000–2100"
    key = re.split(r"[:\s]", re.sub(r"\[\d+\]", "", tail), maxsplit=1)[0]
    groups = {
        "id": "message id",
        "type": "message type missing",
        "date_unixtime": "date not a unix time",
        "edited_unixtime": "date not a unix time",
        "text": "text or entities",
        "text_entities": "text or entities",
        "from": "sender or actor",
        "from_id": "sender or actor",
        "actor": "sender or actor",
        "actor_id": "sender or actor",
        "action": "sender or actor",
        "reply_to_message_id": "reply",
        "reply_to_peer_id": "reply",
        "media_type": "media",
        "sticker_emoji": "media",
        "date": "date not a unix time",
    }
    if key.startswith("reactions"):
        return "reactions"
    if key.startswith("text"):
        return "text or entities"
    return groups.get(key, f"other: {tail[:60]}")


@contextmanager
def chunk_bytes(size: int) -> Iterator[None]:
    """Runs of `size` bytes in the streamed reader: several runs even for a small export."""
    was = telegram_export._CHUNK_BYTES
    telegram_export._CHUNK_BYTES = size
    try:
        yield
    finally:
        telegram_export._CHUNK_BYTES = was


def replay_case(path: Path, config: Config, db: Path, digests: bool) -> None:
    """What `tracker replay` does, in process: open, select the chat, build the service on the
    database, replay, and write the --json reports."""
    opened = open_export(path, lambda _chat: ZONE)  # as the CLI: the chat's zone
    chats = select_chats(opened.chats, config, str(path))
    service, engine = build_service(config, f"sqlite:///{db}", REPLAYED, digests=digests)
    try:
        chat_ids = replay(chats, service, config)
        write_reports(engine, chat_ids, io.BytesIO())
    finally:
        engine.dispose()


def fuzz(cases: int, workdir: Path, seed: int = SEED, only: list[int] | None = None) -> Tally:
    """Cases 0..cases-1 of `seed` (or just `only`), each into a fresh copy of a migrated
    SQLite database."""
    tally = Tally(config=config_file(workdir))
    config = load_config(tally.config)
    template = workdir / "template.db"
    _, engine = build_service(config, f"sqlite:///{template}", REPLAYED)
    engine.dispose()
    path, db = workdir / "result.json", workdir / "case.db"
    for case in only if only is not None else range(cases):
        raw = case_bytes(seed, case)
        path.write_bytes(raw)
        shutil.copyfile(template, db)
        tally.cases += 1
        try:
            with chunk_bytes(random.Random(case).choice([1 << 20, 600, 3_000])):
                replay_case(path, config, db, digests=case % 2 == 0)
        except TrackerError as exc:
            line = str(exc)
            tally.errors[type(exc).__name__] += 1
            tally.refused[refusal_kind(exc, path)] += 1
            tally.outcomes[case] = line.replace(str(path), "<export>")
            one_line = "\n" not in line and "\r" not in line and len(line) < 600
            if not one_line or not line.startswith(f"{path}: "):
                tally.bad_lines.append(f"case {case}: {line[:800]!r}")
            if not isinstance(exc, ExportFormatError | UnknownChat):
                tally.tracebacks.append(f"case {case}: {type(exc).__name__}: {line[:300]}")
        except Exception:  # noqa: BLE001  (the point: anything else is a bug)
            tally.tracebacks.append(f"case {case}:\n{traceback.format_exc()[-3_000:]}")
            tally.outcomes[case] = "traceback"
        else:
            tally.succeeded += 1
            tally.outcomes[case] = "ok"
        for leftover in workdir.glob("case.db*"):
            leftover.unlink()
    return tally


def config_file(workdir: Path) -> Path:
    """The fuzz config as TOML, for the command line (JSON strings and arrays are TOML too)."""

    def value(v) -> str:
        if isinstance(v, dict):
            return "{ " + ", ".join(f"{k} = {value(x)}" for k, x in v.items()) + " }"
        if isinstance(v, list):
            return "[" + ", ".join(value(x) for x in v) + "]"
        return json.dumps(v, ensure_ascii=False)

    lines = ["[defaults]", *(f"{k} = {value(v)}" for k, v in CONFIG["defaults"].items())]
    for chat in CONFIG["chats"]:
        lines += ["", "[[chats]]", *(f"{k} = {value(v)}" for k, v in chat.items())]
    path = workdir / "tracker.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def pick_for_the_command_line(tally: Tally, count: int) -> list[int]:
    """`count` cases for the real `tracker replay`: one of each refusal line's kind first (as
    found in process), then successes, then the rest in order."""
    by_kind: dict[str, int] = {}
    for case, outcome in sorted(tally.outcomes.items()):
        if outcome not in ("ok", "traceback"):
            kind = re.sub(r"\d+", "N", outcome)[:50]
            by_kind.setdefault(kind, case)
    first = sorted(by_kind.values())
    random.Random(SEED).shuffle(first)
    successes = [case for case, outcome in sorted(tally.outcomes.items()) if outcome == "ok"]
    chosen = first[: count // 2] + successes[: count - min(count // 2, len(first))]
    rest = [case for case in sorted(tally.outcomes) if case not in chosen]
    return sorted((chosen + rest)[:count])


def run_tracker(*args) -> subprocess.CompletedProcess:
    return cli_runner.run_tracker(*args, columns=200)


def check_command_line(
    tally: Tally, cases: list[int], workdir: Path, seed: int = SEED
) -> tuple[Counter, list[str]]:
    """The real `tracker replay` on `cases` (odd ones with --json), two at a time: each must
    exit 0 with notes alone on stderr where the case replayed in process, or exit 2 with
    exactly the line found in process. Returns the counts and what went otherwise."""
    config = tally.config

    def replay_one(case: int) -> tuple[int, Path, subprocess.CompletedProcess]:
        path = workdir / f"case-{case}.json"
        path.write_bytes(case_bytes(seed, case))
        db = f"sqlite:///{workdir / f'case-{case}.db'}"
        as_json = ["--json"] if case % 2 else []
        return case, path, run_tracker("replay", path, "--config", config, "--db", db, *as_json)

    with ThreadPoolExecutor(2) as pool:
        results = list(pool.map(replay_one, cases))
    counts: Counter = Counter()
    problems = []
    for case, path, result in results:
        expected = tally.outcomes[case]
        where = f"case {case}: exit {result.returncode}: {result.stderr[-2_000:]}"
        if "Traceback" in result.stderr or "internal error" in result.stderr:
            problems.append(where)
        elif expected == "ok":
            notes = result.stderr.splitlines()
            fine = result.returncode == 0
            fine = fine and all(line.startswith("tracker: note: ") for line in notes)
            if fine and case % 2:
                fine = bool(json.loads(result.stdout)["chats"])
            counts["replayed"] += 1
            if not fine:
                problems.append(where)
        else:
            line = expected.replace("<export>", str(path))
            counts["refused in one line"] += 1
            if (result.returncode, result.stderr) != (2, f"tracker: error: {line}\n"):
                problems.append(f"{where}\nexpected: tracker: error: {line}")
    return counts, problems
