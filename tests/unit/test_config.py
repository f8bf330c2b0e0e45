import contextlib
import tomllib
from datetime import date, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tracker.config.loading import Config, load_config, parse_config, parse_duration
from tracker.config.values import format_duration
from tracker.domain.clock import WorkCalendar
from tracker.domain.rules import DEFAULT_NOTICE_WORDS, ChatRules, Member
from tracker.errors import ConfigError

EXAMPLE = Path(__file__).resolve().parents[2] / "config" / "tracker.example.toml"
SOURCE = "config/tracker.toml"
CHAT = '[[chats]]\nid = -1001987654321\nname = "销售部工作群"\nleaders = [1001]\n'


def load(text: str) -> Config:
    return parse_config(tomllib.loads(text), SOURCE)


def config_error(text: str) -> str:
    """The one-line ConfigError message for a config text (parsed as TOML first)."""
    with pytest.raises(ConfigError) as info:
        load(text)
    return one_line(info.value)


def one_line(error: ConfigError) -> str:
    message = str(error)
    assert "\n" not in message and "\r" not in message
    assert message.startswith(f"{SOURCE}: ")
    return message


# --- what a good config gives -------------------------------------------------------------------


def test_example_file_loads_with_the_documented_rules():
    config = load_config(EXAMPLE)

    assert config.source == str(EXAMPLE)
    assert config.database_url == "sqlite:///tracker.db"
    spring_festival = frozenset(date(2027, 2, d) for d in range(6, 13))
    calendar = WorkCalendar(holidays=spring_festival, workdays=frozenset({date(2027, 2, 14)}))
    assert config.defaults == ChatRules(extra_ack_words=("了然",), calendar=calendar)
    sales, engineering = config.chats
    assert (sales.chat_id, sales.name, sales.leaders) == (-1001987654321, "销售部工作群", {1001})
    assert sales.members == (
        Member(1002, "销售部-张三", "zhangsan"),
        Member(1003, "销售部-李四", "lisi"),
        Member(1004, "销售部-王五", None),
        Member(1005, "销售部-赵六", "zhaoliu"),
    )
    assert sales.rules == config.defaults
    assert (engineering.chat_id, engineering.name) == (-1001555000111, "工程部工作群")
    assert engineering.rules.ack_window == timedelta(minutes=45)
    assert engineering.rules.fine_no_ack_fen == 20_000
    assert engineering.rules.fine_unresolved_fen == 8_000
    assert engineering.rules.currency == "CNY"


def test_a_chat_lists_its_own_words_that_never_acknowledge():
    config = parse_config({"defaults": {"not_ack_words": ["收到了吧", "1个"]}}, "t.toml")
    assert config.defaults.not_ack_words == ("收到了吧", "1个")


def test_built_in_rules_apply_when_defaults_table_is_absent():
    config = load(CHAT)

    assert config.defaults == ChatRules()
    assert config.chats[0].rules == ChatRules()
    assert config.chats[0].rules.notice_words == DEFAULT_NOTICE_WORDS
    assert config.database_url is None


def test_empty_file_gives_no_chats_and_built_in_rules():
    config = load("")

    assert config.chats == ()
    assert config.defaults == ChatRules()


def test_chat_keys_override_defaults_and_fines_merge_key_by_key():
    config = load(
        """
        [defaults]
        timezone = "Asia/Tokyo"
        ack_window = "1h"
        remind_at = "15m"
        fines = { no_ack = "100", unresolved = 30, currency = "USD" }
        notice_words = ["@all"]
        """
        + CHAT
        + """
        ack_window = "1h30m"
        tell_leader_at = ["20m", "1h"]
        fines = { unresolved = "0.5" }
        detect_mentions = false
        notice_completion = true
        unresolved_max = 0
        """
    )

    defaults, rules = config.defaults, config.chats[0].rules
    assert defaults.fine_unresolved_fen == 3_000
    assert rules.timezone == ZoneInfo("Asia/Tokyo")
    assert rules.ack_window == timedelta(minutes=90)
    assert rules.remind_at == (timedelta(minutes=15),)
    assert rules.tell_leader_at == (timedelta(minutes=20), timedelta(hours=1))
    assert (rules.fine_no_ack_fen, rules.fine_unresolved_fen, rules.currency) == (
        10_000,
        50,
        "USD",
    )
    assert rules.notice_words == ("@all",)
    assert rules.detect_mentions is False
    assert rules.notice_completion is True and defaults.notice_completion is False
    assert rules.unresolved_max == 0


def test_find_chat_matches_a_live_chat_by_its_own_id_only():
    config = load(CHAT + CHAT.replace("-1001987654321", "-4123456"))
    supergroup, basic = config.chats

    assert config.find_chat(-1001987654321) is supergroup
    assert config.find_chat(-4123456) is basic
    # the export ids, and the basic group whose id is the supergroup's export id negated
    for other in (1987654321, 4123456, -1987654321, -1004123456):
        assert config.find_chat(other) is None


