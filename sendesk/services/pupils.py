"""Pupils: add, change, archive, find and list them, with the rules that keep the register right."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, fields
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.orm.exc import StaleDataError

from sendesk import codes, names, register_query, upn
from sendesk.errors import NotFound, ValidationFailed
from sendesk.models import Cycle, Outcome, Provision, Pupil
from sendesk.pupil_row import PupilRow
from sendesk.school_year import age_on, expected_year_group, school_year_start
from sendesk.services import Sessions, audit, cycles, sen_status, versions
from sendesk.services.archived import ensure_editable
from sendesk.text import clean_free_text, name_problem, search_key


@dataclass
class PupilDetails:
    """What a user can type about a pupil; the services check it before anything is saved."""

    legal_surname: str
    legal_forename: str
    upn: str | None = None
    preferred_forename: str | None = None
    preferred_surname: str | None = None
    date_of_birth: dt.date | None = None
    sex: str | None = None
    year_group: int | None = None
    class_name: str | None = None
    sen_status: str = codes.SenStatus.NONE.value
    primary_need: str | None = None
    secondary_need: str | None = None
    sen_support_since: dt.date | None = None
    ehc_plan_since: dt.date | None = None
    strengths: str | None = None
    what_helps: str | None = None
    what_does_not_help: str | None = None
    pupil_views: str | None = None
    medical_notes: str | None = None
    # For the printed plan and passport: the family's language, the adults who know the pupil.
    home_language: str | None = None
    interpreter_needed: bool = False
    class_teacher: str | None = None
    key_worker: str | None = None
    important_to_me: str | None = None
    # The version these details were read at; a save over a newer one raises `StaleEdit`.
    # None only for details made from scratch, or read and written in one step.
    version: int | None = None

    @classmethod
    def of(cls, pupil: Pupil) -> PupilDetails:
        return cls(**{f.name: getattr(pupil, f.name) for f in fields(cls)})

    def values(self) -> dict[str, Any]:
        """The fields a user edits, by name (everything but the version)."""
        return {f.name: getattr(self, f.name) for f in fields(self) if f.name != "version"}

    @property
    def known_as(self) -> str:
        """The name the pupil is known by (`sendesk.names`)."""
        return names.known_as(
            self.legal_forename, self.legal_surname, self.preferred_forename, self.preferred_surname
        )


@dataclass(frozen=True)
class Saved:
    pupil_id: int
    uuid: str
    warnings: list[str] = field(default_factory=list)
    version: int = 1  # the version now saved, to edit from next


_TEXT_FIELDS = (
    "legal_surname",
    "legal_forename",
    "preferred_forename",
    "preferred_surname",
    "class_name",
    "strengths",
    "what_helps",
    "what_does_not_help",
    "pupil_views",
    "medical_notes",
    "home_language",
    "class_teacher",
    "key_worker",
    "important_to_me",
)


# One-line fields: a control or direction character in them is refused (see `sendesk.text`).
_NAME_LABELS = {
    "legal_surname": "Legal surname",
    "legal_forename": "Legal forename",
    "preferred_forename": "Preferred forename",
    "preferred_surname": "Preferred surname",
    "class_name": "Class",
    "home_language": "Home language",
    "class_teacher": "Class teacher",
    "key_worker": "Key worker",
}
# The longest these may be (their columns' sizes in `sendesk.models`); the app's fields stop
# there, so only a script or a pasted value is refused.
_LONGEST = {
    "home_language": 60,
    "class_teacher": 120,
    "key_worker": 120,
}
# The SEN judgement: SENDesk owns it once the SENCo sets it here, so an import keeps it.
SEN_JUDGEMENT = ("sen_status", "primary_need", "secondary_need", "sen_support_since",
                 "ehc_plan_since")  # fmt: skip


def clean(details: PupilDetails) -> PupilDetails:
    """Trimmed text (empty becomes None), a normalised UPN and upper-case codes."""
    values = {f.name: getattr(details, f.name) for f in fields(details)}
    for name in _TEXT_FIELDS:
        value = values[name]
        if isinstance(value, str) and name not in _NAME_LABELS:
            value = clean_free_text(value)
        values[name] = (value.strip() or None) if isinstance(value, str) else value
    values["legal_surname"] = values["legal_surname"] or ""
    values["legal_forename"] = values["legal_forename"] or ""
    for name in ("upn", "sex", "sen_status", "primary_need", "secondary_need"):
        value = values[name]
        values[name] = _code(value) if isinstance(value, str) else value
    values["sen_status"] = values["sen_status"] or codes.SenStatus.NONE.value
    values["interpreter_needed"] = bool(values["interpreter_needed"])
    return PupilDetails(**values)


def _code(text: str) -> str | None:
    return "".join(text.split()).upper() or None


def census_gaps(details: PupilDetails) -> str | None:
    """What a new pupil's record lacks that the school census asks for, as one warning (None if
    nothing): saved without, it would wait for the census check to be noticed."""
    missing = [
        label
        for label, value in (
            ("UPN", details.upn),
            ("date of birth", details.date_of_birth),
            ("year group", details.year_group),
        )
        if value in (None, "")
    ]
    if not missing:
        return None
    named = missing[0] if len(missing) == 1 else f"{', '.join(missing[:-1])} or {missing[-1]}"
    them = "it" if len(missing) == 1 else "them"
    return f"No {named} yet: the school census asks for {them}."


def check(details: PupilDetails, today: dt.date) -> list[str]:
    """Raise `ValidationFailed` for what cannot be saved; return warnings for what looks odd.

    Warnings never block saving: a SENCo may know something the rules do not.
    """
    problems: dict[str, str] = {}
    warnings: list[str] = []
    if not details.legal_surname:
        problems["legal_surname"] = "Give the pupil's legal surname."
    if not details.legal_forename:
        problems["legal_forename"] = "Give the pupil's legal forename."
    for name, label in _NAME_LABELS.items():
        if message := name_problem(getattr(details, name), label):
            problems[name] = message
    for name, longest in _LONGEST.items():
        if name not in problems and len(getattr(details, name) or "") > longest:
            problems[name] = f"Keep the {_NAME_LABELS[name].lower()} to {longest} characters."
    if details.upn and (message := upn.problem(details.upn)):
        problems["upn"] = message
    if details.sen_status not in codes.SEN_STATUS_LABELS:
        problems["sen_status"] = "SEN status must be N (no SEN), K (SEN support) or E (EHC plan)."
    for name in ("primary_need", "secondary_need"):
        code = getattr(details, name)
        if code and code not in codes.NEED_BY_CODE:
            problems[name] = f"{code} is not a census type of need."
    if details.secondary_need and not details.primary_need:
        problems["secondary_need"] = "A secondary need needs a primary need first."
    elif details.secondary_need and details.secondary_need == details.primary_need:
        problems["secondary_need"] = "The secondary need must differ from the primary need."
    if details.sex and details.sex not in codes.SEXES:
        problems["sex"] = "Sex must be F or M, as the census records it."
    if details.year_group is not None and details.year_group not in codes.YEAR_GROUPS:
        problems["year_group"] = "Year group must be N1, N2, Reception or Year 1 to Year 14."
    dob = details.date_of_birth
    if dob is not None:
        if dob > today:
            problems["date_of_birth"] = "The date of birth is in the future."
        elif not codes.YOUNGEST_PUPIL_AGE <= age_on(dob, today) <= codes.OLDEST_PUPIL_AGE:
            problems["date_of_birth"] = (
                "The date of birth gives an age outside "
                f"{codes.YOUNGEST_PUPIL_AGE} to {codes.OLDEST_PUPIL_AGE}."
            )
        elif details.year_group is not None:
            expected = expected_year_group(dob, today)
            if expected != details.year_group:
                warnings.append(
                    f"A child born on {dob:%d/%m/%Y} would usually be in "
                    f"{codes.year_group_label(expected)}, not "
                    f"{codes.year_group_label(details.year_group)}."
                )
    for name in ("sen_support_since", "ehc_plan_since"):
        when = getattr(details, name)
        if when and when > today:
            problems[name] = "This date is in the future."
    if problems:
        raise ValidationFailed(problems)
    if details.sen_status in codes.ON_SEN_REGISTER and not details.primary_need:
        warnings.append(
            "A pupil on SEN support or with an EHC plan needs a primary need for the census."
        )
    return warnings


def _search_text(details: PupilDetails) -> str:
    return search_key(
        details.legal_surname,
        details.legal_forename,
        details.preferred_forename,
        details.preferred_surname,
        details.upn,
    )


def _apply(pupil: Pupil, details: PupilDetails) -> list[str]:
    changed = []
    for name, value in details.values().items():
        if getattr(pupil, name) != value:
            setattr(pupil, name, value)
            changed.append(name)
    if pupil.search_text != (key := _search_text(details)):
        pupil.search_text = key
    return changed


def mark_sen_set(pupil: Pupil, before: PupilDetails, today: dt.date) -> None:
    """Date the SEN judgement when the SENCo changed it here; an import then keeps it."""
    if any(getattr(before, n) != getattr(pupil, n) for n in SEN_JUDGEMENT):
        pupil.sen_set_on = today


def _ensure_upn_free(session: Session, upn_value: str | None, pupil_id: int | None) -> None:
    if not upn_value:
        return
    other = session.execute(select(Pupil.id).where(Pupil.upn == upn_value)).scalar()
    if other is not None and other != pupil_id:
        raise ValidationFailed({"upn": "Another pupil in this file already has this UPN."})


def create(sessions: Sessions, details: PupilDetails, today: dt.date | None = None) -> Saved:
    details = clean(details)
    today = today or dt.date.today()
    warnings = check(details, today)
    with sessions() as session, session.begin():
        _ensure_upn_free(session, details.upn, None)
        pupil = Pupil()
        _apply(pupil, details)
        sen_status.date_joining(pupil, None, None, today)
        mark_sen_set(pupil, PupilDetails("", ""), today)
        session.add(pupil)
        session.flush()
        audit.record(session, "pupil.created", "Pupil added", pupil.uuid)
        return Saved(pupil.id, pupil.uuid, warnings, pupil.version)


def update(
    sessions: Sessions, pupil_id: int, details: PupilDetails, today: dt.date | None = None
) -> Saved:
    """Save a pupil's details; `details.version` is the version the user saw (`StaleEdit`)."""
    details = clean(details)
    today = today or dt.date.today()
    warnings = check(details, today)
    try:
        with sessions() as session, session.begin():
            pupil = _get(session, pupil_id)
            ensure_editable(pupil)
            versions.ensure_seen(pupil, details.version, details.values(), PUPIL_RECORD)
            _ensure_upn_free(session, details.upn, pupil_id)
            if problem := cycles.status_problem(session, pupil_id, details.sen_status):
                raise ValidationFailed({"sen_status": problem})
            before = PupilDetails.of(pupil)
            since = sen_status.dates_before(pupil)
            changed = _apply(pupil, details)
            sen_status.date_joining(pupil, before.sen_status, since, today)
            mark_sen_set(pupil, before, today)
            if changed:
                audit.record(session, "pupil.updated", "Changed: " + ", ".join(changed), pupil.uuid)
            try:
                session.flush()
            except IntegrityError as exc:  # a race with another writer on the UPN
                raise ValidationFailed({"upn": "Another pupil already has this UPN."}) from exc
            return Saved(pupil.id, pupil.uuid, warnings, pupil.version)
    except StaleDataError as exc:  # another writer saved between our read and our write
        raise versions.raced(sessions, Pupil, pupil_id, details.values(), PUPIL_RECORD) from exc


