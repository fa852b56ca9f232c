"""The EHC needs assessment evidence pack: the pupil's history across every cycle.

What a local authority asks for when a school requests an EHC needs assessment or top-up funding:
needs, outcomes and their ratings, provision with its cost and each school year's total against
the notional SEN threshold, sessions delivered, referrals and specialist advice, meetings held.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.platypus import (  # type: ignore[import-untyped, unused-ignore]
    Flowable,
    KeepTogether,
)

from sendesk import attendance, codes
from sendesk.attendance import TermFigures
from sendesk.cycle import CostSummary, pounds
from sendesk.documents import common
from sendesk.documents.charts import EXPECTED_WORDS, progress_lines
from sendesk.documents.style import (
    DocumentOptions,
    Letterhead,
    Styles,
    facts,
    heading,
    labelled,
    para,
    render,
    signature_grid,
    styles,
    subheading,
    table,
)
from sendesk.expectations import MeasureHistory
from sendesk.models import Cycle, Provision, Pupil
from sendesk.school_year import school_year_start

TITLE = "EHC needs assessment evidence pack"
ANNUAL_TITLE = "Evidence for the EHC plan's annual review"


def title_for(pupil: Pupil) -> str:
    """A pupil with an EHC plan: the same pack, for the plan's annual review."""
    return ANNUAL_TITLE if pupil.sen_status == "E" else TITLE


@dataclass(frozen=True)
class Extras:
    """What the pack prints beside the pupil's cycles: attendance per term and each measure's
    scores (with what the school expects for the year group), oldest first."""

    attendance: Sequence[TermFigures] = ()
    measures: Sequence[MeasureHistory] = ()


def build(
    pupil: Pupil,
    letterhead: Letterhead,
    threshold_pence: int,
    options: DocumentOptions | None = None,
    extras: Extras | None = None,
) -> bytes:
    options = options or DocumentOptions()
    found = story(pupil, threshold_pence, options, extras or Extras())
    return render(found, letterhead, options, title_for(pupil), about=common.name(pupil))


year_label = common.year_label
yearly_costs = common.yearly_costs


