"""The school's details and settings: name, URN, local authority, idle lock, terms."""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass, field, fields

from sqlalchemy import delete, select
from sqlalchemy.orm.attributes import flag_modified

from sendesk import text
from sendesk.calendar import CALENDAR_DETAILS
from sendesk.errors import ValidationFailed
from sendesk.models import Meta, SchoolSettings, Term
from sendesk.services import Sessions, audit, versions

MIN_IDLE_MINUTES = 1
MAX_IDLE_MINUTES = 240


@dataclass(frozen=True)
class TermDates:
    name: str
    starts_on: dt.date
    ends_on: dt.date


@dataclass
class SchoolDetails:
    name: str
    urn: str | None = None
    local_authority: str | None = None
    address: str | None = None
    phone: str | None = None
    email: str | None = None
    head_teacher: str | None = None
    senco_name: str | None = None
    idle_lock_minutes: int = 5
    sen_threshold_pence: int = 600_000
    staff_hourly_rate_pence: int = 1_800
    calendar_detail: str = "initials_kind"
    terms: list[TermDates] = field(default_factory=list)
    version: int | None = None  # of the settings as read; a save over a newer one is refused


_SETTINGS_FIELDS = tuple(
    f.name for f in fields(SchoolDetails) if f.name not in ("name", "terms", "version")
)


def load(sessions: Sessions) -> SchoolDetails:
    with sessions() as session:
        meta = session.execute(select(Meta)).scalar_one()
        settings = session.execute(select(SchoolSettings)).scalar_one()
        terms = session.execute(select(Term).order_by(Term.starts_on)).scalars()
        return SchoolDetails(
            name=meta.school_name,
            terms=[TermDates(t.name, t.starts_on, t.ends_on) for t in terms],
            version=settings.version,
            **{name: getattr(settings, name) for name in _SETTINGS_FIELDS},
        )


def check(details: SchoolDetails) -> None:
    problems: dict[str, str] = {}
    if found := text.school_name_problem(details.name):
        problems["name"] = found
    if details.urn and not (details.urn.isdigit() and len(details.urn) == 6):
        problems["urn"] = "A URN is six digits."
    if not MIN_IDLE_MINUTES <= details.idle_lock_minutes <= MAX_IDLE_MINUTES:
        problems["idle_lock_minutes"] = (
            f"Lock after between {MIN_IDLE_MINUTES} and {MAX_IDLE_MINUTES} minutes idle."
        )
    if details.calendar_detail not in CALENDAR_DETAILS:
        problems["calendar_detail"] = "Choose how much a calendar export may say about a pupil."
    if details.sen_threshold_pence < 0 or details.staff_hourly_rate_pence < 0:
        problems["money"] = "Amounts of money cannot be negative."
    ordered = sorted(details.terms, key=lambda t: t.starts_on)
    for term in ordered:
        if not term.name.strip():
            problems["terms"] = "Every term needs a name."
        elif term.ends_on < term.starts_on:
            problems["terms"] = f"{term.name} ends before it starts."
    for earlier, later in itertools.pairwise(ordered if "terms" not in problems else []):
        if later.starts_on <= earlier.ends_on:
            problems["terms"] = f"{earlier.name} and {later.name} overlap."
    if problems:
        raise ValidationFailed(problems)


def save(sessions: Sessions, details: SchoolDetails) -> None:
    check(details)
    values = {
        name: (v.strip() or None) if isinstance(v := getattr(details, name), str) else v
        for name in _SETTINGS_FIELDS
    }
    with sessions() as session, session.begin():
        session.execute(select(Meta)).scalar_one().school_name = details.name.strip()
        settings = session.execute(select(SchoolSettings)).scalar_one()
        versions.ensure_seen(settings, details.version, values, "the school's settings")
        for name, value in values.items():
            setattr(settings, name, value)
        # The name and terms are saved with the settings: every save counts a version.
        flag_modified(settings, "idle_lock_minutes")
        session.execute(delete(Term))
        session.add_all(
            Term(name=t.name.strip(), starts_on=t.starts_on, ends_on=t.ends_on)
            for t in details.terms
        )
        audit.record(session, "settings.changed", "School details and settings saved")
