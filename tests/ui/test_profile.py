"""The Profile tab edits the preferred surname and medical notes; views show the known name."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit, QPlainTextEdit
from pytestqt.qtbot import QtBot

from sendesk.services import pupils
from ui.main_window import MainWindow
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
