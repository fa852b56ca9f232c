"""Pupil transfer to another school: a single-pupil record file, its import, and the removal of
the sending school's copy once the transfer was received.

A transfer file is an ordinary `.sendesk` file (same schema, its own passphrase) holding one
pupil with every row linked to them, plus an `app_setting` row that marks it as a transfer. The
tables are found from the metadata's foreign keys (as for subject access), so a new table linked
to a pupil travels with them without any change here. Integer ids are renumbered on each side;
the pupil's UUID stays the same. Links to school-wide rows (the sending school's staff list)
are not carried: those columns arrive empty.

The audit log on each side keeps that a transfer happened, by pupil UUID, never the content.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import MetaData, Table, Text, delete, func, insert, select, update
from sqlalchemy.orm import Session

from sendesk import __version__, atomic, backup, restore, schema
from sendesk.erasure import overwriting_deletes
from sendesk.errors import (
    BadInput,
    CannotUnlock,
    DamagedFile,
    FileProblem,
    NewerFile,
    NotARecordFile,
    NotFound,
    SendeskError,
    known_failure,
)
from sendesk.models import AppSetting, AuditEvent, Base, Meta, Pupil
from sendesk.services import Sessions, audit, handover, subject_access
from sendesk.text import clean_free_text, name_problem
from sendesk.vault import Vault

MARKER_KEY = restore.TRANSFER_MARKER_KEY
MADE = "pupil.transferred_out"
RECEIVED = "pupil.received"
REMOVED = "pupil.removed_after_transfer"
# The pupil arrives at the new school as a current pupil: the sending school's leaving details
# are its own business.
_LEAVING_FIELDS = ("archived_on", "left_on", "leaving_destination")

CANNOT_OPEN = (
    "This transfer file does not open with that passphrase: the transfer passphrase is wrong, "
    "or the file is not a SENDesk transfer file. Nothing was changed."
)


@dataclass(frozen=True)
class TransferMade:
    path: Path
    evidence_pack: Path | None
    pupil_uuid: str
    rows: int
    tables: int


@dataclass(frozen=True)
class Received:
    pupil_id: int
    pupil_uuid: str
    upn: str | None
    from_school: str
    rows: int


@dataclass(frozen=True)
class Pending:
    """A pupil whose transfer file was made and whose records wait for the receipt."""

    pupil_id: int
    pupil_uuid: str
    made_at: dt.datetime


# --- copying one pupil's rows -------------------------------------------------------------------


def pupil_tables(metadata: MetaData = Base.metadata) -> list[Table]:
    """The tables that travel with a pupil, parents first (the audit log stays behind)."""
    return subject_access.linked_tables(metadata)


def read_pupil(
    session: Session, pupil_id: int, metadata: MetaData = Base.metadata
) -> dict[str, list[dict[str, Any]]]:
    """Every row linked to the pupil, table by table, in id order."""
    found = subject_access.collect(session, pupil_id, metadata)
    return {t.name: found.get(t.name, []) for t in pupil_tables(metadata)}


def _int_id(table: Table) -> bool:
    keys = list(table.primary_key.columns)
    return len(keys) == 1 and keys[0].name == "id"


def copy_rows(
    found: dict[str, list[dict[str, Any]]],
    dest: Session,
    metadata: MetaData = Base.metadata,
) -> dict[str, dict[Any, Any]]:
    """Insert `found` into `dest` with new ids; returns old id -> new id for each table.

    A link to a row of the same pupil is renumbered (a link to a row inserted later is filled in
    once it exists); a link to anything else (school-wide rows, another pupil) is left empty.
    """
    tables = pupil_tables(metadata)
    carried = {t.name: {r["id"] for r in found.get(t.name, []) if "id" in r} for t in tables}
    new_ids: dict[str, dict[Any, Any]] = {t.name: {} for t in tables}
    later: list[tuple[Table, Any, str, str, Any]] = []  # links to rows inserted after this one
    for table in tables:
        renumber = _int_id(table)
        for row in found.get(table.name, []):
            values = {k: v for k, v in row.items() if k in table.c}
            old_id = values.pop("id") if renumber else None
            waiting: list[tuple[str, str, Any]] = []
            for fk in table.foreign_keys:
                column, value = fk.parent.name, values.get(fk.parent.name)
                if value is None:
                    continue
                target = fk.column.table.name
                if value in new_ids.get(target, {}):
                    values[column] = new_ids[target][value]
                    continue
                if not fk.parent.nullable:
                    raise DamagedFile(
                        f"A row of {table.name} links to a record that is not the pupil's; "
                        "nothing was copied."
                    )
                values[column] = None
                if renumber and value in carried.get(target, set()):
                    waiting.append((column, target, value))
            if not renumber:
                dest.execute(insert(table).values(values))
                continue
            new_id = dest.execute(insert(table).values(values).returning(table.c.id)).scalar_one()
            new_ids[table.name][old_id] = new_id
            later.extend(
                (table, new_id, column, target, value) for column, target, value in waiting
            )
    for table, row_id, column, target, value in later:
        if value in new_ids[target]:
            dest.execute(
                update(table).where(table.c.id == row_id).values({column: new_ids[target][value]})
            )
    return new_ids


def canonical(
    found: dict[str, list[dict[str, Any]]], metadata: MetaData = Base.metadata
) -> dict[str, list[dict[str, Any]]]:
    """The rows with every id (and every link to a carried row) replaced by its position, so
    the same records in two files compare equal whatever their integer ids."""
    tables = pupil_tables(metadata)
    position = {
        t.name: {r["id"]: n for n, r in enumerate(sorted(found.get(t.name, []), key=_by_id))}
        for t in tables
    }
    out: dict[str, list[dict[str, Any]]] = {}
    for table in tables:
        links = {fk.parent.name: fk.column.table.name for fk in table.foreign_keys}
        rows = []
        for row in sorted(found.get(table.name, []), key=_by_id):
            plain = dict(row)
            if "id" in plain:
                plain["id"] = position[table.name][plain["id"]]
            for column, target in links.items():
                value = plain.get(column)
                if value is not None and target not in position:
                    plain[column] = None  # a school-wide row (a measure): left empty on arrival
                elif value is not None:
                    plain[column] = position.get(target, {}).get(value, "outside")
            rows.append(plain)
        out[table.name] = rows
    return out


def _by_id(row: dict[str, Any]) -> Any:
    return row.get("id", 0)


# --- making a transfer file ---------------------------------------------------------------------


def check_passphrase(vault: Vault, transfer_passphrase: str) -> None:
    """A transfer passphrase must be strong and must not be the file's own."""
    handover.check_passphrase(vault, transfer_passphrase, "transfer")


