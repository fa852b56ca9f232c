"""Review and other meetings: schedule, move, cancel, mark held, list, and what is due.

The rules (overdue, three a year, date warnings, iCalendar) live in `sendesk.calendar`; this module
reads and writes the records, one transaction per call, with an audit event for each change. What
is made from meetings to take away (iCalendar, the week's schedule, the parents' invitation) is in
`sendesk.services.meeting_exports`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import ColumnElement, Select, and_, select
from sqlalchemy.orm import InstrumentedAttribute, Session
from sqlalchemy.orm.exc import StaleDataError

from sendesk import calendar, codes, names
from sendesk.collation import in_code_order
from sendesk.errors import NotFound, ValidationFailed
from sendesk.models import Cycle, Meeting, Pupil, SchoolSettings, Term
from sendesk.services import Sessions, audit, versions
from sendesk.wording import plural

DEFAULT_TIME = dt.time(15, 30)
DEFAULT_MINUTES = 30
MIN_MINUTES = 5
MAX_MINUTES = 8 * 60
UPCOMING_DAYS = 28
PLACE_LENGTH = 200


@dataclass
class MeetingDetails:
    """What a user gives when scheduling or moving a meeting."""

    kind: str
    starts_at: dt.datetime
    duration_minutes: int = DEFAULT_MINUTES
    place: str | None = None
    invited: str | None = None
    notes: str | None = None
    cycle_id: int | None = None


@dataclass(frozen=True)
class MeetingView:
    """A meeting with the pupil's name, for the calendar (inside the app only)."""

    id: int
    pupil_id: int
    pupil_name: str
    pupil_upn: str | None
    kind: str
    starts_at: dt.datetime
    duration_minutes: int
    place: str | None
    invited: str | None
    attendees: str | None
    status: str
    moved_to_id: int | None
    cycle_id: int | None
    notes: str | None
    forename: str
    surname: str
    version: int = 0  # as read; moving or holding it over a newer save raises `StaleEdit`

    @property
    def ends_at(self) -> dt.datetime:
        return self.starts_at + dt.timedelta(minutes=self.duration_minutes)

    @property
    def is_review(self) -> bool:
        return calendar.is_review(self.kind)

    def overdue(self, today: dt.date) -> bool:
        return calendar.is_overdue(self.kind, self.status, self.starts_at, today)

    @property
    def kind_label(self) -> str:
        return codes.MEETING_KINDS[self.kind]

    @property
    def status_label(self) -> str:
        return codes.MEETING_STATUSES[self.status]


@dataclass(frozen=True)
class Scheduled:
    meeting_id: int
    warnings: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class ReviewToSchedule:
    """An open cycle's agreed review date with no planned or held meeting for it yet."""

    cycle_id: int
    pupil_id: int
    pupil_name: str
    review_date: dt.date

    def overdue(self, today: dt.date) -> bool:
        return calendar.review_date_overdue(self.review_date, today)


@dataclass(frozen=True)
class DueSummary:
    this_week: int
    overdue: int

    def sentence(self) -> str:
        # From today on: the week's list beside it also shows the days already gone.
        week = (
            "No more reviews this week"
            if not self.this_week
            else f"{plural(self.this_week, 'review')} still to come this week"
        )
        late = f"{self.overdue} overdue" if self.overdue else "none overdue"
        return f"{week}, {late}"


@dataclass(frozen=True)
class PupilTally:
    pupil_id: int
    pupil_name: str
    sen_status: str
    tally: calendar.ReviewTally


# --- checks -------------------------------------------------------------------------------------


def _clean(text: str | None) -> str | None:
    return (text or "").strip() or None


