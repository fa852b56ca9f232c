"""What the calendar sends out of the app: the week's schedule, the iCalendar file, the plans for
a week's meetings and the parents' invitation. The services build and audit; this asks where to."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QFileDialog,
    QWidget,
)

from sendesk import atomic, calendar, dates
from sendesk.errors import SendeskError
from sendesk.services import meeting_exports
from sendesk.wording import plural
from ui import background, errors
from ui.context import FileContext

if TYPE_CHECKING:
    from sendesk.services.documents import Printable
    from sendesk.vault import Vault
    from ui.background import Job
    from ui.document_preview import DocumentPreview

Done = Callable[[str], None]


def save_week_schedule(parent: QWidget, ctx: FileContext, day: dt.date, done: Done) -> Path | None:
    """Ask where to save the week's schedule as a PDF, then make and write it off the GUI thread.
    Returns where it is being written (None if the user cancelled)."""
    monday, _ = calendar.week_of(day)
    chosen, _ = QFileDialog.getSaveFileName(
        parent, "Print week's schedule", f"meetings-{monday.isoformat()}.pdf", "PDF (*.pdf)"
    )
    if not chosen:
        return None
    path = Path(chosen)

    def work(vault: Vault) -> None:
        data, _ = meeting_exports.week_schedule_pdf(vault.sessions, day)
        atomic.write(path, data, overwrite=True, what="The week's schedule")  # the dialog asked

    background.on_file(
        parent,
        "the week's schedule",
        ctx,
        work,
        lambda _: done(f"Saved the week's schedule to {path.name}: open it to print"),
        lambda exc: errors.explain(parent, exc, "Print week's schedule"),
    )
    return path


def export_school_year(
    parent: QWidget, ctx: FileContext, month: dt.date, done: Done
) -> Path | None:
    """Export the school year of `month` as iCalendar, with the detail the settings allow, off
    the GUI thread. Returns where it is being written (None if the user cancelled)."""
    first, last = calendar.school_year(month)
    label = calendar.school_year_label(month).replace("/", "-")
    chosen, _ = QFileDialog.getSaveFileName(
        parent, "Export to Outlook or Google Calendar", f"reviews-{label}.ics", "iCalendar (*.ics)"
    )
    if not chosen:
        return None
    path = Path(chosen)

    def work(vault: Vault) -> int:
        data, count = meeting_exports.export_ics(vault.sessions, first, last)
        atomic.write(path, data, overwrite=True, what="The calendar")  # the dialog asked
        return count

    background.on_file(
        parent,
        "the calendar export",
        ctx,
        work,
        lambda count: done(f"Exported {plural(count, 'meeting')} to {path.name}"),
        lambda exc: errors.explain(parent, exc, "Export to Outlook or Google Calendar"),
    )
    return path


# --- plans for a week's meetings ---------------------------------------------------------------


def print_plans_for_week(
    parent: QWidget, ctx: FileContext, day: dt.date, done: Done
) -> Job[list[Printable]] | None:
    """The plans for the meetings of the week `day` falls in, built as one background job."""
    from ui.document_preview import print_week_plans  # ReportLab loads when first asked

    return print_week_plans(ctx, parent, dates.monday_of(day), done)


# --- the parents' invitation ---------------------------------------------------------------------


def preview_invitation(
    parent: QWidget, ctx: FileContext, meeting_id: int, done: Done
) -> DocumentPreview | None:
    """The invitation letter in the document preview (print, save, large print...)."""
    from ui.document_preview import open_preview

    return open_preview(
        ctx,
        lambda options: meeting_exports.invitation_pdf(ctx.sessions, meeting_id, options),
        parent,
        done,
    )


def copy_invitation_email(parent: QWidget, ctx: FileContext, meeting_id: int, done: Done) -> str:
    """Put the invitation's email text on the clipboard, to paste into the school's email."""
    try:
        text = meeting_exports.invitation_email(ctx.sessions, meeting_id)
    except SendeskError as exc:
        errors.explain(parent, exc)
        return ""
    clipboard = QGuiApplication.clipboard()
    clipboard.setText(text)
    done("Invitation email text copied: paste it into a new email")
    return text
