"""Whatever a user typed, every document lays out: long and odd text flows across pages."""

from __future__ import annotations

import datetime as dt
import io
import os
import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from sendesk.census import CensusProblem
from sendesk.documents import (
    evidence_pack,
    letter_of_concern,
    passport,
    plan_template,
    review_record,
    sen_register,
    support_plan,
)
from sendesk.documents.sen_register import RegisterLine
from sendesk.documents.style import DocumentOptions, Letterhead, clean, markup
from sendesk.models import (
    AssessmentEvidence,
    Cycle,
    CycleNeed,
    Meeting,
    Outcome,
    Provision,
    ProvisionSession,
    Pupil,
    Referral,
    Review,
    Strategy,
)

DAY = dt.date(2026, 11, 23)

# Long words with no break, markup, control characters, right-to-left and combining marks, emoji.
odd = st.sampled_from(
    [
        "",
        " ",
        "<b>not bold</b> & <para> ]]> &amp;",
        "x" * 3000,
        "Zoë Łukasz Nguyễn Siobhán Dáithí محمد 李小龍 👩🏽‍🏫",
        "line\nbreaks\r\nand\ttabs\x00\x07\x1b\x7f",
        "a\u0301\u0302\u0303" * 50,
        "\u202eright-to-left override\u202c",
        "word " * 2500,
        "\n" * 400,
    ]
)
# Long text from a short draw repeated, so Hypothesis keeps its data small and shrinks well.
long_text = st.tuples(st.text(min_size=1, max_size=30), st.integers(50, 200)).map(
    lambda t: t[0] * t[1]
)
text = st.one_of(odd, st.text(max_size=80), long_text)
short = st.one_of(odd, st.text(max_size=40))
options = st.builds(DocumentOptions, st.booleans(), st.booleans())


@st.composite
def pupils(draw: st.DrawFn) -> Pupil:
    pupil = Pupil(
        id=1, uuid="u", upn=draw(st.one_of(st.none(), short)),
        legal_surname=draw(short) or "S", legal_forename=draw(short) or "F",
        preferred_forename=draw(st.one_of(st.none(), short)), year_group=4,
        class_name=draw(short), sen_status="K", primary_need="SPLD", secondary_need="SLCN",
        strengths=draw(text), what_helps=draw(text), what_does_not_help=draw(text),
        pupil_views=draw(text), date_of_birth=dt.date(2017, 3, 4),
    )  # fmt: skip
    cycle = Cycle(
        id=1, number=1, stage="closed", opened_on=dt.date(2026, 1, 5), closed_on=DAY,
        concern=draw(text), parent_views=draw(text), pupil_views=draw(text),
        teacher_views=draw(text), review_date=DAY, next_step="continue",
        parents_informed_on=DAY, parents_informed_how=draw(short),
    )  # fmt: skip
    cycle.needs = [CycleNeed(need_code="SPLD")]
    cycle.evidence = [
        AssessmentEvidence(kind="observation", source=draw(short), score=draw(short),
                           note=draw(text), recorded_on=DAY)
    ]  # fmt: skip
    cycle.outcomes = [
        Outcome(description=draw(text), success_criteria=draw(text), rating="some_progress",
                rating_comment=draw(text), target_date=DAY)
        for _ in range(draw(st.integers(1, 4)))
    ]  # fmt: skip
    provision = Provision(
        description=draw(text), delivered_by=draw(short), group_size=3, sessions_per_week=2.5,
        minutes_per_session=30, weeks=12, hourly_rate_pence=1800, impact=draw(text),
        starts_on=DAY,
    )  # fmt: skip
    provision.sessions = [ProvisionSession(held_on=DAY, attended=True)]
    cycle.provisions = [provision]
    cycle.strategies = [Strategy(text=draw(text), for_whom=draw(short))]
    cycle.review = Review(
        held_on=DAY, parent_views=draw(text), pupil_views=draw(text), attendees=draw(text),
        summary=draw(text),
    )  # fmt: skip
    pupil.cycles = [cycle]
    pupil.referrals = [
        Referral(kind="specialist_advice", service="EP", requested_on=DAY, status="closed",
                 advice=draw(text))
    ]  # fmt: skip
    pupil.meetings = [
        Meeting(kind="sen_review", starts_at=dt.datetime(2026, 11, 2, 9), status="held",
                attendees=draw(text), notes=draw(text))
    ]  # fmt: skip
    return pupil


def opens(pdf: bytes) -> int:
    reader = PdfReader(io.BytesIO(pdf))
    assert reader.pages[0].extract_text() is not None
    return len(reader.pages)


# SENDESK_FUZZ_EXAMPLES=500 for a longer search than the test suite's quick one.
FUZZ = settings(
    max_examples=int(os.environ.get("SENDESK_FUZZ_EXAMPLES", "25")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)


@FUZZ
@given(pupils(), options, short)
def test_pupil_documents_never_fail_to_lay_out(
    pupil: Pupil, chosen: DocumentOptions, school: str
) -> None:
    head = Letterhead(school, DAY, b"\x89PNG broken")
    cycle = pupil.cycles[0]
    assert opens(support_plan.build(pupil, cycle, head, plan_template.shipped(), chosen)) >= 1
    assert opens(review_record.build(pupil, cycle, head, chosen)) >= 1
    assert opens(evidence_pack.build(pupil, head, 600_000, chosen)) >= 1
    assert opens(passport.build(pupil, cycle, head, chosen)) >= 1


@FUZZ
@given(st.lists(st.tuples(short, short, short), max_size=30), options, short, short)
def test_register_census_and_letter_never_fail(
    rows: list[tuple[str, str, str]], chosen: DocumentOptions, school: str, name: str
) -> None:
    head = Letterhead(school, DAY)
    lines = [RegisterLine(u, s, f, 3, f, "K", "ASD", None, DAY, True) for u, s, f in rows]
    assert opens(sen_register.build(lines, head, chosen)) >= 1
    assert sen_register.to_csv(lines).startswith(b"\xef\xbb\xbf")
    found = [CensusProblem(1, "u", u, s, f) for u, s, f in rows]
    assert opens(sen_register.census_pdf(found, DAY, "spring census", head, chosen)) >= 1
    assert opens(letter_of_concern.build(head, name, name, name, chosen)) >= 1


@given(st.text())
def test_clean_text_is_safe_markup(typed: str) -> None:
    safe = re.sub(r'<font name="SENDesk[A-Za-z-]+">|</font>', "", markup(typed))
    assert "<" not in safe.replace("<br/>", "")  # only SENDesk's own tags: line breaks, fonts
    assert not any(ord(c) < 32 for c in clean(typed) if c != "\n")