@pytest.mark.parametrize("asked", [-1001987654321, 1987654321])
def test_find_export_chat_takes_the_bot_api_or_the_bare_export_id(asked):
    config = load(CHAT)

    assert config.find_export_chat(asked) is config.chats[0]


def test_find_export_chat_matches_a_basic_group_by_its_export_id():
    config = load(CHAT.replace("-1001987654321", "-4123456"))

    assert config.find_export_chat(-4123456) is config.chats[0]
    assert config.find_export_chat(4123456) is config.chats[0]
    # a supergroup's export id is not a basic group's Bot API id, and the other way round
    assert config.find_export_chat(-1000004123456) is None


def test_find_export_chat_refuses_an_export_id_two_configured_chats_share():
    config = load(CHAT + CHAT.replace("-1001987654321", "-1987654321"))
    supergroup, basic = config.chats

    assert config.find_export_chat(1987654321) is None  # which one? neither
    assert config.find_export_chat(-1001987654321) is supergroup
    assert config.find_export_chat(-1987654321) is basic


def test_find_chat_returns_none_for_an_unconfigured_chat():
    assert load(CHAT).find_chat(-1001555000111) is None


def test_usernames_are_stored_without_the_leading_at():
    config = load(CHAT + 'members = [{ id = 1002, name = "张三", username = "@zhangsan" }]')

    assert config.chats[0].members == (Member(1002, "张三", "zhangsan"),)


@pytest.mark.parametrize(
    ("written", "fen"), [('"100.00"', 10_000), ('"100"', 10_000), ('"0.5"', 50), ("100", 10_000)]
)
def test_amounts_become_integer_fen(written, fen):
    assert load(f"[defaults]\nfines = {{ no_ack = {written} }}").defaults.fine_no_ack_fen == fen


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("45s", timedelta(seconds=45)),
        ("30m", timedelta(minutes=30)),
        ("2h", timedelta(hours=2)),
        ("1d", timedelta(days=1)),
        ("1h30m", timedelta(minutes=90)),
        ("90m", timedelta(minutes=90)),
    ],
)
def test_parse_duration_reads_unit_suffixes(text, expected):
    assert parse_duration(text) == expected


@pytest.mark.parametrize("text", ["", "30", "-5m", "5x", "m", "30m1h", "1.5h", " 30m"])
def test_parse_duration_rejects_anything_else(text):
    with pytest.raises(ValueError):
        parse_duration(text)


@given(st.text(max_size=30))
def test_parse_duration_only_ever_raises_value_error(text):
    with contextlib.suppress(ValueError):
        assert parse_duration(text) >= timedelta(0)


@given(st.integers(min_value=1, max_value=10**8))
def test_format_duration_round_trips_whole_seconds(seconds):
    delta = timedelta(seconds=seconds)
    assert parse_duration(format_duration(delta)) == delta


# --- one line per mistake, naming file and key -------------------------------------------------


def test_unknown_key_names_the_allowed_keys_and_the_closest_one():
    message = config_error('[defaults]\nack_windw = "30m"')

    assert message.startswith(
        f'{SOURCE}: defaults.ack_windw: unknown key; did you mean "ack_window"?'
    )
    assert "allowed: timezone, ack_window," in message


@pytest.mark.parametrize(
    ("text", "path"),
    [
        ('databse_url = "x"', "databse_url"),
        (CHAT + "leader = [1]", "chats[0].leader"),
        (CHAT + 'members = [{ id = 1, name = "a", user = "x" }]', "chats[0].members[0].user"),
        ("[defaults]\nfines = { no_akc = 1 }", "defaults.fines.no_akc"),
        (CHAT + "[chats.rules]\nack_window = '1h'", "chats[0].rules"),
        ('"a\\nb" = 1', '"a\\nb"'),
    ],
)
def test_unknown_keys_are_named_by_their_full_path(text, path):
    assert config_error(text).startswith(f"{SOURCE}: {path}: unknown key; ")


