"""How every window looks and fits, whatever the theme and the display scaling: a focus ring
that is always visible, and windows that never open larger than the screen or off it."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QRect, Qt, QTimer
from PySide6.QtGui import QColor, QPainter, QPalette, QPen
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QApplication,
    QColorDialog,
    QComboBox,
    QDialog,
    QFileDialog,
    QInputDialog,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QProgressDialog,
    QProxyStyle,
    QStyle,
    QStyleOption,
    QStyleOptionComplex,
    QTextEdit,
    QWidget,
    QWizard,
)

from ui.scrolling import make_scrollable

FOCUS_WIDTH = 2
PE = QStyle.PrimitiveElement


def focus_colour(palette: QPalette) -> QColor:
    """The theme's own highlight (high-contrast themes make it stand out), made opaque."""
    colour = QColor(palette.color(QPalette.ColorGroup.Active, QPalette.ColorRole.Highlight))
    colour.setAlpha(255)
    return colour


class FocusStyle(QProxyStyle):
    """The app's style: the platform's, with a clearly visible focus ring on every control."""

    def drawPrimitive(  # noqa: N802 - Qt's name
        self,
        element: QStyle.PrimitiveElement,
        option: QStyleOption,
        painter: QPainter,
        widget: QWidget | None = None,
    ) -> None:
        if element == QStyle.PrimitiveElement.PE_FrameFocusRect:
            _ring(painter, option.rect, option.palette)
            return
        super().drawPrimitive(element, option, painter, widget)
        if (
            element
            in (QStyle.PrimitiveElement.PE_FrameLineEdit, QStyle.PrimitiveElement.PE_PanelLineEdit)
            and option.state & QStyle.StateFlag.State_HasFocus
        ):
            _ring(painter, option.rect, option.palette)

    def drawControl(  # noqa: N802 - Qt's name
        self,
        element: QStyle.ControlElement,
        option: QStyleOption,
        painter: QPainter,
        widget: QWidget | None = None,
    ) -> None:
        super().drawControl(element, option, painter, widget)
        if (
            element
            in (
                QStyle.ControlElement.CE_PushButton,
                QStyle.ControlElement.CE_CheckBox,
                QStyle.ControlElement.CE_RadioButton,
            )
            and option.state & QStyle.StateFlag.State_HasFocus
        ):
            _ring(painter, option.rect, option.palette)

    def drawComplexControl(  # noqa: N802 - Qt's name
        self,
        control: QStyle.ComplexControl,
        option: QStyleOptionComplex,
        painter: QPainter,
        widget: QWidget | None = None,
    ) -> None:
        super().drawComplexControl(control, option, painter, widget)
        if (
            control
            in (
                QStyle.ComplexControl.CC_ComboBox,
                QStyle.ComplexControl.CC_SpinBox,
                QStyle.ComplexControl.CC_ToolButton,
            )
            and option.state & QStyle.StateFlag.State_HasFocus
        ):
            _ring(painter, option.rect, option.palette)


def _ring(painter: QPainter, rect: QRect, palette: QPalette) -> None:
    painter.save()
    pen = QPen(focus_colour(palette), FOCUS_WIDTH)
    pen.setJoinStyle(Qt.PenJoinStyle.MiterJoin)
    painter.setPen(pen)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    half = FOCUS_WIDTH // 2
    painter.drawRect(
        rect.adjusted(half, half, -half - 1 + FOCUS_WIDTH % 2, -half - 1 + FOCUS_WIDTH % 2)
    )
    painter.restore()


# Qt's own dialogs look after themselves.
_STANDARD_DIALOGS = (QMessageBox, QFileDialog, QInputDialog, QProgressDialog, QColorDialog)


