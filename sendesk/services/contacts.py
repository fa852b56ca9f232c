"""Parents, carers and others to contact about a pupil."""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from sendesk import codes
from sendesk.errors import NotFound, ValidationFailed
from sendesk.models import Contact, Pupil
from sendesk.services import Sessions, audit, versions
from sendesk.services.archived import ensure_editable
from sendesk.text import clean_free_text, name_problem

_FREE_TEXT = ("address", "notes")  # may run over lines; the other fields are one line


@dataclass
class ContactDetails:
    name: str
    relationship_to_pupil: str | None = None
    parental_responsibility: bool = False
    phone: str | None = None
    email: str | None = None
    address: str | None = None
    preferred_contact: str | None = None
    notes: str | None = None
    version: int | None = None  # as read; a save over a newer one raises `StaleEdit`

    def values(self) -> dict[str, Any]:
        """The fields a user edits, by name (everything but the version)."""
        return {f.name: getattr(self, f.name) for f in fields(self) if f.name != "version"}


@dataclass(frozen=True)
class ContactRow:
    id: int
    details: ContactDetails


def _check(details: ContactDetails) -> ContactDetails:
    values: dict[str, Any] = {
        f.name: (v.strip() or None) if isinstance(v := getattr(details, f.name), str) else v
        for f in fields(details)
    }
    problems = {}
    for name, value in values.items():
        if isinstance(value, str) and name in _FREE_TEXT:
            values[name] = clean_free_text(value).strip() or None
        elif isinstance(value, str) and (message := name_problem(value, "This field")):
            problems[name] = message
    if not values["name"]:
        problems["name"] = "Give the contact's name."
    if values["preferred_contact"] and values["preferred_contact"] not in codes.CONTACT_METHODS:
        problems["preferred_contact"] = "Choose phone, email, letter or in person."
    if values["email"] and "@" not in values["email"]:
        problems["email"] = "That email address has no @."
    if problems:
        raise ValidationFailed(problems)
    return ContactDetails(**values)


def list_for(sessions: Sessions, pupil_id: int) -> list[ContactRow]:
    with sessions() as session:
        rows = session.execute(
            select(Contact).where(Contact.pupil_id == pupil_id).order_by(Contact.id)
        ).scalars()
        return [
            ContactRow(
                c.id, ContactDetails(**{f.name: getattr(c, f.name) for f in fields(ContactDetails)})
            )
            for c in rows
        ]


def add(sessions: Sessions, pupil_id: int, details: ContactDetails) -> int:
    details = _check(details)
    with sessions() as session, session.begin():
        pupil = session.get(Pupil, pupil_id)
        if pupil is None:
            raise NotFound("That pupil is no longer in this file.")
        ensure_editable(pupil)
        contact = Contact(pupil_id=pupil_id, **details.values())
        session.add(contact)
        session.flush()
        audit.record(session, "contact.added", "Contact added", pupil.uuid)
        return contact.id


def update(sessions: Sessions, contact_id: int, details: ContactDetails) -> int:
    """Save a contact; `details.version` is the version the user saw. Returns the new version."""
    details = _check(details)
    try:
        with sessions() as session, session.begin():
            contact = _get(session, contact_id)
            ensure_editable(contact.pupil)
            versions.ensure_seen(contact, details.version, details.values(), CONTACT_RECORD)
            for name, value in details.values().items():
                setattr(contact, name, value)
            audit.record(session, "contact.updated", "Contact changed", contact.pupil.uuid)
            session.flush()
            return contact.version
    except StaleDataError as exc:
        raise versions.raced(
            sessions, Contact, contact_id, details.values(), CONTACT_RECORD
        ) from exc


CONTACT_RECORD = "this contact"


def _get(session: Session, contact_id: int) -> Contact:
    contact = session.get(Contact, contact_id)
    if contact is None:
        raise NotFound("That contact is no longer in this file.")
    return contact


def remove(sessions: Sessions, contact_id: int) -> None:
    with sessions() as session, session.begin():
        contact = _get(session, contact_id)
        ensure_editable(contact.pupil)
        audit.record(session, "contact.removed", "Contact removed", contact.pupil.uuid)
        session.delete(contact)