def check(details: MeetingDetails) -> MeetingDetails:
    """Raise `ValidationFailed` for a meeting that cannot be saved; return it tidied."""
    problems: dict[str, str] = {}
    if details.kind not in codes.MEETING_KINDS:
        problems["kind"] = "Choose the kind of meeting."
    if not MIN_MINUTES <= details.duration_minutes <= MAX_MINUTES:
        problems["duration_minutes"] = (
            f"A meeting lasts between {MIN_MINUTES} minutes and {MAX_MINUTES // 60} hours."
        )
    if details.starts_at.tzinfo is not None:
        problems["starts_at"] = "Give the time as a UK wall-clock time."
    place = _clean(details.place)
    if place and len(place) > PLACE_LENGTH:
        problems["place"] = f"Keep the place under {PLACE_LENGTH} characters."
    if problems:
        raise ValidationFailed(problems)
    return MeetingDetails(
        kind=details.kind,
        starts_at=details.starts_at.replace(second=0, microsecond=0),
        duration_minutes=details.duration_minutes,
        place=place,
        invited=_clean(details.invited),
        notes=_clean(details.notes),
        cycle_id=details.cycle_id,
    )


def _terms(session: Session) -> list[Term]:
    return list(session.execute(select(Term).order_by(Term.starts_on)).scalars())


def date_warnings(sessions: Sessions, day: dt.date) -> list[str]:
    """Weekend, bank holiday and outside-term warnings for a meeting on `day`."""
    with sessions() as session:
        return calendar.day_warnings(day, _terms(session))


def _warnings(session: Session, when: dt.datetime, today: dt.date) -> list[str]:
    found = calendar.day_warnings(when.date(), _terms(session))
    if when.date() < today:
        found.append("That day has already passed: the meeting will show as overdue.")
    return found


# --- changes ------------------------------------------------------------------------------------


def _pupil(session: Session, pupil_id: int) -> Pupil:
    pupil = session.get(Pupil, pupil_id)
    if pupil is None:
        raise NotFound("That pupil is no longer in this file.")
    return pupil


def get_meeting(session: Session, meeting_id: int) -> Meeting:
    """The stored meeting, or `NotFound` in plain words."""
    return _meeting(session, meeting_id)


def _meeting(session: Session, meeting_id: int) -> Meeting:
    meeting = session.get(Meeting, meeting_id)
    if meeting is None:
        raise NotFound("That meeting is no longer in this file.")
    return meeting


def _must_be_planned(meeting: Meeting, doing: str) -> None:
    if meeting.status != "planned":
        status = codes.MEETING_STATUSES[meeting.status].lower()
        raise ValidationFailed(
            {"status": f"Only a planned meeting can be {doing}; this is {status}."}
        )


def _planned(pupil_id: int, clean: MeetingDetails) -> Meeting:
    return Meeting(
        pupil_id=pupil_id,
        cycle_id=clean.cycle_id,
        kind=clean.kind,
        starts_at=clean.starts_at,
        duration_minutes=clean.duration_minutes,
        place=clean.place,
        invited=clean.invited,
        notes=clean.notes,
        status="planned",
    )


def schedule(
    sessions: Sessions, pupil_id: int, details: MeetingDetails, today: dt.date | None = None
) -> Scheduled:
    """Add a planned meeting for a pupil; warnings (weekend, holiday...) never block it."""
    today = today or dt.date.today()
    clean = check(details)
    with sessions() as session, session.begin():
        return _schedule(session, pupil_id, clean, today)


def _schedule(session: Session, pupil_id: int, clean: MeetingDetails, today: dt.date) -> Scheduled:
    """`schedule` inside the caller's transaction, for details already checked."""
    pupil = _pupil(session, pupil_id)
    if pupil.archived_on is not None:
        raise ValidationFailed({"pupil": "That pupil is archived; restore them first."})
    if clean.cycle_id is not None:
        cycle = session.get(Cycle, clean.cycle_id)
        if cycle is None or cycle.pupil_id != pupil_id:
            raise NotFound("That cycle is not one of this pupil's.")
    meeting = _planned(pupil_id, clean)
    session.add(meeting)
    session.flush()
    audit.record(
        session, "meeting.scheduled", f"{codes.MEETING_KINDS[clean.kind]} scheduled", pupil.uuid
    )
    return Scheduled(meeting.id, _warnings(session, clean.starts_at, today))


