"""Keyboard and screen readers: focus that can be seen, dates typed or picked, labels a screen
reader reads, passphrases that can be shown and whose strength is said in words."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import QDate, QPoint, Qt
from PySide6.QtGui import QAccessible, QColor, QImage, QPalette
from PySide6.QtWidgets import (
    QApplication,
    QCalendarWidget,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
    QWizard,
)
from pytestqt.qtbot import QtBot

from sendesk import passphrase
from sendesk.errors import BadInput
from ui.appearance import focus_colour
from ui.create_wizard import CreateWizard
from ui.main_window import MainWindow
from ui.widgets import DateField, LiveLabel, StrengthMeter, problem_label, show_problems


def screen_reader_name(widget: QWidget) -> str:
    """What a screen reader announces for a widget, through Qt's accessibility interface."""
    face = QAccessible.queryAccessibleInterface(widget)
    assert face is not None
    return face.text(QAccessible.Text.Name)


def on_the_box(box: QWidget) -> QPoint:
    """A check box takes clicks on its box and words only, not on the empty space after them."""
    return QPoint(6, box.height() // 2)


def ring_pixels(image: QImage, colour: QColor) -> int:
    wanted = colour.rgb()
    return sum(
        image.pixel(x, y) == wanted
        for x in range(image.width())
        for y in (0, 1, image.height() - 1)
    ) + sum(image.pixel(x, y) == wanted for y in range(image.height()) for x in (0, 1))


# --- focus ----------------------------------------------------------------------------------


def _focus_ring_drawn(qtbot: QtBot, palette: QPalette) -> tuple[int, int]:
    holder = QWidget()
    holder.setPalette(palette)
    qtbot.addWidget(holder)
    layout = QVBoxLayout(holder)
    first, second = QPushButton("First"), QLineEdit()
    layout.addWidget(first)
    layout.addWidget(second)
    holder.show()
    qtbot.waitExposed(holder)
    colour = focus_colour(holder.palette())
    second.setFocus()
    qtbot.waitUntil(second.hasFocus)
    unfocused = ring_pixels(first.grab().toImage(), colour)
    first.setFocus()
    qtbot.waitUntil(first.hasFocus)
    focused = ring_pixels(first.grab().toImage(), colour)
    return unfocused, focused


def test_the_focused_control_has_a_solid_ring(qtbot: QtBot) -> None:
    unfocused, focused = _focus_ring_drawn(qtbot, QApplication.palette())
    assert unfocused == 0
    assert focused > 40  # a ring on every side, not a dotted hint


def test_the_ring_shows_in_a_high_contrast_theme(qtbot: QtBot) -> None:
    contrast = QPalette(QColor("black"), QColor("black"))
    for group in (QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive):
        contrast.setColor(group, QPalette.ColorRole.Highlight, QColor("#ffff00"))
        contrast.setColor(group, QPalette.ColorRole.WindowText, QColor("white"))
        contrast.setColor(group, QPalette.ColorRole.ButtonText, QColor("white"))
    unfocused, focused = _focus_ring_drawn(qtbot, contrast)
    assert unfocused == 0 and focused > 40


def test_every_create_wizard_page_opens_on_its_first_field(qtbot: QtBot) -> None:
    wizard = CreateWizard()
    qtbot.addWidget(wizard)
    wizard.show()
    qtbot.waitUntil(wizard.school_page.name.hasFocus)
    qtbot.keyClicks(QApplication.focusWidget(), "Oakfield Primary")
    assert wizard.school_page.name.text() == "Oakfield Primary"
    qtbot.mouseClick(wizard.button(QWizard.WizardButton.NextButton), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(wizard.location_page.folder.hasFocus)
    qtbot.mouseClick(wizard.button(QWizard.WizardButton.NextButton), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(wizard.passphrase_page.first.hasFocus)


# --- dates ----------------------------------------------------------------------------------


# The offscreen platform cannot raise a pop-up or grab the keyboard for it: nothing to act on.
popup = pytest.mark.qt_log_ignore("This plugin does not support (raise|grabbing)")


@popup
def test_a_date_is_typed_or_picked_from_the_calendar(qtbot: QtBot) -> None:
    field = DateField("Date of birth")
    qtbot.addWidget(field)
    field.show()
    qtbot.keyClicks(field, "03/09/2018")
    assert field.value() == dt.date(2018, 9, 3)
    calendar = field.pop_up_calendar()
    assert isinstance(calendar, QCalendarWidget) and calendar.isVisible()
    assert calendar.selectedDate() == QDate(2018, 9, 3)  # it opens on the typed date
    calendar.setSelectedDate(QDate(2018, 9, 14))
    qtbot.keyClick(calendar.focusWidget() or calendar, Qt.Key.Key_Return)
    assert field.text() == "14/09/2018" and field.value() == dt.date(2018, 9, 14)
    assert not calendar.isVisible()


@popup
def test_alt_down_opens_the_calendar_and_a_bad_date_is_still_refused(qtbot: QtBot) -> None:
    field = DateField("Review date")
    qtbot.addWidget(field)
    field.show()
    qtbot.keyClick(field, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    assert field.calendar is not None and field.calendar.isVisible()
    field.calendar.close()
    qtbot.keyClicks(field, "31/02/2026")
    try:
        field.value()
    except BadInput as exc:
        assert exc.message.startswith("Review date:")
    else:
        raise AssertionError("31/02/2026 was accepted")


def test_the_record_uses_the_date_field_with_its_calendar(main_window: MainWindow) -> None:
    main_window.register.select_pupil(main_window.register.model.pupil_at(0).id)
    fields = main_window.record.findChildren(DateField)
    assert len(fields) >= 4
    assert all(f.calendar_action in f.actions() for f in fields)


# --- screen readers -------------------------------------------------------------------------


def test_a_problem_is_read_out_not_just_its_caption(qtbot: QtBot) -> None:
    label = problem_label()
    qtbot.addWidget(label)
    show_problems(label, "A URN is six digits.")
    assert screen_reader_name(label) == "Problems: Please check: A URN is six digits."
    show_problems(label, None)
    assert screen_reader_name(label) == "Problems"


def test_a_live_label_never_doubles_its_full_stops(qtbot: QtBot) -> None:
    label = LiveLabel("Review summary")
    qtbot.addWidget(label)
    label.setText("The review is recorded..")
    assert label.text() == "The review is recorded."


def test_the_selected_pupil_and_counts_are_read_out(main_window: MainWindow) -> None:
    row = main_window.register.model.pupil_at(0)
    main_window.register.select_pupil(row.id)
    header = screen_reader_name(main_window.record.header)
    assert header.startswith("Selected pupil: ") and row.surname in header
    assert screen_reader_name(main_window.counts_label).startswith("Register counts: 60 pupils")


def test_a_long_need_description_does_not_widen_the_window(
    qtbot: QtBot, main_window: MainWindow
) -> None:
    main_window.resize(1280, 700)
    main_window.register.select_pupil(main_window.register.model.pupil_at(0).id)
    main_window.record.tabs.setCurrentWidget(main_window.record.needs)
    QApplication.processEvents()
    width = main_window.width()
    main_window.record.needs.warning.setText("A need described at great length " * 30)
    main_window.record.header.setText("Somebody With A Very Long Name " * 10)
    QApplication.processEvents()
    assert main_window.width() == width
    assert main_window.minimumSizeHint().width() < 1000


# --- passphrases ----------------------------------------------------------------------------


def test_show_passphrase_and_a_meter_in_words(qtbot: QtBot) -> None:
    wizard = CreateWizard()
    qtbot.addWidget(wizard)
    page = wizard.passphrase_page
    wizard.school_page.name.setText("Oakfield Primary")
    wizard.show()
    wizard.next()
    wizard.next()
    assert wizard.currentPage() is page
    qtbot.keyClicks(page.first, "short one")
    assert page.first.echoMode() == QLineEdit.EchoMode.Password
    assert page.meter.level() == "Very weak"
    assert screen_reader_name(page.meter.words) == (
        "Passphrase strength: Very weak: not strong enough yet."
    )
    qtbot.mouseClick(page.show_box, Qt.MouseButton.LeftButton, pos=on_the_box(page.show_box))
    assert page.first.echoMode() == page.second.echoMode() == QLineEdit.EchoMode.Normal
    page.first.clear()
    qtbot.keyClicks(page.first, "purple elephants dance at midnight")
    strength = passphrase.assess("purple elephants dance at midnight")
    assert page.meter.level() in ("Strong", "Very strong") and strength.acceptable
    assert page.meter.words.text().endswith("strong enough.")
    shown = [w.text() for w in page.findChildren(QLabel) if w.isVisible()]
    assert " ".join(shown).lower().count("strong enough") == 1, shown  # said once, not twice
    qtbot.mouseClick(page.show_box, Qt.MouseButton.LeftButton, pos=on_the_box(page.show_box))
    assert page.first.echoMode() == QLineEdit.EchoMode.Password


def test_the_meter_says_nothing_before_anything_is_typed(qtbot: QtBot) -> None:
    meter = StrengthMeter()
    qtbot.addWidget(meter)
    assert meter.level() == "Nothing typed yet" and meter.words.isHidden()
