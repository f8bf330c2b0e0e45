"""A fake Telegram Bot API server on 127.0.0.1 for tests that drive the real PTB Application.

PTB reaches it over real HTTP (httpx), so its request encoding, JSON parsing and error mapping
run unmodified. The fake answers the Bot API methods the tracker uses with realistic payloads
and error descriptions, records every call, queues updates for getUpdates or POSTs them to a
webhook, and injects faults: HTTP errors, dropped connections and slow answers.

    async with FakeBotApi() as fake:
        app = (Application.builder().token(fake.token).base_url(fake.base_url)
               .base_file_url(fake.base_file_url).build())
        fake.add_chat(-1001987654321, "销售部工作群")

Behaviour copied from Telegram, so tests meet it before production does:
- A chat the fake has never seen gives 400 "Bad Request: chat not found"; call `add_chat` or
  push an update into it first. A bot that left or was kicked gets 403; a migrated group gets
  400 with `parameters.migrate_to_chat_id`.
- getUpdates keeps `allowed_updates` between calls. Without it, chat_member and
  message_reaction updates are held back: pass `Update.ALL_TYPES` to get them.
- Entities of pushed and sent text follow tdlib's matchers for mentions, hashtags and bot
  commands: "请@zhangsan" has no mention (a letter precedes the @), "请 @zhangsan" has one.
  `parse_mode` is recorded but not applied.
- editMessageText without reply_markup removes the inline keyboard; an edit that changes
  nothing gives 400 "message is not modified".
- `rate_limit()` turns on Telegram's flood control: more than 20 messages (edits count) a
  minute to a group, one a second to a private chat or 30 a second from the bot get 429 with
  `retry_after`, the seconds until the call would be accepted.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import math
import re
import socket
import time
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from http import HTTPStatus
from typing import Any

from aiohttp import ClientSession, web

Json = dict[str, Any]


def _names(spaced: str) -> list[str]:
    return spaced.split()


DEFAULT_TOKEN = "5555555555:AAFakeBotApiTokenForTests-0123456789abc"
TELEGRAM_SERVICE_USER: Json = {"id": 777000, "is_bot": False, "first_name": "Telegram"}
ANONYMOUS_BOT: Json = {
    "id": 1087968824,
    "is_bot": True,
    "first_name": "Group",
    "username": "GroupAnonymousBot",
}
OPT_IN_UPDATES = frozenset({"chat_member", "message_reaction", "message_reaction_count"})
MEMBER_STATUSES = frozenset({"creator", "administrator", "member", "restricted", "left", "kicked"})
NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup are "
    "exactly the same as a content and reply markup of the current message"
)
# Form fields sent as plain strings; every other form value is JSON, as PTB encodes it.
_TEXT_PARAMS = frozenset(
    _names(
        "text caption parse_mode callback_query_id url secret_token language_code emoji title "
        "inline_message_id ip_address description short_description name query file_id "
        "business_connection_id message_effect_id"
    )
)
_MENTION = re.compile(r"(?<!\w)@[A-Za-z0-9_]{2,32}+(?!\w)")
_COMMAND = re.compile(r"(?<![\w/<>])/([A-Za-z0-9_]++)(?:@([A-Za-z0-9_]*+))?+(?![\w/<>])")
_HASHTAG = re.compile(r"(?<![\w\u200c])#([\w\u200c]++)(?!#)")
_SECRET = re.compile(r"[A-Za-z0-9_-]{1,256}")
_COMMAND_NAME = re.compile(r"[a-z0-9_]{1,32}")
# PTB cannot build a ChatMember or ChatFullInfo without these fields.
_ADMIN_RIGHTS = dict.fromkeys(
    _names(
        "can_manage_chat can_delete_messages can_manage_video_chats can_restrict_members "
        "can_change_info can_invite_users can_pin_messages"
    ),
    True,
) | dict.fromkeys(
    _names(
        "can_be_edited is_anonymous can_promote_members can_post_stories can_edit_stories "
        "can_delete_stories can_manage_topics"
    ),
    False,
)
_RESTRICTIONS = {"is_member": True, "until_date": 0} | dict.fromkeys(
    _names(
        "can_send_messages can_send_audios can_send_documents can_send_photos can_send_videos "
        "can_send_video_notes can_send_voice_notes can_send_polls can_send_other_messages "
        "can_add_web_page_previews can_change_info can_invite_users can_pin_messages "
        "can_manage_topics can_edit_tag can_react_to_messages"
    ),
    False,
)
_GIFT_TYPES = dict.fromkeys(
    _names("unlimited_gifts limited_gifts unique_gifts premium_subscription gifts_from_channels"),
    False,
)
_METHODS = {
    "getMe": "_get_me",
    "getUpdates": "_get_updates",
    "setWebhook": "_set_webhook",
    "deleteWebhook": "_delete_webhook",
    "getWebhookInfo": "_get_webhook_info",
    "sendMessage": "_send_message",
    "editMessageText": "_edit_message_text",
    "editMessageReplyMarkup": "_edit_message_reply_markup",
    "answerCallbackQuery": "_answer_callback_query",
    "setMyCommands": "_set_my_commands",
    "getMyCommands": "_get_my_commands",
    "deleteMyCommands": "_delete_my_commands",
    "getChatAdministrators": "_get_chat_administrators",
    "getChatMember": "_get_chat_member",
    "getChat": "_get_chat",
    "sendDocument": "_send_document",
    "sendPhoto": "_send_photo",
    "getFile": "_get_file",
    "setMessageReaction": "_set_message_reaction",
    "leaveChat": "_leave_chat",
    "deleteMessage": "_delete_message",
    "restrictChatMember": "_restrict_chat_member",
    "banChatMember": "_ban_chat_member",
    "unbanChatMember": "_unban_chat_member",
    "close": "_true",
    "logOut": "_true",
}
_CANONICAL = {name.lower(): name for name in _METHODS}  # the Bot API ignores case


def utf16_len(text: str) -> int:
    """Length in UTF-16 code units, the unit of entity offsets (𠮷 and 👍 count 2)."""
    return len(text.encode("utf-16-le")) // 2


def find_entities(text: str) -> list[Json]:
    """Mention, hashtag and bot_command entities where tdlib's matchers find them."""
    spans = [("mention", m.start(), m.end()) for m in _MENTION.finditer(text)]
    for m in _COMMAND.finditer(text):
        if len(m[1]) <= 64 and (m[2] is None or 3 <= len(m[2]) <= 32):
            spans.append(("bot_command", m.start(), m.end()))
    for m in _HASHTAG.finditer(text):
        tag = m[1][:256]
        if any(char.isalpha() for char in tag):
            spans.append(("hashtag", m.start(), m.start() + 1 + len(tag)))
    return [
        {"type": kind, "offset": utf16_len(text[:start]), "length": utf16_len(text[start:end])}
        for kind, start, end in sorted(spans, key=lambda span: span[1])
    ]


