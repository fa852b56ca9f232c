"""Contacts: parents, carers and others, with parental responsibility and how to reach them."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from sendesk import codes
from sendesk.errors import StaleEdit
from sendesk.services import contacts
from sendesk.services.contacts import ContactDetails
from ui.context import FileContext
from ui.record.base import Binding, RecordTab
from ui.widgets import CodeCombo, add_row, problem_label, show_problems, text_area, text_field


class ContactsTab(RecordTab):
    title = "C&ontacts"

    def __init__(self, ctx: FileContext) -> None:
        super().__init__(ctx)
        self.rows: list[contacts.ContactRow] = []
        self.editing_id: int | None = None
        self.editing_version: int | None = None  # the version of the contact on show
        layout = QVBoxLayout(self)
        self.table = QTableWidget(0, 4)
        self.table.setHorizontalHeaderLabels(["Name", "Relationship", "Phone", "Parental resp."])
        self.table.setAccessibleName("Contacts")
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.itemSelectionChanged.connect(self._edit_selected)
        layout.addWidget(self.table)
        self.problems = problem_label()
        layout.addWidget(self.problems)
        # What the form below is for: a new contact, or the one chosen in the list above.
        self.form_title = QLabel()
        self.form_title.setWordWrap(True)
        bold = self.form_title.font()
        bold.setBold(True)
        self.form_title.setFont(bold)
        layout.addWidget(self.form_title)
        form = QFormLayout()
        self.responsibility = QCheckBox("Has parental responsibility")
        self.bindings = [
            Binding("name", text_field("Contact name", 200), self),
            Binding("relationship_to_pupil", text_field("Relationship", 60), self),
            Binding("phone", text_field("Phone", 40), self),
            Binding("email", text_field("Email", 200), self),
            Binding(
                "preferred_contact",
                CodeCombo("Preferred contact", codes.CONTACT_METHODS.items(), ""),
                self,
            ),
            Binding("address", text_area("Address"), self),
            Binding("notes", text_area("Notes about this contact"), self),
        ]
        for label, binding in zip(
            ("&Name:", "&Relationship:", "&Phone:", "&Email:", "Prefers:", "&Address:", "No&tes:"),
            self.bindings,
            strict=True,
        ):
            add_row(form, label, binding.widget)
        form.addRow("", self.responsibility)
        self.responsibility.toggled.connect(self.mark_dirty)
        layout.addLayout(form)
        buttons = QHBoxLayout()
        self.new_button = QPushButton("New contact")
        self.remove_button = QPushButton("Remove contact")
        self.save_button = QPushButton("Save contact")
        for button in (self.new_button, self.remove_button, self.save_button):
            buttons.addWidget(button)
        layout.addLayout(buttons)
        self.new_button.clicked.connect(self._new)
        self.remove_button.clicked.connect(self._remove)
        self.save_button.clicked.connect(self.save)

    def load(self) -> None:
        self.setEnabled(bool(self.pupil_id))
        self.rows = contacts.list_for(self.ctx.sessions, self.pupil_id) if self.pupil_id else []
        self.table.setRowCount(len(self.rows))
        for r, row in enumerate(self.rows):
            d = row.details
            values = (
                d.name,
                d.relationship_to_pupil,
                d.phone,
                "Yes" if d.parental_responsibility else "No",
            )
            for c, value in enumerate(values):
                self.table.setItem(r, c, QTableWidgetItem(value or ""))
        self._fill(None)

    def _fill(self, row: contacts.ContactRow | None) -> None:
        self._loading = True
        try:
            self.editing_id = row.id if row else None
            self.editing_version = row.details.version if row else None
            details = row.details if row else ContactDetails(name="")
            for binding in self.bindings:
                binding.put(details)
            self.responsibility.setChecked(details.parental_responsibility)
            self.remove_button.setEnabled(row is not None and not self.read_only)
            self.form_title.setText(
                f"Changing the details of {row.details.name}"
                if row
                else "A new contact (or choose one in the list above to change it)"
            )
        finally:
            self._loading = False
        self.mark_clean()

    def editors(self) -> list[QWidget]:
        return [
            *(b.widget for b in self.bindings),
            self.responsibility,
            self.new_button,
            self.remove_button,
            self.save_button,
        ]

    def _edit_selected(self) -> None:
        selected = self.table.currentRow()
        if self._loading or selected < 0 or selected >= len(self.rows):
            return
        chosen = self.rows[selected].id  # by id: saving first reloads the list
        if self.dirty and not self.save():
            self._select(self.editing_id)  # the list shows the contact the form still holds
            return
        row = next((r for r in self.rows if r.id == chosen), None)
        self._select(chosen)
        self._fill(row)

    def _select(self, contact_id: int | None) -> None:
        self._loading = True
        try:
            index = next((i for i, r in enumerate(self.rows) if r.id == contact_id), None)
            if index is None:
                self.table.clearSelection()
            else:
                self.table.selectRow(index)
        finally:
            self._loading = False

    def _new(self) -> None:
        if self.dirty and not self.save():
            return
        self.table.clearSelection()
        self._fill(None)
        self.bindings[0].widget.setFocus()

    def save(self) -> bool:
        if not self.dirty:
            return True
        details = ContactDetails(name="")
        for binding in self.bindings:
            binding.take(details)
        details.parental_responsibility = self.responsibility.isChecked()
        details.version = self.editing_version
        editing = self.editing_id

        def store() -> None:
            if editing is None:
                contacts.add(self.ctx.sessions, self.pupil_id, details)
            else:
                contacts.update(self.ctx.sessions, editing, details)

        while True:
            try:
                if not self.attempt(store, self.problems):
                    return False
                break
            except StaleEdit as conflict:
                chosen = self.settle_conflict(
                    conflict,
                    self.bindings,
                    {"parental_responsibility": self.responsibility.text()},
                )
                if chosen is None:
                    show_problems(self.problems, "Not saved yet: your changes are still here.")
                    return False
                for name, value in chosen.items():
                    setattr(details, name, value)
                details.version = conflict.current_version
        self.mark_clean()
        self.show_pupil(self.pupil_id)
        self.saved.emit("Saved contact")
        return True

    def _remove(self) -> None:
        if self.editing_id is None:
            return
        answer = QMessageBox.question(self, "Remove contact", "Remove this contact?")
        if answer != QMessageBox.StandardButton.Yes:
            return
        editing = self.editing_id
        if self.attempt(lambda: contacts.remove(self.ctx.sessions, editing)):
            self.show_pupil(self.pupil_id)
            self.saved.emit("Contact removed")
