"""`tracker replay`: an exported chat history through the rules, offline, with its summary."""

from __future__ import annotations

import enum
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TaskProgressColumn, TimeRemainingColumn

from tracker.entrypoints.cli.common import ConfigOpt, DbOpt, app, fail, parse_until
from tracker.errors import BadRequest, TrackerError

PROGRESS_FROM = 8_000_000  # bytes of export; smaller files finish before a bar is worth it


class Reactions(enum.StrEnum):
    COUNT = "count"
    IGNORE = "ignore"


OnlyChatOpt = Annotated[
    int | None, typer.Option("--chat", help="replay this chat only (Bot API or export id)")
]
ReactionsOpt = Annotated[
    Reactions,
    typer.Option(
        help="count: a dated 👍 acknowledges, one without a date or by reactors the export "
        "does not name marks the no_ack fines there 待核实; ignore: no reaction counts"
    ),
]
ExportZoneOpt = Annotated[
    str | None,
    typer.Option(
        help="zone of the local times in an export older than 2022 (no date_unixtime); "
        "default: the chat's timezone"
    ),
]


@app.command()
def replay(
    export: Annotated[Path, typer.Argument(help="result.json of a Telegram Desktop export")],
    config: ConfigOpt = Path("config/tracker.toml"),
    until: Annotated[str | None, typer.Option(help="run the clock to this ISO time")] = None,
    db: DbOpt = None,
    as_json: Annotated[bool, typer.Option("--json", help="machine-readable output")] = False,
    chat: OnlyChatOpt = None,
    reactions: ReactionsOpt = Reactions.COUNT,
    export_timezone: ExportZoneOpt = None,
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
        zone = _zone(export_timezone)
        opened = open_export(
            export, lambda cid: zone or _chat_zone(cfg, cid), reactions is Reactions.COUNT
        )
        chats = select_chats(opened.chats, cfg, str(export), chat)
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
    _notes(chats)
    if as_json:
        return
    _print_summaries(reports, cfg, service, engine, known)


def _notes(chats) -> None:
    """What the replay left out, and how it read the times of an old export, on stderr."""
    for c in chats:
        for reason, count in c.skipped.items():
            print(f"tracker: note: {c.name}: skipped {count} item(s): {reason}", file=sys.stderr)
        if c.notes.local_times:
            print(
                f"tracker: note: {c.name}: {c.notes.local_times} message(s) have no "
                "date_unixtime (an export older than 2022): their local times were read in "
                f"{c.notes.zone.key} (--export-timezone to change)",
                file=sys.stderr,
            )
        if c.notes.renumbered:
            print(
                f"tracker: note: {c.name}: {c.notes.renumbered} message(s) from before the "
                "group became a supergroup: their ids were moved below the supergroup's "
                "(made negative), as the supergroup's start again at 1",
                file=sys.stderr,
            )


def _zone(name: str | None):
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    if name is None:
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise BadRequest(
            f"--export-timezone: unknown time zone {name!r} (a name like Asia/Shanghai)"
        ) from None


def _chat_zone(cfg, chat_id: int):
    """The zone of the chat the config names, else the defaults' (the chat is refused later)."""
    settings = cfg.find_export_chat(chat_id)
    return (settings.rules if settings is not None else cfg.defaults).timezone


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