PUPIL_RECORD = "this pupil's record"


def archive(
    sessions: Sessions,
    pupil_id: int,
    left_on: dt.date,
    destination: str = "",
    today: dt.date | None = None,
) -> None:
    """Take a pupil off the register; their records stay (retention rules decide deletion)."""
    with sessions() as session, session.begin():
        pupil = _get(session, pupil_id)
        if pupil.archived_on:
            raise ValidationFailed({"archived_on": "This pupil is already archived."})
        if pupil.date_of_birth and left_on < pupil.date_of_birth:
            raise ValidationFailed({"left_on": "The leaving date is before the date of birth."})
        pupil.archived_on = today or dt.date.today()
        pupil.left_on = left_on
        pupil.leaving_destination = destination.strip() or None
        audit.record(session, "pupil.archived", "Pupil archived", pupil.uuid)


def restore(sessions: Sessions, pupil_id: int) -> None:
    """Bring an archived pupil back onto the register."""
    with sessions() as session, session.begin():
        pupil = _get(session, pupil_id)
        pupil.archived_on = None
        pupil.left_on = None
        pupil.leaving_destination = None
        audit.record(session, "pupil.restored", "Pupil restored from the archive", pupil.uuid)


def _get(session: Session, pupil_id: int) -> Pupil:
    pupil = session.get(Pupil, pupil_id)
    if pupil is None:
        raise NotFound(f"There is no pupil with id {pupil_id} in this file.")
    return pupil


