"""Mutated exports through the replay (issue 12): each replays, or is refused with one line
naming the message (or the JSON path) and what was expected. Never a traceback.

`TRACKER_FUZZ_CASES` sets the count (1,500 here, about 13 s; `make bench` runs 10,000 through
`tests/bench/bench_export_fuzz.py`); a case of the real `tracker replay` goes with every 200 of
them, 8 at least (`TRACKER_FUZZ_CLI_CASES` overrides it).
"""

from __future__ import annotations

import json
import os
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.export_fuzz import (
    SEED,
    Tally,
    base_export,
    case_bytes,
    check_command_line,
    config_file,
    fuzz,
    pick_for_the_command_line,
    run_tracker,
)

CASES = int(os.environ.get("TRACKER_FUZZ_CASES", "1500"))
CLI_CASES = int(os.environ.get("TRACKER_FUZZ_CLI_CASES", str(max(8, CASES // 200))))


@pytest.fixture(scope="module")
def tally(tmp_path_factory) -> Tally:
    return fuzz(CASES, tmp_path_factory.mktemp("fuzz"))


def test_every_mutated_export_replays_or_is_refused_in_one_line(tally: Tally) -> None:
    assert tally.tracebacks == [], "\n\n".join(tally.tracebacks[:5])
    assert tally.bad_lines == [], "\n".join(tally.bad_lines[:10])
    assert tally.cases == CASES
    assert tally.succeeded + tally.refused_total == CASES
    # both sides are exercised: a fuzz that only ever fails (or passes) proves little
    assert tally.succeeded >= CASES // 10, tally
    assert tally.refused_total >= CASES // 4, tally
    if CASES >= 1_000:
        kinds = set(tally.refused)
        assert {
            "not valid JSON",
            "chat id, type or name",
            "message id",
            "date outside 2000–2100",
            "date not a unix time",
            "sender or actor",
            "text or entities",
            "reactions",
            "reply",
        } <= kinds, tally.refused


def test_cases_are_reproducible() -> None:
    assert case_bytes(SEED, 7) == case_bytes(SEED, 7)
    assert case_bytes(SEED, 7) != case_bytes(SEED, 8)


def test_the_command_line_says_the_same_in_one_line(tally: Tally, tmp_path) -> None:
    """The real `tracker replay` on a sample of the cases (one of each kind of refusal, and
    successes, with and without --json): exit 0, or exit 2 and exactly the line found in
    process."""
    cases = pick_for_the_command_line(tally, CLI_CASES)
    counts, problems = check_command_line(tally, cases, tmp_path)
    assert problems == [], "\n\n".join(problems[:5])
    assert counts["replayed"] and counts["refused in one line"], counts
    assert sum(counts.values()) == CLI_CASES


# -- the inputs named in issue 12, through the command line ----------------------------------
def _named(mutation) -> dict:
    doc = base_export()
    mutation(doc)
    return doc


def _message(index: int, **fields):
    return lambda doc: doc["messages"][index].update(fields)


NAMED = {
    # each of these ended in "internal error" (exit 70) before
    "chat type not a string": (
        lambda doc: doc.update(type=5),
        "chat type: expected a string like 'private_supergroup', got 5",
    ),
    "date in year 9999": (
        _message(3, date_unixtime="253402300799"),
        "message #3 (id 4): date 9999-12-31 is outside 2000–2100",
    ),
    "a 25-digit sender": (
        _message(3, from_id="user" + "9" * 25),
        "message #3 (id 4): from_id: expected 'user' and a user id (a whole number from 1 to "
        "4503599627370495), got 'user9999999999999999999999999'",
    ),
    "an id beyond 63 bits": (
        _message(4, id=2**63),
        "message #4: id: expected a message id (a whole number from -2147483648 to "
        "2147483647), got 9223372036854775808",
    ),
    "a reaction's emoji a number": (
        lambda doc: doc["messages"][2]["reactions"][0].update(emoji=5),
        "message #2 (id 3): reactions[0].emoji: expected an emoji (a string), got 5",
    ),
    # and these were taken without a word: a replay that went on with a date of 1970
    "date in 1970": (
        _message(5, date_unixtime="0"),
        "message #5 (id 6): date 1970-01-01 is outside 2000–2100",
    ),
    "chat id -1": (
        lambda doc: doc.update(id=-1),
        "chat id: expected Telegram Desktop's id of the chat (a whole number from 1 to "
        "997852516352), got -1",
    ),
    "actor a number": (
        _message(1, actor=5),
        "message #1 (id 2): actor: expected a name (a string) or null, got 5",
    ),
}


def test_the_inputs_named_in_the_issue_are_one_line_each(tmp_path) -> None:
    config = config_file(tmp_path)

    def replay(item):
        name, (mutation, _) = item
        path = tmp_path / f"{name.replace(' ', '-')}.json"
        path.write_text(json.dumps(_named(mutation), ensure_ascii=False, indent=1), "utf-8")
        db = f"sqlite:///{tmp_path / (path.stem + '.db')}"
        return name, path, run_tracker("replay", path, "--config", config, "--db", db)

    with ThreadPoolExecutor(2) as pool:
        results = list(pool.map(replay, NAMED.items()))
    for name, path, result in results:
        line = f"tracker: error: {path}: {NAMED[name][1]}\n"
        assert (result.returncode, result.stderr) == (2, line), (name, result.stderr[-1_500:])
