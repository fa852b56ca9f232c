"""Restore refuses tampered, truncated and foreign backups, never overwrites, round-trips."""

from __future__ import annotations

import datetime as dt
import random
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sendesk import backup, cipher
from sendesk import restore as restoring
from sendesk.cli import main
from sendesk.errors import CannotUnlock, DamagedFile, FileProblem
from sendesk.filelock import FileInUse
from sendesk.models import Attachment, Contact, Note, Pupil
from sendesk.vault import Vault
from tests.conftest import OTHER_PASSPHRASE, PASSPHRASE
from tests.keys import cached_key

PAGE = cipher.PAGE_SIZE


def table_rows(path: Path, passphrase: str) -> dict[str, list[tuple[object, ...]]]:
    key = cached_key(path, passphrase)
    conn = cipher.connect(path, key)
    try:
        return {
            name: list(conn.execute(f'SELECT * FROM "{name}" ORDER BY rowid').fetchall())
            for name in cipher.table_names(conn)
        }
    finally:
        conn.close()


def test_restore_to_a_new_file(demo_vault: Vault, tmp_path: Path) -> None:
    saved = demo_vault.backup_to(tmp_path / "backup.sendesk")
    done = restoring.restore(saved, PASSPHRASE, tmp_path / "restored.sendesk")
    assert done.replaced_copy is None
    with Vault.open(done.path, PASSPHRASE) as restored:
        assert restored.verify() == []
        assert restored.meta().file_id == demo_vault.meta().file_id
        actions = [a for (a,) in restored.engine.connect().exec_driver_sql(
            "SELECT action FROM audit_event ORDER BY id DESC LIMIT 1")]  # fmt: skip
        assert actions == ["file.restored"]
    assert not list(tmp_path.glob(".*tmp*"))


def test_restore_never_overwrites_without_replace(record_file: Path, tmp_path: Path) -> None:
    with Vault.open(record_file, PASSPHRASE) as vault:
        saved = vault.backup_to(tmp_path / "backup.sendesk")
    target = tmp_path / "other.sendesk"
    target.write_bytes(b"precious" * 1000)
    with pytest.raises(FileProblem, match="already exists"):
        restoring.restore(saved, PASSPHRASE, target)
    assert target.read_bytes() == b"precious" * 1000
    assert not backup.backup_folder(target).exists()


def test_replace_keeps_the_replaced_file(demo_file: Path, record_file: Path) -> None:
    original = record_file.read_bytes()
    with Vault.open(demo_file, PASSPHRASE) as vault:
        saved = vault.backup_to(demo_file.with_name("backup.sendesk"))
    done = restoring.restore(saved, PASSPHRASE, record_file, replace=True)
    assert done.replaced_copy is not None
    assert done.replaced_copy.read_bytes() == original
    assert done.replaced_copy.parent == backup.backup_folder(record_file)
    # The kept copy is not an automatic backup, so rotation never removes it.
    assert done.replaced_copy not in backup.automatic_backups(record_file)
    with Vault.open(record_file, PASSPHRASE) as restored:
        assert restored.meta().school_name.endswith("(demo)")


def test_a_file_another_sendesk_has_open_is_not_replaced(
    demo_file: Path, record_file: Path
) -> None:
    # Its holder's changes would go on into the file replaced, and be lost.
    with Vault.open(demo_file, PASSPHRASE) as vault:
        saved = vault.backup_to(demo_file.with_name("backup.sendesk"))
    original = record_file.read_bytes()
    with Vault.open(record_file, PASSPHRASE), pytest.raises(FileInUse) as refused:
        restoring.restore(saved, PASSPHRASE, record_file, replace=True)
    assert refused.value.exit_code == 5
    assert record_file.read_bytes() == original
    assert not backup.backup_folder(record_file).exists()
    # Closed, it is replaced, and the lock taken for the restore is gone again.
    restoring.restore(saved, PASSPHRASE, record_file, replace=True)
    with Vault.open(record_file, PASSPHRASE) as restored:
        assert restored.meta().school_name.endswith("(demo)")


