"""The record of a review (Code of Practice 6.65): given to parents after the meeting.

Ratings and comments per outcome, the impact of each provision, the views of parents and pupil,
who took part, and the next step. A cycle at Review with no review yet prints as a blank form to
fill in at the meeting.
"""

from __future__ import annotations

from reportlab.platypus import Flowable, KeepTogether, Spacer  # type: ignore[import-untyped, unused-ignore]

from sendesk import codes
from sendesk.documents import common
from sendesk.documents.style import (
    DocumentOptions,
    Letterhead,
    Styles,
    facts,
    heading,
    labelled,
    para,
    question,
    render,
    signature_grid,
    styles,
    subheading,
    table,
)
from sendesk.models import Cycle, Pupil
from sendesk.wording import plural

TITLE = "SEN support review record"


def build(
    pupil: Pupil, cycle: Cycle, letterhead: Letterhead, options: DocumentOptions | None = None
) -> bytes:
    options = options or DocumentOptions()
    found = story(pupil, cycle, options)
    return render(found, letterhead, options, TITLE, about=common.name(pupil))


def story(pupil: Pupil, cycle: Cycle, options: DocumentOptions) -> list[Flowable]:
    s = styles(options)
    review = cycle.review
    blank = review is None
    held = common.show(review.held_on) if review else ""
    out: list[Flowable] = [
        para(f"Review record: {common.name(pupil)}", s.title),
        para(
            "A record of the outcomes, actions and support agreed at the review "
            "(SEND Code of Practice 6.65). A copy is given to the parents.",
            s.small,
        ),
        *facts(
            [
                ("Pupil", common.name(pupil)),
                (
                    "Year and class",
                    " ".join(
                        x for x in (codes.year_group_label(pupil.year_group), pupil.class_name) if x
                    ),
                ),
                ("Cycle", f"Cycle {cycle.number}, plan started {common.show(cycle.opened_on)}"),
                ("Review due", common.show(cycle.review_date, "Not agreed")),
                ("Review held", held or "________________"),
            ],
            s,
        ),
    ]
    out += heading("Progress towards each outcome", s)
    if not cycle.outcomes:
        out.append(para("No outcomes were agreed in this cycle.", s.small))
    rows = [
        (
            str(n),
            o.description,
            o.success_criteria or "",
            codes.RATING_LABELS.get(o.rating or "", "") if not blank else "",
            (o.rating_comment or "") if not blank else "",
        )
        for n, o in enumerate(cycle.outcomes, start=1)
    ]
    if rows:
        out += table(
            ["", "Outcome", "How we will know", "Rating", "What we saw"],
            rows,
            s,
            roomy=(3, 4) if blank else (),  # room to write by hand on the blank form
        )
        if blank:
            ratings = ", ".join(codes.RATING_LABELS.values())
            out.append(para(f"Ratings: {ratings}.", s.small))
    out += heading("The support given and its impact", s)
    if cycle.provisions:
        out += table(
            ["Provision", "Who", "Sessions held", "Impact"],
            [
                (
                    p.description,
                    p.delivered_by or "",
                    f"{common.sessions_held(p)} of {p.sessions_per_week * p.weeks:g} planned",
                    p.impact or "",
                )
                for p in cycle.provisions
            ],
            s,
            optional=(1,),  # who delivered it, when no provision records that
        )
    else:
        out.append(para("No provision was planned in this cycle.", s.small))
    out += heading("Views", s)
    if blank:
        out += question("The parents' or carers' views", s, 4)
        out += question("The pupil's views", s, 3)
        out += question("Who took part", s, 2)
    else:
        assert review is not None
        out += labelled("The parents' or carers' views", review.parent_views, s)
        out += labelled("The pupil's views", review.pupil_views, s)
        out += labelled("Who took part", review.attendees, s)
        if review.summary:
            out += labelled("Summary", review.summary, s)
    out += heading("What happens next", s)
    if blank or not cycle.next_step:
        out += [para(f"☐  {label}", s.body) for label in codes.NEXT_STEP_LABELS.values()]
    else:
        out.append(para(codes.NEXT_STEP_LABELS.get(cycle.next_step, cycle.next_step), s.body))
        unmet = [o for o in cycle.outcomes if o.rating != codes.Rating.ACHIEVED]
        if unmet and cycle.next_step != codes.NextStep.EXIT:
            out.append(
                para(
                    f"{plural(len(unmet), 'outcome')} not yet achieved "
                    f"{'carries' if len(unmet) == 1 else 'carry'} into the next cycle.",
                    s.small,
                )
            )
    asked = [r for r in pupil.referrals if r.cycle_id == cycle.id]
    for r in asked:
        service = codes.REFERRAL_SERVICES.get(r.service, r.service)
        kind = codes.REFERRAL_KINDS.get(r.kind, r.kind)
        out.append(para(f"{kind}: {service}, asked for on {common.show(r.requested_on)}.", s.body))
    following = [c for c in pupil.cycles if c.number == cycle.number + 1]
    next_review = following[0].review_date if following else None
    # The actions agreed, the next review and the signatures for them on one page, so the
    # signatures are never left alone at the top of a page, nor the actions' rows to write in at
    # the foot of one. (Bare: ReportLab fails on a KeepTogether inside a KeepTogether.)
    last = [
        *_actions(review.actions if review else None, s),
        *facts([("Next review", common.show(next_review, "To be agreed"))], s),
        Spacer(1, s.body_size),
        signature_grid(["Parent or carer", "SENCo"], s, bare=True),
    ]
    return [*out, KeepTogether(last)]


def _actions(text: str | None, s: Styles) -> list[Flowable]:
    """The actions agreed: who does what by when (a line each, "who; what; by when")."""
    out = subheading("Actions agreed", s)
    lines = [ln.strip() for ln in (text or "").splitlines() if ln.strip()]
    if not lines:  # the blank form, or none written down: rows to fill in by hand
        rows: list[tuple[str, ...]] = [("", "", "")] * 4
    else:
        rows = [tuple([*ln.split(";"), "", ""][:3]) for ln in lines]
    return out + table(["Who", "What", "By when"], rows, s, roomy=(0, 1, 2) if not lines else ())