def free_port() -> int:
    """A TCP port on 127.0.0.1 that was free a moment ago (for a webhook listener)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Call:
    """One request to the fake. `outcome` is "pending", "ok", "error" or "dropped"."""

    method: str
    params: Json
    time: float
    outcome: str = "pending"
    status: int | None = None
    result: Any = None  # the "result" on success, the description on error


@dataclass(frozen=True)
class Upload:
    """A file part of a multipart request."""

    filename: str | None
    content_type: str
    data: bytes


class ApiError(Exception):
    def __init__(self, status: int, description: str, parameters: Json | None = None) -> None:
        super().__init__(description)
        self.status, self.description, self.parameters = status, description, parameters


@dataclass(frozen=True)
class _Fault:
    kind: str  # "fail", "drop" or "delay"
    error: ApiError | None = None
    seconds: float = 0.0


_FLOOD_LIMITED = frozenset(
    {"sendMessage", "sendPhoto", "sendDocument", "editMessageText", "editMessageReplyMarkup"}
)


class _Limits:
    """Telegram's flood control as sliding windows: per chat (groups and private chats apart)
    and for the whole bot. A call that passes is counted."""

    def __init__(self, group, private, bot) -> None:
        self.group, self.private, self.bot = group, private, bot
        self.chats: dict[int, deque[float]] = {}
        self.all: deque[float] = deque()

    def wait(self, chat_id: int | None, now: float) -> float:
        limit = self.group if chat_id is None or chat_id < 0 else self.private
        chat = self.chats.setdefault(chat_id or 0, deque())
        wait = max(_window_wait(chat, limit, now), _window_wait(self.all, self.bot, now))
        if wait <= 0:
            chat.append(now)
            self.all.append(now)
        return wait


def _window_wait(times: deque[float], limit: tuple[int, float], now: float) -> float:
    count, seconds = limit
    while times and times[0] <= now - seconds:
        times.popleft()
    return 0.0 if len(times) < count else times[len(times) - count] + seconds - now


def _chat_key(chat_id: Any) -> int | None:
    try:
        return int(chat_id)
    except (TypeError, ValueError):
        return None


class FakeBotApi:
    def __init__(
        self, token: str = DEFAULT_TOKEN, *, username: str = "tracker_test_bot", name="Tracker"
    ) -> None:
        self.token = token
        self.bot_id = int(token.split(":", 1)[0])
        self.bot_user: Json = {"id": self.bot_id, "is_bot": True, "first_name": name}
        self.bot_user["username"] = username
        self.calls: list[Call] = []
        self.users: dict[int, Json] = {self.bot_id: self.bot_user}
        self.chats: dict[int, Json] = {}
        self.members: dict[int, dict[int, str]] = {}  # chat id -> user id -> status
        self.messages: dict[tuple[int, int], Json] = {}  # (chat id, message id) -> latest
        self.reactions: dict[tuple[int, int, int], list[Json]] = {}  # (chat, message, user)
        self.deleted: list[tuple[int, int]] = []  # (chat id, message id) the bot deleted
        self.muted: dict[tuple[int, int], int] = {}  # (chat, user) -> until_date the bot set
        self.updates: list[Json] = []  # queued, not yet confirmed by a getUpdates offset
        self.allowed_updates: frozenset[str] | None = None  # None: Telegram's default set
        self.webhook: Json = {}  # parameters of the active setWebhook
        self.commands: dict[tuple[str, str], list[Json]] = {}  # (scope, language) -> commands
        self.files: dict[str, Upload] = {}  # file_id -> upload
        self.response_delay = 0.0  # seconds added before every answer
        self.clock: Callable[[], float] = time.time
        self.limits: _Limits | None = None  # flood control, off unless rate_limit() is called
        self._faults: dict[str, deque[_Fault]] = {}
        self._update_ids = itertools.count(1)
        self._file_ids = itertools.count(1)
        self._last_message_id: dict[int, int] = {}
        self._callback_queries: dict[str, bool] = {}  # id -> answered
        self._migrated: dict[int, int] = {}
        self._changed = asyncio.Event()
        self._poll_generation = 0
        self._terminated_by = ""
        self._closing = False
        self._runner: web.AppRunner | None = None
        self._port: int | None = None

    # -- lifecycle -----------------------------------------------------------------------------

    async def start(self) -> None:
        app = web.Application(client_max_size=50 * 2**20)
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        app.router.add_get("/file/bot{token}/{file_path:.+}", self._serve_file)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", 0).start()
        self._port = self._runner.addresses[0][1]
        self._closing = False

    async def stop(self) -> None:
        """Answer pending long polls at once, then close the server."""
        if self._runner is not None:
            self._closing = True
            self._wake()
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> FakeBotApi:
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()

    @property
    def base_url(self) -> str:
        return f"{self._root()}/bot"

    @property
    def base_file_url(self) -> str:
        return f"{self._root()}/file/bot"

    def _root(self) -> str:
        if self._port is None:
            raise RuntimeError("FakeBotApi is not started: await fake.start() first")
        return f"http://127.0.0.1:{self._port}"

    # -- scripted users and chats --------------------------------------------------------------

    def make_user(
        self, user_id: int, first_name: str, username: str | None = None, **extra: Any
    ) -> Json:
        """Register a user; `extra` adds fields such as last_name or language_code."""
        user = {"id": user_id, "is_bot": False, "first_name": first_name}
        if username:
            user["username"] = username
        self.users[user_id] = user | extra
        return self.users[user_id]

    def add_chat(
        self,
        chat_id: int,
        title: str,
        type: str = "supergroup",
        admins: Iterable[Json | int] = (),
        *,
        username: str | None = None,
    ) -> Json:
        """A chat the bot is a member of; `admins` become administrators."""
        chat: Json = {"id": chat_id, "type": type}
        chat["first_name" if type == "private" else "title"] = title
        if username:
            chat["username"] = username
        self.chats[chat_id] = chat
        members = self.members.setdefault(chat_id, {})
        members.setdefault(self.bot_id, "member")
        for admin in admins:
            members[self._user(admin)["id"]] = "administrator"
        return chat

    def set_member_status(self, chat_id: int, user_id: int, status: str) -> None:
        """Set anyone's status, the bot's too ("kicked" makes sends fail with 403)."""
        _check_status(status)
        self._known_chat(chat_id)
        self.members[chat_id][user_id] = status

    # -- injected updates ----------------------------------------------------------------------

    def push_message(
        self,
        chat_id: int,
        from_user: Json | int,
        text: str,
        *,
        entities: list[Json] | None = None,
        reply_to: Json | int | None = None,
        date: datetime | float | None = None,
        message_id: int | None = None,
        sender_chat: int | None = None,
        author_signature: str | None = None,
        topic: int | None = None,
    ) -> Json:
        """Queue a message update; entities default to `find_entities(text)`. With
        `sender_chat`, the message is posted on behalf of that chat, as Telegram sends an
        anonymous administrator's post (`from` is GroupAnonymousBot) or a channel's."""
        sender = self._user(from_user) if sender_chat is None else ANONYMOUS_BOT
        msg = self._new_message(self._known_chat(chat_id), sender, date, message_id)
        if sender_chat is not None:
            msg["sender_chat"] = self._known_chat(sender_chat)
        if author_signature is not None:
            msg["author_signature"] = author_signature
        msg["text"] = text
        _put_entities(msg, "entities", text, entities)
        if topic is not None:  # in a forum topic: a message "replies" to the topic's first one
            msg["message_thread_id"], msg["is_topic_message"] = topic, True
            reply_to = topic if reply_to is None else reply_to
        if reply_to is not None:
            msg["reply_to_message"] = self._reply_copy(chat_id, reply_to)
        return self._enqueue("message", msg)

    def create_topic(self, chat_id: int, from_user: Json | int, name: str) -> Json:
        """A forum topic created in a supergroup: the service message that starts it."""
        msg = self._new_message(self._known_chat(chat_id), self._user(from_user), None, None)
        msg["forum_topic_created"] = {"name": name, "icon_color": 7322096}
        msg["message_thread_id"], msg["is_topic_message"] = msg["message_id"], True
        return self._enqueue("message", msg)

    def push_edited_message(
        self,
        chat_id: int,
        message_id: int,
        text: str,
        *,
        entities: list[Json] | None = None,
        edit_date: datetime | float | None = None,
    ) -> Json:
        old = self.messages.get((chat_id, message_id))
        if old is None:
            raise ValueError(f"no message {message_id} in chat {chat_id} to edit")
        msg = {k: v for k, v in old.items() if k not in ("text", "entities", "edit_date")}
        msg["text"] = text
        _put_entities(msg, "entities", text, entities)
        msg["edit_date"] = self._timestamp(edit_date)
        self.messages[(chat_id, message_id)] = msg
        return self._enqueue("edited_message", msg)

    def push_callback_query(
        self, from_user: Json | int, message: Json, data: str, *, query_id: str | None = None
    ) -> Json:
        """A button press on `message` (a dict, e.g. a sendMessage result)."""
        query_id = query_id or str(4_382_000_000_000_000_000 + len(self._callback_queries))
        self._callback_queries[query_id] = False
        query = {"id": query_id, "from": self._user(from_user), "message": message}
        query |= {"chat_instance": str(abs(message["chat"]["id"]) * 31), "data": data}
        return self._enqueue("callback_query", query)

    def push_reaction(
        self,
        chat_id: int,
        message_id: int,
        user: Json | int,
        emoji: str | Iterable[str] | None,
        *,
        date: datetime | float | None = None,
    ) -> Json:
        """A user's reactions on a message become `emoji` (None or "" clears them)."""
        sender = self._user(user)
        emojis = [emoji] if isinstance(emoji, str) and emoji else list(emoji or ())
        new = [{"type": "emoji", "emoji": each} for each in emojis]
        key = (chat_id, message_id, sender["id"])
        reaction = {"chat": self._known_chat(chat_id), "message_id": message_id, "user": sender}
        reaction |= {"date": self._timestamp(date), "old_reaction": self.reactions.get(key, [])}
        reaction["new_reaction"] = new
        self.reactions[key] = new
        return self._enqueue("message_reaction", reaction)

    def push_my_chat_member(
        self,
        chat_id: int,
        new_status: str,
        *,
        from_user: Json | int | None = None,
        old_status: str | None = None,
        date: datetime | float | None = None,
    ) -> Json:
        """The bot's own status changes; `from_user` defaults to a chat admin."""
        return self._member_update(
            "my_chat_member", chat_id, self.bot_user, new_status, from_user, old_status, date
        )

    def push_chat_member(
        self,
        chat_id: int,
        user: Json | int,
        new_status: str,
        *,
        from_user: Json | int | None = None,
        old_status: str | None = None,
        date: datetime | float | None = None,
        without_from: bool = False,
    ) -> Json:
        """Someone's status changes (delivered only if allowed_updates has chat_member);
        `without_from`: with no `from`, as some real captures show."""
        update = self._member_update(
            "chat_member", chat_id, self._user(user), new_status, from_user, old_status, date
        )
        if without_from:
            del update["chat_member"]["from"]
        return update

    def push_migrate(
        self,
        old_chat_id: int,
        new_chat_id: int,
        *,
        from_user: Json | int | None = None,
        old_side: bool = True,
        anonymous: bool = False,
    ) -> Json:
        """Upgrade a group: queues the old chat's migrate_to_chat_id message (returned; not with
        `old_side` False), then the new supergroup's migrate_from_chat_id message (from the
        anonymous-admin bot on behalf of the group with `anonymous`); the old id then answers
        400."""
        old = self._known_chat(old_chat_id)
        new = self.add_chat(new_chat_id, old.get("title", ""), "supergroup")
        self.members[new_chat_id] |= self.members[old_chat_id]
        actor = self._actor(old_chat_id, from_user)
        self._migrated[old_chat_id] = new_chat_id
        first = self._new_message(old, actor, None, None)
        first["migrate_to_chat_id"] = new_chat_id
        second = self._new_message(new, ANONYMOUS_BOT if anonymous else actor, None, None)
        second["migrate_from_chat_id"] = old_chat_id
        if anonymous:
            second["sender_chat"] = new
        update = self._enqueue("message", first) if old_side else None
        last = self._enqueue("message", second)
        return last if update is None else update

    async def deliver_webhook(
        self, url: str | None, update: Json, secret_token: str | None = ...
    ) -> int:
        """POST `update` as Telegram does and return the HTTP status. `url=None` and the
        default secret mean those of the last setWebhook. A 2xx answer dequeues the update."""
        url = url or self.webhook.get("url")
        if not url:
            raise ValueError("no webhook url: pass one or let the bot call setWebhook first")
        if secret_token is ...:
            secret_token = self.webhook.get("secret_token")
        headers = {"X-Telegram-Bot-Api-Secret-Token": secret_token} if secret_token else {}
        async with (
            ClientSession() as session,
            session.post(url, json=update, headers=headers) as r,
        ):
            status = r.status
        if 200 <= status < 300 and update in self.updates:
            self.updates.remove(update)
        return status

    # -- fault injection -----------------------------------------------------------------------

    def fail_next(
        self,
        method: str,
        times: int = 1,
        *,
        status: int = 429,
        retry_after: int = 1,
        description: str | None = None,
        migrate_to_chat_id: int | None = None,
    ) -> None:
        """Answer the next `times` calls of `method` with an error; 429 carries retry_after."""
        parameters: Json = {"retry_after": retry_after} if status == 429 else {}
        if migrate_to_chat_id is not None:
            parameters["migrate_to_chat_id"] = migrate_to_chat_id
        description = description or _default_description(status, retry_after)
        self._add_fault(method, times, _Fault("fail", ApiError(status, description, parameters)))

    def rate_limit(
        self,
        group: tuple[int, float] = (20, 60.0),
        private: tuple[int, float] = (1, 1.0),
        bot: tuple[int, float] = (30, 1.0),
    ) -> None:
        """Answer 429 as Telegram does when a chat or the whole bot gets messages too fast:
        each limit is (calls, seconds) in any sliding window."""
        self.limits = _Limits(group, private, bot)

    def drop_next(self, method: str, times: int = 1) -> None:
        """Close the connection instead of answering the next `times` calls."""
        self._add_fault(method, times, _Fault("drop"))

    def delay_next(self, method: str, seconds: float, times: int = 1) -> None:
        """Answer the next `times` calls normally, but only after `seconds`."""
        self._add_fault(method, times, _Fault("delay", seconds=seconds))

    def _add_fault(self, method: str, times: int, fault: _Fault) -> None:
        self._faults.setdefault(method.lower(), deque()).extend([fault] * times)

    # -- what happened -------------------------------------------------------------------------

    def succeeded(self, *methods: str, chat_id: int | str | None = None) -> list[Json]:
        """Params of the successful calls to any of `methods`, oldest first."""
        return [
            call.params
            for call in self.calls
            if call.method in methods
            and call.outcome == "ok"
            and (chat_id is None or str(call.params.get("chat_id")) == str(chat_id))
        ]

    def sent(self, chat_id: int | str | None = None) -> list[Json]:
        return self.succeeded("sendMessage", chat_id=chat_id)

    def sent_texts(self, chat_id: int | str | None = None) -> list[str]:
        return [params["text"] for params in self.sent(chat_id)]

    def edits(self, chat_id: int | str | None = None) -> list[Json]:
        return self.succeeded("editMessageText", "editMessageReplyMarkup", chat_id=chat_id)

    def uploads(self, chat_id: int | str | None = None) -> list[Upload]:
        calls = self.succeeded("sendDocument", "sendPhoto", chat_id=chat_id)
        return [
            value for params in calls for value in params.values() if isinstance(value, Upload)
        ]

    async def wait_for(self, predicate: Callable[[FakeBotApi], Any], timeout: float = 5.0) -> Any:
        """Poll `predicate(fake)` until it is truthy and return its value."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while not (value := predicate(self)):
            if loop.time() >= deadline:
                raise AssertionError(f"condition not met within {timeout}s\n{self.dump()}")
            await asyncio.sleep(0.01)
        return value

    def dump(self, last: int = 25) -> str:
        lines = [f"last {last} of {len(self.calls)} calls:"]
        for call in self.calls[-last:]:
            params = _short(call.params)
            lines.append(f"  {call.method} -> {call.outcome} {call.status or ''} {params}")
        queued = [f"{_kind(update)}#{update['update_id']}" for update in self.updates]
        allowed = sorted(self.allowed_updates) if self.allowed_updates else "default"
        lines.append(f"queued updates: {queued}; allowed_updates: {allowed}")
        lines.append(f"webhook: {self.webhook.get('url') or '-'}")
        return "\n".join(lines)

    # -- HTTP ----------------------------------------------------------------------------------

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        name = request.match_info["method"]
        method = _CANONICAL.get(name.lower(), name)
        call = Call(method, await _read_params(request), self.clock())
        self.calls.append(call)
        if request.match_info["token"] != self.token:
            return _answer(call, ApiError(401, "Unauthorized"))
        queue = self._faults.get(method.lower())
        fault = queue.popleft() if queue else _Fault("none")
        if delay := self.response_delay + fault.seconds:
            await asyncio.sleep(delay)
        if fault.kind == "drop":
            call.outcome = "dropped"
            if request.transport is not None:
                request.transport.close()
            return web.Response()  # never reaches the client
        if fault.error is not None:
            return _answer(call, fault.error)
        if method not in _METHODS:
            return _answer(call, ApiError(404, "Not Found: method not found"))
        if self.limits is not None and method in _FLOOD_LIMITED:
            wait = self.limits.wait(_chat_key(call.params.get("chat_id")), self.clock())
            if wait > 0:
                retry_after = max(1, math.ceil(wait))
                flood = ApiError(
                    429, _default_description(429, retry_after), {"retry_after": retry_after}
                )
                return _answer(call, flood)
        try:
            result = getattr(self, _METHODS[method])(call.params)
            if asyncio.iscoroutine(result):
                result = await result
        except ApiError as error:
            return _answer(call, error)
        return _answer(call, result)

    async def _serve_file(self, request: web.Request) -> web.StreamResponse:
        if request.match_info["token"] != self.token:
            return web.json_response({"ok": False, "error_code": 401}, status=401)
        upload = self.files.get(request.match_info["file_path"].rsplit("/", 1)[-1])
        if upload is None:
            return web.json_response({"ok": False, "error_code": 404}, status=404)
        return web.Response(body=upload.data, content_type=upload.content_type)

    # -- Bot API methods -----------------------------------------------------------------------

    def _get_me(self, p: Json) -> Json:
        return self.bot_user | {
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }

    async def _get_updates(self, p: Json) -> list[Json]:
        if self.webhook.get("url"):
            raise ApiError(
                409,
                "Conflict: can't use getUpdates method while webhook is active; "
                "use deleteWebhook to delete the webhook first",
            )
        self._set_allowed(p)
        offset = int(p.get("offset") or 0)
        if offset > 0:
            self.updates = [u for u in self.updates if u["update_id"] >= offset]
        elif offset < 0:
            self.updates = self.updates[offset:]
        limit = min(max(int(p.get("limit") or 100), 1), 100)
        generation = self._terminate_polls(
            "Conflict: terminated by other getUpdates request; "
            "make sure that only one bot instance is running"
        )
        loop = asyncio.get_running_loop()
        deadline = loop.time() + float(p.get("timeout") or 0)
        while generation == self._poll_generation:
            batch = [u for u in self.updates if self._allowed(u)][:limit]
            remaining = deadline - loop.time()
            if batch or remaining <= 0 or self._closing:
                return batch
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._changed.wait(), remaining)
        raise ApiError(409, self._terminated_by)

    def _set_webhook(self, p: Json) -> bool:
        secret = p.get("secret_token")
        if secret is not None and not _SECRET.fullmatch(secret):
            raise ApiError(400, "Bad Request: secret token contains unallowed characters")
        if not p.get("url"):
            return self._delete_webhook(p)
        self._set_allowed(p)
        if p.get("drop_pending_updates"):
            self.updates.clear()
        self.webhook = {"max_connections": 40} | p
        self._terminate_polls("Conflict: terminated by setWebhook request")
        return True

    def _delete_webhook(self, p: Json) -> bool:
        if p.get("drop_pending_updates"):
            self.updates.clear()
        self.webhook = {}
        return True

    def _get_webhook_info(self, p: Json) -> Json:
        info = {"url": self.webhook.get("url", ""), "has_custom_certificate": False}
        info["pending_update_count"] = len(self.updates)
        if self.webhook:
            info["max_connections"] = self.webhook["max_connections"]
        if self.allowed_updates is not None:
            info["allowed_updates"] = sorted(self.allowed_updates)
        return info

    def _send_message(self, p: Json) -> Json:
        chat = self._chat(p)
        text = _message_text(p)
        entities = _entities(text, p.get("entities"))
        return self._bot_message(chat, p, text=text, entities=entities)

    def _edit_message_text(self, p: Json) -> Json | bool:
        if p.get("inline_message_id"):
            return True
        old = self._own_message(p)
        text = _message_text(p)
        new = _without(old, "text", "entities", "reply_markup", "edit_date")
        new["text"] = text
        _put_entities(new, "entities", text, p.get("entities"))
        return self._replace(old, new, p.get("reply_markup"))

    def _edit_message_reply_markup(self, p: Json) -> Json | bool:
        if p.get("inline_message_id"):
            return True
        old = self._own_message(p)
        return self._replace(
            old, _without(old, "reply_markup", "edit_date"), p.get("reply_markup")
        )

    def _answer_callback_query(self, p: Json) -> bool:
        query_id = str(p.get("callback_query_id"))
        if self._callback_queries.get(query_id) is not False:
            raise ApiError(
                400,
                "Bad Request: query is too old and response timeout expired "
                "or query ID is invalid",
            )
        self._callback_queries[query_id] = True
        return True

    def _set_my_commands(self, p: Json) -> bool:
        commands = p.get("commands") or []
        if not all(_COMMAND_NAME.fullmatch(str(c.get("command", ""))) for c in commands):
            raise ApiError(400, "Bad Request: BOT_COMMAND_INVALID")
        self.commands[_scope_key(p)] = [
            {"command": c["command"], "description": c["description"]} for c in commands
        ]
        return True

    def _get_my_commands(self, p: Json) -> list[Json]:
        return self.commands.get(_scope_key(p), [])

    def _delete_my_commands(self, p: Json) -> bool:
        self.commands.pop(_scope_key(p), None)
        return True

    def _get_chat_administrators(self, p: Json) -> list[Json]:
        chat = self._chat(p)
        if chat["type"] == "private":
            raise ApiError(400, "Bad Request: there are no administrators in the private chat")
        return [
            _member(self._user_or_stub(user_id), status)
            for user_id, status in self.members[chat["id"]].items()
            if status in ("creator", "administrator")
        ]

    def _get_chat_member(self, p: Json) -> Json:
        members = self.members[self._chat(p)["id"]]
        user_id = int(p.get("user_id") or 0)
        if user_id not in self.users and user_id not in members:
            raise ApiError(400, "Bad Request: user not found")
        return _member(self._user_or_stub(user_id), members.get(user_id, "left"))

    def _get_chat(self, p: Json) -> Json:
        full_info = {"accent_color_id": 0, "max_reaction_count": 11}
        return self._chat(p) | full_info | {"accepted_gift_types": _GIFT_TYPES}

    def _send_document(self, p: Json) -> Json:
        chat = self._chat(p)
        file_id, upload = self._received_file(p, "document")
        document = {"file_id": file_id, "file_unique_id": f"U{file_id}"}
        document |= {"file_name": upload.filename, "mime_type": upload.content_type}
        document["file_size"] = len(upload.data)
        return self._bot_message(chat, p, document=document, **_caption(p))

    def _send_photo(self, p: Json) -> Json:
        chat = self._chat(p)
        file_id, upload = self._received_file(p, "photo")
        size = {"file_id": file_id, "file_unique_id": f"U{file_id}", "width": 320, "height": 240}
        size["file_size"] = len(upload.data)
        return self._bot_message(chat, p, photo=[size], **_caption(p))

    def _get_file(self, p: Json) -> Json:
        file_id = str(p.get("file_id"))
        if file_id not in self.files:
            raise ApiError(400, "Bad Request: invalid file_id")
        return {
            "file_id": file_id,
            "file_unique_id": f"U{file_id}",
            "file_size": len(self.files[file_id].data),
            "file_path": f"documents/{file_id}",
        }

    def _set_message_reaction(self, p: Json) -> bool:
        key = (self._chat(p)["id"], p.get("message_id"))
        if key not in self.messages:
            raise ApiError(400, "Bad Request: MESSAGE_ID_INVALID")
        self.reactions[(*key, self.bot_id)] = list(p.get("reaction") or [])
        return True

    def _leave_chat(self, p: Json) -> bool:
        chat_id = self._chat(p)["id"]
        self._member_update(
            "my_chat_member", chat_id, self.bot_user, "left", self.bot_id, None, None
        )
        return True

    # Moderation: only an administrator bot may act, never on an administrator (Telegram's
    # own error texts).
    def _moderator(self, p: Json, target: int | None = None) -> int:
        chat_id = self._chat(p)["id"]
        members = self.members[chat_id]
        if members.get(self.bot_id) not in ("administrator", "creator"):
            what = (
                "message can't be deleted"
                if target is None
                else ("not enough rights to restrict/unrestrict chat member")
            )
            raise ApiError(400, f"Bad Request: {what}")
        if target is not None and members.get(target) in ("administrator", "creator"):
            raise ApiError(400, "Bad Request: user is an administrator of the chat")
        return chat_id

    def _delete_message(self, p: Json) -> bool:
        chat_id = self._moderator(p)
        key = (chat_id, int(p.get("message_id") or 0))
        if self.messages.pop(key, None) is None:
            raise ApiError(400, "Bad Request: message to delete not found")
        self.deleted.append(key)
        return True

    def _restrict_chat_member(self, p: Json) -> bool:
        user_id = int(p.get("user_id") or 0)
        chat_id = self._moderator(p, user_id)
        self.members[chat_id][user_id] = "restricted"
        self.muted[(chat_id, user_id)] = int(p.get("until_date") or 0)
        return True

    def _ban_chat_member(self, p: Json) -> bool:
        user_id = int(p.get("user_id") or 0)
        chat_id = self._moderator(p, user_id)
        self.members[chat_id][user_id] = "kicked"
        return True

    def _unban_chat_member(self, p: Json) -> bool:
        user_id = int(p.get("user_id") or 0)
        chat_id = self._moderator(p, user_id)
        if self.members[chat_id].get(user_id) == "kicked" or not p.get("only_if_banned"):
            self.members[chat_id][user_id] = "left"
        return True

    def _true(self, p: Json) -> bool:
        return True

    # -- helpers -------------------------------------------------------------------------------

    def _chat(self, p: Json) -> Json:
        """The chat a method addresses, failing like Telegram for unknown or lost chats."""
        chat_id = p.get("chat_id")
        if isinstance(chat_id, str) and chat_id.startswith("@"):
            usernames = {chat.get("username"): chat["id"] for chat in self.chats.values()}
            chat_id = usernames.get(chat_id[1:])
        elif isinstance(chat_id, str) and chat_id.lstrip("-").isdigit():
            chat_id = int(chat_id)
        if chat_id in self._migrated:
            raise ApiError(
                400,
                "Bad Request: group chat was upgraded to a supergroup chat",
                {"migrate_to_chat_id": self._migrated[chat_id]},
            )
        chat = self.chats.get(chat_id)
        if chat is None:
            raise ApiError(400, "Bad Request: chat not found")
        status = self.members[chat["id"]].get(self.bot_id, "member")
        if status in ("left", "kicked"):
            raise ApiError(403, _forbidden(chat["type"], status))
        return chat

    def _known_chat(self, chat_id: int) -> Json:
        """A chat for an injected update, created on first use."""
        if chat_id not in self.chats:
            if chat_id > 0:
                name = self.users.get(chat_id, {}).get("first_name", f"User {chat_id}")
                self.add_chat(chat_id, name, "private")
            else:
                kind = "supergroup" if str(chat_id).startswith("-100") else "group"
                self.add_chat(chat_id, f"Chat {chat_id}", kind)
        return self.chats[chat_id]

    def _user(self, user: Json | int) -> Json:
        if isinstance(user, dict):
            self.users.setdefault(user["id"], user)
            return user
        if user not in self.users:
            raise ValueError(f"unknown user {user}: call make_user first")
        return self.users[user]

    def _user_or_stub(self, user_id: int) -> Json:
        return self.users.get(user_id) or {
            "id": user_id,
            "is_bot": False,
            "first_name": f"User {user_id}",
        }

    def _actor(self, chat_id: int, from_user: Json | int | None) -> Json:
        if from_user is not None:
            return self._user(from_user)
        for user_id, status in self.members.get(chat_id, {}).items():
            if status in ("creator", "administrator") and user_id != self.bot_id:
                return self._user_or_stub(user_id)
        return TELEGRAM_SERVICE_USER

    def _timestamp(self, date: datetime | float | None) -> int:
        if date is None:
            return int(self.clock())
        return int(date.timestamp() if isinstance(date, datetime) else date)

    def _new_message(
        self, chat: Json, sender: Json, date: datetime | float | None, message_id: int | None
    ) -> Json:
        """Store a message with the chat's next id (ids are shared by everyone in a chat)."""
        chat_id = chat["id"]
        last = self._last_message_id.get(chat_id, 0)
        message_id = message_id or last + 1
        self._last_message_id[chat_id] = max(last, message_id)
        if sender["id"] != self.bot_id:
            self.members[chat_id].setdefault(sender["id"], "member")
        msg = {"message_id": message_id, "from": sender, "chat": chat}
        msg["date"] = self._timestamp(date)
        self.messages[(chat_id, message_id)] = msg
        return msg

    def _bot_message(self, chat: Json, p: Json, **content: Any) -> Json:
        reply_to = self._reply_target(chat["id"], p)
        msg = self._new_message(chat, self.bot_user, None, None)
        msg |= {key: value for key, value in content.items() if value}
        if reply_to is not None:
            msg["reply_to_message"] = reply_to
        markup = p.get("reply_markup")
        if isinstance(markup, dict) and "inline_keyboard" in markup:
            msg["reply_markup"] = markup  # reply keyboards are not echoed back
        return msg

    def _reply_target(self, chat_id: int, p: Json) -> Json | None:
        target = p.get("reply_parameters")
        if target is None and p.get("reply_to_message_id") is not None:
            target = {"message_id": p["reply_to_message_id"]}
            target["allow_sending_without_reply"] = p.get("allow_sending_without_reply")
        if not target:
            return None
        key = (target.get("chat_id", chat_id), target.get("message_id"))
        if key not in self.messages:
            if target.get("allow_sending_without_reply"):
                return None
            raise ApiError(400, "Bad Request: message to be replied not found")
        return _without(self.messages[key], "reply_to_message")

    def _reply_copy(self, chat_id: int, reply_to: Json | int) -> Json:
        if isinstance(reply_to, dict):
            return _without(reply_to, "reply_to_message")
        if (chat_id, reply_to) not in self.messages:
            raise ValueError(f"no message {reply_to} in chat {chat_id} to reply to")
        return _without(self.messages[(chat_id, reply_to)], "reply_to_message")

    def _own_message(self, p: Json) -> Json:
        msg = self.messages.get((self._chat(p)["id"], p.get("message_id")))
        if msg is None:
            raise ApiError(400, "Bad Request: message to edit not found")
        if msg["from"]["id"] != self.bot_id:
            raise ApiError(400, "Bad Request: message can't be edited")
        return msg

    def _replace(self, old: Json, new: Json, markup: Any) -> Json:
        if isinstance(markup, dict) and "inline_keyboard" in markup:
            new["reply_markup"] = markup
        fields = ("text", "entities", "caption", "reply_markup")
        if all(old.get(key) == new.get(key) for key in fields):
            raise ApiError(400, NOT_MODIFIED)
        new["edit_date"] = int(self.clock())
        self.messages[(new["chat"]["id"], new["message_id"])] = new
        return new

    def _received_file(self, p: Json, field: str) -> tuple[str, Upload]:
        value = p.get(field)
        if isinstance(value, str) and value.startswith("attach://"):
            value = p.get(value.removeprefix("attach://"))
        if isinstance(value, Upload):
            file_id = f"BQACAgUAAxkDAAI{next(self._file_ids):06d}"
            self.files[file_id] = value
            return file_id, value
        if isinstance(value, str) and value in self.files:
            return value, self.files[value]
        if value:
            raise ApiError(400, "Bad Request: wrong file identifier/HTTP URL specified")
        raise ApiError(400, f"Bad Request: there is no {field} in the request")

    def _member_update(
        self,
        kind: str,
        chat_id: int,
        user: Json,
        new_status: str,
        from_user: Json | int | None,
        old_status: str | None,
        date: datetime | float | None,
    ) -> Json:
        _check_status(new_status)
        chat = self._known_chat(chat_id)
        members = self.members[chat_id]
        old_status = old_status or members.get(user["id"], "left")
        members[user["id"]] = new_status
        change = {"chat": chat, "from": self._actor(chat_id, from_user)}
        change |= {"date": self._timestamp(date), "old_chat_member": _member(user, old_status)}
        change["new_chat_member"] = _member(user, new_status)
        return self._enqueue(kind, change)

    def _enqueue(self, kind: str, payload: Json) -> Json:
        update = {"update_id": next(self._update_ids), kind: payload}
        self.updates.append(update)
        self._wake()
        return update

    def _set_allowed(self, p: Json) -> None:
        if "allowed_updates" in p:
            self.allowed_updates = frozenset(p["allowed_updates"] or ()) or None

    def _allowed(self, update: Json) -> bool:
        if self.allowed_updates is None:
            return _kind(update) not in OPT_IN_UPDATES
        return _kind(update) in self.allowed_updates

    def _terminate_polls(self, description: str) -> int:
        """End any pending getUpdates with 409 `description`; return the new generation."""
        self._poll_generation += 1
        self._terminated_by = description
        self._wake()
        return self._poll_generation

    def _wake(self) -> None:
        self._changed.set()
        self._changed = asyncio.Event()


