"""Documents built from demo data and read back as a reader would (pypdf, poppler)."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from sendesk import census
from sendesk.cycle import AssessData, OutcomePlan, PlanData, ProvisionPlan
from sendesk.documents import plan_template
from sendesk.documents.style import DocumentOptions
from sendesk.errors import BadInput, NotFound, ValidationFailed
from sendesk.models import AuditEvent, Pupil, SchoolSettings
from sendesk.services import cycles, pupils
from sendesk.services import documents as docs
from sendesk.services.pupils import PupilDetails
from sendesk.vault import Vault
from tests.conftest import a_day_in_a_week_with_reviews

TODAY = dt.date(2026, 11, 23)
NAMES = [("Nguyễn", "Zoë"), ("Wójcik", "Łukasz"), ("Ó Súilleabháin", "Siobhán"),
         ("Ó Briain", "Dáithí"), ("Khan", "Mohammed")]  # fmt: skip
OUTCOMES = [
    OutcomePlan("Zoë will read 40 high-frequency words on sight.", "Reads 40 of 40 words"),
    OutcomePlan("She will take turns in a small-group game.", "Waits for her turn 3 times"),
    OutcomePlan("She will ask an adult for help with a help card.", "Uses the card weekly"),
]
REVIEW_DATE = dt.date(2027, 2, 12)


def text_of(pdf: bytes, password: str | None = None) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    if password is not None:
        reader.decrypt(password)
    return " ".join(" ".join(page.extract_text() or "" for page in reader.pages).split())


def page_count(pdf: bytes) -> int:
    return len(PdfReader(io.BytesIO(pdf)).pages)


def fonts_embedded(pdf: bytes) -> list[tuple[str, bool]]:
    """Every font on every page, and whether its program is in the file."""
    found = {}
    for page in PdfReader(io.BytesIO(pdf)).pages:
        fonts = page["/Resources"].get_object().get("/Font", {})
        for ref in fonts.get_object().values():
            font = ref.get_object()
            descriptor = font.get("/FontDescriptor")
            embedded = descriptor is not None and any(
                k in descriptor.get_object() for k in ("/FontFile", "/FontFile2", "/FontFile3")
            )
            found[str(font["/BaseFont"])] = embedded
    return sorted(found.items())


def planned_pupil(
    vault: Vault, surname: str = "Nguyễn", forename: str = "Zoë", upn: str = "Z886241726001"
) -> int:
    """A pupil with a complete plan (cycle at Do) made through the services."""
    pupil_id = pupils.create(
        vault.sessions,
        PupilDetails(surname, forename, upn=upn, year_group=4, class_name="4W",
                     sen_status="K", primary_need="SPLD", strengths="Loves drawing.",
                     what_helps="Short instructions, one at a time."),
        today=TODAY,
    ).pupil_id  # fmt: skip
    cycle_id = cycles.start(vault.sessions, pupil_id, TODAY)
    cycles.save_assess(
        vault.sessions,
        cycle_id,
        AssessData(concern="Reading is well behind her peers.", needs=["SPLD"],
                   pupil_views="I like it when words have pictures."),
        complete=True,
    )  # fmt: skip
    cycles.save_plan(
        vault.sessions,
        cycle_id,
        PlanData(
            outcomes=OUTCOMES,
            provisions=[ProvisionPlan("Toe by Toe reading", "Mrs Ćosić (TA)", 1, 3, 20, 10)],
            strategies=["Give instructions one at a time."],
            review_date=REVIEW_DATE,
            parents_informed_on=TODAY,
            parents_informed_how="Meeting at school",
        ),
        complete=True,
        today=TODAY,
    )
    return pupil_id


def busiest_pupil(vault: Vault) -> int:
    rows = [r for r in pupils.list_register(vault.sessions, today=TODAY) if r.sen_status != "N"]
    return max(rows, key=lambda r: len(pupils.history(vault.sessions, r.id).cycles)).id


def audit_events(vault: Vault, action: str) -> list[AuditEvent]:
    with vault.sessions() as session:
        return list(
            session.execute(select(AuditEvent).where(AuditEvent.action == action)).scalars()
        )


def test_support_plan_holds_the_name_every_outcome_and_the_review_date(vault: Vault) -> None:
    pupil_id = planned_pupil(vault)
    doc = docs.support_plan_pdf(vault.sessions, pupil_id, today=TODAY)
    text = text_of(doc.data)
    assert "Zoë Nguyễn" in text
    for outcome in OUTCOMES:
        assert outcome.description in text
        assert outcome.success_criteria in text
    assert "12/02/2027" in text and "Friday 12 February 2027" in text
    assert "Confidential" in text and "Printed 23/11/2026" in text and "Page 1 of" in text
    assert "Specific learning difficulty (SPLD): reading, writing and number" in text
    assert "Toe by Toe reading" in text and "Mrs Ćosić (TA)" in text
    assert 1 <= page_count(doc.data) <= 3
    assert doc.pupil_uuids and "Zo" not in doc.filename
    assert "DRAFT" not in text


def test_a_plan_not_yet_agreed_prints_as_a_draft(vault: Vault) -> None:
    pupil_id = planned_pupil(vault)
    cycle_id = cycles.open_cycle_id(vault.sessions, pupil_id)
    assert cycle_id is not None
    cycles.reopen(vault.sessions, cycle_id, "plan")
    text = text_of(docs.support_plan_pdf(vault.sessions, pupil_id, today=TODAY).data)
    assert "DRAFT: not yet agreed" in text


@pytest.mark.parametrize(("surname", "forename"), NAMES)
def test_names_in_every_script_print_with_the_font_embedded(
    vault: Vault, surname: str, forename: str
) -> None:
    pupil_id = planned_pupil(vault, surname, forename)
    for doc in (
        docs.support_plan_pdf(vault.sessions, pupil_id, today=TODAY),
        docs.passport_pdf(vault.sessions, pupil_id, today=TODAY),
        docs.evidence_pack_pdf(vault.sessions, pupil_id, today=TODAY),
    ):
        assert f"{forename} {surname}" in text_of(doc.data)
        fonts = fonts_embedded(doc.data)
        assert fonts and all(embedded for _, embedded in fonts), fonts
        assert all("DejaVuSans" in name for name, _ in fonts)


def test_every_document_from_demo_data(demo_vault: Vault) -> None:
    pupil_id = busiest_pupil(demo_vault)
    pupil = pupils.history(demo_vault.sessions, pupil_id)
    name = f"{pupil.preferred_forename or pupil.legal_forename} {pupil.legal_surname}"
    cycle = docs.plan_cycle(pupil)
    plan = docs.support_plan_pdf(demo_vault.sessions, pupil_id, today=TODAY).data
    plan_text = text_of(plan)
    assert name in plan_text
    for outcome in cycle.outcomes:
        assert " ".join(outcome.description.split()) in plan_text
    assert cycle.review_date is not None and f"{cycle.review_date:%d/%m/%Y}" in plan_text

    review = text_of(docs.review_record_pdf(demo_vault.sessions, pupil_id, today=TODAY).data)
    assert name in review and "What happens next" in review

    evidence = docs.evidence_pack_pdf(demo_vault.sessions, pupil_id, today=TODAY).data
    evidence_text = text_of(evidence)
    assert name in evidence_text and "Provision cost by school year" in evidence_text
    for c in pupil.cycles:
        assert f"Cycle {c.number}:" in evidence_text
        for outcome in c.outcomes:
            assert " ".join(outcome.description.split()) in evidence_text
    assert "£6,000 threshold" in evidence_text
    assert page_count(evidence) >= len(pupil.cycles) // 2

    assert name in text_of(docs.passport_pdf(demo_vault.sessions, pupil_id, today=TODAY).data)
    letter = text_of(docs.letter_of_concern_pdf(demo_vault.sessions, pupil_id, today=TODAY).data)
    assert "When did you first notice it?" in letter and pupil.legal_surname in letter
    blank = text_of(docs.letter_of_concern_pdf(demo_vault.sessions, None, today=TODAY).data)
    assert "anyone in the family have similar difficulties" in blank

    register = docs.register_pdf(demo_vault.sessions, today=TODAY).data
    register_text = text_of(register)
    lines = docs.register_lines(demo_vault.sessions, TODAY)
    assert lines and all(line.surname in register_text for line in lines)
    assert page_count(register) <= 3


def test_register_csv_opens_in_a_spreadsheet_safely(vault: Vault) -> None:
    pupils.create(
        vault.sessions,
        PupilDetails("=HYPERLINK(1)", "Łukasz", sen_status="K", primary_need="ASD"),
        today=TODAY,
    )
    pupils.create(vault.sessions, PupilDetails("Plain", "Nobody"), today=TODAY)  # N: not listed
    doc = docs.register_csv(vault.sessions, TODAY)
    assert doc.data.startswith(b"\xef\xbb\xbf") and doc.media_type == "text/csv"
    rows = doc.data.decode("utf-8-sig").splitlines()
    assert rows[0].startswith("UPN,Surname,Forename") and len(rows) == 2
    assert "'=HYPERLINK(1)" in rows[1] and "Łukasz" in rows[1]


def test_census_check_finds_what_the_census_would_reject(vault: Vault) -> None:
    planned_pupil(vault)  # K with a primary need and a UPN: fine
    pupils.create(vault.sessions, PupilDetails("Needless", "Nia", sen_status="K"), today=TODAY)
    open_n = pupils.create(vault.sessions, PupilDetails("Open", "Owen"), today=TODAY).pupil_id
    cycles.start(vault.sessions, open_n, TODAY)
    found = {(p.name, p.problem) for p in docs.census_check(vault.sessions)}
    assert ("Needless, Nia", census.NO_PRIMARY) in found
    assert ("Needless, Nia", census.NO_UPN) in found
    assert ("Open, Owen", census.OPEN_CYCLE) in found
    assert not any(name.startswith("Nguy") for name, _ in found)
    same = census.CensusPupil(1, "u", "A1", "Same", "K", "ASD", "ASD", False)
    assert [p.problem for p in census.problems([same])] == [census.SAME_NEEDS]
    pdf = docs.census_pdf(vault.sessions, today=TODAY).data
    assert "Needless, Nia" in text_of(pdf) and "21 January 2027" in text_of(pdf)


def test_census_days() -> None:
    assert census.next_census(dt.date(2026, 11, 23)) == (dt.date(2027, 1, 21), "spring census")
    assert census.next_census(dt.date(2026, 9, 1)) == (dt.date(2026, 10, 1), "autumn census")
    assert census.next_census(dt.date(2027, 5, 20))[0] == dt.date(2027, 5, 20)


def test_large_print_and_dyslexia_friendly(vault: Vault) -> None:
    pupil_id = planned_pupil(vault)
    plain = docs.support_plan_pdf(vault.sessions, pupil_id, today=TODAY).data
    large = docs.support_plan_pdf(
        vault.sessions, pupil_id, DocumentOptions(large_print=True), today=TODAY
    ).data
    cream = docs.support_plan_pdf(
        vault.sessions, pupil_id, DocumentOptions(dyslexia_friendly=True), today=TODAY
    ).data
    assert page_count(large) > page_count(plain)
    sizes = {float(s) for s in re.findall(rb" ([\d.]+) Tf", _content(large))}
    assert 16 in sizes and {s for s in sizes if s < 14} <= {11, 12}  # only letterhead and footer
    assert 10.5 in {float(s) for s in re.findall(rb" ([\d.]+) Tf", _content(plain))}
    assert b"/F" in _content(cream) and b".984314 .960784 .894118 rg" in _content(cream)
    assert b".984314 .960784 .894118 rg" not in _content(plain)


def _content(pdf: bytes) -> bytes:
    reader = PdfReader(io.BytesIO(pdf))
    return b"".join(page.get_contents().get_data() for page in reader.pages)  # type: ignore[union-attr]


def test_logo_and_school_name_from_settings(vault: Vault) -> None:
    pupil_id = planned_pupil(vault)
    png = Path(__file__).resolve().parents[2] / "resources" / "icons" / "sendesk.png"
    logo = png.read_bytes() if png.exists() else _tiny_png()
    with vault.sessions() as session, session.begin():
        session.execute(select(SchoolSettings)).scalar_one().logo_png = logo
    pdf = docs.support_plan_pdf(vault.sessions, pupil_id, today=TODAY).data
    assert b"/Subtype /Image" in pdf and "Oakfield Primary School" in text_of(pdf)
    with vault.sessions() as session, session.begin():
        session.execute(select(SchoolSettings)).scalar_one().logo_png = b"not a picture"
    assert "Zoë" in text_of(docs.support_plan_pdf(vault.sessions, pupil_id, today=TODAY).data)


def _tiny_png() -> bytes:
    import base64

    return base64.b64decode(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
    )


def test_the_plan_follows_the_template_in_settings(vault: Vault) -> None:
    pupil_id = planned_pupil(vault)
    shipped = docs.load_plan_template(vault.sessions)
    assert shipped == plan_template.shipped() and shipped.sections[0].kind == "pupil"
    kent = plan_template.parse({
        "title": "Kent SEN Support Plan",
        "sections": [
            {"kind": "outcomes", "heading": "Section A: targets"},
            {"kind": "text", "heading": "Section B: the Local Offer",
             "text": "See kent.gov.uk/localoffer."},
            {"kind": "pupil", "heading": "Section C: child details"},
        ],
    })  # fmt: skip
    docs.save_plan_template(vault.sessions, kent)
    assert docs.load_plan_template(vault.sessions) == kent
    text = text_of(docs.support_plan_pdf(vault.sessions, pupil_id, today=TODAY).data)
    a, b, c = (text.index(h) for h in ("Section A", "Section B", "Section C"))
    assert a < b < c and "Kent SEN Support Plan" in text and "kent.gov.uk" in text
    assert "Strategies for every adult" not in text
    docs.save_plan_template(vault.sessions, None)
    assert docs.load_plan_template(vault.sessions) == shipped
    assert len(audit_events(vault, "settings.plan_template")) == 2


@pytest.mark.parametrize(
    "bad",
    [
        [],
        {"sections": []},
        {"sections": [{"kind": "horoscope", "heading": "Stars"}]},
        {"sections": [{"kind": "needs", "heading": " "}]},
        {"sections": [{"kind": "text", "heading": "Empty"}]},
        {"title": "", "sections": [{"kind": "needs", "heading": "Needs"}]},
    ],
)
def test_a_bad_template_is_refused_plainly(bad: object) -> None:
    with pytest.raises(ValidationFailed):
        plan_template.parse(bad)
    with pytest.raises(ValidationFailed):
        plan_template.loads("{not json")
    assert json.loads(json.dumps(plan_template.shipped().as_data()))["version"] == 1


def test_no_plan_no_review_say_so(vault: Vault) -> None:
    pupil_id = pupils.create(vault.sessions, PupilDetails("New", "Nell"), today=TODAY).pupil_id
    with pytest.raises(NotFound, match="Plan stage"):
        docs.support_plan_pdf(vault.sessions, pupil_id)
    with pytest.raises(NotFound, match="Review"):
        docs.review_record_pdf(vault.sessions, pupil_id)
    assert "New" in text_of(docs.passport_pdf(vault.sessions, pupil_id).data)
    assert "Cycles recorded 0" in text_of(docs.evidence_pack_pdf(vault.sessions, pupil_id).data)


def test_password_protected_export(vault: Vault, tmp_path: Path) -> None:
    pupil_id = planned_pupil(vault)
    doc = docs.support_plan_pdf(vault.sessions, pupil_id, today=TODAY)
    out = tmp_path / "out"
    out.mkdir()
    target = docs.export(vault.sessions, doc, out / "plan.pdf", password="s3cret-Zoë")
    data = target.read_bytes()
    reader = PdfReader(io.BytesIO(data))
    assert reader.is_encrypted
    assert reader.decrypt("wrong password") == 0
    assert "Zoë Nguyễn" in text_of(data, "s3cret-Zoë")
    assert b"Nguy" not in data and b"Reads 40 of 40" not in data
    assert "/AESV3" in str(reader.trailer["/Encrypt"].get_object().get("/CF"))
    if shutil.which("pdftotext"):
        locked = subprocess.run(["pdftotext", str(target), "-"], capture_output=True)
        assert locked.returncode != 0 and b"Nguy" not in locked.stdout
        opened = subprocess.run(
            ["pdftotext", "-upw", "s3cret-Zoë", str(target), "-"], capture_output=True, check=True
        )
        assert "Zoë Nguyễn" in opened.stdout.decode()
    assert [p.name for p in out.iterdir()] == ["plan.pdf"]
    with pytest.raises(BadInput, match="at least"):
        docs.export(vault.sessions, doc, out / "short.pdf", password="abc")


def test_every_print_and_export_is_audited_without_names(vault: Vault, tmp_path: Path) -> None:
    pupil_id = planned_pupil(vault)
    doc = docs.support_plan_pdf(vault.sessions, pupil_id, today=TODAY)
    assert audit_events(vault, "document.exported") == []  # building is not exporting
    docs.export(vault.sessions, doc, tmp_path / "p.pdf", "longenough",
                DocumentOptions(large_print=True))  # fmt: skip
    docs.record_printed(vault.sessions, doc, "Office printer")
    register = docs.register_csv(vault.sessions, TODAY)
    docs.export(vault.sessions, register, tmp_path / "r.csv")
    [exported, csv_event] = audit_events(vault, "document.exported")
    [printed] = audit_events(vault, "document.printed")
    with vault.sessions() as session:
        uuid = session.get(Pupil, pupil_id).uuid  # type: ignore[union-attr]
    assert exported.pupil_uuid == uuid and printed.pupil_uuid == uuid
    assert str(tmp_path) in exported.summary and "p.pdf" not in exported.summary
    assert "AES-256" in exported.summary and "large print" in exported.summary
    assert printed.summary == "SEN support plan printed on Office printer"
    assert csv_event.pupil_uuid is None and "SEN register" in csv_event.summary
    for event in (exported, printed, csv_event):
        assert "Zo" not in event.summary and "Nguy" not in event.summary


def test_a_failed_export_leaves_nothing(vault: Vault, tmp_path: Path) -> None:
    doc = docs.register_csv(vault.sessions, TODAY)
    before = sorted(tmp_path.iterdir())
    with pytest.raises(BadInput, match="could not be written"):
        docs.export(vault.sessions, doc, tmp_path / "missing" / "r.csv")
    assert sorted(tmp_path.iterdir()) == before
    assert audit_events(vault, "document.exported") == []


def test_plans_for_the_week_in_one_file(demo_vault: Vault) -> None:
    found = docs.pupils_with_reviews(demo_vault.sessions, a_day_in_a_week_with_reviews(demo_vault))
    run = docs.support_plans(demo_vault.sessions, found, today=TODAY)
    [combined] = run.documents
    printed = [i for i in found if i not in run.without_plan]
    singles = [docs.support_plan_pdf(demo_vault.sessions, i, today=TODAY).data for i in printed]
    assert printed and page_count(combined.data) == sum(page_count(p) for p in singles)
    assert len(combined.pupil_uuids) == len(printed)


@pytest.mark.parametrize("large", [False, True])
def test_a_title_never_breaks_its_date(vault: Vault, large: bool) -> None:
    """From the document review: 'Census check for the spring census on Thursday 21 /
    January 2027' broke after the day's number."""
    doc = docs.census_pdf(vault.sessions, DocumentOptions(large_print=large), TODAY)
    first = PdfReader(io.BytesIO(doc.data)).pages[0].extract_text() or ""
    lines = [" ".join(line.replace("\xa0", " ").split()) for line in first.splitlines()]
    day, _name = census.next_census(TODAY)
    whole = f"{day:%A} {day.day} {day:%B %Y}"
    assert any(whole in line for line in lines), lines[:6]
