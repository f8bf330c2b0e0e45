"""Opening the config and the database for a command, and finding a chat's settings the way
the live bot would (the config's, else as the bot adopted the chat)."""

from __future__ import annotations

from pathlib import Path

from tracker.entrypoints.cli.common import DEFAULT_CONFIG
from tracker.errors import DatabaseError, UnknownChat


def open_database(config: Path, db: str | None):
    """(config, database engine), migrated. With `--db` and no config file at the default
    place, the config's defaults are used (every chat as the live bot adopted it). A SQLite
    file that does not exist is refused: these commands read, and a mistyped path would
    otherwise become a new empty database."""
    from tracker.adapters.db.engine import make_engine, migrate, missing_sqlite_file
    from tracker.config.loading import load_config, parse_config

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


def open_chat(config: Path, db: str | None, chat_id: int):
    """(config, database engine, the chat's settings)."""
    cfg, engine = open_database(config, db)
    return cfg, engine, chat_settings(cfg, engine, chat_id)


def chat_settings(cfg, engine, chat_id: int):
    """The chat's settings from the config (`--chat` may be its export id, as in the export
    file the operator has at hand), or as the live bot adopted it."""
    from tracker.adapters.db.repository import Repository

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


def settings_lookup(cfg, engine):
    """Chat settings by id: the config's, else as the live bot adopted the chat (with the
    config's defaults), so a file reads every chat as the bot does."""
    from tracker.adapters.db.repository import Repository

    adopted = {s.chat_id: s for s, _ in Repository(engine).adopted_chats(cfg.defaults)}
    return lambda chat_id: cfg.find_chat(chat_id) or adopted.get(chat_id)
