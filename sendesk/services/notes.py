"""The dated log of concerns, observations, conversations and advice about a pupil."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select

from sendesk import codes
from sendesk.errors import NotFound, ValidationFailed
from sendesk.models import Note, Pupil
from sendesk.services import Sessions, audit
from sendesk.text import clean_free_text, name_problem


@dataclass(frozen=True)
class NoteRow:
    id: int
    noted_on: dt.date
    kind: str
    author: str | None
    text: str


def list_for(sessions: Sessions, pupil_id: int) -> list[NoteRow]:
    """Newest first, as a log is read."""
    with sessions() as session:
        notes = session.execute(
            select(Note)
            .where(Note.pupil_id == pupil_id)
            .order_by(Note.noted_on.desc(), Note.id.desc())
        ).scalars()
        return [NoteRow(n.id, n.noted_on, n.kind, n.author, n.text) for n in notes]


def add(
    sessions: Sessions,
    pupil_id: int,
    noted_on: dt.date,
    kind: str,
    text: str,
    author: str | None = None,
    today: dt.date | None = None,
) -> int:
    problems = {}
    text = clean_free_text(text)
    if message := name_problem(author, "The author's name"):
        problems["author"] = message
    if kind not in codes.NOTE_KINDS:
        problems["kind"] = "Choose concern, observation, conversation, advice or other."
    if not text.strip():
        problems["text"] = "Write what happened or what was said."
    if noted_on > (today or dt.date.today()):
        problems["noted_on"] = "A note cannot be dated in the future."
    if problems:
        raise ValidationFailed(problems)
    with sessions() as session, session.begin():
        pupil = session.get(Pupil, pupil_id)
        if pupil is None:
            raise NotFound("That pupil is no longer in this file.")
        note = Note(
            pupil_id=pupil_id,
            noted_on=noted_on,
            kind=kind,
            text=text.strip(),
            author=(author or "").strip() or None,
        )
        session.add(note)
        session.flush()
        audit.record(session, "note.added", f"{codes.NOTE_KINDS[kind]} note added", pupil.uuid)
        return note.id