def evidence_pack_name(out: Path) -> Path:
    return out.with_name(out.stem + "-evidence-pack.pdf")


def make_transfer_file(
    vault: Vault,
    pupil_id: int,
    out: Path,
    transfer_passphrase: str,
    *,
    left_on: dt.date | None = None,
    destination: str = "",
    evidence_pack: bool = True,
) -> TransferMade:
    """Write the transfer file (and the evidence pack PDF beside it, locked with the transfer
    passphrase), then mark the pupil as transferred. All or nothing: if any part fails, no file
    is left and the pupil is unchanged."""
    out = Path(out)
    if out.suffix != ".sendesk":
        out = out.with_name(out.name + ".sendesk")
    if out.exists():
        raise FileProblem(f"{out} already exists; choose another name.")
    atomic.check_folder(out.parent)
    check_passphrase(vault, transfer_passphrase)
    sessions = vault.sessions
    with sessions() as session:
        found = read_pupil(session, pupil_id)
        meta = session.execute(select(Meta)).scalar_one()
        school, file_id = meta.school_name, meta.file_id
    pupil = found["pupil"][0]
    if left_on and pupil["date_of_birth"] and left_on < pupil["date_of_birth"]:
        raise BadInput("The leaving date is before the pupil's date of birth.")
    pack_path = evidence_pack_name(out) if evidence_pack else None
    if pack_path is not None and pack_path.exists():
        raise FileProblem(f"{pack_path} already exists; choose another name.")
    pack = _evidence_pack(sessions, pupil_id) if pack_path else None  # built before writing

    backup.sweep_temporaries(out.parent)
    tmp = backup.temporary_name(out)
    try:
        with backup.write_errors_explained(out.parent, "The transfer file"):
            _write_file(tmp, transfer_passphrase, school, file_id, found)
            _verify_file(tmp, transfer_passphrase, found)
            backup.fsync_file(tmp)
            if out.exists():
                raise FileProblem(f"{out} already exists; choose another name.")
            tmp.replace(out)
            backup.fsync_folder(out.parent)
    except BaseException:
        backup.remove_temporary(tmp)
        raise
    try:
        if pack is not None and pack_path is not None:
            from sendesk.services import documents

            documents.export(sessions, pack, pack_path, transfer_passphrase)
        _mark_transferred(sessions, pupil_id, left_on or dt.date.today(), destination)
    except BaseException:
        for made in (out, pack_path):
            if made is not None:
                with contextlib.suppress(OSError):
                    made.unlink()
        raise
    return TransferMade(
        out,
        pack_path,
        pupil["uuid"],
        rows=sum(len(rows) for rows in found.values()),
        tables=sum(1 for rows in found.values() if rows),
    )


