"""Proof under faults: SIGKILL at random moments and writes that fail part-way (RLIMIT_FSIZE).

For committed transactions: the file always opens, passes both integrity checks and has every
number whose commit returned. For backup, restore and passphrase change: the original is
byte-identical afterwards (or the operation finished completely), the user gets a plain message,
and no temporary file is left behind.
"""

from __future__ import annotations

import contextlib
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from sendesk import backup, cipher
from sendesk import restore as restoring
from sendesk.filelock import WriteLock
from sendesk.vault import Vault
from tests.conftest import OTHER_PASSPHRASE, PASSPHRASE
from tests.keys import cached_key

pytestmark = pytest.mark.skipif(
    os.name == "nt",
    reason="POSIX only: these tests need fork(), SIGKILL and RLIMIT_FSIZE, which Windows lacks",
)

ROOT = Path(__file__).resolve().parents[2]
COMMIT_KILLS = 160
OPERATION_KILLS = 14  # for each of backup, restore and passphrase change


class Helper:
    """The long-lived child of `fault_child.py`, forking one worker per request."""

    def __init__(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tests.unit.fault_child"],
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
        )

    def start(self, request: dict[str, Any]) -> int:
        assert self.process.stdin and self.process.stdout
        self.process.stdin.write(json.dumps(request) + "\n")
        self.process.stdin.flush()
        return int(json.loads(self.process.stdout.readline())["pid"])

    def finish(self) -> dict[str, Any]:
        assert self.process.stdout
        line = self.process.stdout.readline()
        assert line, "the fault helper died"
        result: dict[str, Any] = json.loads(line)
        return result

    def run(
        self,
        request: dict[str, Any],
        kill_after: float | None = None,
        *,
        after_commits: int = 0,
    ) -> dict[str, Any]:
        """Run one request; with `kill_after`, SIGKILL the worker that long after it has
        reported `after_commits` commits (counted, so a loaded machine still gets commits)."""
        progress = Path(request["progress"]) if request.get("progress") else None
        if progress is not None:
            progress.write_bytes(b"")
        pid = self.start(request)
        if kill_after is not None:
            if progress is not None:
                wait_for_commits(pid, progress, after_commits)
            time.sleep(kill_after)
            with contextlib.suppress(ProcessLookupError):  # it had finished already
                os.kill(pid, signal.SIGKILL)
        return self.finish()

    def close(self) -> None:
        assert self.process.stdin and self.process.stdout
        self.process.stdin.close()
        self.process.wait(timeout=30)
        self.process.stdout.close()


def wait_for_commits(pid: int, progress: Path, count: int) -> None:
    """Until the worker has reported `count` commits, or has died."""
    while progress.stat().st_size < count:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.001)


@pytest.fixture
def helper() -> Iterator[Helper]:
    h = Helper()
    yield h
    h.close()


def temporaries(folder: Path) -> list[str]:
    # SENDesk's own temporary files (and their journals) are hidden: ".name.PID-HEX.tmp".
    found = [p.name for p in folder.iterdir() if p.name.startswith(".")]
    if backup.backup_folder(folder / "x").is_dir():
        found += temporaries(backup.backup_folder(folder / "x"))
    return found


def sound(path: Path, passphrase: str) -> bool:
    """Opens with the passphrase and passes every check."""
    try:
        key = cached_key(path, passphrase)
        restoring.check_backup_key(path, key)
    except Exception:
        return False
    return True


# --- committed transactions -----------------------------------------------------------------


