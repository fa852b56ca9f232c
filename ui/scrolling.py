"""Scrolling a window's content on a small or highly scaled screen, its buttons kept in view.

Its own module, as the start window needs it before the rest of the app's widgets are loaded.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QSize, Qt, QTimer
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFrame,
    QLayout,
    QScrollArea,
    QStyle,
    QVBoxLayout,
    QWidget,
)


class _Scroller(QScrollArea):
    """Asks for all the room its content wants; the window fitting the screen decides the rest.
    When the content of a dialog grows (a progress bar or a message appears), the dialog grows
    taller to show it, as far as the screen allows, rather than hiding it below a scroll bar."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.LayoutRequest and watched is self.widget():
            self.updateGeometry()  # the window's layout asks again what this area wants
            window = self.window()
            if isinstance(window, QDialog) and window.isVisible():
                QTimer.singleShot(0, window, lambda: _taller_to_fit(window))
        return super().eventFilter(watched, event)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        inner = self.widget()
        if inner is None:
            return super().sizeHint()
        bar = self.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent)
        hint = inner.sizeHint()
        return QSize(hint.width() + bar + 2, hint.height() + 2)


def _taller_to_fit(window: QDialog) -> None:
    room = window.screen().availableGeometry()
    frame = window.frameGeometry().height() - window.height()
    height = min(max(window.sizeHint().height(), window.height()), room.height() - frame)
    if height > window.height():
        window.resize(window.width(), height)
        top = min(window.frameGeometry().top(), room.bottom() + 1 - height - frame)
        window.move(window.x(), max(top, room.top()))


def make_scrollable(widget: QWidget) -> QScrollArea:
    """Move `widget`'s content into a scroll area inside it, so that a small or highly scaled
    screen scrolls the content instead of pushing the window (and its buttons) off the screen.
    A dialog's button box (or a last widget with the property `keep_in_view`, a bar of buttons)
    stays below the scroll area, always in view. The content's own layout
    object is kept (code that holds it goes on working); `widget.layout()` becomes the new one."""
    layout = widget.layout()
    if layout is None:
        raise ValueError("make_scrollable needs a widget with a layout")
    buttons: list[QWidget] = []
    last = layout.itemAt(layout.count() - 1) if layout.count() else None
    box = last.widget() if last is not None else None
    if isinstance(box, QDialogButtonBox) or (box is not None and box.property("keep_in_view")):
        layout.removeWidget(box)
        buttons.append(box)
    inner = QWidget()
    inner.setObjectName("scrolled_content")
    inner.setLayout(layout)  # Qt moves a layout that belongs to another widget
    area = _Scroller()
    area.setObjectName("scroll_area")
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    # Not a Tab stop of its own: focus goes straight to the first field, and a screen reader
    # never lands on an unnamed, invisible stop (a field scrolled to is still shown).
    area.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    area.setWidget(inner)
    area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
    outer = QVBoxLayout(widget)
    outer.setContentsMargins(0, 0, 0, 0)
    outer.addWidget(area)
    for box in buttons:
        holder = QVBoxLayout()
        margins = layout.contentsMargins()
        holder.setContentsMargins(margins.left(), 0, margins.right(), margins.bottom())
        holder.addWidget(box)
        outer.addLayout(holder)
    outer.setSizeConstraint(QLayout.SizeConstraint.SetDefaultConstraint)
    return area
