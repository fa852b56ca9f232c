"""Pupil lists from the school's MIS: CSV exports and DfE Common Transfer Files (CTF, XML).

`load(path)` (or `read(data)`) gives a `Source` of text cells, whatever the format, found from
the content rather than the file's extension. `Source.guess_mapping()` maps the known column
names to pupil fields; a caller may change that mapping before `interpret` turns the rows into
checked values. `sendesk.services.imports` previews and applies them. Everything the user can
fix raises `SourceProblem` (a `BadInput`, exit code 2).
"""

from __future__ import annotations

import codecs
import hashlib
import importlib
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sendesk.errors import BadInput

# The fields are light and `sendesk --help` lists them; the rest (CSV and XML parsing, the
# value checks with python-stdnum) is imported when first used, so the command line starts at once.
from sendesk.importers.fields import FIELDS, REQUIRED_FIELDS, Mapping

if TYPE_CHECKING:
    from sendesk.importers.fates import FATE_LABELS, Fate, RowFate, Totals, rejected_csv
    from sendesk.importers.mapping import check_mapping, parse_mapping_override
    from sendesk.importers.parsing import ParsedRow, interpret
    from sendesk.importers.source import MAX_SOURCE_BYTES, Source, SourceProblem

_LAZY = {
    "FATE_LABELS": "fates",
    "Fate": "fates",
    "RowFate": "fates",
    "Totals": "fates",
    "rejected_csv": "fates",
    "check_mapping": "mapping",
    "parse_mapping_override": "mapping",
    "ParsedRow": "parsing",
    "interpret": "parsing",
    "MAX_SOURCE_BYTES": "source",
    "Source": "source",
    "SourceProblem": "source",
}


def __getattr__(name: str) -> Any:
    if name not in _LAZY:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{_LAZY[name]}"), name)
    globals()[name] = value  # found directly from now on
    return value


__all__ = [
    "FATE_LABELS",
    "FIELDS",
    "MAX_SOURCE_BYTES",
    "REQUIRED_FIELDS",
    "Fate",
    "Mapping",
    "ParsedRow",
    "RowFate",
    "Source",
    "SourceProblem",
    "Totals",
    "check_mapping",
    "detect",
    "interpret",
    "load",
    "parse_mapping_override",
    "read",
    "rejected_csv",
]

_XML_START = re.compile(rb"^\s*<")
_NOT_TEXT = {
    b"PK\x03\x04": "an Excel workbook or other zip file; save it as CSV first",
    b"\xd0\xcf\x11\xe0": "an old Excel workbook; save it as CSV first",
    b"%PDF": "a PDF document",
}


def detect(data: bytes) -> str:
    """ "CTF" when the content is XML, else "CSV"; `SourceProblem` for known non-text files."""
    from sendesk.importers.source import SourceProblem

    for magic, what in _NOT_TEXT.items():
        if data.startswith(magic):
            raise SourceProblem(f"This file is {what}, not a CSV file or a Common Transfer File.")
    head = data[:4096]
    for bom, encoding in ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
                          (codecs.BOM_UTF16_BE, "utf-16-be")):  # fmt: skip
        if head.startswith(bom):
            text = head[len(bom) :].decode(encoding, errors="ignore")
            return "CTF" if text.lstrip().startswith("<") else "CSV"
    return "CTF" if _XML_START.match(head) else "CSV"


def read(data: bytes) -> Source:
    from sendesk.importers import csv, ctf
    from sendesk.importers.source import MAX_SOURCE_BYTES

    if len(data) > MAX_SOURCE_BYTES:
        raise _too_big(len(data))
    source = ctf.read(data) if detect(data) == "CTF" else csv.read(data)
    source.digest = hashlib.sha256(data).hexdigest()
    return source


def load(path: Path) -> Source:
    """Read an import file: an ordinary file only, its size checked before and while reading."""
    from sendesk import inputs
    from sendesk.importers.source import MAX_SOURCE_BYTES, SourceProblem

    try:
        data = inputs.read_input(path, MAX_SOURCE_BYTES)
    except inputs.TooBig as exc:
        raise _too_big(exc.size) from exc
    except BadInput as exc:
        raise SourceProblem(exc.message) from exc
    return read(data)


def _too_big(size: int) -> SourceProblem:
    from sendesk.importers.source import MAX_SOURCE_BYTES, SourceProblem

    return SourceProblem(
        f"The file is over {size // 1024 // 1024} MB; SENDesk imports files of up to "
        f"{MAX_SOURCE_BYTES // 1024 // 1024} MB. A pupil list or Common Transfer File is much "
        "smaller: check that this is the right file."
    )
