"""Scanned letters and reports, stored inside the encrypted file."""

from __future__ import annotations

import datetime as dt
import hashlib
import mimetypes
import os
import stat
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from sendesk.errors import FileProblem, NotFound, ValidationFailed, known_failure
from sendesk.models import Attachment, Pupil
from sendesk.services import Sessions, audit

MAX_BYTES = 25 * 1024 * 1024
_CHUNK = 1 << 20
# Kinds the app can show itself, without writing a plain copy to disk.
VIEWABLE_IMAGES = frozenset({"image/png", "image/jpeg", "image/gif", "image/bmp"})
VIEWABLE_TEXT = frozenset({"text/plain"})
VIEWABLE_PDF = frozenset({"application/pdf"})  # shown by Qt's own PDF module, from memory
# What a document is, so a SENCo can find "the EP report" among thirty letters.
ATTACHMENT_CATEGORIES: dict[str, str] = {
    "report": "Report from a professional",
    "letter": "Letter",
    "assessment": "Assessment or test result",
    "plan": "Plan or review (EHC plan, support plan)",
    "medical": "Medical information",
    "consent": "Consent form",
    "work": "Pupil's work",
    "other": "Other",
}


@dataclass(frozen=True)
class AttachmentRow:
    id: int
    filename: str
    media_type: str
    size_bytes: int
    description: str | None
    added_at: dt.datetime
    category: str | None = None

    @property
    def viewable(self) -> bool:
        return self.media_type in VIEWABLE_IMAGES | VIEWABLE_TEXT | VIEWABLE_PDF

    @property
    def category_label(self) -> str:
        return ATTACHMENT_CATEGORIES.get(self.category or "", "")


def media_type_for(filename: str) -> str:
    return mimetypes.guess_type(filename)[0] or "application/octet-stream"


def add(
    sessions: Sessions, pupil_id: int, filename: str, content: bytes, description: str = ""
) -> int:
    name = filename.replace("\\", "/").rsplit("/", 1)[-1].strip()
    if not content:
        raise ValidationFailed({"content": f"{name or 'That file'} is empty."})
    if len(content) > MAX_BYTES:
        raise _too_big(name, len(content))
    if not name:
        raise ValidationFailed({"filename": "The file needs a name."})
    with sessions() as session, session.begin():
        pupil = session.get(Pupil, pupil_id)
        if pupil is None:
            raise NotFound("That pupil is no longer in this file.")
        attachment = Attachment(
            pupil_id=pupil_id,
            filename=name[:255],
            media_type=media_type_for(name),
            size_bytes=len(content),
            sha256=hashlib.sha256(content).hexdigest(),
            content=content,
            description=description.strip() or None,
        )
        session.add(attachment)
        session.flush()
        audit.record(session, "attachment.added", "Document attached", pupil.uuid)
        return attachment.id


def _too_big(name: str, size: int) -> ValidationFailed:
    shown, limit = size / 2**20, MAX_BYTES // 2**20
    return ValidationFailed(
        {
            "content": f"{name} is {shown:.1f} MB; a document can be at most {limit} MB. Scan it "
            "at a lower resolution, or keep it elsewhere and say where in a note."
        }
    )


def problem_with(path: Path) -> str | None:
    """Why the document at `path` cannot be attached, judged before anything is read."""
    path = Path(path)
    try:
        info = path.stat()
    except OSError as exc:
        return f"{path.name} cannot be read: {exc.strerror}."
    if not stat.S_ISREG(info.st_mode):
        return f"{path.name} is not an ordinary file; choose a document."
    if info.st_size > MAX_BYTES:
        return _too_big(path.name, info.st_size).message
    return None


