"""Pupil services: rules, transactions, audit, search and the register's next review."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest
from sqlalchemy import select

from sendesk.errors import NotFound, StaleEdit, ValidationFailed
from sendesk.models import AuditEvent, Cycle, Meeting, Pupil
from sendesk.services import audit, pupils
from sendesk.services.pupils import PupilDetails
from sendesk.upn import with_check_letter
from sendesk.vault import Vault

TODAY = dt.date(2026, 11, 23)
VALID_UPN = with_check_letter("886241725001")


def add(vault: Vault, surname: str = "Brontë", forename: str = "Zoë", **more: object) -> int:
    details = PupilDetails(surname, forename, **more)  # type: ignore[arg-type]
    return pupils.create(vault.sessions, details, today=TODAY).pupil_id


def test_create_stores_trimmed_values_and_audits(vault: Vault) -> None:
    saved = pupils.create(
        vault.sessions,
        PupilDetails(
            " Nguyễn ",
            " Thị Lan ",
            upn=" " + VALID_UPN.lower() + " ",
            sen_status="k",
            primary_need="slcn",
            year_group=3,
            date_of_birth=dt.date(2019, 3, 1),
            class_name=" ",
        ),
        today=TODAY,
    )
    with vault.sessions() as session:
        pupil = session.get(Pupil, saved.pupil_id)
        assert pupil is not None
        assert (pupil.legal_surname, pupil.legal_forename) == ("Nguyễn", "Thị Lan")
        assert (pupil.upn, pupil.sen_status, pupil.primary_need) == (VALID_UPN, "K", "SLCN")
        assert pupil.class_name is None
        events = session.execute(select(AuditEvent).where(AuditEvent.pupil_uuid == saved.uuid))
        [event] = events.scalars()
        assert event.action == "pupil.created"
        assert "Nguyễn" not in event.summary


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"legal_surname": "  "}, "legal_surname", "surname"),
        ({"upn": "A801200005001"}, "upn", "check letter"),
        ({"upn": "B8012000050"}, "upn", "13 characters"),
        ({"sen_status": "X"}, "sen_status", "N (no SEN)"),
        ({"primary_need": "XYZ"}, "primary_need", "not a census type"),
        ({"primary_need": "ASD", "secondary_need": "ASD"}, "secondary_need", "differ"),
        ({"secondary_need": "ASD"}, "secondary_need", "primary need first"),
        ({"date_of_birth": dt.date(2027, 1, 1)}, "date_of_birth", "future"),
        ({"date_of_birth": dt.date(1960, 1, 1)}, "date_of_birth", "age outside"),
        ({"year_group": 20}, "year_group", "Year 14"),
        ({"sex": "X"}, "sex", "F or M"),
    ],
)
def test_bad_details_are_refused_with_reasons_and_nothing_saved(
    vault: Vault, changes: dict[str, object], field: str, words: str
) -> None:
    details = replace(PupilDetails("Okafor", "Chidi"), **changes)
    with pytest.raises(ValidationFailed) as caught:
        pupils.create(vault.sessions, details, today=TODAY)
    assert words in caught.value.problems[field]
    assert pupils.list_register(vault.sessions, include_archived=True) == []


def test_a_temporary_upn_is_accepted(vault: Vault) -> None:
    temporary = with_check_letter("88624172500A")
    add(vault, upn=temporary)
    assert pupils.list_register(vault.sessions)[0].upn == temporary


def test_date_of_birth_that_does_not_fit_the_year_group_warns_but_saves(vault: Vault) -> None:
    saved = pupils.create(
        vault.sessions,
        PupilDetails("Ahmed", "Sara", year_group=6, date_of_birth=dt.date(2019, 3, 1)),
        today=TODAY,
    )
    assert saved.warnings == ["A child born on 01/03/2019 would usually be in Year 3, not Year 6."]
    assert pupils.details(vault.sessions, saved.pupil_id).year_group == 6


def test_sen_support_without_a_primary_need_warns(vault: Vault) -> None:
    saved = pupils.create(
        vault.sessions, PupilDetails("Ahmed", "Sara", sen_status="K"), today=TODAY
    )
    assert any("primary need" in w for w in saved.warnings)


def test_duplicate_upn_is_refused_on_create_and_update(vault: Vault) -> None:
    add(vault, upn=VALID_UPN)
    with pytest.raises(ValidationFailed, match="already has this UPN"):
        add(vault, "Other", "Pupil", upn=VALID_UPN)
    other = add(vault, "Other", "Pupil")
    with pytest.raises(ValidationFailed, match="already has this UPN"):
        pupils.update(vault.sessions, other, PupilDetails("Other", "Pupil", upn=VALID_UPN), TODAY)


def test_update_changes_only_what_changed_and_audits_field_names(vault: Vault) -> None:
    pupil_id = add(vault, year_group=4, class_name="4A")
    details = pupils.details(vault.sessions, pupil_id)
    details.class_name = "4B"
    pupils.update(vault.sessions, pupil_id, details, TODAY)
    assert pupils.details(vault.sessions, pupil_id).class_name == "4B"
    [latest, *_] = audit.recent(vault.sessions)
    assert (latest.action, latest.summary) == ("pupil.updated", "Changed: class_name")


def test_update_of_a_missing_pupil(vault: Vault) -> None:
    with pytest.raises(NotFound):
        pupils.update(vault.sessions, 12345, PupilDetails("A", "B"), TODAY)


def test_archive_hides_from_the_register_and_restore_brings_back(vault: Vault) -> None:
    pupil_id = add(vault)
    pupils.archive(vault.sessions, pupil_id, dt.date(2026, 7, 20), "Secondary school")
    assert pupils.list_register(vault.sessions) == []
    [row] = pupils.list_register(vault.sessions, include_archived=True)
    assert row.archived
    with pytest.raises(ValidationFailed, match="already archived"):
        pupils.archive(vault.sessions, pupil_id, dt.date(2026, 7, 20))
    pupils.restore(vault.sessions, pupil_id)
    assert [r.id for r in pupils.list_register(vault.sessions)] == [pupil_id]


def test_search_ignores_case_and_accents_and_matches_upn(vault: Vault) -> None:
    zoe = add(vault, "Brontë", "Zoë")
    lukasz = add(vault, "Wójcik", "Łukasz", upn=VALID_UPN)
    add(vault, "Smith", "Sam")

    def ids(query: str) -> list[int]:
        return [r.id for r in pupils.list_register(vault.sessions, query)]

    assert ids("zoe") == [zoe]
    assert ids("BRONTE zo") == [zoe]
    assert ids("lukasz wojcik") == [lukasz]
    assert ids(VALID_UPN[-6:]) == [lukasz]
    assert ids("%") == []  # a wildcard is a character, not a pattern
    assert ids("zoe smith") == []


def test_find_by_upn(vault: Vault) -> None:
    pupil_id = add(vault, upn=VALID_UPN)
    assert pupils.find_by_upn(vault.sessions, VALID_UPN.lower()) == pupil_id
    with pytest.raises(NotFound, match="No pupil"):
        pupils.find_by_upn(vault.sessions, with_check_letter("886241725002"))


def test_next_review_is_the_earliest_planned_review_or_open_plan_date(vault: Vault) -> None:
    pupil_id = add(vault, sen_status="K", primary_need="SPLD")
    with vault.session() as session:
        session.add(
            Cycle(
                pupil_id=pupil_id,
                number=1,
                stage="do",
                opened_on=TODAY,
                review_date=dt.date(2027, 2, 1),
            )
        )
        session.add(
            Meeting(
                pupil_id=pupil_id,
                kind="sen_review",
                status="planned",
                starts_at=dt.datetime(2027, 1, 15, 15, 30),
            )
        )
        session.add(
            Meeting(
                pupil_id=pupil_id,
                kind="sen_review",
                status="cancelled",
                starts_at=dt.datetime(2026, 12, 1, 15, 30),
            )
        )
        session.add(
            Meeting(
                pupil_id=pupil_id,
                kind="multi_agency",
                status="planned",
                starts_at=dt.datetime(2026, 12, 2, 15, 30),
            )
        )
    [row] = pupils.list_register(vault.sessions, today=TODAY)
    assert row.next_review == dt.date(2027, 1, 15)
    assert not row.overdue
    [later] = pupils.list_register(vault.sessions, today=dt.date(2027, 1, 16))
    assert later.overdue
    [on_the_day] = pupils.list_register(vault.sessions, today=dt.date(2027, 1, 15))
    assert not on_the_day.overdue  # overdue the day after


def test_history_loads_everything_for_one_pupil(demo_vault: Vault) -> None:
    with demo_vault.sessions() as session:
        pupil_id = session.execute(
            select(Pupil.id).join(Cycle).where(Cycle.stage == "closed").limit(1)
        ).scalar_one()
    pupil = pupils.history(demo_vault.sessions, pupil_id)
    closed = [c for c in pupil.cycles if c.stage == "closed"]
    assert closed and closed[0].review is not None
    assert all(c.outcomes for c in closed)
    assert any(p.sessions for c in closed for p in c.provisions)


def test_language_key_adults_and_what_matters_are_saved_checked_and_versioned(
    vault: Vault,
) -> None:
    pupil_id = add(vault)
    seen = pupils.details(vault.sessions, pupil_id)
    assert (seen.home_language, seen.interpreter_needed, seen.class_teacher) == (None, False, None)
    typed = replace(
        seen,
        home_language=" Polski ",
        interpreter_needed=True,
        class_teacher=" Mr Evans ",
        key_worker="Mrs Ćosić",
        important_to_me=" My cat Biscuit\r\nand my big sister. ",
    )
    pupils.update(vault.sessions, pupil_id, typed, TODAY)
    saved = pupils.details(vault.sessions, pupil_id)
    assert (saved.home_language, saved.interpreter_needed, saved.class_teacher) == (
        "Polski", True, "Mr Evans",
    )  # fmt: skip
    assert (saved.key_worker, saved.important_to_me) == (
        "Mrs Ćosić",
        "My cat Biscuit\nand my big sister.",
    )
    with vault.sessions() as session:
        changed = session.execute(
            select(AuditEvent.summary).where(AuditEvent.action == "pupil.updated")
        ).scalar_one()
    assert "class_teacher" in changed and "Mr Evans" not in changed  # names, never content

    for bad, field in (
        (replace(saved, home_language="x" * 61), "home_language"),
        (replace(saved, key_worker="Mrs\u202eA"), "key_worker"),
        (replace(saved, class_teacher="y" * 121), "class_teacher"),
    ):
        with pytest.raises(ValidationFailed) as caught:
            pupils.update(vault.sessions, pupil_id, bad, TODAY)
        assert list(caught.value.problems) == [field]
    assert pupils.details(vault.sessions, pupil_id) == saved  # nothing half-written

    # Another window saved a new key worker after this one read the record.
    pupils.update(vault.sessions, pupil_id, replace(saved, key_worker="Mr Li"), TODAY)
    with pytest.raises(StaleEdit) as conflict:
        pupils.update(vault.sessions, pupil_id, replace(saved, interpreter_needed=False), TODAY)
    assert conflict.value.differences == {
        "interpreter_needed": (True, False),
        "key_worker": ("Mr Li", "Mrs Ćosić"),
    }
    assert pupils.details(vault.sessions, pupil_id).interpreter_needed is True


def test_the_first_screenful_is_the_start_of_the_register_in_name_order(vault: Vault) -> None:
    # The app paints these first (ui.main_window), then reads the rest: they must be the rows
    # the whole register starts with, archived pupils left out as the register's default does.
    for surname in ("Ó Briain", "Obi", "Adams", "Zhou", "Brontë", "obi", "Ng"):
        add(vault, surname, "Sam")
    archived = add(vault, "Aaron", "Al")
    pupils.archive(vault.sessions, archived, dt.date(2026, 7, 20), "Moved away")
    whole = pupils.list_register(vault.sessions, today=TODAY)
    assert archived not in [r.id for r in whole]
    for first in (1, 3, len(whole), len(whole) + 5):
        assert pupils.list_register(vault.sessions, today=TODAY, first=first) == whole[:first]


def test_a_search_lists_exactly_the_pupils_whose_folded_names_hold_every_term(
    demo_vault: Vault,
) -> None:
    # Checked against a plain substring test, not against the query itself: a LIKE wildcard
    # typed ("%", "_") or an escape ("\\") is a character, and each term must be found.
    from sendesk.text import search_terms

    everyone = pupils.list_register(demo_vault.sessions, include_archived=True, today=TODAY)
    for query in ("ma", "o b", "ANN", "zz", "%", "_", "\\", "a%", "e_"):
        terms = search_terms(query)
        expected = [r.id for r in everyone if all(t in r.search_text for t in terms)]
        found = pupils.list_register(demo_vault.sessions, query, True, TODAY)
        assert [r.id for r in found] == expected, query


def test_the_census_gaps_of_a_new_pupil_are_named_in_one_warning() -> None:
    import datetime as dt

    from sendesk.services.pupils import PupilDetails, census_gaps

    bare = PupilDetails(legal_surname="Okafor", legal_forename="Chidi")
    assert (
        census_gaps(bare)
        == "No UPN, date of birth or year group yet: the school census asks for them."
    )
    dated = PupilDetails(
        legal_surname="Okafor",
        legal_forename="Chidi",
        date_of_birth=dt.date(2019, 3, 1),
        year_group=3,
    )
    assert census_gaps(dated) == "No UPN yet: the school census asks for it."
    assert census_gaps(PupilDetails(
        legal_surname="Okafor", legal_forename="Chidi", upn="A886241725001",
        date_of_birth=dt.date(2019, 3, 1), year_group=3,
    )) is None  # fmt: skip
