"""Reading Telegram Desktop exports: every message shape, and one clear line for every bad file."""

from __future__ import annotations

import gc
import importlib.util
import json
import random
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.export_shapes import message_entry
from tracker.adapters.telegram import export_reader as telegram_export
from tracker.adapters.telegram.export_events import UNNAMED, UNTIMED
from tracker.adapters.telegram.export_reader import ExportChat, bot_api_id, read_export
from tracker.adapters.telegram.limits import MESSAGE_ID_LIKE
from tracker.domain.inbound import (
    BY_NAME,
    UNLISTED,
    IncomingMessage,
    IncomingReaction,
    MemberSeen,
    Mention,
)
from tracker.errors import ExportFormatError

SAMPLES = Path(__file__).resolve().parents[3] / "shared" / "samples"
SAMPLE = SAMPLES / "telegram-export-sample.json"
EXPORT_ID = 1987654321
CHAT_ID = -1001987654321
T0 = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)  # 09:00 in Shanghai
LOCAL = timedelta(hours=8)  # the exporting desktop's offset, as in `date`


def msg(mid: int, text: object = "收到", *, at: int = 0, who: int = 1002, **fields) -> dict:
    """A `type: message` entry `at` seconds after T0, in Telegram Desktop's shape."""
    when = T0 + timedelta(seconds=at)
    local = (when + LOCAL).strftime("%Y-%m-%dT%H:%M:%S")
    return message_entry(
        mid, who, f"user {who}", text, local, str(int(when.timestamp())), **fields
    )


def service(mid: int, action: str, actor: str, actor_id: str, *, at: int = 0, **fields) -> dict:
    message = msg(mid, "", at=at) | {"type": "service", "action": action}
    del message["from"], message["from_id"]
    return message | {"actor": actor, "actor_id": actor_id, **fields}


def dump(path: Path, document: object, layout: str) -> Path:
    indent = 1 if layout == "desktop" else None
    path.write_text(json.dumps(document, ensure_ascii=False, indent=indent), encoding="utf-8")
    return path


@pytest.fixture(params=["desktop", "compact"])
def layout(request) -> str:
    """Telegram Desktop's own layout (read in batches) and any other layout (parsed whole)."""
    return request.param


@pytest.fixture
def export(tmp_path: Path, layout: str):
    """Write a one-chat export of `messages` and read its only chat."""

    def write_and_read(messages: list, chat_type: str = "private_supergroup") -> ExportChat:
        chat = {"name": "销售部工作群", "type": chat_type, "id": EXPORT_ID, "messages": messages}
        chats = read_export(dump(tmp_path / "result.json", chat, layout))
        assert len(chats) == 1
        return chats[0]

    return write_and_read


def messages_of(chat: ExportChat) -> list[IncomingMessage]:
    return [item for item in chat.items if isinstance(item, IncomingMessage)]


def only_message(chat: ExportChat) -> IncomingMessage:
    (message,) = messages_of(chat)
    return message


# --- the shared sample ---------------------------------------------------------------------


@pytest.fixture
def sample() -> ExportChat:
    if not SAMPLE.is_file():
        pytest.skip(f"shared sample export not found at {SAMPLE}")
    (chat,) = read_export(SAMPLE)
    return chat


def test_sample_is_one_supergroup_with_its_bot_api_id(sample: ExportChat) -> None:
    assert (sample.export_id, sample.bot_api_id) == (1876543210, -1001876543210)
    assert (sample.name, sample.type, sample.skipped) == ("市场部工作群", "private_supergroup", {})


def test_sample_items_are_in_time_order_with_the_reaction_in_place(sample: ExportChat) -> None:
    kinds = [(type(item).__name__, getattr(item, "message_id", None)) for item in sample.items]
    assert kinds[:3] == [
        ("IncomingMessage", 3),
        ("IncomingMessage", 4),
        ("IncomingReaction", 3),
    ]
    times = [item.at for item in sample.items]
    assert times == sorted(times)


def test_sample_directive_text_mentions_and_hashtag(sample: ExportChat) -> None:
    directive = messages_of(sample)[0]
    assert directive.text == "@zhouyi 市场部-吴二 今天下班前把展会预算报给我 #任务"
    assert directive.mentions == (
        Mention("@zhouyi", username="zhouyi"),
        Mention("市场部-吴二", user_id=2002),
    )
    assert directive.hashtags == ("#任务",)
    assert directive.at == datetime(2026, 11, 2, 1, 5, tzinfo=UTC)
    assert (directive.sender_id, directive.sender_name) == (1001, "王总")


def test_sample_reaction_time_comes_from_the_naive_date_gap(sample: ExportChat) -> None:
    (reaction,) = [item for item in sample.items if isinstance(item, IncomingReaction)]
    assert reaction == IncomingReaction(
        chat_id=-1001876543210,
        message_id=3,
        user_id=2003,
        emoji="👍",
        at=datetime(2026, 11, 2, 1, 6, 10, tzinfo=UTC),
    )