def schedule_on_day(
    sessions: Sessions,
    pupil_id: int,
    day: dt.date,
    kind: str = "sen_review",
    at: dt.time = DEFAULT_TIME,
    duration_minutes: int = DEFAULT_MINUTES,
    place: str | None = None,
    today: dt.date | None = None,
) -> Scheduled:
    """Schedule on a day picked in the calendar, at the school's usual time unless told."""
    details = MeetingDetails(kind, dt.datetime.combine(day, at), duration_minutes, place)
    return schedule(sessions, pupil_id, details, today)


def schedule_for_review(
    sessions: Sessions,
    cycle_id: int,
    at: dt.time = DEFAULT_TIME,
    duration_minutes: int = DEFAULT_MINUTES,
    place: str | None = None,
    invited: str | None = None,
    today: dt.date | None = None,
) -> Scheduled:
    """Schedule the review meeting on a cycle's agreed review date."""
    with sessions() as session:
        cycle = session.get(Cycle, cycle_id)
        if cycle is None:
            raise NotFound("That cycle is no longer in this file.")
        details = _review_details(cycle, at, duration_minutes, place, invited)
        pupil_id = cycle.pupil_id
    return schedule(sessions, pupil_id, details, today)


def _review_details(
    cycle: Cycle,
    at: dt.time = DEFAULT_TIME,
    duration_minutes: int = DEFAULT_MINUTES,
    place: str | None = None,
    invited: str | None = None,
) -> MeetingDetails:
    """The review meeting of a cycle, on its agreed review date."""
    if cycle.review_date is None:
        raise ValidationFailed({"review_date": "This plan has no review date yet."})
    return MeetingDetails(
        "sen_review",
        dt.datetime.combine(cycle.review_date, at),
        duration_minutes,
        place,
        invited,
        cycle_id=cycle.id,
    )


def _books_review_of(cycle_id: InstrumentedAttribute[int] | int) -> ColumnElement[bool]:
    """A meeting that books a cycle's review: planned or held, and linked to the cycle (only a
    review meeting is ever linked to a cycle)."""
    return and_(Meeting.cycle_id == cycle_id, Meeting.status.in_(("planned", "held")))


@dataclass(frozen=True)
class ReviewBooking:
    """The review meeting of a cycle whose plan was agreed: booked then, or booked before."""

    meeting_id: int
    starts_at: dt.datetime
    booked_now: bool

    def sentence(self) -> str:
        if self.booked_now:
            return f"Review meeting booked for {_when(self.starts_at)}."
        return f"The review meeting was already booked for {_when(self.starts_at)}."


def _when(starts_at: dt.datetime) -> str:
    return f"{starts_at:%A %d/%m/%Y at %H:%M}"


def _booked_review(session: Session, cycle_id: int) -> Meeting | None:
    return session.execute(
        select(Meeting).where(_books_review_of(cycle_id)).order_by(Meeting.starts_at).limit(1)
    ).scalar()


def booked_review(sessions: Sessions, cycle_id: int) -> dt.datetime | None:
    """When the cycle's review meeting is booked for, or None when it is not booked yet."""
    with sessions() as session:
        meeting = _booked_review(session, cycle_id)
        return meeting.starts_at if meeting else None


def review_to_book(sessions: Sessions, cycle_id: int, review_date: dt.date | None) -> str:
    """What agreeing a plan with this review date does about its review meeting, in words."""
    booked = booked_review(sessions, cycle_id)
    if booked is not None:
        return (
            f"The review meeting is already booked for {_when(booked)}: agreeing the plan "
            "leaves it there (move it in the calendar if the review date changes)."
        )
    if review_date is None:
        return "Give the review date: agreeing the plan books the review meeting on that day."
    starts_at = dt.datetime.combine(review_date, DEFAULT_TIME)
    return f"Agreeing the plan books the review meeting for {_when(starts_at)}."


