"""The pupil passport, or one-page profile: the pupil in their own words, for every adult."""

from __future__ import annotations

from reportlab.platypus import Flowable  # type: ignore[import-untyped, unused-ignore]

from sendesk import codes
from sendesk.documents import common
from sendesk.documents.style import (
    DocumentOptions,
    Letterhead,
    heading,
    labelled,
    para,
    render,
    styles,
    subheading,
)
from sendesk.models import Cycle, Pupil

TITLE = "Pupil passport"


def build(
    pupil: Pupil,
    cycle: Cycle | None,
    letterhead: Letterhead,
    options: DocumentOptions | None = None,
) -> bytes:
    options = options or DocumentOptions()
    return render(story(pupil, cycle, options), letterhead, options, TITLE)


def story(pupil: Pupil, cycle: Cycle | None, options: DocumentOptions) -> list[Flowable]:
    s = styles(options)
    year = " ".join(x for x in (codes.year_group_label(pupil.year_group), pupil.class_name) if x)
    out: list[Flowable] = [
        para(f"All about me: {common.name(pupil)}", s.title),
        para(year or "", s.small),
    ]
    out += heading("What I would like you to know about me", s)
    views = (cycle.pupil_views if cycle else None) or pupil.pupil_views
    out += labelled("In my words", views, s)
    out += labelled("What I am good at", pupil.strengths, s)
    out += heading("What I find hard", s)
    needs = common.needs_of(pupil, cycle)
    words = [codes.area_of_need(c) for c in needs]
    plain = list(dict.fromkeys(a.plain_words.capitalize() for a in words if a))
    out += common.bullet_list(plain or [codes.need_label(c) for c in needs], s, "Nothing recorded")
    out += heading("How you can help me", s)
    out += labelled("What helps me", pupil.what_helps, s)
    out += labelled("What does not help me", pupil.what_does_not_help, s)
    if cycle is not None and cycle.strategies:
        out += subheading("Things every adult can do", s)
        out += common.bullet_list([t.text for t in cycle.strategies], s)
    return out