def _evidence_pack(sessions: Sessions, pupil_id: int) -> Any:
    from sendesk.services import documents  # ReportLab loads only when a pack is made

    return documents.evidence_pack_pdf(sessions, pupil_id)


def _write_file(
    tmp: Path,
    transfer_passphrase: str,
    school: str,
    file_id: str,
    found: dict[str, list[dict[str, Any]]],
) -> None:
    outgoing = {name: [dict(r) for r in rows] for name, rows in found.items()}
    for field in _LEAVING_FIELDS:
        outgoing["pupil"][0][field] = None
    uuid = outgoing["pupil"][0]["uuid"]
    # The passphrase's strength was checked already (check_passphrase).
    made = Vault.create(tmp, transfer_passphrase, school, check_strength=False)
    with made, made.session() as session:
        copy_rows(outgoing, session)
        marker = {
            "kind": "pupil transfer",
            "pupil_uuid": uuid,
            "from_school": school,
            "from_file_id": file_id,
            "made_at": dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
            "app_version": __version__,
        }
        session.add(AppSetting(key=MARKER_KEY, value_json=json.dumps(marker)))
        audit.record(session, "transfer.file_made", "Pupil transfer file made", uuid)


def _verify_file(
    tmp: Path, transfer_passphrase: str, found: dict[str, list[dict[str, Any]]]
) -> None:
    """Reopen with the transfer passphrase: both integrity checks, and the same records."""
    key, _facts = restore.check_backup(tmp, transfer_passphrase)
    copied = Vault(tmp, key)
    try:
        with copied.sessions() as session:
            uuid = found["pupil"][0]["uuid"]
            pupil_id = session.execute(select(Pupil.id).where(Pupil.uuid == uuid)).scalar_one()
            back = read_pupil(session, pupil_id)
    finally:
        copied.close()
    expected = canonical(found)
    for field in _LEAVING_FIELDS:
        expected["pupil"][0][field] = None
    if canonical(back) != expected:
        raise DamagedFile("The transfer file does not hold exactly the pupil's records.")


