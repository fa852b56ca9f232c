"""Numbers and codes in sentences people read."""

from __future__ import annotations

import pytest

from sendesk.wording import in_sentence, plural, plural_of, tidy


@pytest.mark.parametrize(
    ("count", "noun", "expected"),
    [
        (0, "session", "0 sessions"),
        (1, "session", "1 session"),
        (2, "session", "2 sessions"),
        (1, "review meeting", "1 review meeting"),
        (3, "review meeting", "3 review meetings"),
        (2, "category", "2 categories"),
        (2, "day", "2 days"),
        (2, "child", "2 children"),
        (1200, "pupil", "1,200 pupils"),
    ],
)
def test_plural(count: int, noun: str, expected: str) -> None:
    assert plural(count, noun) == expected


def test_an_irregular_plural_can_be_given() -> None:
    assert plural(2, "pupil with an EHC plan", "pupils with EHC plans") == (
        "2 pupils with EHC plans"
    )
    assert plural_of("outcome") == "outcomes"


def test_codes_written_out_keep_their_abbreviations() -> None:
    assert in_sentence("SEN support review") == "SEN support review"
    assert in_sentence("EHC plan annual review") == "EHC plan annual review"
    assert in_sentence("Initial concern meeting") == "initial concern meeting"
    assert in_sentence("Multi-agency meeting") == "multi-agency meeting"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Too easy to guess.. Use more words.", "Too easy to guess. Use more words."),
        ("Saved!.", "Saved!"),
        ("Please check: .", "Please check:"),
        ("One, , two", "One, two"),
        ("Wait… then go.", "Wait… then go."),
        ("Fine.", "Fine."),
    ],
)
def test_tidy(text: str, expected: str) -> None:
    assert tidy(text) == expected
