"""The Profile tab edits the names, language, key adults and medical notes; views show the known
name and the documents print what was typed."""

from __future__ import annotations

import io
import unicodedata
from dataclasses import replace

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QLineEdit, QPlainTextEdit
from pytestqt.qtbot import QtBot

from sendesk.errors import StaleEdit
from sendesk.services import cycles, pupils
from sendesk.services import documents as docs
from ui.main_window import MainWindow
from ui.record import base
from ui.register_model import NAME


def test_preferred_surname_and_medical_notes_are_edited_in_the_profile(
    qtbot: QtBot, main_window: MainWindow
) -> None:
    pupil_id = main_window.register.model.pupil_at(0).id
    main_window.register.select_pupil(pupil_id)
    profile = main_window.record.profile
    widgets = {b.attr: b.widget for b in profile.bindings}
    surname, medical = widgets["preferred_surname"], widgets["medical_notes"]
    assert isinstance(surname, QLineEdit) and isinstance(medical, QPlainTextEdit)
    surname.clear()
    qtbot.keyClicks(surname, "Okoro")
    medical.clear()
    qtbot.keyClicks(medical, "Asthma: blue inhaler in the office")
    qtbot.mouseClick(profile.save_button, Qt.MouseButton.LeftButton)

    saved = pupils.details(main_window.ctx.sessions, pupil_id)
    assert (saved.preferred_surname, saved.medical_notes) == (
        "Okoro",
        "Asthma: blue inhaler in the office",
    )
    assert main_window.record.header.text().startswith(saved.known_as)
    assert saved.known_as.endswith(" Okoro")
    model = main_window.register.model
    row = next(r for r in range(model.rowCount()) if model.pupil_at(r).id == pupil_id)
    assert model.index(row, NAME).data().startswith("Okoro, ")


def test_putting_a_pupil_on_sen_support_in_the_needs_tab_shows_since_today(
    qtbot: QtBot, empty_window: MainWindow
) -> None:
    import datetime as dt

    from sendesk.services.pupils import PupilDetails

    window = empty_window
    saved = pupils.create(window.ctx.sessions, PupilDetails("Okafor", "Chidi", year_group=3))
    window.load_register()
    window.register.select_pupil(saved.pupil_id)
    needs = window.record.needs
    window.record.tabs.setCurrentWidget(needs)
    needs.status.set_code("K")
    needs.primary.set_code("SPLD")
    qtbot.mouseClick(needs.save_button, Qt.MouseButton.LeftButton)

    today = dt.date.today()
    assert pupils.details(window.ctx.sessions, saved.pupil_id).sen_support_since == today
    since = {b.attr: b.widget for b in needs.bindings}["sen_support_since"]
    assert since.text() == today.strftime("%d/%m/%Y")  # what the SENCo sees after saving


def _pdf_text(data: bytes) -> str:
    pages = PdfReader(io.BytesIO(data)).pages
    return " ".join(
        " ".join(unicodedata.normalize("NFKC", p.extract_text() or "").split()) for p in pages
    )


def test_language_key_adults_and_what_matters_are_typed_saved_and_printed(
    qtbot: QtBot, main_window: MainWindow
) -> None:
    sessions = main_window.ctx.sessions
    model = main_window.register.model
    pupil_id = next(
        model.pupil_at(r).id
        for r in range(model.rowCount())
        if cycles.open_cycle_id(sessions, model.pupil_at(r).id)
    )
    main_window.register.select_pupil(pupil_id)
    profile = main_window.record.profile
    widgets = {b.attr: b.widget for b in profile.bindings}
    interpreter = widgets["interpreter_needed"]
    assert isinstance(interpreter, QCheckBox)
    for attr, typed in (
        ("home_language", "Polish"),
        ("class_teacher", "Mr Evans"),
        ("key_worker", "Mrs Kowalska"),
        ("important_to_me", "My dog Reksio and football with my brother"),
    ):
        field = widgets[attr]
        assert isinstance(field, QLineEdit | QPlainTextEdit)
        field.clear()
        qtbot.keyClicks(field, typed)
    interpreter.setChecked(False)
    qtbot.mouseClick(interpreter, Qt.MouseButton.LeftButton)
    assert profile.save_button.isEnabled()
    qtbot.mouseClick(profile.save_button, Qt.MouseButton.LeftButton)

    saved = pupils.details(sessions, pupil_id)
    assert (saved.home_language, saved.interpreter_needed, saved.class_teacher) == (
        "Polish", True, "Mr Evans",
    )  # fmt: skip
    assert saved.key_worker == "Mrs Kowalska"
    assert saved.important_to_me == "My dog Reksio and football with my brother"
    assert not profile.dirty and interpreter.isChecked()  # shown as saved

    plan = _pdf_text(docs.support_plan_pdf(sessions, pupil_id).data)
    assert "Polish (the family needs an interpreter)" in plan
    assert "Class teacher Mr Evans" in plan and "Key worker Mrs Kowalska" in plan
    passport = _pdf_text(docs.passport_pdf(sessions, pupil_id).data)
    assert "My dog Reksio and football with my brother" in passport
    assert "Mr Evans" in passport and "Mrs Kowalska" in passport


def test_a_profile_save_over_another_windows_key_worker_asks_which_to_keep(
    qtbot: QtBot, main_window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    sessions = main_window.ctx.sessions
    pupil_id = main_window.register.model.pupil_at(0).id
    main_window.register.select_pupil(pupil_id)
    profile = main_window.record.profile
    widgets = {b.attr: b.widget for b in profile.bindings}
    # Someone else saves a key worker after this window showed the pupil.
    theirs = pupils.details(sessions, pupil_id)
    pupils.update(sessions, pupil_id, replace(theirs, key_worker="Mr Li"))
    asked: list[dict[str, tuple[object, object]]] = []

    def keep_mine(self: base.RecordTab, conflict: StaleEdit, *_: object) -> dict[str, object]:
        asked.append(conflict.differences)
        return {}  # keep all mine

    monkeypatch.setattr(base.RecordTab, "settle_conflict", keep_mine)
    field = widgets["key_worker"]
    assert isinstance(field, QLineEdit)
    field.clear()
    qtbot.keyClicks(field, "Mrs Kowalska")
    qtbot.mouseClick(profile.save_button, Qt.MouseButton.LeftButton)

    assert asked == [{"key_worker": ("Mr Li", "Mrs Kowalska")}]
    assert pupils.details(sessions, pupil_id).key_worker == "Mrs Kowalska"  # the user kept theirs
