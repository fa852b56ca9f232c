"""The register's one query, written as SQL that both back ends run as it stands.

A record file runs it on a raw keyed connection, so that `sendesk pupils` imports no SQLAlchemy
(which costs more than the query); the team server and the app run it through their engine
(`sendesk.services.pupils.list_register`). Either way the rows become `PupilRow`s here.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable, Sequence
from typing import Any

from sendesk import code_order, codes, dates
from sendesk.pupil_row import PupilRow
from sendesk.text import search_terms

PLANNED = "planned"  # a meeting's status until it is held or cancelled
_REVIEW_KINDS = tuple(sorted(codes.REVIEW_MEETING_KINDS))


@functools.cache
def _sql(dialect: str, include_archived: bool, term_count: int, first: int | None) -> str:
    """The query for one shape: archived pupils or not, how many search terms, how many rows."""
    mark = "?" if dialect == "sqlite" else "%s"
    where = [] if include_archived else ["pupil.archived_on IS NULL"]
    where += [f"pupil.search_text LIKE {mark} ESCAPE '\\'"] * term_count
    kinds = ", ".join([mark] * len(_REVIEW_KINDS))
    # Only placeholders and fixed words are put into the text: every value is a parameter.
    return (
        "SELECT pupil.id, pupil.uuid, pupil.upn, pupil.legal_surname, pupil.legal_forename, "  # noqa: S608
        "pupil.preferred_forename, pupil.preferred_surname, pupil.date_of_birth, "
        "pupil.year_group, pupil.class_name, pupil.sen_status, pupil.primary_need, "
        "pupil.secondary_need, "
        # The next review: the earliest planned review meeting, or an open cycle's review date.
        "(SELECT min(meeting.starts_at) FROM meeting WHERE meeting.pupil_id = pupil.id "
        f"AND meeting.status = {mark} AND meeting.kind IN ({kinds})), "
        "(SELECT min(cycle.review_date) FROM cycle WHERE cycle.pupil_id = pupil.id "
        f"AND cycle.stage != {mark}), "
        "pupil.archived_on, pupil.search_text FROM pupil"
        + (" WHERE " + " AND ".join(where) if where else "")
        # The folded surname first, by code point on both back ends: Ó sorts with O.
        + f" ORDER BY {code_order.in_code_order('pupil.search_text', dialect)}, pupil.id"
        + (f" LIMIT {int(first)}" if first is not None else "")
    )


def statement(
    dialect: str, search: str | None, include_archived: bool, first: int | None = None
) -> tuple[str, tuple[str, ...]]:
    """The SQL and its positional parameters for one read of the register: the fixed values,
    then each search term as a LIKE pattern. With `first`, only that many rows, the first in
    name order (a first screenful: SQLite then works out the next reviews of those rows only)."""
    patterns = [_like_pattern(t) for t in search_terms(search or "")]
    values = (PLANNED, *_REVIEW_KINDS, codes.Stage.CLOSED.value, *patterns)
    return _sql(dialect, include_archived, len(patterns), first), values


def _like_pattern(term: str) -> str:
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def rows(found: Iterable[Sequence[Any]], today: dt.date) -> list[PupilRow]:
    return [_row(values, today) for values in found]


def _row(values: Sequence[Any], today: dt.date) -> PupilRow:
    """A register row from the raw columns of `_sql`, in their order."""
    *person, dob, year, class_name, status, need1, need2, meeting, review, archived, key = values
    meeting_day, open_review = _as_date(meeting), _as_date(review)
    if meeting_day and open_review:
        next_review: dt.date | None = min(meeting_day, open_review)
    else:
        next_review = meeting_day or open_review
    overdue = dates.is_past(next_review, today)
    return PupilRow._make((
        *person, _as_date(dob), year, class_name, status, need1, need2,
        next_review, overdue, archived is not None, key,
    ))  # fmt: skip


def _as_date(value: Any) -> dt.date | None:
    """A DATE or DATETIME column read raw: SQLite gives ISO text, other databases objects."""
    if value is None or type(value) is dt.date:
        return value
    if isinstance(value, dt.datetime):
        return value.date()
    return dt.date.fromisoformat(str(value)[:10])