def test_sample_media_forward_edit_and_deleted_account(sample: ExportChat) -> None:
    by_id = {m.message_id: m for m in messages_of(sample)}
    assert (by_id[4].reply_to, by_id[4].reply_to_sender) == (3, 1001)
    assert by_id[5].text == "收到，马上弄"
    assert by_id[5].extra["edited_at"] == datetime(2026, 11, 2, 1, 8, 2, tzinfo=UTC)
    assert (by_id[6].text, by_id[6].extra["media"]) == ("去年的预算表", "photo")
    assert (by_id[7].text, by_id[7].sticker_emoji) == ("", "👌")
    assert by_id[8].is_forward and not by_id[9].is_forward
    assert by_id[9].text == "预算模板 用这个"
    assert (by_id[10].sender_id, by_id[10].sender_name) == (2004, None)


def test_sample_service_messages_name_the_removed_member_by_name_only(sample: ExportChat) -> None:
    seen = [item for item in sample.items if isinstance(item, MemberSeen)]
    assert [(s.user_id, s.name, s.left) for s in seen] == [(BY_NAME, "市场部-郑三", True)]


# --- message shapes --------------------------------------------------------------------------


def test_plain_string_text_has_no_entities(export) -> None:
    message = only_message(export([msg(7, "收到！马上执行")]))
    assert message == IncomingMessage(
        chat_id=CHAT_ID,
        message_id=7,
        sender_id=1002,
        sender_name="user 1002",
        at=T0,
        text="收到！马上执行",
    )


def test_list_text_joins_parts_and_reads_every_entity(export) -> None:
    parts = [
        {"type": "mention", "text": "@ZhangSan"},
        " ",
        {"type": "mention_name", "text": "销售部-王五", "user_id": 1004},
        " 今天下班前把",
        {"type": "bold", "text": "拜访计划"},
        "发群里，模板见",
        {"type": "text_link", "text": "这里", "href": "https://example.com/t.xlsx"},
        " ",
        {"type": "hashtag", "text": "#任务"},
        {"type": "hashtag", "text": "#Urgent"},
    ]
    message = only_message(export([msg(8, parts, who=1001)]))
    assert (
        message.text == "@ZhangSan 销售部-王五 今天下班前把拜访计划发群里，模板见这里 #任务#Urgent"
    )
    assert message.mentions == (
        Mention("@ZhangSan", username="zhangsan"),
        Mention("销售部-王五", user_id=1004),
    )
    assert message.hashtags == ("#任务", "#urgent")
    assert message.commands == ()


def test_entities_come_from_text_parts_when_text_entities_is_absent(export) -> None:
    message = msg(9, [{"type": "mention", "text": "@lisi"}, " 辛苦了"])
    del message["text_entities"]
    assert only_message(export([message])).mentions == (Mention("@lisi", username="lisi"),)


def test_bot_command_is_lower_cased_without_the_bot_suffix(export) -> None:
    parts = [{"type": "bot_command", "text": "/Cancel@Tracker_Bot"}]
    message = only_message(export([msg(10, parts, who=1001, reply_to_message_id=9)]))
    assert (message.text, message.commands, message.reply_to) == (
        "/Cancel@Tracker_Bot",
        ("/cancel",),
        9,
    )


def test_reply_knows_the_replied_sender_and_ignores_other_chats(export) -> None:
    chat = export(
        [
            msg(1, "#任务 报价", who=1001),
            msg(2, "收到", at=60, reply_to_message_id=1),
            msg(3, "好的", at=61, reply_to_message_id=1, reply_to_peer_id=f"channel{EXPORT_ID}"),
            msg(4, "收到", at=62, reply_to_message_id=1, reply_to_peer_id="channel777"),
            msg(5, "1", at=63, reply_to_message_id=99),
        ]
    )
    replies = [(m.reply_to, m.reply_to_sender) for m in messages_of(chat)[1:]]
    assert replies == [(1, 1001), (1, 1001), (None, None), (99, None)]


def test_forward_via_bot_and_sticker(export) -> None:
    sticker = {"file": "stickers/s.webp", "media_type": "sticker", "sticker_emoji": "👍"}
    chat = export(
        [
            msg(1, "预算不能超过5万", forwarded_from="客户-李总"),
            msg(2, "看这个", at=1, via_bot="@gif"),
            msg(3, "", at=2, **sticker),
        ]
    )
    forward, via, thumbs = messages_of(chat)
    assert forward.is_forward and not forward.via_bot
    assert via.via_bot and not via.is_forward
    assert (thumbs.text, thumbs.sticker_emoji, thumbs.extra["media"]) == ("", "👍", "sticker")


def test_photo_caption_is_the_text(export) -> None:
    photo = {"photo": "photos/photo_1.jpg", "width": 1280, "height": 960}
    message = only_message(export([msg(1, "客户签字的回执", **photo)]))
    assert (message.text, message.extra["media"]) == ("客户签字的回执", "photo")


def test_deleted_account_keeps_its_id_without_a_name(export) -> None:
    message = only_message(export([msg(1, "收到") | {"from": None}]))
    assert (message.sender_id, message.sender_name) == (1002, None)


def test_post_as_a_channel_has_a_name_but_no_sender_id(export) -> None:
    message = only_message(export([msg(1, "公告") | {"from": "销售部", "from_id": "channel55"}]))
    assert (message.sender_id, message.sender_name) == (None, "销售部")


def test_integer_from_id_of_old_exports_is_a_user(export) -> None:
    assert only_message(export([msg(1) | {"from_id": 1003}])).sender_id == 1003


