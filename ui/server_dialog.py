"""Connect to a school server…: the address typed (or picked from the recent servers), the
login's password, connecting off the GUI thread.

The password lives only in its field and, once connected, in the connection's memory; it is
never stored, shown or logged. Recent servers are remembered without it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from sendesk.errors import SendeskError
from sendesk.server.address import DEFAULT_PORT, ServerAddress
from ui import background, errors, recent_servers
from ui.widgets import problem_label, show_problems

if TYPE_CHECKING:
    from sendesk.server.database import ServerDatabase

NO_ROLE_SENTENCE = (
    "This login has no SENDesk role on that server. Ask the person who runs the server to "
    "add you with sendesk server add-user."
)


def connect(address: ServerAddress, password: str) -> ServerDatabase:
    """On the worker thread: connect, and learn the login's role before the window needs it."""
    from sendesk.server.database import ServerDatabase  # SQLAlchemy loads when first used

    server = ServerDatabase.connect(address, password or None)
    try:
        server.role()
    except BaseException:
        server.close()
        raise
    return server


class ServerDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Connect to a school server")
        self.server: ServerDatabase | None = None
        layout = QVBoxLayout(self)
        form = QFormLayout()
        layout.addLayout(form)
        self.recent = QComboBox()
        self.recent.setAccessibleName("Recent servers")
        self._recent = recent_servers.load()
        self.recent.addItem("(a new server)")
        for address in self._recent:
            self.recent.addItem(address.label())
        self.recent.currentIndexChanged.connect(self._pick_recent)
        if self._recent:
            form.addRow("&Recent:", self.recent)
        self.host = self._field("Server", "sen-server.school.local")
        self.port = QSpinBox()
        self.port.setRange(1, 65535)
        self.port.setValue(DEFAULT_PORT)
        self.port.setAccessibleName("Port")
        self.database = self._field("Database", "sendesk")
        self.database.setText("sendesk")
        self.login = self._field("Login", "j.smith")
        self.password = self._field("Password", "")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.ca_file = self._field("Certificate authority file", "optional: school-ca.pem")
        browse = QPushButton("Bro&wse…")
        browse.setAccessibleName("Choose the certificate authority file")
        browse.clicked.connect(self._choose_ca)
        ca_row = QHBoxLayout()
        ca_row.addWidget(self.ca_file)
        ca_row.addWidget(browse)
        form.addRow("&Server:", self.host)
        form.addRow("P&ort:", self.port)
        form.addRow("&Database:", self.database)
        form.addRow("&Login:", self.login)
        form.addRow("&Password:", self.password)
        form.addRow("&Certificate authority:", ca_row)
        self.problem = problem_label()
        layout.addWidget(self.problem)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText("&Connect")
        buttons.accepted.connect(self.go)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        if self._recent:
            self.recent.setCurrentIndex(1)

    def _field(self, name: str, placeholder: str) -> QLineEdit:
        field = QLineEdit()
        field.setAccessibleName(name)
        field.setPlaceholderText(placeholder)
        return field

    def _pick_recent(self, index: int) -> None:
        if index < 1:
            return
        address = self._recent[index - 1]
        url = address.url
        self.host.setText(url.host or "")
        self.port.setValue(url.port or DEFAULT_PORT)
        self.database.setText(address.database)
        self.login.setText(address.login or "")
        ca = url.query.get("sslrootcert")
        self.ca_file.setText(ca if isinstance(ca, str) else "")
        self.password.clear()
        self.password.setFocus()

    def _choose_ca(self) -> None:
        chosen, _ = QFileDialog.getOpenFileName(
            self, "The school's certificate authority", "", "Certificates (*.pem *.crt);;All (*)"
        )
        if chosen:
            self.ca_file.setText(chosen)

    def address(self) -> ServerAddress:
        return ServerAddress.from_parts(
            self.host.text(),
            self.port.value(),
            self.database.text(),
            self.login.text(),
            self.ca_file.text(),
        )

    def go(self) -> None:
        try:
            address = self.address()
        except SendeskError as exc:
            show_problems(self.problem, exc.message)
            return
        if not self.password.text():
            show_problems(self.problem, "Type your password for the server.")
            self.password.setFocus()
            return
        password = self.password.text()
        self.ok.setEnabled(False)
        show_problems(self.problem, None)
        background.run(
            self,
            "connecting to the server",
            lambda: connect(address, password),
            self._connected,
            self._failed,
            progress=f"Connecting to {address.url.host}…",
        )

    def _connected(self, server: ServerDatabase) -> None:
        # Every role is let in: a leader gets the anonymised summary window (ui.app).
        role = server.role()
        if role is None:
            server.close()
            self._failed_with(NO_ROLE_SENTENCE)
            return
        recent_servers.remember(server.address)
        self.password.clear()
        self.server = server
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        if isinstance(exc, SendeskError):
            self._failed_with(exc.message)
        else:
            self.ok.setEnabled(True)
            errors.explain(self, exc)

    def _failed_with(self, message: str) -> None:
        self.ok.setEnabled(True)
        show_problems(self.problem, message)
        self.password.selectAll()
        self.password.setFocus()
