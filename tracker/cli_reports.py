"""Command line for managers and finance: `digest`, `stats`, `export`, `fines mark-paid`,
`month close`. Each reads the config and the database; errors are one line, exit status 2."""

from __future__ import annotations

from contextlib import contextmanager
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from tracker.cli import ConfigOpt, DbOpt, _fail, app
from tracker.errors import BadRequest, DatabaseError, TrackerError, UnknownChat

fines_app = typer.Typer(no_args_is_help=True, help="The fines ledger.")
month_app = typer.Typer(no_args_is_help=True, help="Ledger months.")
app.add_typer(fines_app, name="fines")
app.add_typer(month_app, name="month")

DEFAULT_CONFIG = Path("config/tracker.toml")


class FileFormat(StrEnum):
    xlsx = "xlsx"
    csv = "csv"


@contextmanager
def _counting(what: str, unit: str):
    """A running count on stderr while long work goes on, on a terminal only; yields the
    callback that takes the count so far."""
    from rich.console import Console
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    console = Console(stderr=True)
    with Progress(
        SpinnerColumn(),
        TextColumn(f"{what} {{task.completed:,}} {unit}"),
        TimeElapsedColumn(),
        console=console,
        transient=True,
        disable=not console.is_terminal,
    ) as bar:
        task = bar.add_task(what, total=None)
        yield lambda done: bar.update(task, completed=done)


ChatOpt = Annotated[int, typer.Option("--chat", help="chat id (Bot API or export id)")]
MonthOpt = Annotated[str, typer.Option("--month", help="ledger month, e.g. 2026-11")]


def _now() -> datetime:
    return datetime.now(UTC)


def _open(config: Path, db: str | None):
    """(config, database engine), migrated. With `--db` and no config file at the default
    place, the config's defaults are used (every chat as the live bot adopted it). A SQLite
    file that does not exist is refused: these commands read, and a mistyped path would
    otherwise become a new empty database."""
    from tracker.adapters.db import make_engine, migrate, missing_sqlite_file
    from tracker.config import load_config, parse_config

    if db is not None and config == DEFAULT_CONFIG and not config.exists():
        cfg = parse_config({}, f"(no {config}: the defaults)")
    else:
        cfg = load_config(config)
    url = db or cfg.database_url
    if (missing := missing_sqlite_file(url)) is not None:
        raise DatabaseError(
            f"database file {missing} does not exist: check --db (or database_url in "
            f"{cfg.source}); `tracker run` or `tracker replay` create it"
        )
    engine = make_engine(url)
    migrate(engine)
    return cfg, engine


def _open_chat(config: Path, db: str | None, chat_id: int):
    """(config, database engine, the chat's settings)."""
    cfg, engine = _open(config, db)
    return cfg, engine, _settings(cfg, engine, chat_id)


def _settings(cfg, engine, chat_id: int):
    """The chat's settings from the config (`--chat` may be its export id, as in the export
    file the operator has at hand), or as the live bot adopted it."""
    from tracker.adapters.repository import Repository

    found = cfg.find_export_chat(chat_id)
    if found is not None:
        return found
    for settings, _ in Repository(engine).adopted_chats(cfg.defaults):
        if settings.chat_id == chat_id:
            return settings
    known = Repository(engine).stored_chat(chat_id, cfg.defaults)  # e.g. `--db` alone
    if known is not None:
        return known
    raise UnknownChat(
        f"chat {chat_id} is neither in {cfg.source} nor known to the database {engine.url!r}"
    )


def _lookup(cfg, engine):
    """Chat settings by id: the config's, else as the live bot adopted the chat (with the
    config's defaults), so the file reads every chat as the bot does."""
    from tracker.adapters.repository import Repository

    adopted = {s.chat_id: s for s, _ in Repository(engine).adopted_chats(cfg.defaults)}
    return lambda chat_id: cfg.find_chat(chat_id) or adopted.get(chat_id)


def _month(value: str) -> str:
    from tracker.domain.periods import parse_month

    try:
        return parse_month(value)
    except ValueError as exc:
        raise BadRequest(f"--month: {exc}") from None


def _day(value: str | None, option: str, zone) -> date:
    if value is None:
        return _now().astimezone(zone).date()
    from tracker.domain.periods import YEARS

    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise BadRequest(f"{option}: expected a date like 2026-11-23, got {value!r}") from None
    if day.year > YEARS[-1]:  # before the zone's offset overflows the year 9999
        raise BadRequest(f"{option}: {day} is in the future")
    if day.year < YEARS[0]:
        raise BadRequest(f"{option}: expected a date from {YEARS[0]}-01-01 on, got {value!r}")
    return day


@app.command()
def digest(
    chat: ChatOpt,
    day: Annotated[str | None, typer.Option("--date", help="the day (default: today)")] = None,
    config: ConfigOpt = Path("config/tracker.toml"),
    db: DbOpt = None,
) -> None:
    """Print a chat's daily overdue digest (as of the digest time, or now if earlier)."""
    from tracker.digest_texts import digest_text
    from tracker.digests import collect
    from tracker.domain.digest import DigestSchedule

    try:
        cfg, engine, settings = _open_chat(config, db, chat)
        rules = settings.rules
        wanted = _day(day, "--date", rules.timezone)
        schedule = DigestSchedule(rules.timezone, rules.digest_time, rules.calendar)
        at = min(_now(), schedule.instant(wanted))
        if at < datetime.combine(wanted, time(0), tzinfo=rules.timezone):
            raise BadRequest(f"--date: {wanted} is in the future")
        with engine.connect() as conn:
            print(digest_text(collect(conn, settings, wanted, at)))
    except TrackerError as exc:
        _fail(exc)