def read_file(path: Path) -> bytes:
    """A document's bytes, refused by its size before anything is read, and read in chunks that
    stop at the limit (a device, a pipe or a file that grows while read never fills memory)."""
    path = Path(path)
    try:
        if not stat.S_ISREG(path.stat().st_mode):  # before opening: a pipe would block the open
            raise FileProblem(f"{path.name} is not an ordinary file; choose a document.")
        with path.open("rb") as handle:
            size = os.fstat(handle.fileno()).st_size
            if size > MAX_BYTES:
                raise _too_big(path.name, size)
            chunks: list[bytes] = []
            read = 0
            while chunk := handle.read(_CHUNK):
                read += len(chunk)
                if read > MAX_BYTES:
                    raise _too_big(path.name, read)
                chunks.append(chunk)
    except OSError as exc:
        known = known_failure(exc, f"{path.name} cannot be read")
        raise known or FileProblem(f"{path.name} cannot be read: {exc.strerror}.") from exc
    return b"".join(chunks)


def add_file(sessions: Sessions, pupil_id: int, path: Path, description: str = "") -> int:
    """Attach the document at `path` (see `read_file` for what is refused)."""
    return add(sessions, pupil_id, Path(path).name, read_file(path), description)


def save_copy(
    sessions: Sessions, attachment_id: int, target: Path, *, overwrite: bool = False
) -> Path:
    """Write a plain copy of a document through the one atomic writer, then audit it."""
    from sendesk import atomic

    row, data = content(sessions, attachment_id)
    what = f"The copy of {row.filename}"
    atomic.write(Path(target), data, overwrite=overwrite, what=what)
    audit.recorded_or_removed([Path(target)], what, lambda: record_export(sessions, attachment_id))
    return Path(target)


def list_for(sessions: Sessions, pupil_id: int) -> list[AttachmentRow]:
    with sessions() as session:
        rows = session.execute(
            select(
                Attachment.id,
                Attachment.filename,
                Attachment.media_type,
                Attachment.size_bytes,
                Attachment.description,
                Attachment.added_at,
                Attachment.category,
            )
            .where(Attachment.pupil_id == pupil_id)
            .order_by(Attachment.added_at.desc(), Attachment.id.desc())
        ).all()
        return [AttachmentRow(*r) for r in rows]


def content(sessions: Sessions, attachment_id: int) -> tuple[AttachmentRow, bytes]:
    """An attachment and its bytes, checked against the hash stored when it was added."""
    with sessions() as session:
        a = session.get(Attachment, attachment_id)
        if a is None:
            raise NotFound("That document is no longer in this file.")
        data = a.content
        if hashlib.sha256(data).hexdigest() != a.sha256:
            raise ValidationFailed({"content": f"{a.filename} is damaged inside the file."})
        return _row(a), data


def record_export(sessions: Sessions, attachment_id: int) -> None:
    """Note in the audit log that a plain copy of a document left the encrypted file."""
    with sessions() as session, session.begin():
        a = session.get(Attachment, attachment_id)
        if a is None:
            raise NotFound("That document is no longer in this file.")
        audit.record(session, "attachment.exported", "Document saved as a copy", a.pupil.uuid)


def remove(sessions: Sessions, attachment_id: int) -> None:
    with sessions() as session, session.begin():
        a = session.get(Attachment, attachment_id)
        if a is None:
            raise NotFound("That document is no longer in this file.")
        audit.record(session, "attachment.removed", "Document removed", a.pupil.uuid)
        session.delete(a)


def describe(
    sessions: Sessions, attachment_id: int, description: str, category: str | None
) -> AttachmentRow:
    """Set what a document is and what it says; the content itself never changes."""
    if category is not None and category not in ATTACHMENT_CATEGORIES:
        raise ValidationFailed({"category": "Choose one of the listed kinds of document."})
    if len(description) > 2000:
        raise ValidationFailed({"description": "Keep the description under 2,000 characters."})
    with sessions() as session, session.begin():
        attachment = session.get(Attachment, attachment_id)
        if attachment is None:
            raise NotFound("That document is no longer in this file.")
        attachment.description = description.strip() or None
        attachment.category = category
        audit.record(
            session, "attachment.described", "Document details changed", attachment.pupil.uuid
        )
        session.flush()
        return _row(attachment)


def _row(a: Attachment) -> AttachmentRow:
    return AttachmentRow(
        a.id, a.filename, a.media_type, a.size_bytes, a.description, a.added_at, a.category
    )
