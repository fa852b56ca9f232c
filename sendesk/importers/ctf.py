"""DfE Common Transfer Files: the pupils of `CTfile/CTFpupilData/Pupil`, read safely.

The XML is parsed by defusedxml as a stream: a document type declaration (and with it every
entity-expansion bomb and external entity) is refused before anything is expanded, and each
pupil's elements are dropped as soon as they are read, so a large file never fills memory.
"""

from __future__ import annotations

import codecs
import datetime as dt
import io
import xml.etree.ElementTree as ET  # types and ParseError; parsing is defusedxml's

from defusedxml import DefusedXmlException, DTDForbidden
from defusedxml.ElementTree import iterparse

from sendesk.importers.source import MAX_ROWS, Source, SourceProblem

ROOT = "CTfile"
COLUMNS = [
    "UPN",
    "Surname",
    "Forename",
    "PreferredSurname",
    "PreferredForename",
    "DOB",
    "Sex",
    "NCyearActual",
    "SENprovision",
    "SENstartDate",
    "SENneed1",
    "SENneed2",
]


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _child(element: ET.Element | None, *path: str) -> ET.Element | None:
    for name in path:
        if element is None:
            return None
        element = next((c for c in element if _local(c.tag) == name), None)
    return element


def _text(element: ET.Element | None, *path: str) -> str:
    found = _child(element, *path)
    return (found.text or "").strip() if found is not None else ""


def _children(element: ET.Element | None, name: str) -> list[ET.Element]:
    return [] if element is None else [c for c in element if _local(c.tag) == name]


def _rank(need: ET.Element) -> int:
    text = _text(need, "SENtypeRank")
    return int(text) if text.isdigit() and len(text) < 4 else 999


def _date(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text.strip()[:10])
    except ValueError:
        return None


def pupil_cells(pupil: ET.Element) -> list[str]:
    """One pupil's values in the order of `COLUMNS`."""
    basic = _child(pupil, "BasicDetails")
    history = _child(pupil, "SENhistory")
    # The current SEN record is the one that started last (ISO dates sort as text).
    records = sorted(_children(history, "SEN"), key=lambda s: _text(s, "StartDate"))
    current = records[-1] if records else None
    needs = sorted(_children(_child(history, "SENneeds"), "SENneed"), key=_rank)
    need_codes = [_text(n, "SENtype") for n in needs] + ["", ""]
    return [
        _text(pupil, "UPN"),
        _text(pupil, "Surname"),
        _text(pupil, "Forename"),
        _text(basic, "PreferredSurname"),
        _text(basic, "PreferredForename"),
        _text(pupil, "DOB"),
        _text(pupil, "Sex") or _text(pupil, "Gender"),
        _text(basic, "NCyearActual") or _text(pupil, "NCyearActual"),
        _text(current, "SENprovision"),
        _text(current, "StartDate"),
        need_codes[0],
        need_codes[1],
    ]


def read(data: bytes) -> Source:
    """The pupils of a CTF as rows; `SourceProblem` for anything that is not a safe, whole CTF."""
    rows: list[tuple[int, list[str]]] = []
    path: list[str] = []
    made_on: dt.date | None = None
    # Some exports put a blank line before the XML declaration, which XML does not allow.
    bom = codecs.BOM_UTF8 if data.startswith(codecs.BOM_UTF8) else b""
    data = bom + data[len(bom) :].lstrip(b" \t\r\n")
    try:
        for event, element in iterparse(io.BytesIO(data), events=("start", "end"), forbid_dtd=True):
            name = _local(element.tag)
            if event == "start":
                if not path and name != ROOT:
                    raise SourceProblem(
                        f"This XML file is not a Common Transfer File: it starts with <{name}>, "
                        f"not <{ROOT}>."
                    )
                path.append(name)
                continue
            path.pop()
            if name == "Pupil" and path == [ROOT, "CTFpupilData"]:
                if len(rows) >= MAX_ROWS:
                    raise SourceProblem(f"The file has more than {MAX_ROWS:,} pupils; split it up.")
                rows.append((len(rows) + 1, pupil_cells(element)))
                element.clear()
            elif name == "DateTime" and path == [ROOT, "Header"]:
                made_on = _date(element.text or "")
            elif len(path) <= 1:
                element.clear()  # the header and any other top-level part: not needed
    except DTDForbidden as exc:
        raise SourceProblem(
            "The file declares a document type (DTD). A Common Transfer File never does, and "
            "SENDesk refuses such files because a DTD can hide an entity-expansion bomb or a "
            "reference to another file."
        ) from exc
    except DefusedXmlException as exc:
        raise SourceProblem(
            "The file uses XML entities, which a Common Transfer File never does; it was refused "
            "unread because entities can expand without limit or reach other files."
        ) from exc
    except ET.ParseError as exc:
        line, column = getattr(exc, "position", (0, 0))
        raise SourceProblem(
            f"The file is not well-formed XML (line {line}, column {column + 1}); "
            "it may be cut short or damaged."
        ) from exc
    except (ValueError, LookupError) as exc:  # e.g. an encoding expat does not know
        raise SourceProblem(f"The file cannot be read as XML: {exc}.") from exc
    if not path and not rows and not data.strip():
        raise SourceProblem("The file is empty.")
    made = f" of {made_on:%d/%m/%Y}" if made_on else ""
    return Source(
        "CTF", list(COLUMNS), rows, f"Common Transfer File{made}, {len(rows)} pupils", "pupil",
        made_on,
    )  # fmt: skip
