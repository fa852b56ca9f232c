"""Many support plans in one process: one query round, one layout, one PDF (or a folder)."""

from __future__ import annotations

import datetime as dt
import errno
import io
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from sqlalchemy import event, select

from sendesk import atomic
from sendesk.errors import FileProblem, NotFound, SendeskError
from sendesk.models import AuditEvent
from sendesk.services import documents as docs
from sendesk.services import meetings, pupils
from sendesk.services.pupils import PupilDetails
from sendesk.vault import Vault
from tests.cli_support import run
from tests.conftest import DEMO_TODAY, PASSPHRASE
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
    folder = tmp_path / "each"  # not there yet: made for the run, as its parent is there
    code, _, err = run(
        capsys, "plans", str(record_file), "--pupils", UPNS[0], UPNS[2], UPNS[0].lower(),
        "--out", str(folder),
    )  # fmt: skip
    assert code == 0, err
    assert "2 support plans saved" in err  # a UPN given twice prints one plan
    written = sorted(p.name for p in folder.iterdir())
    assert written == sorted(f"support-plan-{UPNS[i]}-cycle-1.pdf" for i in (0, 2))
    deep = tmp_path / "no" / "such" / "folder"  # a whole path is never made
    code, _, err = run(capsys, "plans", str(record_file), "--pupils", UPNS[0], "--out", str(deep))
    assert code != 0 and not (tmp_path / "no").exists()
    code, _, err = run(capsys, "plans", str(record_file), "--pupils", "nonsense", "--out", str(out))
    assert code != 0 and "not a valid UPN" in err
    with Vault.open(record_file, PASSPHRASE) as vault, vault.sessions() as session:
        exported = session.execute(
            select(AuditEvent).where(AuditEvent.action == "document.exported")
        ).scalars()
        assert len(list(exported)) == 4 + 2  # each pupil's plan audited


# --- the print run prints what printing each plan alone prints ---------------------------------


def _upns_with_plans(path: Path, count: int) -> list[str]:
    with Vault.open(path, PASSPHRASE) as vault:
        rows = [r for r in pupils.list_register(vault.sessions, today=DEMO_TODAY) if r.upn]
        ids = docs.pupils_by_upn(vault.sessions, [r.upn for r in rows if r.upn])
        run_ = docs.support_plans(vault.sessions, ids, today=DEMO_TODAY, one_file=False)
    return [d.filename.split("-")[2] for d in run_.documents][:count]


@pytest.mark.slow
@pytest.mark.usefixtures("cli_passphrase")
@pytest.mark.parametrize("options", [(), ("--for-parents", "--large-print")])
def test_each_plan_of_a_print_run_reads_as_that_plan_printed_alone(
    demo_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], options: tuple[str, ...]
) -> None:
    upns = _upns_with_plans(demo_file, 8)
    assert len(upns) == 8
    day = ("--date", DEMO_TODAY.isoformat())
    folder, whole = tmp_path / "each", tmp_path / "all.pdf"
    folder.mkdir()
    code, _, err = run(capsys, "plans", str(demo_file), "--pupils", *upns, "--out", str(folder),
                       *day, *options)  # fmt: skip
    assert code == 0, err
    code, _, err = run(capsys, "plans", str(demo_file), "--pupils", *upns, "--out", str(whole),
                       *day, *options)  # fmt: skip
    assert code == 0, err
    alone = []
    for number, u in enumerate(upns):
        single = tmp_path / f"alone-{number}.pdf"
        code, _, err = run(capsys, "plan", str(demo_file), "--pupil", u, "--out", str(single),
                           *day, *options)  # fmt: skip
        assert code == 0, err
        alone.append(_pages(single.read_bytes()))
        [batch] = folder.glob(f"support-plan-{u}-cycle-*.pdf")
        assert _pages(batch.read_bytes()) == alone[-1]
    assert _pages(whole.read_bytes()) == [page for plan in alone for page in plan]


# --- found, loaded and audited in a few statements, whatever the number of plans ---------------


def _statements(vault: Vault) -> tuple[list[str], Callable[[], None]]:
    engine = vault.sessions.kw["bind"]
    seen: list[str] = []

    def count(*args: object) -> None:
        seen.append(str(args[2]))

    event.listen(engine, "before_cursor_execute", count)
    return seen, lambda: event.remove(engine, "before_cursor_execute", count)


def test_pupils_named_by_upn_are_found_in_one_query(vault: Vault) -> None:
    ids, _ = _school(vault)
    seen, stop = _statements(vault)
    try:
        found = docs.pupils_by_upn(vault.sessions, [UPNS[2], UPNS[0].lower(), UPNS[3], UPNS[1]])
    finally:
        stop()
    assert found == [ids[2], ids[0], ids[3], ids[1]]  # in the order given
    assert len([s for s in seen if s.lstrip().upper().startswith("SELECT")]) == 1
    with pytest.raises(NotFound, match="M323456789015"):
        docs.pupils_by_upn(vault.sessions, [UPNS[0], "M323456789015"])


def test_a_print_run_is_audited_in_one_transaction_an_event_per_pupil(
    vault: Vault, tmp_path: Path
) -> None:
    ids, _ = _school(vault)
    run_ = docs.support_plans(vault.sessions, ids, today=TODAY, one_file=False)
    engine = vault.sessions.kw["bind"]
    commits: list[object] = []

    def count(conn: object) -> None:
        commits.append(conn)

    event.listen(engine, "commit", count)
    try:
        written = docs.export_many(
            vault.sessions, [(d, tmp_path / d.filename) for d in run_.documents]
        )
    finally:
        event.remove(engine, "commit", count)
    assert len(commits) == 1
    assert [p.name for p in written] == [d.filename for d in run_.documents]
    assert sorted(e.pupil_uuid for e in _exported(vault)) == sorted(
        u for d in run_.documents for u in d.pupil_uuids
    )


