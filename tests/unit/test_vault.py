"""The record file: creation, unlocking, bad files, passphrase change, verification."""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import threading
from pathlib import Path

import pytest
import sqlcipher3
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from sendesk import cipher, seal
from sendesk.errors import (
    CannotUnlock,
    DamagedFile,
    FileProblem,
    NewerFile,
    ValidationFailed,
    WeakPassphrase,
)
from sendesk.services import pupils
from sendesk.vault import Vault
from tests.conftest import OTHER_PASSPHRASE, PASSPHRASE, SCHOOL


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_create_writes_meta_and_an_encrypted_file(tmp_path: Path) -> None:
    path = tmp_path / "new.sendesk"
    with Vault.create(path, PASSPHRASE, "  Millbrook Primary ") as v:
        meta = v.meta()
        assert meta.school_name == "Millbrook Primary"
        assert len(meta.file_id) == 36
        assert v.schema_revision() is not None
    assert not path.read_bytes().startswith(b"SQLite format 3")
    assert [p.name for p in tmp_path.iterdir()] == ["new.sendesk"]  # no journal, no temp file


def test_create_refuses_to_overwrite(record_file: Path) -> None:
    before = sha(record_file)
    with pytest.raises(FileProblem, match="already exists"):
        Vault.create(record_file, PASSPHRASE, SCHOOL)
    assert sha(record_file) == before


def test_create_refuses_a_weak_passphrase_and_leaves_nothing(tmp_path: Path) -> None:
    with pytest.raises(WeakPassphrase, match="at least 12"):
        Vault.create(tmp_path / "a.sendesk", "short", SCHOOL)
    with pytest.raises(WeakPassphrase, match="guess"):
        Vault.create(tmp_path / "a.sendesk", "password1234", SCHOOL)
    with pytest.raises(ValidationFailed, match="school"):
        Vault.create(tmp_path / "a.sendesk", PASSPHRASE, "   ")
    assert list(tmp_path.iterdir()) == []


def test_create_in_a_missing_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(FileProblem, match="does not exist"):
        Vault.create(tmp_path / "nowhere" / "a.sendesk", PASSPHRASE, SCHOOL)


def test_open_with_the_right_passphrase(record_file: Path) -> None:
    with Vault.open(record_file, PASSPHRASE) as v:
        assert v.meta().school_name == SCHOOL
        assert v.upgrade is None


def test_any_sqlcipher4_tool_opens_the_file_with_the_passphrase(record_file: Path) -> None:
    conn = sqlcipher3.connect(str(record_file))
    conn.execute(f"PRAGMA key = '{PASSPHRASE}'")
    assert conn.execute("SELECT school_name FROM meta").fetchone() == (SCHOOL,)
    conn.close()


