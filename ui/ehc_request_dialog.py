"""The EHC needs assessment request of the pupil shown: the day the parents consented to it and the
day the SENCo signed it off, which the evidence pack prints beside the date of the request.

The request itself is made at a review (next step "Major concern"); these two dates often come
later. Saving closes the dialog. A save is checked against the version shown: dates someone else
saved meanwhile are shown, never overwritten unseen.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from sendesk import dates
from sendesk.ehc_request import LABELS
from sendesk.errors import BadInput, SendeskError, StaleEdit, ValidationFailed
from sendesk.services import referrals
from sendesk.services.referrals import EhcRequest, RequestDates
from ui import errors
from ui.context import FileContext
from ui.typed_guard import AsksBeforeDiscarding
from ui.widgets import DateField, add_row, problem_label, show_problems

TITLE = "EHC needs assessment request"
NONE_YET = (
    "No EHC needs assessment has been requested for this pupil. The request is recorded by a "
    "review whose next step is a major concern; its consent and sign-off dates are entered here "
    "afterwards."
)


class EhcRequestDialog(AsksBeforeDiscarding):
    def __init__(
        self,
        ctx: FileContext,
        pupil_id: int,
        parent: QWidget | None = None,
        today: dt.date | None = None,
        read_only: bool = False,
    ) -> None:
        super().__init__(parent)
        self.ctx, self.pupil_id, self.read_only = ctx, pupil_id, read_only
        self.today = today or dt.date.today()
        self.request: EhcRequest | None = None
        self.setWindowTitle(TITLE)
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        form = QFormLayout()
        self.consent = DateField("Parents' consent")
        self.signed_off = DateField("SENCo's sign-off")
        add_row(form, "Parents' &consent given on:", self.consent)
        add_row(form, "SENCo si&gned it off on:", self.signed_off)
        self.problems = problem_label()
        buttons = QHBoxLayout()
        self.save_button = QPushButton("&Save")
        close = QPushButton("C&lose")
        self.save_button.clicked.connect(self.save)
        close.clicked.connect(self.reject)
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addLayout(form)
        layout.addWidget(self.problems)
        layout.addStretch(1)
        layout.addLayout(buttons)
        self.resize(560, 260)
        self.reload()

    def reload(self, keep_typing: bool = False) -> None:
        """Read the request again; the form shows its dates unless the user's typing is kept."""
        self.request = referrals.ehc_request_of(self.ctx.sessions, self.pupil_id)
        request = self.request
        if request is None:
            self.intro.setText(NONE_YET)
        else:
            self.intro.setText(
                f"Requested on {dates.show(request.requested_on)}. Enter the day the parents "
                "gave their consent to the request and the day you signed it off (DD/MM/YYYY; "
                "leave a date empty until it is given). The evidence pack prints both."
            )
            if not keep_typing:
                self.consent.set_value(request.dates.parent_consent_on)
                self.signed_off.set_value(request.dates.signed_off_on)
        editable = request is not None and not self.read_only
        for widget in (self.consent, self.signed_off, self.save_button):
            widget.setEnabled(editable)

    def typed(self) -> RequestDates:
        """The dates in the form; `BadInput` naming the field when one is not a real date."""
        return RequestDates(self.consent.value(), self.signed_off.value())

    def save(self) -> bool:
        request = self.request
        if request is None:
            return False
        try:
            given = self.typed()
            referrals.record_dates(
                self.ctx.sessions, request.id, given, request.version, self.today
            )
        except StaleEdit as conflict:
            theirs = "; ".join(
                f"{LABELS.get(name, name)}: {_shown(old)}"
                for name, (old, _mine) in conflict.differences.items()
            )
            self.reload(keep_typing=True)  # the version now saved: saving again replaces it
            show_problems(
                self.problems,
                f"Someone else saved {conflict.what} after you opened it ({theirs or 'the same'}"
                "). Yours are still in the form: save again to replace theirs.",
            )
            return False
        except ValidationFailed as exc:
            show_problems(self.problems, exc.problems)
            return False
        except BadInput as exc:  # a date that is not a real one
            show_problems(self.problems, exc.message)
            return False
        except SendeskError as exc:
            errors.explain(self, exc, TITLE)
            return False
        show_problems(self.problems, None)
        self.accept()
        return True


def _shown(day: object) -> str:
    return dates.show(day) if isinstance(day, dt.date) else "not given"
