"""The fake Bot API is good enough for the real PTB Application, over HTTP on 127.0.0.1."""

import asyncio
from datetime import timedelta

import pytest
from aiohttp import ClientSession
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, ReplyParameters, Update
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Conflict,
    EndPointNotFound,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TimedOut,
)
from telegram.ext import Application, MessageHandler, filters
from telegram.warnings import PTBDeprecationWarning

from tests.fakes.bot_api import FakeBotApi, find_entities, free_port, utf16_len

CHAT = -1001987654321
LEADER, ZHANG = 1001, 1002
KEYBOARD = InlineKeyboardMarkup([[InlineKeyboardButton("收到", callback_data="ack")]])


def build_app(fake: FakeBotApi, token: str | None = None) -> Application:
    return (
        Application.builder()
        .token(token or fake.token)
        .base_url(fake.base_url)
        .base_file_url(fake.base_file_url)
        .build()
    )


@pytest.fixture
async def fake():
    async with FakeBotApi() as server:
        leader = server.make_user(LEADER, "王经理", "wang_manager")
        server.make_user(ZHANG, "张三", "zhangsan")
        server.add_chat(CHAT, "销售部工作群", admins=[leader])
        yield server


@pytest.fixture
async def bot(fake):
    app = build_app(fake)
    await app.initialize()
    yield app.bot
    await app.shutdown()


async def test_get_me_answers_with_the_fake_bot(bot, fake):
    me = await bot.get_me()

    assert (me.id, me.username, me.is_bot) == (fake.bot_id, "tracker_test_bot", True)
    assert [call.method for call in fake.calls] == ["getMe", "getMe"]  # initialize() + ours


async def test_wrong_token_is_unauthorized(fake):
    app = build_app(fake, token="42:not-the-token")

    with pytest.raises(InvalidToken):
        await app.initialize()
    await app.bot.shutdown()  # a failed initialize() leaves httpx open; app.shutdown() won't
    assert fake.calls[-1].status == 401


async def test_unknown_method_is_404_which_ptb_reports_as_endpoint_not_found(bot, fake):
    with pytest.raises(EndPointNotFound, match="'frobnicate' not found"):
        await bot.do_api_request("frobnicate")
    assert (fake.calls[-1].status, fake.calls[-1].result) == (404, "Not Found: method not found")


async def test_send_message_records_text_and_returns_a_message(bot, fake):
    first = await bot.send_message(CHAT, "请大家今天下班前提交周报", reply_markup=KEYBOARD)
    pushed = fake.push_message(CHAT, ZHANG, "收到")
    reply = await bot.send_message(
        CHAT, "好的", reply_parameters=ReplyParameters(pushed["message"]["message_id"])
    )

    assert (first.message_id, first.chat.id, first.chat.title) == (1, CHAT, "销售部工作群")
    assert first.from_user.id == fake.bot_id and first.date.tzinfo is not None
    assert first.reply_markup == KEYBOARD
    assert reply.message_id == 3
    assert reply.reply_to_message.text == "收到" and reply.reply_to_message.from_user.id == ZHANG
    assert fake.sent_texts(CHAT) == ["请大家今天下班前提交周报", "好的"]
    assert fake.sent(CHAT)[0]["reply_markup"] == KEYBOARD.to_dict()


async def test_sending_to_an_unknown_chat_is_a_bad_request(bot, fake):
    with pytest.raises(BadRequest, match="^Chat not found$"):  # PTB drops "Bad Request: "
        await bot.send_message(-100555, "hi")
    assert fake.sent() == []