async def _read_params(request: web.Request) -> Json:
    """Query string, JSON body, urlencoded or multipart form: all as the Bot API accepts."""
    params: Json = {key: _decode(key, value) for key, value in request.query.items()}
    if request.content_type == "application/json" and request.can_read_body:
        params |= await request.json()
    elif request.content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
        for key, value in (await request.post()).items():
            if isinstance(value, web.FileField):
                params[key] = Upload(value.filename, value.content_type, value.file.read())
            else:
                params[key] = _decode(key, value.decode() if isinstance(value, bytes) else value)
    return params


def _decode(key: str, value: str) -> Any:
    if key in _TEXT_PARAMS:
        return value
    try:
        return json.loads(value)
    except ValueError:
        return value  # e.g. chat_id="@channel"


def _answer(call: Call, outcome: Any) -> web.Response:
    if isinstance(outcome, ApiError):
        call.outcome, call.status, call.result = "error", outcome.status, outcome.description
        body = {"ok": False, "error_code": outcome.status, "description": outcome.description}
        if outcome.parameters:
            body["parameters"] = outcome.parameters
    else:
        call.outcome, call.status, call.result = "ok", 200, outcome
        body = {"ok": True, "result": outcome}
    return web.json_response(body, status=call.status, dumps=_dumps)


