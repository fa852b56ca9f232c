"""When a pupil joined SEN support or an EHC plan: one rule for every path that changes the status
(the Profile tab, a new pupil, agreeing a plan, the command line)."""

from __future__ import annotations

import datetime as dt

from sendesk import codes
from sendesk.models import Pupil

# The date each register status is counted from.
SINCE_FIELD: dict[str, str] = {
    codes.SenStatus.SEN_SUPPORT: "sen_support_since",
    codes.SenStatus.EHC_PLAN: "ehc_plan_since",
}


def dates_before(pupil: Pupil) -> dict[str, dt.date | None]:
    """The pupil's start dates as they stand, to pass to `date_joining` after a change."""
    return {field: getattr(pupil, field) for field in SINCE_FIELD.values()}


def date_joining(
    pupil: Pupil,
    status_before: str | None,
    before: dict[str, dt.date | None] | None,
    today: dt.date,
) -> None:
    """A pupil who has just moved onto SEN support or an EHC plan is counted from today, unless
    the SENCo wrote the date in the same change (a date left from an earlier spell on the
    register is not this spell's start). An unchanged status keeps its date as it is."""
    field = SINCE_FIELD.get(pupil.sen_status)
    if field is None or pupil.sen_status == status_before:
        return
    written = getattr(pupil, field)
    if written is not None and written != (before or {}).get(field):
        return  # typed in this change
    setattr(pupil, field, today)
