"""CSV exports as MIS reports and spreadsheet programs really write them.

UTF-8 with or without a byte-order mark, UTF-16 with one (Excel's "Unicode text"), otherwise
Windows-1252; comma, semicolon or tab separated, found from the header line; quoted fields with
separators and line breaks inside; CRLF, LF or CR line ends.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterator

from sendesk.importers.source import MAX_ROWS, Source, SourceProblem

DELIMITERS = {",": "comma", ";": "semicolon", "\t": "tab"}
csv.field_size_limit(1024 * 1024)


def decode(data: bytes) -> tuple[str, str]:
    """The text and the name of its encoding."""
    for bom, encoding, name in (
        (codecs.BOM_UTF8, "utf-8-sig", "UTF-8 with a byte-order mark"),
        # UTF-32's marks first: its little-endian one starts with UTF-16's.
        (codecs.BOM_UTF32_LE, "utf-32", "UTF-32"),
        (codecs.BOM_UTF32_BE, "utf-32", "UTF-32"),
        (codecs.BOM_UTF16_LE, "utf-16", "UTF-16"),
        (codecs.BOM_UTF16_BE, "utf-16", "UTF-16"),
    ):
        if data.startswith(bom):
            try:
                return data.decode(encoding), name
            except UnicodeDecodeError as exc:
                raise SourceProblem(
                    f"The file starts like {name} text but is not: byte {exc.start} is wrong."
                ) from exc
    if b"\x00" in data:
        raise SourceProblem("This is not a CSV file: it holds binary data.")
    try:
        return data.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError as exc:
        _refuse_mixed(data, exc)
    try:
        return data.decode("cp1252"), "Windows-1252"
    except UnicodeDecodeError as exc:
        raise SourceProblem(
            "The file is neither UTF-8 nor Windows-1252 text; save it from the spreadsheet "
            "as “CSV UTF-8”."
        ) from exc


def _refuse_mixed(data: bytes, failed: UnicodeDecodeError) -> None:
    """Refuse a file that is UTF-8 but for some bytes (a row pasted in from another program):
    read as Windows-1252, every name in it written in UTF-8 would be garbled ("Tomáš" became
    "TomÃ¡Å¡" and overwrote the right name; from the fault trial). A genuine Windows-1252 file
    almost never holds a character that is also well-formed UTF-8."""
    read = data.decode("utf-8", errors="replace")
    if not any(ord(c) > 127 and c != "\ufffd" for c in read):
        return  # no UTF-8 at all: Windows-1252 it is
    line = data.count(b"\n", 0, failed.start) + 1
    raise SourceProblem(
        f"The file mixes two kinds of text: it is UTF-8, but line {line} is not (byte "
        f"{failed.start}), so names in it would be imported garbled. Save it from the "
        "spreadsheet as “CSV UTF-8” and import it again."
    ) from failed


def _records(text: str, delimiter: str) -> Iterator[list[str]]:
    return csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)


def sniff(text: str) -> str:
    """The separator that splits the header line into the most columns (comma when none does)."""
    best, most = ",", 1
    for delimiter in DELIMITERS:
        try:
            header: list[str] = next(_records(text, delimiter), [])
        except csv.Error:
            continue
        if len(header) > most:
            best, most = delimiter, len(header)
    return best


def read(data: bytes) -> Source:
    """The header and the rows of a CSV file; `SourceProblem` if it cannot be read as one."""
    text, encoding = decode(data)
    delimiter = sniff(text)
    rows: list[tuple[int, list[str]]] = []
    columns: list[str] | None = None
    try:
        for number, cells in enumerate(_records(text, delimiter), start=1):
            if columns is None:
                columns = [c.strip() for c in cells]
                continue
            if not any(c.strip() for c in cells):
                continue  # a blank line, or a row of empty cells a spreadsheet left behind
            if len(rows) >= MAX_ROWS:
                raise SourceProblem(f"The file has more than {MAX_ROWS:,} rows; split it up.")
            rows.append((number, cells))
    except csv.Error as exc:
        raise SourceProblem(f"The file is not a well-formed CSV file: {exc}.") from exc
    if not columns or not any(columns):
        raise SourceProblem("The file is empty: it has no header row naming its columns.")
    names = [c or f"Column {i}" for i, c in enumerate(columns, start=1)]
    description = f"CSV, {encoding}, {DELIMITERS[delimiter]}-separated, {len(rows)} rows"
    return Source("CSV", names, rows, description, "row")
