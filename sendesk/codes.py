"""The domain vocabulary of SEN in England, held once as data.

A change in the DfE's code list is a change to the tables below; the database check constraints
are generated from the same tables, so no second list needs editing.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum


class SenStatus(StrEnum):
    """The school census "SEN provision" code."""

    NONE = "N"
    SEN_SUPPORT = "K"
    EHC_PLAN = "E"


SEN_STATUS_LABELS: dict[str, str] = {
    SenStatus.NONE: "No special educational need",
    SenStatus.SEN_SUPPORT: "SEN support",
    SenStatus.EHC_PLAN: "EHC plan",
}
# For narrow places such as the register's column.
SEN_STATUS_SHORT: dict[str, str] = {
    SenStatus.NONE: "No SEN",
    SenStatus.SEN_SUPPORT: "SEN support",
    SenStatus.EHC_PLAN: "EHC plan",
}
# The pupils on the SEN register: SEN support (K) or an EHC plan (E).
ON_SEN_REGISTER: frozenset[str] = frozenset({SenStatus.SEN_SUPPORT, SenStatus.EHC_PLAN})


@dataclass(frozen=True)
class AreaOfNeed:
    code: str
    label: str
    plain_words: str


AREAS_OF_NEED: tuple[AreaOfNeed, ...] = (
    AreaOfNeed("CL", "Cognition and learning", "reading, writing and number"),
    AreaOfNeed("CI", "Communication and interaction", "talking, listening and social skills"),
    AreaOfNeed(
        "SEMH", "Social, emotional and mental health", "emotions, mental health and behaviour"
    ),
    AreaOfNeed("SP", "Sensory and/or physical", "seeing, hearing and physical skills"),
)
AREA_BY_CODE: dict[str, AreaOfNeed] = {a.code: a for a in AREAS_OF_NEED}


@dataclass(frozen=True)
class NeedType:
    code: str
    label: str
    area: str | None  # an AreaOfNeed code; None where the census gives no broad area


NEED_TYPES: tuple[NeedType, ...] = (
    NeedType("SPLD", "Specific learning difficulty", "CL"),
    NeedType("MLD", "Moderate learning difficulty", "CL"),
    NeedType("SLD", "Severe learning difficulty", "CL"),
    NeedType("PMLD", "Profound and multiple learning difficulty", "CL"),
    NeedType("DS", "Down syndrome", "CL"),
    NeedType("SEMH", "Social, emotional and mental health", "SEMH"),
    NeedType("SLCN", "Speech, language and communication needs", "CI"),
    NeedType("ASD", "Autistic spectrum disorder", "CI"),
    NeedType("HI", "Hearing impairment", "SP"),
    NeedType("VI", "Vision impairment", "SP"),
    NeedType("MSI", "Multi-sensory impairment", "SP"),
    NeedType("PD", "Physical disability", "SP"),
    NeedType("OTH", "Other difficulty or disability", None),
    NeedType("NSA", "SEN support but no specialist assessment of the type of need", None),
)
NEED_BY_CODE: dict[str, NeedType] = {n.code: n for n in NEED_TYPES}


def need_label(code: str | None) -> str:
    """The census need's name, or an empty string when there is none."""
    if not code:
        return ""
    need = NEED_BY_CODE.get(code)
    return need.label if need else code


def area_of_need(code: str | None) -> AreaOfNeed | None:
    """The broad area of need a census need type belongs to."""
    need = NEED_BY_CODE.get(code or "")
    return AREA_BY_CODE[need.area] if need and need.area else None


class Stage(StrEnum):
    """A stage of one Assess-Plan-Do-Review cycle."""

    ASSESS = "assess"
    PLAN = "plan"
    DO = "do"
    REVIEW = "review"
    CLOSED = "closed"


class NextStep(StrEnum):
    """The decision at the end of a review (DOMAIN.md, "the next step")."""

    EXIT = "exit"  # good progress: back to N
    CONTINUE = "continue"  # some progress: new cycle, unmet outcomes carried forward
    SPECIALIST = "specialist"  # little or no progress: seek specialist advice
    EHCNA = "ehcna"  # major concern: request an EHC needs assessment


