"""Verified backups and the rolling automatic backups beside a file."""

from __future__ import annotations

from pathlib import Path

import pytest

from sendesk import backup, restore
from sendesk.errors import CannotUnlock, DamagedFile, FileProblem, MadeButNotAudited, SendeskError
from sendesk.services import files
from sendesk.vault import Vault
from tests.conftest import OTHER_PASSPHRASE, PASSPHRASE


def test_a_backup_is_a_complete_file_under_the_same_passphrase(
    demo_vault: Vault, tmp_path: Path
) -> None:
    before = files.info(demo_vault).counts
    dest = demo_vault.backup_to(tmp_path / "copy.sendesk")
    after = files.info(demo_vault).counts
    assert after["audit_event"] == before["audit_event"] + 1  # the backup is audited after it
    with Vault.open(dest, PASSPHRASE) as copy:
        assert files.info(copy).counts == before
        assert copy.meta().file_id == demo_vault.meta().file_id
    assert not list(tmp_path.glob(".*.tmp"))


def test_a_backup_with_its_own_passphrase(demo_vault: Vault, tmp_path: Path) -> None:
    dest = demo_vault.backup_to(tmp_path / "handover.sendesk", OTHER_PASSPHRASE)
    with pytest.raises(CannotUnlock):
        Vault.open(dest, PASSPHRASE)
    with Vault.open(dest, OTHER_PASSPHRASE) as copy:
        assert copy.verify() == []


def test_a_backup_never_overwrites(vault: Vault, tmp_path: Path) -> None:
    taken = tmp_path / "taken.sendesk"
    taken.write_bytes(b"precious")
    with pytest.raises(FileProblem, match="already exists"):
        vault.backup_to(taken)
    assert taken.read_bytes() == b"precious"


def test_rotation_never_touches_another_files_backups(vault: Vault, record_file: Path) -> None:
    other = record_file.with_name(record_file.stem + "-2025.sendesk")
    other.write_bytes(record_file.read_bytes())
    with Vault.open(other, PASSPHRASE) as other_vault:
        theirs = [other_vault.automatic_backup("theirs") for _ in range(3)]
    for i in range(11):
        vault.automatic_backup(f"ours {i}")
    assert all(p.exists() for p in theirs)
    assert len(backup.automatic_backups(record_file)) == 10
    assert backup.automatic_backups(other) == theirs


def test_automatic_backups_keep_the_newest_ten(vault: Vault, record_file: Path) -> None:
    made = [vault.automatic_backup(f"test {i}") for i in range(12)]
    kept = backup.automatic_backups(record_file)
    assert kept == made[-10:]
    assert all(p.parent.name == "backups" for p in kept)