def test_edited_message_has_the_final_text_and_the_edit_time(export) -> None:
    edited = str(int((T0 + timedelta(seconds=90)).timestamp()))
    message = only_message(export([msg(1, "收到，马上弄", edited="x", edited_unixtime=edited)]))
    assert message.text == "收到，马上弄"
    assert message.at == T0
    assert message.extra["edited_at"] == T0 + timedelta(seconds=90)


def test_unsupported_and_unknown_types_are_counted_not_dropped_silently(export) -> None:
    chat = export(
        [
            {"id": 1, "type": "unsupported"},
            msg(2),
            {"id": 3, "type": "unsupported"},
            msg(4, at=1) | {"type": "story"},
        ]
    )
    assert [m.message_id for m in messages_of(chat)] == [2]
    assert chat.skipped == {"unsupported message": 2, "message type 'story'": 1}


def test_joins_and_removals_are_roster_news(export) -> None:
    chat = export(
        [
            service(1, "create_group", "王总", "user1001", title="群", members=["王总", "张三"]),
            service(2, "join_group_by_link", "孙七", "user1006", at=1, inviter="王总"),
            service(3, "invite_members", "王总", "user1001", at=2, members=["赵六"]),
            service(4, "remove_members", "王总", "user1001", at=3, members=["赵六"]),
            service(5, "remove_members", "李四", "user1003", at=4, members=["李四"]),
            service(6, "invite_members", "王五", "user1004", at=5, members=["王五"]),
            service(7, "migrate_from_group", "王总", "user1001", at=6, title="群"),
            service(8, "pin_message", "王总", "user1001", at=7, message_id=1),
        ]
    )
    assert chat.items == [
        MemberSeen(CHAT_ID, 1006, "孙七", at=T0 + timedelta(seconds=1)),
        MemberSeen(CHAT_ID, BY_NAME, "赵六", left=True, at=T0 + timedelta(seconds=3)),
        MemberSeen(CHAT_ID, 1003, "李四", left=True, at=T0 + timedelta(seconds=4)),
        MemberSeen(CHAT_ID, 1004, "王五", at=T0 + timedelta(seconds=5)),
    ]


def test_reactions_are_timed_by_unixtime_or_by_the_naive_date_gap(export) -> None:
    def recent(user: int, seconds: int, unixtime: bool = False) -> dict:
        when = T0 + timedelta(seconds=seconds)
        entry = {"from": f"u{user}", "from_id": f"user{user}"}
        entry["date"] = (when + LOCAL).strftime("%Y-%m-%dT%H:%M:%S")
        if unixtime:
            entry["date_unixtime"] = str(int(when.timestamp()))
        return entry

    reactions = [
        {
            "type": "emoji",
            "count": 2,
            "emoji": "👍",
            "recent": [recent(1003, 300), recent(1004, 90)],
        },
        {"type": "emoji", "count": 1, "emoji": "👌", "recent": [recent(1005, 120, unixtime=True)]},
        {
            "type": "emoji",
            "count": 3,
            "emoji": "❤",
            "recent": [{"from": "c", "from_id": "channel9"}],
        },
        {"type": "custom_emoji", "count": 1, "document_id": "5368324170671202286"},
        {"type": "paid", "count": 5},
    ]
    chat = export([msg(1, "#通知 明天开会", who=1001, reactions=reactions), msg(2, at=100)])
    timeline = [(type(i).__name__[8:], i.at - T0, getattr(i, "user_id", None)) for i in chat.items]
    assert timeline == [
        ("Message", timedelta(0), None),
        ("Reaction", timedelta(0), UNLISTED),  # ❤ by reactors the export does not name
        ("Reaction", timedelta(seconds=90), 1004),
        ("Message", timedelta(seconds=100), None),
        ("Reaction", timedelta(seconds=120), 1005),
        ("Reaction", timedelta(seconds=300), 1003),
    ]
    assert [i.timed for i in chat.items if isinstance(i, IncomingReaction)] == [
        False,
        True,
        True,
        True,
    ]
    assert chat.skipped == {UNNAMED: 3, "custom or paid reaction": 6}


def test_an_undated_reaction_comes_untimed_and_reactions_can_be_ignored(tmp_path) -> None:
    undated = [{"type": "emoji", "count": 1, "emoji": "👍", "recent": [{"from_id": "user1003"}]}]
    chat = {"name": "群", "type": "private_supergroup", "id": 1987654321}
    chat["messages"] = [msg(1, "#通知 明天开会", who=1001, reactions=undated)]
    path = tmp_path / "result.json"
    path.write_text(json.dumps(chat, ensure_ascii=False), encoding="utf-8")
    (read,) = read_export(path)
    reaction = read.items[1]
    assert (reaction.user_id, reaction.at, reaction.timed) == (1003, T0, False)
    assert read.skipped == {UNTIMED: 1}
    (ignored,) = read_export(path, reactions=False)
    assert len(ignored.items) == 1
    assert ignored.skipped == {"message's reactions (--reactions ignore)": 1}


def test_items_sort_by_time_then_kind_then_message_id(export) -> None:
    chat = export(
        [
            msg(5, "b", at=10),
            msg(4, "a", at=10),
            service(6, "join_group_by_link", "孙七", "user1006", at=10),
            msg(3, "first", at=0),
        ]
    )
    order = [getattr(item, "message_id", "seen") for item in chat.items]
    assert order == [3, "seen", 4, 5]