def details(sessions: Sessions, pupil_id: int) -> PupilDetails:
    with sessions() as session:
        return PupilDetails.of(_get(session, pupil_id))


@dataclass(frozen=True)
class Standing:
    """Whether a pupil is on the register; archived pupils' records are read-only."""

    archived_on: dt.date | None
    left_on: dt.date | None
    destination: str | None

    @property
    def archived(self) -> bool:
        return self.archived_on is not None


def standing(sessions: Sessions, pupil_id: int) -> Standing:
    with sessions() as session:
        pupil = _get(session, pupil_id)
        return Standing(pupil.archived_on, pupil.left_on, pupil.leaving_destination)


def find_by_upn(sessions: Sessions, upn_text: str) -> int:
    """The id of the pupil with this UPN, or `NotFound`."""
    return find_many_by_upn(sessions, [upn_text])[0]


def find_many_by_upn(sessions: Sessions, upn_texts: Sequence[str]) -> list[int]:
    """The ids of the pupils with these UPNs, in the order given, found in one query (a print run
    names hundreds); `NotFound` names the first UPN not in the file."""
    wanted = [upn.normalise(u) for u in upn_texts]
    with sessions() as session:
        rows = session.execute(select(Pupil.upn, Pupil.id).where(Pupil.upn.in_(set(wanted))))
        found = {u: i for u, i in rows}
    for u in wanted:
        if u not in found:
            raise NotFound(upn.not_in_file(u))
    return [int(found[u]) for u in wanted]


