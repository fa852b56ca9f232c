"""The check that no save silently overwrites a newer one.

Every editable row has a version that each save increases (`models.Versioned`). A caller says which
version the user saw; a save over a newer version raises `StaleEdit` with each field where the saved
value and the user's differ, and writes nothing. The same check serves two windows, two processes
and, later, two clients of a server.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from sendesk.errors import NotFound, StaleEdit
from sendesk.models import Versioned
from sendesk.services import Sessions


def differences(
    saved: object, yours: Mapping[str, Any], names: Iterable[str] | None = None
) -> dict[str, tuple[Any, Any]]:
    """Each field (of `names`, or all of `yours`) saved with another value: (theirs, yours)."""
    return {
        name: (getattr(saved, name), yours[name])
        for name in (names if names is not None else yours)
        if getattr(saved, name) != yours[name]
    }


def ensure_seen(row: Versioned, seen: int | None, yours: Mapping[str, Any], what: str) -> None:
    """Refuse a save made over a version newer than `seen` (None: read and written in one step)."""
    if seen is not None and seen != row.version:
        raise StaleEdit(what, row.version, differences(row, yours))


def raced(
    sessions: Sessions, model: type[Versioned], row_id: int, yours: Mapping[str, Any], what: str
) -> StaleEdit:
    """The `StaleEdit` for a save that lost a race at the database (`StaleDataError`)."""
    with sessions() as session:
        row = session.get(model, row_id)
        if row is None:
            raise NotFound(f"{what[0].upper()}{what[1:]} is no longer in this file.")
        return StaleEdit(what, row.version, differences(row, yours))
