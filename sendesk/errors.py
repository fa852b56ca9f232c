"""The errors a user can act on, each with a plain-English message and a command-line exit code.

Anything else that escapes is a bug: the command line and the app report it as unexpected.
"""

from __future__ import annotations


class SendeskError(Exception):
    """Base of every error whose message is meant for the user."""

    exit_code = 1

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class BadInput(SendeskError):
    """Something the user typed or chose cannot be used (exit code 2)."""

    exit_code = 2


class ValidationFailed(BadInput):
    """One or more fields are wrong; `problems` maps a field name to what is wrong with it."""

    def __init__(self, problems: dict[str, str]) -> None:
        self.problems = dict(problems)
        super().__init__("; ".join(self.problems.values()))


class WeakPassphrase(BadInput):
    """A new passphrase does not meet the rules."""


class NotFound(BadInput):
    """The pupil, cycle or meeting named does not exist in this file."""


class FileProblem(BadInput):
    """The file is missing, already exists, or cannot be written."""


class CannotUnlock(SendeskError):
    """Wrong passphrase, or not a SENDesk file (exit code 3)."""

    exit_code = 3
    MESSAGE = "wrong passphrase, or not a SENDesk file"

    def __init__(self, message: str = MESSAGE) -> None:
        super().__init__(message)


class NotARecordFile(CannotUnlock):
    """A file whose first bytes say it is something else (a PDF, a spreadsheet, a CSV): no
    passphrase would open it, so none is blamed (exit code 3, as for any file not SENDesk's)."""

    def __init__(self, name: str, what: str, hint: str = "") -> None:
        super().__init__(f"{name} is not a SENDesk record file: it is {what}.{hint}")


class MadeButNotAudited(SendeskError):
    """A copy was made and verified, but the audit log could not record it (exit code 0).

    Raised after the fact so that no caller can mistake a finished copy for a failure: `path` is
    the finished copy; the message says both what was made and what was not recorded.
    """

    exit_code = 0

    def __init__(self, message: str, path: object) -> None:
        super().__init__(message)
        self.path = path


class NewerFile(SendeskError):
    """The file was written by a newer SENDesk than this one."""

    exit_code = 2


class DamagedFile(SendeskError):
    """An integrity check failed, or the file could not be read part-way (exit code 4)."""

    exit_code = 4

    def __init__(self, message: str, problems: list[str] | None = None) -> None:
        super().__init__(message)
        self.problems = list(problems or [])


class StaleEdit(SendeskError):
    """Someone saved the record after the user loaded it; nothing of this save was written.

    `differences` maps each field whose saved value differs from the user's to (theirs, yours);
    `current_version` is the version now saved, to pass with the user's choice when saving again.
    """

    exit_code = 2

    def __init__(
        self,
        what: str,
        current_version: int,
        differences: dict[str, tuple[object, object]],
    ) -> None:
        self.what = what
        self.current_version = current_version
        self.differences = dict(differences)
        super().__init__(
            f"Someone else saved {what} after you opened it, so your changes were not saved. "
            "Open it again to see their changes, then make yours."
        )


class ArchivedPupil(BadInput):
    """An archived pupil's records are read-only until they are brought back onto the register."""

    def __init__(self) -> None:
        super().__init__(
            "This pupil is archived, so their record is read-only. "
            "Bring them back onto the register to change it."
        )


# --- operating-system and database failures the user can act on ------------------------------
#
# One mapping, used by every command and by the app: a full disk, a read-only file, a missing
# permission or a file held by another program is a sentence and exit code 2, never "unexpected".


class DiskFull(FileProblem):
    """The disk (or the file-size limit) is full."""


class ReadOnly(FileProblem):
    """The file, folder or disk cannot be written."""


class NoPermission(FileProblem):
    """The operating system refused access."""


class InUse(FileProblem):
    """Another program (or another SENDesk window) holds the file: exit code 5, as when another
    SENDesk holds it open for writing (`sendesk.filelock.FileInUse`)."""

    exit_code = 5


# Every write is one transaction or one rename, so a failed one changed nothing.
_NOTHING_HALF_SAVED = "Nothing was changed"

# errno values by name, so this module needs no platform-specific import.
_FULL_ERRNOS = {"ENOSPC", "EFBIG", "EDQUOT"}
_READ_ONLY_ERRNOS = {"EROFS"}
_PERMISSION_ERRNOS = {"EACCES", "EPERM"}
_BUSY_ERRNOS = {"EBUSY", "ETXTBSY"}


