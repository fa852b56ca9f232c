"""The EHC needs assessment evidence pack: the pupil's history across every cycle.

What a local authority asks for when a school requests an EHC needs assessment or top-up funding:
needs, outcomes and their ratings, provision with its cost and each school year's total against
the notional SEN threshold, sessions delivered, referrals and specialist advice, meetings held.
"""

from __future__ import annotations

from reportlab.platypus import Flowable  # type: ignore[import-untyped, unused-ignore]

from sendesk import codes
from sendesk.cycle import CostSummary, pounds
from sendesk.documents import common
from sendesk.documents.style import (
    DocumentOptions,
    Letterhead,
    Styles,
    heading,
    labelled,
    para,
    render,
    styles,
    subheading,
    table,
)
from sendesk.models import Cycle, Pupil

TITLE = "EHC needs assessment evidence pack"


def build(
    pupil: Pupil,
    letterhead: Letterhead,
    threshold_pence: int,
    options: DocumentOptions | None = None,
) -> bytes:
    options = options or DocumentOptions()
    return render(story(pupil, threshold_pence, options), letterhead, options, TITLE)


year_label = common.year_label
yearly_costs = common.yearly_costs


def story(pupil: Pupil, threshold_pence: int, options: DocumentOptions) -> list[Flowable]:
    s = styles(options)
    cycles = sorted(pupil.cycles, key=lambda c: c.number)
    needs = [c for c in (pupil.primary_need, pupil.secondary_need) if c]
    out: list[Flowable] = [
        para(f"Evidence pack: {common.name(pupil)}", s.title),
        para(
            "The history of the pupil's SEN support under the graduated approach, for a request "
            "for an Education, Health and Care needs assessment.",
            s.small,
        ),
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
    if costs:
        out += table(
            ["School year", "Provision cost", f"Against the {pounds(threshold_pence)} threshold"],
            [
                (year, pounds(total), "Over" if CostSummary(total, threshold_pence).over_threshold
                 else "Within")
                for year, total in costs.items()
            ],
            s,
        )  # fmt: skip
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
        )
    else:
        out.append(para("No referrals recorded.", s.small))
    out += heading("Meetings held", s)
    held = sorted((m for m in pupil.meetings if m.status == "held"), key=lambda m: m.starts_at)
    if held:
        out += table(
            ["Date", "Meeting", "Who took part", "Notes"],
            [
                (
                    common.show(m.starts_at.date()),
                    codes.MEETING_KINDS.get(m.kind, m.kind),
                    m.attendees or "",
                    m.notes or "",
                )
                for m in held
            ],
            s,
        )
    else:
        out.append(para("No meetings recorded as held.", s.small))
    return out


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
            ["Provision", "Who", "How often, how long", "Held", "Cost", "Impact"],
            [
                (
                    p.description,
                    p.delivered_by or "",
                    f"{common.how_often(p)}; {common.group(p)}; {common.how_long(p)}",
                    f"{common.sessions_held(p)} of {p.sessions_per_week * p.weeks:g}",
                    pounds(common.cost_pence(p)),
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
