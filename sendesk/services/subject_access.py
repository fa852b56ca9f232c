"""Everything held on one pupil (a subject access request): a ZIP with a readable PDF, a JSON of
every row linked to the pupil, and the attachments.

Which tables hold a pupil's data is worked out from the SQLAlchemy metadata: every table with a
foreign key to the pupil, or to a table that has one, and so on; plus every table that names a
pupil by `pupil_uuid` (the audit log). A new table therefore cannot be forgotten.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from sqlalchemy import MetaData, Table, or_, select
from sqlalchemy.orm import Session

from sendesk import atomic, names
from sendesk.documents import plain_pdf, protect
from sendesk.errors import FileProblem, NotFound
from sendesk.models import Base
from sendesk.services import Sessions, audit

ROOT = "pupil"
UUID_COLUMN = "pupil_uuid"


def linked_tables(metadata: MetaData = Base.metadata) -> list[Table]:
    """The pupil table and every table reachable from it by foreign keys, parents first."""
    linked = {ROOT}
    grew = True
    while grew:
        grew = False
        for table in metadata.sorted_tables:
            if table.name not in linked and any(
                fk.column.table.name in linked for fk in table.foreign_keys
            ):
                linked.add(table.name)
                grew = True
    return [t for t in metadata.sorted_tables if t.name in linked]


def tables_naming_a_pupil(metadata: MetaData = Base.metadata) -> list[Table]:
    """Tables with no foreign key to the pupil that still name one by UUID (the audit log)."""
    linked = {t.name for t in linked_tables(metadata)}
    return [t for t in metadata.sorted_tables if t.name not in linked and UUID_COLUMN in t.columns]


def collect(
    session: Session, pupil_id: int, metadata: MetaData = Base.metadata
) -> dict[str, list[dict[str, Any]]]:
    """Every row linked to the pupil, table by table (the pupil's own row first)."""
    ids: dict[str, set[Any]] = {}
    found: dict[str, list[dict[str, Any]]] = {}
    for table in linked_tables(metadata):
        if table.name == ROOT:
            where = table.c.id == pupil_id
        else:
            links = [
                fk.parent.in_(sorted(ids[fk.column.table.name]))
                for fk in table.foreign_keys
                if ids.get(fk.column.table.name)
            ]
            if not links:
                found[table.name] = []
                ids[table.name] = set()
                continue
            where = or_(*links)
        rows = [dict(r._mapping) for r in session.execute(select(table).where(where)).all()]
        order = [c.name for c in table.primary_key.columns]
        rows.sort(key=lambda r: tuple(r[c] for c in order))
        found[table.name] = rows
        ids[table.name] = {r["id"] for r in rows if "id" in r}
    if not found[ROOT]:
        raise NotFound(f"There is no pupil with id {pupil_id} in this file.")
    uuid = found[ROOT][0]["uuid"]
    for table in tables_naming_a_pupil(metadata):
        result = session.execute(select(table).where(table.c[UUID_COLUMN] == uuid))
        found[table.name] = [dict(r._mapping) for r in result.all()]
    return found


@dataclass(frozen=True)
class SubjectAccess:
    path: Path
    tables: int
    rows: int
    attachments: int


def write_zip(
    sessions: Sessions,
    pupil_id: int,
    out: Path,
    metadata: MetaData = Base.metadata,
    password: str | None = None,
) -> SubjectAccess:
    """Write the ZIP (never a half-written one) and note in the audit log that it was made.
    With `password`, every file in it is encrypted with AES-256 (WinZip AES, which Windows'
    Explorer cannot open but 7-Zip and most ZIP tools can)."""
    out = Path(out)
    if password is not None:
        protect.check_password(password)
    if out.exists():
        raise FileProblem(f"{out} already exists; choose another name.")
    atomic.check_folder(out.parent)
    with sessions() as session:
        found = collect(session, pupil_id, metadata)
    files: list[tuple[str, bytes]] = []
    plain = {name: [_json_row(name, row, files) for row in rows] for name, rows in found.items()}
    pupil = found[ROOT][0]
    made = dt.datetime.now().replace(microsecond=0)
    document = {
        "made_at": made.isoformat(),
        "pupil_uuid": pupil["uuid"],
        "tables": plain,
    }
    report = _pdf(found, made)

    def fill(handle: BinaryIO) -> None:
        with _archive(handle, password) as archive:
            archive.writestr("records.json", json.dumps(document, indent=2, ensure_ascii=False))
            archive.writestr("records.pdf", report)
            for name, content in files:
                archive.writestr(name, content)

    atomic.write(out, fill, what="The ZIP")

    def record() -> None:
        with sessions() as session, session.begin():
            locked = ", locked with a password" if password else ""
            audit.record(
                session,
                "pupil.subject_access",
                f"Everything held on the pupil exported{locked}",
                pupil["uuid"],
            )

    audit.recorded_or_removed([out], "The ZIP", record)
    return SubjectAccess(
        out,
        tables=sum(1 for rows in found.values() if rows),
        rows=sum(len(rows) for rows in found.values()),
        attachments=len(files),
    )


_UNSAFE = re.compile(r"[^\w.\- ]+")


def _json_row(table: str, row: dict[str, Any], files: list[tuple[str, bytes]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in row.items():
        if isinstance(value, bytes):
            label = str(row.get("filename") or f"{key}.bin")
            name = f"attachments/{table}-{row.get('id')}-{_UNSAFE.sub('_', label)}"
            files.append((name, value))
            out[key] = {"file": name, "bytes": len(value)}
        elif isinstance(value, dt.date | dt.datetime):
            out[key] = value.isoformat()
        else:
            out[key] = value
    return out


def _words(name: str) -> str:
    return name.replace("_", " ").capitalize()


_HIDDEN = {"search_text"}


def _pdf(found: dict[str, list[dict[str, Any]]], made: dt.datetime) -> bytes:
    pupil = found[ROOT][0]
    name = names.legal_name(pupil.get("legal_forename", ""), pupil.get("legal_surname", "")).strip()
    sections = [
        plain_pdf.Section(
            "About this document",
            paragraphs=[
                f"Everything this school's SEN record file holds on {name}, made on "
                f"{made:%d %B %Y at %H:%M}. The same records are in records.json; documents "
                "that were attached are in the attachments folder of this ZIP."
            ],
        )
    ]
    for table, rows in found.items():
        if not rows:
            continue
        for number, row in enumerate(rows, 1):
            heading = _words(table) + (f" {number}" if len(rows) > 1 else "")
            sections.append(plain_pdf.Section(heading, rows=_pdf_rows(row)))
    return plain_pdf.render(f"Records held on {name}", sections, subject="Subject access")


def _pdf_rows(row: dict[str, Any]) -> list[tuple[str, str]]:
    shown = []
    for key, value in row.items():
        if key in _HIDDEN or value is None or value == "":
            continue
        if isinstance(value, bytes):
            value = f"(a file of {len(value)} bytes, in the attachments folder)"
        elif isinstance(value, dt.datetime):
            value = value.strftime("%d/%m/%Y %H:%M")
        elif isinstance(value, dt.date):
            value = value.strftime("%d/%m/%Y")
        shown.append((_words(key), str(value)))
    return shown


def _archive(handle: BinaryIO, password: str | None) -> zipfile.ZipFile:
    if password is None:
        return zipfile.ZipFile(handle, "w", zipfile.ZIP_DEFLATED)
    import pyzipper  # only when a password is asked for

    archive = pyzipper.AESZipFile(
        handle, "w", compression=zipfile.ZIP_DEFLATED, encryption=pyzipper.WZ_AES
    )
    archive.setpassword(password.encode("utf-8"))
    archive.setencryption(pyzipper.WZ_AES, nbits=256)
    opened: zipfile.ZipFile = archive  # AESZipFile is a ZipFile that encrypts what it writes
    return opened