def known_failure(exc: BaseException, doing: str = "The last action failed") -> SendeskError | None:
    """The user's sentence for an OS or database failure, or None when it is a bug.

    `doing` says what failed, as the start of a sentence ("The backup could not be written to X").
    A `SendeskError` is returned unchanged; SQLAlchemy's wrappers are looked through.
    """
    import errno

    if isinstance(exc, SendeskError):
        return exc
    refused = from_database(exc)
    if refused is not None:
        return refused
    orig = getattr(exc, "orig", None)  # SQLAlchemy's DBAPIError wraps the driver's error
    if isinstance(orig, BaseException):
        return known_failure(orig, doing)
    if isinstance(exc, OSError):
        name = errno.errorcode.get(exc.errno or 0, "")
        reason = exc.strerror or str(exc)
        if name in _FULL_ERRNOS:
            return DiskFull(f"{doing}: the disk is full ({reason}). {_FREE_SPACE}")
        if name in _READ_ONLY_ERRNOS:
            return ReadOnly(f"{doing}: the disk is read-only ({reason}). {_ELSEWHERE}")
        if isinstance(exc, PermissionError) or name in _PERMISSION_ERRNOS:
            if getattr(exc, "winerror", None) == 32:  # Windows: held open by another program
                return InUse(f"{doing}: another program has the file open. {_IN_USE}")
            return NoPermission(f"{doing}: permission denied ({reason}). {_ELSEWHERE}")
        if name in _BUSY_ERRNOS:
            return InUse(f"{doing}: the file is busy ({reason}). {_IN_USE}")
        if isinstance(exc, FileNotFoundError):
            return FileProblem(f"{doing}: there is no such file or folder ({reason}).")
        if isinstance(exc, IsADirectoryError):
            return FileProblem(f"{doing}: that is a folder, not a file.")
        if name == "EIO":
            return FileProblem(
                f"{doing}: the disk could not be read or written ({reason}). {_ELSEWHERE}"
            )
        return None
    if type(exc).__name__ in {"OperationalError", "DatabaseError"}:  # sqlite3 / sqlcipher3
        reason = str(exc)
        if "locked" in reason or "busy" in reason:
            return InUse(
                f"{doing}: the file is in use by another program or another SENDesk "
                f"window. {_IN_USE}"
            )
        if "full" in reason:
            return DiskFull(f"{doing}: the disk is full ({reason}). {_FREE_SPACE}")
        if "readonly" in reason or "read-only" in reason:
            return ReadOnly(f"{doing}: the file cannot be written ({reason}). {_ELSEWHERE}")
        if "unable to open" in reason:
            return FileProblem(
                f"{doing}: the file or its folder cannot be opened ({reason}). {_ELSEWHERE}"
            )
        if "I/O" in reason:
            return FileProblem(
                f"{doing}: the disk could not be read or written ({reason}); "
                f"the disk may be full or unplugged. {_FREE_SPACE}"
            )
        if any(word in reason for word in ("malformed", "not a database", "HMAC")):
            return DamagedFile(
                f"{doing}: part of the record file could not be read ({reason}). Nothing more "
                "was written to it; run 'sendesk verify' on it, and open your newest backup.",
                [reason],
            )
    return None


_FREE_SPACE = f"{_NOTHING_HALF_SAVED}; free some space or choose another place, then try again."
_ELSEWHERE = f"{_NOTHING_HALF_SAVED}; choose another place or ask your IT support."
_IN_USE = "Close it there and try again."


class NotAllowed(SendeskError):
    """The school server refused what this login's role may not do; nothing was changed."""

    exit_code = 2

    MESSAGE = (
        "Your login on the school server may not do that, so nothing was changed. "
        "Ask your SENCo if you need it."
    )

    def __init__(self, message: str = MESSAGE) -> None:
        super().__init__(message)


# SQLSTATE codes (PostgreSQL's, passed on by psycopg) that have a sentence of their own.
_SQLSTATE_INSUFFICIENT_PRIVILEGE = "42501"  # a grant or a row-level security policy refused


def from_database(exc: BaseException) -> SendeskError | None:
    """The sentence for what a server refused this login, or None (`known_failure` uses it; a
    server's engine raises it in place of the driver's error).

    Looked up by SQLSTATE, so this module needs neither SQLAlchemy nor psycopg.
    """
    driver_error = getattr(exc, "orig", exc)  # SQLAlchemy wraps the driver's exception
    if getattr(driver_error, "sqlstate", None) == _SQLSTATE_INSUFFICIENT_PRIVILEGE:
        return NotAllowed()
    return None


class FileClosed(SendeskError):
    """The record file was closed (or the app locked): nothing more can be read or written."""

    def __init__(self) -> None:
        super().__init__("The record file is closed; unlock it again to go on.")