NEXT_STEP_LABELS: dict[str, str] = {
    "exit": "Good progress, no further concern: remove from SEN support",
    "continue": "Some progress: another cycle, unmet outcomes carried forward",
    "specialist": "Little or no progress: seek specialist advice and plan another cycle",
    "ehcna": "Major concern: request an EHC needs assessment",
}


class Rating(StrEnum):
    """How far an outcome was met at review."""

    NOT_STARTED = "not_started"
    SOME_PROGRESS = "some_progress"
    GOOD_PROGRESS = "good_progress"
    ACHIEVED = "achieved"


RATING_LABELS: dict[str, str] = {
    "not_started": "Not yet started",
    "some_progress": "Some progress",
    "good_progress": "Good progress",
    "achieved": "Achieved",
}

EVIDENCE_KINDS: dict[str, str] = {
    "standardised_test": "Standardised test",
    "observation": "Observation",
    "work_sample": "Work sample",
    "teacher_assessment": "Teacher assessment",
    "outside_report": "Outside report",
}

NOTE_KINDS: dict[str, str] = {
    "concern": "Concern",
    "observation": "Observation",
    "conversation": "Conversation",
    "advice": "Advice",
    "other": "Other",
}

MEETING_KINDS: dict[str, str] = {
    "sen_review": "SEN support review",
    "initial_concern": "Initial concern meeting",
    "ehc_annual_review": "EHC plan annual review",
    "multi_agency": "Multi-agency meeting",
}
# Meetings that count as a review with parents (Code of Practice 6.65).
REVIEW_MEETING_KINDS: frozenset[str] = frozenset({"sen_review", "ehc_annual_review"})

MEETING_STATUSES: dict[str, str] = {
    "planned": "Planned",
    "held": "Held",
    "cancelled": "Cancelled",
    "moved": "Moved",
}

REFERRAL_KINDS: dict[str, str] = {
    "specialist_advice": "Specialist advice",
    "ehc_needs_assessment": "EHC needs assessment requested",
}

REFERRAL_SERVICES: dict[str, str] = {
    "EP": "Educational psychologist",
    "SALT": "Speech and language therapy",
    "OT": "Occupational therapy",
    "BSS": "Behaviour support",
    "STS": "Specialist teaching service",
    "CAMHS": "CAMHS",
    "LIFT": "Local Inclusion Forum Team (LIFT)",
    "LA": "Local authority",
    "OTHER": "Other",
}

REFERRAL_STATUSES: dict[str, str] = {
    "requested": "Requested",
    "accepted": "Accepted",
    "declined": "Declined",
    "advice_received": "Advice received",
    "closed": "Closed",
}

CONTACT_METHODS: dict[str, str] = {
    "phone": "Phone",
    "email": "Email",
    "letter": "Letter",
    "in_person": "In person",
}

SEXES: dict[str, str] = {"F": "Female", "M": "Male"}

# What a member of staff may do on a team server; the database enforces it (sendesk.server.access).
ACCESS_ROLES: dict[str, str] = {
    "senco": "SENCo: sees and changes everything",
    "teacher": "Teacher: reads the pupils of their classes and adds notes",
    "assistant": "Teaching assistant: records the sessions they deliver",
    "leader": "Leader: anonymised reports only",
}

# National Curriculum years as the census writes them, stored as integers.
YEAR_GROUPS: dict[int, str] = {-2: "N1", -1: "N2", 0: "Reception"} | {
    y: f"Year {y}" for y in range(1, 15)
}

# The ages a pupil can be: nursery from 2, and an EHC plan can run to 25. Which year group fits
# an age is `school_year.expected_year_group`, the one age rule.
YOUNGEST_PUPIL_AGE = 2
OLDEST_PUPIL_AGE = 25


def year_group_label(year: int | None) -> str:
    return "" if year is None else YEAR_GROUPS.get(year, str(year))


def sql_in(values: Iterable[str]) -> str:
    """A SQL `IN (...)` list of string codes for a check constraint."""
    return "(" + ", ".join("'" + str(c).replace("'", "''") + "'" for c in values) + ")"