def test_desktop_layout_read_in_small_batches_matches_a_whole_parse(tmp_path, monkeypatch) -> None:
    messages = [msg(i, f"消息{i}", at=i) for i in range(1, 40)]
    chat = {"name": "群", "type": "private_supergroup", "id": EXPORT_ID, "messages": messages}
    whole = read_export(dump(tmp_path / "compact.json", chat, "compact"))
    monkeypatch.setattr(telegram_export, "_CHUNK_BYTES", 300)
    batched = read_export(dump(tmp_path / "desktop.json", chat, "desktop"))
    assert batched == whole
    assert len(batched[0].items) == 39


def test_byte_order_mark_is_accepted(tmp_path) -> None:
    chat = {"name": "群", "type": "private_group", "id": 42, "messages": [msg(1)]}
    path = tmp_path / "bom.json"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps(chat, indent=1).encode())
    assert read_export(path)[0].bot_api_id == -42


@pytest.mark.parametrize(
    ("chat_type", "expected"),
    [
        ("private_supergroup", -1001987654321),
        ("public_supergroup", -1001987654321),
        ("private_group", -1987654321),
        ("personal_chat", 1987654321),
        ("bot_chat", 1987654321),
        ("saved_messages", 1987654321),
        ("private_channel", 1987654321),
    ],
)
def test_bot_api_id_follows_the_chat_type(chat_type: str, expected: int) -> None:
    assert bot_api_id(EXPORT_ID, chat_type) == expected


def test_basic_group_messages_carry_the_negative_id(export) -> None:
    chat = export([msg(1)], chat_type="private_group")
    assert chat.bot_api_id == only_message(chat).chat_id == -EXPORT_ID


def test_full_account_export_reads_every_chat_with_messages(tmp_path, layout) -> None:
    root = {
        "about": "Here is the data you requested.",
        "personal_information": {"user_id": 1001, "first_name": "王"},
        "chats": {
            "about": "This page lists all chats from this export.",
            "list": [
                {
                    "name": "销售部工作群",
                    "type": "private_supergroup",
                    "id": 11,
                    "messages": [msg(1)],
                },
                {"name": "老群", "type": "private_group", "id": 22, "messages": [msg(2), msg(3)]},
                {"name": "张三", "type": "personal_chat", "id": 1002, "messages": []},
                {"type": "saved_messages", "id": 1001},
            ],
        },
        "left_chats": {
            "about": "Chats you left.",
            "list": [{"name": "旧项目群", "type": "public_supergroup", "id": 33, "messages": []}],
        },
    }
    chats = read_export(dump(tmp_path / "result.json", root, layout))
    summary = [(c.name, c.bot_api_id, len(c.items)) for c in chats]
    assert summary == [
        ("销售部工作群", -1000000000011, 1),
        ("老群", -22, 2),
        ("张三", 1002, 0),
        ("旧项目群", -1000000000033, 0),
    ]
    assert {m.chat_id for m in chats[1].items} == {-22}


def test_reading_leaves_the_garbage_collector_as_it_was(tmp_path) -> None:
    assert gc.isenabled()
    read_export(dump(tmp_path / "ok.json", {"id": 1, "type": "x", "messages": []}, "desktop"))
    assert gc.isenabled()
    with pytest.raises(ExportFormatError):
        read_export(tmp_path / "missing.json")
    assert gc.isenabled()


# --- errors: one line, naming the file ----------------------------------------------------


def error_of(path: Path) -> str:
    with pytest.raises(ExportFormatError) as caught:
        read_export(path)
    text = str(caught.value)
    assert "\n" not in text
    assert text.startswith(f"{path}: ")
    return text.removeprefix(f"{path}: ")


def test_missing_file(tmp_path) -> None:
    assert error_of(tmp_path / "result.json") == "no such file"


def test_directory_hints_at_the_result_json_inside(tmp_path) -> None:
    assert error_of(tmp_path) == "is a directory, expected an export file"
    (tmp_path / "result.json").write_text("{}")
    assert error_of(tmp_path).endswith("(did you mean result.json inside it?)")


@pytest.mark.parametrize(
    ("content", "line"),
    [(b"", 1), (b'{\n "name": "x",\n}', 2), (b'{"messages": [\n{"id": 1}', 2)],
)
def test_not_json_names_line_and_column(tmp_path, content: bytes, line: int) -> None:
    path = tmp_path / "result.json"
    path.write_bytes(content)
    assert re.fullmatch(rf"not valid JSON: .+ at line {line} column \d+", error_of(path))


def test_an_html_export_is_named_as_such(tmp_path) -> None:
    path = tmp_path / "messages.html"
    path.write_bytes(b"\n<!DOCTYPE html>\n<html><body>...</body></html>")
    assert error_of(path).startswith("Telegram Desktop's HTML export: export the chat again")


def test_a_utf16_file_is_named_as_such(tmp_path) -> None:
    chat = {"name": "群", "type": "private_group", "id": 42, "messages": [msg(1)]}
    path = tmp_path / "result.json"
    path.write_bytes(json.dumps(chat, ensure_ascii=False, indent=1).encode("utf-16"))
    assert error_of(path) == (
        "the file is UTF-16 (re-saved by an editor?): Telegram Desktop writes UTF-8; "
        "export again, or save it as UTF-8"
    )


