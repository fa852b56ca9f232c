"""The governors' report: the register, provision and impact figures with no names, and every
group of fewer than 5 pupils shown as "fewer than 5" (with the figures about that group), fit
for the SEN information report the school publishes."""

from __future__ import annotations

import datetime as dt
from typing import TypeVar

from sendesk import analytics
from sendesk.analytics import Period
from sendesk.figures import (
    Count,
    GovernorsReport,
    GroupTotal,
    ShownCount,
    ShownImpact,
    ShownSpend,
    ShownYear,
    YearCount,
)
from sendesk.services import Sessions, impact, provision_map, register_analytics

Shown = int | str  # a count, "fewer than 5" or "not shown"
T = TypeVar("T")


def _counts(counts: list[Count]) -> list[ShownCount]:
    shown = analytics.suppress_parts([c.pupils for c in counts])
    return [ShownCount(c.label, n) for c, n in zip(counts, shown, strict=True)]


def _year(y: YearCount) -> ShownYear:
    # On the register is SEN support and EHC plans added up: neither may be hidden alone.
    support, ehc = analytics.suppress_parts([y.sen_support, y.ehc_plan])
    return ShownYear(y.label, support, ehc, analytics.suppress(y.on_register))


def _spend(groups: list[GroupTotal]) -> list[ShownSpend]:
    # The total spent is printed beside them: an area's spend hidden alone could be worked out.
    pupils = analytics.suppress_parts([g.pupils for g in groups])
    return [
        ShownSpend(g.label, n, analytics.WITHHELD if n in analytics.HIDDEN else g.total_pence)
        for g, n in zip(groups, pupils, strict=True)
    ]


def _percent(share: float | None) -> int | None:
    return None if share is None else round(share * 100)


def build(sessions: Sessions, period: Period, today: dt.date) -> GovernorsReport:
    register = register_analytics.build(sessions, today)
    rows = impact.read(sessions, period)  # once, for both the spending and the impact
    spend = provision_map.build(sessions, period, rows.provisions)
    effect = impact.build(sessions, period, rows)
    return GovernorsReport(
        period=period,
        on_roll=analytics.suppress(register.on_roll),
        on_register=analytics.suppress(register.on_register),
        by_status=_counts(register.by_status),
        by_need=_counts(register.by_need),
        by_year_group=_counts(register.by_year_group),
        over_years=[_year(y) for y in register.over_years],
        spend_by_area=_spend(spend.by_area),
        total_pence=spend.total_pence,
        budget_pence=spend.budget_pence,
        year_budget_pence=spend.year_budget_pence,
        interventions=[
            ShownImpact(
                k.what,
                k.measure,
                k.unit,
                analytics.suppress(k.pupils),
                _hidden(k.pupils, _percent(k.delivered)),
                _hidden(k.measured_pupils, k.average_change)
                if k.pupils >= 5
                else analytics.SUPPRESSED,
                _hidden(k.pupils, _percent(analytics.share(k.outcomes_achieved, k.outcomes_rated))),
                _hidden(k.pupils, k.cost_per_outcome_pence),
            )
            for k in effect.kinds
        ],
        escalations=analytics.suppress(len(effect.escalations)),
    )


def _hidden(pupils: int, figure: T) -> T | str:
    return analytics.shown(pupils, figure)
