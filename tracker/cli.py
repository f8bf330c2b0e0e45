"""Command line: `tracker replay`, `tracker migrate`. Errors are one line and a non-zero exit."""

from __future__ import annotations

import os
import sys
import traceback
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TaskProgressColumn, TimeRemainingColumn

from tracker.errors import TrackerError

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    help="Response-deadline bot for work group chats.",
)
PROGRESS_FROM = 8_000_000  # bytes of export; smaller files finish before a bar is worth it

ConfigOpt = Annotated[Path, typer.Option("--config", "-c", help="TOML config file")]
DbOpt = Annotated[
    str | None,
    typer.Option("--db", help="database URL (default: config, else sqlite:///tracker.db)"),
]


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
    from tracker.adapters.reports import chat_report, digests_sent, stored_chats, write_reports
    from tracker.adapters.telegram_export import open_export
    from tracker.bootstrap import build_service
    from tracker.config import load_config
    from tracker.replay import replay as run_replay
    from tracker.replay import select_chats
    from tracker.services import REPLAYED

    stop = _parse_until(until)
    try:
        cfg = load_config(config)
        opened = open_export(export)
        chats = select_chats(opened.chats, cfg, str(export))
        # --json does not show the digests: their days pass without writing them
        service, engine = build_service(cfg, db, outbox_status=REPLAYED, digests=not as_json)
        known = set() if as_json else stored_chats(engine)  # before this replay
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

            def progress(_items: int) -> None:
                bar.update(task, completed=opened.read)

            chat_ids = run_replay(chats, service, cfg, stop, progress=progress)
        if as_json:
            write_reports(engine, chat_ids, sys.stdout.buffer)
            reports = []
        else:
            reports = [chat_report(engine, cid, detail=True) for cid in chat_ids]
    except TrackerError as exc:
        _fail(exc)
    for c in chats:
        for reason, count in c.skipped.items():
            print(f"tracker: note: {c.name}: skipped {count} item(s): {reason}", file=sys.stderr)
    if as_json:
        return
    from tracker.summary import print_summary

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
    from tracker.adapters.telegram_start import start_failure, webhook_secret
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
    setup_logging(token, webhook=webhook_url is not None)
    try:
        cfg = load_config(config)
        application, _, updates = build_application(cfg, db, token, base_url)
    except TrackerError as exc:
        _fail(exc)
    try:
        if webhook_url:
            application.run_webhook(
                listen=listen,
                port=port,
                url_path="telegram",
                webhook_url=webhook_url.rstrip("/") + "/telegram",
                # never without one: a forged update could /waive a fine
                secret_token=secret or webhook_secret(token),
                allowed_updates=updates,
            )
        else:
            application.run_polling(allowed_updates=updates)
    except Exception as exc:
        line = start_failure(exc, token, base_url)
        if line is None:
            raise
        print(f"tracker: error: {line}", file=sys.stderr)
        raise typer.Exit(2) from None


EXAMPLE_CONFIG = Path(__file__).resolve().parent.parent / "config" / "tracker.example.toml"


@app.command()
def init(
    config: ConfigOpt = Path("config/tracker.toml"),
    force: Annotated[bool, typer.Option(help="replace a config that is already there")] = False,
) -> None:
    """Write a config to edit, copied from the commented example (asks nothing)."""
    if config.exists() and not force:
        print(
            f"tracker: error: {config} already exists: edit it, or pass --force to start over",
            file=sys.stderr,
        )
        raise typer.Exit(2)
    try:
        text = EXAMPLE_CONFIG.read_text(encoding="utf-8")
        config.parent.mkdir(parents=True, exist_ok=True)
        config.write_text(text, encoding="utf-8")
    except OSError as exc:
        print(f"tracker: error: cannot write {config}: {exc.strerror or exc}", file=sys.stderr)
        raise typer.Exit(2) from None
    print(
        f"wrote {config}: put your chats' ids and their leaders in it "
        "(send /id in a chat to the running bot, or see `tracker chats`), then `make run`"
    )


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
        from tracker.logs import redact

        token = os.environ.get("TELEGRAM_BOT_TOKEN", "").strip()
        if os.environ.get("TRACKER_DEBUG"):
            print(redact(traceback.format_exc(), token), file=sys.stderr, end="")
        print(
            redact(f"tracker: internal error: {type(exc).__name__}: {exc} ", token)
            + "(run with TRACKER_DEBUG=1 for details)",
            file=sys.stderr,
        )
        sys.exit(70)
