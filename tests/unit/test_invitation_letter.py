"""The parents' invitation to a review meeting, read back as a parent would."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from sendesk.documents import invitation_letter
from sendesk.documents.invitation_letter import Invitation
from sendesk.documents.style import DocumentOptions, Letterhead
from sendesk.errors import ValidationFailed
from sendesk.models import AuditEvent
from sendesk.services import meeting_exports, meetings, pupils
from sendesk.services.meetings import MeetingDetails
from sendesk.services.pupils import PupilDetails
from sendesk.vault import Vault

TODAY = dt.date(2026, 11, 23)
INVITATION = Invitation(
    child_name="Zoë Brontë",
    meeting_kind="SEN support review",
    starts_at=dt.datetime(2026, 12, 2, 15, 30),
    duration_minutes=45,
    place="Library",
    invited="Mum; Mrs Khan (class teacher); SENCo",
    senco_name="Ms Adeyemi",
    school_name="Hillside Primary",
)


def text_of(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return " ".join(" ".join(page.extract_text() or "" for page in reader.pages).split())


@pytest.mark.parametrize("options", [DocumentOptions(), DocumentOptions(large_print=True)])
def test_the_letter_says_when_where_who_and_how_to_prepare(options: DocumentOptions) -> None:
    pdf = invitation_letter.build(Letterhead("Hillside Primary", TODAY), INVITATION, options)
    text = text_of(pdf)
    for expected in (
        "Dear parent or carer of Zoë Brontë",
        "Wednesday 2 December 2026",
        "15:30 to 16:15",
        "Library",
        "Mum; Mrs Khan (class teacher); SENCo",
        "Write down any concerns",
        "schoolwork, reports",
        "how your child feels about school",
        "List the questions",
        "Ms Adeyemi, SENCo",
    ):
        assert expected in text, expected


def test_the_email_text_says_the_same() -> None:
    text = invitation_letter.email_text(INVITATION)
    assert text.splitlines()[0] == "Subject: SEN support review for Zoë Brontë on 02/12/2026"
    assert "Time: 15:30 to 16:15" in text and "Place: Library" in text
    assert all(f"- {prompt}" in text for prompt in invitation_letter.PREPARE)


def test_without_a_place_or_invited_list_the_letter_still_says_something() -> None:
    bare = Invitation("Amy Cole", "SEN support review", dt.datetime(2026, 12, 2, 9), 30, None,
                      None, None, "Hillside Primary")  # fmt: skip
    text = invitation_letter.email_text(bare)
    assert "Place: Hillside Primary (we will confirm the room)" in text
    assert "Who will be there: You, your child's class teacher and the SENCo" in text
    assert "The SENCo" in text


def test_the_invitation_is_made_from_a_planned_meeting(vault: Vault) -> None:
    pupil = pupils.create(vault.sessions, PupilDetails("Brontë", "Zoë"), today=TODAY).pupil_id
    details = MeetingDetails("sen_review", dt.datetime(2026, 12, 2, 15, 30), 45, "Library", "Mum")
    meeting_id = meetings.schedule(vault.sessions, pupil, details, today=TODAY).meeting_id
    doc = meeting_exports.invitation_pdf(vault.sessions, meeting_id, today=TODAY)
    assert doc.kind == "invitation" and "Zoë" not in doc.filename
    assert "Dear parent or carer of Zoë Brontë" in text_of(doc.data)
    email = meeting_exports.invitation_email(vault.sessions, meeting_id)
    assert "Who will be there: Mum" in email
    with vault.sessions() as session:
        assert session.execute(select(AuditEvent.action)).scalars().all()[-1] == "document.copied"
    meetings.cancel(vault.sessions, meeting_id)
    with pytest.raises(ValidationFailed, match="Only a planned meeting"):
        meeting_exports.invitation_pdf(vault.sessions, meeting_id)
