"""The vocabularies held once in `sendesk.codes`: every code saves, and one rule for ages."""

from __future__ import annotations

import datetime as dt

import pytest

from sendesk import codes
from sendesk.school_year import age_on, expected_year_group, school_year_start
from sendesk.services import contacts, notes, pupils
from sendesk.services.contacts import ContactDetails
from sendesk.services.pupils import PupilDetails
from sendesk.vault import Vault

TODAY = dt.date(2026, 11, 23)
BORN = dt.date(2018, 3, 1)  # Year 3 in 2026/27


@pytest.mark.parametrize("need", [n.code for n in codes.NEED_TYPES])
def test_every_census_need_in_the_code_list_can_be_saved(vault: Vault, need: str) -> None:
    """A need added to `codes` without a revision for the file's constraint fails here."""
    second = "OTH" if need != "OTH" else "NSA"
    details = PupilDetails(
        "Okoro",
        "Jayden",
        sen_status=codes.SenStatus.SEN_SUPPORT,
        primary_need=need,
        secondary_need=second,
        date_of_birth=BORN,
        year_group=3,
    )
    saved = pupils.create(vault.sessions, details, TODAY)
    assert pupils.details(vault.sessions, saved.pupil_id).primary_need == need


@pytest.mark.parametrize("status", list(codes.SenStatus))
def test_every_sen_status_can_be_saved(vault: Vault, status: codes.SenStatus) -> None:
    need = "SLCN" if status in codes.ON_SEN_REGISTER else None
    details = PupilDetails("Okoro", "Jayden", sen_status=status, primary_need=need)
    saved = pupils.create(vault.sessions, details, TODAY)
    assert pupils.details(vault.sessions, saved.pupil_id).sen_status == status.value


def test_every_note_kind_contact_method_sex_and_year_group_can_be_saved(vault: Vault) -> None:
    pupil_id = pupils.create(vault.sessions, PupilDetails("Okoro", "Jayden"), TODAY).pupil_id
    for kind in codes.NOTE_KINDS:
        notes.add(vault.sessions, pupil_id, TODAY, kind, f"A {kind} note", today=TODAY)
    for method in codes.CONTACT_METHODS:
        contacts.add(vault.sessions, pupil_id, ContactDetails("Ada", preferred_contact=method))
    for sex in codes.SEXES:
        for year in codes.YEAR_GROUPS:
            details = PupilDetails(f"P{sex}{year}", "Test", sex=sex, year_group=year)
            pupils.create(vault.sessions, details, TODAY)
    assert {n.kind for n in notes.list_for(vault.sessions, pupil_id)} == set(codes.NOTE_KINDS)


def test_the_sen_statuses_are_one_list() -> None:
    assert set(codes.SEN_STATUS_LABELS) == set(codes.SEN_STATUS_SHORT) == set(codes.SenStatus)
    assert {"K", "E"} == codes.ON_SEN_REGISTER


@pytest.mark.parametrize("year", list(codes.YEAR_GROUPS))
def test_each_year_group_fits_an_age_the_pupil_rules_accept(year: int) -> None:
    """One age rule: the year group an age gives, and the ages a pupil may be, agree."""
    start = school_year_start(TODAY)
    # Born on 1 September: the oldest in their year, and the rule's own answer for that year.
    born = dt.date(start.year - 5 - year, 9, 1)
    assert expected_year_group(born, TODAY) == year
    assert codes.YOUNGEST_PUPIL_AGE <= age_on(born, TODAY) <= codes.OLDEST_PUPIL_AGE
