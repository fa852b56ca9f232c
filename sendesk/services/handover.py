"""Handover to the next SENCo: a verified backup under its own passphrase, and a printed sheet.

The sheet says what the file is and how to open it; it never holds the passphrase, which is
given separately (in person).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select

from sendesk import passphrase, restore
from sendesk.documents import plain_pdf
from sendesk.errors import BadInput, MadeButNotAudited
from sendesk.models import Pupil
from sendesk.services import Sessions, audit
from sendesk.vault import Vault


@dataclass(frozen=True)
class Handover:
    backup: Path
    file_id: str
    school: str
    made_on: dt.date
    pupils: int
    cycles: int
    meetings: int
    archived: int = 0  # of `pupils`; the register's counts leave them out


def check_passphrase(vault: Vault, copy_passphrase: str, what: str = "handover") -> None:
    """A passphrase for a copy that leaves the school must be strong and not the file's own."""
    passphrase.check_new(copy_passphrase, (vault.meta().school_name,))
    if vault.check_passphrase(copy_passphrase):
        raise BadInput(f"Use a {what} passphrase different from this file's own passphrase.")


def prepare(vault: Vault, dest: Path, handover_passphrase: str) -> Handover:
    """Make the backup, then prove the handover passphrase opens it and that it is whole."""
    check_passphrase(vault, handover_passphrase)
    try:
        saved = vault.backup_to(Path(dest), handover_passphrase)
    except MadeButNotAudited as made:  # the copy is whole; only its audit row is missing
        assert isinstance(made.path, Path)
        saved = made.path
    _, facts = restore.check_backup(saved, handover_passphrase)
    counts = facts.counts
    with vault.sessions() as session:  # the copy holds exactly what the open file holds
        archived = session.scalar(
            select(func.count()).select_from(Pupil).where(Pupil.archived_on.is_not(None))
        )
    return Handover(
        backup=saved,
        file_id=facts.file_id,
        school=facts.school,
        made_on=dt.date.today(),
        pupils=counts.get("pupil", 0),
        cycles=counts.get("cycle", 0),
        meetings=counts.get("meeting", 0),
        archived=int(archived or 0),
    )


def sheet(handover: Handover) -> bytes:
    """The handover sheet as PDF bytes: what the file is and how to open it."""
    return plain_pdf.render(
        f"SENDesk handover: {handover.school}",
        [
            plain_pdf.Section(
                "The record file",
                rows=[
                    ("School", handover.school),
                    ("File", handover.backup.name),
                    ("File id", handover.file_id),
                    ("Made on", handover.made_on.strftime("%d %B %Y")),
                    ("Pupils on the register", str(handover.pupils - handover.archived)),
                    (
                        "Archived pupils",
                        f"{handover.archived} more (not in the register's counts; tick "
                        "“Archived” above the register to list them)",
                    ),
                    ("Cycles", str(handover.cycles)),
                    ("Meetings", str(handover.meetings)),
                ],
            ),
            plain_pdf.Section(
                "How to open it",
                paragraphs=[
                    "1. Install SENDesk on the school computer you will use.",
                    "2. Copy the file from the USB stick into your documents folder.",
                    "3. Start SENDesk, choose “Open another file…” and pick the file.",
                    "4. Type the handover passphrase. It is not written on this sheet: the "
                    "outgoing SENCo gives it to you separately, in person.",
                    "5. Straight away, choose a new passphrase of your own (File → Change "
                    "passphrase…, or “sendesk passwd”), then delete the file from the USB stick.",
                    "Check that the file id and the counts above match what SENDesk shows: the "
                    "file id in Help → About SENDesk, the pupils on the register in the counts "
                    "at the bottom of the window.",
                ],
            ),
        ],
        subject="Handover sheet",
    )


def write_sheet(
    sessions: Sessions, handover: Handover, out: Path, *, overwrite: bool = True
) -> Path:
    """The sheet, written whole or not at all (the app's save dialog has asked to replace), and
    audited like every file SENDesk writes out."""
    from sendesk import atomic

    written = atomic.write(
        Path(out), sheet(handover), overwrite=overwrite, what="The handover sheet"
    )

    def record() -> None:
        with sessions() as session, session.begin():
            audit.record(session, "handover.sheet", "Handover sheet saved")

    audit.recorded_or_removed([written], "The handover sheet", record)
    return written
