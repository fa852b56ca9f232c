"""The signatures of the support plan, the review record and the evidence pack are never left
alone at the top of a page.

Documents are built with more and more before the signatures, so that one build after another
ends nearer a page's foot and the signature block has to go over; each is read back.
"""

from __future__ import annotations

import datetime as dt
import io

import pytest
from pypdf import PdfReader

from sendesk.attendance import TermFigures
from sendesk.documents import evidence_pack, plan_template, review_record, support_plan
from sendesk.documents.style import DocumentOptions, Letterhead
from sendesk.models import Cycle, Pupil, Review

SIGNERS = ("Parent or carer", "Pupil", "Class teacher", "SENCo")
BEFORE = "The pupil's comments"  # the last lines before the signatures
HEADING = "Comments and signatures"  # the plan's section, kept whole on one page
PARENTS = "Parents' or carers' comments"


def _pupil(sentences: int) -> Pupil:
    return Pupil(
        legal_surname="Okafor", legal_forename="Amara", upn="Z886241726001", year_group=4,
        class_name="4W", sen_status="K", primary_need="SLCN", date_of_birth=dt.date(2017, 3, 9),
        strengths="Amara reads aloud with expression and helps others. " * sentences,
    )  # fmt: skip


def _read(pdf: bytes) -> list[str]:
    return [" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages]


HEAD = Letterhead("Oakfield Primary School", dt.date(2026, 11, 23))


def _pages(sentences: int, options: DocumentOptions) -> list[str]:
    pupil = _pupil(sentences)
    cycle = Cycle(
        number=1, stage="do", opened_on=dt.date(2026, 1, 12), review_date=dt.date(2026, 3, 20)
    )
    cycle.pupil = pupil
    return _read(support_plan.build(pupil, cycle, HEAD, plan_template.shipped(), options))


@pytest.mark.parametrize(
    ("options", "most"),
    [(DocumentOptions(), 180), (DocumentOptions(large_print=True, dyslexia_friendly=True), 80)],
    ids=["standard", "large-dyslexia"],
)
def test_the_signatures_keep_their_heading_and_the_lines_before_them(
    options: DocumentOptions, most: int
) -> None:
    page_counts, moved_over = set(), 0
    for sentences in range(0, most, 4):
        pages = _pages(sentences, options)
        page_counts.add(len(pages))
        holding = [n for n, text in enumerate(pages) if support_plan.SIGNATURES in text]
        assert len(holding) == 1, (sentences, holding)
        page = pages[holding[0]]
        after = page.split(support_plan.SIGNATURES, 1)[1]
        assert "Signed by" in after and all(who in after for who in SIGNERS), (sentences, page)
        # Never alone on its page: the section's heading, the parents' and the pupil's comments
        # come first on the same page, none of them left on the page before.
        before = page.split(support_plan.SIGNATURES, 1)[0]
        assert all(words in before for words in (HEADING, PARENTS, BEFORE)), (sentences, page)
        assert not any(PARENTS in p for p in pages[: holding[0]]), (sentences, pages)
        moved_over += page.startswith(HEADING)
    # The builds crossed a page boundary, and some had to carry the section over it.
    assert len(page_counts) > 1 and moved_over > 0, (page_counts, moved_over)


def test_the_evidence_packs_signatures_stay_with_the_dates_they_sign_for() -> None:
    page_counts, moved_over = set(), 0
    for terms in range(16, 40):  # each term's attendance a row further down the page
        lines = [TermFigures(2000 + n // 3, ("autumn", "spring", "summer")[n % 3], 140, 130)
                 for n in range(terms)]  # fmt: skip
        extras = evidence_pack.Extras(attendance=lines)
        pages = _read(evidence_pack.build(_pupil(0), HEAD, 600_000, DocumentOptions(), extras))
        page_counts.add(len(pages))
        [page] = [p for p in pages if "Parent or carer (consent)" in p]
        before = page.split("Signed by", 1)[0]
        assert "SENCo's sign-off" in before and "Not yet requested" in before, (terms, page)
        moved_over += page.startswith("The request")
    assert len(page_counts) > 1 and moved_over > 0, (page_counts, moved_over)


@pytest.mark.parametrize(
    ("options", "most"),
    [(DocumentOptions(), 160), (DocumentOptions(large_print=True, dyslexia_friendly=True), 70)],
    ids=["standard", "large-dyslexia"],
)
def test_the_review_records_signatures_keep_the_actions_and_next_review_before_them(
    options: DocumentOptions, most: int
) -> None:
    page_counts, moved_over = set(), 0
    for sentences in range(0, most, 3):  # the parents' views a little longer each time
        pupil = _pupil(0)
        cycle = Cycle(number=1, stage="closed", opened_on=dt.date(2026, 1, 12),
                      review_date=dt.date(2026, 3, 20), next_step="continue")  # fmt: skip
        cycle.pupil = pupil
        cycle.review = Review(
            held_on=dt.date(2026, 3, 20),
            parent_views="We see Amara reading at home every evening now. " * sentences,
            actions="Class teacher; hear Amara read daily; 1 May 2026",
        )
        pages = _read(review_record.build(pupil, cycle, HEAD, options))
        page_counts.add(len(pages))
        [page] = [p for p in pages if "Signed by" in p]
        before, after = page.split("Signed by", 1)
        assert all(who in after for who in ("Parent or carer", "SENCo")), (sentences, page)
        # Never alone on its page: the actions agreed and the next review come first on it.
        assert "Actions agreed" in before and "Next review" in before, (sentences, page)
        assert "hear Amara read daily" in before, (sentences, page)
        moved_over += page.startswith("Actions agreed")
    assert len(page_counts) > 1 and moved_over > 0, (page_counts, moved_over)


def test_every_page_of_a_pupils_document_names_the_pupil() -> None:
    """A page come loose (a plan's signature page, page 5 of an evidence pack) still says whom
    it is about (from the document review: pages after the first named no one)."""
    plan = _pages(120, DocumentOptions())
    assert len(plan) >= 3 and all("Amara Okafor" in page for page in plan), plan
    pack = _read(evidence_pack.build(_pupil(60), HEAD, 600_000, DocumentOptions()))
    assert len(pack) >= 2 and all("Amara Okafor" in page for page in pack)
    pupil = _pupil(60)
    cycle = Cycle(number=1, stage="review", opened_on=dt.date(2026, 1, 12), next_step="continue")
    cycle.pupil = pupil
    summary = "The group met weekly and Amara joined in more each time. " * 40
    cycle.review = Review(held_on=dt.date(2026, 3, 20), summary=summary)
    record = _read(review_record.build(pupil, cycle, HEAD, DocumentOptions()))
    assert len(record) >= 2 and all("Amara Okafor" in page for page in record)


def test_the_plan_and_the_passport_name_the_secondary_need_too() -> None:
    """From the document review: a plan listed only the cycle's needs, so the passport of a
    pupil whose secondary need is autism never said so."""
    from sendesk.documents import common
    from sendesk.models import CycleNeed

    pupil = Pupil(legal_surname="Jackson", legal_forename="Gerald", primary_need="SEMH",
                  secondary_need="ASD")  # fmt: skip
    cycle = Cycle(number=1, stage="do", opened_on=dt.date(2026, 1, 12))
    cycle.needs = [CycleNeed(need_code="SEMH")]
    assert common.needs_of(pupil, cycle) == ["SEMH", "ASD"]
    cycle.needs = [CycleNeed(need_code="SPLD"), CycleNeed(need_code="SEMH")]
    assert common.needs_of(pupil, cycle) == ["SEMH", "ASD", "SPLD"]
    assert common.needs_of(Pupil(legal_surname="A", legal_forename="B"), cycle) == ["SPLD", "SEMH"]


def test_counts_in_the_review_record_and_the_evidence_pack_read_as_english() -> None:
    from sendesk.models import Outcome

    pupil = _pupil(0)
    cycle = Cycle(number=1, stage="review", opened_on=dt.date(2026, 1, 12), next_step="continue")
    cycle.pupil = pupil
    cycle.outcomes = [Outcome(position=0, description="will read", success_criteria="reads",
                              rating="some_progress")]  # fmt: skip
    cycle.review = Review(held_on=dt.date(2026, 3, 20))
    record = " ".join(_read(review_record.build(pupil, cycle, HEAD, DocumentOptions())))
    assert "1 outcome not yet achieved carries into the next cycle" in record
    pack = " ".join(_read(evidence_pack.build(_pupil(0), HEAD, 600_000, DocumentOptions())))
    assert "Warning: no reviewed cycle is shown" in pack and "only 0" not in pack
