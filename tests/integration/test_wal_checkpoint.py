"""The live bot's SQLite WAL is checkpointed off the update path: no commit copies it back."""

from __future__ import annotations

from sqlalchemy import text

from tracker.adapters.db.engine import checkpoint, make_engine

PAGE = 4096


def write_many_pages(engine, commits: int = 120) -> None:
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE IF NOT EXISTS t (id INTEGER PRIMARY KEY, blob BLOB)"))
    for _ in range(commits):
        with engine.begin() as conn:  # each commit ~16 pages: 120 of them pass the 1,000 pages
            insert = text("INSERT INTO t (blob) VALUES (randomblob(:size))")
            conn.execute(insert, {"size": 16 * PAGE})


def test_commits_never_checkpoint_and_the_job_does(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'live.db'}", manual_checkpoints=True)
    write_many_pages(engine)
    wal = tmp_path / "live.db-wal"
    # SQLite's default would have checkpointed (and restarted the WAL) at 1,000 pages
    assert wal.stat().st_size > 1_500 * PAGE
    assert (tmp_path / "live.db").stat().st_size < 100 * PAGE
    checkpoint(engine)
    assert (tmp_path / "live.db").stat().st_size > 1_500 * PAGE


def test_by_default_commits_checkpoint(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'replay.db'}")
    write_many_pages(engine)
    assert (tmp_path / "replay.db-wal").stat().st_size < 1_200 * PAGE