@pytest.mark.slow
def test_sigkill_never_loses_a_committed_transaction(helper: Helper, record_file: Path) -> None:
    key = cached_key(record_file, PASSPHRASE)
    request = {
        "op": "commits",
        "path": str(record_file),
        "key": key.key.hex(),
        "salt": key.salt.hex(),
        "progress": str(record_file.with_name("progress")),
    }
    rng = random.Random(2024)
    journal = record_file.with_name(record_file.name + "-journal")
    promised = 0
    hot_journals = 0
    for _ in range(COMMIT_KILLS):
        # Some kills before the first commit, most between or inside later ones.
        commits = rng.randint(0, 3)
        result = helper.run(request, kill_after=rng.uniform(0.0, 0.02), after_commits=commits)
        assert result["signal"] == signal.SIGKILL, result["output"]
        printed = [int(n) for n in result["output"].split()]
        promised = max([promised, *printed])
        hot_journals += journal.exists()
        conn = cipher.connect(record_file, key)  # rolls back what a killed commit left
        try:
            cipher.probe(conn)
            assert cipher.integrity_problems(conn) == []
            numbers = [
                int(v)
                for (v,) in conn.execute(
                    "SELECT value_json FROM app_setting WHERE key LIKE 'n-%'"
                ).fetchall()
            ]
        finally:
            conn.close()
        assert sorted(numbers) == list(range(1, len(numbers) + 1)), "a gap in the numbers"
        assert len(numbers) >= promised, "a committed number is missing"
    assert promised > COMMIT_KILLS // 8  # the workers did commit between the kills
    with Vault.open(record_file, PASSPHRASE) as vault:
        assert vault.verify() == []
    print(f"{COMMIT_KILLS} kills, {promised} commits, {hot_journals} hot journals rolled back")


# --- backup, restore and passphrase change --------------------------------------------------


def cli(argv: list[str], **env: str) -> dict[str, Any]:
    return {"op": "cli", "argv": argv, "env": {"SENDESK_PASSPHRASE": PASSPHRASE, **env}}


def plain_message(result: dict[str, Any]) -> str:
    output = str(result["output"])
    assert result["exit"] == 2, output  # bad input / cannot write, never "unexpected"
    assert "could not be written" in output and "Nothing was changed" in output, output
    assert "Traceback" not in output
    return output


