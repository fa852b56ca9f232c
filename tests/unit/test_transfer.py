"""Pupil transfer: a single-pupil file another SENDesk imports with the whole history, and the
removal of the sending school's records once the transfer was received."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select, update

from sendesk import demo
from sendesk.cli import main
from sendesk.errors import BadInput, CannotUnlock, FileProblem, WeakPassphrase
from sendesk.models import AppSetting, AuditEvent, Base, Cycle, Meeting, Outcome, Pupil
from sendesk.services import attachments, subject_access, transfer
from sendesk.vault import Vault
from tests.conftest import DEMO_TODAY, OTHER_PASSPHRASE, PASSPHRASE

TRANSFER = "seventeen blue kites over Harrogate"
LEAVING = ("archived_on", "left_on", "leaving_destination")


@pytest.fixture(scope="module")
def other_school_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("other") / "other.sendesk"
    other = demo.build(path, PASSPHRASE, 12, seed=99, today=DEMO_TODAY)
    # The demo numbers UPNs the same way for every school: this one has none of them.
    with other, other.session() as session:
        session.execute(update(Pupil).values(upn=None))
    return path


@pytest.fixture
def other_vault(other_school_template: Path, tmp_path: Path) -> Any:
    path = tmp_path / "other.sendesk"
    shutil.copyfile(other_school_template, path)
    with Vault.open(path, PASSPHRASE) as opened:
        yield opened


def busiest_pupil(vault: Vault) -> int:
    with vault.sessions() as session:
        return int(
            session.execute(
                select(Cycle.pupil_id).group_by(Cycle.pupil_id).order_by(func.count().desc())
            )
            .scalars()
            .first()
        )


def remapped(found: dict[str, list[dict[str, Any]]]) -> dict[str, list[dict[str, Any]]]:
    """Independent of the service: ids and links replaced by their order within the pupil."""
    order = {
        name: {row["id"]: n for n, row in enumerate(sorted(rows, key=lambda r: r["id"]))}
        for name, rows in found.items()
    }
    out = {}
    for table in transfer.pupil_tables():
        rows = []
        for row in sorted(found[table.name], key=lambda r: r["id"]):
            plain = dict(row)
            plain["id"] = order[table.name][row["id"]]
            for fk in table.foreign_keys:
                value = plain[fk.parent.name]
                if value is not None and fk.column.table.name not in order:
                    plain[fk.parent.name] = None  # a school-wide row: not carried
                elif value is not None:
                    plain[fk.parent.name] = order[fk.column.table.name][value]
            rows.append(plain)
        out[table.name] = rows
    return out


def rows_of(vault: Vault, pupil_id: int) -> dict[str, list[dict[str, Any]]]:
    with vault.sessions() as session:
        return transfer.read_pupil(session, pupil_id)


def counts(vault: Vault) -> dict[str, int]:
    with vault.sessions() as session:
        return {
            t.name: int(session.execute(select(func.count()).select_from(t)).scalar_one())
            for t in Base.metadata.sorted_tables
        }


def make(vault: Vault, pupil_id: int, folder: Path, **kw: Any) -> transfer.TransferMade:
    return transfer.make_transfer_file(
        vault, pupil_id, folder / "move.sendesk", TRANSFER, destination="Hill School", **kw
    )


@pytest.fixture
def usb(tmp_path: Path) -> Path:
    """Where transfer files go (apart from the record files)."""
    folder = tmp_path / "usb"
    folder.mkdir()
    return folder


def test_the_pupil_tables_are_every_table_linked_to_a_pupil() -> None:
    names = {t.name for t in transfer.pupil_tables()}
    assert names == {t.name for t in subject_access.linked_tables()}
    assert {"contact", "note", "cycle", "outcome", "provision_session", "attachment"} <= names
    assert "audit_event" not in names  # the school's log stays with the school


def test_round_trip_between_two_demo_files_keeps_every_row(
    demo_vault: Vault, other_vault: Vault, usb: Path
) -> None:
    pupil_id = busiest_pupil(demo_vault)
    attachments.add(demo_vault.sessions, pupil_id, "EP report.pdf", b"%PDF-1.4 advice \x00\xff")
    with demo_vault.session() as session:  # links within the pupil's history that point ahead
        first, second = session.execute(
            select(Meeting).where(Meeting.pupil_id == pupil_id).order_by(Meeting.id).limit(2)
        ).scalars()
        first.moved_to_id = second.id
    before = rows_of(demo_vault, pupil_id)
    assert sum(1 for rows in before.values() if rows) >= 10
    made = make(demo_vault, pupil_id, usb)
    assert made.path.exists() and made.evidence_pack and made.evidence_pack.exists()
    assert made.evidence_pack.read_bytes().startswith(b"%PDF") and b"/Encrypt" in (
        made.evidence_pack.read_bytes()
    )
    others_before = counts(other_vault)

    got = transfer.receive(other_vault.sessions, made.path, TRANSFER)

    after = rows_of(other_vault, got.pupil_id)
    assert got.pupil_uuid == before["pupil"][0]["uuid"]
    assert after["pupil"][0]["id"] != before["pupil"][0]["id"]  # new integer ids
    expected = remapped(before)
    for field in LEAVING:
        expected["pupil"][0][field] = None
    received = remapped(after)
    for table in expected:
        assert received[table] == expected[table], table
    assert after["attachment"][0]["content"] == b"%PDF-1.4 advice \x00\xff"
    moved = [m for m in after["meeting"] if m["moved_to_id"]]
    assert moved and {m["id"] for m in after["meeting"]} >= {moved[0]["moved_to_id"]}
    grew = {
        k: v - others_before[k] for k, v in counts(other_vault).items() if v != others_before[k]
    }
    assert grew == {name: len(rows) for name, rows in before.items() if rows} | {"audit_event": 1}
    assert other_vault.verify() == []
    with other_vault.sessions() as session:
        event = session.execute(
            select(AuditEvent).where(AuditEvent.action == transfer.RECEIVED)
        ).scalar_one()
    assert event.pupil_uuid == got.pupil_uuid
    assert before["pupil"][0]["legal_surname"] not in event.summary


def test_the_transfer_file_is_a_record_file_that_opens_with_its_own_passphrase(
    demo_vault: Vault, usb: Path
) -> None:
    pupil_id = busiest_pupil(demo_vault)
    made = make(demo_vault, pupil_id, usb, evidence_pack=False)
    assert made.evidence_pack is None
    assert [p.name for p in usb.iterdir()] == ["move.sendesk"]  # nothing else left
    with pytest.raises(CannotUnlock):
        Vault.open(made.path, PASSPHRASE)
    with Vault.open(made.path, TRANSFER) as opened:
        assert opened.verify() == []
        assert opened.schema_revision() == demo_vault.schema_revision()
        with opened.sessions() as session:
            assert session.execute(select(func.count()).select_from(Pupil)).scalar_one() == 1
            assert session.get(AppSetting, transfer.MARKER_KEY) is not None
            pupil = session.execute(select(Pupil)).scalar_one()
            assert pupil.archived_on is None and pupil.left_on is None


@pytest.mark.file_only
def test_a_transfer_file_is_never_restored_over_a_school_s_file(
    demo_vault: Vault, usb: Path, record_file: Path
) -> None:
    # Restored, the school's file would become a file of one pupil.
    from sendesk import restore
    from sendesk.errors import BadInput

    made = make(demo_vault, busiest_pupil(demo_vault), usb, evidence_pack=False)
    before = record_file.read_bytes()
    with pytest.raises(BadInput, match="is a transfer file of one pupil"):
        restore.restore(made.path, TRANSFER, record_file, replace=True)
    with pytest.raises(BadInput, match="sendesk receive"):
        restore.restore(made.path, TRANSFER, usb / "new.sendesk")
    assert record_file.read_bytes() == before and not (usb / "new.sendesk").exists()
    assert not (record_file.parent / "backups").exists()


def test_the_sending_school_marks_the_pupil_transferred(demo_vault: Vault, usb: Path) -> None:
    pupil_id = busiest_pupil(demo_vault)
    make(demo_vault, pupil_id, usb, left_on=dt.date(2026, 7, 20))
    with demo_vault.sessions() as session:
        pupil = session.get(Pupil, pupil_id)
        assert pupil is not None
        assert pupil.archived_on and pupil.left_on == dt.date(2026, 7, 20)
        assert pupil.leaving_destination == "Hill School"
        events = session.execute(
            select(AuditEvent).where(AuditEvent.pupil_uuid == pupil.uuid)
        ).scalars()
        actions = [e.action for e in events]
    assert transfer.MADE in actions and "document.exported" in actions
    assert transfer.pending(demo_vault.sessions, pupil_id) is not None


def test_wrong_transfer_passphrase_changes_nothing(
    demo_vault: Vault, other_vault: Vault, usb: Path
) -> None:
    made = make(demo_vault, busiest_pupil(demo_vault), usb)
    file_bytes = made.path.read_bytes()
    before = counts(other_vault)
    with pytest.raises(CannotUnlock, match="transfer passphrase is wrong"):
        transfer.receive(other_vault.sessions, made.path, OTHER_PASSPHRASE)
    assert counts(other_vault) == before
    assert made.path.read_bytes() == file_bytes


def test_a_whole_school_file_is_not_a_transfer_file(demo_file: Path, other_vault: Vault) -> None:
    before = counts(other_vault)
    with pytest.raises(BadInput, match="not a pupil transfer file"):
        transfer.receive(other_vault.sessions, demo_file, PASSPHRASE)
    assert counts(other_vault) == before


def test_the_same_pupil_twice_is_refused_with_nothing_written(
    demo_vault: Vault, other_vault: Vault, usb: Path
) -> None:
    made = make(demo_vault, busiest_pupil(demo_vault), usb)
    transfer.receive(other_vault.sessions, made.path, TRANSFER)
    before = counts(other_vault)
    with pytest.raises(BadInput, match="already in this file"):
        transfer.receive(other_vault.sessions, made.path, TRANSFER)
    assert counts(other_vault) == before


def test_a_duplicate_upn_is_refused_with_nothing_written(
    demo_vault: Vault, other_vault: Vault, usb: Path
) -> None:
    pupil_id = busiest_pupil(demo_vault)
    made = make(demo_vault, pupil_id, usb)
    upn = rows_of(demo_vault, pupil_id)["pupil"][0]["upn"]
    with other_vault.session() as session:
        session.execute(select(Pupil).limit(1)).scalar_one().upn = upn
    before = counts(other_vault)
    with pytest.raises(BadInput, match=f"already has the UPN {upn}"):
        transfer.receive(other_vault.sessions, made.path, TRANSFER)
    assert counts(other_vault) == before


def test_a_failure_half_way_through_the_import_writes_nothing(
    demo_vault: Vault, other_vault: Vault, usb: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    made = make(demo_vault, busiest_pupil(demo_vault), usb)
    before = counts(other_vault)
    real = transfer.copy_rows

    def copy_then_fail(*args: Any, **kw: Any) -> Any:
        real(*args, **kw)
        raise OSError("disk went away")

    monkeypatch.setattr(transfer, "copy_rows", copy_then_fail)
    with pytest.raises(OSError, match="disk went away"):
        transfer.receive(other_vault.sessions, made.path, TRANSFER)
    assert counts(other_vault) == before


def test_removal_needs_confirmation_and_a_transfer(demo_vault: Vault, usb: Path) -> None:
    pupil_id = busiest_pupil(demo_vault)
    with pytest.raises(BadInput, match="no transfer of this pupil was finished here"):
        transfer.remove_after_transfer(demo_vault.sessions, pupil_id, confirmed=True)
    make(demo_vault, pupil_id, usb)
    with pytest.raises(BadInput, match="needs your confirmation"):
        transfer.remove_after_transfer(demo_vault.sessions, pupil_id, confirmed=False)
    assert rows_of(demo_vault, pupil_id)["pupil"]


def test_removal_leaves_no_row_of_the_pupil_but_keeps_the_audit_event(
    demo_vault: Vault, usb: Path
) -> None:
    pupil_id = busiest_pupil(demo_vault)
    attachments.add(demo_vault.sessions, pupil_id, "letter.pdf", b"%PDF-1.4 letter")
    held = rows_of(demo_vault, pupil_id)
    uuid = held["pupil"][0]["uuid"]
    surname = held["pupil"][0]["legal_surname"]
    before = counts(demo_vault)
    make(demo_vault, pupil_id, usb)

    assert transfer.remove_after_transfer(demo_vault.sessions, pupil_id, confirmed=True) == uuid

    after = counts(demo_vault)
    with demo_vault.sessions() as session:
        for table in transfer.pupil_tables():
            ids = [r["id"] for r in held[table.name]]
            assert (
                not ids
                or not session.execute(select(table.c.id).where(table.c.id.in_(ids))).first()
            ), table.name
            assert after[table.name] == before[table.name] - len(ids), table.name
        events = (
            session.execute(select(AuditEvent).where(AuditEvent.pupil_uuid == uuid)).scalars().all()
        )
        assert session.execute(select(Outcome.id).limit(1)).first()  # others' records stay
    actions = [e.action for e in events]
    assert transfer.MADE in actions and transfer.REMOVED in actions
    assert all(surname not in e.summary for e in events)
    assert demo_vault.verify() == []
    assert transfer.pending(demo_vault.sessions, pupil_id) is None


def test_a_weak_or_own_transfer_passphrase_is_refused(demo_vault: Vault, usb: Path) -> None:
    pupil_id = busiest_pupil(demo_vault)
    with pytest.raises(WeakPassphrase):
        transfer.make_transfer_file(demo_vault, pupil_id, usb / "t.sendesk", "short")
    with pytest.raises(BadInput, match="different from this file's own"):
        transfer.make_transfer_file(demo_vault, pupil_id, usb / "t.sendesk", PASSPHRASE)
    assert list(usb.iterdir()) == []
    assert transfer.pending(demo_vault.sessions, pupil_id) is None


def test_an_existing_file_is_never_overwritten(demo_vault: Vault, usb: Path) -> None:
    (usb / "move.sendesk").write_bytes(b"keep me")
    with pytest.raises(FileProblem, match="already exists"):
        make(demo_vault, busiest_pupil(demo_vault), usb)
    assert (usb / "move.sendesk").read_bytes() == b"keep me"


def test_a_pupil_without_history_can_be_transferred(
    vault: Vault, other_vault: Vault, usb: Path
) -> None:
    from sendesk.services import pupils

    saved = pupils.create(
        vault.sessions,
        pupils.PupilDetails(legal_surname="Ní Bhriain", legal_forename="Aoife", upn=None),
    )
    made = transfer.make_transfer_file(vault, saved.pupil_id, usb / "t.sendesk", TRANSFER)
    got = transfer.receive(other_vault.sessions, made.path, TRANSFER)
    assert rows_of(other_vault, got.pupil_id)["pupil"][0]["legal_surname"] == "Ní Bhriain"


def test_the_commands(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    demo_file: Path,
    other_school_template: Path,
    tmp_path: Path,
) -> None:
    monkeypatch.setenv("SENDESK_PASSPHRASE", PASSPHRASE)
    monkeypatch.delenv("SENDESK_TRANSFER_PASSPHRASE", raising=False)
    secret = tmp_path / "transfer.txt"
    secret.write_text(TRANSFER + "\n", encoding="utf-8")
    wrong = tmp_path / "wrong.txt"
    wrong.write_text(OTHER_PASSPHRASE, encoding="utf-8")
    other = tmp_path / "other.sendesk"
    shutil.copyfile(other_school_template, other)
    with Vault.open(demo_file, PASSPHRASE) as v:
        pupil_id = busiest_pupil(v)
        upn = rows_of(v, pupil_id)["pupil"][0]["upn"]
    out = tmp_path / "out" / "move.sendesk"
    out.parent.mkdir()

    def run(*argv: str) -> tuple[int, str]:
        code = main(list(argv))
        return code, capsys.readouterr().err

    code, err = run(
        "transfer", str(demo_file), "--pupil", upn, "--out", str(out),
        "--transfer-passphrase-file", str(secret), "--destination", "Hill School",
    )  # fmt: skip
    assert code == 0 and "Transfer file made and checked" in err, err
    assert sorted(p.name for p in out.parent.iterdir()) == [
        "move-evidence-pack.pdf",
        "move.sendesk",
    ]
    code, err = run("receive", str(other), str(out), "--transfer-passphrase-file", str(wrong))
    assert code == 3 and "transfer passphrase is wrong" in err
    code, err = run("receive", str(other), str(out), "--transfer-passphrase-file", str(secret))
    assert code == 0 and "received" in err, err
    code, err = run("receive", str(other), str(out), "--transfer-passphrase-file", str(secret))
    assert code == 2 and "already in this file" in err
    code, err = run("transfer-done", str(demo_file), "--pupil", upn)
    assert code == 2 and "--confirm" in err
    code, err = run("transfer-done", str(demo_file), "--pupil", upn, "--confirm")
    assert code == 0 and "removed" in err, err
    code, err = run("transfer-done", str(demo_file), "--pupil", upn, "--confirm")
    assert code == 2 and "No pupil" in err


def test_records_changed_after_the_transfer_are_not_removed(demo_vault: Vault, usb: Path) -> None:
    from sendesk.models import Note, Pupil
    from sendesk.services import audit

    pupil_id = busiest_pupil(demo_vault)
    make(demo_vault, pupil_id, usb)
    # The services refuse to change an archived pupil; a note written (and audited) some other
    # way, as an older SENDesk would, must still stop the removal.
    with demo_vault.session() as session:
        session.add(
            Note(pupil_id=pupil_id, noted_on=DEMO_TODAY, kind="conversation", text="Mum rang")
        )
        pupil = session.get(Pupil, pupil_id)
        assert pupil is not None
        audit.record(session, "note.added", "Conversation note added", pupil.uuid)
    with pytest.raises(BadInput, match="changed after the transfer file was made"):
        transfer.remove_after_transfer(demo_vault.sessions, pupil_id, confirmed=True)
    assert rows_of(demo_vault, pupil_id)["note"]  # nothing was removed


def test_a_pupil_brought_back_since_is_not_waiting_for_a_receipt(
    demo_vault: Vault, usb: Path
) -> None:
    from sendesk.services import pupils

    pupil_id = busiest_pupil(demo_vault)
    make(demo_vault, pupil_id, usb)
    assert transfer.pending(demo_vault.sessions, pupil_id) is not None
    pupils.restore(demo_vault.sessions, pupil_id)
    pupils.archive(demo_vault.sessions, pupil_id, DEMO_TODAY, "Moved abroad")
    assert transfer.pending(demo_vault.sessions, pupil_id) is None
    with pytest.raises(BadInput, match="no transfer of this pupil was finished"):
        transfer.remove_after_transfer(demo_vault.sessions, pupil_id, confirmed=True)
