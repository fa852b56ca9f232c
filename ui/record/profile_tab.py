"""Profile: who the pupil is, the family's language, the adults who know them best, their
strengths, what helps, and their own views."""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QFormLayout, QWidget

from sendesk import codes
from ui.context import FileContext
from ui.record.details_tab import DetailsTab
from ui.widgets import CodeCombo, DateField, add_row, text_area, text_field


class ProfileTab(DetailsTab):
    title = "&Profile"

    def __init__(self, ctx: FileContext) -> None:
        super().__init__(ctx)
        form = QFormLayout(self.body)
        rows: tuple[tuple[str, str, QWidget], ...] = (
            ("Legal &surname:", "legal_surname", text_field("Legal surname")),
            ("Legal &forename:", "legal_forename", text_field("Legal forename")),
            ("P&referred forename:", "preferred_forename", text_field("Preferred forename")),
            ("Preferred surn&ame:", "preferred_surname", text_field("Preferred surname")),
            ("UP&N:", "upn", text_field("UPN", 13)),
            ("Date of &birth:", "date_of_birth", DateField("Date of birth")),
            ("Se&x:", "sex", CodeCombo("Sex", codes.SEXES.items(), "")),
            ("&Year group:", "year_group", CodeCombo("Year group", codes.YEAR_GROUPS.items(), "")),
            ("&Class:", "class_name", text_field("Class", 40)),
            ("Home lan&guage:", "home_language", text_field("Home language", 60)),
        )
        self._add_rows(form, rows)
        interpreter = QCheckBox("The family needs an &interpreter")
        interpreter.setAccessibleName("The family needs an interpreter")
        form.addRow("", self.bind("interpreter_needed", interpreter))
        rows = (
            ("Class teac&her:", "class_teacher", text_field("Class teacher", 120)),
            ("&Key worker:", "key_worker", text_field("Key worker", 120)),
            (
                "What is important to m&e:",
                "important_to_me",
                text_area("What is important to me", "In their words: people, pets, interests"),
            ),
            ("S&trengths:", "strengths", text_area("Strengths")),
            ("&What helps:", "what_helps", text_area("What helps")),
            ("What does &not help:", "what_does_not_help", text_area("What does not help")),
            (
                "Pupil's &own views:",
                "pupil_views",
                text_area("Pupil's own views", "In their words"),
            ),
            (
                "Me&dical notes:",
                "medical_notes",
                text_area("Medical notes", "Conditions, medication, allergies, care plans"),
            ),
        )
        self._add_rows(form, rows)

    def _add_rows(self, form: QFormLayout, rows: tuple[tuple[str, str, QWidget], ...]) -> None:
        for label, attr, widget in rows:
            add_row(form, label, self.bind(attr, widget))
