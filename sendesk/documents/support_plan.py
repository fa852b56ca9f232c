"""The SEN support plan for the parent meeting, laid out by the school's plan template.

Sections, their order and their headings come from `PlanTemplate`; this module only knows how to
fill each kind of section from the pupil and the cycle.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from reportlab.platypus import Flowable, KeepTogether, Spacer  # type: ignore[import-untyped, unused-ignore]

from sendesk import calendar, codes
from sendesk.cycle import pounds
from sendesk.documents import common
from sendesk.documents.plan_template import PlanTemplate, Section
from sendesk.documents.style import (
    DocumentOptions,
    Letterhead,
    Part,
    Styles,
    facts,
    heading,
    labelled,
    para,
    question,
    render_many,
    signature_grid,
    styles,
    subheading,
    table,
)
from sendesk.models import Cycle, Provision, Pupil

Filler = Callable[[Pupil, Cycle, Styles, "Extras"], list[Flowable]]


@dataclass(frozen=True)
class Extras:
    """What the plan needs from the school's settings."""

    senco: str | None = None
    threshold_pence: int = 600_000
    cost_for_parents: bool = False  # does a parents' copy show what the support costs?
    # Each assessment measure's name by id: the measure that shows a provision's impact.
    measures: Mapping[int, str] = field(default_factory=dict)
    printed_on: dt.date | None = None  # a review date before it is said to be overdue


def build(
    pupil: Pupil,
    cycle: Cycle,
    letterhead: Letterhead,
    template: PlanTemplate,
    options: DocumentOptions | None = None,
    extras: Extras | None = None,
) -> bytes:
    options = options or DocumentOptions()
    one = part(pupil, cycle, template, options, extras)
    return render_many([one], letterhead, options, template.title)


def part(
    pupil: Pupil,
    cycle: Cycle,
    template: PlanTemplate,
    options: DocumentOptions,
    extras: Extras | None = None,
) -> Part:
    """The plan as one document of a print run ("DRAFT" on every page until it is agreed)."""
    found = story(pupil, cycle, template, options, extras or Extras())
    return Part(found, template.title, is_draft(cycle), common.name(pupil))


def is_draft(cycle: Cycle) -> bool:
    # A plan still being written is a draft until it is agreed with the parents.
    return cycle.stage in ("assess", "plan") and cycle.review is None


def story(
    pupil: Pupil,
    cycle: Cycle,
    template: PlanTemplate,
    options: DocumentOptions,
    extras: Extras | None = None,
) -> list[Flowable]:
    s = styles(options)
    extras = extras or Extras()
    draft = " (DRAFT: not yet agreed)" if is_draft(cycle) else ""
    out: list[Flowable] = [
        para(f"{template.title}: {common.name(pupil)}{draft}", s.title),
        para(
            f"Cycle {cycle.number} of the graduated approach (assess, plan, do, review), "
            f"started {common.show(cycle.opened_on)}. "
            f"Review date: {common.show(cycle.review_date, 'not yet agreed')}.",
            s.small,
        ),
    ]
    if cycle.review is not None:
        # An old plan is never printed as if it were the current one.
        step = codes.NEXT_STEP_LABELS.get(cycle.next_step or "", "not recorded")
        out.append(
            para(
                f"REVIEWED on {common.show(cycle.review.held_on)}: this plan is no longer "
                f"current. Next step: {step}.",
                s.label,
            )
        )
    for section in template.sections:
        out.extend(heading(section.heading, s))
        if section.note:
            out.append(para(section.note, s.small))
        out.extend(_section(section, pupil, cycle, s, extras))
    return out


def _section(
    section: Section, pupil: Pupil, cycle: Cycle, s: Styles, extras: Extras
) -> list[Flowable]:
    if section.kind == "text":
        return [para(section.text, s.body)]
    return FILLERS[section.kind](pupil, cycle, s, extras)


def _pupil(pupil: Pupil, cycle: Cycle, s: Styles, extras: Extras) -> list[Flowable]:
    return [
        *common.pupil_facts(pupil, s, common.key_adults(pupil, extras.senco)),
        *labelled("Health and medical needs", pupil.medical_notes, s, "None recorded"),
    ]


def _needs(pupil: Pupil, cycle: Cycle, s: Styles, extras: Extras) -> list[Flowable]:
    needs = common.needs_of(pupil, cycle)
    out = common.bullet_list([common.need_words(c) for c in needs], s, "No need recorded yet")
    out += labelled("What we are concerned about", cycle.concern, s)
    return out


def _strengths(pupil: Pupil, cycle: Cycle, s: Styles, extras: Extras) -> list[Flowable]:
    return [
        *labelled("What the pupil is good at", pupil.strengths, s),
        *labelled("What helps", pupil.what_helps, s),
        *labelled("What does not help", pupil.what_does_not_help, s),
    ]


def _pupil_views(pupil: Pupil, cycle: Cycle, s: Styles, extras: Extras) -> list[Flowable]:
    return labelled("In the pupil's words", cycle.pupil_views or pupil.pupil_views, s)


def _parent_views(pupil: Pupil, cycle: Cycle, s: Styles, extras: Extras) -> list[Flowable]:
    return labelled("In the parents' or carers' words", cycle.parent_views, s)


def _teacher_views(pupil: Pupil, cycle: Cycle, s: Styles, extras: Extras) -> list[Flowable]:
    return labelled("The class teacher", cycle.teacher_views, s)


