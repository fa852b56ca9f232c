"""What CSV and CTF imports share: a table of text cells, the column mapping, and each row's fate.

Both readers turn a file into a `Source` (column names and rows of text); `interpret` turns each
row into typed pupil values or the reasons it cannot be used. Matching rows against the record
file, and saving them, is `sendesk.services.imports`.
"""

from __future__ import annotations

import csv
import datetime as dt
import enum
import io
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sendesk import codes, dates, upn
from sendesk.errors import BadInput
from sendesk.text import fold

# A whole-school CTF with assessment history is a few megabytes; anything far larger is not one.
MAX_SOURCE_BYTES = 64 * 1024 * 1024
MAX_ROWS = 50_000


class SourceProblem(BadInput):
    """The file cannot be imported at all: unreadable, malformed, unsafe or wrongly mapped."""


# The pupil fields an import can fill, in the order the mapping shows them.
FIELDS: dict[str, str] = {
    "upn": "UPN",
    "legal_surname": "Legal surname",
    "legal_forename": "Legal forename",
    "preferred_surname": "Preferred surname",
    "preferred_forename": "Preferred forename",
    "date_of_birth": "Date of birth",
    "sex": "Sex",
    "year_group": "Year group",
    "class_name": "Class",
    "sen_status": "SEN status",
    "primary_need": "Primary need",
    "secondary_need": "Secondary need",
    "sen_start": "SEN start date",
}
REQUIRED_FIELDS = ("upn", "legal_surname", "legal_forename")
SEN_FIELDS = ("sen_status", "primary_need", "secondary_need")
_MAX_LENGTH = {
    "legal_surname": 100,
    "legal_forename": 100,
    "preferred_surname": 100,
    "preferred_forename": 100,
    "class_name": 40,
}


def _key(name: str) -> str:
    """A column name folded for matching: "NC Year" and "nc_year" are the same column."""
    return re.sub(r"[^a-z0-9]", "", fold(name))


# Column names written by the common MIS exports (SIMS, Arbor, Bromcom, ScholarPack, Excel
# reports) and by SENDesk's own CTF reader and rejected-rows file, folded with `_key`.
KNOWN_COLUMNS: dict[str, str] = {
    **dict.fromkeys(("upn", "uniquepupilnumber", "pupilupn"), "upn"),
    **dict.fromkeys(
        ("legalsurname", "surname", "lastname", "familyname", "legallastname"), "legal_surname"
    ),
    **dict.fromkeys(
        ("legalforename", "forename", "forenames", "firstname", "givenname", "legalfirstname"),
        "legal_forename",
    ),
    **dict.fromkeys(("preferredsurname", "preferredlastname"), "preferred_surname"),
    **dict.fromkeys(
        ("preferredforename", "preferredfirstname", "knownas", "chosenforename", "preferredname"),
        "preferred_forename",
    ),
    **dict.fromkeys(("dob", "dateofbirth", "birthdate"), "date_of_birth"),
    **dict.fromkeys(("sex", "gender"), "sex"),
    **dict.fromkeys(
        ("year", "ncyear", "yeargroup", "ncyearactual", "curriculumyear", "yeartaughtin"),
        "year_group",
    ),
    **dict.fromkeys(
        ("reg", "reggroup", "regroup", "class", "classname", "registrationgroup", "form"),
        "class_name",
    ),
    **dict.fromkeys(("senstatus", "senprovision", "sen", "senstage", "sencode"), "sen_status"),
    **dict.fromkeys(
        (
            "primaryneed",
            "senneedtype",
            "senneedtype1",
            "primarysenneed",
            "senprimaryneed",
            "needtype1",
            "senneed1",
            "senneed",
            "primarysentype",
            "sentype1",
        ),
        "primary_need",
    ),
    **dict.fromkeys(
        (
            "secondaryneed",
            "senneedtype2",
            "secondarysenneed",
            "sensecondaryneed",
            "needtype2",
            "senneed2",
            "secondarysentype",
            "sentype2",
        ),
        "secondary_need",
    ),
    **dict.fromkeys(("senstartdate", "senstart", "senfrom"), "sen_start"),
}

Mapping = list[str | None]
"""For each column of a source, the pupil field it fills, or None to ignore it."""


