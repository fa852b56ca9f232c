"""One writer at a time: the lock file beside a record file, proved with real OS processes."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from sendesk import filelock
from sendesk.filelock import FileInUse, Holder, WriteLock, lock_path
from sendesk.services import pupils
from sendesk.vault import ReadOnlyFile, Vault
from tests.cli_support import run
from tests.conftest import OTHER_PASSPHRASE, PASSPHRASE

ROOT = Path(__file__).resolve().parents[2]

HOLDER_SCRIPT = """
import sys
from pathlib import Path
from sendesk.vault import Vault
vault = Vault.open(Path(sys.argv[1]), sys.argv[2])
print("ready", flush=True)
sys.stdin.readline()  # hold the file open until told to close
vault.close()
print("closed", flush=True)
"""


@pytest.fixture
def other_process(record_file: Path) -> Iterator[subprocess.Popen[str]]:
    """A second OS process that has `record_file` open for writing until the test ends."""
    child = subprocess.Popen(
        [sys.executable, "-c", HOLDER_SCRIPT, str(record_file), PASSPHRASE],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    assert child.stdout is not None and child.stdin is not None
    assert child.stdout.readline().strip() == "ready"
    yield child
    with child.stdin, child.stdout:
        if child.poll() is None:
            child.stdin.write("\n")
            child.stdin.flush()
            assert child.stdout.readline().strip() == "closed"
    child.wait(timeout=60)


def write_lock(path: Path, **fields: object) -> None:
    data: dict[str, object] = {
        "host": filelock.this_host(),
        "user": "j.smith",
        "pid": os.getpid(),
        "started": dt.datetime(2026, 12, 2, 9, 12, tzinfo=dt.UTC).isoformat(),
        "app_version": "0.1",
        "token": "theirs",
    }
    data.update(fields)
    lock_path(path).write_text(json.dumps(data), encoding="utf-8")


def dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_opening_for_writing_makes_a_lock_file_naming_the_holder(record_file: Path) -> None:
    vault = Vault.open(record_file, PASSPHRASE)
    lock = lock_path(record_file)
    assert lock.name == f".~lock.{record_file.name}#"
    held = json.loads(lock.read_text(encoding="utf-8"))
    assert held["host"] == filelock.this_host()
    assert held["user"] == filelock.this_user()
    assert held["pid"] == os.getpid()
    assert dt.datetime.fromisoformat(held["started"]).tzinfo is not None
    assert held["app_version"]
    vault.close()
    assert not lock.exists()  # closing leaves nothing beside the file


def test_a_second_process_is_told_who_holds_the_file_and_refused(
    record_file: Path, other_process: subprocess.Popen[str]
) -> None:
    before = record_file.read_bytes()
    with pytest.raises(FileInUse) as caught:
        Vault.open(record_file, PASSPHRASE)
    holder = caught.value.holder
    assert holder is not None and holder.pid == other_process.pid
    since = holder.started.astimezone().strftime("%H:%M")
    assert f"open on {filelock.this_host()} by {filelock.this_user()} since " in str(caught.value)
    assert since in str(caught.value)
    assert not caught.value.may_take_over  # a running process on this computer: never
    assert record_file.read_bytes() == before
    assert lock_path(record_file).exists()  # the holder's lock is untouched


def test_the_command_line_refuses_to_write_with_exit_5_but_reads(
    record_file: Path,
    other_process: subprocess.Popen[str],
    cli_passphrase: None,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
) -> None:
    source = tmp_path / "pupils.csv"
    source.write_text("UPN,Surname,Forename,DOB,Year\n", encoding="utf-8")
    code, _out, err = run(capsys, "import", str(record_file), str(source))
    assert code == 5
    assert f"open on {filelock.this_host()}" in err
    assert "read-only" in err
    code, out, _err = run(capsys, "pupils", str(record_file), "--json")
    assert code == 0 and json.loads(out) == []
    assert run(capsys, "info", str(record_file))[0] == 0
    assert run(capsys, "verify", str(record_file))[0] == 0


def test_a_backup_while_another_process_has_the_file_says_where_to_make_it(
    record_file: Path,
    other_process: subprocess.Popen[str],
    cli_passphrase: None,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
) -> None:
    """No unaudited copy of the records: the backup is made where the file is open (and there
    audited), or here once it is closed."""
    code, _out, err = run(capsys, "backup", str(record_file), "--out", str(tmp_path / "b.sendesk"))
    assert code == 5
    assert f"open on {filelock.this_host()}" in err
    assert "could not be recorded in the file's audit log" in err and "Back up" in err
    assert not (tmp_path / "b.sendesk").exists()


def test_the_passphrase_is_not_changed_while_another_process_has_the_file(
    record_file: Path,
    other_process: subprocess.Popen[str],
    cli_passphrase: None,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    before = record_file.read_bytes()
    monkeypatch.setenv("SENDESK_NEW_PASSPHRASE", OTHER_PASSPHRASE)
    code, _out, err = run(capsys, "passwd", str(record_file))
    assert code == 5
    assert "open on" in err
    assert record_file.read_bytes() == before


def test_a_read_only_view_reads_and_cannot_write(demo_file: Path) -> None:
    writer = Vault.open(demo_file, PASSPHRASE)
    reader = Vault.open(demo_file, PASSPHRASE, read_only=True)
    assert reader.read_only and not writer.read_only
    rows = pupils.list_register(reader.sessions)
    assert rows
    with pytest.raises(ReadOnlyFile):
        pupils.restore(reader.sessions, rows[0].id)
    reader.close()
    assert lock_path(demo_file).exists()  # the read-only view never touched the writer's lock
    writer.close()


def test_a_stale_lock_from_a_crashed_process_here_is_taken_over(record_file: Path) -> None:
    write_lock(record_file, pid=dead_pid())
    with Vault.open(record_file, PASSPHRASE) as vault:
        assert filelock.holder_of(record_file) == vault.write_lock.holder  # type: ignore[union-attr]
    assert not lock_path(record_file).exists()
    assert not list(record_file.parent.glob("*.stale"))


def test_a_lock_from_before_the_computer_restarted_is_stale_whoever_has_its_id_now(
    record_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """From the fault trial: after a crash and a restart, another program had the old process
    id, and the file stayed locked for good."""
    alive = os.getppid()  # a process that is running: the id reused
    booted = dt.datetime(2026, 12, 4, 1, 18, tzinfo=dt.UTC)
    monkeypatch.setattr(filelock, "booted_at", lambda: booted.timestamp())
    write_lock(record_file, pid=alive, started=(booted - dt.timedelta(days=2)).isoformat())
    lock = WriteLock.acquire(record_file)
    assert lock.held()
    lock.release()
    # Written since the restart by a process still running: held, as before.
    write_lock(record_file, pid=alive, started=(booted + dt.timedelta(hours=1)).isoformat())
    with pytest.raises(FileInUse) as caught:
        WriteLock.acquire(record_file)
    assert not caught.value.may_take_over
    # Where the start of the computer cannot be told, a running id is trusted.
    monkeypatch.setattr(filelock, "booted_at", lambda: None)
    write_lock(record_file, pid=alive, started=(booted - dt.timedelta(days=2)).isoformat())
    with pytest.raises(FileInUse):
        WriteLock.acquire(record_file)


def test_this_computers_start_is_known_here() -> None:
    booted = filelock.booted_at()
    assert booted is not None and booted < dt.datetime.now(dt.UTC).timestamp()


def test_another_computers_lock_is_taken_over_only_when_asked(record_file: Path) -> None:
    write_lock(record_file, host="LAPTOP-12")
    with pytest.raises(FileInUse) as caught:
        WriteLock.acquire(record_file)
    assert caught.value.may_take_over
    assert "open on LAPTOP-12 by j.smith since" in caught.value.message
    lock = WriteLock.acquire(record_file, take_over=True)
    holder = filelock.holder_of(record_file)
    assert holder is not None and holder.host == filelock.this_host()
    lock.release()
    assert not lock_path(record_file).exists()


def test_release_leaves_a_lock_that_someone_else_took_over(record_file: Path) -> None:
    mine = WriteLock.acquire(record_file)
    write_lock(record_file, host="LAPTOP-12")  # taken over from another computer meanwhile
    assert not mine.held()
    mine.release()
    holder = filelock.holder_of(record_file)
    assert holder is not None and holder.host == "LAPTOP-12"


def test_a_half_written_lock_counts_as_held_until_it_is_old(record_file: Path) -> None:
    lock_path(record_file).write_bytes(b"")
    with pytest.raises(FileInUse) as caught:
        WriteLock.acquire(record_file)
    assert caught.value.may_take_over
    old = time.time() - 60
    os.utime(lock_path(record_file), (old, old))
    WriteLock.acquire(record_file).release()


def test_the_holder_sentence_gives_the_day_when_not_today() -> None:
    started = dt.datetime(2026, 12, 1, 9, 12, tzinfo=dt.UTC)
    holder = Holder("LAPTOP-12", "j.smith", 4, started, "0.1")
    local = started.astimezone()
    assert holder.since(started + dt.timedelta(minutes=5)) == local.strftime("%H:%M")
    later = holder.sentence(started + dt.timedelta(days=3))
    assert later == f"open on LAPTOP-12 by j.smith since {local:%d/%m/%Y %H:%M}"


def test_a_lock_file_being_removed_this_instant_is_tried_again_not_taken_for_a_read_only_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Windows refuses to create a file whose name another copy is deleting (delete pending).
    from sendesk import filelock

    record = tmp_path / "school.sendesk"
    record.write_bytes(b"")
    lock = filelock.lock_path(record)
    real = filelock._create
    tries: list[str] = []

    def pending(path: Path, content: bytes) -> bool:
        if not tries:
            tries.append("refused")
            path.write_bytes(b"")  # the other copy's lock file, on its way out
            raise PermissionError(13, "Access is denied")
        path.unlink(missing_ok=True)  # gone now
        tries.append("made")
        return real(path, content)

    monkeypatch.setattr(filelock, "_create", pending)
    held = filelock.WriteLock.acquire(record)
    try:
        assert tries == ["refused", "made"] and held.held()
    finally:
        held.release()
    assert not lock.exists()
