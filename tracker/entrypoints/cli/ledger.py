"""The fines ledger for finance: `tracker fines mark-paid`, `tracker month close`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from tracker.entrypoints.cli.common import ConfigOpt, DbOpt, MonthOpt, app, fail, now, parse_month
from tracker.entrypoints.cli.database import chat_settings, open_database
from tracker.errors import BadRequest, TrackerError

fines_app = typer.Typer(no_args_is_help=True, help="The fines ledger.")
month_app = typer.Typer(no_args_is_help=True, help="Ledger months.")
app.add_typer(fines_app, name="fines")
app.add_typer(month_app, name="month")


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
    from tracker.adapters.db.roster_queries import find_member
    from tracker.adapters.db.unit_of_work import SqlUnitOfWork
    from tracker.services import ledger
    from tracker.texts.common import money

    try:
        period = parse_month(month)
        cfg, engine = open_database(config, db)
        chats = None if chat is None else [chat_settings(cfg, engine, chat).chat_id]
        configured = [
            m for c in cfg.chats if chats is None or c.chat_id in chats for m in c.members
        ]
        with engine.connect() as conn:
            user_id, name = find_member(conn, member, chats, configured)
        count, fen = ledger.mark_paid(SqlUnitOfWork(engine), period, user_id, now(), chats)
        if not count:
            raise BadRequest(f"--member: {name} ({user_id}) has no unpaid fines in {period}")
    except TrackerError as exc:
        fail(exc)
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
        fail(BadRequest("--month: which month to close, e.g. --month 2026-11"))
    from tracker.adapters.db.unit_of_work import SqlUnitOfWork
    from tracker.domain.periods import month_bounds
    from tracker.services import ledger

    try:
        period = parse_month(month)
        cfg, engine = open_database(config, db)
        at = now()
        zones = [c.rules.timezone for c in cfg.chats] or [cfg.defaults.timezone]
        if any(month_bounds(period, z)[1] > at for z in zones):
            raise BadRequest(f"{period} has not ended yet: a month is closed after its last day")
        before = ledger.close_month(SqlUnitOfWork(engine), period, at)
    except TrackerError as exc:
        fail(exc)
    if before is not None:
        local = before.astimezone(cfg.defaults.timezone)
        print(f"{period} was already closed at {local.isoformat(sep=' ', timespec='seconds')}")
        return
    print(f"closed {period}: its fines can no longer change")
