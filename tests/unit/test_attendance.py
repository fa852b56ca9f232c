"""Attendance per term: the percentage rule, and recording or replacing a term's figures."""

from __future__ import annotations

import datetime as dt

import pytest

from sendesk import attendance
from sendesk.errors import ArchivedPupil, StaleEdit, ValidationFailed
from sendesk.records import Records
from sendesk.services import attendance as service
from sendesk.services import audit, pupils
from sendesk.services.attendance import TermFigures
from sendesk.services.pupils import PupilDetails

TODAY = dt.date(2026, 11, 23)  # in the 2026/27 school year


def test_the_percentage_is_attended_over_possible_to_one_place() -> None:
    assert attendance.percent(171, 180) == 95.0
    assert attendance.percent(2, 3) == 66.7
    assert attendance.percent(0, 0) is None
    assert attendance.percent_words(157, 174) == "90.2%"
    # The DfE's persistent absence: 10% or more of the possible sessions missed.
    assert attendance.persistently_absent(160, 180) and not attendance.persistently_absent(163, 180)
    # Exactly 10% missed is persistent absence (108 of 120 attended: 90.0%).
    assert attendance.persistently_absent(108, 120) and attendance.persistently_absent(162, 180)
    # Worked out in sessions: 89.96% is shown as 90.0% but is 10.04% missed.
    assert attendance.percent(2249, 2500) == 90.0 and attendance.persistently_absent(2249, 2500)
    assert not attendance.persistently_absent(2251, 2500)
    assert not attendance.persistently_absent(0, 0)
    assert attendance.year_label(2025) == "2025/26" and attendance.year_of(TODAY) == 2026


@pytest.fixture
def pupil_id(vault: Records) -> int:
    details = PupilDetails("Okafor", "Amara", year_group=4, class_name="4W", sen_status="K",
                           primary_need="SLCN")  # fmt: skip
    return pupils.create(vault.sessions, details, today=TODAY).pupil_id


def _actions(vault: Records) -> list[str]:
    return [e.action for e in audit.recent(vault.sessions) if e.action.startswith("attendance")]


def test_a_terms_figures_are_recorded_then_replaced_as_seen(vault: Records, pupil_id: int) -> None:
    spring = TermFigures(2025, "spring", 120, 104)
    autumn = TermFigures(2025, "autumn", 140, 133)
    first = service.record(vault.sessions, pupil_id, spring, seen=None, today=TODAY)
    service.record(vault.sessions, pupil_id, autumn, seen=None, today=TODAY)
    rows = service.list_for(vault.sessions, pupil_id)
    assert [(r.term_label, r.year_label, r.percent) for r in rows] == [
        ("Autumn", "2025/26", "95.0%"),
        ("Spring", "2025/26", "86.7%"),
    ]
    assert rows[1].persistently_absent and not rows[0].persistently_absent

    corrected = TermFigures(2025, "spring", 120, 111)
    again = service.record(vault.sessions, pupil_id, corrected, seen=first, today=TODAY)
    assert again == first + 1
    after = service.list_for(vault.sessions, pupil_id)
    assert [r.figures for r in after] == [autumn, corrected]
    assert _actions(vault) == ["attendance.record"] * 3


def test_figures_saved_since_the_user_looked_are_never_overwritten(
    vault: Records, pupil_id: int
) -> None:
    theirs = TermFigures(2025, "summer", 130, 120)
    version = service.record(vault.sessions, pupil_id, theirs, seen=None, today=TODAY)
    mine = TermFigures(2025, "summer", 130, 99)
    # The user saw no figures for the term, but someone has recorded them.
    with pytest.raises(StaleEdit) as unseen:
        service.record(vault.sessions, pupil_id, mine, seen=None, today=TODAY)
    assert unseen.value.differences == {"sessions_attended": (120, 99)}
    assert unseen.value.current_version == version
    # The user saw them, but they were changed since.
    newer = service.record(
        vault.sessions, pupil_id, TermFigures(2025, "summer", 128, 120), seen=version, today=TODAY
    )
    with pytest.raises(StaleEdit):
        service.record(vault.sessions, pupil_id, mine, seen=version, today=TODAY)
    [row] = service.list_for(vault.sessions, pupil_id)
    assert row.figures == TermFigures(2025, "summer", 128, 120) and row.version == newer
    # Choosing to save over theirs, having seen them.
    service.record(vault.sessions, pupil_id, mine, seen=newer, today=TODAY)
    assert service.list_for(vault.sessions, pupil_id)[0].figures == mine


@pytest.mark.parametrize(
    ("figures", "field", "words"),
    [
        (TermFigures(2025, "autumn", 100, 101), "sessions_attended", "more sessions than"),
        (TermFigures(2025, "autumn", 0, 0), "sessions_possible", "from 1 to"),
        (TermFigures(2025, "autumn", 100, -1), "sessions_attended", "below 0"),
        (TermFigures(2025, "winter", 100, 90), "term", "autumn, spring or summer"),
        (TermFigures(2027, "autumn", 100, 90), "school_year", "2000/01 to 2026/27"),
    ],
)
def test_figures_that_cannot_be_right_are_refused_in_plain_words(
    vault: Records, pupil_id: int, figures: TermFigures, field: str, words: str
) -> None:
    with pytest.raises(ValidationFailed) as refused:
        service.record(vault.sessions, pupil_id, figures, seen=None, today=TODAY)
    assert words in refused.value.problems[field]
    assert service.list_for(vault.sessions, pupil_id) == [] and _actions(vault) == []


def test_figures_are_removed_as_seen_and_an_archived_pupil_is_read_only(
    vault: Records, pupil_id: int
) -> None:
    figures = TermFigures(2024, "autumn", 140, 126)
    version = service.record(vault.sessions, pupil_id, figures, seen=None, today=TODAY)
    [row] = service.list_for(vault.sessions, pupil_id)
    with pytest.raises(StaleEdit):
        service.remove(vault.sessions, row.id, seen=version - 1)
    service.remove(vault.sessions, row.id, seen=version)
    assert service.list_for(vault.sessions, pupil_id) == []
    assert _actions(vault) == ["attendance.remove", "attendance.record"]  # newest first

    pupils.archive(vault.sessions, pupil_id, dt.date(2026, 7, 20), today=TODAY)
    with pytest.raises(ArchivedPupil):
        service.record(vault.sessions, pupil_id, figures, seen=None, today=TODAY)