# RetryAfter() itself warns unless PTB_TIMEDELTA=1; then retry_after is a timedelta, not an int.
@pytest.mark.filterwarnings(f"ignore::{PTBDeprecationWarning.__module__}.PTBDeprecationWarning")
async def test_429_raises_retry_after_with_the_servers_value(bot, fake):
    fake.fail_next("sendMessage", retry_after=7)

    with pytest.raises(RetryAfter) as caught:
        await bot.send_message(CHAT, "提醒")
    assert caught.value.retry_after in (7, timedelta(seconds=7))
    await bot.send_message(CHAT, "提醒")

    assert [(c.outcome, c.status) for c in fake.calls if c.method == "sendMessage"] == [
        ("error", 429),
        ("ok", 200),
    ]
    assert fake.sent_texts() == ["提醒"]


@pytest.mark.parametrize(
    ("status", "description", "error", "message"),
    [
        (403, "Forbidden: bot was blocked by the user", Forbidden, None),
        (500, "Internal Server Error", NetworkError, None),
        (502, "Bad Gateway", NetworkError, None),
        (409, "Conflict: terminated by other getUpdates request", Conflict, None),
        (400, "Bad Request: MESSAGE_TOO_LONG", BadRequest, "Message_too_long"),
    ],
)
async def test_http_errors_map_to_ptb_exceptions(bot, fake, status, description, error, message):
    fake.fail_next("sendMessage", status=status, description=description)

    with pytest.raises(error) as caught:
        await bot.send_message(CHAT, "提醒")
    assert type(caught.value) is error
    assert caught.value.message == (message or description)
    assert fake.sent() == []


async def test_dropped_connection_is_a_network_error_and_a_slow_answer_times_out(bot, fake):
    fake.drop_next("sendMessage")
    with pytest.raises(NetworkError, match="RemoteProtocolError") as caught:
        await bot.send_message(CHAT, "提醒")
    assert not isinstance(caught.value, TimedOut)

    fake.delay_next("sendMessage", 0.3)
    with pytest.raises(TimedOut):
        await bot.send_message(CHAT, "提醒", read_timeout=0.05)
    await fake.wait_for(lambda f: f.calls[-1].outcome != "pending")

    assert [c.outcome for c in fake.calls if c.method == "sendMessage"] == ["dropped", "ok"]
    assert fake.sent_texts() == ["提醒"]  # the slow one was sent though the client gave up


async def test_kicked_bot_gets_forbidden_and_migrated_group_gets_chat_migrated(bot, fake):
    fake.push_my_chat_member(CHAT, "kicked")
    with pytest.raises(Forbidden, match="bot was kicked from the supergroup chat"):
        await bot.send_message(CHAT, "提醒")

    fake.push_migrate(-4001, -1004001)
    with pytest.raises(ChatMigrated) as caught:
        await bot.send_message(-4001, "提醒")
    assert caught.value.new_chat_id == -1004001
    assert (await bot.send_message(-1004001, "提醒")).chat.type == "supergroup"


async def test_get_updates_waits_for_a_push_and_confirms_by_offset(bot, fake):
    loop = asyncio.get_running_loop()
    started = loop.time()
    poll = asyncio.create_task(bot.get_updates(offset=0, timeout=3))
    await asyncio.sleep(0.05)
    pushed = fake.push_message(CHAT, ZHANG, "收到")
    (update,) = await poll

    assert loop.time() - started < 1
    assert update.update_id == pushed["update_id"] and update.message.text == "收到"
    assert await bot.get_updates(offset=update.update_id + 1, timeout=0) == ()
    assert fake.updates == []


async def test_reactions_are_held_back_unless_allowed_updates_asks_for_them(bot, fake):
    fake.push_reaction(CHAT, 1, ZHANG, "👍")

    assert await bot.get_updates(timeout=0) == ()
    (update,) = await bot.get_updates(timeout=0, allowed_updates=Update.ALL_TYPES)
    assert update.message_reaction.new_reaction[0].emoji == "👍"
    assert update.message_reaction.user.id == ZHANG


