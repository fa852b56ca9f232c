"""The printed week's schedule: one page, accented names drawn, audited as a print."""

from __future__ import annotations

import datetime as dt
import io
import re

from pypdf import PdfReader
from sqlalchemy import select

from sendesk.documents import week_schedule
from sendesk.documents.week_schedule import ScheduleLine
from sendesk.models import AuditEvent
from sendesk.services import meeting_exports, meetings, pupils
from sendesk.services.pupils import PupilDetails
from sendesk.vault import Vault

MONDAY = dt.date(2026, 11, 23)


def pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type /Page[^s]", pdf))


def test_names_print_exactly_as_typed() -> None:
    names = [
        "Łukasz Wójcik",
        "Nguyễn Thị Đặng",
        "Antonín Dvořák",
        "Şahin Yılmaz",
        "Dáithí Ó Briain",
    ]
    pdf = week_schedule.render("Oakfield", MONDAY, [line(i % 5, n) for i, n in enumerate(names)])
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    for name in names:
        assert name in text


def line(day: int, name: str, hour: int = 9) -> ScheduleLine:
    start = dt.datetime.combine(MONDAY + dt.timedelta(days=day), dt.time(hour, 0))
    return ScheduleLine(start, 30, name, "sen_review", "Room 4", "Mum; class teacher", "planned")


def test_a_crowded_week_runs_onto_more_pages_readable_numbered_and_embedded() -> None:
    few = week_schedule.render(
        "Oakfield", MONDAY, [line(0, "Zoë Brontë"), line(2, "Łukasz Wójcik")]
    )
    assert few.startswith(b"%PDF") and pages(few) == 1
    assert b"ZapfDingbats" not in few  # no black boxes for letters the font lacks
    many = [line(d % 5, f"Pupil number {n}", 8 + n % 9) for d, n in enumerate(range(70))]
    crowded = week_schedule.render("Oakfield", MONDAY, many)
    reader = PdfReader(io.BytesIO(crowded))
    assert pages(crowded) > 1
    text = " ".join(p.extract_text() for p in reader.pages)
    assert all(f"Pupil number {n}" in text for n in range(70))
    assert f"Page 1 of {pages(crowded)}" in text and f"Page {pages(crowded)} of" in text
    sizes = set()
    for page in reader.pages:
        sizes |= {float(x) for x in re.findall(rb" ([\d.]+) Tf", page.get_contents().get_data())}
        for ref in page["/Resources"]["/Font"].values():
            descriptor = ref.get_object()["/FontDescriptor"].get_object()
            assert "/FontFile2" in descriptor  # embedded
    assert min(sizes) >= 8.5  # never shrunk to fit one page
    empty = week_schedule.render("Oakfield", MONDAY, [])
    assert pages(empty) == 1


def test_the_service_prints_the_week_and_audits_it(vault: Vault) -> None:
    pupil = pupils.create(
        vault.sessions, PupilDetails("Ó Briain", "Siobhán", sen_status="K", primary_need="SLCN")
    ).pupil_id
    meetings.schedule_on_day(vault.sessions, pupil, MONDAY + dt.timedelta(days=2), today=MONDAY)
    pdf, monday = meeting_exports.week_schedule_pdf(vault.sessions, MONDAY + dt.timedelta(days=4))
    assert monday == MONDAY and pages(pdf) == 1
    with vault.sessions() as session:
        [event] = session.execute(
            select(AuditEvent).where(AuditEvent.action == "calendar.printed")
        ).scalars()
    assert event.summary == "Week's meeting schedule printed (week of 2026-11-23)"
    assert "Siobh" not in event.summary