def test_a_backup_whose_audit_row_cannot_be_written_is_still_called_made(
    vault: Vault,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    import sqlcipher3

    from sendesk import cli

    def busy(*args: object, **kwargs: object) -> None:
        raise sqlcipher3.OperationalError("database is locked")  # as the INSERT would say

    dest = tmp_path / "copy.sendesk"
    with monkeypatch.context() as patched:
        patched.setattr(backup, "audit", busy)
        with pytest.raises(MadeButNotAudited) as caught:
            vault.backup_to(dest)
    assert caught.value.path == dest
    assert "was made and verified" in caught.value.message and "in use" in caught.value.message
    restore.check_backup(dest, PASSPHRASE)  # whole, and usable

    # The command line reports it as made (exit 0), never as a failure.
    vault.close()
    monkeypatch.setenv("SENDESK_PASSPHRASE", PASSPHRASE)
    monkeypatch.setattr(backup, "audit", busy)
    second = tmp_path / "second.sendesk"
    assert cli.main(["backup", str(vault.path), "--out", str(second)]) == 0
    err = capsys.readouterr().err
    assert "was made and verified" in err and "could not record" in err
    assert second.exists()


def test_rotation_keeps_history_by_time_over_a_simulated_month_of_locks() -> None:
    import datetime as dt
    import random

    rng = random.Random(12)
    start = dt.datetime(2026, 9, 1, 8, 0)
    kept: set[dt.datetime] = set()
    made_on_days: set[dt.date] = set()
    locks = backups = 0
    for day in range(60):
        for lock in range(rng.randint(5, 30)):  # a school day of idle locks
            now = start + dt.timedelta(days=day, minutes=17 * lock)
            locks += 1
            if rng.random() < 0.4:  # only a lock after a change makes a backup
                kept = backup.to_keep([*kept, now], now)
                backups += 1
                made_on_days.add(now.date())
    now = max(kept)
    assert len(kept) <= backup.KEEP_AUTOMATIC + backup.KEEP_DAILY_DAYS + backup.KEEP_WEEKLY_WEEKS
    # Every day of the last month that had a backup still has one, however many locks followed.
    recent = {
        d for d in made_on_days if now - dt.datetime.combine(d, dt.time()) <= dt.timedelta(days=30)
    }
    assert recent <= {k.date() for k in kept}
    # Every week of the two months still has a copy: the first week's is not rotated out.
    assert {d.isocalendar()[:2] for d in made_on_days} <= {k.isocalendar()[:2] for k in kept}
    assert now - min(kept) > dt.timedelta(days=50)
    assert backups > 10 * backup.KEEP_AUTOMATIC  # far more than a count alone would keep


def test_the_newest_ten_are_kept_even_within_one_minute() -> None:
    import datetime as dt

    now = dt.datetime(2026, 9, 1, 8, 0)
    made = [now - dt.timedelta(seconds=s) for s in range(25)]
    kept = backup.to_keep(made, now)
    assert sorted(made, reverse=True)[:10] == sorted(kept, reverse=True)[:10]
    assert len(kept) == 10  # one day, one week: the newest ten cover both


def test_a_backup_older_than_a_year_is_let_go() -> None:
    import datetime as dt

    now = dt.datetime(2026, 9, 1)
    old = now - dt.timedelta(weeks=60)
    made = [old, *(now - dt.timedelta(hours=h) for h in range(10))]
    assert old not in backup.to_keep(made, now)
    assert old in backup.to_keep(made[:5], now)  # one of the newest ten: kept whatever its age


def test_the_backup_s_plain_audit_row_is_the_one_the_model_writes(
    vault: Vault, tmp_path: Path
) -> None:
    # The backup writes its audit event without the ORM; the ORM reads it back as its own.
    import datetime as dt

    from sqlalchemy import select

    from sendesk.models import AuditEvent

    before = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    vault.backup_to(tmp_path / "copy.sendesk")
    with vault.sessions() as session:
        event = session.execute(select(AuditEvent).order_by(AuditEvent.id.desc())).scalars().first()
    assert event is not None
    assert (event.action, event.summary) == ("file.backup", "Backup made with the same passphrase")
    assert event.pupil_uuid is None and event.actor is None
    assert isinstance(event.at, dt.datetime) and before <= event.at <= before.replace(
        year=before.year + 1
    )
    # The write unsealed the file in its own transaction; closing seals it again, so the
    # rollback check finds nothing at the next open.
    path = vault.path
    vault.close()
    with Vault.open(path, PASSPHRASE) as again:
        assert again.verify() == []


def test_a_backup_of_a_read_only_view_is_made_but_reported_unaudited(
    demo_file: Path, tmp_path: Path
) -> None:
    with Vault.open(demo_file, PASSPHRASE, read_only=True) as view:
        before = files.info(view).counts["audit_event"]
        with pytest.raises(MadeButNotAudited, match="read-only"):
            view.backup_to(tmp_path / "copy.sendesk")
        assert files.info(view).counts["audit_event"] == before
    restore.check_backup(tmp_path / "copy.sendesk", PASSPHRASE)


def test_the_copy_s_checks_run_together_find_what_the_checks_one_by_one_find(
    demo_file: Path, tmp_path: Path
) -> None:
    # The backup checks its copy on three connections at once; the verdict must be the same
    # as the plain sequential checks, for a sound file and for damaged ones.
    import random

    from sendesk import cipher

    key = cipher.RawKey.derive(PASSPHRASE, cipher.read_salt(demo_file))
    data = demo_file.read_bytes()
    rng = random.Random(3)
    pages = len(data) // cipher.PAGE_SIZE
    cases = [data]
    for _ in range(4):
        changed = bytearray(data)
        changed[rng.randrange(2, pages) * cipher.PAGE_SIZE + rng.randrange(cipher.PAGE_SIZE)] ^= 8
        cases.append(bytes(changed))
    verdicts = []
    for n, content in enumerate(cases):
        copy = tmp_path / f"case{n}.sendesk"
        copy.write_bytes(content)
        answers = []
        for check in (cipher.integrity_problems, lambda c, p=copy: cipher.copy_problems(c, p, key)):
            try:
                conn = cipher.connect(copy, key)
                try:
                    answers.append(("found", bool(check(conn))))
                finally:
                    conn.close()
            except (cipher.DatabaseError, DamagedFile):
                answers.append(("unreadable", True))
        # The verdict, damaged or not: one may raise on a page the other reports as a problem.
        assert answers[0][1] == answers[1][1], (n, answers)
        verdicts.append(answers[0][1])
    assert verdicts[0] is False and all(verdicts[1:])  # sound, then every damaged one caught


def test_a_backup_and_a_restored_file_carry_their_own_seal(demo_file: Path, tmp_path: Path) -> None:
    # The copy's digest is worked out while its pages are checked and recorded after: what is
    # recorded must be the digest of the pages as they lie on disk, in a backup (same key or
    # its own) and in a restored file (which gains its audit row first).
    from sendesk import cipher, seal

    def sealed_as_it_lies(path: Path, passphrase: str) -> bool:
        conn = cipher.connect(path, cipher.RawKey.derive(passphrase, cipher.read_salt(path)))
        try:
            recorded = seal.recorded(conn)
        finally:
            conn.close()
        return recorded not in (seal.UNSEALED, None) and recorded == seal.digest(path)

    with Vault.open(demo_file, PASSPHRASE) as vault:
        same = vault.backup_to(tmp_path / "same.sendesk")
        own = vault.backup_to(tmp_path / "own.sendesk", OTHER_PASSPHRASE)
    restored = restore.restore(same, PASSPHRASE, tmp_path / "restored.sendesk").path
    assert sealed_as_it_lies(same, PASSPHRASE) and sealed_as_it_lies(own, OTHER_PASSPHRASE)
    assert sealed_as_it_lies(restored, PASSPHRASE)
    with Vault.open(restored, PASSPHRASE) as again:
        assert again.verify() == []


def _count_waits(monkeypatch: pytest.MonkeyPatch, *modules: object) -> list[str]:
    """Each wait for a thread's work (`Meanwhile.result`) in `modules`, as it happens."""
    waited: list[str] = []
    real = backup.Meanwhile

    class Watched(real):  # type: ignore[misc, valid-type]
        def result(self) -> object:
            waited.append("waited")
            return super().result()

    for module in modules:
        monkeypatch.setattr(module, "Meanwhile", Watched)
    return waited


def test_a_copy_that_fails_its_check_is_removed_only_after_its_hashing_is_done(
    demo_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The seal's digest of the copy is worked out on a thread that holds the copy open; on
    # Windows an open file cannot be deleted, so a failed copy would stay behind as a hidden
    # temporary. The failure must wait for the hashing first (and likewise for the source's).
    # A backup under its own passphrase is an export, checked as a new file.
    from sendesk import cipher, seal

    waited = _count_waits(monkeypatch, backup, seal)

    def fails(*_args: object) -> None:
        raise DamagedFile("The backup copy failed its integrity check.", ["made to fail"])

    monkeypatch.setattr(backup, "verify_copy", fails)
    out = tmp_path / "backups"
    out.mkdir()
    with Vault.open(demo_file, PASSPHRASE) as vault:
        vault.seal()  # the open's own rollback check answered first: not counted here
        waited.clear()
        with pytest.raises(DamagedFile):
            vault.backup_to(out / "copy.sendesk", OTHER_PASSPHRASE)
        assert waited.count("waited") == 2  # the source's digest, then the copy's
    assert list(out.iterdir()) == []  # no copy, no temporary
    # The source's hashing is waited for too when the export itself fails.
    monkeypatch.setattr(cipher, "row_counts", lambda *_: (_ for _ in ()).throw(OSError(28, "full")))
    with Vault.open(demo_file, PASSPHRASE) as vault:
        vault.seal()
        waited.clear()
        with pytest.raises(SendeskError, match="full"):
            vault.backup_to(out / "again.sendesk", OTHER_PASSPHRASE)
        assert waited == ["waited"]
    assert list(out.iterdir()) == []


def test_a_same_key_copy_that_fails_to_read_back_is_removed_after_its_threads(
    demo_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Under the same key the backup is the file's own bytes; its threads read the source and
    # the copy, so each is waited for before the copy is removed (Windows, as above).
    waited = _count_waits(monkeypatch, backup)
    monkeypatch.setattr(backup, "_first_page", lambda _path: b"another first page")
    out = tmp_path / "backups"
    out.mkdir()
    with Vault.open(demo_file, PASSPHRASE) as vault:
        vault.seal()
        with pytest.raises(DamagedFile, match="integrity check") as failed:
            vault.backup_to(out / "copy.sendesk")
    assert failed.value.problems == ["it did not read back as the file's own bytes"]
    assert waited.count("waited") == 2  # the source's digest, then the copy's
    assert list(out.iterdir()) == []


def test_a_same_key_backup_is_the_file_s_own_bytes(demo_file: Path, tmp_path: Path) -> None:
    with Vault.open(demo_file, PASSPHRASE) as vault:
        vault.seal()
        before = demo_file.read_bytes()
        dest = backup.make_backup(demo_file, vault._live_key(), tmp_path / "same.sendesk")
    assert dest.read_bytes() == before  # sealed already: not even its first page is rewritten


def test_the_copy_leaves_sqlite_s_lock_byte_page_as_zeros(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sendesk import cipher, seal

    page = cipher.PAGE_SIZE
    monkeypatch.setattr(seal, "LOCK_PAGE", range(3 * page, 4 * page))  # 1 GiB in a real file
    data = bytes(range(256)) * (6 * page // 256)
    (tmp_path / "pages.bin").write_bytes(data)
    first = backup._copy_bytes(tmp_path / "pages.bin", tmp_path / "copy.bin")
    assert first == data[:page]
    copied = (tmp_path / "copy.bin").read_bytes()
    assert copied == data[: 3 * page] + bytes(page) + data[4 * page :]
    assert seal.digest(tmp_path / "copy.bin") == seal.digest(tmp_path / "pages.bin")


def _break_an_index(path: Path) -> None:
    """Make the index on cycle.pupil_id claim another column: SQLite's full check then finds
    rows missing from it, while every row stays readable (the quick check passes). Done as a
    fault in a write would leave it: the file unsealed (else it reads as rolled back)."""
    from sendesk import cipher, seal

    conn = cipher.connect(path, cipher.RawKey.derive(PASSPHRASE, cipher.read_salt(path)))
    try:
        conn.execute("PRAGMA writable_schema = ON")
        conn.execute("BEGIN")
        seal.clear(conn)
        conn.execute(
            "UPDATE sqlite_master SET sql = 'CREATE INDEX ix_cycle_pupil_id ON cycle (stage)'"
            " WHERE name = 'ix_cycle_pupil_id'"
        )
        conn.execute("COMMIT")
    finally:
        conn.close()


@pytest.mark.parametrize("own_passphrase", [False, True])
def test_a_file_that_fails_the_full_check_is_not_copied_and_nothing_is_written_to_it(
    demo_file: Path, tmp_path: Path, own_passphrase: bool
) -> None:
    # Every row still reads: only SQLite's full check finds the fault, which a copy would carry
    # (the same-key copy is the file's bytes; an export copies an index's pages as they are).
    from sendesk import cipher

    _break_an_index(demo_file)
    with Vault.open(demo_file, PASSPHRASE) as vault:
        assert any("ix_cycle_pupil_id" in p for p in vault.verify())
        with vault.reading() as conn:
            events = cipher.row_counts(conn)["audit_event"]  # every table reads
        # Under the same key the file's own bytes fail first, then an export: the file is at
        # fault. Under its own passphrase only the export's copy is checked.
        said = "copy failed its integrity" if own_passphrase else "so it was not copied"
        with pytest.raises(DamagedFile, match=said) as failed:
            vault.backup_to(tmp_path / "b.sendesk", OTHER_PASSPHRASE if own_passphrase else None)
    assert any("ix_cycle_pupil_id" in p for p in failed.value.problems)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["demo.sendesk"]  # no copy, no temporary
    with Vault.open(demo_file, PASSPHRASE) as again, again.reading() as conn:
        assert cipher.row_counts(conn)["audit_event"] == events  # nothing written to it


def test_the_command_line_says_a_damaged_file_was_not_copied(
    demo_file: Path, tmp_path: Path, cli_passphrase: None, capsys: pytest.CaptureFixture[str]
) -> None:
    from sendesk import cli

    _break_an_index(demo_file)
    code = cli.main(["backup", str(demo_file), "--out", str(tmp_path / "b.sendesk")])
    err = capsys.readouterr().err
    assert code == 4
    assert "failed its integrity check, so it was not copied" in err and "ix_cycle_pupil_id" in err
    assert not (tmp_path / "b.sendesk").exists()


def test_a_copy_whose_salt_is_not_the_key_s_is_refused(record_file: Path, tmp_path: Path) -> None:
    # SQLCipher's checks do not cover the salt; the passphrase would not open such a copy.
    from sendesk import cipher

    key = cipher.RawKey.derive(PASSPHRASE, cipher.read_salt(record_file))
    with Vault.open(record_file, PASSPHRASE) as vault:
        vault.seal()
    data = bytearray(record_file.read_bytes())
    data[0] ^= 1
    record_file.write_bytes(bytes(data))
    with pytest.raises(DamagedFile, match="start of its first page is damaged"):
        backup.make_backup(record_file, key, tmp_path / "b.sendesk")
    assert not (tmp_path / "b.sendesk").exists()


def test_a_file_whose_own_bytes_fail_but_whose_export_passes_still_gets_its_backup(
    record_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Faults an export leaves behind (free pages lost track of) fail the byte copy's checks; the
    # export made instead passes, and is the backup.
    from sendesk import cipher

    real = cipher.copy_problems
    calls: list[Path] = []

    def first_fails(conn: object, path: Path, key: object) -> list[str]:
        calls.append(path)
        return ["Page 7: never used"] if len(calls) == 1 else real(conn, path, key)  # type: ignore[arg-type]

    monkeypatch.setattr(cipher, "copy_problems", first_fails)
    with Vault.open(record_file, PASSPHRASE) as vault:
        dest = vault.backup_to(tmp_path / "b.sendesk")
    assert len(calls) == 2
    monkeypatch.undo()
    with Vault.open(dest, PASSPHRASE) as copy:
        assert copy.verify() == []


def test_a_backup_by_hand_is_offered_a_name_of_its_minute_and_a_free_one(tmp_path: Path) -> None:
    import datetime as dt

    record = tmp_path / "school.sendesk"
    at = dt.datetime(2026, 12, 3, 15, 30)
    first = backup.suggested_backup(record, at)
    assert first.name == "school-backup-2026-12-03-1530.sendesk"
    first.write_bytes(b"")
    assert backup.suggested_backup(record, at).name == "school-backup-2026-12-03-1530-2.sendesk"
    assert backup.suggested_backup(record, at + dt.timedelta(days=7)).name.startswith(
        "school-backup-2026-12-10"
    )


def test_a_school_s_name_as_a_file_name_keeps_its_letters_and_one_dash_between() -> None:
    assert backup.name_for("Oakfield Primary School (demo)") == "Oakfield-Primary-School-demo"
    assert backup.name_for("St Aidan's CE Primary") == "St-Aidan-s-CE-Primary"
    assert backup.name_for("Ysgol Gynradd Glan Ŵy") == "Ysgol-Gynradd-Glan-Ŵy"
    assert backup.name_for("***") == "school"