def story(
    pupil: Pupil, threshold_pence: int, options: DocumentOptions, extras: Extras | None = None
) -> list[Flowable]:
    s = styles(options)
    extras = extras or Extras()
    cycles = sorted(pupil.cycles, key=lambda c: c.number)
    needs = [c for c in (pupil.primary_need, pupil.secondary_need) if c]
    annual = pupil.sen_status == "E"
    purpose = (
        "for the annual review of the pupil's Education, Health and Care plan."
        if annual
        else "for a request for an Education, Health and Care needs assessment."
    )
    out: list[Flowable] = [
        para(f"{'Annual review evidence' if annual else 'Evidence pack'}: {common.name(pupil)}",
             s.title),
        para(f"The history of the pupil's SEN support under the graduated approach, {purpose}",
             s.small),
    ]  # fmt: skip
    reviewed = sum(1 for c in cycles if c.review is not None)
    # Only a request for an assessment is judged by its cycles; an EHC plan's annual review is
    # not (from the document review: the warning stood on an annual review's pack).
    if reviewed < 2 and not annual:
        cycles_shown = (
            "no reviewed cycle is"  # not "only 0 reviewed cycles" (from the document review)
            if reviewed == 0
            else "1 reviewed cycle is"
            if reviewed == 1
            else f"{reviewed} reviewed cycles are"
        )
        out.append(
            para(
                f"Warning: {'only ' if reviewed else ''}{cycles_shown} shown. Local authorities "
                "usually ask for at least two cycles of assess, plan, do, review before an "
                "assessment.",
                s.label,
            )
        )
    out += [
        *common.pupil_facts(
            pupil,
            s,
            [
                ("Needs", "; ".join(common.need_words(c) for c in needs) or "Not recorded"),
                ("On SEN support since", common.show(pupil.sen_support_since, "Not recorded")),
                ("Cycles recorded", str(len(cycles))),
            ],
        ),
    ]
    out += heading("Summary of cycles", s)
    if cycles:
        out += table(
            ["Cycle", "Dates", "Outcomes achieved", "Provision cost", "Decision at review"],
            [_summary_row(c) for c in cycles],
            s,
        )
    else:
        out.append(para("No cycles of SEN support are recorded yet.", s.small))
    out += heading("Provision cost by school year", s)
    costs = yearly_costs(cycles)
    delivered = delivered_costs(cycles)
    if costs or delivered:
        years = sorted(set(costs) | set(delivered))
        out += table(
            ["School year", "Planned cost", "Delivered (sessions held)",
             f"Against the {pounds(threshold_pence)} threshold"],
            [
                (year, pounds(costs.get(year, 0)), pounds(delivered.get(year, 0)),
                 "Over" if CostSummary(max(costs.get(year, 0), delivered.get(year, 0)),
                                       threshold_pence).over_threshold else "Within")
                for year in years
            ],
            s,
        )  # fmt: skip
        out.append(
            para(
                "Planned cost is counted in the school year a cycle started; delivered cost in "
                "the school year each session was held.",
                s.small,
            )
        )
    out += _attainment(cycles, s)
    out += _measures(extras.measures, cycles, s)
    out += _attendance(extras.attendance, s)
    out += _request(pupil, s)
    for cycle in cycles:
        out += _cycle(cycle, s)
    out += heading("Referrals and specialist advice", s)
    referrals = sorted(pupil.referrals, key=lambda r: r.requested_on)
    if referrals:
        out += table(
            ["Service", "Asked for", "Requested", "Answered", "Status", "Advice"],
            [
                (
                    codes.REFERRAL_SERVICES.get(r.service, r.service),
                    codes.REFERRAL_KINDS.get(r.kind, r.kind),
                    common.show(r.requested_on),
                    common.show(r.responded_on),
                    codes.REFERRAL_STATUSES.get(r.status, r.status),
                    r.advice or "",
                )
                for r in referrals
            ],
            s,
            optional=(3, 5),  # when no referral has been answered yet
        )
    else:
        out.append(para("No referrals recorded.", s.small))
    out += heading("Meetings held", s)
    held = sorted((m for m in pupil.meetings if m.status == "held"), key=lambda m: m.starts_at)
    staff = not options.for_parents  # meeting notes are for staff only
    if held:
        out += table(
            ["Date", "Meeting", "Who took part", *(["Notes"] if staff else [])],
            [
                (
                    common.show(m.starts_at.date()),
                    codes.MEETING_KINDS.get(m.kind, m.kind),
                    m.attendees or "",
                    *([m.notes or ""] if staff else []),
                )
                for m in held
            ],
            s,
            optional=(2, 3),
        )
    else:
        out.append(para("No meetings recorded as held.", s.small))
    return out


def delivered_pence(p: Provision) -> dict[str, int]:
    """What the sessions held cost, by the school year they were held in; a fixed cost (an EP
    visit) counts once, in the year of its first session."""
    held = sorted(x.held_on for x in p.sessions if x.attended)
    if not held:
        return {}
    if p.fixed_cost_pence:
        return {common.school_year_label(held[0]): p.fixed_cost_pence}
    planned = p.sessions_per_week * p.weeks
    each = common.cost_pence(p) / planned if planned else 0
    totals: dict[str, int] = {}
    for day in held:
        year = common.school_year_label(day)
        totals[year] = totals.get(year, 0) + round(each)
    return totals


def delivered_costs(cycles: list[Cycle]) -> dict[str, int]:
    totals: dict[str, int] = {}
    for cycle in cycles:
        for p in cycle.provisions:
            for year, pence in delivered_pence(p).items():
                totals[year] = totals.get(year, 0) + pence
    return totals