def book_review(session: Session, cycle: Cycle, today: dt.date) -> ReviewBooking | None:
    """Inside the caller's transaction: book the cycle's review meeting on its review date at
    the usual time, unless one is booked already (then say which). None with no review date."""
    if cycle.review_date is None:
        return None
    found = _booked_review(session, cycle.id)
    if found is not None:
        return ReviewBooking(found.id, found.starts_at, booked_now=False)
    details = check(_review_details(cycle))
    done = _schedule(session, cycle.pupil_id, details, today)
    return ReviewBooking(done.meeting_id, details.starts_at, booked_now=True)


def move(
    sessions: Sessions,
    meeting_id: int,
    starts_at: dt.datetime,
    duration_minutes: int | None = None,
    place: str | None = None,
    today: dt.date | None = None,
    seen: int | None = None,
) -> Scheduled:
    """Mark a planned meeting moved and plan the new one, linked by `moved_to_id`; `seen` is
    the version the user opened (`StaleEdit` if someone saved the meeting since)."""
    today = today or dt.date.today()
    yours = {"starts_at": starts_at, "place": place}
    try:
        return _move(sessions, meeting_id, starts_at, duration_minutes, place, today, seen)
    except StaleDataError as exc:  # another writer saved between our read and our write
        raise versions.raced(sessions, Meeting, meeting_id, yours, MEETING) from exc


MEETING = "this meeting"


def _move(
    sessions: Sessions,
    meeting_id: int,
    starts_at: dt.datetime,
    duration_minutes: int | None,
    place: str | None,
    today: dt.date,
    seen: int | None,
) -> Scheduled:
    with sessions() as session, session.begin():
        old = _meeting(session, meeting_id)
        versions.ensure_seen(old, seen, {"starts_at": starts_at}, MEETING)
        _must_be_planned(old, "moved")
        clean = check(
            MeetingDetails(
                old.kind,
                starts_at,
                duration_minutes or old.duration_minutes,
                old.place if place is None else place,
                old.invited,
                old.notes,
                old.cycle_id,
            )
        )
        if clean.starts_at == old.starts_at and clean.duration_minutes == old.duration_minutes:
            raise ValidationFailed({"starts_at": "Choose a different day or time to move it to."})
        new = _planned(old.pupil_id, clean)
        session.add(new)
        session.flush()
        old.status = "moved"
        old.moved_to_id = new.id
        audit.record(
            session, "meeting.moved", f"{codes.MEETING_KINDS[old.kind]} moved", old.pupil.uuid
        )
        return Scheduled(new.id, _warnings(session, clean.starts_at, today))


def cancel(sessions: Sessions, meeting_id: int, reason: str | None = None) -> None:
    with sessions() as session, session.begin():
        meeting = _meeting(session, meeting_id)
        _must_be_planned(meeting, "cancelled")
        meeting.status = "cancelled"
        if why := _clean(reason):
            meeting.notes = (
                f"{meeting.notes}\nCancelled: {why}" if meeting.notes else (f"Cancelled: {why}")
            )
        audit.record(
            session,
            "meeting.cancelled",
            f"{codes.MEETING_KINDS[meeting.kind]} cancelled",
            meeting.pupil.uuid,
        )


def mark_held(
    sessions: Sessions,
    meeting_id: int,
    attendees: str,
    notes: str | None = None,
    today: dt.date | None = None,
    seen: int | None = None,
) -> MeetingView:
    """Record that a planned meeting took place and who came; `seen` is the version the user
    opened (`StaleEdit` if someone saved the meeting since)."""
    today = today or dt.date.today()
    try:
        return _mark_held(sessions, meeting_id, attendees, notes, today, seen)
    except StaleDataError as exc:  # another writer saved between our read and our write
        yours = {"attendees": attendees.strip()}
        raise versions.raced(sessions, Meeting, meeting_id, yours, MEETING) from exc


