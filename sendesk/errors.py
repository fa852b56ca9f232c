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
    """The user's sentence for a database error they can act on; None when it is a bug.

    Looked up by SQLSTATE, so this module needs neither SQLAlchemy nor psycopg.
    """
    driver_error = getattr(exc, "orig", exc)  # SQLAlchemy wraps the driver's exception
    if getattr(driver_error, "sqlstate", None) == _SQLSTATE_INSUFFICIENT_PRIVILEGE:
        return NotAllowed()
    return None