def _exported(vault: Vault) -> list[AuditEvent]:
    with vault.sessions() as session:
        return list(
            session.execute(
                select(AuditEvent).where(AuditEvent.action == "document.exported")
            ).scalars()
        )


def test_a_print_run_onto_an_existing_file_writes_nothing(vault: Vault, tmp_path: Path) -> None:
    ids, _ = _school(vault)
    run_ = docs.support_plans(vault.sessions, ids, today=TODAY, one_file=False)
    out = tmp_path / "plans"  # the record file is in tmp_path
    out.mkdir()
    last = out / run_.documents[-1].filename
    last.write_bytes(b"kept")
    with pytest.raises(FileProblem, match="already exists"):
        docs.export_many(vault.sessions, [(d, out / d.filename) for d in run_.documents])
    assert list(out.iterdir()) == [last] and last.read_bytes() == b"kept"
    assert _exported(vault) == []


def test_a_print_run_that_fails_part_way_audits_each_plan_it_wrote(
    vault: Vault, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ids, _ = _school(vault)
    run_ = docs.support_plans(vault.sessions, ids, today=TODAY, one_file=False)
    write_one = atomic._write_one
    calls = []

    def full_disk(target: Path, *args: Any) -> None:
        calls.append(target)
        if len(calls) == 3:  # as the real one says a full disk
            raise atomic._problem(OSError(errno.ENOSPC, "No space left on device"), target, "x")
        write_one(target, *args)

    monkeypatch.setattr(atomic, "_write_one", full_disk)
    out = tmp_path / "plans"  # the record file is in tmp_path
    out.mkdir()
    with pytest.raises(SendeskError, match=r"full|space"):
        docs.export_many(vault.sessions, [(d, out / d.filename) for d in run_.documents])
    written = sorted(p.name for p in out.iterdir())
    assert written == sorted(d.filename for d in run_.documents[:2])  # no partial left either
    assert sorted(e.pupil_uuid for e in _exported(vault)) == sorted(
        u for d in run_.documents[:2] for u in d.pupil_uuids
    )


def test_a_print_run_counts_the_year_s_earlier_cycles_in_the_year_s_cost(vault: Vault) -> None:
    """A plan prints what all SEN support costs this school year: its own provision and an
    earlier cycle's of the same year (which a print run loads for that alone), never last
    year's; the batch and the single plan say the same."""
    from sendesk.models import Cycle, Provision

    pupil_id = planned_pupil(vault)
    with vault.sessions.begin() as session:
        current = session.execute(select(Cycle).where(Cycle.pupil_id == pupil_id)).scalar_one()
        current.number = 3
        for number, opened, closed, pence in (
            (1, dt.date(2025, 10, 6), dt.date(2026, 3, 2), 100_000),  # 2025/26
            (2, dt.date(2026, 9, 7), dt.date(2026, 11, 16), 30_000),  # 2026/27, as the plan
        ):
            earlier = Cycle(
                pupil_id=pupil_id, number=number, stage="closed", opened_on=opened,
                closed_on=closed, next_step="continue",
            )  # fmt: skip
            session.add(earlier)
            session.flush()
            session.add(
                Provision(cycle_id=earlier.id, description="Speech group", delivered_by="SALT",
                          fixed_cost_pence=pence, weeks=6, sessions_per_week=1)
            )  # fmt: skip
    [batch] = docs.support_plans(vault.sessions, [pupil_id], today=TODAY).documents
    single = docs.support_plan_pdf(vault.sessions, pupil_id, today=TODAY)
    for pdf in (batch.data, single.data):
        text = " ".join(" ".join(_pages(pdf)).split())
        plan = re.search(r"This plan: £([\d,.]+)\.", text)
        year = re.search(
            r"All SEN support in 2026/27, the school year this plan began: £([\d,.]+)", text
        )
        assert plan and year, text
        pounds = [float(m.group(1).replace(",", "")) for m in (plan, year)]
        assert pounds[1] - pounds[0] == 300


def test_a_print_run_lays_out_each_plan_as_it_writes_and_keeps_what_it_wrote(
    vault: Vault, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Into a folder, each plan is laid out when its turn comes (while the one before is
    written); should laying one out fail, the plans before it are in place and audited, and
    none after it is laid out."""
    from sendesk.documents import support_plan

    ids, _ = _school(vault)
    run_ = docs.support_plans(vault.sessions, ids, today=TODAY, one_file=False)
    build = support_plan.build
    laid_out: list[object] = []

    def third_fails(*args: Any, **kwargs: Any) -> bytes:
        laid_out.append(args[0])
        if len(laid_out) == 3:
            raise RuntimeError("layout failed")
        return build(*args, **kwargs)

    monkeypatch.setattr(support_plan, "build", third_fails)
    assert laid_out == []  # nothing was laid out before the run writes
    out = tmp_path / "plans"  # the record file is in tmp_path
    out.mkdir()
    with pytest.raises(RuntimeError, match="layout failed"):
        docs.export_many(vault.sessions, [(d, out / d.filename) for d in run_.documents])
    assert len(laid_out) == 3
    assert sorted(p.name for p in out.iterdir()) == sorted(d.filename for d in run_.documents[:2])
    assert sorted(e.pupil_uuid for e in _exported(vault)) == sorted(
        u for d in run_.documents[:2] for u in d.pupil_uuids
    )
