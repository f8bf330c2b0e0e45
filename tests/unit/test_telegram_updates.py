"""What the live mapping checks before an update reaches the rules (issue 12): ids within
Telegram's ranges, and dates within 2000–2100. Built from the Bot API's JSON, as PTB does."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from telegram import Message, MessageReactionUpdated

from tracker.entrypoints.bot.updates import message_problem, reaction_problem

CHAT = -1001987654321
NOW = int(datetime(2026, 11, 23, 1, 0, tzinfo=UTC).timestamp())
USER = {"id": 1002, "is_bot": False, "first_name": "张三"}


def message(**fields) -> Message:
    data = {
        "message_id": 7,
        "date": NOW,
        "chat": {"id": CHAT, "type": "supergroup", "title": "销售部工作群"},
        "from": USER,
        "text": "收到",
    }
    return Message.de_json(data | fields, None)


def test_a_message_from_telegram_is_usable() -> None:
    assert message_problem(message()) is None
    assert message_problem(message(chat={"id": -4123456789, "type": "group"})) is None
    assert (
        message_problem(message(date=int(datetime(2100, 12, 31, tzinfo=UTC).timestamp()))) is None
    )


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"date": 0}, "date 1970-01-01 is outside 2000–2100"),
        ({"date": 253402300799}, "date 9999-12-31 is outside 2000–2100"),
        ({"date": 4133980800}, "date 2101-01-01 is outside 2000–2100"),
        (
            {"message_id": 10**25},
            "message id 10000000000000000000000000 is not one (expected 1 to 2147483647)",
        ),
        ({"message_id": 0}, "message id 0 is not one (expected 1 to 2147483647)"),
        (
            {"from": USER | {"id": 2**63}},
            "user id 9223372036854775808 is not one (expected 1 to 4503599627370495)",
        ),
        (
            {"chat": {"id": -(10**25), "type": "supergroup"}},
            "chat id -10000000000000000000000000 is not a group's (expected -1997852516352 to -1)",
        ),
        (
            {"chat": {"id": 1002, "type": "group"}},
            "chat id 1002 is not a group's (expected -1997852516352 to -1)",
        ),
        (
            {
                "reply_to_message": {
                    "message_id": 2**40,
                    "date": NOW,
                    "chat": {"id": CHAT, "type": "supergroup"},
                }
            },
            "message id 1099511627776 is not one (expected 1 to 2147483647)",
        ),
        (
            {
                "text": "@张三 收到",
                "entities": [
                    {"type": "text_mention", "offset": 0, "length": 3, "user": USER | {"id": -5}}
                ],
            },
            "user id -5 is not one (expected 1 to 4503599627370495)",
        ),
    ],
)
def test_an_id_or_date_telegram_does_not_send_is_named(fields: dict, expected: str) -> None:
    assert message_problem(message(**fields)) == expected


def test_a_reaction_dated_outside_2000_2100_is_named() -> None:
    def reaction(date: int, user_id: int = 1002) -> MessageReactionUpdated:
        data = {
            "chat": {"id": CHAT, "type": "supergroup"},
            "message_id": 7,
            "user": USER | {"id": user_id},
            "date": date,
            "old_reaction": [],
            "new_reaction": [{"type": "emoji", "emoji": "👍"}],
        }
        return MessageReactionUpdated.de_json(data, None)

    assert reaction_problem(reaction(NOW)) is None
    assert reaction_problem(reaction(0)) == "date 1970-01-01 is outside 2000–2100"
    assert reaction_problem(reaction(NOW, 0)) == (
        "user id 0 is not one (expected 1 to 4503599627370495)"
    )