def _attainment(cycles: list[Cycle], s: Styles) -> list[Flowable]:
    """Each assessment measure as a dated series, oldest first."""
    series: dict[tuple[str, str], list[tuple[dt.date | None, str]]] = {}
    for cycle in cycles:
        for e in cycle.evidence:
            if e.score:
                key = (codes.EVIDENCE_KINDS.get(e.kind, e.kind), e.source or "")
                series.setdefault(key, []).append((e.recorded_on, e.score))
    out = heading("Attainment and progress over time", s)
    if not series:
        return [*out, para("No assessment results recorded.", s.small)]
    rows = []
    for (kind, source), points in series.items():
        points.sort(key=lambda t: t[0] or dt.date.min)
        for day, score in points:
            rows.append((kind, source, common.show(day, "Undated"), score))
    return out + table(["Measure", "From", "Date", "Result"], rows, s)


def _measures(
    histories: Sequence[MeasureHistory], cycles: list[Cycle], s: Styles
) -> list[Flowable]:
    """Each measure the school scores the pupil on, charted over time with a dashed line where each
    cycle began, and beside each score the value expected for the pupil's year group that day."""
    out: list[Flowable] = []
    marks = [(c.number, c.opened_on) for c in cycles]
    for h in histories:
        better = "higher" if h.higher_is_better else "lower"
        out += subheading(f"{h.measure} ({h.unit}; {better} is better)", s)
        expected = _steps([(p.day, p.expected) for p in h.points if p.expected is not None])
        out.append(
            progress_lines(
                "",
                [(p.day, p.value) for p in h.points],
                marks,
                s.frame_width(),
                expected=expected,
                text_size=float(s.small.fontSize),
            )
        )
        header = ["Date", f"Score ({h.unit})"]
        rows: list[tuple[str, ...]] = [(common.show(p.day), f"{p.value:g}") for p in h.points]
        if h.has_expected:
            header.append(EXPECTED_WORDS)
            rows = [
                (*row, "Not set" if p.expected is None else f"{p.expected:g}")
                for row, p in zip(rows, h.points, strict=True)
            ]
        out += table(header, rows, s)
        if not h.has_expected:
            out.append(
                para(
                    "The school records no expected value on this measure for the pupil's year "
                    "group.",
                    s.small,
                )
            )
    return out


def _steps(expected: list[tuple[dt.date, float]]) -> list[tuple[dt.date, float]]:
    """Expected values as a line that holds through each school year and steps on 1 September,
    so no value is drawn as expected between one year group's and the next."""
    out: list[tuple[dt.date, float]] = []
    for day, value in expected:
        if out and out[-1][1] != value:
            starts = max(school_year_start(day), out[-1][0] + dt.timedelta(days=1))
            out += [(starts - dt.timedelta(days=1), out[-1][1]), (starts, value)]
        out.append((day, value))
    return out


def _attendance(terms: Sequence[TermFigures], s: Styles) -> list[Flowable]:
    """Sessions possible and attended in each term, with the percentage attended."""
    out = heading("Attendance per term", s)
    if not terms:
        return [*out, para("No attendance figures recorded.", s.small)]
    rows = []
    for t in terms:
        shown = attendance.percent_words(t.sessions_attended, t.sessions_possible)
        if attendance.persistently_absent(t.sessions_attended, t.sessions_possible):
            shown += " (persistent absence)"
        rows.append(
            (
                attendance.year_label(t.school_year),
                attendance.TERMS.get(t.term, t.term),
                str(t.sessions_possible),
                str(t.sessions_attended),
                shown,
            )
        )
    out += table(["School year", "Term", "Sessions possible", "Sessions attended", "Attended"],
                 rows, s)  # fmt: skip
    out.append(
        para(
            "As the school's MIS reports them; a session is a morning or an afternoon. "
            + attendance.PERSISTENT_ABSENCE_WORDS,
            s.small,
        )
    )
    return out


