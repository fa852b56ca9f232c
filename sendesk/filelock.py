"""One writer at a time: a lock file beside the record file that names who holds it.

Like an office suite's `.~lock.NAME#`, the lock is a small file created with O_CREAT | O_EXCL,
which is atomic on every local file system and on SMB and NFS shares, where byte-range locks are
not dependable. It holds JSON naming the computer, the user, the process and since when, so a
second opener can be told who has the file.

A lock left by a crashed process is stale. On the same computer that is certain when its process
is no longer running, and it is taken over without asking. A lock from another computer cannot be
checked from here: the opener is told, and may take it over only when asked to (`take_over=True`),
after a warning that the other computer may still be writing.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import getpass
import json
import os
import socket
import sys
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sendesk import __version__
from sendesk.errors import SendeskError

PREFIX = ".~lock."
SUFFIX = "#"
# A lock file with no readable holder is a create interrupted between making and writing it; only
# after this long is it not another opener in the middle of writing it.
UNREADABLE_GRACE_SECONDS = 10.0
_ATTEMPTS = 5
_held: set[str] = set()  # the tokens of the locks this process holds now


def lock_path(path: Path) -> Path:
    """Where the lock of the record file `path` lives: beside it, hidden."""
    return path.with_name(f"{PREFIX}{path.name}{SUFFIX}")


def this_host() -> str:
    return socket.gethostname() or "this computer"


def this_user() -> str:
    try:
        return getpass.getuser()
    except (OSError, KeyError, ImportError):  # no login name in the environment
        return "unknown user"


@dataclass(frozen=True)
class Holder:
    """Who holds a record file open for writing."""

    host: str
    user: str
    pid: int
    started: dt.datetime  # timezone-aware
    app_version: str
    token: str = ""  # tells this opener's lock from a later one that took it over

    @classmethod
    def me(cls) -> Holder:
        return cls(
            this_host(), this_user(), os.getpid(), dt.datetime.now(dt.UTC), __version__, _token()
        )

    def to_json(self) -> bytes:
        data = {
            "host": self.host,
            "user": self.user,
            "pid": self.pid,
            "started": self.started.isoformat(),
            "app_version": self.app_version,
            "token": self.token,
        }
        return json.dumps(data, indent=1).encode("utf-8")

    @classmethod
    def from_json(cls, raw: bytes) -> Holder | None:
        """The holder a lock file names, or `None` when it cannot be read as one."""
        try:
            data: Any = json.loads(raw.decode("utf-8"))
            started = dt.datetime.fromisoformat(str(data["started"]))
            if started.tzinfo is None:
                started = started.replace(tzinfo=dt.UTC)
            return cls(
                host=str(data["host"]),
                user=str(data["user"]),
                pid=int(data["pid"]),
                started=started,
                app_version=str(data.get("app_version", "")),
                token=str(data.get("token", "")),
            )
        except (ValueError, KeyError, TypeError, UnicodeDecodeError):
            return None

    @property
    def on_this_computer(self) -> bool:
        return self.host.casefold() == this_host().casefold()

    def since(self, now: dt.datetime | None = None) -> str:
        """ "09:12" today, "01/12/2026 09:12" on another day, in local time."""
        local = self.started.astimezone()
        today = (now or dt.datetime.now(dt.UTC)).astimezone().date()
        clock = local.strftime("%H:%M")
        return clock if local.date() == today else f"{local:%d/%m/%Y} {clock}"

    def sentence(self, now: dt.datetime | None = None) -> str:
        """ "open on LAPTOP-12 by j.smith since 09:12"."""
        return f"open on {self.host} by {self.user} since {self.since(now)}"


class FileInUse(SendeskError):
    """Another SENDesk holds the file open for writing (exit code 5).

    `may_take_over` is true when this opener cannot tell whether the holder is still running (it
    is on another computer, or its lock file cannot be read): the user may take the lock over.
    """

    exit_code = 5

    def __init__(
        self,
        path: Path,
        holder: Holder | None,
        *,
        may_take_over: bool,
        advice: str = "it can be opened read-only, or changed once it is closed there.",
    ) -> None:
        who = holder.sentence() if holder else "open in another copy of SENDesk"
        super().__init__(
            f"{path.name} is {who}. Only one copy of SENDesk can change a record file at a "
            f"time; {advice}"
        )
        self.path = path
        self.holder = holder
        self.may_take_over = may_take_over


_RETRY_SECONDS = 0.05  # between tries at a lock file another copy is removing


class CannotHold(SendeskError):
    """The file's folder cannot be written to (read-only, not this user's, or full), so no lock
    can be made there: the file can be opened read-only only (exit code 2)."""

    exit_code = 2
    may_take_over = False  # as for a holder that is known: there is nothing to take over

    def __init__(self, path: Path, exc: OSError) -> None:
        if isinstance(exc, PermissionError):
            why = "you may not change that folder"
        elif exc.errno == errno.ENOSPC:
            why = "the disk is full"
        else:
            why = exc.strerror.lower() if exc.strerror else "it cannot be written to"
        self.why = why
        # A full disk is put right by freeing space; a copy elsewhere would split the records.
        fix = (
            "To change it, free some space on that disk, then open it again."
            if exc.errno == errno.ENOSPC
            else "To change it, copy it to a folder of your own (such as Documents) and open "
            "the copy."
        )
        super().__init__(
            f"SENDesk cannot write in the folder {path.parent} ({why}), so {path.name} can only "
            f"be opened read-only. {fix}"
        )
        self.path = path


class WriteLock:
    """This process's hold on one record file. Use `acquire`; `release` when the file closes."""

    def __init__(self, path: Path, holder: Holder) -> None:
        self.path = path
        self.file = lock_path(path)
        self.holder = holder

    @classmethod
    def acquire(cls, path: Path, *, take_over: bool = False) -> WriteLock:
        """Hold `path` for writing, or raise `FileInUse` saying who holds it.

        A stale lock on this computer is taken over; one from another computer (or one that
        cannot be read) only with `take_over`.
        """
        me = Holder.me()
        lock = lock_path(path)
        for _ in range(_ATTEMPTS):
            try:
                made = _create(lock, me.to_json())
            except PermissionError as exc:
                if lock.exists():  # Windows: another SENDesk's lock being removed this instant
                    time.sleep(_RETRY_SECONDS)
                    continue
                raise CannotHold(path, exc) from exc
            except OSError as exc:  # the folder refuses a new file: nobody can change it here
                raise CannotHold(path, exc) from exc
            if made:
                _held.add(me.token)
                return cls(path, me)
            raw = _read(lock)
            if raw is None:
                continue  # removed in the meantime: try again
            holder = Holder.from_json(raw)
            if not (take_over or _stale(lock, holder)):
                local = holder is not None and holder.on_this_computer
                raise FileInUse(path, holder, may_take_over=not local)
            _remove_if_unchanged(lock, raw)
        raise FileInUse(path, Holder.from_json(_read(lock) or b""), may_take_over=False)

    def held(self) -> bool:
        """Whether the lock file still names this process (nobody took it over)."""
        raw = _read(self.file)
        current = Holder.from_json(raw) if raw is not None else None
        return current is not None and current.token == self.holder.token

    def release(self) -> None:
        """Remove the lock file, unless another opener has taken it over since."""
        raw = _read(self.file)
        _held.discard(self.holder.token)
        if raw is not None and Holder.from_json(raw) == self.holder:
            _remove_if_unchanged(self.file, raw)


