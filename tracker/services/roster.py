"""The chats a service tracks: each loaded from the store on first sight, chats the live bot was
added to without a config entry (adopted, their administrators as leaders), and groups that
moved to a new id. Replay knows only the configured chats and never adopts or moves one."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import replace

from tracker.domain.chat_state import ChatState
from tracker.domain.engine import Engine
from tracker.domain.rules import ChatRules, ChatSettings
from tracker.errors import UnknownChat
from tracker.services.ports import Store


class Chats:
    def __init__(
        self,
        find_chat: Callable[[int], ChatSettings | None],
        store: Store,
        engine: Engine,
        loaded: Callable[[], None],
    ) -> None:
        self.find_chat = find_chat
        self.store = store
        self.engine = engine
        self.loaded = loaded  # a chat came into memory: its digests are to be scheduled
        self.adopted: dict[int, ChatSettings] = {}
        self.pending: set[int] = set()  # chats to load again after a failed commit

    def get(self, chat_id: int) -> ChatState:
        state = self.engine.chats.get(chat_id)
        if state is not None:
            return state
        settings = self.find_chat(chat_id) or self.adopted.get(chat_id)
        if settings is None:
            raise UnknownChat(f"chat {chat_id} is not in the config: add a [[chats]] entry")
        state = self.store.load_chat(settings)
        self.engine.add_chat(state)
        self.loaded()
        if settings.chat_id != chat_id:
            self.engine.chats[chat_id] = state  # the export id and the Bot API id, one chat
        return state

    def knows(self, chat_id: int) -> bool:
        return (
            chat_id in self.engine.chats
            or self.find_chat(chat_id) is not None
            or (chat_id in self.adopted)
        )

    def is_adopted(self, chat_id: int) -> bool:
        return chat_id in self.adopted and self.find_chat(chat_id) is None

    def adopt(self, settings: ChatSettings) -> None:
        """Track a chat the config does not name, or take its new leaders (its
        administrators changed). Stored at once, in a transaction of its own."""
        self.store.save_adopted(settings)
        self.adopted[settings.chat_id] = settings
        state = self.engine.chats.get(settings.chat_id)
        if state is None:
            self.get(settings.chat_id)
            return
        state.settings = settings
        state.roster.leaders = settings.leading

    def migrate(self, old_chat_id: int, new_chat_id: int) -> bool:
        """A group became a supergroup: its rules, roster and open directives move along, in
        the store's own transaction. Every other chat is loaded again before the next tick."""
        if not self.knows(old_chat_id) or self.knows(new_chat_id):
            return False
        settings = replace(self.get(old_chat_id).settings, chat_id=new_chat_id)
        self.store.migrate_chat(settings, old_chat_id)
        self.adopted[new_chat_id] = settings
        others = {c for c in self.engine.chats if c != old_chat_id}
        self.engine.reset()
        self.pending |= others - {new_chat_id}
        self.get(new_chat_id)
        return True

    def load_all(self, configured: Iterable[ChatSettings], defaults: ChatRules) -> list[ChatState]:
        """On start: the configured chats and those adopted before (a configured group that
        became a supergroup is tracked under its new id only)."""
        self.adopted = {}
        moved: set[int] = set()
        for settings, moved_from in self.store.adopted_chats(defaults):
            configured_as = self.find_chat(moved_from) if moved_from is not None else None
            if configured_as is not None:
                settings = replace(configured_as, chat_id=settings.chat_id)
                moved.add(configured_as.chat_id)
            self.adopted[settings.chat_id] = settings
        live = [s for s in configured if s.chat_id not in moved]  # the old id is gone
        return [self.get(s.chat_id) for s in (*live, *self.adopted.values())]

    def load_pending(self) -> None:
        while self.pending:
            chat_id = next(iter(self.pending))
            self.get(chat_id)  # may raise while the database is still away: try again later
            self.pending.discard(chat_id)

    def forget(self) -> None:
        """Memory may be ahead of the database: every chat is loaded again before the next
        tick, so a quiet chat's fines still fall due."""
        self.pending |= set(self.engine.chats)
        self.engine.reset()
