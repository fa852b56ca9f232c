"""One pupil's inspection trace on paper: need, outcomes, provision, review and next step for
each cycle, with each measure over time as a chart (cycles marked)."""

from __future__ import annotations

from reportlab.platypus import Flowable, Spacer  # type: ignore[import-untyped, unused-ignore]

from sendesk.cycle import pounds
from sendesk.documents import common
from sendesk.documents.charts import progress_lines
from sendesk.documents.style import (
    DocumentOptions,
    Letterhead,
    facts,
    frame_size,
    heading,
    para,
    render,
    styles,
    subheading,
    table,
)
from sendesk.figures import PupilProgress, PupilTrace, TraceProvision

TITLE = "Inspection trace"


def _measured(p: TraceProvision) -> str:
    if not p.measure:
        return ""
    if p.entry is None or p.exit is None or p.change is None:
        return f"{p.measure}: no entry and exit scores"
    return f"{p.measure}: {p.entry:g} to {p.exit:g} ({p.change:+g})"


def build(
    found: PupilTrace,
    progress: PupilProgress,
    letterhead: Letterhead,
    options: DocumentOptions | None = None,
) -> bytes:
    options = options or DocumentOptions()
    s = styles(options)
    width = frame_size()[0]
    story: list[Flowable] = [
        para(f"Inspection trace: {found.name}", s.title),
        *facts(
            [
                ("Year and class", f"{found.year_group} {found.class_name}".strip()),
                ("SEN status", found.status),
                ("Needs", ", ".join(found.needs) or "Not recorded"),
            ],
            s,
        ),
    ]
    for c in found.cycles:
        closed = f" to {common.show(c.closed_on)}" if c.closed_on else ""
        story += heading(f"Cycle {c.number} ({c.stage}), {common.show(c.opened_on)}{closed}", s)
        story += facts(
            [("Need", ", ".join(c.needs) or "Not recorded"), ("Concern", c.concern or "")], s
        )
        if c.outcomes:
            story += subheading("Outcomes", s)
            story += table(
                ("Outcome", "How we will know", "At review"),
                [
                    (
                        o.description,
                        o.success_criteria,
                        o.rating + (f": {o.comment}" if o.comment else ""),
                    )
                    for o in c.outcomes
                ],
                s,
            )
        if c.provisions:
            story += subheading("Provision", s)
            story += table(
                ("Provision", "Sessions", "Cost", "Measure", "Impact"),
                [
                    (
                        p.description + (f" ({p.delivered_by})" if p.delivered_by else ""),
                        f"{p.sessions_delivered} of {p.sessions_planned}",
                        pounds(p.cost_pence),
                        _measured(p),
                        p.impact,
                    )
                    for p in c.provisions
                ],
                s,
            )
        review = []
        if c.reviewed_on:
            review.append(("Reviewed", f"{common.show(c.reviewed_on)}: {c.review_summary}"))
        if c.next_step:
            review.append(("Next step", c.next_step))
        if review:
            story += facts(review, s)
    if not found.cycles:
        story.append(para("No cycle of Assess, Plan, Do, Review yet.", s.body))
    if progress.series:
        story += heading("Progress on each measure", s)
        marks = [(m.number, m.opened_on) for m in progress.cycles]
        for series in progress.series:
            better = "higher" if series.higher_is_better else "lower"
            story.append(
                progress_lines(
                    f"{series.measure} ({series.unit}; {better} is better)",
                    [(d, v) for d, v, _p in series.points],
                    marks,
                    width,
                )
            )
            story.append(Spacer(1, 8))
    return render(story, letterhead, options, TITLE)
