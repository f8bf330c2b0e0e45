"""The SQLite fast path writes exactly what SQLAlchemy's own executemany writes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from tracker.adapters.db import orm
from tracker.adapters.db.bulk import FAST_FROM, execute_many
from tracker.adapters.db.change_writes import _insert_ignoring
from tracker.adapters.db.engine import make_engine, migrate


def rows(n: int) -> list[dict]:
    shanghai = ZoneInfo("Asia/Shanghai")
    start = datetime(2026, 11, 23, 9, 0, 0, 123456, tzinfo=shanghai)
    return [
        {
            "dedupe_key": f"k{i}",
            "source_chat_id": -100,
            "target_chat_id": -100 - i % 3,
            "reply_to_message_id": i or None,
            "kind": "reminder",
            "text": f"提醒 {i} 👍",
            "mention_user_ids": "1,2",
            "status": "pending",
            "created_at": start + timedelta(minutes=i, microseconds=i),
            "attempts": 0,
            "claimed_until": None,
            "sent_at": None,
            "error": None,
        }
        for i in range(n)
    ]


def stored(url: str) -> list[tuple]:
    with make_engine(url).connect() as conn:
        return [tuple(r) for r in conn.execute(select(orm.Outbox.__table__).order_by("id"))]


def test_fast_path_and_sqlalchemy_path_store_the_same(tmp_path):
    data = rows(FAST_FROM * 3)
    urls = [f"sqlite:///{tmp_path / name}" for name in ("fast.db", "slow.db")]
    for url in urls:
        migrate(make_engine(url))
    stmt = _insert_ignoring("sqlite")["outbox"]
    with make_engine(urls[0]).begin() as conn:
        execute_many(conn, stmt, data)
    with make_engine(urls[1]).begin() as conn:
        conn.execute(stmt, data)
    fast, slow = stored(urls[0]), stored(urls[1])
    assert fast == slow and len(fast) == len(data)
    created = fast[5][9]
    assert created.tzinfo is UTC and created == data[5]["created_at"]


def test_fast_path_ignores_conflicts_like_the_normal_path(tmp_path):
    url = f"sqlite:///{tmp_path / 't.db'}"
    migrate(make_engine(url))
    stmt = _insert_ignoring("sqlite")["outbox"]
    data = rows(FAST_FROM * 2)
    with make_engine(url).begin() as conn:
        execute_many(conn, stmt, data)
        execute_many(conn, stmt, data)
    assert len(stored(url)) == len(data)


def test_a_replay_stores_the_same_rows_with_and_without_the_fast_path(tmp_path, monkeypatch):
    import tracker.adapters.db.bulk as bulk
    from tests.bench.gen_export import generate
    from tracker.adapters.telegram.export_reader import read_export
    from tracker.config.loading import load_config
    from tracker.entrypoints.bootstrap import build_service
    from tracker.entrypoints.replay import replay

    export = tmp_path / "export.json"
    generate(export, messages=3_000, members=30)
    config = load_config(f"{export}.toml")
    dumps = []
    for name, fast_from in (("fast", bulk.FAST_FROM), ("slow", 10**9)):
        monkeypatch.setattr(bulk, "FAST_FROM", fast_from)
        service, engine = build_service(config, f"sqlite:///{tmp_path / name}.db", "replayed")
        replay(read_export(export), service, config)
        with engine.connect() as conn:
            dumps.append(
                [
                    [tuple(r) for r in conn.execute(select(table).order_by(*table.primary_key))]
                    for table in orm.Base.metadata.sorted_tables
                ]
            )
    assert dumps[0] == dumps[1]
    assert sum(len(rows) for rows in dumps[0]) > 1_000