def _mark_held(
    sessions: Sessions,
    meeting_id: int,
    attendees: str,
    notes: str | None,
    today: dt.date,
    seen: int | None,
) -> MeetingView:
    problems: dict[str, str] = {}
    if not attendees.strip():
        problems["attendees"] = "Write who attended (for example parents, class teacher, SENCo)."
    with sessions() as session, session.begin():
        meeting = _meeting(session, meeting_id)
        versions.ensure_seen(meeting, seen, {"attendees": attendees.strip()}, MEETING)
        _must_be_planned(meeting, "marked held")
        if meeting.starts_at.date() > today:
            problems["starts_at"] = "A meeting cannot be marked held before its day; move it."
        if problems:
            raise ValidationFailed(problems)
        meeting.status = "held"
        meeting.attendees = attendees.strip()
        if extra := _clean(notes):
            meeting.notes = f"{meeting.notes}\n{extra}" if meeting.notes else extra
        audit.record(
            session,
            "meeting.held",
            f"{codes.MEETING_KINDS[meeting.kind]} held",
            meeting.pupil.uuid,
        )
        session.flush()
        return _view(meeting, meeting.pupil)


# --- lists --------------------------------------------------------------------------------------


def _names(p: Pupil) -> tuple[str, str]:
    """The names the pupil goes by: preferred where given, else legal."""
    return names.known_names(
        p.legal_forename, p.legal_surname, p.preferred_forename, p.preferred_surname
    )


def name_of(p: Pupil) -> str:
    """The name the pupil goes by, as the calendar and its exports show it."""
    return p.known_as


_name = name_of


def _view(m: Meeting, p: Pupil) -> MeetingView:
    forename, surname = _names(p)
    return MeetingView(
        m.id, m.pupil_id, p.known_as, p.upn, m.kind, m.starts_at,
        m.duration_minutes, m.place, m.invited, m.attendees, m.status, m.moved_to_id,
        m.cycle_id, m.notes, forename, surname, m.version,
    )  # fmt: skip


def _query() -> Select[Meeting, Pupil]:
    return (
        select(Meeting, Pupil)
        .join(Pupil, Pupil.id == Meeting.pupil_id)
        .order_by(Meeting.starts_at, Meeting.id)
    )


def _run(sessions: Sessions, query: Select[Meeting, Pupil]) -> list[MeetingView]:
    with sessions() as session:
        return [_view(m, p) for m, p in session.execute(query)]


def _day_bounds(first: dt.date, last: dt.date) -> tuple[dt.datetime, dt.datetime]:
    return dt.datetime.combine(first, dt.time.min), dt.datetime.combine(
        last + dt.timedelta(days=1), dt.time.min
    )


def get(sessions: Sessions, meeting_id: int) -> MeetingView:
    with sessions() as session:
        meeting = _meeting(session, meeting_id)
        return _view(meeting, meeting.pupil)


def between(
    sessions: Sessions,
    first: dt.date,
    last: dt.date,
    kinds: Iterable[str] | None = None,
    statuses: Iterable[str] | None = None,
) -> list[MeetingView]:
    """Meetings from the start of `first` to the end of `last`, in time order."""
    if last < first:
        raise ValidationFailed({"dates": "The end of the range is before its start."})
    start, end = _day_bounds(first, last)
    query = _query().where(Meeting.starts_at >= start, Meeting.starts_at < end)
    if kinds is not None:
        query = query.where(Meeting.kind.in_(list(kinds)))
    if statuses is not None:
        query = query.where(Meeting.status.in_(list(statuses)))
    return _run(sessions, query)


