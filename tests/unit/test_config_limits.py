"""Values outside what the bot can use are refused at start, one line naming the key: ids and
amounts past 64 bits, counts and durations that would overflow a date or run a loop for ever,
chat ids that are no group, times with a UTC offset, TOML nested a thousand deep."""

from __future__ import annotations

import tomllib

import pytest

from tracker.config.loading import load_config, parse_config
from tracker.errors import ConfigError

SOURCE = "config/tracker.toml"
CHAT = '[[chats]]\nid = -1001987654321\nname = "销售部工作群"\nleaders = [1001]\n'
BIG = str(2**64)  # one past the largest unsigned 64-bit integer


def config_error(text: str) -> str:
    with pytest.raises(ConfigError) as info:
        parse_config(tomllib.loads(text), SOURCE)
    message = str(info.value)
    assert "\n" not in message and message.startswith(f"{SOURCE}: ")
    return message.removeprefix(f"{SOURCE}: ")


@pytest.mark.parametrize(
    ("text", "key"),
    [
        (CHAT.replace("-1001987654321", BIG), "chats[0].id"),
        (CHAT.replace("-1001987654321", f"-{BIG}"), "chats[0].id"),
        (CHAT.replace("[1001]", f"[1001, {BIG}]"), "chats[0].leaders[1]"),
        (CHAT + f'members = [{{ id = {BIG}, name = "张三" }}]', "chats[0].members[0].id"),
        (CHAT + f"unresolved_max = {BIG}", "chats[0].unresolved_max"),
        (f"[defaults]\nfines = {{ no_ack = {BIG} }}", "defaults.fines.no_ack"),
        (f'[defaults]\nfines = {{ unresolved = "{BIG}.00" }}', "defaults.fines.unresolved"),
        (f'[defaults]\nack_window = "{BIG}d"', "defaults.ack_window"),
        (f'[defaults]\nremind_at = ["{BIG}s"]', "defaults.remind_at[0]"),
    ],
)
def test_an_integer_beyond_64_bits_is_refused_naming_the_key(text, key):
    assert config_error(text).startswith(f"{key}: expected ")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            CHAT.replace("[1001]", "[4503599627370496]"),  # 2**52: more than a user id holds
            "chats[0].leaders[0]: expected a Telegram user id (an integer from 1 to "
            "4503599627370495), got 4503599627370496",
        ),
        (
            '[defaults]\nfines = { no_ack = "1000000.01" }',
            'defaults.fines.no_ack: expected an amount of at most "1000000.00", got "1000000.01"',
        ),
        (
            "[defaults]\nunresolved_max = 101",
            "defaults.unresolved_max: expected a whole number from 0 to 100, got 101",
        ),
        (
            '[defaults]\nunresolved_repeat = "367d"',
            'defaults.unresolved_repeat: expected a duration of at most 366d, got "367d"',
        ),
        (
            '[defaults]\ndigest_max_age = "999999999d"',  # timedelta takes it; a date + it not
            'defaults.digest_max_age: expected a duration of at most 366d, got "999999999d"',
        ),
        (
            '[calendar]\nholidays = ["0001-01-01"]',
            'calendar.holidays[0]: expected a date from 2000 to 2100, got "0001-01-01"',
        ),
        (
            CHAT.replace('"销售部工作群"', '"销售部\\u0000工作群"'),
            "chats[0].name: expected a chat name (non-empty string) without control "
            'characters, got "销售部\\u0000工作群"',
        ),
    ],
)
def test_values_out_of_range_say_the_range(text, expected):
    assert config_error(text) == expected


def test_the_largest_values_in_range_are_taken():
    config = parse_config(
        tomllib.loads(
            "[defaults]\n"
            'fines = { no_ack = "1000000.00", unresolved = 1000000 }\n'
            'unresolved_max = 100\nunresolved_repeat = "366d"\nack_window = "366d"\n'
            + CHAT.replace("[1001]", "[4503599627370495]")
        ),
        SOURCE,
    )
    rules = config.defaults
    assert (rules.fine_no_ack_fen, rules.fine_unresolved_fen) == (100_000_000, 100_000_000)
    assert rules.unresolved_max == 100
    assert config.chats[0].leaders == {2**52 - 1}


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        (
            "-1",
            "chats[0].id: expected a Telegram group id (a supergroup's -100…, like "
            "-1001987654321, or a basic group's), got -1; that is not a group",
        ),
        ("-100", "that is not a group"),
        ("-1000000000000", "that is not a group"),  # -100 and twelve zeros: no chat
        ("-2000000000001", "that is not a group"),  # a secret chat's range
        ("0", "that is not a group"),
        (
            "1987654321",
            "chats[0].id: expected a group id (negative, like -1001987654321), got 1987654321;"
            " a chat exported with id 1987654321 is -1001987654321 (or -1987654321, a basic"
            " group)",
        ),
        ('"-1001987654321"', 'got "-1001987654321"'),
    ],
)
def test_a_chat_id_must_be_a_group_s(written, expected):
    message = config_error(CHAT.replace("-1001987654321", written))

    assert message.startswith("chats[0].id: expected ")
    assert message.endswith(expected) or message == expected


