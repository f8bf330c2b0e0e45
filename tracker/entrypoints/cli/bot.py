"""Running the bot: `tracker init` writes a config, `tracker migrate` the schema, `tracker run`
starts the live bot."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated

import typer

from tracker.entrypoints.cli.common import ConfigOpt, DbOpt, app, fail
from tracker.errors import TrackerError


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
    from tracker.config.loading import load_config
    from tracker.entrypoints.bootstrap import build_application
    from tracker.entrypoints.bot.start import start_failure, webhook_secret
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
        fail(exc)
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


EXAMPLE_CONFIG = Path(__file__).resolve().parents[3] / "config" / "tracker.example.toml"


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
    from tracker.adapters.db.engine import make_engine
    from tracker.adapters.db.engine import migrate as run_migrations
    from tracker.config.loading import load_config

    try:
        url = db or (load_config(config).database_url if config.exists() else None)
        engine = make_engine(url)
        run_migrations(engine)
    except TrackerError as exc:
        fail(exc)
    print(f"database {engine.url.render_as_string(hide_password=True)} is up to date")
