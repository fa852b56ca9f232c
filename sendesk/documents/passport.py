"""The pupil passport, or one-page profile: the pupil in their own words, for every adult.

Always one page: when the texts do not fit, each is cut after a whole word with "continues in the
plan". With what is important to the pupil, health needs, the key adults, a photo from the
pupil's attachments when there is one, and the dates it was written and is to be reviewed.
"""

from __future__ import annotations

import datetime as dt
import io

from reportlab.lib.utils import ImageReader  # type: ignore[import-untyped, unused-ignore]
from reportlab.platypus import (  # type: ignore[import-untyped, unused-ignore]
    Flowable,
    Image,
    Table,
    TableStyle,
)
from reportlab.platypus.doctemplate import LayoutError  # type: ignore[import-untyped, unused-ignore]

from sendesk import calendar, codes
from sendesk.documents import common
from sendesk.documents.style import (
    DocumentOptions,
    Letterhead,
    Styles,
    clean,
    facts,
    heading,
    labelled,
    para,
    render,
    styles,
    subheading,
    too_tall_for_a_page,
)
from sendesk.models import Cycle, Pupil

TITLE = "Pupil passport"


CONTINUES = " … (continues in the plan)"
MIN_CUT = 40  # characters of each text kept at the least


def build(
    pupil: Pupil,
    cycle: Cycle | None,
    letterhead: Letterhead,
    options: DocumentOptions | None = None,
    senco: str | None = None,
    photo: bytes | None = None,
    today: dt.date | None = None,
) -> bytes:
    """Always one page: the longest texts are cut, at a word, until it fits."""
    options = options or DocumentOptions()
    written = today or letterhead.printed_on
    limit: int | None = None
    longest = max(len(t) for t in _texts(pupil, cycle))
    s = styles(options)
    frame_w, frame_h = s.frame
    # No text longer than a whole page of it could hold (at about half an em a character).
    page_holds = int(frame_w * frame_h / (0.5 * s.body.fontSize * s.body.leading))
    if longest > page_holds:
        limit = max(MIN_CUT, page_holds)
    while True:
        found = story(pupil, cycle, options, senco, photo, written, limit)
        fits = False
        # Laid out only when it may fit: a long text would be set over many pages each try.
        if not too_tall_for_a_page(found, options):
            try:
                pdf = render(found, letterhead, options, TITLE)
                fits = _pages(pdf) == 1
            except LayoutError:  # text no page can hold: cut it as short as it goes
                fits = False
        if fits:
            return pdf
        if limit == MIN_CUT:  # still too much (large print): the last sections are left off
            note = para("… the rest continues in the plan.", s.label)
            while len(found) > 1:
                found.pop()
                while found and getattr(found[-1], "keep_with_next_piece", False):
                    found.pop()  # no label without its text
                if too_tall_for_a_page([*found, note], options):
                    continue
                try:
                    pdf = render([*found, note], letterhead, options, TITLE)
                except LayoutError:
                    continue
                if _pages(pdf) == 1:
                    return pdf
            return render([note], letterhead, options, TITLE)
        limit = max(MIN_CUT, (limit or longest) * 2 // 3)


def _pages(pdf: bytes) -> int:
    from pypdf import PdfReader  # loaded when a passport is made, not for every document

    return len(PdfReader(io.BytesIO(pdf)).pages)


def _texts(pupil: Pupil, cycle: Cycle | None) -> list[str]:
    views = (cycle.pupil_views if cycle else None) or pupil.pupil_views
    found = [views, pupil.important_to_me, pupil.strengths, pupil.what_helps,
             pupil.what_does_not_help, pupil.medical_notes]  # fmt: skip
    return [clean(t) for t in found if t] or [""]


def cut(text: str | None, limit: int | None) -> str | None:
    """`text` cut after a whole word so it has at most about `limit` characters."""
    if not text or limit is None or len(text) <= limit:
        return text
    head = text[:limit].rsplit(" ", 1)[0] if " " in text[:limit] else text[:limit]
    return head.rstrip(" ,;:.") + CONTINUES


def story(
    pupil: Pupil,
    cycle: Cycle | None,
    options: DocumentOptions,
    senco: str | None = None,
    photo: bytes | None = None,
    written: dt.date | None = None,
    limit: int | None = None,
) -> list[Flowable]:
    s = styles(options)
    year = " ".join(x for x in (codes.year_group_label(pupil.year_group), pupil.class_name) if x)
    out: list[Flowable] = []
    picture = _photo(photo, s.body_size * 6)
    title = para(f"All about me: {common.name(pupil)}", s.title)
    out.append(_beside(picture, [title, para(year or "", s.small)], s) if picture else title)
    if not picture:
        out.append(para(year or "", s.small))
    review = cycle.review_date if cycle is not None else None
    # A review date already past is said to be overdue (from the document review: "Printed
    # 04/12/2026; to be reviewed 23/11/2026").
    overdue = written is not None and calendar.review_date_overdue(review, written)
    late = ", which is overdue" if overdue else ""
    out.append(
        para(
            f"Printed {common.show(written)}; to be reviewed "
            f"{common.show(review, 'at the next review')}{late}.",
            s.small,
        )
    )
    # Health needs first: what an adult must know to keep the pupil safe is never left off.
    out += labelled("My health needs", cut(pupil.medical_notes, limit), s, "None recorded")
    out += subheading("The adults who know me best", s)
    out += facts(common.key_adults(pupil, senco), s)
    out += heading("What I would like you to know about me", s)
    views = (cycle.pupil_views if cycle else None) or pupil.pupil_views
    out += labelled("What is important to me", cut(pupil.important_to_me, limit), s)
    out += labelled("In my words", cut(views, limit), s)
    out += labelled("What I am good at", cut(pupil.strengths, limit), s)
    out += heading("What I find hard", s)
    needs = common.needs_of(pupil, cycle)
    words = [codes.area_of_need(c) for c in needs]
    plain = list(dict.fromkeys(a.plain_words.capitalize() for a in words if a))
    out += common.bullet_list(plain or [codes.need_label(c) for c in needs], s, "Nothing recorded")
    out += heading("How you can help me", s)
    out += labelled("What helps me", cut(pupil.what_helps, limit), s)
    out += labelled("What does not help me", cut(pupil.what_does_not_help, limit), s)
    if cycle is not None and cycle.strategies:
        out += subheading("Things every adult can do", s)
        strategies = [t.text for t in cycle.strategies]
        if limit is not None:
            strategies = [cut(t, limit) or "" for t in strategies[: max(1, limit // 40)]]
        out += common.bullet_list(strategies, s)
    return out


def _photo(data: bytes | None, height: float) -> Image | None:
    if not data:
        return None
    try:
        reader = ImageReader(io.BytesIO(data))
        width, tall = reader.getSize()
    except Exception:  # a damaged picture must not stop the passport from printing
        return None
    if width <= 0 or tall <= 0:
        return None
    return Image(io.BytesIO(data), width=height * width / tall, height=height)


def _beside(picture: Image, texts: list[Flowable], s: Styles) -> Table:
    width = s.frame_width() - picture.drawWidth - 12
    grid = Table([[picture, texts]], colWidths=[picture.drawWidth + 12, width], hAlign="LEFT")
    grid.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"),
                              ("LEFTPADDING", (0, 0), (-1, -1), 0)]))  # fmt: skip
    return grid
