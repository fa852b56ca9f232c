"""Parents, carers and others to contact about a pupil."""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

from sqlalchemy import select

from sendesk import codes
from sendesk.errors import NotFound, ValidationFailed
from sendesk.models import Contact, Pupil
from sendesk.services import Sessions, audit
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
        contact = Contact(pupil_id=pupil_id, **vars(details))
        session.add(contact)
        session.flush()
        audit.record(session, "contact.added", "Contact added", pupil.uuid)
        return contact.id


def update(sessions: Sessions, contact_id: int, details: ContactDetails) -> None:
    details = _check(details)
    with sessions() as session, session.begin():
        contact = session.get(Contact, contact_id)
        if contact is None:
            raise NotFound("That contact is no longer in this file.")
        for name, value in vars(details).items():
            setattr(contact, name, value)
        audit.record(session, "contact.updated", "Contact changed", contact.pupil.uuid)


def remove(sessions: Sessions, contact_id: int) -> None:
    with sessions() as session, session.begin():
        contact = session.get(Contact, contact_id)
        if contact is None:
            raise NotFound("That contact is no longer in this file.")
        audit.record(session, "contact.removed", "Contact removed", contact.pupil.uuid)
        session.delete(contact)