def _mark_transferred(
    sessions: Sessions, pupil_id: int, left_on: dt.date, destination: str
) -> None:
    with sessions() as session, session.begin():
        pupil = session.get(Pupil, pupil_id)
        if pupil is None:
            raise NotFound("That pupil is no longer in this file.")
        if pupil.archived_on is None:
            pupil.archived_on = dt.date.today()
        pupil.left_on = left_on
        pupil.leaving_destination = destination.strip() or pupil.leaving_destination
        audit.record(
            session,
            MADE,
            "Transfer file made for another school; pupil archived as transferred",
            pupil.uuid,
        )


# --- the sending school: waiting for the receipt, then removing ----------------------------------


def pending(sessions: Sessions, pupil_id: int) -> Pending | None:
    """The transfer waiting for the receipt, if a transfer file was made for this pupil."""
    with sessions() as session:
        pupil = session.get(Pupil, pupil_id)
        if pupil is None or pupil.archived_on is None:
            return None
        made = session.execute(
            select(AuditEvent.id, AuditEvent.at)
            .where(AuditEvent.pupil_uuid == pupil.uuid, AuditEvent.action == MADE)
            .order_by(AuditEvent.id.desc())
            .limit(1)
        ).first()
        if made is None:
            return None
        brought_back = session.execute(
            select(AuditEvent.id).where(
                AuditEvent.pupil_uuid == pupil.uuid,
                AuditEvent.action == "pupil.restored",
                AuditEvent.id > made.id,
            )
        ).first()
        # A pupil brought back onto the register since is no longer waiting for a receipt.
        return None if brought_back else Pending(pupil.id, pupil.uuid, made.at)


# What an audit event may say happened to a pupil's records without changing them.
_READ_ONLY_ACTIONS = ("document.", "calendar.", "attachment.exported", "pupil.subject_access")


def changed_since_transfer(sessions: Sessions, pupil_uuid: str) -> bool:
    """Whether anything was added or changed after the transfer file was made: the receiving
    school does not have it, so the records must not be removed yet."""
    with sessions() as session:
        made = session.execute(
            select(func.max(AuditEvent.id)).where(
                AuditEvent.pupil_uuid == pupil_uuid, AuditEvent.action == MADE
            )
        ).scalar()
        later = session.execute(
            select(AuditEvent.action).where(
                AuditEvent.pupil_uuid == pupil_uuid, AuditEvent.id > (made or 0)
            )
        ).scalars()
        return any(not action.startswith(_READ_ONLY_ACTIONS) for action in later)


def remove_after_transfer(sessions: Sessions, pupil_id: int, *, confirmed: bool) -> str:
    """Delete every record of a transferred pupil once the receiving school confirmed receipt.

    The audit log keeps that it happened (by UUID). Freed pages are overwritten, so the records
    are not left in the file's free space either. Returns the pupil's UUID.
    """
    if not confirmed:
        raise BadInput(
            "Nothing was removed: removing the records needs your confirmation that the "
            "receiving school has the transfer."
        )
    waiting = pending(sessions, pupil_id)
    if waiting is None:
        raise BadInput(
            "Nothing was removed: no transfer of this pupil was finished here (or they were "
            "brought back onto the register since). If making the transfer file was cut short, "
            "delete the file it left and make it again."
        )
    if changed_since_transfer(sessions, waiting.pupil_uuid):
        raise BadInput(
            "Nothing was removed: the pupil's records changed after the transfer file was made, "
            "so the new school does not have everything. Make a new transfer file and send it."
        )
    with sessions() as session, session.begin(), overwriting_deletes(session):
        held = read_pupil(session, pupil_id)
        session.execute(delete(Pupil).where(Pupil.id == pupil_id))
        if _still_there(session, held):
            raise DamagedFile("Some of the pupil's records could not be removed.")
        audit.record(
            session,
            REMOVED,
            "Records removed after the receiving school confirmed the transfer",
            waiting.pupil_uuid,
        )
    return waiting.pupil_uuid


