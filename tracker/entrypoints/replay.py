"""Replay a Telegram Desktop export through the same service the live bot uses.

Each item ticks the clock to its own time first, so every reminder and fine falls due at its
exact instant; at the end the clock runs on to `until`. The service's unit of work is a
`BatchingUnitOfWork`: the use cases' commits are kept, and every `BATCH` items one transaction
writes them (the state and its outbox rows together); a second replay of the same file skips what
the database has seen.
Items are taken one at a time from the export as it is read (`open_export`), never all at once.
"""

from __future__ import annotations

import dataclasses
import gc
import sys
from collections.abc import Callable
from datetime import datetime

from tracker.adapters.telegram.export_reader import ExportChat
from tracker.config.loading import Config
from tracker.domain.inbound import BY_NAME, IncomingMessage, IncomingReaction, MemberSeen, Mention
from tracker.errors import UnknownChat
from tracker.services.tracker import TrackerService

BATCH = 5_000
# PostgreSQL plans on statistics, and tables that start empty grow fast here: they are analyzed
# after batches 1, 2, 4, 8, … (each time they have doubled), so no plan stays one made for
# empty tables (docs/performance.md). Nothing on SQLite.


def select_chats(
    chats: list[ExportChat], config: Config, source: str, only: int | None = None
) -> list[ExportChat]:
    """The export's chats that the config knows (`only`: the one with that Bot API or export
    id). One unknown chat alone is an error; in a full-account export the unknown ones are
    named on stderr and left out."""
    if only is not None:
        picked = [c for c in chats if only in (c.bot_api_id, c.export_id)]
        if not picked:
            listed = ", ".join(f"{c.name!r} ({c.bot_api_id})" for c in chats) or "none"
            raise UnknownChat(f"{source}: --chat {only}: no such chat in the export ({listed})")
        chats = picked
    known = [c for c in chats if config.find_export_chat(c.bot_api_id) is not None]
    unknown = [c for c in chats if config.find_export_chat(c.bot_api_id) is None]
    if not known:
        c = unknown[0] if unknown else None
        what = (
            f"chat {c.name!r} (export id {c.export_id}, Bot API id {c.bot_api_id})"
            if c
            else "no chat"
        )
        raise UnknownChat(
            f"{source}: {what} is not in {config.source}: add a [[chats]] entry with its leaders"
        )
    for c in unknown:
        print(
            f"tracker: note: skipping chat {c.name!r} ({c.bot_api_id}): not in {config.source}",
            file=sys.stderr,
        )
    return known


def replay(
    chats: list[ExportChat],
    service: TrackerService,
    config: Config,
    until: datetime | None = None,
    progress: Callable[[int], None] | None = None,
) -> list[int]:
    """Feed every item; returns the Bot API ids of the replayed chats."""
    was_enabled = gc.isenabled()
    gc.disable()  # hundreds of thousands of acyclic objects: collections would only cost time
    try:
        return _feed(chats, service, config, until, progress)
    finally:
        if was_enabled:
            gc.enable()


def _identified(seen: MemberSeen, service: TrackerService, export: ExportChat):
    """A member an admin removed, named in the export: the one member of the chat's roster
    with that name (as a typed @name is found), or counted as skipped when no single one has it."""
    user_id = service.chat(seen.chat_id).roster.find(Mention(seen.name or ""))
    if user_id is None:
        why = "removed member not identified (no one member has that name)"
        export.skipped[why] = export.skipped.get(why, 0) + 1
        return None
    return dataclasses.replace(seen, user_id=user_id)


def _feed(chats, service, config, until, progress) -> list[int]:
    done = 0
    for export in chats:
        settings = config.find_export_chat(export.bot_api_id)
        items, last = iter(export.items), None
        for item in items:
            if until is not None and item.at is not None and item.at > until:
                last = item
                for _ in items:  # read the rest: its problems and skipped items are reported
                    pass
                break
            if type(item) is IncomingMessage:
                service.handle_message(item)
            elif type(item) is IncomingReaction:
                service.handle_reactions((item,))
            elif type(item) is MemberSeen:
                seen = item if item.user_id != BY_NAME else _identified(item, service, export)
                if seen is not None:
                    service.handle_members((seen,))
            last = item
            done += 1
            if done % BATCH == 0:
                service.uow.flush()
                batches = done // BATCH
                if batches & (batches - 1) == 0:  # a power of two
                    service.analyze()
                if progress:
                    progress(done)
        if last is not None:
            service.tick(until or last.at + settings.rules.ack_window)
        service.uow.flush()
    if progress:
        progress(done)
    return [config.find_export_chat(c.bot_api_id).chat_id for c in chats]
