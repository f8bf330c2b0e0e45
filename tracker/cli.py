"""Command line: `tracker replay`, `tracker migrate`. Errors are one line and a non-zero exit."""

from __future__ import annotations

import os
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import orjson
import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

from tracker.errors import TrackerError

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    help="Response-deadline bot for work group chats.",
)
PROGRESS_FROM = 20_000  # items; smaller files finish before a bar is worth drawing

ConfigOpt = Annotated[Path, typer.Option("--config", "-c", help="TOML config file")]
DbOpt = Annotated[
    str | None,
    typer.Option("--db", help="database URL (default: config, else sqlite:///tracker.db)"),
]


def _fail(exc: TrackerError) -> None:
    print(f"tracker: error: {exc}", file=sys.stderr)
    raise typer.Exit(exc.exit_code)


def _parse_until(value: str | None) -> datetime | None:
    if value is None:
        return None
    try:
        at = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        print(
            f"tracker: error: --until: expected an ISO time like 2026-11-24T18:00+08:00, "
            f"got {value!r}",
            file=sys.stderr,
        )
        raise typer.Exit(2) from None
    return at.astimezone(UTC) if at.tzinfo else at.replace(tzinfo=UTC)


@app.command()
def replay(
    export: Annotated[Path, typer.Argument(help="result.json of a Telegram Desktop export")],
    config: ConfigOpt = Path("config/tracker.toml"),
    until: Annotated[str | None, typer.Option(help="run the clock to this ISO time")] = None,
    db: DbOpt = None,
    as_json: Annotated[bool, typer.Option("--json", help="machine-readable output")] = False,
) -> None:
    """Run an exported chat history through the rules, offline."""
    from tracker.adapters.reports import chat_report
    from tracker.adapters.telegram_export import read_export
    from tracker.bootstrap import build_service
    from tracker.config import load_config
    from tracker.replay import replay as run_replay
    from tracker.replay import select_chats
    from tracker.services import REPLAYED
    from tracker.summary import print_summary

    stop = _parse_until(until)
    try:
        cfg = load_config(config)
        chats = select_chats(read_export(export), cfg, str(export))
        service, engine = build_service(cfg, db, outbox_status=REPLAYED)
        total = sum(len(c.items) for c in chats)
        with Progress(
            "回放",
            BarColumn(),
            MofNCompleteColumn(),
            TimeRemainingColumn(),
            console=Console(stderr=True),
            transient=True,
            disable=total < PROGRESS_FROM,
        ) as bar:
            task = bar.add_task("replay", total=total)
            chat_ids = run_replay(
                chats, service, cfg, stop, progress=lambda n: bar.update(task, completed=n)
            )
        reports = [chat_report(engine, cid, detail=not as_json) for cid in chat_ids]
    except TrackerError as exc:
        _fail(exc)
    for c in chats:
        for reason, count in c.skipped.items():
            print(f"tracker: note: {c.name}: skipped {count} item(s): {reason}", file=sys.stderr)
    if as_json:
        sys.stdout.buffer.write(orjson.dumps({"chats": reports}) + b"\n")
        return
    from tracker.adapters.reports import digests_sent

    console = Console()
    for report in reports:
        print_summary(console, report, cfg.find_chat(report["id"]))
        for text in digests_sent(engine, report["id"]):
            console.print(f"\n[bold]日报（{cfg.find_chat(report['id']).name}）[/bold]")
            console.print(text, markup=False, highlight=False, soft_wrap=True)


@app.command()
def run(
    config: ConfigOpt = Path("config/tracker.toml"),
    db: DbOpt = None,
    base_url: Annotated[
        str | None, typer.Option(help="another Bot API server, e.g. http://127.0.0.1:8081/bot")
    ] = None,
    webhook_url: Annotated[
        str | None, typer.Option(help="public HTTPS URL: use a webhook instead of long polling")
    ] = None,
    listen: Annotated[str, typer.Option(help="webhook listen address")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="webhook port")] = 8443,
    secret: Annotated[
        str | None, typer.Option(envvar="TRACKER_WEBHOOK_SECRET", help="webhook secret token")
    ] = None,
) -> None:
    """Run the live bot (token from TELEGRAM_BOT_TOKEN)."""
    from tracker.bootstrap import build_application
    from tracker.config import load_config
    from tracker.logs import setup_logging

    token = os.environ.get("TELEGRAM_BOT_TOKEN", "").strip()
    if not token:
        print(
            "tracker: error: TELEGRAM_BOT_TOKEN is not set: create a bot with @BotFather and "
            "export its token",
            file=sys.stderr,
        )
        raise typer.Exit(2)
    setup_logging(token)
    try:
        cfg = load_config(config)
        application, _, updates = build_application(cfg, db, token, base_url)
    except TrackerError as exc:
        _fail(exc)
    if webhook_url:
        application.run_webhook(
            listen=listen,
            port=port,
            url_path="telegram",
            webhook_url=webhook_url.rstrip("/") + "/telegram",
            secret_token=secret,
            allowed_updates=updates,
        )
    else:
        application.run_polling(allowed_updates=updates)


@app.command()
def migrate(
    config: ConfigOpt = Path("config/tracker.toml"),
    db: DbOpt = None,
) -> None:
    """Create or upgrade the database schema."""
    from tracker.adapters.db import make_engine
    from tracker.adapters.db import migrate as run_migrations
    from tracker.config import load_config

    try:
        url = db or (load_config(config).database_url if config.exists() else None)
        engine = make_engine(url)
        run_migrations(engine)
    except TrackerError as exc:
        _fail(exc)
    print(f"database {engine.url.render_as_string(hide_password=True)} is up to date")


def main() -> None:
    from tracker import cli_reports  # noqa: F401  (registers its commands on `app`)

    try:
        app()
    except KeyboardInterrupt:
        print("tracker: interrupted", file=sys.stderr)
        sys.exit(130)
    except Exception as exc:  # a bug: one line for the user, the trace on request
        if os.environ.get("TRACKER_DEBUG"):
            raise
        print(
            f"tracker: internal error: {type(exc).__name__}: {exc} "
            "(run with TRACKER_DEBUG=1 for details)",
            file=sys.stderr,
        )
        sys.exit(70)
