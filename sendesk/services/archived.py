"""The rule that an archived pupil's records are read-only until they are brought back.

Its own module, so every service that changes a pupil's records can ask it without importing
the others (pupils and cycles ask each other's rules).
"""

from __future__ import annotations

from sendesk.errors import ArchivedPupil
from sendesk.models import Pupil


def ensure_editable(pupil: Pupil) -> None:
    """Refuse any change to an archived pupil's records: they are read-only until restored."""
    if pupil.archived_on is not None:
        raise ArchivedPupil()