@pytest.mark.parametrize("link_to", ["the file", "nowhere"])
def test_restore_and_backup_never_write_through_a_link(
    demo_vault: Vault, record_file: Path, tmp_path: Path, link_to: str
) -> None:
    saved = demo_vault.backup_to(tmp_path / "backup.sendesk")
    link = tmp_path / "link.sendesk"
    link.symlink_to(record_file if link_to == "the file" else tmp_path / "nowhere" / "x.sendesk")
    original = record_file.read_bytes()
    with pytest.raises(FileProblem, match="is a link to another place"):
        restoring.restore(saved, PASSPHRASE, link, replace=True)
    with pytest.raises(FileProblem, match="is a link to another place"):
        demo_vault.backup_to(link)
    assert link.is_symlink() and record_file.read_bytes() == original


def test_a_backup_cannot_be_restored_over_itself(vault: Vault, tmp_path: Path) -> None:
    saved = vault.backup_to(tmp_path / "backup.sendesk")
    with pytest.raises(FileProblem, match="over itself"):
        restoring.restore(saved, PASSPHRASE, saved, replace=True)


def test_a_file_with_an_unfinished_change_is_not_replaced(vault: Vault, tmp_path: Path) -> None:
    saved = vault.backup_to(tmp_path / "backup.sendesk")
    target = tmp_path / "target.sendesk"
    shutil.copyfile(saved, target)
    target.with_name("target.sendesk-journal").write_bytes(b"hot")
    with pytest.raises(FileProblem, match="unfinished change"):
        restoring.restore(saved, PASSPHRASE, target, replace=True)


def test_wrong_handover_passphrase_changes_nothing(demo_vault: Vault, tmp_path: Path) -> None:
    handover = demo_vault.backup_to(tmp_path / "handover.sendesk", OTHER_PASSPHRASE)
    before = handover.read_bytes()
    with pytest.raises(CannotUnlock) as caught:
        restoring.restore(handover, PASSPHRASE, tmp_path / "new.sendesk")
    assert "passphrase is wrong" in caught.value.message
    assert "Nothing was changed" in caught.value.message
    assert handover.read_bytes() == before
    left = sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith(".~lock."))
    assert left == ["demo.sendesk", "handover.sendesk"]  # beside the lock of the open file
    # The right one restores it, and the restored file opens with the handover passphrase.
    done = restoring.restore(handover, OTHER_PASSPHRASE, tmp_path / "new.sendesk")
    with Vault.open(done.path, OTHER_PASSPHRASE) as v:
        assert v.verify() == []