def test_broken_message_in_a_desktop_layout_file_names_the_line_in_the_file(tmp_path) -> None:
    chat = {"name": "群", "type": "private_supergroup", "id": 1, "messages": [msg(1), msg(2)]}
    path = dump(tmp_path / "result.json", chat, "desktop")
    lines = path.read_text().splitlines()
    broken = next(i for i, line in enumerate(lines) if '"id": 2' in line)
    lines[broken] = lines[broken].replace("2,", "2")
    path.write_text("\n".join(lines))
    assert f"at line {broken + 2} column" in error_of(path)


@pytest.mark.parametrize(
    ("document", "expected"),
    [
        ([1, 2], "not a Telegram Desktop export (no 'messages' and no 'chats.list')"),
        ({"about": "x"}, "not a Telegram Desktop export (no 'messages' and no 'chats.list')"),
        ({"id": 1, "messages": {}}, "messages is not a list"),
        ({"chats": {"list": {}}}, "chats.list is not a list"),
        ({"chats": {"list": [[]]}}, "chats.list[0] is not an object"),
        ({"name": "群", "messages": []}, "the chat id is missing"),
    ],
)
def test_json_that_is_not_an_export(tmp_path, layout, document, expected: str) -> None:
    assert error_of(dump(tmp_path / "result.json", document, layout)) == expected


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ("oops", "message #1: expected an object"),
        ({"type": "message", "date_unixtime": "1"}, "message #1: id is missing"),
        (msg(2) | {"id": "二"}, f"message #1: id: expected {MESSAGE_ID_LIKE}, got '二'"),
        ({"id": 345, "type": "message"}, "message #1 (id 345): date_unixtime is missing"),
        (
            msg(345) | {"date_unixtime": "昨天"},
            "message #1 (id 345): date_unixtime: expected a unix time (a string of digits), "
            "got '昨天'",
        ),
        (
            msg(345) | {"date_unixtime": "9" * 30},
            "message #1 (id 345): date after 9999-12-31 is outside 2000–2100",
        ),
        (
            msg(345, [{"type": "mention_name", "text": "王五"}]),
            "message #1 (id 345): text_entities[0].user_id is missing",
        ),
        (msg(345, 42), "message #1 (id 345): text: expected a string or a list, got 42"),
    ],
)
def test_bad_message_names_its_index_and_id(tmp_path, layout, message, expected: str) -> None:
    chat = {"name": "群", "type": "private_supergroup", "id": 1, "messages": [msg(1), message]}
    assert error_of(dump(tmp_path / "result.json", chat, layout)).startswith(expected)


# --- values Telegram does not write (issue 12): one line naming the message and the key ------
USER = f"a user id (a whole number from 1 to {2**52 - 1})"
SENDER = "a sender like 'user123' (or 'channel…', 'chat…')"
EXPORT_ID_LIKE = "chat id: expected Telegram Desktop's id of the chat (a whole number from 1 to"


def recent(**entry) -> dict:
    """A message with one 👍 reaction whose `recent` entry is `entry`."""
    reaction = {"type": "emoji", "count": 1, "emoji": "👍", "recent": [entry]}
    return msg(345, reactions=[reaction])


