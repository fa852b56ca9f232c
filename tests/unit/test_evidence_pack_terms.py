"""The EHC needs assessment evidence pack's attendance per term, read back from the PDF."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from pypdf import PdfReader

from sendesk.attendance import TermFigures
from sendesk.records import Records
from sendesk.services import attendance, pupils
from sendesk.services import documents as docs
from sendesk.services.pupils import PupilDetails

TODAY = dt.date(2026, 11, 23)


def _text(pdf: bytes) -> str:
    return " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(pdf)).pages)


@pytest.fixture
def pupil_id(vault: Records) -> int:
    details = PupilDetails("Okafor", "Amara", year_group=4, class_name="4W", sen_status="K",
                           primary_need="SLCN", date_of_birth=dt.date(2017, 3, 9))  # fmt: skip
    return pupils.create(vault.sessions, details, today=TODAY).pupil_id


def test_the_pack_prints_each_terms_attendance_oldest_first(vault: Records, pupil_id: int) -> None:
    empty = _text(docs.evidence_pack_pdf(vault.sessions, pupil_id, today=TODAY).data)
    assert "Attendance per term No attendance figures recorded." in empty
    for figures in (
        TermFigures(2026, "autumn", 88, 70),
        TermFigures(2025, "summer", 120, 114),
        TermFigures(2025, "spring", 118, 101),
    ):
        attendance.record(vault.sessions, pupil_id, figures, None, TODAY)
    text = _text(docs.evidence_pack_pdf(vault.sessions, pupil_id, today=TODAY).data)
    section = text.split("Attendance per term", 1)[1]
    rows = [
        "2025/26 Spring 118 101 85.6% (persistent absence)",
        "2025/26 Summer 120 114 95.0%",
        "2026/27 Autumn 88 70 79.5% (persistent absence)",
    ]
    at = [section.index(row) for row in rows]
    assert at == sorted(at), section[:400]
    assert "Sessions possible" in section and "persistent absence" in section