def test_the_wrong_handover_passphrase_on_the_command_line(
    demo_vault: Vault, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    handover = demo_vault.backup_to(tmp_path / "handover.sendesk", OTHER_PASSPHRASE)
    secret = tmp_path / "secret.txt"
    secret.write_text(PASSPHRASE, encoding="utf-8")
    target = tmp_path / "new.sendesk"
    code = main(["restore", str(handover), "--to", str(target), "--passphrase-file", str(secret)])
    err = capsys.readouterr().err
    assert code == 3
    assert "does not open with that passphrase" in err
    assert not target.exists()


# --- tampering ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def small_backup(tmp_path_factory: pytest.TempPathFactory, empty_template: Path) -> Path:
    folder = tmp_path_factory.mktemp("tamper")
    with Vault.open(shutil.copyfile(empty_template, folder / "s.sendesk"), PASSPHRASE) as vault:
        return vault.backup_to(folder / "backup.sendesk")


def test_a_flipped_byte_on_every_page_is_refused(small_backup: Path, tmp_path: Path) -> None:
    data = small_backup.read_bytes()
    key = cached_key(small_backup, PASSPHRASE)
    restoring.check_backup_key(small_backup, key)  # the untouched backup passes
    rng = random.Random(7)
    tampered = tmp_path / "tampered.sendesk"
    offsets = [page * PAGE + rng.randrange(PAGE) for page in range(len(data) // PAGE)]
    offsets += [cipher.SALT_BYTES, PAGE - 1, len(data) - 1]  # past the salt; each page's end
    for offset in offsets:
        if offset < cipher.SALT_BYTES:
            offset = cipher.SALT_BYTES
        changed = bytearray(data)
        changed[offset] ^= 1 << rng.randrange(8)
        tampered.write_bytes(changed)
        with pytest.raises((DamagedFile, CannotUnlock)):
            restoring.check_backup_key(tampered, key)


@pytest.mark.parametrize("where", ["salt", "first page", "middle", "last byte"])
def test_restore_refuses_a_tampered_backup(small_backup: Path, tmp_path: Path, where: str) -> None:
    data = bytearray(small_backup.read_bytes())
    offset = {"salt": 3, "first page": 100, "middle": len(data) // 2, "last byte": len(data) - 1}
    data[offset[where]] ^= 0x40
    tampered = tmp_path / "tampered.sendesk"
    tampered.write_bytes(data)
    target = tmp_path / "restored.sendesk"
    with pytest.raises((DamagedFile, CannotUnlock)):
        restoring.restore(tampered, PASSPHRASE, target)
    assert not target.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["tampered.sendesk"]


def test_restore_refuses_a_truncated_backup(small_backup: Path, tmp_path: Path) -> None:
    data = small_backup.read_bytes()
    key = cached_key(small_backup, PASSPHRASE)
    truncated = tmp_path / "truncated.sendesk"
    for size in [*range(0, len(data), PAGE), len(data) - 1, len(data) - 100, 100]:
        truncated.write_bytes(data[:size])
        with pytest.raises((DamagedFile, CannotUnlock)):
            restoring.check_backup_key(truncated, key)
    target = tmp_path / "restored.sendesk"
    truncated.write_bytes(data[: len(data) - PAGE])
    with pytest.raises((DamagedFile, CannotUnlock)):
        restoring.restore(truncated, PASSPHRASE, target)
    assert not target.exists()


def test_restore_refuses_a_plain_file(tmp_path: Path) -> None:
    plain = tmp_path / "notes.sendesk"
    for size in (4096, 2000):  # whole pages or not: text is said to be text
        plain.write_bytes(b"hello" * size)
        with pytest.raises(CannotUnlock, match="not a SENDesk record file: it is a text file"):
            restoring.restore(plain, PASSPHRASE, tmp_path / "restored.sendesk")
    noise = tmp_path / "noise.sendesk"
    noise.write_bytes(random.Random(7).randbytes(4 * PAGE))  # whole pages: nothing says damaged
    with pytest.raises(CannotUnlock, match="does not open"):
        restoring.restore(noise, PASSPHRASE, tmp_path / "restored.sendesk")
    noise.write_bytes(random.Random(7).randbytes(4 * PAGE + 10))  # no SENDesk file is that size
    with pytest.raises(DamagedFile, match="damaged"):
        restoring.restore(noise, PASSPHRASE, tmp_path / "restored.sendesk")
    assert not (tmp_path / "restored.sendesk").exists()


# --- the round trip ------------------------------------------------------------------------

text = st.text(
    st.characters(codec="utf-8", exclude_categories=("Cs",), exclude_characters="\x00"),
    min_size=1,
    max_size=60,
)
optional_text = st.none() | text
pupil_records = st.fixed_dictionaries(
    {
        "surname": text,
        "forename": text,
        "dob": st.none() | st.dates(dt.date(1990, 1, 1), dt.date(2022, 12, 31)),
        "status": st.sampled_from(["N", "K", "E"]),
        "strengths": optional_text,
        "notes": st.lists(st.tuples(st.dates(dt.date(2015, 1, 1)), text), max_size=3),
        "contacts": st.lists(st.tuples(text, optional_text), max_size=2),
        "files": st.lists(st.binary(min_size=1, max_size=3000), max_size=2),
    }
)


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(records=st.lists(pupil_records, max_size=6))
def test_random_records_survive_backup_and_restore(
    empty_template: Path, records: list[dict[str, object]]
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        source = Path(shutil.copyfile(empty_template, Path(folder) / "school.sendesk"))
        key = cached_key(source, PASSPHRASE)
        vault = Vault(source, key)
        try:
            with vault.session() as session:
                for r in records:
                    pupil = Pupil(
                        legal_surname=r["surname"],
                        legal_forename=r["forename"],
                        date_of_birth=r["dob"],
                        sen_status=r["status"],
                        primary_need=None if r["status"] == "N" else "SPLD",
                        strengths=r["strengths"],
                    )
                    pupil.notes = [
                        Note(noted_on=on, kind="concern", text=t)
                        for on, t in r["notes"]  # type: ignore[attr-defined]
                    ]
                    pupil.contacts = [
                        Contact(name=n, phone=p)
                        for n, p in r["contacts"]  # type: ignore[attr-defined]
                    ]
                    pupil.attachments = [
                        Attachment(
                            filename=f"f{i}.bin",
                            media_type="application/octet-stream",
                            size_bytes=len(b),
                            sha256="0" * 64,
                            content=b,
                        )
                        for i, b in enumerate(r["files"])  # type: ignore[arg-type]
                    ]
                    session.add(pupil)
        finally:
            vault.close()
        saved = backup.make_backup(source, key, Path(folder) / "backup.sendesk")
        target = Path(folder) / "restored.sendesk"
        restoring.restore(saved, PASSPHRASE, target)
        before, after = table_rows(source, PASSPHRASE), table_rows(target, PASSPHRASE)
        assert after["audit_event"][-1][2] == "file.restored"
        after["audit_event"] = after["audit_event"][:-1]
        assert before.keys() == after.keys()
        for table in before:
            assert before[table] == after[table], table


# --- the command line ----------------------------------------------------------------------


def test_backup_and_restore_commands(
    demo_file: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SENDESK_PASSPHRASE", PASSPHRASE)
    own = tmp_path / "own.txt"
    own.write_text(OTHER_PASSPHRASE + "\n", encoding="utf-8")
    out = tmp_path / "handover.sendesk"
    code = main(["backup", str(demo_file), "--out", str(out), "--backup-passphrase-file", str(own)])
    assert code == 0 and "verified" in capsys.readouterr().err
    target = tmp_path / "restored.sendesk"
    code = main(["restore", str(out), "--to", str(target), "--passphrase-file", str(own)])
    err = capsys.readouterr().err
    assert code == 0 and "60 pupils" in err
    code = main(["restore", str(out), "--to", str(target), "--passphrase-file", str(own)])
    assert code == 2 and "--replace" in capsys.readouterr().err
    code = main(
        ["restore", str(out), "--to", str(target), "--replace", "--passphrase-file", str(own)]
    )
    assert code == 0 and "kept unchanged" in capsys.readouterr().err


def test_a_weak_handover_passphrase_is_refused(
    demo_file: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SENDESK_PASSPHRASE", PASSPHRASE)
    weak = tmp_path / "weak.txt"
    weak.write_text("password1", encoding="utf-8")
    out = tmp_path / "handover.sendesk"
    code = main(
        ["backup", str(demo_file), "--out", str(out), "--backup-passphrase-file", str(weak)]
    )
    assert code == 2 and "Too short" in capsys.readouterr().err
    assert not out.exists()


def test_rotation_removes_old_backups_only_after_a_verified_new_one(
    vault: Vault, record_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    made = [vault.automatic_backup(f"test {i}") for i in range(backup.KEEP_AUTOMATIC)]

    # The copy's first page does not read back as the file's: the copy is refused.
    monkeypatch.setattr(backup, "_first_page", lambda _path: b"not the file's first page")
    with pytest.raises(DamagedFile, match="integrity check"):
        vault.automatic_backup("on-close")
    assert backup.automatic_backups(record_file) == made  # none removed for a failed one
    assert not [p for p in backup.backup_folder(record_file).iterdir() if p.name.startswith(".")]