def _with_history(query: Select[Pupil]) -> Select[Pupil]:
    return query.options(
        selectinload(Pupil.contacts),
        selectinload(Pupil.notes),
        selectinload(Pupil.meetings),
        selectinload(Pupil.referrals),
        selectinload(Pupil.attachments),
        selectinload(Pupil.cycles).selectinload(Cycle.needs),
        selectinload(Pupil.cycles).selectinload(Cycle.evidence),
        selectinload(Pupil.cycles).selectinload(Cycle.outcomes),
        selectinload(Pupil.cycles).selectinload(Cycle.strategies),
        selectinload(Pupil.cycles).selectinload(Cycle.review),
        selectinload(Pupil.cycles).selectinload(Cycle.provisions).selectinload(Provision.sessions),
    )


def history(sessions: Sessions, pupil_id: int) -> Pupil:
    """A pupil with every related record loaded, for the record view and the documents."""
    query = _with_history(select(Pupil).where(Pupil.id == pupil_id))
    with sessions() as session:
        pupil = session.execute(query).scalar_one_or_none()
        if pupil is None:
            raise NotFound(f"There is no pupil with id {pupil_id} in this file.")
        session.expunge_all()
        return pupil


# Picks the cycle whose plan is printed, told which cycles have outcomes; NotFound if none.
PlanChoice = Callable[[Pupil, Callable[[Cycle], bool]], Cycle]


