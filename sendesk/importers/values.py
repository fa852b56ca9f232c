"""Cell values as MIS exports write them: dates, year groups, SEN codes, sex and UPNs."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

from sendesk import codes, dates, upn
from sendesk.errors import BadInput
from sendesk.importers.fields import column_key


class Bad(Exception):
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
    except dates.OutOfRange as exc:
        raise Bad(
            f"{text!r} is not a date SENDesk can use (give one between "
            f"{dates.EARLIEST_YEAR} and {dates.LATEST_YEAR})"
        ) from exc
    except BadInput as exc:
        raise Bad(f"{text!r} is not a real date (write DD/MM/YYYY or YYYY-MM-DD)") from exc


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
    raise Bad(f'{text!r} is not a year group (write R, N1, N2, or 1 to 14, e.g. "Year 5")')


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
} | {column_key(label): code for code, label in codes.SEN_STATUS_LABELS.items()}


def parse_sen_status(text: str) -> str:
    """A census code (N, K, E) or the words MIS exports use for it ("SEN Support", "EHC Plan")."""
    found = _from_words(text, _STATUS_WORDS)
    if found is None:
        raise Bad(f"{text!r} is not an SEN status (N, K or E; or No SEN, SEN Support, EHC Plan)")
    return found


_NEED_WORDS = (
    {column_key(n.code): n.code for n in codes.NEED_TYPES}
    | {column_key(n.label): n.code for n in codes.NEED_TYPES}
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
        raise Bad(f"{text!r} is not a census type of need (e.g. SPLD, SLCN, ASD, SEMH)")
    return found


def _from_words(text: str, words: dict[str, str]) -> str | None:
    """Look the whole text up, then a code in brackets, then its first word ("K - SEN support")."""
    if (found := words.get(column_key(text))) is not None:
        return found
    bracketed = re.search(r"\(([^()]*)\)", text)
    if bracketed and (found := words.get(column_key(bracketed.group(1)))) is not None:
        return found
    first = re.split(r"\s*[-–:(/]\s*|\s+", text.strip(), maxsplit=1)[0]
    return words.get(column_key(first)) if first != text.strip() else None


_SEX_WORDS = {"m": "M", "male": "M", "boy": "M", "f": "F", "female": "F", "girl": "F"}


def parse_sex(text: str) -> str:
    found = _SEX_WORDS.get(column_key(text))
    if found is None:
        raise Bad(f"{text!r} is not a sex the census records (F or M; leave it empty if unknown)")
    return found


def parse_upn(text: str) -> str:
    if problem := upn.problem(text):
        raise Bad(f"{text.strip()!r}: {problem.rstrip('.')}")  # a Bad is said without its stop
    return upn.normalise(text)


PARSERS: dict[str, Callable[[str], Any]] = {
    "upn": parse_upn,
    "date_of_birth": parse_date,
    "sen_start": parse_date,
    "sex": parse_sex,
    "year_group": parse_year_group,
    "sen_status": parse_sen_status,
    "primary_need": parse_need,
    "secondary_need": parse_need,
}
