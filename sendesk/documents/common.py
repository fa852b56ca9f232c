"""Words the documents share about pupils, needs and provision (plain values in, text out)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from reportlab.platypus import Flowable  # type: ignore[import-untyped, unused-ignore]

from sendesk import codes, names
from sendesk.cycle import STAGE_LABELS, pounds, provision_cost_pence
from sendesk.documents.style import Styles, facts, labelled, para
from sendesk.models import Cycle, Provision, Pupil
from sendesk.school_year import school_year_label as school_year_label  # asked of common too


def show(day: dt.date | None, empty: str = "") -> str:
    return day.strftime("%d/%m/%Y") if day else empty


def long_date(day: dt.date, *, whole: bool = False) -> str:
    """'Thursday 21 January 2027'; `whole` keeps it on one line (a title, which would break it
    after the day's number; from the document review)."""
    text = f"{day:%A} {day.day} {day:%B %Y}"
    return text.replace(" ", "\u00a0") if whole else text


def name(pupil: Pupil) -> str:
    """The name the pupil goes by."""
    return pupil.known_as


def legal_name(pupil: Pupil) -> str:
    return names.legal_name(pupil.legal_forename, pupil.legal_surname)


def need_words(code: str) -> str:
    """'Specific learning difficulty (SPLD): reading, writing and number'."""
    area = codes.area_of_need(code)
    words = f": {area.plain_words}" if area else ""
    return f"{codes.need_label(code)} ({code}){words}"


def needs_of(pupil: Pupil, cycle: Cycle | None) -> list[str]:
    """The pupil's census needs, primary then secondary, then any other the cycle assessed
    (from the document review: a plan listing only the cycle's needs never told staff that the
    pupil's secondary need was autism)."""
    found = [n.need_code for n in cycle.needs] if cycle is not None else []
    ranked = [c for c in (pupil.primary_need, pupil.secondary_need) if c]
    return ranked + [c for c in dict.fromkeys(found) if c not in ranked]


def how_often(p: Provision) -> str:
    per_week = f"{p.sessions_per_week:g} session{'s' if p.sessions_per_week != 1 else ''} a week"
    return f"{per_week}, {p.minutes_per_session} minutes each"


def how_long(p: Provision) -> str:
    weeks = f"{p.weeks} week{'s' if p.weeks != 1 else ''}"
    return f"{weeks} from {show(p.starts_on)}" if p.starts_on else weeks


def group(p: Provision) -> str:
    return "one to one" if p.group_size <= 1 else f"group of {p.group_size}"


def cost_words(p: Provision) -> str:
    """'£240', or '£450 (fixed cost)' for an item paid for once, such as an EP visit."""
    cost = pounds(cost_pence(p))
    return f"{cost} (fixed cost)" if p.fixed_cost_pence else cost


def area_words(code: str | None) -> str:
    area = codes.AREA_BY_CODE.get(code or "")
    return area.label if area else ""


def key_adults(pupil: Pupil, senco: str | None) -> list[tuple[str, str]]:
    """The adults who know the pupil best, for the plan and the passport."""
    rows = [("Class teacher", pupil.class_teacher or "Not recorded")]
    if pupil.key_worker:
        rows.append(("Key worker", pupil.key_worker))
    rows.append(("SENCo", senco or "Not recorded"))
    return rows


def year_label(cycle: Cycle) -> str:
    return school_year_label(cycle.opened_on)


def yearly_costs(cycles: list[Cycle]) -> dict[str, int]:
    """Planned provision cost per school year (by the year each cycle started), oldest first."""
    totals: dict[str, int] = defaultdict(int)
    for cycle in sorted(cycles, key=lambda c: c.opened_on):
        totals[year_label(cycle)] += sum(cost_pence(p) for p in cycle.provisions)
    return dict(totals)


def cost_pence(p: Provision) -> int:
    return provision_cost_pence(
        p.sessions_per_week,
        p.minutes_per_session,
        p.weeks,
        p.group_size,
        p.hourly_rate_pence or 0,
        p.fixed_cost_pence,
    )


def sessions_held(p: Provision) -> int:
    return sum(1 for s in p.sessions if s.attended)


def stage_text(cycle: Cycle) -> str:
    return STAGE_LABELS.get(cycle.stage, cycle.stage)


def pupil_facts(
    pupil: Pupil, s: Styles, extra: list[tuple[str, str]] | None = None
) -> list[Flowable]:
    """The pupil's details as a grid of labels and values."""
    rows: list[tuple[str, object]] = [("Name", name(pupil))]
    if name(pupil) != legal_name(pupil):
        rows.append(("Legal name", legal_name(pupil)))
    year_class = " ".join(
        x for x in (codes.year_group_label(pupil.year_group), pupil.class_name or "") if x
    )
    rows += [
        ("Date of birth", show(pupil.date_of_birth, "Not recorded")),
        ("Year and class", year_class or "Not recorded"),
        ("UPN", pupil.upn or "Not recorded"),
        ("SEN status", codes.SEN_STATUS_LABELS.get(pupil.sen_status, pupil.sen_status)),
        ("Home language", language(pupil)),
    ]
    rows += extra or []
    return facts(rows, s)


def language(pupil: Pupil) -> str:
    """'Urdu (the family needs an interpreter)', or 'English'."""
    spoken = pupil.home_language or "Not recorded"
    return f"{spoken} (the family needs an interpreter)" if pupil.interpreter_needed else spoken


def bullet_list(items: list[str], s: Styles, empty: str = "None recorded") -> list[Flowable]:
    if not items:
        return [para(empty, s.small)]
    return [para(f"•  {item}", s.body) for item in items]


def views(label: str, text: str | None, s: Styles) -> list[Flowable]:
    return labelled(label, text, s)
