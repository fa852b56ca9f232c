"""The figures the analytics services return, as plain values: the provision map, impact,
register analytics, the governors' report and one pupil's trace. Kept apart from the services so
the documents that print them depend on the values only, never on the services."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sendesk import analytics
from sendesk.analytics import Period

Shown = int | str  # a published count, or "fewer than 5"


# from provision_map
@dataclass(frozen=True)
class MapLine:
    """One kind of provision by one deliverer: its pupils, sessions and cost."""

    what: str
    delivered_by: str
    group_size_min: int
    group_size_max: int
    pupils: int
    sessions_planned: int
    sessions_delivered: int
    total_pence: int

    @property
    def cost_per_pupil_pence(self) -> int:
        return round(self.total_pence / self.pupils) if self.pupils else 0

    @property
    def group_size(self) -> str:
        low, high = self.group_size_min, self.group_size_max
        return str(low) if low == high else f"{low}-{high}"


# from provision_map
@dataclass(frozen=True)
class GroupTotal:
    label: str
    pupils: int
    provisions: int
    total_pence: int


# from provision_map
@dataclass(frozen=True)
class ProvisionMap:
    period: Period
    lines: list[MapLine]
    by_year_group: list[GroupTotal]
    by_class: list[GroupTotal]
    by_area: list[GroupTotal]
    pupils: int
    total_pence: int
    budget_pence: int | None  # the period's part of the yearly budget (`analytics.share_of_a_year`)
    year_budget_pence: int | None = None  # the notional SEN budget for a whole school year

    @property
    def remaining_pence(self) -> int | None:
        return None if self.budget_pence is None else self.budget_pence - self.total_pence


# from impact
@dataclass(frozen=True)
class KindImpact:
    what: str
    measure: str | None  # the measure's name, when its provisions name one
    unit: str | None
    pupils: int
    sessions_planned: int
    sessions_delivered: int
    measured_pupils: int  # pupils with an entry and an exit score
    average_change: float | None  # improvement positive, in the measure's unit
    outcomes_achieved: int
    outcomes_rated: int
    total_pence: int

    @property
    def cost_per_outcome_pence(self) -> int | None:
        """Cost per outcome achieved; None when none was."""
        return round(self.total_pence / self.outcomes_achieved) if self.outcomes_achieved else None

    @property
    def delivered(self) -> float | None:
        return analytics.share(self.sessions_delivered, self.sessions_planned)


# from impact
@dataclass(frozen=True)
class Escalation:
    pupil_id: int
    name: str
    year_group: int | None
    class_name: str | None
    cycles: list[int]  # the numbers of the cycles with little or no progress
    last_next_step: str | None


# from impact
@dataclass(frozen=True)
class ImpactReport:
    period: Period
    kinds: list[KindImpact]
    escalations: list[Escalation]


# from register_analytics
@dataclass(frozen=True)
class Count:
    label: str
    pupils: int


# from register_analytics
@dataclass(frozen=True)
class YearCount:
    label: str  # "2025/26"
    sen_support: int
    ehc_plan: int

    @property
    def on_register(self) -> int:
        return self.sen_support + self.ehc_plan


# from register_analytics
@dataclass(frozen=True)
class RegisterAnalytics:
    on_roll: int
    on_register: int
    by_status: list[Count]
    by_need: list[Count]
    by_year_group: list[Count]
    by_class: list[Count]
    over_years: list[YearCount]


# from governors
@dataclass(frozen=True)
class ShownCount:
    label: str
    pupils: Shown


# from governors
@dataclass(frozen=True)
class ShownYear:
    label: str
    sen_support: Shown
    ehc_plan: Shown
    on_register: Shown


# from governors
@dataclass(frozen=True)
class ShownSpend:
    label: str
    pupils: Shown
    total_pence: int | str


# from governors
@dataclass(frozen=True)
class ShownImpact:
    what: str
    measure: str | None
    unit: str | None
    pupils: Shown
    delivered_percent: int | str | None
    average_change: float | str | None
    outcomes_achieved_percent: int | str | None
    cost_per_outcome_pence: int | str | None


# from governors
@dataclass(frozen=True)
class GovernorsReport:
    period: Period
    on_roll: Shown
    on_register: Shown
    by_status: list[ShownCount]
    by_need: list[ShownCount]
    by_year_group: list[ShownCount]
    over_years: list[ShownYear]
    spend_by_area: list[ShownSpend]
    total_pence: int
    budget_pence: int | None  # the period's part of the yearly budget, as on the provision map
    interventions: list[ShownImpact]
    escalations: Shown
    year_budget_pence: int | None = None


# from trace
@dataclass(frozen=True)
class TraceOutcome:
    description: str
    success_criteria: str
    area: str
    rating: str  # its label, or "Not yet reviewed"
    comment: str


# from trace
@dataclass(frozen=True)
class TraceProvision:
    description: str
    delivered_by: str
    sessions_planned: int
    sessions_delivered: int
    cost_pence: int
    impact: str
    measure: str | None
    entry: float | None
    exit: float | None
    change: float | None  # improvement positive


# from trace
@dataclass(frozen=True)
class TraceCycle:
    number: int
    stage: str  # its label
    opened_on: dt.date
    closed_on: dt.date | None
    needs: list[str]
    concern: str
    outcomes: list[TraceOutcome]
    provisions: list[TraceProvision]
    reviewed_on: dt.date | None
    review_summary: str
    next_step: str  # its label, or ""


# from trace
@dataclass(frozen=True)
class PupilTrace:
    pupil_id: int
    name: str
    year_group: str
    class_name: str
    status: str
    needs: list[str]
    cycles: list[TraceCycle]


# from trace
@dataclass(frozen=True)
class MeasureSeries:
    measure: str
    unit: str
    higher_is_better: bool
    points: list[tuple[dt.date, float, str]]  # (day, value, point)


# from trace
@dataclass(frozen=True)
class CycleMark:
    number: int
    opened_on: dt.date
    closed_on: dt.date | None
    ratings: dict[str, int]  # rating code -> outcomes so rated


# from trace
@dataclass(frozen=True)
class PupilProgress:
    name: str
    series: list[MeasureSeries]
    cycles: list[CycleMark]


# from leaders
@dataclass(frozen=True)
class SummaryGroup:
    """One group of the pupils on roll: an SEN status, a primary need and a year group."""

    status: str
    need: str
    year_group: str
    pupils: Shown  # "fewer than 5" when the server suppressed it


# from leaders
@dataclass(frozen=True)
class RegisterSummary:
    """The anonymised summary a leader's login reads from the server: no pupil is named."""

    school: str
    groups: list[SummaryGroup]

    @property
    def suppressed(self) -> int:
        return sum(1 for g in self.groups if isinstance(g.pupils, str))