@app.command()
def stats(
    chat: ChatOpt,
    since: Annotated[str | None, typer.Option(help="first day (default: 30 days ago)")] = None,
    config: ConfigOpt = Path("config/tracker.toml"),
    db: DbOpt = None,
) -> None:
    """Print acknowledgement statistics per member since a day."""
    from tracker.stats_report import stats_report

    try:
        cfg, engine, settings = _open_chat(config, db, chat)
        zone = settings.rules.timezone
        first = (
            _day(since, "--since", zone)
            if since
            else _now().astimezone(zone).date() - (timedelta(days=30))
        )
        with engine.connect() as conn:
            print(stats_report(conn, settings, first, _now()))
    except TrackerError as exc:
        _fail(exc)


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
    from tracker.adapters.fine_export import export_month
    from tracker.messages import money

    try:
        fmt = FileFormat(fmt).value
        period = _month(month)
        cfg, engine = _open(config, db)
        chats = None if chat is None else [_settings(cfg, engine, chat).chat_id]
        target = output or Path(f"fines-{period}.{fmt}")
        if target.is_dir():
            raise BadRequest(f"--output: {target} is a directory; give a file name")
        try:
            with _counting("导出", "条") as progress:
                result = export_month(
                    engine, period, target, fmt, chats, _lookup(cfg, engine), progress
                )
        except OSError as exc:
            raise BadRequest(f"--output: cannot write {target}: {exc.strerror}") from None
    except TrackerError as exc:
        _fail(exc)
    print(
        f"wrote {target}: {result.fines} fine(s) of {period}, total {money(result.total_fen)} "
        "(waived fines listed, not counted)"
    )


@fines_app.command("mark-paid")
def mark_paid(
    month: MonthOpt,
    member: Annotated[
        str, typer.Option("--member", help="the member: user id, @username or name")
    ],
    chat: Annotated[int | None, typer.Option("--chat", help="one chat only")] = None,
    config: ConfigOpt = Path("config/tracker.toml"),
    db: DbOpt = None,
) -> None:
    """Record that a member paid the month's booked fines."""
    from tracker.adapters import ledger
    from tracker.adapters.roster_queries import find_member
    from tracker.messages import money

    try:
        period = _month(month)
        cfg, engine = _open(config, db)
        chats = None if chat is None else [_settings(cfg, engine, chat).chat_id]
        with engine.begin() as conn:
            configured = [
                m for c in cfg.chats if chats is None or c.chat_id in chats for m in c.members
            ]
            user_id, name = find_member(conn, member, chats, configured)
            count, fen = ledger.mark_paid(conn, period, user_id, None, _now(), chats)
        if not count:
            raise BadRequest(f"--member: {name} ({user_id}) has no unpaid fines in {period}")
    except TrackerError as exc:
        _fail(exc)
    print(f"marked {count} fine(s) of {name} ({user_id}) in {period} as paid: {money(fen)}")


@month_app.command("close")
def close(
    month_arg: Annotated[
        str | None,
        typer.Argument(metavar="[MONTH]", help="the same as --month", show_default=False),
    ] = None,
    month: Annotated[
        str | None, typer.Option("--month", help="ledger month, e.g. 2026-11")
    ] = None,
    config: ConfigOpt = Path("config/tracker.toml"),
    db: DbOpt = None,
) -> None:
    """Close a ledger month: its fines no longer change (corrections become reversals)."""
    month = month or month_arg
    if month is None:
        _fail(BadRequest("--month: which month to close, e.g. --month 2026-11"))
    from tracker.adapters import ledger
    from tracker.domain.periods import month_bounds

    try:
        period = _month(month)
        cfg, engine = _open(config, db)
        now = _now()
        zones = [c.rules.timezone for c in cfg.chats] or [cfg.defaults.timezone]
        if any(month_bounds(period, z)[1] > now for z in zones):
            raise BadRequest(f"{period} has not ended yet: a month is closed after its last day")
        with engine.begin() as conn:
            before = ledger.close_month(conn, period, now)
    except TrackerError as exc:
        _fail(exc)
    if before is not None:
        local = before.astimezone(cfg.defaults.timezone)
        print(f"{period} was already closed at {local.isoformat(sep=' ', timespec='seconds')}")
        return
    print(f"closed {period}: its fines can no longer change")


@app.command()
def chats(
    config: ConfigOpt = Path("config/tracker.toml"),
    db: DbOpt = None,
) -> None:
    """List the chats and members the database knows, with their numeric ids (for the config)."""
    from tracker.adapters.roster_queries import known_chats

    try:
        cfg, engine = _open(config, db)
        with engine.connect() as conn:
            found = known_chats(conn, lambda c: getattr(cfg.find_chat(c), "members", ()))
    except TrackerError as exc:
        _fail(exc)
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