BAD_VALUES = [
    # ids beyond 64 bits or beyond Telegram's ranges
    (msg(2**63), f"message #1: id: expected {MESSAGE_ID_LIKE}, got 9223372036854775808"),
    (msg(2**31), f"message #1: id: expected {MESSAGE_ID_LIKE}, got 2147483648"),
    (msg(-(2**31) - 1), f"message #1: id: expected {MESSAGE_ID_LIKE}, got -2147483649"),
    (msg(True), f"message #1: id: expected {MESSAGE_ID_LIKE}, got True"),
    (
        msg(345, reply_to_message_id=2**63),
        f"reply_to_message_id: expected {MESSAGE_ID_LIKE}, got 9223372036854775808",
    ),
    (
        msg(345, reply_to_message_id=[1]),
        f"reply_to_message_id: expected {MESSAGE_ID_LIKE}, got [1]",
    ),
    (
        msg(345, reply_to_message_id=1, reply_to_peer_id=5),
        "reply_to_peer_id: expected a chat like 'channel1987654321', got 5",
    ),
    (
        msg(345) | {"from_id": "user" + "9" * 25},
        f"from_id: expected 'user' and {USER}, got 'user9999999999999999999999999'",
    ),
    (msg(345) | {"from_id": "user0"}, f"from_id: expected 'user' and {USER}, got 'user0'"),
    (msg(345) | {"from_id": 2**52}, f"from_id: expected {USER}, got 4503599627370496"),
    (msg(345) | {"from_id": "user-5"}, f"from_id: expected {SENDER}, got 'user-5'"),
    (msg(345) | {"from_id": "user１２"}, f"from_id: expected {SENDER}, got 'user１２'"),
    (msg(345) | {"from_id": "group5"}, f"from_id: expected {SENDER}, got 'group5'"),
    (msg(345) | {"from_id": [1002]}, f"from_id: expected {SENDER}, got [1002]"),
    (msg(345) | {"from_id": 1002.0}, f"from_id: expected {SENDER}, got 1002.0"),
    (msg(345) | {"from": 5}, "from: expected a name (a string) or null, got 5"),
    (
        service(345, "join_group_by_link", 5, "user1006"),  # type: ignore[arg-type]
        "actor: expected a name (a string) or null, got 5",
    ),
    (
        service(345, "join_group_by_link", "孙七", "user" + "9" * 25),
        f"actor_id: expected 'user' and {USER}, got 'user9999999999999999999999999'",
    ),
    (
        service(345, ["join"], "孙七", "user1006"),  # type: ignore[arg-type]
        "action: expected a string like 'invite_members', got ['join']",
    ),
    # dates outside 2000–2100, and not unix times at all
    (msg(345) | {"date_unixtime": "0"}, "date 1970-01-01 is outside 2000–2100"),
    (msg(345) | {"date_unixtime": "-62135596800"}, "date 0001-01-01 is outside 2000–2100"),
    (msg(345) | {"date_unixtime": "253402300799"}, "date 9999-12-31 is outside 2000–2100"),
    (msg(345) | {"date_unixtime": "4133980800"}, "date 2101-01-01 is outside 2000–2100"),
    (msg(345) | {"date_unixtime": "946684799"}, "date 1999-12-31 is outside 2000–2100"),
    (
        msg(345) | {"date_unixtime": True},
        "date_unixtime: expected a unix time (a string of digits), got True",
    ),
    (
        msg(345) | {"date_unixtime": "1.7e9"},
        "date_unixtime: expected a unix time (a string of digits), got '1.7e9'",
    ),
    (
        msg(345) | {"date_unixtime": "9" * 5_000},  # beyond the 4,300 digits int() reads
        "date_unixtime: expected a unix time within 2000–2100, got 5000 digits",
    ),
    (msg(345, edited_unixtime="0"), "edited 1970-01-01 is outside 2000–2100"),
    (
        msg(345, edited_unixtime=None),
        "edited_unixtime: expected a unix time (a string of digits), got None",
    ),
    # text and entities of shapes Telegram Desktop does not write
    (msg(345, 42), "text: expected a string or a list, got 42"),
    (msg(345, [1]), "text_entities[0]: expected an object, got 1"),
    (msg(345) | {"text_entities": "收到"}, "text_entities: expected a list, got '收到'"),
    (msg(345) | {"text_entities": [7]}, "text_entities[0]: expected an object, got 7"),
    (
        msg(345) | {"text_entities": [{"type": 5, "text": "x"}]},
        "text_entities[0].type: expected a string like 'mention', got 5",
    ),
    (
        msg(345, [{"type": "mention", "text": 5}]),
        "text_entities[0].text: expected a string, got 5",
    ),
    (
        msg(345, [{"type": "mention_name", "text": "王五", "user_id": 2**52}]),
        f"text_entities[0].user_id: expected {USER}, got 4503599627370496",
    ),
    (
        msg(345, [{"type": "mention_name", "text": "王五", "user_id": "abc"}]),
        f"text_entities[0].user_id: expected {USER}, got 'abc'",
    ),
    (
        msg(345, [{"type": "bold", "text": ["收到"]}]) | {"text_entities": []},
        "text[0].text: expected a string, got ['收到']",
    ),
    (
        msg(345, ["收到", 5]) | {"text_entities": []},
        "text[1]: expected a string or an object, got 5",
    ),
    (msg(345, media_type=5), "media_type: expected a string like 'sticker', got 5"),
    (msg(345, sticker_emoji=[]), "sticker_emoji: expected an emoji (a string) or null, got []"),
    # reactions of shapes Telegram Desktop does not write
    (msg(345, reactions="👍"), "reactions: expected a list, got '👍'"),
    (msg(345, reactions=[1]), "reactions[0]: expected an object, got 1"),
    (
        msg(345, reactions=[{"type": "emoji", "count": "2", "emoji": "👍"}]),
        "reactions[0].count: expected a whole number from 0 to 2147483647, got '2'",
    ),
    (
        msg(345, reactions=[{"type": "emoji", "count": -1, "emoji": "👍"}]),
        "reactions[0].count: expected a whole number from 0 to 2147483647, got -1",
    ),
    (
        msg(345, reactions=[{"count": 1, "emoji": "👍"}]),
        "reactions[0].type: expected a string like 'emoji', got None",
    ),
    (
        msg(345, reactions=[{"type": "emoji", "count": 1, "emoji": 5}]),
        "reactions[0].emoji: expected an emoji (a string), got 5",
    ),
    (
        msg(345, reactions=[{"type": "emoji", "count": 1, "emoji": "👍", "recent": 5}]),
        "reactions[0].recent: expected a list, got 5",
    ),
    (
        msg(345, reactions=[{"type": "emoji", "count": 1, "emoji": "👍", "recent": [5]}]),
        "reactions[0].recent[0]: expected an object, got 5",
    ),
    (
        recent(from_id="user" + "9" * 25, date_unixtime="1795393812"),
        f"reactions[0].recent[0].from_id: expected 'user' and {USER}, "
        "got 'user9999999999999999999999999'",
    ),
    (
        recent(from_id="user1003", date_unixtime="0"),
        "reactions[0].recent[0].date 1970-01-01 is outside 2000–2100",
    ),
    (
        recent(from_id="user1003", date="9999-12-31T23:59:59"),
        "reactions[0].recent[0].date 9999-12-31 is outside 2000–2100",
    ),
    (
        recent(from_id="user1003", date="昨天"),
        "reactions[0].recent[0].date: expected a local time like '2026-11-23T09:05:00', "
        "got '昨天'",
    ),
    (
        recent(from_id="user1003", date="2026-11-23T09:05:00+08:00"),
        "reactions[0].recent[0].date: expected a local time like '2026-11-23T09:05:00' "
        "(no zone), got '2026-11-23T09:05:00+08:00'",
    ),
    (
        recent(from_id="user1003", date="2026-11-23T09:05:00") | {"date": 5},
        "date: expected a local time like '2026-11-23T09:05:00', got 5",  # the message's own
    ),
]


