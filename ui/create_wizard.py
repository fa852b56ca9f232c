"""A short wizard that creates a new record file: school, where to keep it, passphrase, warning."""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtWidgets import (
    QCheckBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from sendesk import FILE_SUFFIX, passphrase
from sendesk.paths import default_folder
from sendesk.services import school
from sendesk.vault import Vault
from ui import errors
from ui.background import run_in_background
from ui.widgets import (
    LiveLabel,
    StrengthMeter,
    add_row,
    problem_label,
    secret_field,
    show_problems,
    show_secrets_box,
    text_field,
)


def file_name_for(school_name: str) -> str:
    slug = re.sub(r"[^\w]+", "-", school_name.strip().lower()).strip("-") or "school"
    return slug[:60] + FILE_SUFFIX


class SchoolPage(QWizardPage):
    def __init__(self) -> None:
        super().__init__()
        self.setTitle("Your school")
        self.setSubTitle("These details appear on the documents SENDesk prints.")
        form = QFormLayout(self)
        self.problem = problem_label()
        form.addRow(self.problem)
        self.name = text_field("School name", 200)
        self.urn = text_field("URN (six digits, optional)", 6)
        self.local_authority = text_field("Local authority (optional)")
        # Printed on every support plan and letter; without it they say "SENCo: Not recorded".
        self.senco = text_field("SENCo's name (printed on plans and letters)", 120)
        add_row(form, "School &name:", self.name)
        add_row(form, "&URN:", self.urn)
        add_row(form, "&Local authority:", self.local_authority)
        add_row(form, "&SENCo:", self.senco)
        self.registerField("school*", self.name)

    def validatePage(self) -> bool:  # noqa: N802 - Qt's name
        urn = self.urn.text().strip()
        if urn and not (urn.isdigit() and len(urn) == 6):
            show_problems(
                self.problem, "A URN is six digits; leave it empty if you do not know it."
            )
            return False
        show_problems(self.problem, None)
        return True


class LocationPage(QWizardPage):
    def __init__(self) -> None:
        super().__init__()
        self.setTitle("Where to keep the file")
        self.setSubTitle(
            "One encrypted file holds all the records. Keep it on this laptop; "
            "backups go in a 'backups' folder beside it."
        )
        layout = QVBoxLayout(self)
        row = QHBoxLayout()
        self.folder = text_field("Folder", 1000)
        self.folder.setText(str(default_folder()))
        browse = QPushButton("&Browse…")
        browse.setAccessibleName("Choose folder")
        browse.clicked.connect(self._browse)
        row.addWidget(self.folder)
        row.addWidget(browse)
        layout.addWidget(QLabel("Folder:"))
        layout.addLayout(row)
        self.file_name = text_field("File name", 100)
        layout.addWidget(QLabel("File name:"))
        layout.addWidget(self.file_name)
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        layout.addWidget(self.problem)
        self.folder.textChanged.connect(self.completeChanged)
        self.file_name.textChanged.connect(self.completeChanged)

    def initializePage(self) -> None:  # noqa: N802 - Qt's name
        if not self.file_name.text():
            self.file_name.setText(file_name_for(str(self.field("school"))))

    def _browse(self) -> None:
        chosen = QFileDialog.getExistingDirectory(self, "Choose a folder", self.folder.text())
        if chosen:
            self.folder.setText(chosen)

    def path(self) -> Path:
        name = self.file_name.text().strip()
        if name and not name.endswith(FILE_SUFFIX):
            name += FILE_SUFFIX
        return Path(self.folder.text().strip()) / name

    def isComplete(self) -> bool:  # noqa: N802 - Qt's name
        return bool(self.folder.text().strip() and self.file_name.text().strip())

    def validatePage(self) -> bool:  # noqa: N802 - Qt's name
        path = self.path()
        if path.exists():
            self.problem.setText(f"{path.name} already exists there; choose another name.")
            return False
        return True


class PassphrasePage(QWizardPage):
    def __init__(self) -> None:
        super().__init__()
        self.setTitle("Choose a passphrase")
        self.setSubTitle(passphrase.RULE)
        form = QFormLayout(self)
        self.first = secret_field("Passphrase")
        self.second = secret_field("Passphrase again")
        self.meter = StrengthMeter()
        self.advice = LiveLabel("Passphrase advice")
        self.show_box = show_secrets_box(self.first, self.second)
        add_row(form, "&Passphrase:", self.first)
        add_row(form, "&Again:", self.second)
        form.addRow("", self.show_box)
        add_row(form, "Strength:", self.meter)
        form.addRow(self.advice)
        self.first.textChanged.connect(self._update)
        self.second.textChanged.connect(self._update)

    def _update(self) -> None:
        strength = passphrase.assess(self.first.text(), (str(self.field("school")),))
        self.meter.show_strength(strength if self.first.text() else None)
        advice = strength.advice
        if strength.acceptable and self.second.text() and self.second.text() != self.first.text():
            advice = "The two passphrases differ."
        self.advice.setText(advice)
        self.completeChanged.emit()

    def isComplete(self) -> bool:  # noqa: N802 - Qt's name
        strong = passphrase.assess(self.first.text(), (str(self.field("school")),)).acceptable
        return strong and self.first.text() == self.second.text()


class WarningPage(QWizardPage):
    def __init__(self) -> None:
        super().__init__()
        self.setTitle("If the passphrase is lost, the records are lost")
        layout = QVBoxLayout(self)
        text = QLabel(
            "Nobody can open the file without the passphrase: not SENDesk's makers, not your IT "
            "support. Write it down now, seal it in an envelope, and give it to your head "
            "teacher or data protection officer to keep safe."
        )
        text.setWordWrap(True)
        layout.addWidget(text)
        self.understood = QCheckBox("I have written the passphrase down and will keep it safe")
        self.understood.setAccessibleName("I have written the passphrase down")
        layout.addWidget(self.understood)
        self.registerField("understood*", self.understood)
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)
        self.progress.setFormat("Creating…")
        self.progress.hide()
        layout.addWidget(self.progress)


