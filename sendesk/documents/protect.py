"""A password on an exported PDF: AES-256 (PDF 2.0 security handler, revision 6) with pypdf.

ReportLab's own AES-256 output cannot be opened by poppler 22, so the finished PDF is re-written
by pypdf, whose output opens in poppler (`pdftotext -upw`), Qt's PDF module, Acrobat and browsers.
"""

from __future__ import annotations

import io

from sendesk.errors import BadInput

MIN_PASSWORD = 6


def check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise BadInput(f"A PDF password needs at least {MIN_PASSWORD} characters.")


def encrypt(pdf: bytes, password: str) -> bytes:
    """`pdf` locked with `password` (needed to open it; printing is allowed once opened)."""
    check_password(password)
    from pypdf import PdfReader, PdfWriter  # only a locked copy needs it (0.06 s to import)

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    writer.encrypt(user_password=password, owner_password=None, algorithm="AES-256")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
