"""Retention review: archived pupils past date of birth + 31 years, deleted only when confirmed."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from sendesk.errors import BadInput
from sendesk.models import AuditEvent, Note, Pupil
from sendesk.services import notes, pupils, retention
from sendesk.vault import Vault


def test_keep_until_handles_29_february() -> None:
    assert retention.keep_until(dt.date(2000, 2, 29)) == dt.date(2031, 3, 1)
    assert retention.keep_until(dt.date(2001, 2, 28)) == dt.date(2032, 2, 28)
    assert retention.keep_until(dt.date(1992, 2, 29)) == dt.date(2023, 3, 1)
    assert retention.keep_until(dt.date(1993, 2, 29 - 1), 27) == dt.date(2020, 2, 28)
    assert retention.keep_until(dt.date(1992, 2, 29), 32) == dt.date(2024, 2, 29)  # a leap year


def add(vault: Vault, surname: str, born: dt.date | None, archived: bool = True) -> int:
    saved = pupils.create(
        vault.sessions,
        pupils.PupilDetails(surname, "Sam", date_of_birth=born),
        today=dt.date(2010, 1, 1),
    )
    if archived:
        pupils.archive(vault.sessions, saved.pupil_id, left_on=dt.date(2009, 7, 20))
    return saved.pupil_id


def test_only_archived_pupils_past_the_date_are_listed(vault: Vault) -> None:
    leap = add(vault, "Leap", dt.date(2000, 2, 29))
    add(vault, "Young", dt.date(2000, 3, 2))
    add(vault, "Current", dt.date(1990, 1, 1), archived=False)
    add(vault, "Undated", None)
    on_1_march = dt.date(2031, 3, 1)
    assert retention.due_for_review(vault.sessions, on_1_march) == []  # still kept that day
    [due] = retention.due_for_review(vault.sessions, on_1_march + dt.timedelta(days=1))
    assert due.pupil_id == leap and due.keep_until == on_1_march
    assert retention.undated_archived(vault.sessions) == 1


@pytest.mark.file_only  # ends with the file's own integrity check
def test_deletion_needs_confirmation_and_leaves_an_audit_trace(vault: Vault) -> None:
    old = add(vault, "Old", dt.date(1990, 5, 1), archived=False)
    notes.add(
        vault.sessions,
        old,
        dt.date(2009, 1, 5),
        "concern",
        "Private words",
        today=dt.date(2010, 1, 1),
    )
    pupils.archive(vault.sessions, old, left_on=dt.date(2009, 7, 20))  # read-only from here
    young = add(vault, "Young", dt.date(2005, 5, 1))
    today = dt.date(2026, 1, 1)
    with pytest.raises(BadInput, match="confirmation"):
        retention.delete_reviewed(vault.sessions, [old], confirmed=False, today=today)
    with pytest.raises(BadInput, match="not past"):
        retention.delete_reviewed(vault.sessions, [old, young], confirmed=True, today=today)
    with vault.sessions() as session:
        assert session.get(Pupil, old) is not None  # all or nothing
        uuid = session.get(Pupil, old).uuid  # type: ignore[union-attr]
    assert retention.delete_reviewed(vault.sessions, [old], confirmed=True, today=today) == 1
    with vault.sessions() as session:
        assert session.get(Pupil, old) is None
        assert session.execute(select(func.count()).select_from(Note)).scalar() == 0
        events = (
            session.execute(select(AuditEvent).where(AuditEvent.pupil_uuid == uuid)).scalars().all()
        )
        assert events[-1].action == "pupil.deleted_at_retention_review"
        assert all("Private words" not in e.summary for e in events)
    assert vault.verify() == []
