"""Who owns which field on a re-import, leaving rows out, undoing an import, and dates of birth."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection

import pytest
from sqlalchemy import select

from sendesk import importers
from sendesk.errors import BadInput
from sendesk.importers import Fate
from sendesk.models import AuditEvent, ImportBatch, ImportChange
from sendesk.services import imports, notes, pupils
from sendesk.vault import Vault
from tests.unit.test_import import (
    SAMPLES,
    TODAY,
    UPN1,
    UPN2,
    UPN3,
    all_pupils,
    audit_count,
    csv_bytes,
)

ANN = f"{UPN1},Smith,Ann,01/03/2019,Year 2,2B,N,,"
BOB = f"{UPN2},Jones,Bob,10/10/2018,Year 2,2B,N,,"
SET_ON = dt.date(2026, 9, 5)


def rows_of(data: bytes) -> list[importers.ParsedRow]:
    source = importers.read(data)
    return importers.interpret(source, source.guess_mapping())


def preview(
    vault: Vault, data: bytes, take: Collection[int] = (), leave_out: Collection[int] = ()
) -> list[importers.RowFate]:
    return imports.preview(vault.sessions, rows_of(data), TODAY, take=take, leave_out=leave_out)


def apply(
    vault: Vault, data: bytes, take: Collection[int] = (), leave_out: Collection[int] = ()
) -> imports.ImportResult:
    source = importers.read(data)
    return imports.apply(
        vault.sessions, rows_of(data), source.kind, TODAY, take=take, leave_out=leave_out,
        source_name="export.csv", digest=source.digest,
    )  # fmt: skip


def senco_sets_sen_support(vault: Vault, upn: str, today: dt.date = SET_ON) -> None:
    """As the SENCo does in the Profile tab: SEN support with two ranked needs."""
    pupil_id = pupils.find_by_upn(vault.sessions, upn)
    details = pupils.details(vault.sessions, pupil_id)
    details.sen_status, details.primary_need, details.secondary_need = "K", "SLCN", "SEMH"
    details.sen_support_since = dt.date(2026, 9, 1)
    pupils.update(vault.sessions, pupil_id, details, today)


def sen_of(vault: Vault, upn: str) -> tuple[str, str | None, str | None]:
    p = all_pupils(vault)[upn]
    return p.sen_status, p.primary_need, p.secondary_need


# --- the pupil service records that the SENCo set the SEN judgement --------------------------


def test_setting_the_sen_judgement_in_sendesk_is_dated_and_other_edits_are_not(
    vault: Vault,
) -> None:
    apply(vault, csv_bytes(ANN, BOB))
    assert all_pupils(vault)[UPN1].sen_set_on is None  # from the MIS
    senco_sets_sen_support(vault, UPN1)
    bob_id = pupils.find_by_upn(vault.sessions, UPN2)
    bob = pupils.details(vault.sessions, bob_id)
    bob.strengths = "Loves maths"
    pupils.update(vault.sessions, bob_id, bob, SET_ON)
    saved = all_pupils(vault)
    assert saved[UPN1].sen_set_on == SET_ON
    assert saved[UPN2].sen_set_on is None


# --- a re-import never erases what the SENCo decided ------------------------------------------


def test_a_reimport_after_senco_edits_changes_nothing_the_senco_set_without_a_tick(
    vault: Vault,
) -> None:
    apply(vault, csv_bytes(ANN, BOB))
    senco_sets_sen_support(vault, UPN1)
    senco_sets_sen_support(vault, UPN2)
    september = csv_bytes(ANN.replace("Year 2,2B", "Year 3,3K"), BOB.replace("Year 2", "Year 3"))

    fates = preview(vault, september)
    assert [f.fate for f in fates] == [Fate.UPDATE, Fate.UPDATE]
    assert fates[0].changes == ("year_group", "class_name")  # MIS-owned fields only
    assert "Year group: Year 2 → Year 3" in fates[0].explanation()
    assert "Class: 2B → 3K" in fates[0].explanation()
    assert "SEN status MIS: N · SENDesk: K (set 05/09/2026)" in fates[0].explanation()
    assert [h.field for h in fates[0].held][:1] == ["sen_status"] and not fates[0].taken

    result = apply(vault, september)
    assert result.totals.updated == 2
    for upn in (UPN1, UPN2):
        assert sen_of(vault, upn) == ("K", "SLCN", "SEMH")
    assert all_pupils(vault)[UPN1].year_group == 3


def test_a_ticked_change_takes_the_mis_value_and_only_for_that_row(vault: Vault) -> None:
    apply(vault, csv_bytes(ANN, BOB))
    senco_sets_sen_support(vault, UPN1)
    senco_sets_sen_support(vault, UPN2)
    again = csv_bytes(ANN, BOB)  # exactly the first file: only the SEN judgement disagrees
    fates = preview(vault, again)
    assert [f.fate for f in fates] == [Fate.UNCHANGED, Fate.UNCHANGED]
    assert all(f.held for f in fates)

    ticked = preview(vault, again, take={2})
    assert [f.fate for f in ticked] == [Fate.UPDATE, Fate.UNCHANGED]
    assert ticked[0].taken and "SEN status: K → N" in ticked[0].explanation()

    apply(vault, again, take={2})
    assert sen_of(vault, UPN1) == ("N", None, None)
    assert sen_of(vault, UPN2) == ("K", "SLCN", "SEMH")


def test_an_empty_cell_never_erases_anything(vault: Vault) -> None:
    apply(vault, csv_bytes(f"{UPN1},Smith,Ann,01/03/2019,Year 2,2B,K,SLCN,SEMH"))
    # Status given, needs left empty: the needs stay (from the MIS, not set in SENDesk).
    fates = preview(vault, csv_bytes(f"{UPN1},Smith,Ann,01/03/2019,,,E,,"))
    assert fates[0].changes == ("sen_status",)
    apply(vault, csv_bytes(f"{UPN1},Smith,Ann,01/03/2019,,,E,,"))
    ann = all_pupils(vault)[UPN1]
    assert (ann.sen_status, ann.primary_need, ann.secondary_need) == ("E", "SLCN", "SEMH")
    assert (ann.year_group, ann.class_name) == (2, "2B")


def test_needs_cleared_on_import_when_the_mis_gives_other_needs_or_no_sen(vault: Vault) -> None:
    apply(vault, csv_bytes(f"{UPN1},Smith,Ann,01/03/2019,Year 2,2B,E,ASD,SEMH"))
    # The row ranks one need: that is the pupil's ranked needs now, so the old second one goes.
    fates = preview(vault, csv_bytes(f"{UPN1},Smith,Ann,01/03/2019,Year 2,2B,K,SLCN,"))
    assert fates[0].changes == ("sen_status", "primary_need", "secondary_need")
    assert "Secondary need: SEMH → (none)" in fates[0].explanation()
    apply(vault, csv_bytes(f"{UPN1},Smith,Ann,01/03/2019,Year 2,2B,K,SLCN,"))
    assert sen_of(vault, UPN1) == ("K", "SLCN", None)
    # "No SEN" from the MIS: a pupil with no SEN has no ranked needs, and the preview says so.
    fates = preview(vault, csv_bytes(f"{UPN1},Smith,Ann,01/03/2019,Year 2,2B,N,,"))
    assert "Primary need: SLCN → (none)" in fates[0].explanation()
    apply(vault, csv_bytes(f"{UPN1},Smith,Ann,01/03/2019,Year 2,2B,N,,"))
    assert sen_of(vault, UPN1) == ("N", None, None)


# --- leaving rows out -------------------------------------------------------------------------


def test_a_row_left_out_is_not_saved(vault: Vault) -> None:
    fates = preview(vault, csv_bytes(ANN, BOB), leave_out={3})
    assert [f.fate for f in fates] == [Fate.NEW, Fate.LEFT_OUT]
    result = apply(vault, csv_bytes(ANN, BOB), leave_out={3})
    assert result.totals == importers.Totals(new=1, left_out=1)
    assert result.totals.sentence() == "1 new, 0 updated, 0 unchanged, 0 rejected, 1 left out"
    assert set(all_pupils(vault)) == {UPN1}


# --- undo -------------------------------------------------------------------------------------


def test_an_import_is_undone_as_one_step(vault: Vault) -> None:
    apply(vault, csv_bytes(ANN))
    before = all_pupils(vault)[UPN1]
    september = csv_bytes(ANN.replace("Year 2,2B", "Year 3,3K"), BOB)
    result = apply(vault, september)
    assert result.batch_id is not None
    assert imports.batch_of(vault.sessions, importers.read(september).digest) == result.batch_id
    events = audit_count(vault)

    undone = imports.undo(vault.sessions, result.batch_id)

    assert (undone.restored, undone.removed) == (1, 1)
    saved = all_pupils(vault)
    assert set(saved) == {UPN1}  # Bob, whom the import added, is gone
    assert (saved[UPN1].year_group, saved[UPN1].class_name) == (2, "2B")
    assert saved[UPN1].legal_surname == before.legal_surname
    assert audit_count(vault) == events + 1
    with vault.sessions() as session:
        event = session.execute(select(AuditEvent).order_by(AuditEvent.id.desc())).scalars().first()
        batch = session.get(ImportBatch, result.batch_id)
        assert batch is not None and batch.undone_at is not None
        undone_rows = select(ImportChange).where(ImportChange.batch_id == result.batch_id)
        assert session.execute(undone_rows).first() is None  # the old values are not kept
    assert event is not None and event.action == "pupils.import_undone"
    assert "Smith" not in event.summary
    with pytest.raises(BadInput, match="already undone"):
        imports.undo(vault.sessions, result.batch_id)
    assert imports.batch_of(vault.sessions, importers.read(september).digest) is None


def test_undo_is_refused_when_a_changed_field_was_edited_since(vault: Vault) -> None:
    apply(vault, csv_bytes(ANN))
    result = apply(vault, csv_bytes(ANN.replace("Year 2,2B", "Year 3,3K"), BOB))
    assert result.batch_id is not None
    ann_id = pupils.find_by_upn(vault.sessions, UPN1)
    ann = pupils.details(vault.sessions, ann_id)
    ann.class_name = "3P"
    pupils.update(vault.sessions, ann_id, ann, TODAY)
    events = audit_count(vault)
    with pytest.raises(imports.CannotUndo) as refused:
        imports.undo(vault.sessions, result.batch_id)
    assert "Smith, Ann" in refused.value.message and "Class" in refused.value.message
    assert "changed since" in refused.value.message
    saved = all_pupils(vault)
    assert set(saved) == {UPN1, UPN2} and saved[UPN1].class_name == "3P"
    assert audit_count(vault) == events


def test_undo_is_refused_when_an_added_pupil_has_records_since(vault: Vault) -> None:
    result = apply(vault, csv_bytes(ANN, BOB))
    assert result.batch_id is not None
    bob_id = pupils.find_by_upn(vault.sessions, UPN2)
    notes.add(vault.sessions, bob_id, TODAY, "concern", "Finds reading hard", today=TODAY)
    with pytest.raises(imports.CannotUndo, match="Jones, Bob"):
        imports.undo(vault.sessions, result.batch_id)
    assert set(all_pupils(vault)) == {UPN1, UPN2}


def test_nothing_imported_records_no_batch(vault: Vault) -> None:
    apply(vault, csv_bytes(ANN))
    again = apply(vault, csv_bytes(ANN))
    assert again.batch_id is None and again.totals.unchanged == 1


# --- a date of birth is needed ---------------------------------------------------------------


def test_a_new_pupil_without_a_date_of_birth_is_rejected_with_the_reason(vault: Vault) -> None:
    result = apply(vault, csv_bytes(ANN.replace("01/03/2019", "")))
    [fate] = result.fates
    assert fate.fate is Fate.REJECTED and "No date of birth" in fate.reason
    assert "census" in fate.reason
    assert all_pupils(vault) == {}
    header_without = csv_bytes(f"{UPN3},Patel,Ravi", header="UPN,Surname,Forename")
    [fate] = apply(vault, header_without).fates
    assert fate.fate is Fate.REJECTED and "No date of birth" in fate.reason


def test_a_ctf_pupil_without_a_date_of_birth_is_rejected(vault: Vault) -> None:
    data = (SAMPLES / "transfer.ctf.xml").read_bytes()
    start = data.index(b"<DOB>")
    end = data.index(b"</DOB>", start) + len(b"</DOB>")
    result = apply(vault, data[:start] + data[end:])
    assert result.fates[0].fate is Fate.REJECTED and "No date of birth" in result.fates[0].reason
    assert result.totals.new == 2


def test_a_known_pupil_keeps_their_date_of_birth_when_the_cell_is_empty(vault: Vault) -> None:
    apply(vault, csv_bytes(ANN))
    [fate] = apply(vault, csv_bytes(ANN.replace("01/03/2019,Year 2", ",Year 3"))).fates
    assert fate.fate is Fate.UPDATE
    assert all_pupils(vault)[UPN1].date_of_birth == dt.date(2019, 3, 1)


def test_a_plan_that_puts_a_pupil_on_sen_support_is_kept_on_reimport(vault: Vault) -> None:
    from tests.unit import test_cycles_service as cycle_steps

    apply(vault, csv_bytes(ANN))
    ann_id = pupils.find_by_upn(vault.sessions, UPN1)
    cycle_steps.through_to_review(vault, ann_id)  # completing the plan moves her to K
    assert all_pupils(vault)[UPN1].sen_set_on == cycle_steps.TODAY
    later = cycle_steps.TODAY + dt.timedelta(days=1)
    [fate] = imports.preview(vault.sessions, rows_of(csv_bytes(ANN)), later)
    assert fate.fate is Fate.UNCHANGED and fate.held[0].field == "sen_status"
    imports.apply(vault.sessions, rows_of(csv_bytes(ANN)), "CSV", later)
    assert all_pupils(vault)[UPN1].sen_status == "K"
