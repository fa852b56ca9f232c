"""A CSV cell SENDesk writes is never run as a formula, and a signed number stays a number."""

from __future__ import annotations

import pytest

from sendesk.spreadsheet import safe_cell, unquoted


@pytest.mark.parametrize(
    "cell",
    ['=HYPERLINK("http://x")', "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)", "\tx", "\r=1", "+", "-"],
)
def test_what_a_spreadsheet_would_run_is_quoted_and_read_back_as_it_was(cell: str) -> None:
    assert safe_cell(cell) == "'" + cell
    if cell[0] in "=+-@":  # what an import reads back (it strips spaces, tabs and returns)
        assert unquoted(safe_cell(cell)) == cell


@pytest.mark.parametrize("cell", ["+4.5", "-3", "-10%", "+12", "4.5", "Zoë", "", "O'Neill"])
def test_numbers_and_plain_text_are_left_as_they_are(cell: str) -> None:
    assert safe_cell(cell) == cell
    assert unquoted(cell) == cell


def test_an_earlier_quoted_signed_number_is_read_back_as_the_number() -> None:
    assert unquoted("'+4.5") == "+4.5"
