"""Reports for managers and finance: `tracker digest`, `stats`, `export`, `chats`. They read
the config and the database; errors are one line, exit status 2."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from tracker.entrypoints.cli.common import (
    ChatOpt,
    ConfigOpt,
    DbOpt,
    MonthOpt,
    app,
    counting,
    fail,
    now,
    parse_day,
    parse_month,
)
from tracker.entrypoints.cli.database import (
    chat_settings,
    open_chat,
    open_database,
    settings_lookup,
)
from tracker.errors import BadRequest, TrackerError


class FileFormat(StrEnum):
    xlsx = "xlsx"
    csv = "csv"


@app.command()
def digest(
    chat: ChatOpt,
    day: Annotated[str | None, typer.Option("--date", help="the day (default: today)")] = None,
    config: ConfigOpt = Path("config/tracker.toml"),
    db: DbOpt = None,
) -> None:
    """Print a chat's daily overdue digest (as of the digest time, or now if earlier)."""
    from tracker.adapters.db.repository import Repository
    from tracker.domain.digest import DigestSchedule
    from tracker.services.reports import digest_report

    try:
        cfg, engine, settings = open_chat(config, db, chat)
        rules = settings.rules
        wanted = parse_day(day, "--date", rules.timezone)
        schedule = DigestSchedule(rules.timezone, rules.digest_time, rules.calendar)
        at = min(now(), schedule.instant(wanted))
        if at < datetime.combine(wanted, time(0), tzinfo=rules.timezone):
            raise BadRequest(f"--date: {wanted} is in the future")
        print(digest_report(Repository(engine), settings, wanted, at))
    except TrackerError as exc:
        fail(exc)


@app.command()
def stats(
    chat: ChatOpt,
    since: Annotated[str | None, typer.Option(help="first day (default: 30 days ago)")] = None,
    config: ConfigOpt = Path("config/tracker.toml"),
    db: DbOpt = None,
) -> None:
    """Print acknowledgement statistics per member since a day."""
    from tracker.adapters.db.repository import Repository
    from tracker.services.reports import stats_report

    try:
        cfg, engine, settings = open_chat(config, db, chat)
        zone = settings.rules.timezone
        first = (
            parse_day(since, "--since", zone)
            if since
            else now().astimezone(zone).date() - (timedelta(days=30))
        )
        print(stats_report(Repository(engine), settings, first, now()))
    except TrackerError as exc:
        fail(exc)


@app.command()
def export(
    month: MonthOpt,
    chat: Annotated[int | None, typer.Option("--chat", help="one chat only")] = None,
    fmt: Annotated[
        FileFormat, typer.Option("--format", help="the file's format")
    ] = FileFormat.xlsx,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="file to write")] = None,
    config: ConfigOpt = Path("config/tracker.toml"),
    db: DbOpt = None,
) -> None:
    """Write a month's fines for finance: XLSX (fines + totals) or CSV (UTF-8 with BOM)."""
    from tracker.adapters.files.fine_export import export_month
    from tracker.texts.common import money

    try:
        fmt = FileFormat(fmt).value
        period = parse_month(month)
        cfg, engine = open_database(config, db)
        chats = None if chat is None else [chat_settings(cfg, engine, chat).chat_id]
        target = output or Path(f"fines-{period}.{fmt}")
        if target.is_dir():
            raise BadRequest(f"--output: {target} is a directory; give a file name")
        try:
            with counting("导出", "条") as progress:
                result = export_month(
                    engine, period, target, fmt, chats, settings_lookup(cfg, engine), progress
                )
        except OSError as exc:
            raise BadRequest(f"--output: cannot write {target}: {exc.strerror}") from None
    except TrackerError as exc:
        fail(exc)
    print(
        f"wrote {target}: {result.fines} fine(s) of {period}, total {money(result.total_fen)} "
        "(waived fines listed, not counted)"
    )


@app.command()
def chats(
    config: ConfigOpt = Path("config/tracker.toml"),
    db: DbOpt = None,
) -> None:
    """List the chats and members the database knows, with their numeric ids (for the config)."""
    from tracker.adapters.db.roster_queries import known_chats

    try:
        cfg, engine = open_database(config, db)
        with engine.connect() as conn:
            found = known_chats(conn, lambda c: getattr(cfg.find_chat(c), "members", ()))
    except TrackerError as exc:
        fail(exc)
    if not found:
        print("the database knows no chat yet: add the bot to a group, or replay an export")
        return
    for chat in found:
        where = "in the config" if cfg.find_chat(chat.chat_id) else "not in the config"
        print(f"{chat.chat_id}  {chat.title or '(no title)'}  ({where})")
        for m in chat.members:
            at = f" @{m.username}" if m.username else ""
            gone = "  (left the chat)" if m.left else ""
            print(f"    {m.user_id:>12}  {m.name or '(name not seen)'}{at}{gone}")


@app.command()
def rules(
    chat: ChatOpt,
    config: ConfigOpt = Path("config/tracker.toml"),
) -> None:
    """Print a chat's rules in Chinese, as the bot posts them (/settings): check them against
    your own 群规 before turning the bot on. Reads the config only."""
    from tracker.config.loading import load_config
    from tracker.domain.chat_state import ChatState
    from tracker.errors import UnknownChat
    from tracker.texts import answers

    try:
        cfg = load_config(config)
        settings = cfg.find_export_chat(chat)
        if settings is None:
            raise UnknownChat(f"{config}: no chat {chat} in the config (see `tracker chats`)")
    except TrackerError as exc:
        fail(exc)
    roster = ChatState.fresh(settings).roster
    leaders = [roster.name(user) for user in sorted(settings.leaders)]
    print(f"{settings.name}（{settings.chat_id}）")
    print(answers.settings(settings.rules, leaders, now().year))