@dataclass
class Source:
    """A file read into text cells: `rows` holds (row number, cells) pairs."""

    kind: str  # "CSV" or "CTF"
    columns: list[str]
    rows: list[tuple[int, list[str]]]
    description: str = ""
    row_word: str = "row"
    made_on: dt.date | None = None  # when the file was made, if it says (a CTF does)

    def guess_mapping(self) -> Mapping:
        """The known column names mapped; a field named twice is taken from its first column."""
        mapping: Mapping = []
        taken: set[str] = set()
        for name in self.columns:
            target = KNOWN_COLUMNS.get(_key(name))
            if target in taken:
                target = None
            if target:
                taken.add(target)
            mapping.append(target)
        return mapping


def check_mapping(source: Source, mapping: Sequence[str | None]) -> None:
    """`SourceProblem` unless every required field has one column and no field has two."""
    if len(mapping) != len(source.columns):
        raise SourceProblem("The column mapping does not match the file's columns.")
    seen: dict[str, str] = {}
    for name, target in zip(source.columns, mapping, strict=True):
        if target is None:
            continue
        if target not in FIELDS:
            raise SourceProblem(f"{target!r} is not a pupil field SENDesk can import.")
        if target in seen:
            raise SourceProblem(
                f"Both “{seen[target]}” and “{name}” are mapped to {FIELDS[target]}; "
                "map only one of them."
            )
        seen[target] = name
    missing = [FIELDS[f] for f in REQUIRED_FIELDS if f not in seen]
    if missing:
        raise SourceProblem(
            "No column is mapped to " + " or ".join(missing) + "; rows are matched by UPN and "
            "every pupil needs legal names."
        )


def parse_mapping_override(source: Source, pairs: Sequence[str]) -> Mapping:
    """The guessed mapping changed by "COLUMN=FIELD" pairs (FIELD empty or "-" ignores it)."""
    mapping = source.guess_mapping()
    by_key = {_key(name): i for i, name in reversed(list(enumerate(source.columns)))}
    for pair in pairs:
        column, sep, target = pair.partition("=")
        if not sep:
            raise BadInput(f'{pair!r} should be written COLUMN=FIELD, e.g. "Reg Group=class_name".')
        index = by_key.get(_key(column))
        if index is None:
            raise BadInput(f"The file has no column called {column.strip()!r}.")
        wanted = target.strip()
        if wanted in ("", "-"):
            mapping[index] = None
            continue
        if wanted not in FIELDS:
            raise BadInput(f"{wanted!r} is not a field; use one of: {', '.join(FIELDS)}.")
        mapping = [None if m == wanted else m for m in mapping]
        mapping[index] = wanted
    return mapping


# --- values as MIS exports write them -----------------------------------------------------------