async def test_polling_application_echoes_a_pushed_message(fake):
    app = build_app(fake)

    async def echo(update, context):
        await update.effective_message.reply_text(f"回声：{update.effective_message.text}")

    app.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, echo))
    await app.initialize()
    await app.start()
    await app.updater.start_polling(poll_interval=0, timeout=1)
    try:
        pushed = fake.push_message(CHAT, ZHANG, "收到")
        await fake.wait_for(lambda f: f.sent(CHAT))
    finally:
        await app.updater.stop()
        await app.stop()
        await app.shutdown()

    (sent,) = fake.sent(CHAT)
    assert sent["text"] == "回声：收到"
    assert sent["reply_parameters"]["message_id"] == pushed["message"]["message_id"]
    assert "deleteWebhook" in [call.method for call in fake.calls]
    assert fake.updates == []  # the updater confirmed the offset on its way out


async def test_webhook_application_accepts_the_right_secret_and_rejects_a_wrong_one(fake):
    app = build_app(fake)
    seen = []

    async def record(update, context):
        seen.append(update.effective_message.text)

    app.add_handler(MessageHandler(filters.TEXT, record))
    port = free_port()
    await app.initialize()
    await app.start()
    await app.updater.start_webhook(
        listen="127.0.0.1",
        port=port,
        url_path="hook",
        webhook_url=f"http://127.0.0.1:{port}/hook",
        secret_token="s3cret",
    )
    try:
        assert fake.webhook["url"] == f"http://127.0.0.1:{port}/hook"
        assert fake.webhook["secret_token"] == "s3cret"
        good = fake.push_message(CHAT, ZHANG, "收到")
        assert await fake.deliver_webhook(None, good) == 200
        await fake.wait_for(lambda _: seen)
        forged = fake.push_message(CHAT, ZHANG, "伪造")
        assert await fake.deliver_webhook(None, forged, secret_token="wrong") == 403
        assert await fake.deliver_webhook(None, forged, secret_token=None) == 403
        with pytest.raises(Conflict, match="webhook is active"):
            await app.bot.get_updates()
    finally:
        await app.updater.stop()
        await app.stop()
        await app.shutdown()

    assert seen == ["收到"]
    assert fake.updates == [forged]


def test_find_entities_counts_utf16_and_needs_a_word_boundary():
    assert utf16_len("𠮷野👍") == 5
    assert find_entities("请@zhangsan今天提交") == []  # letters touch the @ on both sides
    assert find_entities("提交#周报") == []
    assert [e["type"] for e in find_entities("/status@tracker_bot #周报，@li_si")] == [
        "bot_command",
        "hashtag",
        "mention",
    ]


async def test_entity_offsets_survive_chinese_and_astral_characters(bot, fake):
    text = "𠮷野 @zhangsan 请在今天下班前提交 #周报，👍 @li_si 也看一下 /status@tracker_test_bot"
    expected = ["@zhangsan", "#周报", "@li_si", "/status@tracker_test_bot"]
    fake.push_message(CHAT, ZHANG, text)

    (update,) = await bot.get_updates(timeout=0)
    sent = await bot.send_message(CHAT, text)

    for message in (update.message, sent):
        parsed = message.parse_entities()
        ordered = sorted(parsed, key=lambda entity: entity.offset)
        assert [parsed[entity] for entity in ordered] == expected
        assert [entity.type for entity in ordered] == [
            "mention",
            "hashtag",
            "mention",
            "bot_command",
        ]


async def test_callback_query_answer_and_edit(bot, fake):
    question = await bot.send_message(CHAT, "请确认", reply_markup=KEYBOARD)
    fake.push_callback_query(ZHANG, question.to_dict(), "ack")
    (update,) = await bot.get_updates(timeout=0)
    query = update.callback_query

    assert (query.data, query.from_user.id, query.message.message_id) == ("ack", ZHANG, 1)
    assert await query.answer("已确认") is True
    with pytest.raises(BadRequest, match="^Query is too old"):
        await query.answer("again")
    edited = await query.edit_message_text("张三 已确认")
    assert edited.text == "张三 已确认" and edited.reply_markup is None
    assert edited.edit_date is not None
    with pytest.raises(BadRequest, match="^Message is not modified"):
        await query.edit_message_text("张三 已确认")
    assert [params["text"] for params in fake.edits(CHAT)] == ["张三 已确认"]


