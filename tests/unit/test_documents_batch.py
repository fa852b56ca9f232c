"""Many support plans in one process: one query round, one layout, one PDF (or a folder)."""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import event, select

from sendesk.models import AuditEvent
from sendesk.services import documents as docs
from sendesk.services import meetings, pupils
from sendesk.services.pupils import PupilDetails
from sendesk.vault import Vault
from tests.cli_support import run
from tests.conftest import PASSPHRASE
from tests.unit.test_documents import TODAY, planned_pupil

NAMES = [("Nguyễn", "Zoë"), ("Wójcik", "Łukasz"), ("Jones", "Llŷr"), ("Khan", "Aisha")]
UPNS = ["Z886241726001", "A123456789012", "R223456789013", "H323456789014"]


def _school(vault: Vault) -> tuple[list[int], int]:
    """Four pupils with a plan and a review meeting on 24/11/2026, and one with no plan."""
    ids = []
    for (surname, forename), upn_text in zip(NAMES, UPNS, strict=True):
        pupil_id = planned_pupil(vault, surname, forename, upn=upn_text)
        meetings.schedule_on_day(vault.sessions, pupil_id, dt.date(2026, 11, 24), today=TODAY)
        ids.append(pupil_id)
    none = pupils.create(
        vault.sessions, PupilDetails("Planless", "Pat", sen_status="K", primary_need="ASD"),
        today=TODAY,
    ).pupil_id  # fmt: skip
    meetings.schedule_on_day(vault.sessions, none, dt.date(2026, 11, 25), today=TODAY)
    return ids, none


def _pages(pdf: bytes) -> list[str]:
    return [p.extract_text() or "" for p in PdfReader(io.BytesIO(pdf)).pages]


def test_plans_for_the_week_are_one_pdf_each_plan_numbered_on_its_own(vault: Vault) -> None:
    ids, none = _school(vault)
    week = docs.pupils_with_reviews(vault.sessions, dt.date(2026, 11, 23))
    assert set(week) == {*ids, none}
    run_ = docs.support_plans(vault.sessions, week, today=TODAY)
    assert run_.without_plan == (none,)
    [doc] = run_.documents
    singles = [docs.support_plan_pdf(vault.sessions, i, today=TODAY).data for i in ids]
    pages = _pages(doc.data)
    assert len(pages) == sum(len(_pages(s)) for s in singles)
    firsts = [p for p in pages if re.search(r"Page 1 of \d", p)]
    assert len(firsts) == len(ids)  # every plan starts again at page 1
    for (surname, forename), first in zip(NAMES, firsts, strict=True):
        assert f"{forename} {surname}" in first
    assert len(doc.pupil_uuids) == len(ids)


def test_the_batch_loads_records_in_one_round_of_queries(vault: Vault) -> None:
    ids, _ = _school(vault)
    engine = vault.sessions.kw["bind"]
    statements: list[str] = []

    def count(*args: object) -> None:
        statements.append(str(args[2]))

    event.listen(engine, "before_cursor_execute", count)
    try:
        docs.support_plans(vault.sessions, ids[:1], today=TODAY)
        one = len(statements)
        statements.clear()
        docs.support_plans(vault.sessions, ids, today=TODAY)
        four = len(statements)
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert four == one  # not one query per pupil


@pytest.mark.usefixtures("cli_passphrase")
def test_sendesk_plans_to_one_file_and_to_a_folder(
    record_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with Vault.open(record_file, PASSPHRASE) as vault:
        _school(vault)
    out = tmp_path / "plans.pdf"
    code, _, err = run(
        capsys, "plans", str(record_file), "--week", "2026-11-23", "--out", str(out),
        "--date", "2026-11-23",
    )  # fmt: skip
    assert code == 0, err
    assert "4 support plans saved" in err and "1 pupil has no support plan" in err
    assert sum("Page 1 of" in p for p in _pages(out.read_bytes())) == 4
    folder = tmp_path / "each"
    folder.mkdir()
    code, _, err = run(
        capsys, "plans", str(record_file), "--pupils", UPNS[0], UPNS[2], "--out", str(folder),
    )  # fmt: skip
    assert code == 0, err
    written = sorted(p.name for p in folder.iterdir())
    assert written == sorted(f"support-plan-{UPNS[i]}-cycle-1.pdf" for i in (0, 2))
    code, _, err = run(capsys, "plans", str(record_file), "--pupils", "nonsense", "--out", str(out))
    assert code != 0 and "not a valid UPN" in err
    with Vault.open(record_file, PASSPHRASE) as vault, vault.sessions() as session:
        exported = session.execute(
            select(AuditEvent).where(AuditEvent.action == "document.exported")
        ).scalars()
        assert len(list(exported)) == 4 + 2  # each pupil's plan audited
