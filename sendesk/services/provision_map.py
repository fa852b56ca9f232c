"""The whole-school provision map: every provision running in a period, what it is, who delivers
it, to how many pupils and at what cost, grouped by year group, class and area of need, with the
total against the school's notional SEN budget."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Iterable

from sqlalchemy import select

from sendesk import analytics, codes, collection
from sendesk.analytics import Period, share_of_a_year
from sendesk.errors import ValidationFailed
from sendesk.figures import GroupTotal, MapLine, ProvisionMap
from sendesk.models import BUDGET_KEY, AppSetting
from sendesk.services import Sessions, audit
from sendesk.services.analytics_rows import ProvisionRow, provisions_in


def budget(sessions: Sessions) -> int | None:
    """The school's notional SEN budget for a year, in pence (None until it is set)."""
    # Over the table's columns: reading one setting needs no mapper configuration, which would
    # cost a whole-school report's command more than its own queries (see analytics_rows).
    setting = AppSetting.__table__.c
    with sessions() as session:
        stored = (
            session.connection()
            .execute(select(setting.value_json).where(setting.key == BUDGET_KEY))
            .scalar()
        )
        return None if stored is None else int(json.loads(stored))


def set_budget(sessions: Sessions, pence: int | None) -> None:
    if pence is not None and pence < 0:
        raise ValidationFailed({"budget": "The notional SEN budget cannot be negative."})
    with sessions.begin() as session:
        row = session.get(AppSetting, BUDGET_KEY)
        if pence is None:
            if row is not None:
                session.delete(row)
        elif row is None:
            session.add(AppSetting(key=BUDGET_KEY, value_json=json.dumps(pence)))
        else:
            row.value_json = json.dumps(pence)
        audit.record(session, "settings.sen_budget", "Notional SEN budget changed")


def build(
    sessions: Sessions, period: Period, rows: list[ProvisionRow] | None = None
) -> ProvisionMap:
    """The map for a period; `rows` are the period's provisions when the caller has read them."""
    yearly = budget(sessions)
    with collection.paused():
        if rows is None:
            with sessions() as session:
                rows = provisions_in(session, period)
        return ProvisionMap(
            period=period,
            lines=_lines(rows),
            by_year_group=_groups(
                rows,
                lambda p: codes.year_group_label(p.year_group) or "No year group",
                order=lambda p: (p.year_group is None, p.year_group or 0),
            ),
            by_class=_groups(rows, lambda p: p.class_name or "No class"),
            by_area=_groups(rows, lambda p: p.area_label),
            pupils=len({r.pupil_id for r in rows}),
            total_pence=sum(r.cost_pence for r in rows),
            budget_pence=None if yearly is None else round(yearly * share_of_a_year(period)),
            year_budget_pence=yearly,
        )


def _lines(rows: Iterable[ProvisionRow]) -> list[MapLine]:
    grouped: dict[tuple[str, str], list[ProvisionRow]] = defaultdict(list)
    for row in rows:
        grouped[(analytics.kind_of(row.description), analytics.kind_of(row.delivered_by))].append(
            row
        )
    lines = [
        MapLine(
            what=" ".join(group[0].description.split()),
            delivered_by=group[0].delivered_by.strip(),
            group_size_min=min(r.group_size for r in group),
            group_size_max=max(r.group_size for r in group),
            pupils=len({r.pupil_id for r in group}),
            sessions_planned=sum(r.sessions_planned for r in group),
            sessions_delivered=sum(r.sessions_delivered for r in group),
            total_pence=sum(r.cost_pence for r in group),
        )
        for group in grouped.values()
    ]
    return sorted(lines, key=lambda line: (-line.total_pence, line.what.casefold()))


def _groups(
    rows: Iterable[ProvisionRow],
    label: Callable[[ProvisionRow], str],
    order: Callable[[ProvisionRow], object] | None = None,
) -> list[GroupTotal]:
    pupil_sets: dict[str, set[int]] = defaultdict(set)
    counts: dict[str, int] = defaultdict(int)
    money: dict[str, int] = defaultdict(int)
    keys: dict[str, object] = {}
    for row in rows:
        name = label(row)
        pupil_sets[name].add(row.pupil_id)
        counts[name] += 1
        money[name] += row.cost_pence
        keys[name] = order(row) if order else name.casefold()
    return [
        GroupTotal(name, len(pupil_sets[name]), counts[name], money[name])
        for name in sorted(pupil_sets, key=lambda n: keys[n])  # type: ignore[arg-type, return-value]
    ]
