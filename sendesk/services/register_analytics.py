"""Register analytics: pupils on the SEN register by status, need, year group and class today, and
how the register changed over the school years the file holds."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Sequence
from typing import NamedTuple

from sqlalchemy import func, or_, select

from sendesk import analytics, codes, collection
from sendesk.codes import Stage
from sendesk.figures import Count, RegisterAnalytics, YearCount
from sendesk.models import Cycle, Pupil
from sendesk.services import Sessions

NO_NEED = "No need recorded"
NO_YEAR_GROUP = "No year group"

# Cycles whose plan was agreed: from Do on, the pupil was on SEN support.
_PLANNED = (Stage.DO, Stage.REVIEW, Stage.CLOSED)

# Over the tables' columns: no mapper configuration (see analytics_rows).
PUPIL = Pupil.__table__.c
CYCLE = Cycle.__table__.c


class _Facts(NamedTuple):
    id: int
    sen_status: str
    sen_support_since: dt.date | None
    ehc_plan_since: dt.date | None
    archived_on: dt.date | None
    left_on: dt.date | None


def build(sessions: Sessions, today: dt.date) -> RegisterAnalytics:
    planned = [s.value for s in _PLANNED]
    with collection.paused(), sessions() as session:
        conn = session.connection()
        # Today's counts are counts of pupils on roll by these four: the database counts them.
        groups = conn.execute(
            select(
                PUPIL.sen_status,
                PUPIL.primary_need,
                PUPIL.year_group,
                PUPIL.class_name,
                func.count(),
            )
            .where(PUPIL.archived_on.is_(None))
            .group_by(PUPIL.sen_status, PUPIL.primary_need, PUPIL.year_group, PUPIL.class_name)
        ).all()
        # A pupil can be on the register in some year only with a status on it, an EHC plan or an
        # agreed plan (see analytics.status_in_year); no other pupil need be read one by one.
        people = [
            _Facts._make(row)
            for row in conn.execute(
                select(
                    PUPIL.id,
                    PUPIL.sen_status,
                    PUPIL.sen_support_since,
                    PUPIL.ehc_plan_since,
                    PUPIL.archived_on,
                    PUPIL.left_on,
                ).where(
                    or_(
                        PUPIL.sen_status.in_(sorted(codes.ON_SEN_REGISTER)),
                        PUPIL.ehc_plan_since.is_not(None),
                        PUPIL.id.in_(select(CYCLE.pupil_id).where(CYCLE.stage.in_(planned))),
                    )
                )
            ).all()
        ]
        # The first year shown: the earliest date any pupil's record gives (on the register or not).
        firsts = list(
            conn.execute(
                select(func.min(PUPIL.sen_support_since), func.min(PUPIL.ehc_plan_since))
            ).one()
        )
        spans: dict[int, list[tuple[dt.date, dt.date | None]]] = defaultdict(list)
        for pupil_id, opened, closed in conn.execute(
            select(CYCLE.pupil_id, CYCLE.opened_on, CYCLE.closed_on).where(CYCLE.stage.in_(planned))
        ).all():
            spans[pupil_id].append((opened, closed))
    status: Counter[str] = Counter()
    need: Counter[str | None] = Counter()
    years: Counter[int | None] = Counter()
    classes: Counter[str | None] = Counter()
    for sen_status, primary_need, year_group, class_name, pupils in groups:
        status[sen_status] += pupils
        if sen_status in codes.ON_SEN_REGISTER:
            need[primary_need] += pupils
            years[year_group] += pupils
            classes[class_name] += pupils
    first = min([d for d in firsts if d is not None] + [today])
    return RegisterAnalytics(
        on_roll=sum(status.values()),
        on_register=sum(years.values()),
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
        over_years=_over_years(people, spans, first, today),
    )


def _over_years(
    people: Sequence[_Facts],
    spans: dict[int, list[tuple[dt.date, dt.date | None]]],
    first: dt.date,
    today: dt.date,
) -> list[YearCount]:
    opened = [opened for pupil_spans in spans.values() for opened, _ in pupil_spans]
    counts = []
    for year in analytics.school_years(min([first, *opened]), today):
        found: Counter[str] = Counter()
        for pid, status, since, ehc, archived, left in people:
            gone = min((d for d in (archived, left) if d is not None), default=None)
            got = analytics.status_in_year(year, today, status, since, ehc, gone, spans[pid])
            if got is not None:
                found[got] += 1
        label = f"{year.starts_on.year}/{str(year.ends_on.year)[2:]}"
        counts.append(YearCount(label, found["K"], found["E"]))
    return counts
