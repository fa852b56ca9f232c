"""The EHC needs assessment request's consent and sign-off dates: entered after the review that
made the request, refused in the future, saved only over the version seen, audited, and printed
on the evidence pack."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from sendesk.errors import StaleEdit, ValidationFailed
from sendesk.models import Referral
from sendesk.records import Records
from sendesk.services import audit, cycles, pupils, referrals
from sendesk.services.pupils import PupilDetails
from sendesk.services.referrals import RequestDates
from tests.unit.test_cycles_service import review_of, through_to_review
from tests.unit.test_document_contents import _text as pdf_text

TODAY = dt.date(2026, 11, 23)
ASKED = dt.date(2026, 11, 20)


def _asked(vault: Records) -> int:
    pupil_id = pupils.create(vault.sessions, PupilDetails("Okafor", "Chidi"), today=TODAY).pupil_id
    cycle_id = through_to_review(vault, pupil_id)
    data = review_of(vault, cycle_id, "ehcna", ehcna_requested_on=ASKED)
    cycles.apply_review(vault.sessions, cycle_id, data, TODAY)
    return pupil_id


def _stored(vault: Records) -> tuple[dt.date | None, dt.date | None]:
    with vault.sessions() as session:
        row = session.execute(select(Referral)).scalar_one()
        return row.parent_consent_on, row.signed_off_on


def test_the_dates_are_saved_over_the_version_seen_and_audited(vault: Records) -> None:
    pupil_id = _asked(vault)
    request = referrals.ehc_request_of(vault.sessions, pupil_id)
    assert request is not None and request.requested_on == ASKED
    assert request.dates == RequestDates(None, None)

    given = RequestDates(dt.date(2026, 11, 18), dt.date(2026, 11, 19))
    version = referrals.record_dates(vault.sessions, request.id, given, request.version, TODAY)
    assert version == request.version + 1
    assert _stored(vault) == (dt.date(2026, 11, 18), dt.date(2026, 11, 19))
    again = referrals.ehc_request_of(vault.sessions, pupil_id)
    assert again is not None and (again.dates, again.version) == (given, version)
    events = [e for e in audit.recent(vault.sessions) if e.action == "referral.ehcna_dates"]
    assert len(events) == 1 and "2026" not in events[0].summary  # no dates in the audit log

    # A save from a window opened before that one is refused, with both values shown.
    with pytest.raises(StaleEdit) as caught:
        referrals.record_dates(
            vault.sessions, request.id, RequestDates(None, TODAY), request.version, TODAY
        )
    assert caught.value.differences == {
        "parent_consent_on": (dt.date(2026, 11, 18), None),
        "signed_off_on": (dt.date(2026, 11, 19), TODAY),
    }
    assert _stored(vault) == (dt.date(2026, 11, 18), dt.date(2026, 11, 19))
    # A date can be taken away again (not yet given after all).
    referrals.record_dates(vault.sessions, request.id, RequestDates(None, None), version, TODAY)
    assert _stored(vault) == (None, None)


def test_a_date_still_to_come_is_refused_and_nothing_is_written(vault: Records) -> None:
    pupil_id = _asked(vault)
    request = referrals.ehc_request_of(vault.sessions, pupil_id)
    assert request is not None
    tomorrow = TODAY + dt.timedelta(days=1)
    with pytest.raises(ValidationFailed) as caught:
        referrals.record_dates(
            vault.sessions, request.id, RequestDates(TODAY, tomorrow), request.version, TODAY
        )
    assert set(caught.value.problems) == {"signed_off_on"}
    assert "cannot be after today (23/11/2026)" in caught.value.problems["signed_off_on"]
    assert _stored(vault) == (None, None)
    # Today itself is allowed.
    referrals.record_dates(vault.sessions, request.id, RequestDates(TODAY, TODAY),
                           request.version, TODAY)  # fmt: skip
    assert _stored(vault) == (TODAY, TODAY)


def test_a_pupil_with_no_request_has_none(vault: Records) -> None:
    pupil_id = pupils.create(vault.sessions, PupilDetails("Nowak", "Zofia"), today=TODAY).pupil_id
    assert referrals.ehc_request_of(vault.sessions, pupil_id) is None


def test_the_evidence_pack_prints_the_dates_entered(vault: Records) -> None:
    from sendesk.services import documents

    pupil_id = _asked(vault)
    request = referrals.ehc_request_of(vault.sessions, pupil_id)
    assert request is not None

    def printed() -> str:
        return pdf_text(documents.evidence_pack_pdf(vault.sessions, pupil_id, today=TODAY).data)

    before = printed()
    assert "Parents' consent Not yet recorded" in before
    assert "SENCo's sign-off Not yet signed off" in before
    given = RequestDates(dt.date(2026, 11, 18), dt.date(2026, 11, 21))
    referrals.record_dates(vault.sessions, request.id, given, request.version, TODAY)
    after = printed()
    assert "Date of the request 20/11/2026" in after
    assert "Parents' consent 18/11/2026" in after and "SENCo's sign-off 21/11/2026" in after
