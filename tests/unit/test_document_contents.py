"""What each document holds, read back from the PDF."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import unicodedata

from pypdf import PdfReader
from sqlalchemy import select

from sendesk import census
from sendesk.documents.style import DocumentOptions
from sendesk.models import Attachment, Provision, Pupil, Referral, Review, SchoolSettings
from sendesk.services import documents as docs
from sendesk.vault import Vault
from tests.unit.test_document_typesetting import TODAY, _pupil
from tests.unit.test_documents import _tiny_png


def _pages(pdf: bytes) -> list[str]:
    pages = PdfReader(io.BytesIO(pdf)).pages
    # Shaped Arabic reads back as presentation forms: NFKC gives the letters typed.
    return [" ".join(unicodedata.normalize("NFKC", p.extract_text() or "").split()) for p in pages]


def _text(pdf: bytes) -> str:
    return " ".join(_pages(pdf))


def _details(vault: Vault, pupil_id: int) -> None:
    """What the new fields hold (typed in the record view once it has them)."""
    png = _tiny_png()
    with vault.sessions() as session, session.begin():
        pupil = session.get(Pupil, pupil_id)
        assert pupil is not None
        pupil.home_language = "Urdu"
        pupil.interpreter_needed = True
        pupil.class_teacher = "Mr Evans"
        pupil.key_worker = "Mrs Ćosić"
        pupil.important_to_me = "My cat Biscuit and my big sister."
        pupil.preferred_forename = "Aisha"
        session.execute(select(SchoolSettings)).scalar_one().senco_name = "Ms Patel"
        for provision in session.execute(select(Provision)).scalars():
            provision.where_when = "Small-group room, Tuesday and Thursday mornings"
            provision.expected_impact = "Clearer speech in class"
        session.add(
            Provision(cycle_id=pupil.cycles[0].id, description="EP visit", delivered_by="EP",
                      fixed_cost_pence=45_000, weeks=1, sessions_per_week=1)
        )  # fmt: skip
        for review in session.execute(select(Review)).scalars():
            review.actions = "Mrs Ćosić; visual timetable daily; 01/04/2026"
        session.add(
            Referral(pupil_id=pupil_id, kind="ehc_needs_assessment", service="LA",
                     requested_on=dt.date(2026, 10, 5), parent_consent_on=dt.date(2026, 10, 1),
                     signed_off_on=dt.date(2026, 10, 2))
        )  # fmt: skip
        session.add(
            Attachment(pupil_id=pupil_id, filename="photo.png", media_type="image/png",
                       size_bytes=len(png), sha256=hashlib.sha256(png).hexdigest(), content=png)
        )  # fmt: skip


def test_the_support_plan_holds_what_a_local_authority_asks_for(vault: Vault) -> None:
    pupil_id = _pupil(vault)
    _details(vault, pupil_id)
    current = _text(docs.support_plan_pdf(vault.sessions, pupil_id, today=TODAY).data)
    for wanted in ("Aisha خان", "Urdu (the family needs an interpreter)", "Mr Evans",
                   "Mrs Ćosić", "Ms Patel", "Asthma: blue inhaler", "Health and medical needs",
                   "Area of need", "Expected impact"):  # fmt: skip
        assert wanted in current, wanted
    old = docs.support_plan_pdf(vault.sessions, pupil_id, today=TODAY, cycle_number=1).data
    old_text = _text(old)
    assert "REVIEWED on 20/03/2026" in old_text and "Some progress: another cycle" in old_text
    assert "Tuesday and Thursday" in old_text and "Clearer speech in class" in old_text
    assert "£450 (fixed cost)" in old_text and "notional SEN threshold of £6,000" in old_text
    assert "DRAFT" not in old_text


def test_a_plan_being_written_says_draft_on_every_page(vault: Vault) -> None:
    pupil_id = _pupil(vault)  # cycle 2 was just opened by the review: still being assessed
    options = DocumentOptions(large_print=True)
    plan = docs.support_plan_pdf(
        vault.sessions, pupil_id, options, today=TODAY, cycle_number=2
    ).data
    pages = _pages(plan)
    assert len(pages) > 1 and all("DRAFT" in p for p in pages)


def test_the_parents_copy_explains_abbreviations_where_they_appear(vault: Vault) -> None:
    pupil_id = _pupil(vault)
    _details(vault, pupil_id)
    plain = docs.support_plan_pdf(vault.sessions, pupil_id, today=TODAY, cycle_number=1).data
    parents = docs.support_plan_pdf(
        vault.sessions, pupil_id, DocumentOptions(for_parents=True), today=TODAY, cycle_number=1
    ).data
    assert "Words on this page" not in _text(plain) and "£" in _text(plain)
    for page in _pages(parents):
        for term in ("SLCN", "SEMH", "LIFT", "SENCo", "EP"):
            if f" {term} " in f" {page} " or f"({term})" in page:
                assert f"{term}: " in page, (term, page[:200])
    assert "Words on this page" in _text(parents)
    assert "£" not in _text(parents)  # the school has not chosen to show costs to parents
    docs.set_parents_see_costs(vault.sessions, True)
    shown = docs.support_plan_pdf(
        vault.sessions, pupil_id, DocumentOptions(for_parents=True), today=TODAY, cycle_number=1
    ).data
    assert "£" in _text(shown)
    evidence = docs.evidence_pack_pdf(vault.sessions, pupil_id, DocumentOptions(for_parents=True))
    assert "Notes" not in _text(evidence.data).split("Meetings held")[-1][:80]


def test_the_review_record_holds_actions_next_review_and_the_service(vault: Vault) -> None:
    pupil_id = _pupil(vault)
    _details(vault, pupil_id)
    text = _text(docs.review_record_pdf(vault.sessions, pupil_id, today=TODAY).data)
    assert "Actions agreed" in text and "visual timetable daily" in text
    assert "Next review" in text


def test_the_evidence_pack(vault: Vault) -> None:
    pupil_id = _pupil(vault)
    _details(vault, pupil_id)
    text = _text(docs.evidence_pack_pdf(vault.sessions, pupil_id, today=TODAY).data)
    assert "Warning: only 1 reviewed cycle is shown" in text
    assert "Delivered (sessions held)" in text and "Planned cost" in text
    assert "Attainment and progress over time" in text and "Standardised score 84" in text
    assert "05/10/2026" in text and "01/10/2026" in text and "02/10/2026" in text
    with vault.sessions() as session, session.begin():
        pupil = session.get(Pupil, pupil_id)
        assert pupil is not None
        pupil.sen_status = "E"
    annual = docs.evidence_pack_pdf(vault.sessions, pupil_id, today=TODAY)
    annual_text = _text(annual.data)
    assert "annual review" in annual.title and "Annual review evidence" in annual_text
    assert "Warning" not in annual_text  # cycles before an assessment: no measure of a review


def test_the_passport_is_always_one_page(vault: Vault) -> None:
    pupil_id = _pupil(vault)
    _details(vault, pupil_id)
    with vault.sessions() as session, session.begin():
        pupil = session.get(Pupil, pupil_id)
        assert pupil is not None
        pupil.strengths = "She is kind and patient with younger children. " * 60
    for options in (DocumentOptions(), DocumentOptions(large_print=True, dyslexia_friendly=True)):
        pdf = docs.passport_pdf(vault.sessions, pupil_id, options, today=TODAY).data
        pages = _pages(pdf)
        assert len(pages) == 1
        text = pages[0]
        assert "continues in the plan" in text and "Mr Evans" in text
        assert "Printed 23/11/2026" in text and "overdue" not in text
    assert b"/Subtype /Image" in pdf  # the photo from the attachments
    # Printed after its review date, the passport says the review is overdue.
    with vault.sessions() as session, session.begin():
        pupil = session.get(Pupil, pupil_id)
        assert pupil is not None
        for cycle in pupil.cycles:
            cycle.review_date = dt.date(2027, 1, 15)
    due = _text(docs.passport_pdf(vault.sessions, pupil_id, today=dt.date(2027, 1, 15)).data)
    later = _text(docs.passport_pdf(vault.sessions, pupil_id, today=dt.date(2027, 2, 1)).data)
    assert "to be reviewed 15/01/2027." in " ".join(due.split())
    assert "to be reviewed 15/01/2027, which is overdue." in " ".join(later.split())


def test_the_letter_of_concern_asks_who_is_writing_and_for_a_signature(vault: Vault) -> None:
    text = _text(docs.letter_of_concern_pdf(vault.sessions, None, today=TODAY).data)
    assert "Your relationship to the child" in text and "Signed:" in text


def test_the_census_check_knows_the_dfe_rules_on_nsa() -> None:
    def check(status: str, primary: str | None, secondary: str | None) -> list[str]:
        pupil = census.CensusPupil(1, "u", "A1", "Pupil", status, primary, secondary, False)
        return [p.problem for p in census.problems([pupil])]

    assert check("K", "NSA", None) == []
    assert check("E", "NSA", None) == [census.NSA_NOT_K]
    assert check("K", "ASD", "NSA") == [census.NSA_SECONDARY]
    assert check("E", "ASD", "NSA") == [census.NSA_NOT_K]  # not "make it the primary need"
    assert check("K", "ASD", "ASD") == [census.SAME_NEEDS]


def test_a_parents_copy_explains_the_staff_roles_and_words_the_demo_school_uses() -> None:
    """From the document review: ELSA, HLTA, CVC and MIS reached parents unexplained."""
    from sendesk.documents import glossary

    found = glossary.terms_in("Weekly ELSA sessions with the HLTA; blends CVC words; MIS-ready")
    assert found == {"ELSA", "HLTA", "CVC"}  # "MIS-ready" is not the term
    assert glossary.lines(found) == [
        "CVC: consonant-vowel-consonant words, such as cat and dog",
        "ELSA: emotional literacy support assistant (a trained teaching assistant)",
        "HLTA: higher level teaching assistant",
    ]