def holder_of(path: Path) -> Holder | None:
    """Who holds `path` open for writing now, if anyone (a stale lock still counts)."""
    raw = _read(lock_path(path))
    return Holder.from_json(raw) if raw is not None else None


# --- the lock file itself -------------------------------------------------------------------


def _token() -> str:
    return uuid.uuid4().hex


def _create(lock: Path, content: bytes) -> bool:
    """Make the lock file if there is none; False when one exists already."""
    flags = os.O_CREAT | os.O_EXCL | os.O_WRONLY | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(lock, flags, 0o644)
    except FileExistsError:
        return False
    try:
        os.write(fd, content)
        os.fsync(fd)
    except BaseException:
        os.close(fd)
        with contextlib.suppress(OSError):
            lock.unlink()
        raise
    os.close(fd)
    return True


def _read(lock: Path) -> bytes | None:
    try:
        return lock.read_bytes()
    except FileNotFoundError:
        return None
    except PermissionError:  # Windows: another opener is writing or removing it this instant
        return b""


def _remove_if_unchanged(lock: Path, seen: bytes) -> None:
    """Remove the lock file only if it still holds `seen`, so two takers never remove a new lock.

    The lock is first renamed to a name of its own: of two takers only one rename succeeds. If
    what was renamed is not what was seen, a new holder got in between and is put back.
    """
    aside = lock.with_name(f"{lock.name}.{_token()}.stale")
    try:
        lock.rename(aside)
    except FileNotFoundError:
        return
    except PermissionError:  # Windows: in use this instant; the next attempt reads it again
        return
    try:
        taken = aside.read_bytes()
        if taken != seen:
            _create(lock, taken)  # the newer holder's lock, back where it was
    finally:
        with contextlib.suppress(OSError):
            aside.unlink()