def test_rule_key_at_the_top_level_says_where_it_belongs():
    message = config_error('ack_window = "30m"\n')

    assert message == (
        f"{SOURCE}: ack_window: expected under [defaults] or in a [[chats]] entry, not at the top"
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            CHAT.replace("[1001]", '"abc"'),
            'chats[0].leaders: expected a list of user ids (integers), got "abc"',
        ),
        (
            CHAT.replace("[1001]", '[1001, "abc"]'),
            "chats[0].leaders[1]: expected a Telegram user id (an integer from 1 to "
            '4503599627370495), got "abc"',
        ),
        ("defaults = 5", "defaults: expected a table [defaults], got 5"),
        ("[chats]\nid = 1", "chats: expected an array of tables [[chats]], got a table"),
        (
            "[defaults]\ndetect_mentions = 'yes'",
            "defaults.detect_mentions: expected true or false",
        ),
        ("[defaults]\nnotice_words = '全体'", "defaults.notice_words: expected a list of phrases"),
        (
            "[defaults]\nack_words = ['']",
            'defaults.ack_words[0]: expected a non-empty string, got ""',
        ),
        (
            "[defaults]\nnot_ack_words = '收到了吧'",
            "defaults.not_ack_words: expected a list of phrases",
        ),
        ("database_url = 1", 'database_url: expected a database URL like "sqlite:///'),
        (CHAT.replace('"销售部工作群"', "1"), "chats[0].name: expected a chat name"),
        ("[defaults]\nfines = { currency = 'rmb' }", "defaults.fines.currency: expected a curr"),
        ("[defaults]\nfines = '100'", "defaults.fines: expected a table like"),
        (CHAT + "members = 'x'", "chats[0].members: expected a list of members like { id"),
    ],
)
def test_wrong_types_name_the_key_and_what_is_wanted(text, expected):
    assert config_error(text).startswith(f"{SOURCE}: {expected}")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (CHAT.replace("[1001]", "[true]"), "chats[0].leaders[0]: expected a Telegram user id ("),
        (CHAT.replace("-1001987654321", "true"), "chats[0].id: expected a Telegram group id ("),
        ("[defaults]\nunresolved_max = true", "defaults.unresolved_max: expected a whole number"),
    ],
)
def test_a_boolean_is_not_an_integer(text, expected):
    assert config_error(text).startswith(f"{SOURCE}: {expected}")


@pytest.mark.parametrize("written", ['"30"', '"-5m"', '"5x"', '""', "30", '"30 min"'])
def test_bad_durations_are_rejected(written):
    message = config_error(f"[defaults]\nack_window = {written}")

    assert message.startswith(f'{SOURCE}: defaults.ack_window: expected a duration like "30m"')
    assert message.endswith(f"got {written}")


@pytest.mark.parametrize(("key", "written"), [("ack_window", '"0m"'), ("remind_at", '["0s"]')])
def test_zero_durations_are_rejected(key, written):
    message = config_error(f"[defaults]\n{key} = {written}")

    assert f": defaults.{key}" in message
    assert "expected a positive duration" in message


def test_steps_must_be_in_increasing_order():
    message = config_error('[defaults]\nremind_at = ["20m", "10m"]')

    assert message == (
        f'{SOURCE}: defaults.remind_at: expected durations in increasing order, got ["20m", "10m"]'
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            '[defaults]\nremind_at = ["10m", "30m"]',
            'defaults.remind_at: expected steps before ack_window (30m), got "30m"',
        ),
        (
            '[defaults]\ntell_leader_at = "45m"',
            'defaults.tell_leader_at: expected steps before ack_window (30m), got "45m"',
        ),
        (
            CHAT + 'ack_window = "15m"',
            'chats[0].remind_at: expected steps before ack_window (15m), got "20m" '
            "(inherited; set remind_at here too)",
        ),
    ],
)
def test_reminders_and_leader_notices_must_come_before_the_ack_window(text, expected):
    assert config_error(text) == f"{SOURCE}: {expected}"


@pytest.mark.parametrize("written", ['"abc"', '"1.005"', '"-1"', "-1", '"1e3"', '"NaN"', '""'])
def test_bad_amounts_are_rejected(written):
    message = config_error(f"[defaults]\nfines = {{ no_ack = {written} }}")

    assert (
        message
        == f'{SOURCE}: defaults.fines.no_ack: expected an amount like "100.00", got {written}'
    )


def test_float_amount_is_rejected_with_a_hint_to_quote_it():
    message = config_error(CHAT + "fines = { unresolved = 100.0 }")

    assert message == (
        f'{SOURCE}: chats[0].fines.unresolved: expected an amount like "100.00", got 100.0; '
        'quote it ("100.0") so it is not a float'
    )


def test_unknown_time_zone_suggests_the_closest_one():
    message = config_error('[defaults]\ntimezone = "Asia/Shangai"')

    assert message == (
        f'{SOURCE}: defaults.timezone: expected a known time zone like "Asia/Shanghai", '
        'got "Asia/Shangai"; did you mean "Asia/Shanghai"?'
    )


def test_the_same_chat_twice_is_rejected():
    message = config_error(CHAT + CHAT)

    assert message == (
        f"{SOURCE}: chats[1].id: expected a chat not configured above, got -1001987654321 "
        "(the same chat as chats[0].id = -1001987654321)"
    )


