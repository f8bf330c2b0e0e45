"""`tracker replay`: an exported chat history through the rules, offline, with its summary."""

from __future__ import annotations

import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TaskProgressColumn, TimeRemainingColumn

from tracker.entrypoints.cli.common import ConfigOpt, DbOpt, app, fail, parse_until
from tracker.errors import TrackerError

PROGRESS_FROM = 8_000_000  # bytes of export; smaller files finish before a bar is worth it


@app.command()
def replay(
    export: Annotated[Path, typer.Argument(help="result.json of a Telegram Desktop export")],
    config: ConfigOpt = Path("config/tracker.toml"),
    until: Annotated[str | None, typer.Option(help="run the clock to this ISO time")] = None,
    db: DbOpt = None,
    as_json: Annotated[bool, typer.Option("--json", help="machine-readable output")] = False,
) -> None:
    """Run an exported chat history through the rules, offline."""
    from tracker.adapters.db.report_queries import (
        chat_report,
        stored_chats,
        write_reports,
    )
    from tracker.adapters.telegram.export_reader import open_export
    from tracker.config.loading import load_config
    from tracker.entrypoints.bootstrap import build_service
    from tracker.entrypoints.replay import replay as run_replay
    from tracker.entrypoints.replay import select_chats
    from tracker.services.tracker import REPLAYED

    try:
        stop = parse_until(until)
        cfg = load_config(config)
        opened = open_export(export)
        chats = select_chats(opened.chats, cfg, str(export))
        # --json does not show the digests: their days pass without writing them
        service, engine = build_service(cfg, db, outbox_status=REPLAYED, digests=not as_json)
        known = set() if as_json else stored_chats(engine)  # before this replay
        with _progress_bar(opened) as progress:
            chat_ids = run_replay(chats, service, cfg, stop, progress=progress)
        if as_json:
            write_reports(engine, chat_ids, sys.stdout.buffer)
            reports = []
        else:
            reports = [chat_report(engine, cid, detail=True) for cid in chat_ids]
    except TrackerError as exc:
        fail(exc)
    for c in chats:
        for reason, count in c.skipped.items():
            print(f"tracker: note: {c.name}: skipped {count} item(s): {reason}", file=sys.stderr)
    if as_json:
        return
    _print_summaries(reports, cfg, service, engine, known)


@contextmanager
def _progress_bar(opened):
    """A bar on stderr while a big export is read; yields the replay's progress callback."""
    with Progress(
        "回放",
        BarColumn(),
        TaskProgressColumn(),
        TimeRemainingColumn(),
        console=Console(stderr=True),
        transient=True,
        disable=opened.size - opened.read < PROGRESS_FROM,
    ) as bar:
        task = bar.add_task("replay", total=opened.size)
        yield lambda _items: bar.update(task, completed=opened.read)


def _print_summaries(reports, cfg, service, engine, known: set[int]) -> None:
    """Each chat's summary, then the digests this replay wrote for it (or, for a chat the
    database held before, those it holds)."""
    from tracker.adapters.db.report_queries import digests_sent
    from tracker.texts.summary import print_summary

    console = Console()
    for report in reports:
        settings = cfg.find_chat(report["id"])
        state = service.engine.chats.get(report["id"])
        print_summary(console, report, settings, state.ticked_until if state else None)
        # written by this replay, unless the database held the chat before
        texts = (
            digests_sent(engine, report["id"])
            if report["id"] in known
            else service.digests_written.get(report["id"], [])
        )
        for text in texts:
            console.print(f"\n[bold]日报（{settings.name}）[/bold]")
            console.print(text, markup=False, highlight=False, soft_wrap=True)