def plan_records(
    sessions: Sessions, pupil_ids: Sequence[int], choose: PlanChoice
) -> list[tuple[Pupil, Cycle | NotFound]]:
    """Pupils with what their support plans print, in one round of queries (not one per pupil),
    in the order asked, each with the cycle `choose` picks (or why there is none).

    Only what a plan prints is loaded: the chosen cycle's records, and the provisions of the
    pupil's cycles in the same school year (the year's cost). The rest of the history (older
    cycles' outcomes and strategies, notes, meetings, contacts, sessions) is most of the rows:
    the pupils come back detached, so a plan that read it would fail, not query.
    """
    wanted = set(pupil_ids)
    with sessions() as session:
        found = {
            p.id: p
            for p in session.execute(
                select(Pupil).where(Pupil.id.in_(wanted)).options(selectinload(Pupil.cycles))
            ).scalars()
        }
        missing = [i for i in pupil_ids if i not in found]
        if missing:
            raise NotFound(f"There is no pupil with id {missing[0]} in this file.")
        cycle_ids = [c.id for p in found.values() for c in p.cycles]
        planned = _with_outcomes(session, cycle_ids)
        chosen: dict[int, Cycle | NotFound] = {}
        for pupil in found.values():
            try:
                chosen[pupil.id] = choose(pupil, lambda c: c.id in planned)
            except NotFound as exc:
                chosen[pupil.id] = exc
        plan_ids = {c.id for c in chosen.values() if isinstance(c, Cycle)}
        same_year = {
            c.id
            for pupil_id, plan in chosen.items()
            if isinstance(plan, Cycle)
            for c in found[pupil_id].cycles
            if c.id not in plan_ids
            and school_year_start(c.opened_on) == school_year_start(plan.opened_on)
        }
        _load_cycles(
            session,
            plan_ids,
            Cycle.needs,
            Cycle.evidence,
            Cycle.outcomes,
            Cycle.strategies,
            Cycle.review,
            Cycle.provisions,
        )
        _load_cycles(session, same_year, Cycle.provisions)
        session.expunge_all()
    return [(found[i], chosen[i]) for i in pupil_ids]


def _with_outcomes(session: Session, cycle_ids: Sequence[int]) -> set[int]:
    query = select(Outcome.cycle_id).where(Outcome.cycle_id.in_(cycle_ids)).distinct()
    return set(session.execute(query).scalars().all()) if cycle_ids else set()


def _load_cycles(session: Session, cycle_ids: set[int], *related: Any) -> None:
    """Load these relationships of cycles already in the session (selectin: one query each)."""
    if cycle_ids:
        session.execute(
            select(Cycle)
            .where(Cycle.id.in_(cycle_ids))
            .options(*(selectinload(r) for r in related))
        ).scalars().all()


def list_register(
    sessions: Sessions,
    search: str | None = None,
    include_archived: bool = False,
    today: dt.date | None = None,
    first: int | None = None,
) -> list[PupilRow]:
    """The register, as `sendesk.register_query` reads it, through the session's engine; with
    `first`, only the first that many rows in name order."""
    with sessions() as session:
        conn = session.connection()
        sql, values = register_query.statement(conn.dialect.name, search, include_archived, first)
        # The SQL run directly: SQLAlchemy's per-call result handling would otherwise cost
        # more than the query itself on every keystroke of a search.
        found = conn.exec_driver_sql(sql, values).all()
    return register_query.rows(found, today or dt.date.today())
