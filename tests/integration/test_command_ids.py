"""What a command argument may name as a fine id: only a number the fines table can hold, so
the query that looks it up never fails on either database."""

from __future__ import annotations

import pytest

from tests.builders import CHAT
from tests.support import new_service
from tracker.adapters.db.fine_queries import FineQueries
from tracker.entrypoints.bot.commands import MAX_ID, fine_id_of


@pytest.mark.parametrize(("word", "fine_id"), [("12", 12), ("#12", 12), ("2147483647", MAX_ID)])
def test_a_fine_id_is_ascii_digits_within_the_column(word, fine_id):
    assert fine_id_of(word) == fine_id


@pytest.mark.parametrize(
    "word", ["²", "１２", "١٢", "0", "#", "##12", "-3", "12a", "2147483648", "9" * 25]
)
def test_anything_else_names_no_fine(word):
    assert fine_id_of(word) is None


def test_the_largest_id_is_looked_up_without_an_error(db_url):
    _, engine = new_service(db_url)

    assert FineQueries(engine).by_ids(CHAT, [MAX_ID]) == []