def upcoming(
    sessions: Sessions, today: dt.date | None = None, days: int = UPCOMING_DAYS
) -> list[MeetingView]:
    """Planned meetings from today to four weeks on."""
    today = today or dt.date.today()
    return between(sessions, today, today + dt.timedelta(days=days - 1), statuses=["planned"])


def overdue(sessions: Sessions, today: dt.date | None = None) -> list[MeetingView]:
    """Planned review meetings whose day has passed without being held."""
    today = today or dt.date.today()
    query = _query().where(
        Meeting.status == "planned",
        Meeting.kind.in_(codes.REVIEW_MEETING_KINDS),
        Meeting.starts_at < dt.datetime.combine(today, dt.time.min),
    )
    return _run(sessions, query)


def reviews_to_schedule(sessions: Sessions, pupil_id: int | None = None) -> list[ReviewToSchedule]:
    """Open cycles with an agreed review date but no planned or held meeting linked to them;
    only one pupil's when `pupil_id` is given."""
    has_meeting = select(Meeting.id).where(_books_review_of(Cycle.id)).exists()
    query = (
        select(Cycle, Pupil)
        .join(Pupil, Pupil.id == Cycle.pupil_id)
        .where(
            Cycle.stage != codes.Stage.CLOSED,
            Cycle.review_date.is_not(None),
            Pupil.archived_on.is_(None),
            ~has_meeting,
            *(() if pupil_id is None else (Cycle.pupil_id == pupil_id,)),
        )
        .order_by(Cycle.review_date, Cycle.id)
    )
    with sessions() as session:
        return [
            ReviewToSchedule(
                c.id,
                p.id,
                _name(p),
                c.review_date,
            )
            for c, p in session.execute(query)
            if c.review_date is not None
        ]


def due_summary(sessions: Sessions, today: dt.date | None = None) -> DueSummary:
    """Planned reviews from today to Sunday, and reviews overdue (meetings and plan dates)."""
    today = today or dt.date.today()
    _, sunday = calendar.week_of(today)
    this_week = between(
        sessions, today, sunday, kinds=codes.REVIEW_MEETING_KINDS, statuses=["planned"]
    )
    late_meetings = overdue(sessions, today)
    late_dates = [r for r in reviews_to_schedule(sessions) if r.overdue(today)]
    return DueSummary(len(this_week), len(late_meetings) + len(late_dates))


def review_tallies(sessions: Sessions, today: dt.date | None = None) -> list[PupilTally]:
    """Each K or E pupil on roll: parent reviews held this school year against three."""
    today = today or dt.date.today()
    start, _ = calendar.school_year(today)
    with sessions() as session:
        terms = _terms(session)
        pupils = session.execute(
            select(Pupil)
            .where(Pupil.sen_status.in_(codes.ON_SEN_REGISTER), Pupil.archived_on.is_(None))
            .order_by(in_code_order(Pupil.search_text), Pupil.id)
        ).scalars()
        held: dict[int, list[tuple[str, str, dt.datetime]]] = {}
        rows = session.execute(
            select(Meeting.pupil_id, Meeting.kind, Meeting.status, Meeting.starts_at).where(
                Meeting.status == "held",
                Meeting.kind.in_(codes.REVIEW_MEETING_KINDS),
                Meeting.starts_at >= dt.datetime.combine(start, dt.time.min),
            )
        )
        for pupil_id, kind, status, starts_at in rows:
            held.setdefault(pupil_id, []).append((kind, status, starts_at))
        result = []
        for p in pupils:
            since = p.sen_support_since or p.ehc_plan_since
            result.append(
                PupilTally(
                    p.id,
                    _name(p),
                    p.sen_status,
                    calendar.tally(p.id, held.get(p.id, []), today, terms, since),
                )
            )
        return result


# --- the calendar setting ------------------------------------------------------------------


def calendar_detail(sessions: Sessions) -> str:
    with sessions() as session:
        return session.execute(select(SchoolSettings.calendar_detail)).scalar_one()
