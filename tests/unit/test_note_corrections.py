"""A note is corrected by a new note; the original is kept and shown as corrected."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from sendesk.errors import ValidationFailed
from sendesk.models import AuditEvent
from sendesk.services import notes, pupils
from sendesk.services.pupils import PupilDetails
from sendesk.vault import Vault

TODAY = dt.date(2026, 11, 23)


def test_a_correction_keeps_the_original(vault: Vault) -> None:
    pupil = pupils.create(vault.sessions, PupilDetails("Cole", "Amy"), today=TODAY).pupil_id
    first = notes.add(
        vault.sessions, pupil, TODAY, "conversation", "Mum rang about reading", "SENCo", TODAY
    )
    fixed = notes.correct(vault.sessions, first, "Dad rang about reading", "conversation")
    new, old = notes.list_for(vault.sessions, pupil)  # newest first
    assert (new.id, new.text, new.noted_on, new.author, new.corrects_id) == (
        fixed, "Dad rang about reading", TODAY, "SENCo", first,
    )  # fmt: skip
    assert (old.id, old.text, old.corrected_by_id) == (first, "Mum rang about reading", fixed)
    with vault.sessions() as session:
        last = session.execute(select(AuditEvent).order_by(AuditEvent.id.desc())).scalars().first()
        assert last is not None
        assert (last.action, last.summary) == (
            "note.corrected", "Conversation note of 2026-11-23 corrected",
        )  # fmt: skip
    with pytest.raises(ValidationFailed, match="already been corrected"):
        notes.correct(vault.sessions, first, "Something else")
    notes.correct(vault.sessions, fixed, "Dad rang about reading and spelling")  # and again
    assert len(notes.list_for(vault.sessions, pupil)) == 3


@pytest.mark.parametrize(("text", "field"), [("  ", "text"), ("Mum rang", "text")])
def test_an_empty_or_unchanged_correction_is_refused(vault: Vault, text: str, field: str) -> None:
    pupil = pupils.create(vault.sessions, PupilDetails("Cole", "Amy"), today=TODAY).pupil_id
    first = notes.add(vault.sessions, pupil, TODAY, "conversation", "Mum rang", today=TODAY)
    with pytest.raises(ValidationFailed) as caught:
        notes.correct(vault.sessions, first, text)
    assert field in caught.value.problems
    assert len(notes.list_for(vault.sessions, pupil)) == 1
