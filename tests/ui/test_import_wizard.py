"""File → Import pupils…: the wizard end to end, and what it leaves in the record file."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QFileDialog, QWizard
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from sendesk.models import Pupil
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
    assert [table.item(5, c).text() for c in range(4)] == [
        "row 7", "Rejected", "P919345618510", "Price, Megan",
    ]  # fmt: skip
    assert "not a real date" in table.item(5, 4).text()
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
