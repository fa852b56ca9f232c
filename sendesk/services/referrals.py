"""The request for an EHC needs assessment: the parents' consent and the SENCo's sign-off.

The request itself is recorded by the review that decides on it (`cycles.save_review`); the two
dates often come later, and are entered here against the latest request, the one the evidence
pack prints. A save states the version of the request the user saw (`StaleEdit` on a newer one).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy.orm.exc import StaleDataError

from sendesk import ehc_request
from sendesk.ehc_request import RequestDates
from sendesk.errors import NotFound
from sendesk.models import Pupil, Referral
from sendesk.services import Sessions, audit, versions
from sendesk.services.archived import ensure_editable

__all__ = ["EhcRequest", "RequestDates", "ehc_request_of", "record_dates"]

WHAT = "the EHC needs assessment request"


@dataclass(frozen=True)
class EhcRequest:
    id: int
    requested_on: dt.date
    dates: RequestDates
    version: int


def ehc_request_of(sessions: Sessions, pupil_id: int) -> EhcRequest | None:
    """The pupil's latest request for an EHC needs assessment, None if none was made."""
    with sessions() as session:
        pupil = session.get(Pupil, pupil_id)
        if pupil is None:
            raise NotFound("That pupil is no longer in this file.")
        found = pupil.ehc_request
        if found is None:
            return None
        return EhcRequest(
            found.id,
            found.requested_on,
            RequestDates(found.parent_consent_on, found.signed_off_on),
            found.version,
        )


def record_dates(
    sessions: Sessions, request_id: int, given: RequestDates, seen: int, today: dt.date
) -> int:
    """Save the consent and sign-off dates over the version `seen`; the request's new version."""
    ehc_request.check(given, today)
    try:
        with sessions.begin() as session:
            row = session.get(Referral, request_id)
            if row is None or row.kind != "ehc_needs_assessment":
                raise NotFound("That EHC needs assessment request is no longer in this file.")
            ensure_editable(row.pupil)
            versions.ensure_seen(row, seen, given.values(), WHAT)
            for name, value in given.values().items():
                setattr(row, name, value)
            audit.record(
                session,
                "referral.ehcna_dates",
                "Recorded the consent and sign-off of an EHC needs assessment request",
                row.pupil.uuid,
            )
            session.flush()
            return row.version
    except StaleDataError as exc:
        raise versions.raced(sessions, Referral, request_id, given.values(), WHAT) from exc
