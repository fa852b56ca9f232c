"""The SEN register (PDF and CSV) and the census check as a printed page."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.platypus import Flowable  # type: ignore[import-untyped, unused-ignore]

from sendesk import codes
from sendesk.census import CensusProblem
from sendesk.documents import common
from sendesk.documents.style import (
    DocumentOptions,
    Letterhead,
    clean,
    para,
    render,
    styles,
    table,
)
from sendesk.spreadsheet import safe_cell
from sendesk.wording import in_sentence, plural

TITLE = "SEN register"
CENSUS_TITLE = "Census check"
COLUMNS = (
    "UPN",
    "Surname",
    "Forename",
    "Year",
    "Class",
    "SEN status",
    "Primary need",
    "Secondary need",
    "Next review",
)


@dataclass(frozen=True)
class RegisterLine:
    upn: str | None
    surname: str
    forename: str
    year_group: int | None
    class_name: str | None
    sen_status: str
    primary_need: str | None
    secondary_need: str | None
    next_review: dt.date | None
    review: str  # as `PupilRow.review_words` says it: a date, "(overdue)", "None booked"

    def cells(self) -> tuple[str, ...]:
        return (
            self.upn or "",
            self.surname,
            self.forename,
            codes.year_group_label(self.year_group),
            self.class_name or "",
            self.sen_status,
            self.primary_need or "",
            self.secondary_need or "",
            self.review,
        )


def build(
    lines: Sequence[RegisterLine],
    letterhead: Letterhead,
    options: DocumentOptions | None = None,
) -> bytes:
    options = options or DocumentOptions()
    s = styles(options)
    support = sum(1 for line in lines if line.sen_status == codes.SenStatus.SEN_SUPPORT)
    plans = sum(1 for line in lines if line.sen_status == codes.SenStatus.EHC_PLAN)
    story: list[Flowable] = [
        para(f"SEN register on {common.show(letterhead.printed_on)}", s.title),
        para(
            f"{len(lines)} pupils: {support} on SEN support (K), {plans} with an EHC plan (E). "
            "Needs are census codes: "
            + "; ".join(f"{n.code} {in_sentence(n.label)}" for n in codes.NEED_TYPES)
            + ".",
            s.small,
        ),
    ]
    if lines:
        story += table(
            COLUMNS,
            [line.cells() for line in lines],
            s,
            wide=True,
        )
    else:
        story.append(para("No pupils are on SEN support or have an EHC plan.", s.body))
    return render(story, letterhead, options, TITLE, wide=True)


def to_csv(lines: Sequence[RegisterLine]) -> bytes:
    """UTF-8 with a byte-order mark, so Excel shows Zoë and Łukasz correctly."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for line in lines:
        cells = list(line.cells())
        # A date a spreadsheet sorts; a missing review says so rather than being blank.
        cells[-1] = line.next_review.isoformat() if line.next_review else line.review
        writer.writerow([safe_cell(clean(c)) for c in cells])
    return out.getvalue().encode("utf-8-sig")


def census_pdf(
    found: Sequence[CensusProblem],
    census_day: dt.date,
    census_name: str,
    letterhead: Letterhead,
    options: DocumentOptions | None = None,
) -> bytes:
    options = options or DocumentOptions()
    s = styles(options)
    story: list[Flowable] = [
        para(
            f"Census check for the {census_name} on {common.long_date(census_day, whole=True)}",
            s.title,
        ),
        para(
            "What would be wrong in the school census if it were taken today: pupils on SEN "
            "support or with an EHC plan without a primary need, identical primary and "
            "secondary needs, NSA other than as the primary need of a pupil on SEN support, "
            "pupils with status N and an open cycle, and missing UPNs.",
            s.small,
        ),
    ]
    if found:
        story.append(para(f"{plural(len(found), 'problem')} to put right.", s.body))
        story += table(
            ["Pupil", "UPN", "Problem"],
            [(p.name, p.upn or "", p.problem) for p in found],
            s,
        )
    else:
        story.append(para("Nothing to put right: the register is ready for the census.", s.body))
    return render(story, letterhead, options, CENSUS_TITLE)
