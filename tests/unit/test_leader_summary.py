"""A leader's anonymised summary as a document, and its refusal on a record file (the figures
themselves come from the server: tests/server/test_app_on_server.py)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import pytest
from pypdf import PdfReader

from sendesk.documents import analytics_reports as reports
from sendesk.documents.style import Letterhead
from sendesk.errors import BadInput
from sendesk.figures import RegisterSummary, SummaryGroup
from sendesk.services import leaders
from sendesk.vault import Vault
from tests.conftest import PASSPHRASE

FOUND = RegisterSummary(
    "Oakfield Primary",
    [
        SummaryGroup("No special educational need", "No need recorded", "Year 3", 23),
        SummaryGroup("SEN support", "Speech, language and communication needs", "Year 3", 6),
        SummaryGroup("EHC plan", "Autistic spectrum disorder", "Year 5", "fewer than 5"),
    ],
)


def test_the_csv_holds_every_group_as_the_server_gave_it() -> None:
    rows = list(csv.reader(io.StringIO(reports.summary_csv(FOUND).decode("utf-8-sig"))))
    assert rows[0] == ["Anonymised register summary", "Oakfield Primary"]
    assert rows[1] == ["3 groups of pupils; 1 of them with fewer than 5 pupils."]
    header = rows.index(list(reports.SUMMARY_COLUMNS))
    assert rows[header + 1 :] == [
        ["No special educational need", "No need recorded", "Year 3", "23"],
        ["SEN support", "Speech, language and communication needs", "Year 3", "6"],
        ["EHC plan", "Autistic spectrum disorder", "Year 5", "fewer than 5"],
    ]


def test_the_pdf_reads_as_the_table_with_the_schools_name() -> None:
    pdf = reports.summary_pdf(FOUND, Letterhead("Oakfield Primary", dt.date(2026, 12, 2), None))
    words = " ".join(
        " ".join((page.extract_text() or "").split()) for page in PdfReader(io.BytesIO(pdf)).pages
    )
    assert "Anonymised register summary: Oakfield Primary" in words
    assert "No pupil is named" in words
    assert "Autistic spectrum disorder" in words and "fewer than 5" in words


def test_the_words_never_add_up_what_the_server_left_out() -> None:
    assert "23" not in reports.summary_words(FOUND) and "29" not in reports.summary_words(FOUND)
    counted = RegisterSummary("Oakfield Primary", FOUND.groups[:2])
    assert reports.summary_words(counted) == "2 groups of pupils, each of 5 or more."
    assert reports.summary_words(RegisterSummary("Oakfield Primary", [])) == (
        "The server counted no pupils on roll."
    )


def test_a_record_file_has_no_summary_for_leaders(record_file: Path) -> None:
    with Vault.open(record_file, PASSPHRASE) as vault, pytest.raises(BadInput) as refused:
        leaders.summary(vault.sessions)
    assert "school server" in refused.value.message
