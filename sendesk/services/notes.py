"""The dated log of concerns, observations, conversations and advice about a pupil."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select

from sendesk import codes
from sendesk.errors import NotFound, ValidationFailed
from sendesk.models import Note, Pupil
from sendesk.services import Sessions, audit
from sendesk.services.archived import ensure_editable
from sendesk.text import clean_free_text, name_problem


@dataclass(frozen=True)
class NoteRow:
    id: int
    noted_on: dt.date
    kind: str
    author: str | None
    text: str
    corrects_id: int | None = None  # this note corrects that one
    corrected_by_id: int | None = None  # this note was corrected by that one (and is kept)


def list_for(sessions: Sessions, pupil_id: int) -> list[NoteRow]:
    """Newest first, as a log is read."""
    with sessions() as session:
        notes = session.execute(
            select(Note)
            .where(Note.pupil_id == pupil_id)
            .order_by(Note.noted_on.desc(), Note.id.desc())
        ).scalars()
        found = list(notes)
        corrected_by = {n.corrects_id: n.id for n in found if n.corrects_id is not None}
        return [
            NoteRow(
                n.id, n.noted_on, n.kind, n.author, n.text, n.corrects_id, corrected_by.get(n.id)
            )
            for n in found
        ]


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
        ensure_editable(pupil)
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


def correct(
    sessions: Sessions,
    note_id: int,
    text: str,
    kind: str | None = None,
    author: str | None = None,
) -> int:
    """Correct a note: a new note with the same date replaces it in the log, and the original is
    kept, shown as corrected (a record that is relied on is never silently rewritten)."""
    problems = {}
    if not text.strip():
        problems["text"] = "Write the corrected note."
    if kind is not None and kind not in codes.NOTE_KINDS:
        problems["kind"] = "Choose concern, observation, conversation, advice or other."
    if problems:
        raise ValidationFailed(problems)
    with sessions() as session, session.begin():
        original = session.get(Note, note_id)
        if original is None:
            raise NotFound("That note is no longer in this file.")
        later = session.execute(select(Note.id).where(Note.corrects_id == note_id)).scalar()
        if later is not None:
            raise ValidationFailed(
                {"note": "This note has already been corrected; correct the correction instead."}
            )
        if text.strip() == original.text and (kind or original.kind) == original.kind:
            raise ValidationFailed({"text": "The correction is the same as the note."})
        fixed = Note(
            pupil_id=original.pupil_id,
            noted_on=original.noted_on,
            kind=kind or original.kind,
            text=text.strip(),
            author=(author or "").strip() or original.author,
            corrects_id=original.id,
        )
        session.add(fixed)
        session.flush()
        audit.record(
            session,
            "note.corrected",
            f"{codes.NOTE_KINDS[original.kind]} note of {original.noted_on.isoformat()} corrected",
            original.pupil.uuid,
        )
        return fixed.id
