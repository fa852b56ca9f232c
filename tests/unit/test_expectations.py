"""Age-related expectations: what a school expects on a measure at each year group, set beside a
pupil's scores in the evidence pack (its chart and its table), read back from the PDF."""

from __future__ import annotations

import datetime as dt
import io
import re
from dataclasses import replace

import pytest
from pypdf import PdfReader

from sendesk import expectations
from sendesk.documents.style import DocumentOptions
from sendesk.errors import StaleEdit, ValidationFailed
from sendesk.records import Records
from sendesk.services import documents as docs
from sendesk.services import measures, pupils
from sendesk.services.measures import MeasureView, ScoreEntry
from sendesk.services.pupils import PupilDetails
from tests.unit.test_document_typesetting import _fonts

TODAY = dt.date(2026, 11, 23)  # 2026/27: the pupil is in Year 4, and was in Year 3 in 2025/26


def test_expected_values_are_typed_by_year_group_and_shown_back_the_same() -> None:
    assert expectations.parse("Y3: 96, Year 4 = 108; R 54\n1: 66") == {
        0: 54.0, 1: 66.0, 3: 96.0, 4: 108.0,
    }  # fmt: skip
    every = expectations.parse("All: 100, Y1: 95")
    assert len(every) == 17 and every[1] == 95 and every[6] == 100
    for typed in ("Y3: 96, Y4: 108", "All: 100", "All: 100, Y1: 95", "N1: 2, R: 50", ""):
        assert expectations.words(expectations.parse(typed)) == typed
    for typed, words in (
        ("95", "is not a year group and a number"),
        ("Y15: 3", "use R, Y1 to Y14"),
        ("Y3: 1, Year 3: 2", "Y3 is given twice"),
    ):
        with pytest.raises(ValidationFailed) as bad:
            expectations.parse(typed)
        assert words in bad.value.problems["expected"]


def test_the_year_group_a_score_was_taken_in_counts_back_from_today() -> None:
    assert expectations.year_group_on(4, TODAY, dt.date(2026, 9, 1)) == 4
    assert expectations.year_group_on(4, TODAY, dt.date(2026, 8, 31)) == 3
    assert expectations.year_group_on(4, TODAY, dt.date(2024, 10, 1)) == 2
    assert expectations.year_group_on(None, TODAY, TODAY) is None
    # No year group recorded: the one a child born in March 2017 is in by age (Y4 in 2025/26).
    assert expectations.year_group_on(None, TODAY, dt.date(2025, 10, 1), dt.date(2017, 3, 9)) == 4


def _measure(vault: Records, name: str) -> MeasureView:
    return next(m for m in measures.list_measures(vault.sessions) if m.details.name == name)


def test_expected_values_are_saved_with_the_measure_as_seen(vault: Records) -> None:
    reading = _measure(vault, "Reading age")
    with_expected = replace(reading.details, expected={3: 96.0, 4: 108.0})
    measures.edit(vault.sessions, reading.id, with_expected, reading.version)
    saved = _measure(vault, "Reading age")
    assert saved.details.expected == {3: 96.0, 4: 108.0} and saved.version == reading.version + 1
    # Changing the expectations alone is a change of the measure: a save over it is refused.
    measures.edit(vault.sessions, reading.id, replace(with_expected, expected={4: 110.0}),
                  saved.version)  # fmt: skip
    with pytest.raises(StaleEdit) as stale:
        measures.edit(vault.sessions, reading.id, replace(with_expected, expected={4: 1.0}),
                      saved.version)  # fmt: skip
    assert stale.value.differences == {"expected": ({4: 110.0}, {4: 1.0})}
    # A save that does not mention them leaves them as they are.
    renamed = replace(reading.details, name="Reading age (Salford)", expected=None)
    measures.edit(vault.sessions, reading.id, renamed, saved.version + 1)
    assert _measure(vault, "Reading age (Salford)").details.expected == {4: 110.0}
    scaled = _measure(vault, "Standardised reading score")  # a scale from 69 to 141
    with pytest.raises(ValidationFailed) as off_scale:
        measures.edit(vault.sessions, scaled.id, replace(scaled.details, expected={3: 150.0}),
                      scaled.version)  # fmt: skip
    assert off_scale.value.problems["expected"] == (
        "An expected value must be on the scale. Standardised reading score runs from 69 to 141 "
        "standard score: 150 is outside it."
    )


