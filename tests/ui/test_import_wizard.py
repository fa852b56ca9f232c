"""File → Import pupils…: the wizard end to end, and what it leaves in the record file."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QWizard
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from sendesk.models import AuditEvent, Pupil
from sendesk.services import pupils
from tests.ui.conftest import MessageBoxes, wait_for_background
from tests.unit.test_import import SAMPLES
from ui.import_wizard import IGNORE, ImportWizard
from ui.main_window import MainWindow


def open_wizard(window: MainWindow) -> ImportWizard:
    window.named_actions["import"].trigger()
    [wizard] = [w for w in window.findChildren(ImportWizard) if w.isVisible()]
    return wizard


def test_import_a_csv_end_to_end(
    qtbot: QtBot, empty_window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = tmp_path / "export.csv"
    source.write_bytes(
        (SAMPLES / "pupils_semicolon.csv").read_bytes().replace(b"Class;", b"Tutor Group;")
    )
    wizard = open_wizard(empty_window)
    assert wizard.currentPage() is wizard.file_page
    qtbot.keyClicks(wizard.file_page.path, str(source))
    wizard.next()
    wait_for_background(qtbot)
    qtbot.waitUntil(lambda: wizard.currentPage() is wizard.mapping_page)

    mapping = wizard.mapping_page
    names = [mapping.table.item(r, 0).text() for r in range(mapping.table.rowCount())]
    assert names[0] == "Surname" and mapping.combos[0].currentData() == "legal_surname"
    tutor = names.index("Tutor Group")
    assert mapping.combos[tutor].currentText() == IGNORE  # not a name SENDesk knows
    assert mapping.table.item(tutor, 1).text() == "4T"
    mapping.set_field("Tutor Group", "class_name")
    mapping.set_field("Preferred Forename", None)
    wizard.next()
    wait_for_background(qtbot)

    preview = wizard.preview_page
    qtbot.waitUntil(lambda: preview.isComplete())
    assert wizard.currentPage() is preview
    assert preview.totals.text().startswith("5 new, 0 updated, 0 unchanged, 1 rejected")
    table = preview.table
    assert table.rowCount() == 6
    shown = (preview.ROW, preview.FATE, preview.UPN, preview.NAME)
    assert [table.item(5, c).text() for c in shown] == [
        "row 7", "Rejected", "P919345618510", "Price, Megan",
    ]  # fmt: skip
    assert "not a real date" in table.item(5, preview.DETAILS).text()
    assert not table.item(5, preview.INCLUDE).flags() & Qt.ItemFlag.ItemIsUserCheckable
    with empty_window.ctx.sessions() as session:
        assert session.execute(select(Pupil)).first() is None  # a preview writes nothing

    wizard.next()  # the commit button: Import
    wait_for_background(qtbot)
    qtbot.waitUntil(lambda: wizard.currentPage() is wizard.result_page)
    assert wizard.imported is not None and wizard.imported.totals.new == 5
    assert "5 pupils were saved" in wizard.result_page.summary.text()
    assert preview.progress.value() == 5

    wizard.importing = True  # as while an import runs: Escape does not close the wizard
    wizard.reject()
    assert wizard.isVisible()
    wizard.importing = False
    saved_to = tmp_path / "rejected.csv"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *args, **kwargs: (str(saved_to), ""))
    assert wizard.result_page.save_rejected_button.isVisibleTo(wizard)
    wizard.result_page.save_rejected_button.click()
    assert "Price" in saved_to.read_text(encoding="utf-8-sig")
    assert wizard.saved_rejected == saved_to
    with empty_window.ctx.sessions() as session:  # a plain copy of pupils' details: audited
        summary = session.execute(
            select(AuditEvent.summary).where(AuditEvent.action == "import.rejected_saved")
        ).scalar_one()
    assert summary == "1 rejected import rows saved" and "Price" not in summary

    wizard.button(QWizard.WizardButton.FinishButton).click()
    assert not wizard.isVisible()
    with empty_window.ctx.sessions() as session:
        found = {p.upn: p for p in session.execute(select(Pupil)).scalars()}
    assert len(found) == 5
    assert found["B919345618500"].class_name == "4T"
    assert found["E919345618502"].preferred_forename is None  # that column was not imported
    assert found["H919345618504"].legal_forename == "Tomáš"
    model = empty_window.register.model
    assert sorted(model.pupil_at(r).surname for r in range(model.rowCount())) == [
        "Adeyemi", "Begum", "Hughes", "Novák", "Walsh",
    ]  # fmt: skip
    assert empty_window.counts_label.text().startswith("5 pupils")


def test_a_rollover_ctf_updates_the_demo_school_and_nothing_is_left_to_do(
    qtbot: QtBot, empty_window: MainWindow
) -> None:
    for expected in ("3 new", "0 new, 0 updated, 3 unchanged"):
        wizard = open_wizard(empty_window)
        wizard.file_page.path.setText(str(SAMPLES / "transfer.ctf.xml"))
        wizard.next()
        wait_for_background(qtbot)
        qtbot.waitUntil(lambda w=wizard: w.currentPage() is w.mapping_page)
        wizard.next()
        wait_for_background(qtbot)
        qtbot.waitUntil(lambda w=wizard: "Checking" not in w.preview_page.totals.text())
        assert wizard.preview_page.totals.text().startswith(expected)
        if expected == "3 new":
            wizard.next()
            wait_for_background(qtbot)
            qtbot.waitUntil(lambda w=wizard: w.currentPage() is w.result_page)
            wizard.button(QWizard.WizardButton.FinishButton).click()
        else:
            assert not wizard.preview_page.isComplete()  # nothing to import
            assert "nothing to import" in wizard.preview_page.totals.text()
            wizard.reject()
    assert empty_window.counts_label.text().startswith("3 pupils · 1 on SEN support · 1 with")


def test_a_bad_file_and_a_bad_mapping_are_explained(
    qtbot: QtBot, empty_window: MainWindow, tmp_path: Path, message_boxes: MessageBoxes
) -> None:
    wizard = open_wizard(empty_window)
    bad = tmp_path / "pupils.xlsx"
    bad.write_bytes(b"PK\x03\x04 a workbook")
    wizard.file_page.path.setText(str(bad))
    wizard.next()
    wait_for_background(qtbot)
    qtbot.waitUntil(lambda: wizard.file_page.problems.isVisible())
    assert "Excel workbook" in wizard.file_page.problems.text()
    assert wizard.currentPage() is wizard.file_page

    good = tmp_path / "pupils.csv"
    good.write_text("UPN,Surname,Forename\nB919345618500,Adeyemi,Tobi\n", encoding="utf-8")
    wizard.file_page.path.setText(str(good))
    wizard.next()
    wait_for_background(qtbot)
    qtbot.waitUntil(lambda: wizard.currentPage() is wizard.mapping_page)
    wizard.mapping_page.set_field("UPN", None)
    wizard.next()
    assert wizard.currentPage() is wizard.mapping_page
    assert "No column is mapped to UPN" in wizard.mapping_page.problems.text()
    wizard.mapping_page.set_field("Forename", "legal_surname")
    wizard.next()
    assert "mapped to Legal surname" in wizard.mapping_page.problems.text()
    wizard.reject()
    assert message_boxes.shown == []


def test_every_wizard_control_has_an_accessible_name(
    qtbot: QtBot, empty_window: MainWindow
) -> None:
    from tests.ui.test_window_basics import unnamed_controls

    wizard = open_wizard(empty_window)
    wizard.file_page.path.setText(str(SAMPLES / "pupils_semicolon.csv"))
    wizard.next()
    wait_for_background(qtbot)
    qtbot.waitUntil(lambda: wizard.currentPage() is wizard.mapping_page)
    assert [p for p in unnamed_controls(wizard) if "qt_" not in p] == []
    assert empty_window.named_actions["import"].text() == "&Import pupils…"
    wizard.reject()


ANN = "B919345618500,Adeyemi,Tobi,01/03/2019,Year 2,N"
BOB = "E919345618502,Hughes,Oliver,02/03/2019,Year 2,N"


def run_to_preview(qtbot: QtBot, window: MainWindow, path: Path) -> ImportWizard:
    wizard = open_wizard(window)
    qtbot.keyClicks(wizard.file_page.path, str(path))
    wizard.next()
    wait_for_background(qtbot)
    qtbot.waitUntil(lambda: wizard.currentPage() is wizard.mapping_page)
    wizard.next()
    wait_for_background(qtbot)
    qtbot.waitUntil(lambda: "Checking" not in wizard.preview_page.totals.text())
    return wizard


def click_check(qtbot: QtBot, wizard: ImportWizard, row: int, column: int) -> None:
    """Click a check box cell of the preview as the user does (space on the focused cell)."""
    table = wizard.preview_page.table
    table.setCurrentCell(row, column)
    table.setFocus()
    qtbot.keyClick(table.viewport(), Qt.Key.Key_Space)


def import_and_finish(qtbot: QtBot, wizard: ImportWizard) -> None:
    wizard.next()
    wait_for_background(qtbot)
    qtbot.waitUntil(lambda: wizard.currentPage() is wizard.result_page)


def test_tick_a_senco_change_and_leave_out_a_row(
    qtbot: QtBot, empty_window: MainWindow, tmp_path: Path
) -> None:
    source = tmp_path / "mis.csv"
    source.write_text(f"UPN,Surname,Forename,DOB,Year,SEN\n{ANN}\n{BOB}\n", encoding="utf-8")
    wizard = run_to_preview(qtbot, empty_window, source)
    import_and_finish(qtbot, wizard)
    wizard.button(QWizard.WizardButton.FinishButton).click()
    ctx = empty_window.ctx
    for upn in ("B919345618500", "E919345618502"):  # the SENCo sets SEN support in SENDesk
        pupil_id = pupils.find_by_upn(ctx.sessions, upn)
        details = pupils.details(ctx.sessions, pupil_id)
        details.sen_status, details.primary_need = "K", "SLCN"
        pupils.update(ctx.sessions, pupil_id, details, dt.date(2026, 12, 2))
    source.write_text(
        f"UPN,Surname,Forename,DOB,Year,SEN\n{ANN.replace('Year 2', 'Year 3')}\n{BOB}\n",
        encoding="utf-8",
    )

    wizard = run_to_preview(qtbot, empty_window, source)
    preview = wizard.preview_page
    table = preview.table
    assert preview.totals.text().startswith("0 new, 1 updated, 1 unchanged")
    details = table.item(0, preview.DETAILS)
    assert "Year group: Year 2 → Year 3" in details.text()
    assert "SEN status MIS: N · SENDesk: K (set 02/12/2026)" in details.text()
    assert "SEN status MIS: N" in details.toolTip()
    where = table.visualItemRect(details).center()  # clicking a row shows every reason in full
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=where)
    assert "SEN status MIS: N · SENDesk: K" in preview.details.toPlainText()

    click_check(qtbot, wizard, 1, preview.TAKE)  # take the MIS's "No SEN" for Oliver
    assert table.item(1, preview.FATE).text() == "Update"
    assert "SEN status: K → N" in table.item(1, preview.DETAILS).text()
    click_check(qtbot, wizard, 0, preview.INCLUDE)  # and leave Tobi out
    assert table.item(0, preview.FATE).text() == "Left out"
    assert preview.totals.text().startswith("0 new, 1 updated, 0 unchanged, 0 rejected, 1 left")

    import_and_finish(qtbot, wizard)
    with ctx.sessions() as session:
        found = {p.upn: p for p in session.execute(select(Pupil)).scalars()}
    tobi, oliver = found["B919345618500"], found["E919345618502"]
    assert (tobi.year_group, tobi.sen_status, tobi.primary_need) == (2, "K", "SLCN")  # left out
    assert (oliver.sen_status, oliver.primary_need) == ("N", None)  # the tick took the MIS's
    wizard.button(QWizard.WizardButton.FinishButton).click()


def test_undo_this_import(
    qtbot: QtBot, empty_window: MainWindow, tmp_path: Path, message_boxes: MessageBoxes
) -> None:
    source = tmp_path / "mis.csv"
    source.write_text(f"UPN,Surname,Forename,DOB,Year,SEN\n{ANN}\n", encoding="utf-8")
    wizard = run_to_preview(qtbot, empty_window, source)
    import_and_finish(qtbot, wizard)
    wizard.button(QWizard.WizardButton.FinishButton).click()
    source.write_text(
        f"UPN,Surname,Forename,DOB,Year,SEN\n{ANN.replace('Year 2', 'Year 3')}\n{BOB}\n",
        encoding="utf-8",
    )
    wizard = run_to_preview(qtbot, empty_window, source)
    import_and_finish(qtbot, wizard)
    result = wizard.result_page
    assert result.undo_button.isVisibleTo(wizard)

    qtbot.mouseClick(result.undo_button, Qt.MouseButton.LeftButton)
    wait_for_background(qtbot)
    qtbot.waitUntil(lambda: "undone" in result.undo_result.text())
    assert message_boxes.shown[-1][0] == "Undo this import"
    assert "1 pupils have their values back and 1 pupils it added were removed" in (
        result.undo_result.text()
    )
    assert not result.undo_button.isEnabled()
    wizard.button(QWizard.WizardButton.FinishButton).click()
    with empty_window.ctx.sessions() as session:
        found = {p.upn: p for p in session.execute(select(Pupil)).scalars()}
    assert set(found) == {"B919345618500"} and found["B919345618500"].year_group == 2
    assert empty_window.counts_label.text().startswith("1 pupil")


def test_undo_is_refused_in_the_app_after_an_edit(
    qtbot: QtBot, empty_window: MainWindow, tmp_path: Path
) -> None:
    source = tmp_path / "mis.csv"
    source.write_text(f"UPN,Surname,Forename,DOB,Year,SEN\n{ANN}\n", encoding="utf-8")
    wizard = run_to_preview(qtbot, empty_window, source)
    import_and_finish(qtbot, wizard)
    ctx = empty_window.ctx
    pupil_id = pupils.find_by_upn(ctx.sessions, "B919345618500")
    details = pupils.details(ctx.sessions, pupil_id)
    details.legal_forename = "Tobias"
    pupils.update(ctx.sessions, pupil_id, details)
    qtbot.mouseClick(wizard.result_page.undo_button, Qt.MouseButton.LeftButton)
    wait_for_background(qtbot)
    qtbot.waitUntil(lambda: "cannot be undone" in wizard.result_page.undo_result.text())
    assert "Adeyemi, Tobias was added by this import" not in wizard.result_page.undo_result.text()
    assert "Legal forename changed since" in wizard.result_page.undo_result.text()
    assert wizard.result_page.undo_button.isEnabled()
    assert pupils.details(ctx.sessions, pupil_id).legal_forename == "Tobias"
    wizard.button(QWizard.WizardButton.FinishButton).click()


def test_a_hostile_name_is_shown_as_code_points_and_rejected(
    qtbot: QtBot, empty_window: MainWindow, tmp_path: Path
) -> None:
    source = tmp_path / "mis.csv"
    source.write_text(
        "UPN,Surname,Forename,DOB,Year,SEN\n" + ANN.replace("Adeyemi", "Adeyemi\u202e"),
        encoding="utf-8",
    )
    wizard = run_to_preview(qtbot, empty_window, source)
    preview = wizard.preview_page
    assert preview.table.item(0, preview.NAME).text() == "Adeyemi<U+202E>, Tobi"
    assert preview.table.item(0, preview.FATE).text() == "Rejected"
    assert "U+202E" in preview.table.item(0, preview.DETAILS).text()
    assert not preview.isComplete()
    wizard.reject()