def make_plain_sqlite(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE meta (x)")
    conn.commit()
    conn.close()


def make_random(path: Path) -> None:
    path.write_bytes(os.urandom(4096 * 8))


def make_truncated(path: Path, source: Path) -> None:
    path.write_bytes(source.read_bytes()[: 4096 * 3])


def make_torn(path: Path, source: Path) -> None:
    path.write_bytes(source.read_bytes()[: 4096 * 3 + 1000])


def make_unreadable(kind: str, path: Path, demo_file: Path) -> None:
    if kind == "wrong passphrase":
        shutil.copyfile(demo_file, path)
    elif kind == "plain sqlite":
        make_plain_sqlite(path)
    elif kind == "random":
        make_random(path)
    elif kind == "truncated":
        make_truncated(path, demo_file)
    elif kind == "torn":
        make_torn(path, demo_file)
    else:
        path.write_bytes(b"")


@pytest.mark.parametrize("kind", ["wrong passphrase", "plain sqlite", "random"])
def test_a_file_that_gives_no_sign_of_damage_is_one_clear_error_and_stays_unchanged(
    kind: str, demo_file: Path, tmp_path: Path
) -> None:
    path = tmp_path / "target.sendesk"
    make_unreadable(kind, path, demo_file)
    before = sha(path)
    secret = "not the passphrase at all" if kind == "wrong passphrase" else PASSPHRASE
    with pytest.raises(CannotUnlock) as caught:
        Vault.open(path, secret)
    assert str(caught.value) == "wrong passphrase, or not a SENDesk file"
    assert sha(path) == before
    assert not list(tmp_path.glob(".*.tmp"))
    assert not (tmp_path / "backups").exists()


@pytest.mark.parametrize("kind", ["truncated", "torn", "empty"])
def test_a_cut_short_file_is_called_damaged_not_a_wrong_passphrase(
    kind: str, demo_file: Path, tmp_path: Path
) -> None:
    path = tmp_path / "target.sendesk"
    make_unreadable(kind, path, demo_file)
    before = sha(path)
    with pytest.raises(DamagedFile) as caught:
        Vault.open(path, PASSPHRASE)
    assert "damaged" in caught.value.message
    assert caught.value.problems
    assert sha(path) == before
    assert not list(tmp_path.glob(".*.tmp"))


def test_every_truncation_at_any_length_is_damage(demo_file: Path, tmp_path: Path) -> None:
    data = demo_file.read_bytes()
    path = tmp_path / "cut.sendesk"
    cuts = [*range(cipher.PAGE_SIZE, len(data), cipher.PAGE_SIZE * 7), 1, 100, len(data) - 1]
    for size in cuts:
        path.write_bytes(data[:size])
        with pytest.raises(DamagedFile):
            Vault.open(path, PASSPHRASE)


def test_a_flipped_page_one_is_damage_when_a_backup_opens_with_the_passphrase(
    demo_file: Path,
) -> None:
    with Vault.open(demo_file, PASSPHRASE) as vault:
        vault.automatic_backup("on-close")
    for offset in (20, 100, 900, cipher.PAGE_SIZE - 1):  # the header, the page, its end
        flip_byte(demo_file, offset)
        with pytest.raises(DamagedFile) as caught:
            Vault.open(demo_file, PASSPHRASE)
        assert "opens with this passphrase" in caught.value.problems[0]
        # A wrong passphrase is still called one: the backup does not open with it either.
        with pytest.raises(CannotUnlock):
            Vault.open(demo_file, "not the passphrase at all")
        flip_byte(demo_file, offset)  # put it back


def test_a_flip_on_any_page_past_the_first_is_never_called_a_wrong_passphrase(
    demo_file: Path, tmp_path: Path
) -> None:
    data = demo_file.read_bytes()
    path = tmp_path / "flipped.sendesk"
    for page in range(2, len(data) // cipher.PAGE_SIZE + 1):
        flipped = bytearray(data)
        flipped[(page - 1) * cipher.PAGE_SIZE + 900] ^= 0x01
        path.write_bytes(bytes(flipped))
        try:
            vault = Vault.open(path, PASSPHRASE)
        except DamagedFile:
            continue
        with vault:
            assert vault.verify(), f"a flip on page {page} went unseen"


def test_open_reads_no_more_than_the_schema_so_damage_deep_inside_waits_for_verify(
    demo_file: Path,
) -> None:
    # The full check grows with the file; open must not pay for it on the user's critical path.
    flip_byte(demo_file, demo_file.stat().st_size - cipher.PAGE_SIZE + 900)
    with Vault.open(demo_file, PASSPHRASE) as vault:
        assert vault.verify()


def test_a_missing_file_or_a_folder_is_a_file_problem(tmp_path: Path) -> None:
    with pytest.raises(FileProblem, match="no file"):
        Vault.open(tmp_path / "missing.sendesk", PASSPHRASE)
    with pytest.raises(FileProblem, match="folder"):
        Vault.open(tmp_path, PASSPHRASE)


def test_an_encrypted_database_that_is_not_sendesk_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    conn = sqlcipher3.connect(str(path))
    conn.execute(f"PRAGMA key = '{PASSPHRASE}'")
    conn.execute("CREATE TABLE notes (x)")
    conn.commit()
    conn.close()
    with pytest.raises(CannotUnlock):
        Vault.open(path, PASSPHRASE)


def test_connections_are_keyed_with_sendesk_pragmas(vault: Vault) -> None:
    with vault.engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "delete"
        assert conn.execute(text("PRAGMA synchronous")).scalar() == 2  # FULL
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert conn.execute(text("PRAGMA temp_store")).scalar() == 2  # MEMORY


def test_a_worker_thread_connection_does_not_derive_the_key_again(
    vault: Vault, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = []
    real = hashlib.pbkdf2_hmac

    def counting(*args: object, **kwargs: object) -> bytes:
        calls.append(1)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(cipher.hashlib, "pbkdf2_hmac", counting)
    seen: list[int] = []

    def work() -> None:
        seen.append(len(pupils.list_register(vault.sessions)))

    worker = threading.Thread(target=work)
    worker.start()
    worker.join()
    assert seen == [0]
    assert calls == []


def test_the_audit_log_is_append_only(vault: Vault) -> None:
    with vault.engine.connect() as conn:
        with pytest.raises(IntegrityError, match="append-only"):
            conn.execute(text("UPDATE audit_event SET summary = 'edited'"))
        conn.rollback()
        with pytest.raises(IntegrityError, match="append-only"):
            conn.execute(text("DELETE FROM audit_event"))


def test_change_passphrase_old_fails_new_works_data_intact(vault: Vault, record_file: Path) -> None:
    pupils.create(vault.sessions, pupils.PupilDetails("Wójcik", "Łukasz"))
    saved = vault.change_passphrase(PASSPHRASE, OTHER_PASSPHRASE)
    assert saved.parent == record_file.parent / "backups"
    with Vault.open(saved, PASSPHRASE) as old_copy:  # the backup keeps the old passphrase
        assert [r.surname for r in pupils.list_register(old_copy.sessions)] == ["Wójcik"]
    assert [r.surname for r in pupils.list_register(vault.sessions)] == ["Wójcik"]
    vault.close()
    with pytest.raises(CannotUnlock, match="before it was last changed"):
        Vault.open(record_file, PASSPHRASE)  # never "damaged": the old passphrase is just wrong
    with Vault.open(record_file, OTHER_PASSPHRASE) as reopened:
        assert [r.forename for r in pupils.list_register(reopened.sessions)] == ["Łukasz"]
        assert reopened.verify() == []
    conn = sqlcipher3.connect(str(record_file))  # still standard SQLCipher 4 with the new one
    conn.execute(f"PRAGMA key = '{OTHER_PASSPHRASE}'")
    assert conn.execute("SELECT count(*) FROM pupil").fetchone() == (1,)
    conn.close()


def test_change_passphrase_refuses_a_wrong_current_or_weak_new_one(
    vault: Vault, record_file: Path
) -> None:
    before = sha(record_file)
    with pytest.raises(CannotUnlock, match="current passphrase is wrong"):
        vault.change_passphrase("not the passphrase", OTHER_PASSPHRASE)
    with pytest.raises(WeakPassphrase):
        vault.change_passphrase(PASSPHRASE, "abc")
    assert sha(record_file) == before


def flip_byte(path: Path, offset: int) -> None:
    data = bytearray(path.read_bytes())
    data[offset] ^= 0x01
    path.write_bytes(bytes(data))


def test_verify_is_clean_on_a_sound_file(demo_vault: Vault) -> None:
    assert demo_vault.verify() == []


@pytest.mark.parametrize("page", [2, 5, -1])
def test_a_flipped_byte_past_page_one_is_damage_not_a_wrong_passphrase(
    demo_file: Path, page: int
) -> None:
    pages = demo_file.stat().st_size // cipher.PAGE_SIZE
    number = page if page > 0 else pages
    flip_byte(demo_file, (number - 1) * cipher.PAGE_SIZE + 900)
    before = sha(demo_file)
    # Found at open when the page is one open reads (the schema), else by the full check.
    try:
        with Vault.open(demo_file, PASSPHRASE) as vault:
            problems = vault.verify()
    except DamagedFile as caught:
        assert "damaged" in caught.message
        problems = caught.problems
    assert problems
    assert sha(demo_file) == before  # never "repaired" in place


def test_verify_reports_damage_found_after_opening(demo_vault: Vault, demo_file: Path) -> None:
    flip_byte(demo_file, demo_file.stat().st_size - cipher.PAGE_SIZE + 900)
    problems = demo_vault.verify()
    assert any("HMAC" in p or "malformed" in p or "could not be read" in p for p in problems)


def test_a_file_locked_by_another_program_is_said_to_be_in_use(record_file: Path) -> None:
    key = cipher.RawKey.derive(PASSPHRASE, cipher.read_salt(record_file))
    holder = cipher.connect(record_file, key)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(FileProblem, match="in use"):
            Vault.open(record_file, PASSPHRASE)
    finally:
        holder.execute("ROLLBACK")
        holder.close()


def test_passphrases_are_compared_in_one_unicode_form(tmp_path: Path) -> None:
    composed = "caf\u00e9 cr\u00e8me br\u00fbl\u00e9e au lait"
    decomposed = "cafe\u0301 cre\u0300me bru\u0302le\u0301e au lait"
    Vault.create(tmp_path / "a.sendesk", composed, SCHOOL).close()
    with Vault.open(tmp_path / "a.sendesk", decomposed) as v:
        assert v.meta().school_name == SCHOOL


def test_a_newer_file_is_refused_with_both_versions(record_file: Path) -> None:
    conn = cipher.connect(
        record_file, cipher.RawKey.derive(PASSPHRASE, cipher.read_salt(record_file))
    )
    conn.execute("UPDATE alembic_version SET version_num = 'ffff_from_the_future'")
    conn.execute("UPDATE meta SET app_version = '9.0.0'")
    conn.close()
    before = sha(record_file)
    with pytest.raises(NewerFile, match=r"SENDesk 9\.0\.0.*newer than this SENDesk \(0\.1\.0\)"):
        Vault.open(record_file, PASSPHRASE)
    assert sha(record_file) == before


def test_the_key_never_shows_in_a_repr(vault: Vault) -> None:
    assert repr(vault._key) == "RawKey(<hidden>)"
    assert vault._key.key.hex() not in repr(vault.__dict__)


# --- rollback: a page replayed from an older copy of the same file ---------------------------


def rolled_back_copies(demo_file: Path, tmp_path: Path) -> list[Path]:
    """Copies of the file, each with one page put back from a copy taken before a change."""
    older = tmp_path / "older.sendesk"
    shutil.copyfile(demo_file, older)
    with Vault.open(demo_file, PASSPHRASE) as vault:
        pupils.create(vault.sessions, pupils.PupilDetails("Okafor", "Chidi"))
    old, new = older.read_bytes(), demo_file.read_bytes()
    page = cipher.PAGE_SIZE
    changed = [
        n for n in range(1, min(len(old), len(new)) // page)
        if old[n * page : (n + 1) * page] != new[n * page : (n + 1) * page]
    ]  # fmt: skip
    assert changed, "the change wrote no page after the first"
    copies = []
    for n in changed:
        replayed = bytearray(new)
        replayed[n * page : (n + 1) * page] = old[n * page : (n + 1) * page]
        copy = tmp_path / f"replayed-{n + 1}.sendesk"
        copy.write_bytes(bytes(replayed))
        copies.append(copy)
    return copies


def test_verify_finds_a_page_replayed_from_an_older_copy(demo_file: Path, tmp_path: Path) -> None:
    for copy in rolled_back_copies(demo_file, tmp_path):
        try:
            vault = Vault.open(copy, PASSPHRASE)
        except DamagedFile:
            continue  # a schema page: found at open already
        with vault:
            problems = vault.verify()
        assert any("rollback" in p for p in problems), copy.name


def test_a_rolled_back_file_is_not_backed_up_and_a_rolled_back_backup_is_not_restored(
    demo_file: Path, tmp_path: Path
) -> None:
    from sendesk import restore

    copies = rolled_back_copies(demo_file, tmp_path)
    for copy in copies:
        key = cipher.RawKey.derive(PASSPHRASE, cipher.read_salt(copy))
        vault = Vault(copy, key)
        try:
            with pytest.raises(DamagedFile, match="rollback"):
                vault.backup_to(tmp_path / f"backup-of-{copy.name}")
        finally:
            vault.engine.dispose()  # not close(): that would seal
        with pytest.raises(DamagedFile):
            restore.restore(copy, PASSPHRASE, tmp_path / f"restored-{copy.name}")
    assert not list(tmp_path.glob("backup-of-*")) and not list(tmp_path.glob("restored-*"))


def _opened(copy: Path) -> Vault | None:
    try:
        return Vault.open(copy, PASSPHRASE)
    except DamagedFile:
        return None  # a schema page: found at open already


def test_a_rollback_found_stays_on_record_after_the_next_change(
    demo_file: Path, tmp_path: Path
) -> None:
    # The next write used to clear the seal, and with it the evidence: verify then said OK.
    checked = 0
    for copy in rolled_back_copies(demo_file, tmp_path):
        vault = _opened(copy)
        if vault is None:
            continue
        with vault:
            pupils.create(vault.sessions, pupils.PupilDetails("Adeyemi", "Tobi"))
        with Vault.open(copy, PASSPHRASE) as again:
            assert any("rollback" in p for p in again.verify()), copy.name
            pupils.create(again.sessions, pupils.PupilDetails("Adeyemi", "Tola"))
        with Vault.open(copy, PASSPHRASE) as third:  # closing and writing again keep it too
            assert any("rollback" in p for p in third.verify()), copy.name
        checked += 1
    assert checked


def test_a_rollback_found_at_open_with_nothing_written_leaves_the_file_as_it_was(
    demo_file: Path, tmp_path: Path
) -> None:
    # Nothing is written to a file found changed behind SENDesk's back: the seal it keeps still
    # disagrees with its pages, so the finding stands; the first write records it (above).
    for copy in rolled_back_copies(demo_file, tmp_path):
        before = copy.read_bytes()
        vault = _opened(copy)
        if vault is None:
            continue
        vault.close()
        assert copy.read_bytes() == before, copy.name
        with Vault.open(copy, PASSPHRASE) as again:
            assert any("rollback" in p for p in again.verify()), copy.name


def test_the_open_check_lets_a_sound_file_be_written_and_sealed_as_before(
    record_file: Path,
) -> None:
    with Vault.open(record_file, PASSPHRASE) as vault:  # sealed: checked beside the first write
        pupils.create(vault.sessions, pupils.PupilDetails("Okafor", "Chidi"))
    with Vault.open(record_file, PASSPHRASE) as again:
        assert again.verify() == []
    key = cipher.RawKey.derive(PASSPHRASE, cipher.read_salt(record_file))
    conn = cipher.connect(record_file, key)
    try:
        assert seal.recorded(conn) == seal.digest(record_file)
    finally:
        conn.close()


def test_a_file_closed_cleanly_after_changes_passes_the_rollback_check(
    vault: Vault, record_file: Path
) -> None:
    pupils.create(vault.sessions, pupils.PupilDetails("Okafor", "Chidi"))
    assert vault.verify() == []  # open with changes: unsealed, nothing to compare with
    vault.close()
    before = record_file.stat().st_mtime_ns
    with Vault.open(record_file, PASSPHRASE) as again:
        assert again.verify() == []
        pupils.list_register(again.sessions)  # reading is not a change
    assert record_file.stat().st_mtime_ns == before  # a session without changes writes nothing


def test_a_file_s_info_read_without_sqlalchemy_is_the_services_answer(demo_file: Path) -> None:
    # `sendesk info` on a file reads it on the keyed connection; the service reads it through
    # the models. Same file, same answer: every table the models know, nothing else.
    from sendesk.models import Base
    from sendesk.services import files

    with Vault.open(demo_file, PASSPHRASE, read_only=True) as vault:
        plain, orm = vault.info(), files.info(vault)
    assert plain == orm
    assert set(plain.counts) == {t.name for t in Base.metadata.sorted_tables}
    assert plain.counts["pupil"] > 0 and plain.schema_revision is not None


def test_a_key_derived_meanwhile_is_used_only_for_its_own_passphrase_and_file(
    record_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    salt = cipher.read_salt(record_file)
    deriving = cipher.KeyInProgress.start(PASSPHRASE, record_file)
    assert deriving is not None
    assert deriving.key_for(PASSPHRASE, salt) == cipher.RawKey.derive(PASSPHRASE, salt)
    assert deriving.key_for("e\u0301" + PASSPHRASE, salt) is None  # another passphrase
    assert deriving.key_for(PASSPHRASE, bytes(16)) is None  # another file's salt
    # A file whose salt cannot be read starts nothing: opening it says what is wrong.
    assert cipher.KeyInProgress.start(PASSPHRASE, tmp_path / "missing.sendesk") is None
    # Opening uses it; a key derived for a wrong passphrase is refused as a wrong passphrase.
    with Vault.open(record_file, PASSPHRASE, deriving=deriving) as vault:
        assert vault.meta().school_name == SCHOOL
    wrong = cipher.KeyInProgress.start(OTHER_PASSPHRASE, record_file)
    with pytest.raises(CannotUnlock):
        Vault.open(record_file, OTHER_PASSPHRASE, deriving=wrong)
    # A failure on the deriving thread reaches the caller, not a thread's log.
    monkeypatch.setattr(cipher.RawKey, "derive", classmethod(lambda *_: 1 / 0))
    failing = cipher.KeyInProgress.start(PASSPHRASE, record_file)
    assert failing is not None
    with pytest.raises(ZeroDivisionError):
        failing.key_for(PASSPHRASE, salt)


def test_a_key_derived_meanwhile_for_another_passphrase_is_not_used(record_file: Path) -> None:
    # The caller's passphrase decides: a key begun for another one is derived afresh.
    other = cipher.KeyInProgress.start(OTHER_PASSPHRASE, record_file)
    with Vault.open(record_file, PASSPHRASE, deriving=other) as vault:
        assert vault.meta().school_name == SCHOOL
    other = cipher.KeyInProgress.start(PASSPHRASE, record_file)
    with pytest.raises(CannotUnlock):
        Vault.open(record_file, OTHER_PASSPHRASE, deriving=other)


def test_a_command_that_writes_after_a_rollback_leaves_verify_failing(
    demo_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], cli_passphrase: None
) -> None:
    # The fault trial's steps: a page put back from an older copy, an import, then verify.
    from sendesk import upn
    from tests.cli_support import run

    rows = tmp_path / "new.csv"
    new_upn = upn.with_check_letter("886241799001")
    rows.write_text(
        "Surname,Forename,Date of Birth,Sex,NC Year,Class,SEN Provision,SEN Need Type 1,UPN\n"
        f"Adeyemi,Tobi,01/02/2017,M,Y4,4Q,SEN Support,SLCN,{new_upn}\n",
        encoding="utf-8",
    )
    checked = 0
    for copy in rolled_back_copies(demo_file, tmp_path):
        vault = _opened(copy)
        if vault is None:
            continue
        vault.close()  # nothing written: the file is as it was
        code, _, err = run(capsys, "import", str(copy), str(rows))
        assert code == 0, err
        code, _, err = run(capsys, "verify", str(copy))
        assert code == 4 and "rollback" in err, (copy.name, err)
        checked += 1
    assert checked


def test_a_file_the_open_check_could_not_read_is_never_sealed_unchecked(
    record_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A drive gone while the pages were hashed: the writes that would clear the seal fail, again
    # and again, and closing still lets the file go (the lock released) without a fresh digest.
    def unreadable(path: Path) -> int:
        raise OSError(5, "Input/output error")

    key = cipher.RawKey.derive(PASSPHRASE, cipher.read_salt(record_file))
    conn = cipher.connect(record_file, key)
    sealed = seal.recorded(conn)
    conn.close()
    monkeypatch.setattr(seal, "digest", unreadable)
    vault = Vault.open(record_file, PASSPHRASE)
    for _ in range(2):
        with pytest.raises(OSError, match="Input/output"):
            pupils.create(vault.sessions, pupils.PupilDetails("Okafor", "Chidi"))
    vault.close()
    monkeypatch.undo()
    with Vault.open(record_file, PASSPHRASE) as again:  # the lock was released
        assert pupils.list_register(again.sessions) == []
    conn = cipher.connect(record_file, key)
    try:
        assert seal.recorded(conn) == sealed
    finally:
        conn.close()


def test_a_first_write_waits_for_the_open_check_before_it_takes_the_write_lock(
    record_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Waiting at commit would hold the write lock all through the hash, and another writer
    # would fail after SQLite's 5 seconds; waited for before the first change, none is held.
    import threading

    release, asked = threading.Event(), threading.Event()
    real_digest, real_answer = seal.digest, seal.OpenCheck.answer

    def slow(path: Path) -> int:
        release.wait(60)
        return real_digest(path)

    def answer(self: seal.OpenCheck) -> str | None:
        asked.set()
        return real_answer(self)

    monkeypatch.setattr(seal, "digest", slow)
    monkeypatch.setattr(seal.OpenCheck, "answer", answer)
    vault = Vault.open(record_file, PASSPHRASE)
    try:
        writer = threading.Thread(
            target=pupils.create, args=(vault.sessions, pupils.PupilDetails("Okafor", "Chidi"))
        )
        writer.start()
        assert asked.wait(60)  # the writer is waiting for the check
        key = cipher.RawKey.derive(PASSPHRASE, cipher.read_salt(record_file))
        other = cipher.connect(record_file, key)
        try:
            other.execute("BEGIN IMMEDIATE")  # the write lock is free: the writer holds none
            other.execute("ROLLBACK")
        finally:
            other.close()
        release.set()
        writer.join(60)
        assert not writer.is_alive()
        assert [r.surname for r in pupils.list_register(vault.sessions)] == ["Okafor"]
    finally:
        release.set()
        vault.close()


def test_the_digest_leaves_out_sqlite_s_lock_byte_page(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import hashlib

    page = cipher.PAGE_SIZE
    monkeypatch.setattr(seal, "LOCK_PAGE", range(3 * page, 4 * page))  # 1 GiB in a real file
    path = tmp_path / "pages.bin"
    data = bytes(range(256)) * (6 * page // 256)
    path.write_bytes(data)
    expected = hashlib.sha256(data[page : 3 * page] + data[4 * page :]).digest()[:8]
    assert seal.digest(path) == int.from_bytes(expected, "big", signed=True)
    changed = bytearray(data)
    changed[3 * page + 10] ^= 1  # the lock page's bytes are never data
    path.write_bytes(bytes(changed))
    assert seal.digest(path) == int.from_bytes(expected, "big", signed=True)