def _stale(lock: Path, holder: Holder | None) -> bool:
    """Whether a lock is certainly left over from a process that is gone."""
    if holder is None:
        try:
            age = time.time() - lock.stat().st_mtime
        except FileNotFoundError:
            return True
        return age > UNREADABLE_GRACE_SECONDS
    if not holder.on_this_computer:
        return False
    if holder.pid == os.getpid():
        return holder.token not in _held  # a lock of this process's, or its id reused
    booted = booted_at()
    if booted is not None and holder.started.timestamp() < booted - BOOT_SLACK_SECONDS:
        # Written before this computer last started: whatever now has that process id is
        # another program (from the fault trial: after a crash and a restart, a reused id
        # kept the file locked for good).
        return True
    return not pid_running(holder.pid)


BOOT_SLACK_SECONDS = 120  # clocks set at start-up: a lock this near the boot is not judged by it


def booted_at() -> float | None:
    """When this computer last started, as a Unix time; None where it cannot be told."""
    if sys.platform == "win32":
        import ctypes  # Windows only

        kernel32 = ctypes.WinDLL("kernel32")  # type: ignore[attr-defined,unused-ignore]
        kernel32.GetTickCount64.restype = ctypes.c_ulonglong
        return time.time() - kernel32.GetTickCount64() / 1000
    try:  # Linux
        for line in Path("/proc/stat").read_text(encoding="ascii").splitlines():
            if line.startswith("btime "):
                return float(line.split()[1])
    except (OSError, ValueError):
        pass
    return None


def pid_running(pid: int) -> bool:
    """Whether a process with this id is running on this computer (True when unsure)."""
    if pid <= 0:
        return False
    if sys.platform == "win32":
        return _windows_pid_running(pid)
    try:
        os.kill(pid, 0)  # signal 0 checks only; on Windows os.kill would end the process
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # running, as another user
    return True


def _windows_pid_running(pid: int) -> bool:
    import ctypes  # Windows only

    query_limited_information = 0x1000
    still_active = 259
    access_denied = 5
    kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)  # type: ignore[attr-defined,unused-ignore]
    handle = kernel32.OpenProcess(query_limited_information, False, pid)
    if not handle:
        return bool(ctypes.get_last_error() == access_denied)  # type: ignore[attr-defined,unused-ignore]
    try:
        code = ctypes.c_ulong()
        if not kernel32.GetExitCodeProcess(handle, ctypes.byref(code)):
            return True
        return code.value == still_active
    finally:
        kernel32.CloseHandle(handle)