class CreateWizard(QWizard):
    """On success `vault` holds the new, open file."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Create a new record file")
        self.vault: Vault | None = None
        self.school_page = SchoolPage()
        self.location_page = LocationPage()
        self.passphrase_page = PassphrasePage()
        self.warning_page = WarningPage()
        for page in (self.school_page, self.location_page, self.passphrase_page, self.warning_page):
            self.addPage(page)
        self.setButtonText(QWizard.WizardButton.FinishButton, "&Create file")

    def accept(self) -> None:
        if self.vault is not None:
            super().accept()
            return
        path = self.location_page.path()
        secret = self.passphrase_page.first.text()
        name = self.school_page.name.text()
        urn = self.school_page.urn.text().strip() or None
        authority = self.school_page.local_authority.text().strip() or None
        senco = self.school_page.senco.text().strip() or None

        def create() -> Vault:
            path.parent.mkdir(parents=True, exist_ok=True)
            vault = Vault.create(path, secret, name)
            details = school.load(vault.sessions)
            details.urn, details.local_authority, details.senco_name = urn, authority, senco
            school.save(vault.sessions, details)
            return vault

        self.warning_page.progress.show()
        self.button(QWizard.WizardButton.FinishButton).setEnabled(False)
        run_in_background(create, self._created, self._failed)

    def typed(self) -> bool:
        """Whether closing now would throw away something the user typed."""
        page = self.school_page
        fields = (page.name, page.urn, page.local_authority, page.senco)
        secrets = (self.passphrase_page.first, self.passphrase_page.second)
        return any(f.text().strip() for f in fields) or any(f.text() for f in secrets)

    def reject(self) -> None:
        """Escape, Cancel and the close button all come here: ask before losing any typing."""
        from PySide6.QtWidgets import QMessageBox  # loaded when first needed

        if self.vault is None and self.typed():
            answer = QMessageBox.question(
                self,
                "Stop creating the file?",
                "What you typed for the new record file will be lost. Stop creating it?",
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                QMessageBox.StandardButton.No,
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
        super().reject()

    def _created(self, vault: object) -> None:
        assert isinstance(vault, Vault)
        self.vault = vault
        self.passphrase_page.first.clear()
        self.passphrase_page.second.clear()
        super().accept()

    def _failed(self, exc: BaseException) -> None:
        self.warning_page.progress.hide()
        self.button(QWizard.WizardButton.FinishButton).setEnabled(True)
        errors.explain(self, exc, "The file was not created")
