"""Structurally valid exports of every Telegram Desktop version, drawn by Hypothesis (issue 16):
the replay either gives its result or refuses in one line, never a traceback; and the same
messages give the same fines whichever version wrote them."""

from __future__ import annotations

import copy
import json
import shutil
import tempfile
from datetime import datetime
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.export_fuzz import (
    ZONE,
    as_before_2022,
    as_full_account,
    as_migrated,
    config_file,
    replay_case,
)
from tracker.adapters.db.engine import make_engine
from tracker.adapters.db.report_queries import chat_report
from tracker.config.loading import load_config
from tracker.entrypoints.bootstrap import build_service
from tracker.errors import TrackerError
from tracker.services.tracker import REPLAYED

T0 = 1_795_395_600  # 2026-11-23 09:00 in Shanghai
PEOPLE = {1001: "王总", 1002: "销售部-张三", 1003: "销售部-李四", 1009: "路人"}
PIECES = [
    {"type": "mention", "text": "@zhangsan"},
    {"type": "mention", "text": "@lisi"},
    {"type": "hashtag", "text": "#任务"},
    {"type": "hashtag", "text": "#通知"},
    {"type": "hashtag", "text": "#请假"},
    "收到",
    "好的",
    "把报表发我",
    "今天下班前",
    "明天全天",
    "没收到",
    "已完成",
    " ",
]


def local(unix: int) -> str:
    """The exporting computer's local time (Shanghai), as `date` holds it."""
    return datetime.fromtimestamp(unix, ZONE).strftime("%Y-%m-%dT%H:%M:%S")


@st.composite
def exports(draw) -> dict:
    count = draw(st.integers(1, 12))
    messages, at = [], T0
    for mid in range(1, count + 1):
        at += draw(st.integers(0, 3_000))
        who = draw(st.sampled_from(sorted(PEOPLE)))
        parts = draw(st.lists(st.sampled_from(PIECES), min_size=1, max_size=6))
        message = {
            "id": mid,
            "type": "message",
            "date": local(at),
            "date_unixtime": str(at),
            "from": PEOPLE[who],
            "from_id": f"user{who}",
            "text": parts,
            "text_entities": [p if isinstance(p, dict) else {"type": "plain", "text": p}
                              for p in parts],
        }  # fmt: skip
        if mid > 1 and draw(st.booleans()):
            message["reply_to_message_id"] = draw(st.integers(1, mid - 1))
        if draw(st.integers(0, 5)) == 0:
            listed = draw(st.sampled_from([1002, 1003]))
            recent = {"from": PEOPLE[listed], "from_id": f"user{listed}"}
            if draw(st.booleans()):  # dated as Telegram Desktop writes it: both forms
                when = at + draw(st.integers(0, 4_000))
                recent |= {"date": local(when), "date_unixtime": str(when)}
            count_of = draw(st.integers(1, 3))
            message["reactions"] = [
                {"type": "emoji", "count": count_of, "emoji": "👍", "recent": [recent]}
            ]
        messages.append(message)
    return {"name": "销售部工作群", "type": "private_supergroup", "id": 1987654321,
            "messages": messages}  # fmt: skip


def replayed(doc: dict, workdir: Path, config, template: Path) -> dict | str:
    """The chat's report, or the one line of a refusal."""
    path, db = workdir / "result.json", workdir / "tracker.db"
    path.write_text(json.dumps(doc, ensure_ascii=False, indent=1), encoding="utf-8")
    shutil.copy(template, db)
    try:
        replay_case(path, config, db, digests=False)
    except TrackerError as exc:
        line = str(exc)
        assert "\n" not in line and line.startswith(str(path)), line
        return line
    engine = make_engine(f"sqlite:///{db}")
    try:
        return chat_report(engine, -1001987654321)
    finally:
        engine.dispose()


def fines(report: dict) -> list[tuple]:
    return [(f["directive_message_id"] % 50_000, f["user_id"], f["rule"]) for f in report["fines"]]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(exports())
def test_every_version_of_an_export_replays_or_is_refused_in_one_line(doc):
    with tempfile.TemporaryDirectory() as folder:
        workdir = Path(folder)
        config = load_config(config_file(workdir))
        template = workdir / "template.db"
        _, engine = build_service(config, f"sqlite:///{template}", REPLAYED)
        engine.dispose()
        recent = replayed(copy.deepcopy(doc), workdir, config, template)
        assert isinstance(recent, dict), recent  # a valid export is never refused
        for version in (as_before_2022, as_full_account, as_migrated):
            other = replayed(version(copy.deepcopy(doc)), workdir, config, template)
            assert isinstance(other, dict), (version.__name__, other)
            if version is not as_migrated:  # the migrated one adds a task of its own
                assert fines(other) == fines(recent), version.__name__