def _dumps(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False)


def _default_description(status: int, retry_after: int) -> str:
    known = {
        400: "Bad Request",
        403: "Forbidden: bot was blocked by the user",
        409: "Conflict: terminated by other getUpdates request; "
        "make sure that only one bot instance is running",
        429: f"Too Many Requests: retry after {retry_after}",
    }
    return known.get(status) or HTTPStatus(status).phrase


def _forbidden(chat_type: str, status: str) -> str:
    if chat_type == "private":
        if status == "kicked":
            return "Forbidden: bot was blocked by the user"
        return "Forbidden: bot can't initiate conversation with a user"
    if status == "kicked":
        return f"Forbidden: bot was kicked from the {chat_type} chat"
    return f"Forbidden: bot is not a member of the {chat_type} chat"


def _member(user: Json, status: str) -> Json:
    extra = {
        "creator": {"is_anonymous": False},
        "administrator": _ADMIN_RIGHTS,
        "restricted": _RESTRICTIONS,
        "kicked": {"until_date": 0},
    }
    return {"status": status, "user": user} | extra.get(status, {})


def _check_status(status: str) -> None:
    if status not in MEMBER_STATUSES:
        raise ValueError(f"unknown member status {status!r}; use one of {sorted(MEMBER_STATUSES)}")


def _message_text(p: Json) -> str:
    text = p.get("text")
    if not isinstance(text, str) or not text.strip():
        raise ApiError(400, "Bad Request: message text is empty")
    if len(text) > 4096:
        raise ApiError(400, "Bad Request: message is too long")
    return text


def _entities(text: str, given: list[Json] | None) -> list[Json]:
    return find_entities(text) if given is None else list(given)


def _put_entities(msg: Json, key: str, text: str, given: list[Json] | None) -> None:
    if entities := _entities(text, given):
        msg[key] = entities


def _caption(p: Json) -> Json:
    caption = p.get("caption")
    if not caption:
        return {}
    return {"caption": caption, "caption_entities": _entities(caption, p.get("caption_entities"))}


def _scope_key(p: Json) -> tuple[str, str]:
    scope = p.get("scope") or {"type": "default"}
    return json.dumps(scope, sort_keys=True), p.get("language_code") or ""


def _without(msg: Json, *keys: str) -> Json:
    return {key: value for key, value in msg.items() if key not in keys}


def _kind(update: Json) -> str:
    return next(key for key in update if key != "update_id")


def _short(value: Any, limit: int = 160) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."