def _request(pupil: Pupil, s: Styles) -> list[Flowable]:
    """The request itself: its date, the parents' consent and the SENCo's sign-off."""
    latest = pupil.ehc_request
    dates = facts(
        [
            ("Date of the request", common.show(latest.requested_on if latest else None,
                                                "Not yet requested")),
            ("Parents' consent", common.show(latest.parent_consent_on if latest else None,
                                             "Not yet recorded")),
            ("SENCo's sign-off", common.show(latest.signed_off_on if latest else None,
                                             "Not yet signed off")),
        ],
        s,
    )  # fmt: skip
    # The heading, the dates and the signatures for them on one page. (One KeepTogether, with
    # the heading inside it: measuring a KeepTogether below a heading fails in ReportLab.)
    grid = signature_grid(["Parent or carer (consent)", "SENCo (sign-off)"], s, bare=True)
    return [KeepTogether([*heading("The request", s), *dates, grid])]


def _summary_row(cycle: Cycle) -> tuple[str, ...]:
    achieved = sum(1 for o in cycle.outcomes if o.rating == codes.Rating.ACHIEVED)
    closed = common.show(cycle.closed_on) or f"open ({common.stage_text(cycle)})"
    decision = codes.NEXT_STEP_LABELS.get(cycle.next_step or "", "")
    return (
        str(cycle.number),
        f"{common.show(cycle.opened_on)} – {closed}",
        f"{achieved} of {len(cycle.outcomes)}",
        pounds(sum(common.cost_pence(p) for p in cycle.provisions)),
        decision.split(":")[0] if decision else "Not yet reviewed",
    )


def _cycle(cycle: Cycle, s: Styles) -> list[Flowable]:
    closed = common.show(cycle.closed_on) or "still open"
    out = heading(f"Cycle {cycle.number}: {common.show(cycle.opened_on)} to {closed}", s)
    needs = [common.need_words(n.need_code) for n in cycle.needs]
    out += labelled("Needs identified", "; ".join(needs), s)
    out += labelled("The concern", cycle.concern, s)
    if cycle.evidence:
        out += subheading("Assessment evidence", s)
        out += table(
            ["Evidence", "Date", "From", "Result", "Note"],
            [
                (
                    codes.EVIDENCE_KINDS.get(e.kind, e.kind),
                    common.show(e.recorded_on),
                    e.source or "",
                    e.score or "",
                    e.note or "",
                )
                for e in cycle.evidence
            ],
            s,
        )
    out += subheading("Outcomes and progress", s)
    if cycle.outcomes:
        out += table(
            ["Outcome", "How we will know", "Rating", "Comment"],
            [
                (
                    o.description,
                    o.success_criteria or "",
                    codes.RATING_LABELS.get(o.rating or "", "Not yet rated"),
                    o.rating_comment or "",
                )
                for o in cycle.outcomes
            ],
            s,
        )
    else:
        out.append(para("No outcomes recorded.", s.small))
    out += subheading("Provision, delivery and cost", s)
    if cycle.provisions:
        out += table(
            ["Provision", "Who", "How often, how long", "Held", "Planned cost", "Impact"],
            [
                (
                    p.description,
                    p.delivered_by or "",
                    f"{common.how_often(p)}; {common.group(p)}; {common.how_long(p)}",
                    f"{common.sessions_held(p)} of {p.sessions_per_week * p.weeks:g}",
                    common.cost_words(p),
                    p.impact or "",
                )
                for p in cycle.provisions
            ],
            s,
        )
    else:
        out.append(para("No provision recorded.", s.small))
    if cycle.review is not None:
        r = cycle.review
        out += subheading(f"Review held {common.show(r.held_on)}", s)
        out += labelled("Parents' views", r.parent_views, s)
        out += labelled("Pupil's views", r.pupil_views, s)
        out += labelled("Who took part", r.attendees, s)
        decision = codes.NEXT_STEP_LABELS.get(cycle.next_step or "", "Not recorded")
        out += labelled("Decision", decision, s)
    return out