class ScreenFit(QObject):
    """Every dialog's content, and every wizard page, scrolls when the screen is too small for
    it (its buttons stay in view below); when a window first shows, it is shrunk to the screen's
    free area and moved fully onto it, so a window sized for a large screen still has its
    buttons in reach on a small or highly scaled one."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        # Every event of the app passes here: only windows matter, and asking that first spares
        # the rest reading the event's type (a Python enum made afresh each time, for thousands
        # of events while a window is built).
        if not isinstance(watched, QWidget) or not watched.isWindow():
            return False
        kind = event.type()
        if kind == QEvent.Type.Polish and isinstance(watched, QDialog):
            if not isinstance(watched, _STANDARD_DIALOGS):
                scroll_content(watched)
        elif kind == QEvent.Type.Show and watched.windowType() not in (
            Qt.WindowType.Popup,
            Qt.WindowType.ToolTip,
        ):
            if isinstance(watched, QWizard):
                room_for_pages(watched)
            elif isinstance(watched, QDialog):
                room_for_content(watched)
            fit_on_screen(watched)
        return False


def scroll_content(window: QDialog) -> None:
    """Once per window: a wizard's pages, or a dialog's content, go into scroll areas."""
    if window.property("sendesk_scrolls"):
        return
    window.setProperty("sendesk_scrolls", True)
    if isinstance(window, QWizard):
        for page_id in window.pageIds():
            page = window.page(page_id)
            if page.layout() is not None:
                make_scrollable(page)
        window.currentIdChanged.connect(lambda _id: focus_first_field(window.currentPage()))
        QTimer.singleShot(0, window, lambda: focus_first_field(window.currentPage()))
        # The wizard set its minimum size from the page it opened on, before it scrolled.
        window.setMinimumSize(0, 0)
        return
    if window.layout() is not None:
        make_scrollable(window)


_FIELDS = (
    QLineEdit, QPlainTextEdit, QTextEdit, QComboBox, QAbstractSpinBox, QAbstractItemView,
    QAbstractButton,
)  # fmt: skip


def focus_first_field(page: QWidget | None) -> None:
    """A wizard page opens with the keyboard focus on its first field, so typing starts there."""
    if page is None:
        return
    widget = page.nextInFocusChain()
    while widget is not None and widget is not page:
        if (
            isinstance(widget, _FIELDS)
            and page.isAncestorOf(widget)
            and widget.isVisible()
            and widget.isEnabled()
            and widget.focusPolicy() & Qt.FocusPolicy.TabFocus
        ):
            widget.setFocus(Qt.FocusReason.TabFocusReason)
            return
        widget = widget.nextInFocusChain()


def room_for_pages(wizard: QWizard) -> None:
    """Open a wizard big enough for its largest page (the screen permitting): the pages scroll
    only when the screen is too small, not because the first page happened to be short."""
    current = wizard.currentPage()
    if current is None or wizard.property("sendesk_sized"):
        return
    wizard.setProperty("sendesk_sized", True)
    chrome = wizard.size() - current.size()
    largest = current.sizeHint()
    for page_id in wizard.pageIds():
        largest = largest.expandedTo(wizard.page(page_id).sizeHint())
    wanted = (largest + chrome).expandedTo(wizard.size())
    if wanted != wizard.size():
        wizard.resize(wanted)


def room_for_content(dialog: QDialog) -> None:
    """Open a dialog as big as its content asks (Qt stops at two thirds of the screen), so it
    scrolls only when the screen is really too small."""
    if dialog.property("sendesk_sized") or isinstance(dialog, _STANDARD_DIALOGS):
        return
    dialog.setProperty("sendesk_sized", True)
    wanted = dialog.sizeHint().expandedTo(dialog.size())
    if wanted != dialog.size():
        dialog.resize(wanted)


def fit_on_screen(window: QWidget) -> None:
    screen = window.screen()
    if screen is None:
        return
    room = screen.availableGeometry()
    frame = window.frameGeometry()
    extra_w = frame.width() - window.width()
    extra_h = frame.height() - window.height()
    width = min(window.width(), room.width() - extra_w)
    height = min(window.height(), room.height() - extra_h)
    if (width, height) != (window.width(), window.height()):
        window.resize(width, height)
    frame = window.frameGeometry()
    x = min(max(frame.x(), room.left()), room.right() + 1 - frame.width())
    y = min(max(frame.y(), room.top()), room.bottom() + 1 - frame.height())
    if (x, y) != (frame.x(), frame.y()):
        window.move(max(x, room.left()), max(y, room.top()))


def install(app: QApplication) -> None:
    """When the application starts; a second call changes nothing."""
    if isinstance(app.style(), FocusStyle):
        return
    base = app.style()
    style = FocusStyle(base.name() if base is not None else None)
    app.setStyle(style)
    app.installEventFilter(ScreenFit(app))
