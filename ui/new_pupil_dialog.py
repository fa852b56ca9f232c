"""Add a pupil: the essentials, checked by the rules, with warnings that do not block saving."""

from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import QDialogButtonBox, QFormLayout, QVBoxLayout, QWidget

from sendesk import codes
from sendesk.errors import BadInput, ValidationFailed
from sendesk.services import pupils
from sendesk.services.pupils import PupilDetails
from ui.context import FileContext
from ui.typed_guard import AsksBeforeDiscarding
from ui.widgets import (
    CodeCombo,
    DateField,
    LiveLabel,
    add_row,
    problem_label,
    show_problems,
    text_field,
)


class NewPupilDialog(AsksBeforeDiscarding):
    """On success `saved` holds the new pupil's id and any warnings."""

    def __init__(self, ctx: FileContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.saved: pupils.Saved | None = None
        self._confirmed_warnings: list[str] = []
        self.setWindowTitle("New pupil")
        layout = QVBoxLayout(self)
        self.problems = problem_label()
        layout.addWidget(self.problems)
        form = QFormLayout()
        self.surname = text_field("Legal surname")
        self.forename = text_field("Legal forename")
        self.preferred = text_field("Preferred forename")
        self.upn = text_field("UPN", 13)
        self.upn.setPlaceholderText("13 characters, e.g. A123456789012")
        self.dob = DateField("Date of birth")
        self.year = CodeCombo("Year group", codes.YEAR_GROUPS.items(), "")
        self.class_name = text_field("Class", 40)
        self.status = CodeCombo("SEN status", codes.SEN_STATUS_LABELS.items())
        for label, widget in (
            ("Legal &surname:", self.surname),
            ("Legal &forename:", self.forename),
            ("&Preferred forename:", self.preferred),
            ("UP&N:", self.upn),
            ("Date of &birth:", self.dob),
            ("&Year group:", self.year),
            ("&Class:", self.class_name),
            ("SEN s&tatus:", self.status),
        ):
            add_row(form, label, widget)
        layout.addLayout(form)
        self.warnings = LiveLabel("Warnings")
        layout.addWidget(self.warnings)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)

    def details(self) -> PupilDetails:
        year = self.year.code()
        return PupilDetails(
            legal_surname=self.surname.text(),
            legal_forename=self.forename.text(),
            preferred_forename=self.preferred.text(),
            upn=self.upn.text(),
            date_of_birth=self.dob.value(),
            year_group=int(year) if isinstance(year, int) else None,
            class_name=self.class_name.text(),
            sen_status=str(self.status.code()),
        )

    def save(self) -> None:
        today = dt.date.today()
        try:
            details = self.details()
            cleaned = pupils.clean(details)
            warnings = pupils.check(cleaned, today)
            if gaps := pupils.census_gaps(cleaned):
                warnings = [*warnings, gaps]
            if warnings and warnings != self._confirmed_warnings:
                # Shown once; saving again means the SENCo has read them.
                self._confirmed_warnings = warnings
                self.warnings.setText("\n".join(warnings))
                self.save_button.setText("Save &anyway")
                show_problems(self.problems, None)
                return
            self.saved = pupils.create(self.ctx.sessions, details, today)
        except ValidationFailed as exc:
            show_problems(self.problems, exc.problems)
            return
        except BadInput as exc:
            show_problems(self.problems, exc.message)
            return
        self.accept()