def test_backup_on_a_full_disk(helper: Helper, demo_file: Path, tmp_path: Path) -> None:
    # A backup leaves out the file's free pages, so it can be smaller than the file: the last
    # limit is one page short of a real backup, not of the file.
    (tmp_path / "reference").mkdir()
    with Vault.open(demo_file, PASSPHRASE) as vault:
        reference = vault.backup_to(tmp_path / "reference" / "full.sendesk")
    full = reference.stat().st_size
    shutil.rmtree(reference.parent)
    original = demo_file.read_bytes()
    dest = tmp_path / "copy.sendesk"
    for limit in (8192, len(original) // 2, full - 4096):
        result = helper.run({**cli(["backup", str(demo_file), "--out", str(dest)]), "fsize": limit})
        plain_message(result)
        assert demo_file.read_bytes() == original
        assert not dest.exists()
        assert temporaries(tmp_path) == []


def test_restore_on_a_full_disk(
    helper: Helper, demo_file: Path, record_file: Path, tmp_path: Path
) -> None:
    with Vault.open(record_file, PASSPHRASE) as vault:  # small: restoring it fits the limit
        small = vault.backup_to(tmp_path / "small-backup.sendesk")
    with Vault.open(demo_file, PASSPHRASE) as vault:
        big = vault.backup_to(tmp_path / "big-backup.sendesk")
    target = tmp_path / "target.sendesk"
    shutil.copyfile(demo_file, target)
    original = target.read_bytes()
    cases = [
        (big, 8192),  # the restored copy cannot be written
        (big, len(original) // 2),
        (small, small.stat().st_size + 8192),  # the copy of the replaced file cannot be
    ]
    for source, limit in cases:
        argv = ["restore", str(source), "--to", str(target), "--replace"]
        result = helper.run({**cli(argv), "fsize": limit})
        plain_message(result)
        assert target.read_bytes() == original
        assert temporaries(tmp_path) == []
        assert list(backup.backup_folder(target).glob("target-*")) == []


def test_passphrase_change_on_a_full_disk(helper: Helper, demo_file: Path, tmp_path: Path) -> None:
    original = demo_file.read_bytes()
    argv = ["passwd", str(demo_file)]
    for limit in (8192, len(original) // 2):
        result = helper.run({**cli(argv, SENDESK_NEW_PASSPHRASE=OTHER_PASSPHRASE), "fsize": limit})
        plain_message(result)
        assert demo_file.read_bytes() == original
        assert backup.automatic_backups(demo_file) == []  # nothing half-made was kept
        assert temporaries(tmp_path) == []


def kill_points(helper: Helper, request: dict[str, Any], reset: Any) -> Iterator[float]:
    """Random moments within one uninterrupted run of the operation."""
    started = time.perf_counter()
    result = helper.run(request)
    took = time.perf_counter() - started
    assert result["exit"] == 0, result["output"]
    reset()
    rng = random.Random(7)
    for _ in range(OPERATION_KILLS):
        yield rng.uniform(0.0, took)


def after_kill(folder: Path) -> None:
    """What the next run does first: tidy away a killed process's temporary files."""
    backup.sweep_temporaries(folder)
    backup.sweep_temporaries(backup.backup_folder(folder / "x"))
    for record in folder.glob("*.sendesk"):
        WriteLock.acquire(record).release()  # the killed process's lock is stale: taken over
    assert temporaries(folder) == []


@pytest.mark.slow
def test_backup_killed_at_random_moments(helper: Helper, demo_file: Path, tmp_path: Path) -> None:
    original = demo_file.read_bytes()
    dest = tmp_path / "copy.sendesk"

    def reset() -> None:
        dest.unlink(missing_ok=True)
        demo_file.write_bytes(original)

    request = cli(["backup", str(demo_file), "--out", str(dest)])
    for moment in kill_points(helper, request, reset):
        result = helper.run(request, kill_after=moment)
        if dest.exists():  # finished: a complete backup; the source has its audit entry
            assert sound(dest, PASSPHRASE)
            assert sound(demo_file, PASSPHRASE)
        else:
            assert result["signal"] == signal.SIGKILL
            assert demo_file.read_bytes() == original
        after_kill(tmp_path)
        reset()


@pytest.mark.slow
def test_restore_killed_at_random_moments(
    helper: Helper, demo_file: Path, record_file: Path, tmp_path: Path
) -> None:
    with Vault.open(demo_file, PASSPHRASE) as vault:
        source = vault.backup_to(tmp_path / "backup.sendesk", OTHER_PASSPHRASE)
    target = record_file
    original = target.read_bytes()
    kept = backup.backup_folder(target)

    def reset() -> None:
        target.write_bytes(original)
        shutil.rmtree(kept, ignore_errors=True)

    request = cli(["restore", str(source), "--to", str(target), "--replace"])
    request["env"]["SENDESK_PASSPHRASE"] = OTHER_PASSPHRASE
    for moment in kill_points(helper, request, reset):
        result = helper.run(request, kill_after=moment)
        if target.read_bytes() == original:
            assert result["signal"] == signal.SIGKILL
        else:  # replaced: the restored file is whole and the old one is kept
            assert sound(target, OTHER_PASSPHRASE)
            [copy] = kept.glob("school-replaced-*")
            assert copy.read_bytes() == original
        for copy in kept.glob("school-replaced-*") if kept.is_dir() else []:
            assert copy.read_bytes() == original  # a kept copy is never partial
        after_kill(tmp_path)
        reset()


@pytest.mark.slow
def test_passphrase_change_killed_at_random_moments(
    helper: Helper, demo_file: Path, tmp_path: Path
) -> None:
    original = demo_file.read_bytes()

    def reset() -> None:
        demo_file.write_bytes(original)
        shutil.rmtree(backup.backup_folder(demo_file), ignore_errors=True)

    request = cli(["passwd", str(demo_file)], SENDESK_NEW_PASSPHRASE=OTHER_PASSPHRASE)
    for moment in kill_points(helper, request, reset):
        result = helper.run(request, kill_after=moment)
        if demo_file.read_bytes() != original:  # changed: whole, under the new passphrase
            assert sound(demo_file, OTHER_PASSPHRASE)
        else:
            assert result["signal"] == signal.SIGKILL
        for made in backup.automatic_backups(demo_file):  # finished backups only
            assert sound(made, PASSPHRASE)
        after_kill(tmp_path)
        reset()


# --- one answer to a full disk, for every command --------------------------------------------


def test_transfer_on_a_full_disk_is_exit_two_with_a_sentence(
    helper: Helper, demo_file: Path, tmp_path: Path
) -> None:
    from tests.conftest import OTHER_PASSPHRASE as TRANSFER

    with Vault.open(demo_file, PASSPHRASE) as vault:
        upn = (
            vault.engine.connect()
            .exec_driver_sql("SELECT upn FROM pupil WHERE upn IS NOT NULL LIMIT 1")
            .scalar_one()
        )
    original = demo_file.read_bytes()
    out = tmp_path / "out" / "moving.sendesk"
    out.parent.mkdir()
    argv = ["transfer", str(demo_file), "--pupil", str(upn), "--out", str(out)]
    argv += ["--no-evidence-pack"]
    result = helper.run({**cli(argv, SENDESK_TRANSFER_PASSPHRASE=TRANSFER), "fsize": 8192})
    plain_message(result)
    assert demo_file.read_bytes() == original
    assert list(out.parent.iterdir()) == []


def test_import_on_a_full_disk_is_exit_two_with_a_sentence(
    helper: Helper, record_file: Path, tmp_path: Path
) -> None:
    rows = ["UPN,Legal Surname,Legal Forename,DOB,Gender,NC Year Actual"]
    rows += [f"A{n:012d},Surname{n},Forename{n},01/01/2015,F,5" for n in range(3000)]
    csv = tmp_path / "mis.csv"
    csv.write_text("\n".join(rows) + "\n", encoding="utf-8")
    original = record_file.read_bytes()
    result = helper.run(
        {**cli(["import", str(record_file), str(csv)]), "fsize": len(original) + 8192}
    )
    output = str(result["output"])
    assert result["exit"] == 2, output
    assert "full" in output and "Nothing was changed" in output, output
    assert "unexpected" not in output
    with Vault.open(record_file, PASSPHRASE) as vault:
        assert vault.verify() == []


# --- output never destroys what was there -------------------------------------------------------


def test_the_atomic_writer_refuses_an_existing_file_a_link_a_folder_and_a_device(
    tmp_path: Path,
) -> None:
    from sendesk import atomic
    from sendesk.errors import FileProblem

    existing = tmp_path / "plan.pdf"
    existing.write_bytes(b"the SENCo's own file")
    with pytest.raises(FileProblem, match="already exists"):
        atomic.write(existing, b"new")
    assert existing.read_bytes() == b"the SENCo's own file"
    atomic.write(existing, b"new", overwrite=True)
    assert existing.read_bytes() == b"new"

    outside = tmp_path / "elsewhere.txt"
    outside.write_bytes(b"not SENDesk's")
    link = tmp_path / "link.pdf"
    link.symlink_to(outside)
    for overwrite in (False, True):
        with pytest.raises(FileProblem, match="link"):
            atomic.write(link, b"plaintext", overwrite=overwrite)
    assert outside.read_bytes() == b"not SENDesk's" and link.is_symlink()

    with pytest.raises(FileProblem, match="folder"):
        atomic.write(tmp_path, b"x", overwrite=True)
    fifo = tmp_path / "pipe.pdf"
    os.mkfifo(fifo)
    with pytest.raises(FileProblem, match="not an ordinary file"):
        atomic.write(fifo, b"x", overwrite=True)
    if Path("/dev/full").exists():
        with pytest.raises(FileProblem, match="not an ordinary file"):
            atomic.write(Path("/dev/full"), b"x", overwrite=True)
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


def test_a_write_that_fails_part_way_leaves_the_old_file_and_no_partial(tmp_path: Path) -> None:
    from sendesk import atomic

    target = tmp_path / "census.csv"
    target.write_bytes(b"yesterday's census")

    def fails(handle: Any) -> None:
        handle.write(b"half of today's")
        raise OSError(28, "No space left on device")

    from sendesk.errors import DiskFull

    with pytest.raises(DiskFull, match="disk is full"):
        atomic.write(target, fails, overwrite=True)
    assert target.read_bytes() == b"yesterday's census"
    assert [p.name for p in tmp_path.iterdir()] == ["census.csv"]


def test_a_killed_exports_plaintext_partials_are_swept(
    tmp_path: Path, record_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sendesk import atomic, paths

    monkeypatch.setattr(paths, "log_folder", lambda: tmp_path / "logs")
    exports = tmp_path / "exports"
    exports.mkdir()
    atomic.remember(exports)  # a write was under way there when SENDesk was killed
    dead = 2**22 + 12345  # beyond any live process id here
    partials = [
        exports / f".passport1.pdf.{dead}-0badc0de.part",
        exports / f".sar1.zip.{dead}-0badc0de.tmp",
        exports / ".passport2.pdf.part",  # an earlier SENDesk's name: by age
    ]
    for p in partials:
        p.write_bytes(b"Zoe Bronte, medical: asthma")
    old = time.time() - 3600
    os.utime(partials[2], (old, old))
    alive = exports / f".other.pdf.{os.getpid()}-0badc0de.part"  # a write under way: kept
    alive.write_bytes(b"in progress")
    Vault.open(record_file, PASSPHRASE).close()  # the next start sweeps where it wrote before
    assert [p for p in partials if p.exists()] == []
    assert alive.exists()

    for p in partials[:2]:
        p.write_bytes(b"again")
    atomic.write(exports / "second.pdf", b"%PDF")  # and so does the next export there
    assert [p for p in partials if p.exists()] == []


def test_only_folders_with_a_write_under_way_are_noted(
    tmp_path: Path, record_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A folder's name can carry a pupil's ("SAR Peter Adams"): kept outside the encrypted file
    # only while a write there is under way, readable by this user alone.
    from sendesk import atomic, paths

    logs = tmp_path / "logs"
    monkeypatch.setattr(paths, "log_folder", lambda: logs)
    named = tmp_path / "SAR Peter Adams"
    named.mkdir()
    atomic.write(named / "s.zip", b"PK")
    list(atomic.write_each([(named / "a.pdf", b"%PDF"), (named / "b.pdf", b"%PDF")]))
    assert not (logs / "written-folders.txt").exists()
    atomic.remember(named)  # as a write killed part-way leaves it
    note = logs / "written-folders.txt"
    assert "Peter Adams" in note.read_text(encoding="utf-8")
    if os.name == "posix":
        assert note.stat().st_mode & 0o077 == 0
    partial = named / f".d.pdf.{2**22 + 12345}-0badc0de.part"
    partial.write_bytes(b"Peter Adams, medical: asthma")
    Vault.open(record_file, PASSPHRASE).close()  # swept, and with nothing left there, forgotten
    assert not partial.exists() and not note.exists()


@pytest.mark.slow
def test_every_export_command_refuses_an_existing_target_unless_forced(
    demo_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> None:
    from tests.cli_support import run

    monkeypatch.setenv("SENDESK_PASSPHRASE", PASSPHRASE)
    with Vault.open(demo_file, PASSPHRASE) as vault:
        upn = str(
            vault.engine.connect()
            .exec_driver_sql("SELECT upn FROM pupil WHERE upn IS NOT NULL LIMIT 1")
            .scalar_one()
        )
    f = str(demo_file)
    cases = {
        "passport.pdf": ["passport", f, "--pupil", upn],
        "register.csv": ["register", f],
        "letter.pdf": ["letter", f, "--pupil", upn],
        "reviews.ics": ["reviews", f, "--ics"],
    }
    for name, argv in cases.items():
        target = tmp_path / name
        target.write_bytes(b"keep me")
        out = [*argv, str(target)] if argv[-1] == "--ics" else [*argv, "--out", str(target)]
        code, _, err = run(capsys, *out)
        assert code == 2 and "already exists" in err and "--force" in err, (name, err)
        assert target.read_bytes() == b"keep me"
        code, _, err = run(capsys, *out, "--force")
        assert code == 0, (name, err)
        assert target.read_bytes() != b"keep me"
        link = tmp_path / f"link-{name}"
        link.symlink_to(tmp_path / "keep.txt")
        (tmp_path / "keep.txt").write_bytes(b"outside")
        link_out = [*argv, str(link)] if argv[-1] == "--ics" else [*argv, "--out", str(link)]
        code, _, err = run(capsys, *link_out, "--force")
        assert code == 2 and "link" in err, (name, err)
        assert (tmp_path / "keep.txt").read_bytes() == b"outside"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


# --- hostile input ------------------------------------------------------------------------------


@pytest.mark.parametrize("mode", [0o644, 0o640, 0o604, 0o620])
def test_a_passphrase_file_others_can_read_or_write_gets_a_warning(
    mode: int, record_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> None:
    from tests.cli_support import run

    monkeypatch.delenv("SENDESK_PASSPHRASE", raising=False)
    secret = tmp_path / "secret.txt"
    secret.write_text(PASSPHRASE + "\n", encoding="utf-8")
    secret.chmod(mode)
    code, _, err = run(capsys, "info", str(record_file), "--passphrase-file", str(secret))
    assert code == 0
    assert "warning" in err and "other users" in err and "chmod 600" in err
    secret.chmod(0o600)
    code, _, err = run(capsys, "info", str(record_file), "--passphrase-file", str(secret))
    assert code == 0 and "warning" not in err


def test_add_document_refuses_a_huge_file_before_reading_it(vault: Vault, tmp_path: Path) -> None:
    from sendesk.errors import FileProblem, ValidationFailed
    from sendesk.services import attachments, pupils

    pupil = pupils.create(vault.sessions, pupils.PupilDetails("Okafor", "Chidi")).pupil_id
    huge = tmp_path / "scan.pdf"
    with huge.open("wb") as f:  # sparse: 1 GB on paper, nothing on disk
        f.truncate(1 << 30)
    tracemalloc.start()
    try:
        with pytest.raises(ValidationFailed, match="at most 25 MB"):
            attachments.add_file(vault.sessions, pupil, huge)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 5 * 2**20  # refused by its size, before the gigabyte was read
    fifo = tmp_path / "pipe.pdf"
    os.mkfifo(fifo)
    with pytest.raises(FileProblem, match="not an ordinary file"):
        attachments.add_file(vault.sessions, pupil, fifo)  # and never blocks on a pipe
    small = tmp_path / "letter.pdf"
    small.write_bytes(b"%PDF-1.4 " * 300_000)  # 2.7 MB: read in chunks, not all at once
    attachment = attachments.add_file(vault.sessions, pupil, small)
    assert attachments.content(vault.sessions, attachment)[1] == small.read_bytes()


def test_one_mapping_of_os_and_database_errors_to_sentences_and_exit_codes() -> None:
    import errno
    import sqlite3

    import sqlcipher3
    from sqlalchemy.exc import OperationalError

    from sendesk.errors import DiskFull, InUse, NoPermission, ReadOnly, known_failure

    cases = [
        (OSError(errno.ENOSPC, "No space left on device"), DiskFull),
        (OSError(errno.EFBIG, "File too large"), DiskFull),
        (OSError(errno.EROFS, "Read-only file system"), ReadOnly),
        (PermissionError(errno.EACCES, "Permission denied"), NoPermission),
        (sqlite3.OperationalError("database is locked"), InUse),
        (sqlcipher3.OperationalError("database table is locked"), InUse),
        (sqlcipher3.OperationalError("database or disk is full"), DiskFull),
        (sqlcipher3.OperationalError("attempt to write a readonly database"), ReadOnly),
        (OperationalError("COMMIT", {}, sqlite3.OperationalError("database is busy")), InUse),
    ]
    for exc, kind in cases:
        known = known_failure(exc, "Saving")
        assert isinstance(known, kind), (exc, known)
        # In use is exit 5 wherever it comes from, as for another SENDesk holding the file.
        assert known.exit_code == (5 if kind is InUse else 2)
        assert known.message.startswith("Saving: ")
    assert known_failure(ValueError("a bug")) is None
    assert known_failure(KeyError("a bug")) is None


def test_a_folder_stays_noted_while_any_write_there_is_under_way(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sendesk import atomic, paths

    logs = tmp_path / "logs"
    monkeypatch.setattr(paths, "log_folder", lambda: logs)
    folder = tmp_path / "exports"
    folder.mkdir()
    note = logs / "written-folders.txt"
    atomic.remember(folder)  # a print run under way
    atomic.remember(folder)  # and a calendar saved there meanwhile
    atomic.forget(folder)  # the calendar is written
    assert str(folder.resolve()) in note.read_text(encoding="utf-8")
    atomic.forget(folder)  # and the print run
    assert not note.exists()
