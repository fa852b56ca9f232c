"""UPNs, passphrase rules, school years, search folding and the census vocabulary."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sendesk import codes, passphrase, upn
from sendesk.errors import WeakPassphrase
from sendesk.school_year import expected_year_group, school_year_start
from sendesk.text import fold, search_terms


@pytest.mark.parametrize(
    "valid", ["B801200005001", "b801 2000 05001", upn.with_check_letter("88624172500A")]
)
def test_valid_upns(valid: str) -> None:
    assert upn.problem(valid) is None


def test_a_new_local_authority_number_is_accepted() -> None:
    dorset = upn.with_check_letter("838123420001")  # unknown to python-stdnum's list
    assert upn.problem(dorset) is None


@pytest.mark.parametrize(
    ("bad", "words"),
    [
        ("A801200005001", "should be B"),
        ("B80120000500", "13 characters"),
        ("B8012000X5001", "digits"),
        ("B80120000500!", "last character"),
    ],
)
def test_invalid_upns_say_why(bad: str, words: str) -> None:
    assert words in (upn.problem(bad) or "")


@given(st.text(max_size=20))
def test_upn_check_never_raises(text: str) -> None:
    upn.problem(text)


@pytest.mark.parametrize("weak", ["", "short", "password1234", "aaaaaaaaaaaaaaaa", "123456789012"])
def test_weak_passphrases_are_refused(weak: str) -> None:
    with pytest.raises(WeakPassphrase):
        passphrase.check_new(weak)


def test_strong_passphrase_and_school_name_context() -> None:
    passphrase.check_new("correct horse battery staple")
    school = ("Oakfield Primary School",)
    assert not passphrase.assess("oakfieldprimary", school).acceptable
    assert not passphrase.assess("Oakfield Primary School", school).acceptable
    assert not passphrase.assess("OAKFIELD-PRIMARY-SCHOOL-2026!", school).acceptable
    assert passphrase.assess("correct horse battery staple", school).acceptable
    assert not passphrase.assess("stmaryschool2024", ("St Mary's School",)).acceptable
    marsh = ("Little Wobbling-on-the-Marsh Primary",)
    assert not passphrase.assess("littlewobbling2024!", marsh).acceptable
    assert passphrase.assess("marsh harrier above reed beds", marsh).acceptable


@pytest.mark.parametrize(
    ("day", "start"),
    [
        (dt.date(2026, 9, 1), dt.date(2026, 9, 1)),
        (dt.date(2026, 8, 31), dt.date(2025, 9, 1)),
        (dt.date(2027, 1, 15), dt.date(2026, 9, 1)),
    ],
)
def test_school_year_runs_september_to_august(day: dt.date, start: dt.date) -> None:
    assert school_year_start(day) == start


@pytest.mark.parametrize(
    ("born", "year"),
    [
        (dt.date(2021, 9, 1), 0),  # oldest in Reception in 2026/27
        (dt.date(2022, 8, 31), 0),  # youngest in Reception
        (dt.date(2021, 8, 31), 1),
        (dt.date(2020, 2, 29), 2),
    ],
)
def test_expected_year_group(born: dt.date, year: int) -> None:
    assert expected_year_group(born, dt.date(2026, 11, 23)) == year


def test_folding_for_search() -> None:
    assert fold("Zoë Brontë") == "zoe bronte"
    assert fold("Łukasz Wójcik") == "lukasz wojcik"
    assert fold("Nguyễn") == "nguyen"
    assert search_terms("  Siobhán   Ó ") == ["siobhan", "o"]


def test_every_need_maps_to_a_known_area_or_none() -> None:
    assert {n.area for n in codes.NEED_TYPES} - {None} <= set(codes.AREA_BY_CODE)
    assert codes.area_of_need("SPLD") == codes.AREA_BY_CODE["CL"]
    assert codes.area_of_need("NSA") is None
    assert "DS" in codes.NEED_BY_CODE  # added for the January 2025 census
    assert codes.need_label("ASD") == "Autistic spectrum disorder"
