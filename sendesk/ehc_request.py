"""The dates a request for an EHC needs assessment carries besides its own: the parents' consent
to it and the SENCo's sign-off. Both are days that have happened, so neither is in the future.

DOMAIN.md sets no order between them and the date of the request, so none is enforced.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass

from sendesk import dates
from sendesk.errors import ValidationFailed

LABELS = {"parent_consent_on": "The parents' consent", "signed_off_on": "The SENCo's sign-off"}


@dataclass(frozen=True)
class RequestDates:
    parent_consent_on: dt.date | None = None
    signed_off_on: dt.date | None = None

    def values(self) -> dict[str, dt.date | None]:
        return asdict(self)


def check(given: RequestDates, today: dt.date) -> None:
    """Refuse a date still to come, naming the field; an empty date is allowed (not yet given)."""
    problems = {
        name: f"{LABELS[name]} cannot be after today ({dates.show(today)}): give the day it "
        "was given."
        for name, day in given.values().items()
        if day is not None and day > today
    }
    if problems:
        raise ValidationFailed(problems)
