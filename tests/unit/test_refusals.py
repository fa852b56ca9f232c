"""What a school server refuses a login arrives as one sentence, wherever it is caught."""

from __future__ import annotations

from sendesk.errors import NotAllowed, from_database, known_failure


class DriverError(Exception):
    """Stands for psycopg's error: it carries PostgreSQL's SQLSTATE."""

    def __init__(self, sqlstate: str) -> None:
        super().__init__("permission denied for table contact")
        self.sqlstate = sqlstate


class Wrapped(Exception):
    """Stands for SQLAlchemy's DBAPIError, which keeps the driver's error as `orig`."""

    def __init__(self, orig: Exception) -> None:
        super().__init__(str(orig))
        self.orig = orig


def test_insufficient_privilege_is_a_sentence_wrapped_or_not() -> None:
    for exc in (DriverError("42501"), Wrapped(DriverError("42501"))):
        assert isinstance(from_database(exc), NotAllowed)
        found = known_failure(exc, "That could not be done")
        assert isinstance(found, NotAllowed)
        assert "may not do that" in found.message


def test_other_database_errors_are_not_taken_for_a_refusal() -> None:
    assert from_database(Wrapped(DriverError("23505"))) is None  # a unique violation: a bug
    assert from_database(ValueError("no")) is None
