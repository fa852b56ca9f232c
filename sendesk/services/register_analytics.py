"""Register analytics: pupils on the SEN register by status, need, year group and class today, and
how the register changed over the school years the file holds."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Sequence
from typing import NamedTuple

from sqlalchemy import select

from sendesk import analytics, codes
from sendesk.codes import Stage
from sendesk.figures import Count, RegisterAnalytics, YearCount
from sendesk.models import Cycle, Pupil
from sendesk.services import Sessions

NO_NEED = "No need recorded"
NO_YEAR_GROUP = "No year group"

# Cycles whose plan was agreed: from Do on, the pupil was on SEN support.
_PLANNED = (Stage.DO, Stage.REVIEW, Stage.CLOSED)


class _Facts(NamedTuple):
    id: int
    sen_status: str
    primary_need: str | None
    year_group: int | None
    class_name: str | None
    sen_support_since: dt.date | None
    ehc_plan_since: dt.date | None
    archived_on: dt.date | None
    left_on: dt.date | None


def build(sessions: Sessions, today: dt.date) -> RegisterAnalytics:
    with sessions() as session:
        people = [
            _Facts(*row)
            for row in session.execute(
                select(
                    Pupil.id,
                    Pupil.sen_status,
                    Pupil.primary_need,
                    Pupil.year_group,
                    Pupil.class_name,
                    Pupil.sen_support_since,
                    Pupil.ehc_plan_since,
                    Pupil.archived_on,
                    Pupil.left_on,
                )
            )
        ]
        spans: dict[int, list[tuple[dt.date, dt.date | None]]] = defaultdict(list)
        for pupil_id, opened, closed in session.execute(
            select(Cycle.pupil_id, Cycle.opened_on, Cycle.closed_on).where(
                Cycle.stage.in_([s.value for s in _PLANNED])
            )
        ):
            spans[pupil_id].append((opened, closed))
    current = [p for p in people if p.archived_on is None]
    register = [p for p in current if p.sen_status in codes.ON_SEN_REGISTER]
    status = Counter(p.sen_status for p in current)
    need = Counter(p.primary_need for p in register)
    years = Counter(p.year_group for p in register)
    classes = Counter(p.class_name for p in register)
    return RegisterAnalytics(
        on_roll=len(current),
        on_register=len(register),
        by_status=[Count(codes.SEN_STATUS_LABELS[s], status[s]) for s in codes.SEN_STATUS_LABELS],
        by_need=[
            Count(codes.need_label(code) or NO_NEED, n)
            for code, n in sorted(need.items(), key=lambda kv: (-kv[1], kv[0] or "~"))
        ],
        by_year_group=[
            Count(codes.year_group_label(y) or NO_YEAR_GROUP, years[y])
            for y in sorted(years, key=lambda y: (y is None, y or 0))
        ],
        by_class=[
            Count(c or "No class", classes[c]) for c in sorted(classes, key=lambda c: c or "~")
        ],
        over_years=_over_years(people, spans, today),
    )


def _over_years(
    people: Sequence[_Facts],
    spans: dict[int, list[tuple[dt.date, dt.date | None]]],
    today: dt.date,
) -> list[YearCount]:
    dates = [d for p in people for d in (p[5], p[6]) if d is not None]
    dates += [opened for pupil_spans in spans.values() for opened, _ in pupil_spans]
    first = min([*dates, today])
    counts = []
    for year in analytics.school_years(first, today):
        found: Counter[str] = Counter()
        for pid, status, _need, _yg, _cls, since, ehc, archived, left in people:
            gone = min((d for d in (archived, left) if d is not None), default=None)
            got = analytics.status_in_year(year, today, status, since, ehc, gone, spans[pid])
            if got is not None:
                found[got] += 1
        label = f"{year.starts_on.year}/{str(year.ends_on.year)[2:]}"
        counts.append(YearCount(label, found["K"], found["E"]))
    return counts