@pytest.mark.parametrize(
    "chat_id", [-1001987654321, -1000000000001, -1997852516352, -4123456, -1000]
)
def test_supergroup_and_basic_group_ids_are_taken(chat_id):
    config = parse_config(tomllib.loads(CHAT.replace("-1001987654321", str(chat_id))), SOURCE)

    assert config.chats[0].chat_id == chat_id


@pytest.mark.parametrize(
    ("key", "written", "path"),
    [
        ("working_hours", '["09:00+08:00", "18:00"]', "defaults.working_hours[0]"),
        ("quiet_hours", '["22:00", "08:00Z"]', "defaults.quiet_hours[1]"),
        ("digest_time", '"18:00+08:00"', "defaults.digest_time"),
        ("deadline_times", '{ end_of_day = "17:30-05:00" }', "defaults.deadline_times.end_of_day"),
    ],
)
def test_a_time_with_a_utc_offset_is_refused(key, written, path):
    message = config_error(f"[defaults]\n{key} = {written}")

    assert message.startswith(f"{path}: expected ")
    assert "without a UTC offset" in message and "set `timezone` instead" in message


def test_toml_local_times_are_read_like_quoted_ones():
    config = parse_config(
        tomllib.loads("[defaults]\nworking_hours = [08:30:00, 17:30:00]\ndigest_time = 17:00:00"),
        SOURCE,
    )

    assert [t.isoformat() for t in config.defaults.working_hours] == ["08:30:00", "17:30:00"]
    assert config.defaults.digest_time.isoformat() == "17:00:00"


@pytest.mark.parametrize(
    "nested",
    [
        "x = " + "[" * 1_000 + "]" * 1_000,
        "x = " + "{ a = " * 1_000 + "1" + " }" * 1_000,
        "[defaults]\nack_window = " + "[" * 1_000 + "]" * 1_000,
    ],
)
def test_toml_nested_a_thousand_deep_is_one_line(tmp_path, nested):
    path = tmp_path / "tracker.toml"
    path.write_text(nested, encoding="utf-8")

    with pytest.raises(ConfigError) as info:
        load_config(path)

    assert str(info.value) == f"{path}: invalid TOML: values nested too deeply"


def test_a_python_structure_nested_past_the_recursion_limit_is_one_line():
    deep: list = []
    for _ in range(5_000):
        deep = [deep]

    with pytest.raises(ConfigError, match=r"^t\.toml: (values nested too deeply|defaults\.)"):
        parse_config({"defaults": {"remind_at": deep}}, "t.toml")


def test_an_integer_of_five_thousand_digits_is_one_line(tmp_path):
    path = tmp_path / "tracker.toml"
    path.write_text("[defaults]\nunresolved_max = " + "9" * 5_000, encoding="utf-8")

    with pytest.raises(ConfigError) as info:
        load_config(path)

    message = str(info.value)
    assert message.startswith(f"{path}: invalid TOML: Exceeds the limit (4300 digits)")
    assert "\n" not in message


@pytest.mark.parametrize(
    ("pattern", "detail"),
    [
        ("(?P<dept>a{4294967296})", "the repetition number is too large"),
        ("(?P<dept>" + "(" * 1_000 + ")" * 1_000 + ")", "nested too deeply"),
    ],
)
def test_a_department_pattern_python_cannot_compile_is_one_line(pattern, detail):
    message = config_error(f"[defaults]\ndepartment_pattern = {pattern!r}".replace("'", '"'))

    assert message.startswith("defaults.department_pattern: expected a valid regular expression")
    assert message.endswith(f"({detail})")