@pytest.mark.parametrize(("message", "expected"), BAD_VALUES)
def test_a_value_telegram_does_not_write_is_refused_naming_it(
    tmp_path, layout, message, expected: str
) -> None:
    chat = {"name": "群", "type": "private_supergroup", "id": 1, "messages": [msg(1), message]}
    text = error_of(dump(tmp_path / "result.json", chat, layout))
    prefix = "message #1: " if expected.startswith("message #1: ") else "message #1 (id 345): "
    assert text == prefix + expected.removeprefix("message #1: ")


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        (
            {"id": -1},
            f"{EXPORT_ID_LIKE} 997852516352), got -1",
        ),
        (
            {"id": 0},
            f"{EXPORT_ID_LIKE} 997852516352), got 0",
        ),
        (
            {"id": 10**12},
            f"{EXPORT_ID_LIKE} 997852516352), got 1000000000000",
        ),
        (
            {"id": 2**64},
            f"{EXPORT_ID_LIKE} 997852516352), got 1.8446744073709552e+19",
        ),
        (
            {"id": "1987654321"},
            f"{EXPORT_ID_LIKE} 997852516352), got '1987654321'",
        ),
        (
            {"id": True},
            f"{EXPORT_ID_LIKE} 997852516352), got True",
        ),
        (
            {"type": "private_group", "id": 10**12},
            f"{EXPORT_ID_LIKE} 999999999999), got 1000000000000",
        ),
        ({"type": 5}, "chat type: expected a string like 'private_supergroup', got 5"),
        (
            {"type": ["private_group"]},
            "chat type: expected a string like 'private_supergroup', got ['private_group']",
        ),
        ({"name": 5}, "chat name: expected a string, got 5"),
    ],
)
def test_a_chat_id_type_or_name_telegram_does_not_write_is_refused(
    tmp_path, layout, head: dict, expected: str
) -> None:
    chat = {"name": "群", "type": "private_supergroup", "id": EXPORT_ID, "messages": [msg(1)]}
    assert error_of(dump(tmp_path / "result.json", chat | head, layout)) == expected


def test_the_edges_of_telegram_s_ranges_are_read(export) -> None:
    """A migrated group's older messages (ids shifted by -10⁹), the largest user id, an old
    integer from_id, a unix time as a number, and the first and last second of 2000–2100."""
    first, last = datetime(2000, 1, 1, tzinfo=UTC), datetime(2100, 12, 31, 23, 59, 59, tzinfo=UTC)
    chat = export(
        [
            msg(-999_999_990, "老群的消息") | {"date_unixtime": str(int(first.timestamp()))},
            msg(2**31 - 1, "收到", who=2**52 - 1, reply_to_message_id=-999_999_990),
            msg(5, "好的") | {"from_id": 2**52 - 1, "date_unixtime": int(T0.timestamp())},
            msg(6, "1") | {"date_unixtime": str(int(last.timestamp()))},
            msg(7, "公告") | {"from": None, "from_id": "chat42", "sticker_emoji": None},
        ]
    )
    assert [(m.message_id, m.sender_id, m.at) for m in messages_of(chat)] == [
        (-999_999_990, 1002, first),
        (5, 2**52 - 1, T0),
        (7, None, T0),
        (2**31 - 1, 2**52 - 1, T0),
        (6, 1002, last),
    ]
    assert messages_of(chat)[3].reply_to_sender == 1002


def test_bad_message_in_a_full_export_names_the_chat(tmp_path) -> None:
    chat = {"name": "老群", "type": "private_group", "id": 2, "messages": [msg(1), {"id": 7}]}
    root = {"chats": {"list": [chat]}}
    text = error_of(dump(tmp_path / "result.json", root, "desktop"))
    assert text == "chats.list[0] (老群): message #1 (id 7): type is missing"


def test_demo_export_is_reproducible_and_reads_cleanly(tmp_path) -> None:
    demo = Path(__file__).resolve().parents[2] / "examples" / "sales-day"
    spec = importlib.util.spec_from_file_location("make_export", demo / "make_export.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    export = {
        "name": "销售部工作群",
        "type": "private_supergroup",
        "id": 1987654321,
        "messages": module.the_day().messages,
    }
    assert json.loads((demo / "result.json").read_text(encoding="utf-8")) == export
    (chat,) = read_export(demo / "result.json")
    assert (chat.bot_api_id, chat.skipped, len(messages_of(chat))) == (-1001987654321, {}, 93)
    assert {m.sender_id for m in messages_of(chat)} == {1001, 1002, 1003, 1004, 1005, 1006}


# --- streaming ------------------------------------------------------------------------------