def _still_there(session: Session, held: dict[str, list[dict[str, Any]]]) -> list[str]:
    """The tables that still hold any of these rows (after a delete that cascades)."""
    left = []
    for table in pupil_tables():
        ids = [r["id"] for r in held.get(table.name, []) if "id" in r]
        if ids and session.execute(select(table.c.id).where(table.c.id.in_(ids))).first():
            left.append(table.name)
    return left


# --- the receiving school -----------------------------------------------------------------------


@contextlib.contextmanager
def _opened(transfer_file: Path, transfer_passphrase: str) -> Iterator[Vault]:
    """The transfer file, checked and opened from a private copy: the file itself (often on a
    USB stick) is never written, and an older schema is upgraded in the copy only."""
    transfer_file = Path(transfer_file)
    if not transfer_file.is_file():
        raise FileProblem(f"There is no file at {transfer_file}.")
    try:
        key, facts = restore.check_backup(transfer_file, transfer_passphrase)
    except NotARecordFile:
        raise  # a Common Transfer File or a PDF picked by mistake: said as such
    except CannotUnlock as exc:
        raise CannotUnlock(CANNOT_OPEN) from exc
    except DamagedFile as exc:  # in the words of a transfer, not of a backup to restore
        raise DamagedFile(NOT_WHOLE, exc.problems) from exc
    except NewerFile as exc:
        raise NewerFile(
            "This transfer file was made by a newer SENDesk; install the newest SENDesk to "
            "receive it. Nothing was imported."
        ) from exc
    if facts.revision is None:
        raise DamagedFile(NOT_AS_MADE.format(reason="it does not say which SENDesk made it"))
    with tempfile.TemporaryDirectory(prefix="sendesk-transfer-") as folder:
        copy = Path(folder) / "transfer.sendesk"
        shutil.copyfile(transfer_file, copy)
        if facts.revision == schema.head_revision():
            vault = Vault(copy, key)
        else:
            try:
                vault = Vault.open(copy, transfer_passphrase)  # an older one: upgraded in the copy
            except DamagedFile as exc:
                raise DamagedFile(NOT_WHOLE, exc.problems) from exc
        try:
            yield vault
        finally:
            vault.close()


NOT_WHOLE = (
    "This transfer file failed its integrity checks (it was changed or damaged after it was "
    "made). Nothing was imported; ask the sending school to make the transfer file again."
)
NOT_AS_MADE = (
    "This transfer file is not as SENDesk makes one (it was changed after it was made, or made "
    "by another program): {reason}. Nothing was imported; ask the sending school to make the "
    "transfer file again."
)


@contextlib.contextmanager
def _crafted_is_refused() -> Iterator[None]:
    """Whatever a crafted transfer file makes go wrong is a sentence about the transfer file.

    A full disk or a busy file (the receiving side's own trouble) keeps its own sentence.
    """
    try:
        yield
    except SendeskError:
        raise
    except Exception as exc:
        known = known_failure(exc)
        if known is not None and not isinstance(known, DamagedFile):
            raise known from exc
        if isinstance(exc, OSError):
            raise  # this computer's trouble (a disk, a folder), not the transfer file's
        raise DamagedFile(NOT_AS_MADE.format(reason=_reason(exc))) from exc


def _reason(exc: Exception) -> str:
    """The kind of fault, never a value from the file (it may be a record, or crafted)."""
    orig = str(getattr(exc, "orig", "") or "")
    if isinstance(exc, json.JSONDecodeError):
        return "its description is not valid"
    if isinstance(exc, LookupError) or "no such" in orig:
        return "part of it is missing"
    if "constraint" in orig.lower():
        return "some of its records break the rules of a record file"
    if isinstance(exc, ValueError):
        return "a value in it is invalid"
    if isinstance(exc, TypeError):
        return "a value in it has the wrong type"
    return "it cannot be read"


