"""What every command shares: the typer `app`, the common options, the one-line failure,
the parsing of times, days and months given on the command line, and a progress count."""

from __future__ import annotations

import sys
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Annotated

import typer

from tracker.errors import BadRequest, TrackerError

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    help="Response-deadline bot for work group chats.",
)

DEFAULT_CONFIG = Path("config/tracker.toml")
ConfigOpt = Annotated[Path, typer.Option("--config", "-c", help="TOML config file")]
DbOpt = Annotated[
    str | None,
    typer.Option("--db", help="database URL (default: config, else sqlite:///tracker.db)"),
]
ChatOpt = Annotated[int, typer.Option("--chat", help="chat id (Bot API or export id)")]
MonthOpt = Annotated[str, typer.Option("--month", help="ledger month, e.g. 2026-11")]


def _version(show: bool) -> None:
    if show:
        from importlib.metadata import PackageNotFoundError, version

        try:
            print(f"tracker {version('tracker')}")
        except PackageNotFoundError:  # run from a checkout that was never installed
            print("tracker (not installed: version unknown)")
        raise typer.Exit()


@app.callback()
def _options(
    show_version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="print the version"),
    ] = False,
) -> None:
    """Response-deadline bot for work group chats. Output: English here, Chinese in the
    chats and in what the bot writes for them (summaries, digests, statistics, exports)."""


def fail(exc: TrackerError) -> None:
    """The error as one line on stderr, and the exit status its kind asks for."""
    print(f"tracker: error: {exc}", file=sys.stderr)
    raise typer.Exit(exc.exit_code)


def now() -> datetime:
    """The wall clock, read here for the commands that act "as of now"."""
    return datetime.now(UTC)


def parse_until(value: str | None) -> datetime | None:
    if value is None:
        return None
    try:
        at = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise BadRequest(
            f"--until: expected an ISO time like 2026-11-24T18:00+08:00, got {value!r}"
        ) from None
    return at.astimezone(UTC) if at.tzinfo else at.replace(tzinfo=UTC)


def parse_month(value: str) -> str:
    from tracker.domain.periods import parse_month as month

    try:
        return month(value)
    except ValueError as exc:
        raise BadRequest(f"--month: {exc}") from None


def parse_day(value: str | None, option: str, zone) -> date:
    """The day given with `option` (today in `zone` when none), within the supported years."""
    if value is None:
        return now().astimezone(zone).date()
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


@contextmanager
def counting(what: str, unit: str):
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