def test_streamed_items_come_in_the_order_of_a_whole_parse_whatever_the_file_order(
    tmp_path, monkeypatch
) -> None:
    """Times that jump back (an imported history), ties, reactions timed by unixtime before
    their message and by the date gap, and a date_unixtime written oddly: read a few
    messages at a time, the stream orders them exactly as sorting everything does."""
    rng = random.Random(7)
    messages = []
    for mid in range(1, 400):
        at = rng.choice([rng.randrange(0, 3_000), mid * 10, mid * 10, 500])
        extra = {}
        if mid % 7 == 0:
            gap = rng.randrange(-50, 400)
            who = 1003 + mid % 5
            entry = {"from": "x", "from_id": f"user{who}", "date": _local(at + abs(gap))}
            if gap < 0:
                entry["date_unixtime"] = str(int((T0 + timedelta(seconds=at + gap)).timestamp()))
            extra["reactions"] = [{"type": "emoji", "count": 1, "emoji": "👍", "recent": [entry]}]
        messages.append(msg(mid, f"m{mid}", at=at, **extra))
    messages[100]["date_unixtime"] = " " + messages[100]["date_unixtime"]  # int() takes it
    chat = {"name": "群", "type": "private_supergroup", "id": EXPORT_ID, "messages": messages}
    whole = read_export(dump(tmp_path / "compact.json", chat, "compact"))
    monkeypatch.setattr(telegram_export, "_CHUNK_BYTES", 700)
    opened = telegram_export.open_export(dump(tmp_path / "desktop.json", chat, "desktop"))
    (streamed,) = opened.chats
    assert iter(streamed.items) is streamed.items
    assert list(streamed.items) == whole[0].items
    assert streamed.skipped == whole[0].skipped
    kinds = {type(i) for i in whole[0].items}
    assert kinds == {IncomingMessage, IncomingReaction}


def _local(seconds: int) -> str:
    return (T0 + timedelta(seconds=seconds) + LOCAL).strftime("%Y-%m-%dT%H:%M:%S")


def test_a_broken_message_is_reported_when_the_stream_reaches_it(tmp_path, monkeypatch) -> None:
    messages = [msg(i, f"消息{i}", at=i) for i in range(1, 60)]
    messages[50]["id"] = "二"
    chat = {"name": "群", "type": "private_supergroup", "id": 1, "messages": messages}
    monkeypatch.setattr(telegram_export, "_CHUNK_BYTES", 500)
    path = dump(tmp_path / "result.json", chat, "desktop")
    (streamed,) = telegram_export.open_export(path).chats
    taken = []
    with pytest.raises(ExportFormatError) as caught:
        for item in streamed.items:
            taken.append(item.message_id)
    assert str(caught.value) == f"{path}: message #50: id: expected {MESSAGE_ID_LIKE}, got '二'"
    assert taken == list(range(1, len(taken) + 1)) and 0 < len(taken) <= 50


def test_replies_know_their_sender_across_sparse_and_late_starting_ids(export) -> None:
    first = 5_000_000  # an export of a date range starts anywhere
    chat = export(
        [
            msg(first, "#任务 报价", who=1001),
            msg(first + 1, "收到", at=1, reply_to_message_id=first),
            msg(first + 200_000, "#任务 合同", at=2, who=1005),  # a jump: kept aside
            msg(first + 200_001, "好的", at=3, reply_to_message_id=first + 200_000),
            msg(first + 200_002, "1", at=4, reply_to_message_id=first - 1),
            msg(first + 200_003, "1", at=5, reply_to_message_id=first + 2),
        ]
    )
    replies = [m.reply_to_sender for m in messages_of(chat)[1:]]
    assert replies == [1001, None, 1005, None, None]


def test_a_nul_character_is_left_out_of_text_and_names(export) -> None:
    """PostgreSQL refuses NUL in text; nobody reading the chat sees it."""
    m = only_message(export([msg(1, "收\x00到", **{"from": "李\x00四"})]))
    assert (m.text, m.sender_name) == ("收到", "李四")


def test_a_migrated_groups_ids_are_renumbered_alike_streamed_or_whole(tmp_path) -> None:
    data = json.loads(
        (Path(__file__).parents[1] / "data" / "exports" / "migrated_group.json").read_text(
            encoding="utf-8"
        )
    )
    streamed, whole = tmp_path / "desktop.json", tmp_path / "compact.json"
    streamed.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    whole.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    ids = []
    for path in (streamed, whole):
        (chat,) = read_export(path)
        ids.append([item.message_id for item in chat.items])
        assert chat.notes.renumbered == 2
    assert ids[0] == ids[1] == [5001 - 2**31, 5002 - 2**31, 2, 3]


def test_a_title_that_names_the_migration_renumbers_nothing(tmp_path) -> None:
    chat = {"name": "群", "type": "private_supergroup", "id": 1987654321}
    renamed = service(6, "edit_group_title", "王总", "user1001", title="migrate_from_group")
    chat["messages"] = [renamed, msg(7, '"action": "migrate_from_group" 是什么意思', who=1002)]
    path = tmp_path / "result.json"
    path.write_text(json.dumps(chat, ensure_ascii=False, indent=1), encoding="utf-8")
    (read,) = read_export(path)
    assert [item.message_id for item in read.items] == [7] and read.notes.renumbered == 0
