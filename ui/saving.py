"""Saving a document the user asked for: made and written off the GUI thread.

A document (a PDF laid out by ReportLab, a CSV of the whole register) can take seconds to make on a
large file, and a password-protected copy longer: the window keeps answering meanwhile. Both steps
run through `ui.background` with a connection of their own; only the finished bytes (a
`Printable`) come back to the GUI thread, to ask where to save them.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QFileDialog, QWidget

from sendesk.documents.style import DocumentOptions
from sendesk.services import Sessions
from sendesk.services import documents as docs
from sendesk.services.documents import Printable
from ui import background, errors
from ui.context import FileContext

if TYPE_CHECKING:
    from sendesk.vault import Vault

Saved = Callable[[Path], None]


def make_and_save(
    parent: QWidget,
    ctx: FileContext,
    what: str,
    build: Callable[[Sessions], Printable],
    done: Saved,
) -> background.Job[Printable]:
    """Make the document off the GUI thread, ask where to save it, then write it (`write`)."""

    def ask(document: Printable) -> None:
        kind = "PDF (*.pdf)" if document.is_pdf else "CSV (*.csv)"
        chosen, _ = QFileDialog.getSaveFileName(
            parent, f"Save {document.title}", document.filename, kind
        )
        if chosen:
            write(parent, ctx, document, Path(chosen), done)

    return background.on_file(
        parent,
        f"preparing {what}",
        ctx,
        lambda vault: build(vault.sessions),
        ask,
        lambda exc: errors.explain(parent, exc, "Save"),
        progress=f"Preparing {what}…",
    )


def write(
    parent: QWidget,
    ctx: FileContext,
    document: Printable,
    target: Path,
    done: Saved,
    password: str | None = None,
    options: DocumentOptions | None = None,
) -> background.Job[Path]:
    """Write and audit `document` through the documents service, off the GUI thread."""

    def export(vault: Vault) -> Path:  # the save dialog has asked before replacing a file
        return docs.export(vault.sessions, document, target, password, options, overwrite=True)

    return background.on_file(
        parent,
        f"saving {document.title}",
        ctx,
        export,
        done,
        lambda exc: errors.explain(parent, exc, "Save as"),
        progress=f"Saving {document.title}…",
    )
