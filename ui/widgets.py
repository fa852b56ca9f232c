"""Small widgets the forms share: date fields, code pickers, passphrase fields, labels a screen
reader follows, scrolling pages, and how a form shows its problems."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

from PySide6.QtCore import QByteArray, QDate, QSize, Qt, QTimer
from PySide6.QtGui import (
    QAccessible,
    QAccessibleAnnouncementEvent,
    QAccessibleEvent,
    QAction,
    QFocusEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
)
from PySide6.QtWidgets import (
    QCalendarWidget,
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QProgressBar,
    QSizePolicy,
    QSplitter,
    QStyle,
    QStyleOptionComboBox,
    QStylePainter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from sendesk import dates, passphrase
from sendesk.errors import BadInput
from sendesk.wording import tidy


class DateField(QLineEdit):
    """A date typed as DD/MM/YYYY (empty allowed), or picked from a calendar that pops up from
    the button at its end (or Alt+Down); `value()` raises `BadInput` when not a real date."""

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setPlaceholderText("DD/MM/YYYY")
        self.setAccessibleName(name)
        self.setMaxLength(10)
        self.field_name = name
        icon = self.style().standardIcon(QStyle.StandardPixmap.SP_FileDialogDetailedView)
        self.calendar_action = QAction(icon, "Choose from a calendar", self)
        self.calendar_action.setToolTip("Choose from a calendar (Alt+Down)")
        self.calendar_action.triggered.connect(self.pop_up_calendar)
        self.addAction(self.calendar_action, QLineEdit.ActionPosition.TrailingPosition)
        self.calendar: QCalendarWidget | None = None
        self._clicked_in = False  # the focus came with a click, still to be released

    def focusInEvent(self, event: QFocusEvent) -> None:  # noqa: N802 - Qt's name
        super().focusInEvent(event)
        # A date offered (a default, the last one saved) is replaced by what is typed: the
        # field is full at 10 characters, so typing after it would silently change nothing.
        # However the focus came (a page opening on it, Tab), the date is selected; a click
        # selects it once it has placed the cursor.
        self._clicked_in = event.reason() == Qt.FocusReason.MouseFocusReason
        if not self._clicked_in:
            self.selectAll()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt's name
        super().mouseReleaseEvent(event)
        if self._clicked_in and not self.hasSelectedText():
            self.selectAll()
        self._clicked_in = False

    def keyPressEvent(self, event: object) -> None:  # noqa: N802 - Qt's name
        from PySide6.QtGui import QKeyEvent

        assert isinstance(event, QKeyEvent)
        if event.key() == Qt.Key.Key_Down and event.modifiers() & Qt.KeyboardModifier.AltModifier:
            self.pop_up_calendar()
            return
        super().keyPressEvent(event)

    def pop_up_calendar(self) -> QCalendarWidget:
        """A calendar under the field, on the typed date (or today); picking a day fills it in."""
        calendar = self.calendar = QCalendarWidget(self)
        calendar.setWindowFlags(Qt.WindowType.Popup)
        calendar.setAccessibleName(f"{self.field_name}: calendar")
        calendar.setFirstDayOfWeek(Qt.DayOfWeek.Monday)
        calendar.setGridVisible(True)
        try:
            shown = self.value()
        except BadInput:
            shown = None
        if shown is not None:
            calendar.setSelectedDate(QDate(shown.year, shown.month, shown.day))
        calendar.activated.connect(self._picked)
        calendar.clicked.connect(self._picked)
        calendar.adjustSize()
        below = self.mapToGlobal(self.rect().bottomLeft())
        screen = self.screen().availableGeometry()
        x = min(below.x(), screen.right() - calendar.width())
        y = (
            below.y()
            if below.y() + calendar.height() <= screen.bottom()
            else (self.mapToGlobal(self.rect().topLeft()).y() - calendar.height())
        )
        calendar.move(max(x, screen.left()), max(y, screen.top()))
        calendar.show()
        calendar.setFocus()
        return calendar

    def _picked(self, day: QDate) -> None:
        self.set_value(dt.date(day.year(), day.month(), day.day()))
        self.editingFinished.emit()
        if self.calendar is not None:
            self.calendar.close()
        self.setFocus()

    def value(self) -> dt.date | None:
        try:
            return dates.parse_optional(self.text())
        except BadInput as exc:
            raise BadInput(f"{self.field_name}: {exc.message}") from exc

    def set_value(self, day: dt.date | None) -> None:
        self.setText(dates.show(day))


MAX_SHOWN_CHARS = 30


class CodeCombo(QComboBox):
    """A pick list of codes shown by their names; `code()` is None for the blank choice."""

    def __init__(
        self,
        name: str,
        choices: Iterable[tuple[object, str]],
        blank: str | None = None,
        shown_chars: int | None = None,
    ) -> None:
        super().__init__()
        self.setAccessibleName(name)
        if blank is not None:
            self.addItem(blank, None)
        for code, label in choices:
            self.addItem(label, code)
        # Wide enough for its names, up to a point: long census names would otherwise make
        # every form as wide as the longest of them. The list that drops down shows them whole.
        longest = max((len(self.itemText(i)) for i in range(self.count())), default=10)
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.setMinimumContentsLength(shown_chars or min(longest, MAX_SHOWN_CHARS))
        self.view().setMinimumWidth(self.view().sizeHintForColumn(0) + 24)
        self.currentTextChanged.connect(self.setToolTip)  # the whole name, where it is cut short

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt's name
        # A name wider than the box ends in "…", never cut through a letter ("communication nee").
        painter = QStylePainter(self)
        option = QStyleOptionComboBox()
        self.initStyleOption(option)
        painter.drawComplexControl(QStyle.ComplexControl.CC_ComboBox, option)
        field = self.style().subControlRect(
            QStyle.ComplexControl.CC_ComboBox,
            option,
            QStyle.SubControl.SC_ComboBoxEditField,
            self,
        )
        option.currentText = self.fontMetrics().elidedText(
            option.currentText, Qt.TextElideMode.ElideRight, field.width()
        )
        painter.drawControl(QStyle.ControlElement.CE_ComboBoxLabel, option)

    def code(self) -> object:
        return self.currentData()

    def set_code(self, code: object) -> None:
        index = self.findData(code)
        self.setCurrentIndex(max(index, 0))


def text_field(name: str, max_length: int = 100) -> QLineEdit:
    field = QLineEdit()
    field.setAccessibleName(name)
    field.setMaxLength(max_length)
    return field


def text_area(name: str, placeholder: str = "") -> QPlainTextEdit:
    area = QPlainTextEdit()
    area.setAccessibleName(name)
    area.setPlaceholderText(placeholder)
    area.setTabChangesFocus(True)  # Tab moves on, as in every other field
    area.setMinimumHeight(60)
    return area


class LiveLabel(QLabel):
    """A label whose text changes (problems, advice, a summary): a screen reader reads the text
    itself, after what the label is for, and is told each time it changes."""

    def __init__(
        self, caption: str, text: str = "", parent: QWidget | None = None, wrap: bool = True
    ) -> None:
        super().__init__(parent)
        self.caption = caption
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setWordWrap(wrap)
        self.setAccessibleDescription(caption)
        # A long message wraps (or is cut short) inside the space it is given: its minimum
        # width is small, so it never sets the window's minimum size.
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        self.setMinimumWidth(120)
        self.setText(text)

    def setText(self, text: str) -> None:  # noqa: N802 - Qt's name
        text = tidy(text)  # messages joined from parts never read "Done.."
        changed = text != self.text()
        super().setText(text)
        self.setAccessibleName(f"{self.caption}: {text}" if text else self.caption)
        if not self.wordWrap():
            self.setToolTip(text)  # a line cut short on a narrow window can still be read
        if changed and text and QAccessible.isActive():
            QAccessible.updateAccessibility(QAccessibleEvent(self, QAccessible.Event.NameChanged))
            QAccessible.updateAccessibility(QAccessibleAnnouncementEvent(self, text))

    def clear(self) -> None:
        self.setText("")

    def heightForWidth(self, width: int) -> int:  # noqa: N802 - Qt's name
        return super().heightForWidth(max(width, self.minimumWidth()))

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt's name
        """A line that does not fit ends in "…" (its whole text is the tooltip), never cut off
        mid-word as if that were all it said."""
        rect = self.contentsRect()
        metrics = self.fontMetrics()
        if self.wordWrap() or metrics.horizontalAdvance(self.text()) <= rect.width():
            super().paintEvent(event)
            return
        painter = QPainter(self)
        shown = metrics.elidedText(self.text(), Qt.TextElideMode.ElideRight, rect.width())
        self.style().drawItemText(
            painter, rect, int(self.alignment()), self.palette(), self.isEnabled(), shown,
            self.foregroundRole(),
        )  # fmt: skip
        painter.end()

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        hint = super().minimumSizeHint()
        return QSize(self.minimumWidth(), hint.height())


def problem_label() -> LiveLabel:
    """A line that says what is wrong with a form, read out by screen readers when it changes."""
    label = LiveLabel("Problems")
    label.setStyleSheet(
        "font-weight: bold;"
    )  # no fixed colours: high-contrast themes stay readable
    label.hide()
    return label


def show_problems(label: QLabel, problems: Mapping[str, str] | str | None) -> None:
    if not problems:
        label.clear()
        label.hide()
        return
    text = problems if isinstance(problems, str) else "\n".join(problems.values())
    text = "Please check: " + text
    label.setText(text)
    label.show()
    window = label.window()
    if isinstance(window, QDialog) and window.isVisible():
        # A dialog grows to show every line of the message rather than cutting it off.
        layout = window.layout()
        if layout is not None:
            layout.activate()
        wanted = window.sizeHint().expandedTo(window.size())
        room = window.screen().availableGeometry().size()
        wanted = wanted.boundedTo(room - (window.frameGeometry().size() - window.size()))
        if wanted != window.size():
            window.resize(wanted)


def add_row(form: QFormLayout, label: str, field: QWidget) -> None:
    """A form row whose label is the field's buddy, so Alt+letter and screen readers work."""
    caption = QLabel(label)
    caption.setBuddy(field)
    if not field.accessibleName():
        field.setAccessibleName(label.replace("&", "").rstrip(":"))
    form.addRow(caption, field)