async def test_documents_upload_with_chinese_filenames_and_download_again(bot, fake):
    data = b"PK\x03\x04 fake xlsx"
    message = await bot.send_document(CHAT, data, filename="罚款汇总.xlsx", caption="本周罚款")

    assert message.document.file_name == "罚款汇总.xlsx" and message.caption == "本周罚款"
    (upload,) = fake.uploads(CHAT)
    assert (upload.filename, upload.data) == ("罚款汇总.xlsx", data)
    file = await bot.get_file(message.document.file_id)
    assert bytes(await file.download_as_bytearray()) == data
    photo = await bot.send_photo(CHAT, b"\x89PNG fake")
    assert photo.photo[0].file_size == len(b"\x89PNG fake")


async def test_chat_members_commands_and_reactions(bot, fake):
    await bot.set_my_commands([("status", "查看待办"), ("waive", "免除罚款")])
    fake.set_member_status(CHAT, ZHANG, "restricted")
    message = await bot.send_message(CHAT, "提醒")

    assert [c.command for c in await bot.get_my_commands()] == ["status", "waive"]
    assert [m.user.id for m in await bot.get_chat_administrators(CHAT)] == [LEADER]
    assert (await bot.get_chat_member(CHAT, ZHANG)).status == "restricted"
    assert (await bot.get_chat(CHAT)).title == "销售部工作群"
    assert await bot.set_message_reaction(CHAT, message.message_id, "👍") is True
    with pytest.raises(BadRequest, match="^Bot_command_invalid$"):  # PTB's capitalize()
        await bot.set_my_commands([("Status", "大写不行")])
    assert await bot.delete_my_commands() is True
    assert await bot.get_my_commands() == ()
    assert await bot.leave_chat(CHAT) is True
    with pytest.raises(Forbidden, match="not a member"):
        await bot.send_message(CHAT, "还在吗")


async def test_edits_member_changes_and_migrations_parse_as_ptb_objects(bot, fake):
    pushed = fake.push_message(CHAT, ZHANG, "收到")
    fake.push_edited_message(CHAT, pushed["message"]["message_id"], "收到，马上办")
    fake.push_my_chat_member(CHAT, "administrator")
    fake.push_chat_member(CHAT, ZHANG, "kicked")
    fake.push_migrate(-4001, -1004001)

    updates = await bot.get_updates(timeout=0, allowed_updates=Update.ALL_TYPES)

    _, edited, mine, theirs, moved_out, moved_in = updates
    assert edited.edited_message.text == "收到，马上办" and edited.edited_message.edit_date
    change = mine.my_chat_member
    assert (change.old_chat_member.status, change.new_chat_member.status) == (
        "member",
        "administrator",
    )
    assert change.new_chat_member.can_delete_messages and change.from_user.id == LEADER
    assert theirs.chat_member.new_chat_member.status == "kicked"
    assert moved_out.message.migrate_to_chat_id == -1004001
    assert moved_in.message.migrate_from_chat_id == -4001


async def test_json_bodies_and_query_strings_are_accepted(fake):
    url = f"{fake.base_url}{fake.token}/sendMessage"
    async with ClientSession() as session:
        async with session.post(url, json={"chat_id": CHAT, "text": "1"}) as response:
            body = await response.json()
        async with session.get(url, params={"chat_id": str(CHAT), "text": "2"}) as response:
            assert (await response.json())["result"]["text"] == "2"

    assert body["ok"] is True and body["result"]["chat"]["id"] == CHAT
    assert fake.sent_texts(CHAT) == ["1", "2"]  # "1" stays a string, as Telegram keeps it
