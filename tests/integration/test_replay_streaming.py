"""A replay streams its export, reports in a stream, and gives the same on PostgreSQL as on
SQLite. The export is a generated one (tests/bench/gen_export.py), small."""

from __future__ import annotations

import io
import json
import subprocess
from pathlib import Path

import orjson
import pytest
from sqlalchemy import select

from tests.bench.gen_export import generate
from tests.cli_runner import run_tracker
from tests.support import pg_url  # noqa: F401  (fixture)
from tracker.adapters.db import orm
from tracker.adapters.db.engine import make_engine
from tracker.adapters.db.report_queries import chat_report, digests_sent, write_reports
from tracker.adapters.telegram import export_reader as telegram_export
from tracker.adapters.telegram.export_reader import open_export
from tracker.config.loading import load_config
from tracker.domain.inbound import IncomingMessage
from tracker.entrypoints import replay as replay_module
from tracker.entrypoints.bootstrap import build_service
from tracker.entrypoints.replay import replay
from tracker.services.tracker import REPLAYED

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def export(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("export") / "result.json"
    generate(path, messages=2_000, members=20)
    return path


def test_the_replay_takes_items_as_the_file_is_read(export, tmp_path, monkeypatch):
    monkeypatch.setattr(telegram_export, "_CHUNK_BYTES", 16_384)
    config = load_config(f"{export}.toml")
    opened = open_export(export)
    (chat,) = opened.chats
    assert iter(chat.items) is chat.items  # a one-pass iterator, not a list held whole
    service, _ = build_service(config, f"sqlite:///{tmp_path / 't.db'}", REPLAYED)
    read_when_fed: list[int] = []
    handle = service.handle_message

    def spy(message: IncomingMessage) -> None:
        read_when_fed.append(opened.read)
        handle(message)

    monkeypatch.setattr(service, "handle_message", spy)
    replay(opened.chats, service, config)
    assert len(read_when_fed) > 1_900
    assert read_when_fed[0] < opened.size / 10  # the first message went in with the file unread
    assert read_when_fed == sorted(read_when_fed)
    assert len(set(read_when_fed)) > 20  # read run after run, as the replay went on
    assert opened.read == opened.size


def outcome(url: str, export: Path) -> tuple:
    """What a replay leaves: the --json report (and chat_report agrees with it byte for byte),
    and every outbox row."""
    config = load_config(f"{export}.toml")
    service, engine = build_service(config, url, REPLAYED)
    chat_ids = replay(open_export(export).chats, service, config)
    out = io.BytesIO()
    write_reports(engine, chat_ids, out)
    reports = [chat_report(engine, chat_id) for chat_id in chat_ids]
    assert out.getvalue() == orjson.dumps({"chats": reports}) + b"\n"
    box = orm.Outbox.__table__
    columns = [c for c in box.c if c.name not in ("id", "attachment")]
    with engine.connect() as conn:
        outbox = [tuple(r) for r in conn.execute(select(*columns).order_by(box.c.id))]
    assert service.digests_written[chat_ids[0]] == digests_sent(engine, chat_ids[0])
    engine.dispose()
    return json.loads(out.getvalue()), outbox


def test_postgresql_replays_exactly_as_sqlite(export, tmp_path, pg_url, monkeypatch):  # noqa: F811
    monkeypatch.setattr(replay_module, "BATCH", 300)  # commits and ANALYZE runs along the way
    on_sqlite = outcome(f"sqlite:///{tmp_path / 't.db'}", export)
    on_postgres = outcome(pg_url, export)
    report, outbox = on_sqlite
    assert len(report["chats"][0]["fines"]) > 50 and len(outbox) > 100
    assert on_postgres == on_sqlite


def run(*args) -> subprocess.CompletedProcess:
    return run_tracker(*args, columns=200, timeout=300)


def test_json_leaves_the_digests_out_and_the_summary_prints_them(export, tmp_path):
    config = f"{export}.toml"
    plain, quiet = f"sqlite:///{tmp_path / 'plain.db'}", f"sqlite:///{tmp_path / 'json.db'}"
    result = run("replay", export, "--config", config, "--db", quiet, "--json")
    assert result.returncode == 0, result.stderr
    engine = make_engine(quiet)  # to read: a writer's service would hold the lock
    (chat,) = json.loads(result.stdout)["chats"]
    with engine.connect() as conn:
        kinds = set(conn.execute(select(orm.Outbox.kind)).scalars())
        through = conn.execute(select(orm.Chat.digest_through)).scalar()
    assert "digest" not in kinds and "reminder" in " ".join(kinds)
    assert through is not None  # the days passed all the same: a live bot sends none of them

    first = run("replay", export, "--config", config, "--db", plain)
    assert first.returncode == 0, first.stderr
    engine = make_engine(plain)
    texts = digests_sent(engine, chat["id"])
    assert len(texts) >= 10 and first.stdout.count("日报（") == len(texts)
    again = run("replay", export, "--config", config, "--db", plain)  # now read back
    assert again.returncode == 0, again.stderr
    assert again.stdout.count("日报（") == len(texts)
    assert texts[-1].splitlines()[0] in again.stdout