def test_chat_without_leaders_is_rejected():
    missing = config_error('[[chats]]\nid = -1001987654321\nname = "销售部工作群"')
    empty = config_error(CHAT.replace("[1001]", "[]"))

    assert missing == f"{SOURCE}: chats[0].leaders: missing; every chat needs id, name, leaders"
    assert (
        empty
        == f"{SOURCE}: chats[0].leaders: expected at least one leader user id, got an empty list"
    )


@pytest.mark.parametrize(
    ("member", "path"),
    [
        ('{ name = "张三" }', "chats[0].members[0].id"),
        ("{ id = 1002 }", "chats[0].members[0].name"),
    ],
)
def test_member_without_id_or_name_is_rejected(member, path):
    message = config_error(CHAT + f"members = [{member}]")

    assert message == f"{SOURCE}: {path}: missing; every member needs id, name"


def test_duplicate_member_ids_are_rejected():
    message = config_error(
        CHAT + 'members = [{ id = 1002, name = "a" }, { id = 1002, name = "b" }]'
    )

    assert message == (
        f"{SOURCE}: chats[0].members[1].id: expected a member id not listed before, got 1002 "
        "(already at chats[0].members[0].id)"
    )


def test_duplicate_usernames_are_rejected_with_or_without_at_and_in_any_case():
    message = config_error(
        CHAT + 'members = [{ id = 1, name = "a", username = "zhangsan" },'
        ' { id = 2, name = "b", username = "@ZhangSan" }]'
    )

    assert message == (
        f"{SOURCE}: chats[0].members[1].username: expected a username not listed before, "
        'got "ZhangSan" (already at chats[0].members[0].username)'
    )


@pytest.mark.parametrize("written", ['"@"', '"张三"', '"has space"', "1002"])
def test_malformed_usernames_are_rejected(written):
    message = config_error(CHAT + f'members = [{{ id = 1, name = "a", username = {written} }}]')

    assert message.startswith(
        f"{SOURCE}: chats[0].members[0].username: expected a Telegram username"
    )


def test_negative_unresolved_max_is_rejected():
    message = config_error("[defaults]\nunresolved_max = -1")

    assert (
        message
        == f"{SOURCE}: defaults.unresolved_max: expected a whole number from 0 to 100, got -1"
    )


# --- file-level mistakes -------------------------------------------------------------------------


def file_error(path: Path) -> str:
    with pytest.raises(ConfigError) as info:
        load_config(path)
    message = str(info.value)
    assert "\n" not in message
    assert message.startswith(f"{path}: ")
    return message


def test_toml_syntax_error_gives_line_and_column(tmp_path):
    path = tmp_path / "tracker.toml"
    path.write_text('[defaults]\nack_window = "30m\n', encoding="utf-8")

    message = file_error(path)

    assert message.startswith(f"{path}: invalid TOML: ")
    assert "line 2, column" in message


def test_missing_file_is_reported(tmp_path):
    assert file_error(tmp_path / "nope.toml") == (
        f"{tmp_path / 'nope.toml'}: file not found: `tracker init` writes one from the example "
        "(or pass --config FILE)"
    )


def test_directory_instead_of_file_is_reported(tmp_path):
    assert file_error(tmp_path) == f"{tmp_path}: expected a TOML file, got a directory"


def test_non_utf8_file_names_the_line(tmp_path):
    path = tmp_path / "tracker.toml"
    path.write_bytes('[[chats]]\nname = "销售部工作群"\n'.encode("gbk"))

    message = file_error(path)

    assert message.startswith(f"{path}: line 2: expected UTF-8 text, got byte 0x")


def test_errors_found_after_loading_name_the_file_as_given(tmp_path):
    path = tmp_path / "tracker.toml"
    path.write_text(CHAT.replace("[1001]", '"abc"'), encoding="utf-8")

    assert file_error(path) == (
        f'{path}: chats[0].leaders: expected a list of user ids (integers), got "abc"'
    )


def test_utf8_bom_is_accepted(tmp_path):
    path = tmp_path / "tracker.toml"
    path.write_bytes(b"\xef\xbb\xbf" + CHAT.encode("utf-8"))

    assert load_config(path).chats[0].name == "销售部工作群"


def test_leave_modes_and_written_answers_are_read_per_chat():
    config = load(CHAT + 'absent = "defer"\nleave_by_reply = false\n')
    (chat,) = config.chats
    assert (chat.rules.absent, chat.rules.leave_by_reply) == ("defer", False)
    assert load(CHAT).chats[0].rules.absent == "exempt"
    message = config_error('[defaults]\nabsent = "skip"')
    assert message == f'{SOURCE}: defaults.absent: expected "exempt" or "defer", got "skip"'
