"""What a document is and what it says: its category and description, asked when it is added
and changed later from the Documents tab."""

from __future__ import annotations

from PySide6.QtWidgets import QDialogButtonBox, QFormLayout, QLabel, QWidget

from sendesk.services.attachments import ATTACHMENT_CATEGORIES
from ui.typed_guard import AsksBeforeDiscarding
from ui.widgets import CodeCombo, add_row, text_area


class AttachmentDetailsDialog(AsksBeforeDiscarding):
    def __init__(
        self,
        filename: str,
        description: str = "",
        category: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"About {filename}")
        form = QFormLayout(self)
        name = QLabel(filename)
        name.setWordWrap(True)
        form.addRow("Document:", name)
        self.category = CodeCombo(
            "Kind of document", ATTACHMENT_CATEGORIES.items(), "Choose what it is…"
        )
        self.category.set_code(category)
        add_row(form, "&Kind:", self.category)
        self.description = text_area(
            "Description", "For example: EP report after the October assessment"
        )
        self.description.setPlainText(description)
        add_row(form, "&Description:", self.description)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        form.addRow(buttons)

    def chosen_category(self) -> str | None:
        code = self.category.code()
        return str(code) if code else None

    def text(self) -> str:
        return self.description.toPlainText()
