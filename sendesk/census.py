"""The census check: what would be wrong in the school census if it were taken today.

SENCos check the register before each census (DOMAIN.md): every K or E pupil has a primary need,
ranked needs are distinct, NSA only as the primary need of a pupil on K (the DfE's validation
rules), nobody on N still has an open cycle, and every pupil has a UPN. Census
days are the first Thursday of October, the third Thursday of January and the third Thursday of May.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from sendesk import codes

THURSDAY = 3


@dataclass(frozen=True)
class CensusPupil:
    pupil_id: int
    uuid: str
    upn: str | None
    name: str
    sen_status: str
    primary_need: str | None
    secondary_need: str | None
    has_open_cycle: bool


@dataclass(frozen=True)
class CensusProblem:
    pupil_id: int
    uuid: str
    upn: str | None
    name: str
    problem: str


NO_PRIMARY = "On SEN support or with an EHC plan but no primary need"
SAME_NEEDS = "Primary and secondary need are the same"
SECONDARY_ONLY = "Secondary need without a primary need"
OPEN_CYCLE = "Status N (no SEN) but a support cycle is still open"
NO_UPN = "No UPN"
# The DfE's validation rules on need types (school census guide).
NSA_NOT_K = "NSA (no specialist assessment) is only for a pupil on SEN support (K)"
NSA_SECONDARY = "NSA can only be recorded as the primary need"


def problems(pupils: Iterable[CensusPupil]) -> list[CensusProblem]:
    """Every problem of every pupil, in the order given (one line per problem)."""
    found = []
    for p in pupils:
        reasons = []
        if p.sen_status in codes.ON_SEN_REGISTER and not p.primary_need:
            reasons.append(SECONDARY_ONLY if p.secondary_need else NO_PRIMARY)
        if p.primary_need and p.primary_need == p.secondary_need:
            reasons.append(SAME_NEEDS)
        if p.primary_need == "NSA" and p.sen_status != codes.SenStatus.SEN_SUPPORT:
            reasons.append(NSA_NOT_K)
        if p.secondary_need == "NSA":
            # Of a pupil not on SEN support, NSA is wrong as any need, not only as the second
            # (from the document review: an EHC plan was told to make it the primary need).
            on_k = p.sen_status == codes.SenStatus.SEN_SUPPORT
            reasons.append(NSA_SECONDARY if on_k else NSA_NOT_K)
        if p.sen_status == codes.SenStatus.NONE and p.has_open_cycle:
            reasons.append(OPEN_CYCLE)
        if not (p.upn or "").strip():
            reasons.append(NO_UPN)
        found += [CensusProblem(p.pupil_id, p.uuid, p.upn, p.name, r) for r in reasons]
    return found


def _nth_thursday(year: int, month: int, n: int) -> dt.date:
    first = dt.date(year, month, 1)
    offset = (THURSDAY - first.weekday()) % 7
    return first + dt.timedelta(days=offset + 7 * (n - 1))


def census_days(year: int) -> list[tuple[dt.date, str]]:
    return [
        (_nth_thursday(year, 1, 3), "spring census"),
        (_nth_thursday(year, 5, 3), "summer census"),
        (_nth_thursday(year, 10, 1), "autumn census"),
    ]


def next_census(today: dt.date) -> tuple[dt.date, str]:
    """The next census day on or after `today`, and which census it is."""
    for day, name in census_days(today.year) + census_days(today.year + 1):
        if day >= today:
            return day, name
    raise AssertionError("a census falls in every year")  # pragma: no cover