# --- passphrases -----------------------------------------------------------------------------

STRENGTH_WORDS = ("Very weak", "Weak", "Fair", "Strong", "Very strong")


def secret_field(name: str) -> QLineEdit:
    field = QLineEdit()
    field.setEchoMode(QLineEdit.EchoMode.Password)
    field.setAccessibleName(name)
    return field


def show_secrets_box(*fields: QLineEdit) -> QCheckBox:
    """ "Show passphrase": one box that shows or hides every passphrase field of a form."""
    box = QCheckBox("&Show passphrase")
    box.setAccessibleName("Show passphrase")

    def toggle(shown: bool) -> None:
        mode = QLineEdit.EchoMode.Normal if shown else QLineEdit.EchoMode.Password
        for field in fields:
            field.setEchoMode(mode)

    box.toggled.connect(toggle)
    return box


def checked_password(first: str, second: str) -> str:
    """A password for an exported copy: long enough and typed the same twice."""
    from sendesk.documents import protect  # pypdf loads when a password is first checked

    if first != second:
        raise BadInput("The two passwords differ.")
    protect.check_password(first)
    return first


class PasswordPair(QWidget):
    """A password for an exported copy, typed twice, with a box that shows what was typed."""

    def __init__(self, what: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        self.first = secret_field(f"Password for the {what}")
        self.second = secret_field(f"Password for the {what} again")
        from sendesk.documents import protect

        self.first.setPlaceholderText(f"at least {protect.MIN_PASSWORD} characters")
        form.addRow("&Password:", self.first)
        form.addRow("A&gain:", self.second)
        self.show_box = show_secrets_box(self.first, self.second)
        form.addRow("", self.show_box)

    def password(self) -> str:
        return checked_password(self.first.text(), self.second.text())

    def clear(self) -> None:
        self.first.clear()
        self.second.clear()


class StrengthMeter(QWidget):
    """How strong a new passphrase is: a bar, and the same level in words beside it
    ("Strength: Weak"), so neither colour nor sight is needed to read it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        row = QVBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        self.bar = QProgressBar()
        self.bar.setRange(0, 4)
        self.bar.setTextVisible(True)
        self.bar.setAccessibleName("Passphrase strength")
        self.words = LiveLabel("Passphrase strength")
        row.addWidget(self.bar)
        row.addWidget(self.words)
        self.show_strength(None)

    def show_strength(self, strength: passphrase.Strength | None) -> None:
        if strength is None:
            self.bar.setValue(0)
            self.bar.setFormat("Nothing typed yet")
            self.words.setText("")
            self.words.hide()
            return
        word = STRENGTH_WORDS[strength.score]
        verdict = "strong enough" if strength.acceptable else "not strong enough yet"
        self.bar.setValue(strength.score)
        self.bar.setFormat(word)
        self.bar.setAccessibleDescription(word)
        self.words.setText(f"{word}: {verdict}.")
        self.words.show()

    def level(self) -> str:
        return self.bar.format()


def rows_follow_their_text(table: QTableView) -> None:
    """Each row as tall as its cells' text wraps to at the columns' present widths, fitted again
    once the columns or the cells change (read whole at any scaling, never cut to two lines);
    never lower than the rows' least height."""
    fit = QTimer(table)  # once things settle, not once for each column or cell that moved
    fit.setSingleShot(True)
    fit.setInterval(0)
    fit.timeout.connect(table.resizeRowsToContents)
    table.horizontalHeader().sectionResized.connect(lambda *_: fit.start())
    model = table.model()
    model.dataChanged.connect(lambda *_: fit.start())
    model.rowsInserted.connect(lambda *_: fit.start())
    model.modelReset.connect(fit.start)


def remember_splitter(splitter: QSplitter, key: str) -> None:
    """The splitter opens where the user last left it (kept in the settings, per screen size)."""
    from ui.recent_files import settings  # the one place settings are kept

    name = f"splitters/{key}"
    saved = settings().value(name)
    if isinstance(saved, QByteArray | bytes):
        splitter.restoreState(QByteArray(saved))
    splitter.splitterMoved.connect(lambda *_: settings().setValue(name, splitter.saveState()))