class _Bad(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


_TIME_PART = re.compile(
    r"^(\S+?)(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)$"
)


def parse_date(text: str) -> dt.date:
    """DD/MM/YYYY or ISO; a midnight time that some exports add is ignored."""
    match = _TIME_PART.match(text)
    try:
        return dates.parse(match.group(1) if match else text)
    except BadInput as exc:
        raise _Bad(f"{text!r} is not a real date (write DD/MM/YYYY or YYYY-MM-DD)") from exc


_YEAR_WORDS = {
    "R": 0,
    "REC": 0,
    "RECEPTION": 0,
    "YR": 0,
    "YEARR": 0,
    "YEARRECEPTION": 0,
    "N1": -2,
    "NURSERY1": -2,
    "YEARN1": -2,
    "N2": -1,
    "NURSERY2": -1,
    "YEARN2": -1,
}
_YEAR_NUMBER = re.compile(r"^(?:YEAR|YR|Y|NCY|NC)?0*(\d{1,2})$")
NO_YEAR_GROUP = "X"  # the census code for a pupil outside National Curriculum years


def parse_year_group(text: str) -> int | None:
    """ "Year 5", "Y5", "5", "R", "Reception", "N1", "N2"; "X" means no National Curriculum year."""
    squashed = re.sub(r"[\s._-]", "", text).upper()
    if squashed == NO_YEAR_GROUP:
        return None
    if squashed in _YEAR_WORDS:
        return _YEAR_WORDS[squashed]
    match = _YEAR_NUMBER.match(squashed)
    if match and squashed.isascii() and int(match.group(1)) in codes.YEAR_GROUPS:
        return int(match.group(1))
    raise _Bad(f'{text!r} is not a year group (write R, N1, N2, or 1 to 14, e.g. "Year 5")')


_STATUS_WORDS = {
    "n": "N",
    "no": "N",
    "none": "N",
    "nosen": "N",
    "notsen": "N",
    "k": "K",
    "sensupport": "K",
    "support": "K",
    "senk": "K",
    "e": "E",
    "ehc": "E",
    "ehcp": "E",
    "ehcplan": "E",
    "educationhealthandcareplan": "E",
    "educationhealthcareplan": "E",
} | {_key(label): code for code, label in codes.SEN_STATUS_LABELS.items()}


def parse_sen_status(text: str) -> str:
    """A census code (N, K, E) or the words MIS exports use for it ("SEN Support", "EHC Plan")."""
    found = _from_words(text, _STATUS_WORDS)
    if found is None:
        raise _Bad(f"{text!r} is not an SEN status (N, K or E; or No SEN, SEN Support, EHC Plan)")
    return found


_NEED_WORDS = (
    {_key(n.code): n.code for n in codes.NEED_TYPES}
    | {_key(n.label): n.code for n in codes.NEED_TYPES}
    | {
        "autism": "ASD",
        "asc": "ASD",
        "autisticspectrumcondition": "ASD",
        "dyslexia": "SPLD",
        "downsyndrome": "DS",
        "downssyndrome": "DS",
    }
)


def parse_need(text: str) -> str:
    """A census need code ("SLCN"), its name, or both ("SLCN - Speech, language and …")."""
    found = _from_words(text, _NEED_WORDS)
    if found is None:
        raise _Bad(f"{text!r} is not a census type of need (e.g. SPLD, SLCN, ASD, SEMH)")
    return found


def _from_words(text: str, words: dict[str, str]) -> str | None:
    """Look the whole text up, then a code in brackets, then its first word ("K - SEN support")."""
    if (found := words.get(_key(text))) is not None:
        return found
    bracketed = re.search(r"\(([^()]*)\)", text)
    if bracketed and (found := words.get(_key(bracketed.group(1)))) is not None:
        return found
    first = re.split(r"\s*[-–:(/]\s*|\s+", text.strip(), maxsplit=1)[0]
    return words.get(_key(first)) if first != text.strip() else None


_SEX_WORDS = {"m": "M", "male": "M", "boy": "M", "f": "F", "female": "F", "girl": "F"}


def parse_sex(text: str) -> str:
    found = _SEX_WORDS.get(_key(text))
    if found is None:
        raise _Bad(f"{text!r} is not a sex the census records (F or M; leave it empty if unknown)")
    return found


def parse_upn(text: str) -> str:
    if problem := upn.problem(text):
        raise _Bad(f"{text.strip()!r}: {problem}")
    return upn.normalise(text)


_PARSERS: dict[str, Callable[[str], Any]] = {
    "upn": parse_upn,
    "date_of_birth": parse_date,
    "sen_start": parse_date,
    "sex": parse_sex,
    "year_group": parse_year_group,
    "sen_status": parse_sen_status,
    "primary_need": parse_need,
    "secondary_need": parse_need,
}


# --- rows ----------------------------------------------------------------------------------


@dataclass
class ParsedRow:
    """One row's typed values (only the non-empty mapped cells) or the reasons it is refused."""

    row: int
    cells: list[str]
    values: dict[str, Any] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    word: str = "row"  # "pupil" for a CTF, whose pupils are numbered
    made_on: dt.date | None = None  # the file's date: year groups are as they were then

    @property
    def upn(self) -> str | None:
        value = self.values.get("upn")
        return value if isinstance(value, str) else None

    @property
    def name(self) -> str:
        surname = self.values.get("legal_surname") or ""
        forename = self.values.get("legal_forename") or ""
        return f"{surname}, {forename}" if surname and forename else surname or forename


def _unprotect(cell: str) -> str:
    """Undo the apostrophe the rejected-rows file puts before a cell a spreadsheet would run."""
    text = cell.strip()
    if len(text) > 1 and text[0] == "'" and text[1] in "=+-@":
        return text[1:]
    return text


def interpret(source: Source, mapping: Sequence[str | None]) -> list[ParsedRow]:
    """Each row of the source as pupil values, checked cell by cell (not yet against the file)."""
    check_mapping(source, mapping)
    width = len(source.columns)
    parsed = []
    for number, cells in source.rows:
        row = ParsedRow(number, cells, word=source.row_word, made_on=source.made_on)
        parsed.append(row)
        extra = [c for c in cells[width:] if c.strip()]
        if extra:
            row.problems.append(
                f"The row has {len(cells)} cells but the header names {width} columns; "
                "check for a separator inside an unquoted value."
            )
        for index, target in enumerate(mapping):
            if target is None or index >= len(cells):
                continue
            text = _unprotect(cells[index])
            if not text:
                continue
            label = FIELDS[target]
            limit = _MAX_LENGTH.get(target)
            if limit and len(text) > limit:
                row.problems.append(f"{label} is longer than {limit} characters.")
                continue
            parser = _PARSERS.get(target)
            try:
                row.values[target] = parser(text) if parser else text
            except _Bad as exc:
                row.problems.append(f"{label}: {exc.message}.")
        for target in REQUIRED_FIELDS:
            label = FIELDS[target]
            if target not in row.values and not any(p.startswith(label) for p in row.problems):
                row.problems.append(f"No {label}: every pupil needs one.")
    return parsed


# --- fates ---------------------------------------------------------------------------------


class Fate(enum.StrEnum):
    NEW = "new"
    UPDATE = "update"
    UNCHANGED = "unchanged"
    REJECTED = "rejected"


FATE_LABELS = {
    Fate.NEW: "New pupil",
    Fate.UPDATE: "Update",
    Fate.UNCHANGED: "Unchanged",
    Fate.REJECTED: "Rejected",
}


@dataclass(frozen=True)
class RowFate:
    """What an import does (or did) with one row of the source."""

    row: int
    fate: Fate
    upn: str | None
    name: str
    reason: str = ""  # why a row is rejected
    changes: tuple[str, ...] = ()  # the fields an update changes
    warnings: tuple[str, ...] = ()
    pupil_id: int | None = None

    @property
    def accepted(self) -> bool:
        return self.fate in (Fate.NEW, Fate.UPDATE)

    def explanation(self) -> str:
        """The words a preview shows beside the fate."""
        if self.fate is Fate.REJECTED:
            return self.reason
        if self.fate is Fate.UPDATE:
            text = "Changes " + ", ".join(FIELDS.get(c, c.replace("_", " ")) for c in self.changes)
        else:
            text = ""
        if self.warnings:
            text = "; ".join(filter(None, (text, *self.warnings)))
        return text


@dataclass(frozen=True)
class Totals:
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0

    @classmethod
    def of(cls, fates: Sequence[RowFate]) -> Totals:
        count = {f: sum(1 for r in fates if r.fate is f) for f in Fate}
        return cls(count[Fate.NEW], count[Fate.UPDATE], count[Fate.UNCHANGED], count[Fate.REJECTED])

    @property
    def to_save(self) -> int:
        return self.new + self.updated

    def sentence(self) -> str:
        return (
            f"{self.new} new, {self.updated} updated, {self.unchanged} unchanged, "
            f"{self.rejected} rejected"
        )


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def rejected_csv(source: Source, fates: Sequence[RowFate]) -> bytes:
    """The rejected rows with their original cells and a Problem column, to fix and re-import.

    UTF-8 with a byte-order mark and CRLF line ends, so Excel opens it with every name intact; a
    cell a spreadsheet would run as a formula gets a leading apostrophe (removed on re-import).
    """
    reasons = {f.row: f.reason for f in fates if f.fate is Fate.REJECTED}
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([*source.columns, "Problem"])
    for number, cells in source.rows:
        if number in reasons:
            padded = (cells + [""] * len(source.columns))[: max(len(source.columns), len(cells))]
            writer.writerow(
                [_protect(c) for c in padded] + [f"{source.row_word} {number}: " + reasons[number]]
            )
    return out.getvalue().encode("utf-8-sig")


def _protect(cell: str) -> str:
    return "'" + cell if cell.startswith(_FORMULA_START) else cell
