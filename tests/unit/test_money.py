"""Money's one text form: exact, both ways, no float."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tracker.domain.money import fen_text, parse_fen


@pytest.mark.parametrize(
    ("fen", "text"),
    [(0, "0.00"), (5, "0.05"), (50, "0.50"), (10000, "100.00"), (-5050, "-50.50"), (-1, "-0.01")],
)
def test_fen_text(fen, text):
    assert fen_text(fen) == text
    assert parse_fen(text) == fen


@pytest.mark.parametrize(("text", "fen"), [("100", 10000), ("0.5", 50), ("007.1", 710)])
def test_short_forms_read_as_people_write_them(text, fen):
    assert parse_fen(text) == fen


@pytest.mark.parametrize("text", ["", "1.234", "1e3", "１００", "1,000", " 1", "+1", "--1", "."])
def test_anything_else_is_a_value_error(text):
    with pytest.raises(ValueError, match="expected an amount like 100.00"):
        parse_fen(text)


@given(st.integers(min_value=-(10**17), max_value=10**17))
def test_every_amount_reads_back(fen):
    assert parse_fen(fen_text(fen)) == fen
