"""The selected pupil's record: a header and one tab per part, guarding unsaved edits."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from sendesk import codes, dates
from sendesk.errors import SendeskError
from sendesk.services import pupils
from ui import errors
from ui.context import FileContext
from ui.record.base import RecordTab
from ui.record.contacts_tab import ContactsTab
from ui.record.cycles_tab import CyclesTab
from ui.record.details_tab import DetailsTab
from ui.record.documents_tab import DocumentsTab
from ui.record.meetings_tab import MeetingsTab
from ui.record.needs_tab import NeedsTab
from ui.record.notes_tab import NotesTab
from ui.record.profile_tab import ProfileTab
from ui.scrolling import make_scrollable
from ui.widgets import LiveLabel

_TAB_NAMES = frozenset(("profile", "needs", "contacts", "notes", "cycles", "meetings", "documents"))


class RecordView(QWidget):
    saved = Signal(str)
    records_changed = Signal()
    # Made by `build_tabs`; asking for one before then makes them all.
    profile: ProfileTab
    needs: NeedsTab
    contacts: ContactsTab
    notes: NotesTab
    cycles: CyclesTab
    meetings: MeetingsTab
    documents: DocumentsTab

    def __init__(self, ctx: FileContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.pupil_id = 0
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.header = LiveLabel("Selected pupil")
        font = self.header.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        self.header.setFont(font)
        layout.addWidget(self.header)
        self.archived_banner = QFrame()
        self.archived_banner.setFrameShape(QFrame.Shape.StyledPanel)
        self.archived_banner.setAccessibleName("Archived pupil")
        banner = QHBoxLayout(self.archived_banner)
        self.archived_text = QLabel()
        self.archived_text.setWordWrap(True)
        self.archived_text.setTextFormat(Qt.TextFormat.PlainText)
        self.bring_back_button = QPushButton("Bring back onto the re&gister")
        self.bring_back_button.clicked.connect(self.bring_back)
        banner.addWidget(self.archived_text, 1)
        banner.addWidget(self.bring_back_button)
        layout.addWidget(self.archived_banner)
        # The tabs' pages are built after the register is first painted (or at once when
        # something asks for them): their ~100 widgets are a third of the main window's cost,
        # and the record shows no pupil until one is chosen.
        self._tabs = QTabWidget()
        self._tabs.setAccessibleName("Pupil record")
        self._all_tabs: list[RecordTab] = []
        self._built = False
        self._tabs.hide()
        layout.addWidget(self._tabs)
        self.empty = QLabel("Choose a pupil from the register to see their record.")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)  # a long line would set the window's minimum width
        layout.addWidget(self.empty)
        self._previous_tab = 0
        self._tabs.currentChanged.connect(self._tab_changed)
        self.header.setText("")
        self.archived_banner.hide()

    def build_tabs(self) -> None:
        """Make every tab's page; harmless once they are made."""
        if self._built:
            return
        self._built = True
        ctx = self.ctx
        self.profile = ProfileTab(ctx)
        self.needs = NeedsTab(ctx)
        self.contacts = ContactsTab(ctx)
        self.notes = NotesTab(ctx)
        self.cycles = CyclesTab(ctx)
        self.meetings = MeetingsTab(ctx)
        self.documents = DocumentsTab(ctx)
        self._all_tabs[:0] = [
            self.profile, self.needs, self.contacts, self.notes,
            self.cycles, self.meetings, self.documents,
        ]  # fmt: skip
        for tab in self._all_tabs:
            make_scrollable(tab)  # a small or highly scaled screen scrolls the tab, not the window
            self._tabs.addTab(tab, tab.title)
            tab.saved.connect(self.saved)
            tab.records_changed.connect(self.records_changed)
            tab.records_changed.connect(self._refresh_header)
            tab.show_pupil(self.pupil_id)
        # A wizard can write into the log (the Do stage's note): the Notes tab shows it at once.
        self.cycles.records_changed.connect(self.notes.reload_if_clean)
        # A plan agreed there gives the Meetings tab a review to book on its date.
        self.cycles.records_changed.connect(self.meetings.reload_if_clean)
        details_tabs = [t for t in self._all_tabs if isinstance(t, DetailsTab)]
        for tab in details_tabs:
            for other in details_tabs:
                if other is not tab:
                    tab.version_moved.connect(other.follow)

    def __getattr__(self, name: str) -> object:
        # A tab asked for before its page is made (`record.cycles`) is made then.
        if name in _TAB_NAMES and not self.__dict__.get("_built", True):
            self.build_tabs()
            return getattr(self, name)
        raise AttributeError(name)

    @property
    def tabs(self) -> QTabWidget:
        self.build_tabs()
        return self._tabs

    @property
    def all_tabs(self) -> list[RecordTab]:
        self.build_tabs()
        return self._all_tabs

    @property
    def dirty(self) -> bool:
        return any(tab.dirty for tab in self._all_tabs)  # no page made: nothing typed

    def show_pupil(self, pupil_id: int) -> None:
        if pupil_id:
            self.build_tabs()
        self.pupil_id = pupil_id
        for tab in self._all_tabs:
            tab.show_pupil(pupil_id)
        self._tabs.setVisible(bool(pupil_id))
        self.empty.setVisible(not pupil_id)
        self._refresh_header()

    def reload(self) -> None:
        """After an unlock: show fresh records, keeping whatever was being typed."""
        for tab in self._all_tabs:
            tab.reload_if_clean()
        self._refresh_header()

    def _refresh_header(self) -> None:
        if not self.pupil_id:
            self.header.setText("")
            self.archived_banner.hide()
            return
        d = pupils.details(self.ctx.sessions, self.pupil_id)
        parts = (
            d.known_as,
            codes.year_group_label(d.year_group),
            codes.SEN_STATUS_LABELS[d.sen_status],
        )
        self.header.setText(" · ".join(p for p in parts if p))
        self._show_standing(pupils.standing(self.ctx.sessions, self.pupil_id))

    def _show_standing(self, standing: pupils.Standing) -> None:
        """An archived pupil's record is read-only, with the way back onto the register."""
        if standing.archived:
            text = "This pupil is archived, so their record is read-only."
            if standing.left_on:
                where = f" for {standing.destination}" if standing.destination else ""
                text += f" They left on {dates.show(standing.left_on)}{where}."
            self.archived_text.setText(text)
        self.archived_banner.setVisible(standing.archived)
        for tab in self._all_tabs:
            tab.set_read_only(standing.archived)

    def bring_back(self) -> None:
        if not self.pupil_id:
            return
        try:
            pupils.restore(self.ctx.sessions, self.pupil_id)
        except SendeskError as exc:
            errors.explain(self, exc)
            return
        self.show_pupil(self.pupil_id)
        self.saved.emit("Brought back onto the register")
        self.records_changed.emit()

    def settle(self, tabs: list[RecordTab] | None = None) -> bool:
        """Ask what to do with unsaved edits. False means the user chose to stay."""
        for tab in tabs if tabs is not None else self._all_tabs:
            if not tab.dirty:
                continue
            self.tabs.setCurrentWidget(tab)
            answer = QMessageBox.question(
                self,
                "Unsaved changes",
                f"{tab.title.replace('&', '')} has changes that are not saved. Save them?",
                QMessageBox.StandardButton.Save
                | QMessageBox.StandardButton.Discard
                | QMessageBox.StandardButton.Cancel,
                QMessageBox.StandardButton.Save,
            )
            if answer == QMessageBox.StandardButton.Cancel:
                return False
            if answer == QMessageBox.StandardButton.Save and not tab.save():
                return False
            if answer == QMessageBox.StandardButton.Discard:
                tab.discard()
        return True

    def _tab_changed(self, index: int) -> None:
        previous = self._tabs.widget(self._previous_tab)
        if isinstance(previous, RecordTab) and previous.dirty:
            self._tabs.blockSignals(True)
            settled = self.settle([previous])
            self._tabs.setCurrentIndex(index if settled else self._previous_tab)
            self._tabs.blockSignals(False)
            if not settled:
                return
        self._previous_tab = self._tabs.currentIndex()