@pytest.fixture
def pupil_id(vault: Records) -> int:
    details = PupilDetails("Okafor", "Amara", year_group=4, class_name="4W", sen_status="K",
                           primary_need="SPLD", date_of_birth=dt.date(2017, 3, 9))  # fmt: skip
    pupil = pupils.create(vault.sessions, details, today=TODAY).pupil_id
    reading, spelling = _measure(vault, "Reading age"), _measure(vault, "Spelling age")
    measures.edit(vault.sessions, reading.id, replace(reading.details, expected={3: 96, 4: 108}),
                  reading.version)  # fmt: skip
    for measure, day, value in (
        (reading, dt.date(2025, 10, 1), 84),  # in Year 3
        (reading, dt.date(2026, 3, 20), 88),
        (reading, dt.date(2026, 10, 1), 95),  # in Year 4
        (spelling, dt.date(2026, 10, 1), 80),
    ):
        entry = ScoreEntry(measure.id, day, "during", value)
        measures.record_score(vault.sessions, pupil, entry, TODAY)
    return pupil


def test_each_score_is_set_beside_what_is_expected_for_the_year_group_that_day(
    vault: Records, pupil_id: int
) -> None:
    found = {h.measure: h for h in measures.history(vault.sessions, pupil_id, TODAY)}
    assert [(p.day.year, p.value, p.expected) for p in found["Reading age"].points] == [
        (2025, 84, 96), (2026, 88, 96), (2026, 95, 108),
    ]  # fmt: skip
    assert not found["Spelling age"].has_expected


def _text(pdf: bytes) -> str:
    return " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(pdf)).pages)


def test_the_evidence_pack_charts_each_measure_against_the_expected_values(
    vault: Records, pupil_id: int
) -> None:
    text = _text(docs.evidence_pack_pdf(vault.sessions, pupil_id, today=TODAY).data)
    reading = text.split("Reading age (months; higher is better)", 1)[1]
    # The chart's legend, then the table: each score beside the value expected that day.
    assert reading.index("Expected for the year group") < reading.index("01/10/2025 84 96")
    rows = ["01/10/2025 84 96", "20/03/2026 88 96", "01/10/2026 95 108"]
    at = [reading.index(row) for row in rows]
    assert at == sorted(at)
    spelling = text.split("Spelling age (months; higher is better)", 1)[1]
    assert spelling.startswith("01/10/2026 80") or "01/10/2026 80" in spelling[:300]
    assert "The school records no expected value on this measure" in spelling


@pytest.mark.parametrize(
    ("options", "least"),
    [(DocumentOptions(large_print=True), 16), (DocumentOptions(dyslexia_friendly=True), 12)],
    ids=["large", "dyslexia"],
)
def test_the_charts_keep_to_the_documents_smallest_text_and_its_fonts(
    vault: Records, pupil_id: int, options: DocumentOptions, least: float
) -> None:
    pdf = docs.evidence_pack_pdf(vault.sessions, pupil_id, options, today=TODAY).data
    sizes = set()
    for page in PdfReader(io.BytesIO(pdf)).pages:
        data = page.get_contents().get_data()  # type: ignore[union-attr]
        sizes |= {float(s) for s in re.findall(rb" ([\d.]+) Tf", data)}
    assert min(sizes) >= least, sorted(sizes)
    assert "Expected for the year group" in _text(pdf)
    fonts = _fonts(pdf)  # the charts name no font but the embedded ones
    assert fonts and all(embedded for _, embedded in fonts), fonts