def read_transfer(
    transfer_file: Path, transfer_passphrase: str
) -> tuple[dict[str, Any], dict[str, list[dict[str, Any]]]]:
    """The marker (who made it, when) and the pupil's rows, from a checked transfer file."""
    with (
        _crafted_is_refused(),
        _opened(transfer_file, transfer_passphrase) as vault,
        vault.sessions() as session,
    ):
        stored = session.get(AppSetting, MARKER_KEY)
        ids = session.execute(select(Pupil.id)).scalars().all()
        if stored is None or len(ids) != 1:
            raise BadInput(
                "This is a SENDesk record file, but not a pupil transfer file; nothing was "
                "imported. To use a whole school's file, open it or restore it instead."
            )
        marker = json.loads(stored.value_json)
        if not isinstance(marker, dict) or marker.get("kind") != "pupil transfer":
            raise DamagedFile(NOT_AS_MADE.format(reason="its description is not valid"))
        found = read_pupil(session, ids[0])
    if found["pupil"][0]["uuid"] != marker.get("pupil_uuid"):
        raise DamagedFile("The transfer file does not match its own description; not imported.")
    _screen_text(found)
    return marker, found


def _screen_text(found: dict[str, list[dict[str, Any]]]) -> None:
    """Another school's text obeys the rule typed text does (`sendesk.text`): one-line fields
    with a control or direction character refuse the file; free text (Text columns) loses them."""
    columns = {t.name: t.c for t in pupil_tables()}
    for table, rows in found.items():
        for row in rows:
            for name, value in row.items():
                if not isinstance(value, str) or name not in columns[table]:
                    continue
                if isinstance(columns[table][name].type, Text):
                    row[name] = clean_free_text(value)
                elif problem := name_problem(value, "A name or other one-line field"):
                    raise BadInput(f"This transfer file was not imported: {problem[0].lower()}"
                                   f"{problem[1:]}")  # fmt: skip


def receive(sessions: Sessions, transfer_file: Path, transfer_passphrase: str) -> Received:
    """Import the pupil with their whole history, in one transaction, or nothing at all."""
    marker, found = read_transfer(transfer_file, transfer_passphrase)
    incoming = found["pupil"][0]
    with sessions() as session, session.begin():
        if session.execute(select(Pupil.id).where(Pupil.uuid == incoming["uuid"])).first():
            raise BadInput(
                "This pupil is already in this file (the same pupil id): nothing was imported. "
                "If they came back, restore them from the archive instead."
            )
        if (
            incoming["upn"]
            and session.execute(select(Pupil.id).where(Pupil.upn == incoming["upn"])).first()
        ):
            raise BadInput(
                f"Another pupil in this file already has the UPN {incoming['upn']}: nothing was "
                "imported. Check the register for a duplicate first."
            )
        with _crafted_is_refused():
            new_ids = copy_rows(found, session)
        audit.record(
            session,
            RECEIVED,
            "Pupil received by transfer from another school, with their records",
            incoming["uuid"],
        )
        pupil_id = new_ids["pupil"][incoming["id"]]
    return Received(
        pupil_id,
        incoming["uuid"],
        incoming["upn"],
        _printable(str(marker.get("from_school") or ""))[:200],
        rows=sum(len(rows) for rows in found.values()),
    )


def _printable(text: str) -> str:
    # The marker is the sending side's word: shown to the user, so no terminal control codes.
    return "".join(ch for ch in text if ch.isprintable())


def find_pupil(sessions: Sessions, upn_or_uuid: str) -> int:
    """A pupil by UPN, or by UUID (a pupil may have no UPN)."""
    text = upn_or_uuid.strip()
    with sessions() as session:
        by_uuid = session.execute(select(Pupil.id).where(Pupil.uuid == text.lower())).scalar()
    if by_uuid is not None:
        return int(by_uuid)
    from sendesk.services import pupils

    return pupils.find_by_upn(sessions, text)
