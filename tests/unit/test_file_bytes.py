"""Reading a record file's bytes beside SQLite (a digest, a backup's copy, the salt) never lets
go of a lock a connection of this process holds on it (POSIX drops every lock of a process on a
file when any descriptor of it is closed)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from sendesk import backup, cipher, file_bytes, seal
from sendesk.vault import Vault
from tests.conftest import PASSPHRASE

ROOT = Path(__file__).resolve().parents[2]

# Another process tries to write the file at once; exit 3 when it finds the file locked.
WRITER = """
import sys
from pathlib import Path
from sendesk import cipher
path = Path(sys.argv[1])
conn = cipher.connect(path, cipher.RawKey.derive(sys.argv[2], cipher.read_salt(path)))
conn.execute("PRAGMA busy_timeout = 100")
try:
    conn.execute("BEGIN IMMEDIATE")
    conn.execute("INSERT INTO app_setting (key, value_json) VALUES ('probe', '1')")
    conn.execute("COMMIT")
except cipher.DatabaseError as exc:
    sys.exit(3 if "locked" in str(exc) else 4)
sys.exit(0)
"""


def _another_process_writes(path: Path) -> int:
    done = subprocess.run(
        [sys.executable, "-c", WRITER, str(path), PASSPHRASE],
        cwd=ROOT, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode in (0, 3), done.stderr
    return done.returncode


@pytest.mark.parametrize(
    "read",
    [
        lambda path: seal.digest(path),
        lambda path: cipher.read_salt(path),
        lambda path: backup._copy_bytes(path, path.with_name("copy.bin")),
    ],
    ids=["digest", "salt", "copy"],
)
def test_reading_the_bytes_keeps_this_process_s_read_lock(record_file: Path, read: object) -> None:
    key = cipher.RawKey.derive(PASSPHRASE, cipher.read_salt(record_file))
    conn = cipher.connect(record_file, key)
    try:
        conn.execute("BEGIN")
        conn.execute("SELECT count(*) FROM pupil").fetchone()  # the read lock, held from here
        assert _another_process_writes(record_file) == 3  # the test itself can fail
        read(record_file)  # type: ignore[operator]
        assert _another_process_writes(record_file) == 3  # the lock is still held
        conn.execute("COMMIT")
    finally:
        conn.close()
    file_bytes.release(record_file)
    assert _another_process_writes(record_file) == 0  # and let go of at the end


def test_a_vault_that_closes_lets_its_reader_go(record_file: Path) -> None:
    with Vault.open(record_file, PASSPHRASE) as vault:
        vault.seal()  # reads the file's bytes
        assert file_bytes._KEPT or sys.platform == "win32"
    assert not any(
        key == (record_file.stat().st_dev, record_file.stat().st_ino) for key in file_bytes._KEPT
    )


def test_every_connection_overwrites_what_a_change_frees(record_file: Path) -> None:
    # A same-key backup is the file's own bytes, free space and all: an old version of a record
    # must not linger there, erasure or not.
    from sqlalchemy import text

    from sendesk import erasure

    with Vault.open(record_file, PASSPHRASE) as vault:
        with vault.reading() as conn:
            assert conn.execute("PRAGMA secure_delete").fetchone()[0] == 1
        with vault.sessions() as session, session.begin():
            assert session.execute(text("PRAGMA secure_delete")).scalar() == 1
            with erasure.overwriting_deletes(session):
                pass
            assert session.execute(text("PRAGMA secure_delete")).scalar() == 1  # left on


def _kept(path: Path) -> bool:
    st = path.stat()
    return (st.st_dev, st.st_ino) in file_bytes._KEPT


@pytest.mark.skipif(sys.platform == "win32", reason="Windows keeps no descriptor at all")
def test_no_descriptor_is_kept_for_a_file_no_longer_read(record_file: Path, tmp_path: Path) -> None:
    # A kept descriptor of a deleted backup would hold its disk space until the app quits.
    from sendesk import restore
    from sendesk.errors import CannotUnlock

    with Vault.open(record_file, PASSPHRASE) as vault:
        made = vault.backup_to(tmp_path / "b.sendesk")
        vault.automatic_backup("test")
        assert _kept(record_file)  # open: its reader stays
    assert not _kept(record_file) and not _kept(made)
    restore.check_backup(made, PASSPHRASE)
    assert not _kept(made)
    with pytest.raises(CannotUnlock):
        Vault.open(record_file, "not the passphrase at all")  # tries the automatic backups too
    assert not _kept(record_file)
    assert not any(_kept(p) for p in backup.automatic_backups(record_file))


@pytest.mark.skipif(sys.platform == "win32", reason="Windows keeps no descriptor at all")
def test_a_descriptor_is_let_go_when_its_file_was_renamed_over_meanwhile(
    record_file: Path, tmp_path: Path
) -> None:
    # A new passphrase or a restore renames a new file over the old: the old one's descriptor
    # must not keep its disk space (and its old ciphertext) until the app quits.
    seal.digest(record_file)
    old = record_file.stat()
    replacement = tmp_path / "new.bin"
    replacement.write_bytes(record_file.read_bytes())
    replacement.replace(record_file)
    file_bytes.release(record_file)
    assert (old.st_dev, old.st_ino) not in file_bytes._KEPT
