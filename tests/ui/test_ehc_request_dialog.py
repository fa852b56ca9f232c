"""The EHC needs assessment request's consent and sign-off dates, typed in through the pupil's
Documents tab, saved as seen and printed on the evidence pack."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from sendesk import dates
from sendesk.models import AuditEvent, Referral
from sendesk.services import documents, referrals
from sendesk.services.referrals import RequestDates
from tests.unit.test_document_contents import _text as pdf_text
from ui.ehc_request_dialog import NONE_YET, EhcRequestDialog
from ui.main_window import MainWindow
from ui.widgets import DateField


def _type(qtbot: QtBot, field: DateField, text: str) -> None:
    field.setFocus()
    field.clear()
    qtbot.keyClicks(field, text)


def _stored(window: MainWindow, request_id: int) -> tuple[dt.date | None, dt.date | None]:
    with window.ctx.sessions() as session:
        row = session.get(Referral, request_id)
        assert row is not None
        return row.parent_consent_on, row.signed_off_on


def _audited(window: MainWindow) -> int:
    with window.ctx.sessions() as session:
        found = select(func.count()).where(AuditEvent.action == "referral.ehcna_dates")
        return session.execute(found).scalar_one()


def _open(qtbot: QtBot, window: MainWindow) -> EhcRequestDialog:
    tab = window.record.documents
    qtbot.mouseClick(tab.ehc_request_button, Qt.MouseButton.LeftButton)
    dialog = tab.ehc_request
    assert isinstance(dialog, EhcRequestDialog) and dialog.isVisible()
    return dialog


def test_consent_and_sign_off_are_typed_in_saved_as_seen_and_printed(
    qtbot: QtBot, main_window: MainWindow
) -> None:
    window = main_window
    sessions = window.ctx.sessions
    model = window.register.model
    pupil_id = next(
        p.id
        for p in (model.pupil_at(r) for r in range(model.rowCount()))
        if referrals.ehc_request_of(sessions, p.id) is None
    )
    window.register.select_pupil(pupil_id)
    window.record.tabs.setCurrentWidget(window.record.documents)

    # No request yet: said plainly, nothing to type into.
    dialog = _open(qtbot, window)
    assert dialog.intro.text() == NONE_YET
    assert not dialog.consent.isEnabled() and not dialog.save_button.isEnabled()
    dialog.reject()

    # A review asked for the assessment ten days ago.
    today = dt.date.today()
    asked = today - dt.timedelta(days=10)
    with sessions.begin() as session:
        request = Referral(pupil_id=pupil_id, kind="ehc_needs_assessment", service="LA",
                           requested_on=asked, status="requested")  # fmt: skip
        session.add(request)
        session.flush()
        request_id = request.id
    dialog = _open(qtbot, window)
    assert f"Requested on {dates.show(asked)}" in dialog.intro.text()
    assert (dialog.consent.text(), dialog.signed_off.text()) == ("", "")

    # Not a real date, then a date still to come: said plainly, nothing saved.
    _type(qtbot, dialog.consent, "31/02/2026")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert "Parents' consent" in dialog.problems.text() and dialog.isVisible()
    consent, signed = today - dt.timedelta(days=12), today - dt.timedelta(days=9)
    _type(qtbot, dialog.consent, dates.show(consent))
    _type(qtbot, dialog.signed_off, dates.show(today + dt.timedelta(days=1)))
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert "The SENCo's sign-off cannot be after today" in dialog.problems.text()
    assert _stored(window, request_id) == (None, None) and _audited(window) == 0

    _type(qtbot, dialog.signed_off, dates.show(signed))
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    assert _stored(window, request_id) == (consent, signed) and _audited(window) == 1
    assert "consent and sign-off saved" in window.statusBar().currentMessage()
    printed = pdf_text(documents.evidence_pack_pdf(sessions, pupil_id).data)
    assert f"Date of the request {dates.show(asked)}" in printed
    assert f"Parents' consent {dates.show(consent)}" in printed
    assert f"SENCo's sign-off {dates.show(signed)}" in printed

    # Opened again, it shows them; someone else changes the sign-off meanwhile.
    dialog = _open(qtbot, window)
    assert (dialog.consent.text(), dialog.signed_off.text()) == tuple(
        dates.show(d) for d in (consent, signed)
    )
    seen = referrals.ehc_request_of(sessions, pupil_id)
    assert seen is not None
    theirs = today - dt.timedelta(days=8)
    referrals.record_dates(sessions, request_id, RequestDates(consent, theirs), seen.version, today)
    _type(qtbot, dialog.signed_off, dates.show(today))
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert "Someone else saved the EHC needs assessment request" in dialog.problems.text()
    assert dates.show(theirs) in dialog.problems.text() and dialog.isVisible()
    assert _stored(window, request_id) == (consent, theirs)
    # Having seen theirs, saving again replaces them with what is still in the form.
    assert dialog.signed_off.text() == dates.show(today)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible() and _stored(window, request_id) == (consent, today)