def _evidence(pupil: Pupil, cycle: Cycle, s: Styles, extras: Extras) -> list[Flowable]:
    if not cycle.evidence:
        return [para("No assessment evidence recorded.", s.small)]
    staff = not s.options.for_parents  # the notes on evidence are for staff only
    rows = [
        (
            codes.EVIDENCE_KINDS.get(e.kind, e.kind),
            common.show(e.recorded_on),
            e.source or "",
            e.score or "",
            *([e.note or ""] if staff else []),
        )
        for e in cycle.evidence
    ]
    header = ["Evidence", "Date", "From", "Result", *(["Note"] if staff else [])]
    return table(header, rows, s, optional=(2, 3, 4))


def _outcomes(pupil: Pupil, cycle: Cycle, s: Styles, extras: Extras) -> list[Flowable]:
    if not cycle.outcomes:
        return [para("No outcomes agreed yet.", s.small)]
    review = common.show(cycle.review_date, "the review")
    rows = [
        (
            str(number),
            o.description,
            common.area_words(o.area_code),
            o.success_criteria or "",
            common.show(o.target_date) or review,
        )
        for number, o in enumerate(cycle.outcomes, start=1)
    ]
    return table(["", "What the pupil will achieve", "Area of need", "How we will know", "By when"],
                 rows, s)  # fmt: skip


def _provision(pupil: Pupil, cycle: Cycle, s: Styles, extras: Extras) -> list[Flowable]:
    if not cycle.provisions:
        return [para("No provision planned yet.", s.small)]
    costed = extras.cost_for_parents or not s.options.for_parents
    header = ["What", "Who", "Where and when", "How often, how long", "Expected impact"]
    rows = []
    for p in cycle.provisions:
        row = [
            p.description,
            p.delivered_by or "",
            p.where_when or "",
            f"{common.how_often(p)}; {common.group(p)}; {common.how_long(p)}",
            _impact(p, extras),
        ]
        rows.append([*row, common.cost_words(p)] if costed else row)
    # Who, where and when, and the impact expected: left out when no provision records them.
    out = table([*header, "Cost"] if costed else header, rows, s, optional=(1, 2, 4))
    if costed:
        year = common.year_label(cycle)
        # The year's cycles only: a print run loads no other cycle's provisions.
        this_year = [c for c in pupil.cycles if common.year_label(c) == year]
        total = common.yearly_costs(this_year).get(year, 0)
        plan = sum(common.cost_pence(p) for p in cycle.provisions)
        verdict = "over" if total > extras.threshold_pence else "within"
        out.append(
            para(
                # The plan's own school year, which a plan printed later is not in (from the
                # document review: "this school year (2025/26)" on a page printed in 2026/27).
                f"This plan: {pounds(plan)}. All SEN support in {year}, the school year this "
                "plan began: "
                f"{pounds(total)}, {verdict} the notional SEN threshold of "
                f"{pounds(extras.threshold_pence)}.",
                s.body,
            )
        )
    return out


def _impact(p: Provision, extras: Extras) -> str:
    """The impact expected, and the measure whose scores will show it."""
    measure = extras.measures.get(p.measure_id) if p.measure_id is not None else None
    shown = f"Measured by: {measure}" if measure else ""
    return "\n".join(x for x in (p.expected_impact or "", shown) if x)


def _strategies(pupil: Pupil, cycle: Cycle, s: Styles, extras: Extras) -> list[Flowable]:
    items = [f"{t.text} ({t.for_whom})" if t.for_whom else t.text for t in cycle.strategies]
    return common.bullet_list(items, s)


def _review(pupil: Pupil, cycle: Cycle, s: Styles, extras: Extras) -> list[Flowable]:
    when = common.long_date(cycle.review_date) if cycle.review_date else "Not yet agreed"
    # A plan still current whose review date has passed says so (from the document review: a
    # plan printed in December gave "Thursday 26 November 2026" as if it were to come).
    if (
        cycle.review is None
        and extras.printed_on is not None
        and calendar.review_date_overdue(cycle.review_date, extras.printed_on)
    ):
        when += ", which is overdue"
    told = (
        f"{common.show(cycle.parents_informed_on)} ({cycle.parents_informed_how})"
        if cycle.parents_informed_on and cycle.parents_informed_how
        else common.show(cycle.parents_informed_on, "Not yet recorded")
    )
    return facts([("Review date", when), ("Parents told of the plan", told)], s)


SIGNATURES = "Signed to agree this plan"


def _comments(pupil: Pupil, cycle: Cycle, s: Styles, extras: Extras) -> list[Flowable]:
    grid = signature_grid(["Parent or carer", "Pupil", "Class teacher", "SENCo"], s, bare=True)
    # The comments and the signatures go on one page, so the signatures are never left alone
    # at the top of a page, apart from the plan they agree to, and the parents' and the pupil's
    # comments are not split across two pages (from the document review); what is taller than
    # a page (large print) still flows on.
    return [
        KeepTogether(
            [
                *question("Parents' or carers' comments", s, 4),
                Spacer(1, s.body_size),
                *question("The pupil's comments", s, 3),
                Spacer(1, s.body_size),
                *subheading(SIGNATURES, s),
                grid,
            ]
        )
    ]


FILLERS: dict[str, Filler] = {
    "pupil": _pupil,
    "needs": _needs,
    "strengths": _strengths,
    "pupil_views": _pupil_views,
    "parent_views": _parent_views,
    "teacher_views": _teacher_views,
    "evidence": _evidence,
    "outcomes": _outcomes,
    "provision": _provision,
    "strategies": _strategies,
    "review": _review,
    "comments": _comments,
}
